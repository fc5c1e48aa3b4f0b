/* tests/test-ui-curfew.c — curfew alerts at 30 and 10 minutes, the dialog at the curfew and check-out with reason curfew, in Tokyo and Osaka. */
#include "dc-ui-test.h"
#include "dc-checkin.h"
#include "dc-curfew.h"
#include "dc-db.h"
#include "dc-manager-settings.h"
#include "dc-window.h"

#include <sqlite3.h>

typedef struct {
  gint     minutes;
  guint    n_minors;
  gboolean bell;
} Alert;

typedef struct {
  gint64     clock;
  char      *tmp_dir;
  DcStore   *store;     /* owned by the window's session */
  DcWindow  *window;
  DcSession *session;
  DcCurfew  *curfew;
  GArray    *alerts;    /* Alert, as signalled */
} Fixture;

static gint64
read_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
on_alert (DcCurfew *curfew, gint minutes, guint n_minors, gboolean bell, Fixture *f)
{
  Alert a = { minutes, n_minors, bell };

  g_array_append_val (f->alerts, a);
}

/* An Osaka store like dc_ui_test_store's: the manager, the clerk, PC-01 … PC-08, every fourth filtered. */
static DcStore *
osaka_store (gint64 *clock)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("daicho-ui-XXXXXX", &error);
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  g_autoptr(DcActor) manager = NULL;
  char *code = NULL;
  DcStoreSetup setup = {
    .name = "難波店", .operator_name = "株式会社サンプル", .prefecture = "osaka", .manager = DC_UI_TEST_MANAGER,
  };
  DcStore *store;

  g_assert_no_error (error);
  *clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  store = dc_store_create (store_dir, &setup, DC_UI_TEST_PASSPHRASE, DC_UI_TEST_MANAGER_PIN, &code, &error);
  g_assert_no_error (error);
  dc_secret_free (code);
  dc_store_set_clock (store, read_clock, clock);
  manager = dc_store_sign_in_passphrase (store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, manager, DC_UI_TEST_CLERK, "counter", DC_UI_TEST_CLERK_PIN, NULL, NULL,
                                     &error));
  for (guint i = 1; i <= 8; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%02u", i);

      g_assert_true (dc_store_add_terminal (store, manager, label, "B", i % 4 == 0, NULL, &error));
      g_assert_no_error (error);
    }
  return store;
}

static void
sign_in (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_session_sign_in (f->session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  g_assert_no_error (error);
  dc_ui_test_pump (50);
}

static void
open_window (Fixture *f, gboolean osaka)
{
  f->store = osaka ? osaka_store (&f->clock) : dc_ui_test_store (8, &f->clock);
  f->tmp_dir = g_path_get_dirname (dc_store_dir (f->store));
  f->window = dc_window_new (NULL, "/nonexistent", f->store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  f->session = dc_window_get_session (f->window);
  f->curfew = dc_curfew_for_window (GTK_WINDOW (f->window));
  g_assert_nonnull (f->curfew);
  f->alerts = g_array_new (FALSE, FALSE, sizeof (Alert));
  g_signal_connect (f->curfew, "alert", G_CALLBACK (on_alert), f);
  gtk_window_present (GTK_WINDOW (f->window));
  sign_in (f);
  g_assert_cmpstr (dc_window_get_page (f->window), ==, "counter");
}

static void
close_window (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  dc_ui_test_pump (50);
  g_clear_pointer (&f->alerts, g_array_unref);
  dc_ui_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
}

static gint64
checkin (Fixture *f, const char *name, int day, int month, int year, const char *terminal)
{
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 visit;

  dc_identity_init (&request.identity);
  request.identity.doc_type = "drivers_license";
  request.identity.doc_number = "301234567890";
  g_date_set_dmy (&request.identity.doc_expiry, 31, 12, 2035);
  request.identity.name = name;
  request.identity.kana = "テスト";
  g_date_set_dmy (&request.identity.dob, day, month, year);
  request.identity.address = "東京都新宿区西新宿2-8-1";
  g_assert_true (dc_checkin (f->store, dc_session_get_actor (f->session), &request, &result, &error));
  g_assert_no_error (error);
  visit = result.visit_id;
  dc_checkin_result_clear (&result);
  dc_session_changed (f->session);
  return visit;
}

/* Move the store's clock to @hour:@minute Tokyo time on 2026-11-@day and let the views look. */
static void
at (Fixture *f, int day, int hour, int minute)
{
  f->clock = dc_ui_test_tokyo (2026, 11, day, hour, minute);
  dc_session_changed (f->session);   /* the board is read again, and the watcher looks */
  dc_ui_test_pump (30);
}

static void
assert_alerts (Fixture *f, guint n)
{
  g_assert_cmpuint (f->alerts->len, ==, n);
}

static const Alert *
last_alert (Fixture *f)
{
  g_assert_cmpuint (f->alerts->len, >, 0);
  return &g_array_index (f->alerts, Alert, f->alerts->len - 1);
}

/* The exit reason of a visit, or NULL while it is open. */
static char *
exit_reason (Fixture *f, gint64 visit)
{
  DcDb *db = dc_store_db (f->store);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, &error, "SELECT exit_reason FROM visits WHERE id = ?", "i", visit);
  char *reason = NULL;

  g_assert_no_error (error);
  g_assert_true (dc_db_next (db, stmt, &error));
  reason = dc_db_col_text (stmt, 0);
  sqlite3_reset (stmt);
  return reason;
}

static GtkWidget *
checkout_button (GtkWindow *dialog, gint64 visit)
{
  g_autofree char *name = g_strdup_printf ("curfew-checkout-%" G_GINT64_FORMAT, visit);

  return dc_ui_test_find_by_name (GTK_WIDGET (dialog), name);
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  dc_ui_test_pump (50);
}

/* Tokyo: two minors (one turning 18 at midnight) and an adult. Alerts at 22:30 and 22:50,
 * each once; at 23:00 the dialog lists both minors; "Later" puts it off five minutes; one
 * is checked out from their row with reason curfew; at midnight the other turns 18 and the
 * dialog goes away without anyone checking them out. */
static void
test_tokyo (void)
{
  Fixture f = { 0 };
  gint64 minor, turning, adult;
  GtkWindow *dialog;
  g_autofree char *reason = NULL;
  g_autoptr(DcBoard) board = NULL;

  open_window (&f, FALSE);
  adult = checkin (&f, "大人 一郎", 5, 5, 1990, "PC-01");
  minor = checkin (&f, "未成年 花子", 5, 5, 2010, "PC-04");
  turning = checkin (&f, "誕生 次郎", 22, 11, 2008, "PC-08");   /* 18 on 2026-11-22 */

  at (&f, 21, 22, 0);
  assert_alerts (&f, 0);
  at (&f, 21, 22, 30);
  assert_alerts (&f, 1);
  g_assert_cmpint (last_alert (&f)->minutes, ==, 30);
  g_assert_cmpuint (last_alert (&f)->n_minors, ==, 2);
  g_assert_true (last_alert (&f)->bell);
  g_assert_nonnull (dc_ui_test_find_label (GTK_WIDGET (f.window), "PC-04"));
  g_free (dc_ui_test_screenshot (GTK_WIDGET (f.window), "curfew-alert"));
  at (&f, 21, 22, 31);
  at (&f, 21, 22, 40);
  assert_alerts (&f, 1);                 /* once per stage */
  at (&f, 21, 22, 50);
  assert_alerts (&f, 2);
  g_assert_cmpint (last_alert (&f)->minutes, ==, 10);
  g_assert_cmpuint (last_alert (&f)->n_minors, ==, 2);
  at (&f, 21, 22, 59);
  assert_alerts (&f, 2);
  g_assert_null (dc_curfew_get_dialog (f.curfew));

  /* 23:00: the dialog, both minors listed, the adult not */
  at (&f, 21, 23, 0);
  dialog = dc_curfew_get_dialog (f.curfew);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_nonnull (checkout_button (dialog, minor));
  g_assert_nonnull (checkout_button (dialog, turning));
  g_assert_null (checkout_button (dialog, adult));
  g_free (dc_ui_test_screenshot (GTK_WIDGET (dialog), "curfew-dialog"));

  /* Enter puts it off, as "Later" does: no one is checked out by a reflexive key press;
   * back after five minutes, not before */
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "later");
  g_assert_true (gtk_widget_activate (gtk_window_get_default_widget (dialog)));
  for (guint i = 0; i < 50 && dc_curfew_get_dialog (f.curfew) != NULL; i++)
    dc_ui_test_pump (20);   /* an activated button clicks after showing itself pressed */
  g_assert_null (dc_curfew_get_dialog (f.curfew));
  g_assert_null (exit_reason (&f, minor));
  at (&f, 21, 23, 2);
  g_assert_null (dc_curfew_get_dialog (f.curfew));
  at (&f, 21, 23, 5);
  dialog = dc_curfew_get_dialog (f.curfew);
  g_assert_nonnull (dialog);

  /* one row's button checks that minor out, with reason curfew; the other stays listed */
  click (checkout_button (dialog, minor));
  reason = exit_reason (&f, minor);
  g_assert_cmpstr (reason, ==, "curfew");
  g_assert_true (dc_curfew_get_dialog (f.curfew) == dialog);
  g_assert_null (checkout_button (dialog, minor));
  g_assert_nonnull (checkout_button (dialog, turning));

  /* midnight: 18 today, from the counter tier: no longer a minor, the dialog goes */
  at (&f, 22, 0, 0);
  g_assert_null (dc_curfew_get_dialog (f.curfew));
  board = dc_session_read_board (f.session, NULL);
  g_assert_cmpuint (board->minors, ==, 0);
  g_assert_cmpuint (board->visits->len, ==, 2);
  g_clear_pointer (&reason, g_free);
  reason = exit_reason (&f, turning);
  g_assert_null (reason);
  assert_alerts (&f, 2);
  close_window (&f);
}

/* Osaka: under 16 from 19:00, 16–17 from 22:00. Each minor is alerted before their own band
 * and "Check Out All" sends them home; with the sound setting off the alert does not ring;
 * alerts due while the counter is locked come at the next sign-in. */
static void
test_osaka (void)
{
  Fixture f = { 0 };
  gint64 young, older;
  GtkWindow *dialog;
  g_autofree char *reason = NULL;
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(GError) error = NULL;

  open_window (&f, TRUE);
  young = checkin (&f, "年少 一郎", 5, 5, 2011, "PC-04");   /* 15 */
  older = checkin (&f, "年長 花子", 5, 5, 2009, "PC-08");   /* 17 */

  at (&f, 21, 18, 30);
  assert_alerts (&f, 1);
  g_assert_cmpint (last_alert (&f)->minutes, ==, 30);
  g_assert_cmpuint (last_alert (&f)->n_minors, ==, 1);
  at (&f, 21, 18, 50);
  assert_alerts (&f, 2);
  g_assert_cmpint (last_alert (&f)->minutes, ==, 10);
  at (&f, 21, 19, 0);
  dialog = dc_curfew_get_dialog (f.curfew);
  g_assert_nonnull (dialog);
  g_assert_nonnull (checkout_button (dialog, young));
  g_assert_null (checkout_button (dialog, older));
  click (dc_ui_test_find_button (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, "_Check Out All")));
  g_assert_null (dc_curfew_get_dialog (f.curfew));
  reason = exit_reason (&f, young);
  g_assert_cmpstr (reason, ==, "curfew");
  g_clear_pointer (&reason, g_free);
  reason = exit_reason (&f, older);
  g_assert_null (reason);

  /* the manager turns the sound off; the counter is locked when the 30-minute alert falls due */
  manager = dc_store_sign_in_passphrase (f.store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_set_setting (f.store, manager, DC_SETTING_CURFEW_SOUND, 0, &error));
  g_assert_no_error (error);
  dc_session_lock (f.session);
  at (&f, 21, 21, 35);
  assert_alerts (&f, 2);
  f.clock = dc_ui_test_tokyo (2026, 11, 21, 21, 36);
  sign_in (&f);
  assert_alerts (&f, 3);
  g_assert_cmpint (last_alert (&f)->minutes, ==, 24);
  g_assert_false (last_alert (&f)->bell);

  at (&f, 21, 22, 0);
  dialog = dc_curfew_get_dialog (f.curfew);
  g_assert_nonnull (dialog);
  g_assert_nonnull (checkout_button (dialog, older));
  assert_alerts (&f, 3);                 /* no 10-minute alert after the curfew began */
  click (dc_ui_test_find_button (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, "_Check Out All")));
  g_clear_pointer (&reason, g_free);
  reason = exit_reason (&f, older);
  g_assert_cmpstr (reason, ==, "curfew");
  g_assert_null (dc_curfew_get_dialog (f.curfew));
  close_window (&f);
}

/* The manager's settings page: the alert switches and the store's own curfew hours, typed as
 * times; saved, the store's check-in and board follow the new bands at once. */
static void
test_settings (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (DC_TYPE_MANAGER_SETTINGS, NULL);
  GtkWidget *band1 = NULL;
  GtkSpinButton *start = NULL, *end = NULL;
  const DcProfile *profile;

  open_window (&f, FALSE);
  dc_manager_settings_set_session (DC_MANAGER_SETTINGS (page), f.session);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 900);
  gtk_window_present (GTK_WINDOW (window));
  dc_ui_test_pump (100);

  /* defaults: alerts and sound on, the prefecture's hours, the bands not editable */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (dc_ui_test_find_by_name (page, "alerts_switch"))));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (dc_ui_test_find_by_name (page, "sound_switch"))));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dc_ui_test_find_by_name (page, "profile_dropdown"))), ==, 0);
  band1 = dc_ui_test_find_by_name (page, "band1_row");
  g_assert_false (gtk_widget_is_sensitive (band1));
  start = GTK_SPIN_BUTTON (dc_ui_test_find_by_name (page, "band1_start"));
  end = GTK_SPIN_BUTTON (dc_ui_test_find_by_name (page, "band1_end"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "23:00");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (end)), ==, "04:00");

  /* the store's own hours: under 18 from 21:30 (typed full-width, as an IME gives it) to 0500 */
  gtk_switch_set_active (GTK_SWITCH (dc_ui_test_find_by_name (page, "sound_switch")), FALSE);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dc_ui_test_find_by_name (page, "profile_dropdown")), 1);
  g_assert_true (gtk_widget_is_sensitive (band1));
  gtk_editable_set_text (GTK_EDITABLE (start), "２１：３０");
  gtk_spin_button_update (start);
  gtk_editable_set_text (GTK_EDITABLE (end), "0500");
  gtk_spin_button_update (end);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (start), ==, 21 * 60 + 30);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (end), ==, 5 * 60);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "21:30");
  /* nonsense is not taken: the value stays */
  gtk_editable_set_text (GTK_EDITABLE (end), "25:99");
  gtk_spin_button_update (end);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (end), ==, 5 * 60);
  g_free (dc_ui_test_screenshot (window, "curfew-settings"));

  /* saving needs a manager: stepped up already, it saves at once */
  g_assert_true (dc_session_step_up (f.session, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (page, "settings.save", NULL));
  dc_ui_test_pump (50);
  g_assert_cmpint (dc_store_get_setting (f.store, DC_SETTING_CURFEW_SOUND), ==, 0);
  g_assert_cmpint (dc_store_get_setting (f.store, DC_SETTING_CURFEW_ALERTS), ==, 1);
  g_assert_cmpint (dc_store_get_setting (f.store, DC_SETTING_CURFEW_BAND1_START), ==, 21 * 60 + 30);
  profile = dc_store_profile (f.store);
  g_assert_cmpstr (profile->id, ==, "custom");
  g_assert_true (dc_profile_in_curfew (profile, 17, 21 * 60 + 30));
  g_assert_false (dc_profile_in_curfew (profile, 17, 21 * 60 + 29));

  /* and the watcher follows: a minor in at 21:00 is alerted at 21:00 for 21:30, without the bell */
  f.clock = dc_ui_test_tokyo (2026, 11, 21, 21, 0);
  checkin (&f, "未成年 花子", 5, 5, 2010, "PC-04");
  g_assert_cmpuint (f.alerts->len, ==, 1);
  g_assert_cmpint (last_alert (&f)->minutes, ==, 30);
  g_assert_false (last_alert (&f)->bell);

  /* with the alerts off nothing is said at 10 minutes, but the dialog still comes at the curfew */
  gtk_switch_set_active (GTK_SWITCH (dc_ui_test_find_by_name (page, "alerts_switch")), FALSE);
  g_assert_true (gtk_widget_activate_action (page, "settings.save", NULL));
  g_assert_cmpint (dc_store_get_setting (f.store, DC_SETTING_CURFEW_ALERTS), ==, 0);
  at (&f, 21, 21, 25);
  g_assert_cmpuint (f.alerts->len, ==, 1);
  g_assert_null (dc_curfew_get_dialog (f.curfew));
  at (&f, 21, 21, 30);
  g_assert_cmpuint (f.alerts->len, ==, 1);
  g_assert_nonnull (dc_curfew_get_dialog (f.curfew));

  gtk_window_destroy (GTK_WINDOW (window));
  close_window (&f);
}

int
main (int argc, char *argv[])
{
  dc_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/curfew/tokyo", test_tokyo);
  g_test_add_func ("/ui/curfew/osaka", test_osaka);
  g_test_add_func ("/ui/curfew/settings", test_settings);

  return g_test_run ();
}
