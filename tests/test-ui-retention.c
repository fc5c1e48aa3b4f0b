/* tests/test-ui-retention.c — the manager's retention page on a store four years old: the dry run as shown, holds added and released through the dialogs, the purge in its thread, the schedule, the auditor's limits. */
#include "dc-checkin.h"
#include "dc-hold.h"
#include "dc-manager-retention.h"
#include "dc-manager-window.h"
#include "dc-retention.h"
#include "dc-step-up-dialog.h"
#include "dc-ui-test.h"
#include "dc-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#define AUDITOR            "監査 鈴木"
#define AUDITOR_PASSPHRASE "auditor passphrase 2026"

/* The people of the history and when they came (Tokyo time). */
typedef struct {
  const char *name, *kana, *doc_number;
  int         born;
} Person;

static const Person people[] = {
  { "山田 太郎", "ヤマダ タロウ", "301234567890", 1990 },   /* once, 2026-11: purged */
  { "佐藤 花子", "サトウ ハナコ", "301234567891", 1985 },   /* 2026-12 on PC-02 (held by range) and 2027-01 */
  { "鈴木 一郎", "スズキ イチロウ", "301234567892", 1979 }, /* once, 2027-01: held by visit, released, purged */
  { "高橋 次郎", "タカハシ ジロウ", "301234567893", 1995 }, /* 2026-11 and again 2030-11: a member kept */
  { "田中 三郎", "タナカ サブロウ", "301234567894", 2000 }, /* in the store now: never purged */
};
enum { TARO, HANAKO, ICHIRO, JIRO, SABURO };

typedef struct {
  gint64     clock;
  char      *tmp_dir;
  DcStore   *store;      /* owned by the window's session */
  DcWindow  *window;
  DcSession *session;
  gint64     visits[6];  /* as in build_history */
  char      *members[G_N_ELEMENTS (people)];
} Fixture;

enum { V_TARO, V_HANAKO_DEC, V_HANAKO_JAN, V_ICHIRO, V_JIRO_OLD, V_JIRO_NEW };

/* ---- helpers ---- */

typedef gboolean (*Cond) (gpointer data);

static gboolean
wait_for (Cond cond, gpointer data, guint timeout_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return cond (data);
}

static GtkWidget *
child (gpointer root, const char *id)
{
  GtkWidget *widget = dc_ui_test_find_by_name (GTK_WIDGET (root), id);

  g_assert_nonnull (widget);
  return widget;
}

static GtkWindow *
find_window (GType type)
{
  GList *windows = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = windows; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (windows);
  return found;
}

/* The "Add Hold" dialog: the window that shows the page's hold form. */
static GtkWindow *
hold_dialog (void)
{
  GList *windows = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = windows; l != NULL; l = l->next)
    if (!DC_IS_MANAGER_WINDOW (l->data) && gtk_widget_get_visible (l->data)
        && dc_ui_test_find_by_name (l->data, "hold_form") != NULL)
      found = l->data;
  g_list_free (windows);
  return found;
}

static gboolean
no_hold_dialog (gpointer data)
{
  return hold_dialog () == NULL;
}

static gboolean
not_busy (gpointer page)
{
  return !dc_manager_retention_is_busy (page);
}

static void
wait_idle (GtkWidget *page)
{
  g_assert_true (wait_for (not_busy, page, 60000));
  dc_ui_test_pump (30);
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
collect_buttons (GtkWidget *root, const char *action, GPtrArray *out)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_buttons (c, action, out);
}

/* The "Release…" button of hold @id. */
static GtkWidget *
release_button (GtkWidget *page, gint64 id)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  collect_buttons (page, "retention.release", all);
  for (guint i = 0; i < all->len; i++)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (g_ptr_array_index (all, i)));

      if (target != NULL && g_variant_get_int64 (target) == id)
        return g_ptr_array_index (all, i);
    }
  return NULL;
}

/* The response button of an AdwMessageDialog, by its (translated) label. */
static GtkWidget *
response_button (GtkWindow *dialog, const char *label)
{
  GtkWidget *button = dc_ui_test_find_button (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, label));

  g_assert_nonnull (button);
  return button;
}

static GtkWidget *
find_type_named (GtkWidget *root, const char *type_name)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (root), type_name))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type_named (c, type_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Close the toasts shown and queued, so a screenshot shows the page under them. */
static void
dismiss_toasts (GtkWidget *window)
{
  GtkWidget *toast;

  for (int i = 0; i < 20 && (toast = find_type_named (window, "AdwToastWidget")) != NULL; i++)
    {
      GtkWidget *close = dc_ui_test_find_by_type (toast, GTK_TYPE_BUTTON);

      g_assert_nonnull (close);
      g_signal_emit_by_name (close, "clicked");
      dc_ui_test_pump (100);
    }
}

static void
screenshot (gpointer window, const char *name)
{
  dc_ui_test_pump (150);
  dismiss_toasts (window);
  g_free (dc_ui_test_screenshot (GTK_WIDGET (window), name));
}

/* As the page writes counts: "1,234". */
static char *
format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static gint64
visit_exists (Fixture *f, gint64 visit_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM visits WHERE id = %" G_GINT64_FORMAT, visit_id);
  g_autoptr(GError) error = NULL;
  gint64 n = -1;
  gboolean found = FALSE;

  g_assert_true (dc_db_int (dc_store_db (f->store), &n, &found, &error, sql, ""));
  g_assert_no_error (error);
  return n;
}

static DcPurgePlan *
plan_now (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DcPurgePlan *plan = dc_purge_plan (f->store, &error);

  g_assert_no_error (error);
  return plan;
}

static GArray *
holds (Fixture *f, gboolean released_too)
{
  g_autoptr(GError) error = NULL;
  GArray *list = dc_hold_list (f->store, released_too, &error);

  g_assert_no_error (error);
  return list;
}

/* ---- a store with four years of history ---- */

static void
come_in (Fixture *f, DcActor *clerk, guint who, const char *terminal, gint64 at, gint64 *out_visit)
{
  g_autoptr(GError) error = NULL;
  DcCheckinResult result = { 0 };
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };

  f->clock = at;
  if (f->members[who] != NULL)
    g_assert_true (dc_checkin_member (f->store, clerk, f->members[who], terminal, &result, &error));
  else
    {
      dc_identity_init (&request.identity);
      request.identity.doc_type = "drivers_license";
      request.identity.doc_number = people[who].doc_number;
      g_date_set_dmy (&request.identity.doc_expiry, 31, 12, 2040);
      request.identity.name = people[who].name;
      request.identity.kana = people[who].kana;
      g_date_set_dmy (&request.identity.dob, 5, 5, people[who].born);
      request.identity.address = "東京都新宿区西新宿2-8-1";
      g_assert_true (dc_checkin (f->store, clerk, &request, &result, &error));
      f->members[who] = g_strdup (result.member_number);
    }
  g_assert_no_error (error);
  if (out_visit != NULL)
    *out_visit = result.visit_id;
  dc_checkin_result_clear (&result);
}

static void
go_out (Fixture *f, DcActor *clerk, gint64 visit_id, gint64 at)
{
  g_autoptr(GError) error = NULL;

  f->clock = at;
  g_assert_true (dc_checkout (f->store, clerk, NULL, visit_id, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
}

static void
visit (Fixture *f, DcActor *clerk, guint who, const char *terminal, gint64 in, gint64 out, gint64 *out_visit)
{
  come_in (f, clerk, who, terminal, in, out_visit);
  go_out (f, clerk, *out_visit, out);
}

static void
build_history (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) clerk = dc_store_sign_in_pin (f->store, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error);
  gint64 open_visit = 0;

  g_assert_no_error (error);
  visit (f, clerk, TARO, "PC-01", dc_ui_test_tokyo (2026, 11, 21, 17, 0), dc_ui_test_tokyo (2026, 11, 21, 19, 0),
         &f->visits[V_TARO]);
  visit (f, clerk, JIRO, "PC-03", dc_ui_test_tokyo (2026, 11, 25, 10, 0), dc_ui_test_tokyo (2026, 11, 25, 12, 30),
         &f->visits[V_JIRO_OLD]);
  visit (f, clerk, HANAKO, "PC-02", dc_ui_test_tokyo (2026, 12, 5, 13, 0), dc_ui_test_tokyo (2026, 12, 5, 15, 0),
         &f->visits[V_HANAKO_DEC]);
  visit (f, clerk, HANAKO, "PC-01", dc_ui_test_tokyo (2027, 1, 10, 20, 0), dc_ui_test_tokyo (2027, 1, 10, 22, 0),
         &f->visits[V_HANAKO_JAN]);
  visit (f, clerk, ICHIRO, "PC-04", dc_ui_test_tokyo (2027, 1, 15, 9, 0), dc_ui_test_tokyo (2027, 1, 15, 11, 0),
         &f->visits[V_ICHIRO]);
  /* four years on: a member who still comes, and someone in the store now */
  visit (f, clerk, JIRO, "PC-03", dc_ui_test_tokyo (2030, 11, 1, 18, 0), dc_ui_test_tokyo (2030, 11, 1, 20, 0),
         &f->visits[V_JIRO_NEW]);
  come_in (f, clerk, SABURO, "PC-05", dc_ui_test_tokyo (2030, 11, 22, 14, 0), &open_visit);
  f->clock = dc_ui_test_tokyo (2030, 11, 22, 16, 0);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->store = dc_ui_test_store (8, &f->clock);
  f->tmp_dir = g_path_get_dirname (dc_store_dir (f->store));
  build_history (f);
  f->window = dc_window_new (NULL, "/nonexistent", f->store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  f->session = dc_window_get_session (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (dc_session_sign_in (f->session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  g_assert_no_error (error);
  dc_ui_test_pump (50);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  dc_ui_test_pump (50);
  g_assert_null (find_window (DC_TYPE_MANAGER_WINDOW));
  for (gsize i = 0; i < G_N_ELEMENTS (f->members); i++)
    g_free (f->members[i]);
  dc_ui_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
}

/* Step up as @who and open the manager window on the retention page, 1366×768. */
static DcManagerWindow *
open_retention (Fixture *f, const char *who, const char *passphrase, GtkWidget **out_page)
{
  g_autoptr(GError) error = NULL;
  DcManagerWindow *manager;

  g_assert_true (dc_session_step_up (f->session, who, passphrase, &error));
  g_assert_no_error (error);
  manager = dc_manager_window_new (GTK_WINDOW (f->window), f->session);
  gtk_window_set_default_size (GTK_WINDOW (manager), 1366, 768);
  dc_manager_window_set_page (manager, "retention");
  gtk_window_present (GTK_WINDOW (manager));
  *out_page = child (manager, "retention");
  wait_idle (*out_page);
  return manager;
}

/* ---- what the page shows is what dc_purge_plan says ---- */

static const char *
grid_text (GtkGrid *grid, int column, int row)
{
  GtkWidget *label = gtk_grid_get_child_at (grid, column, row);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
assert_numbers (GtkGrid *grid, int row, const gint64 values[4])
{
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *text = format_count (values[i]);

      g_assert_cmpstr (grid_text (grid, i + 1, row), ==, text);
    }
}

static void
assert_plan_shown (Fixture *f, GtkWidget *page)
{
  g_autoptr(DcPurgePlan) plan = plan_now (f);
  GtkGrid *grid = GTK_GRID (child (page, "plan_grid"));
  const gint64 totals[4] = { plan->visits, plan->sessions, plan->verifications, plan->customers };
  g_autofree char *open = format_count (plan->open_visits);
  g_autofree char *held = format_count (plan->held_visits);
  int last = (int) plan->months->len + 1;

  for (guint i = 0; i < plan->months->len; i++)
    {
      const DcPurgeMonth *m = &g_array_index (plan->months, DcPurgeMonth, i);
      const gint64 values[4] = { m->visits, m->sessions, m->verifications, m->customers };

      g_assert_cmpstr (grid_text (grid, 0, (int) i + 1), ==, m->month);
      assert_numbers (grid, (int) i + 1, values);
    }
  g_assert_cmpstr (grid_text (grid, 0, last), ==, g_dgettext (GETTEXT_PACKAGE, "Total"));
  assert_numbers (grid, last, totals);
  g_assert_null (gtk_grid_get_child_at (grid, 0, last + 1));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (page, "open_row"))), ==, open);
  if (plan->held_visits > 0)
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (page, "held_row"))), held));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (grid)) == (plan->months->len > 0));
}

/* ---- holds through the dialog ---- */

static GtkWindow *
open_hold_dialog (GtkWidget *page, guint kind)
{
  GtkWindow *dialog;

  click (child (page, "add_hold_button"));
  dc_ui_test_pump (50);
  dialog = hold_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (dialog));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "hold_kind_row")), kind);
  return dialog;
}

static void
type_into (GtkWindow *dialog, const char *id, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, id)), text);
}

static void
submit (GtkWindow *dialog)
{
  click (gtk_window_get_default_widget (dialog));
  dc_ui_test_pump (30);
}

static void
tick_terminal (GtkWindow *dialog, const char *label)
{
  GtkWidget *text = dc_ui_test_find_label (child (dialog, "hold_terminals"), label);
  GtkWidget *check = text != NULL ? gtk_widget_get_ancestor (text, GTK_TYPE_CHECK_BUTTON) : NULL;

  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
}

static gint64
add_visit_hold (Fixture *f, GtkWidget *page, gint64 visit_id, const char *shot)
{
  GtkWindow *dialog = open_hold_dialog (page, 0);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, visit_id);
  g_autoptr(GArray) before = holds (f, TRUE);
  g_autoptr(GArray) after = NULL;
  const DcHold *added;

  /* a visit that does not exist is refused inline, and the dialog stays */
  type_into (dialog, "hold_visit_row", "99999");
  type_into (dialog, "hold_reason_row", "新宿警察署からの保全要請");
  submit (dialog);
  g_assert_true (gtk_widget_get_visible (child (dialog, "hold_error")));
  g_assert_true (hold_dialog () == dialog);
  /* so is a hold without a reason */
  type_into (dialog, "hold_visit_row", number);
  type_into (dialog, "hold_reason_row", "");
  submit (dialog);
  g_assert_true (gtk_widget_get_visible (child (dialog, "hold_error")));
  after = holds (f, TRUE);
  g_assert_cmpuint (after->len, ==, before->len);
  g_clear_pointer (&after, g_array_unref);

  type_into (dialog, "hold_reason_row", "新宿警察署からの保全要請");
  type_into (dialog, "hold_reference_row", "新宿署 第1234号");
  g_assert_false (gtk_widget_get_visible (child (dialog, "hold_error")));
  if (shot != NULL)
    screenshot (dialog, shot);
  submit (dialog);
  g_assert_true (wait_for (no_hold_dialog, NULL, 5000));
  after = holds (f, TRUE);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  added = &g_array_index (after, DcHold, 0);
  g_assert_cmpint (added->released_at, ==, 0);
  g_assert_cmpstr (added->reason, ==, "新宿警察署からの保全要請");
  g_assert_cmpstr (added->reference, ==, "新宿署 第1234号");
  wait_idle (page);
  g_assert_nonnull (dc_ui_test_find_label (child (page, "hold_list"), added->scope));
  return added->id;
}

static void
release_hold (Fixture *f, GtkWidget *page, gint64 id, const char *shot)
{
  GtkWidget *button = release_button (page, id);
  GtkWindow *dialog;
  GtkWidget *release;
  g_autoptr(GArray) list = NULL;

  click (button);
  dc_ui_test_pump (50);
  dialog = find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  /* a release needs a reason */
  release = response_button (dialog, "Release Hold");
  g_assert_false (gtk_widget_is_sensitive (release));
  gtk_editable_set_text (GTK_EDITABLE (dc_ui_test_find_by_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW)),
                         "捜査終了の連絡を受けた");
  g_assert_true (gtk_widget_is_sensitive (release));
  if (shot != NULL)
    screenshot (dialog, shot);
  click (release);
  dc_ui_test_pump (50);
  g_assert_null (find_window (ADW_TYPE_MESSAGE_DIALOG));
  list = holds (f, TRUE);
  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, DcHold, i).id == id)
      {
        g_assert_cmpint (g_array_index (list, DcHold, i).released_at, !=, 0);
        g_assert_cmpstr (g_array_index (list, DcHold, i).release_reason, ==, "捜査終了の連絡を受けた");
      }
  wait_idle (page);
  g_assert_null (release_button (page, id));
}

/* ---- the manager: holds, the purge, the schedule ---- */

static gboolean
history_shown (gpointer page)
{
  return dc_ui_test_find_label (child (page, "history_list"), "2030-11-22") != NULL;
}

static void
purge_through_ui (Fixture *f, GtkWidget *page)
{
  g_autoptr(DcPurgePlan) plan = plan_now (f);
  g_autofree char *visits = format_count (plan->visits);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) history = NULL;
  GtkWindow *dialog;
  const char *body;

  g_assert_cmpint (plan->visits, >, 0);
  click (child (page, "purge_button"));
  dc_ui_test_pump (50);
  dialog = find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  /* the confirmation states the counts and the cutoff */
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, visits));
  g_assert_nonnull (strstr (body, "2027-11-22"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  screenshot (dialog, "manager-retention-purge-confirm");

  click (response_button (dialog, "Purge for Good"));
  /* the purge runs in a thread: the page says so and the window stays alive */
  g_assert_true (dc_manager_retention_is_busy (DC_MANAGER_RETENTION (page)));
  g_assert_true (gtk_widget_get_visible (child (page, "busy_spinner")));
  g_assert_false (gtk_widget_is_sensitive (child (page, "purge_button")));
  wait_idle (page);

  history = dc_purge_history (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (g_array_index (history, DcPurgeRecord, 0).visits, ==, plan->visits);
  g_assert_cmpint (g_array_index (history, DcPurgeRecord, 0).sessions, ==, plan->sessions);
  g_assert_cmpint (g_array_index (history, DcPurgeRecord, 0).customers, ==, plan->customers);
  g_assert_true (history_shown (page));
  g_assert_nonnull (dc_ui_test_find_label (child (page, "history_list"), visits));
}

static void
check_schedule (Fixture *f, GtkWidget *page)
{
  g_autofree char *units = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
  g_autofree char *backups = g_build_filename (f->tmp_dir, "バックアップ", NULL);
  GtkLabel *state = GTK_LABEL (child (page, "schedule_state"));

  g_assert_cmpstr (gtk_label_get_text (state), ==, g_dgettext (GETTEXT_PACKAGE, "Off"));
  g_assert_false (gtk_widget_get_visible (child (page, "ctl_note")));
  gtk_editable_set_text (GTK_EDITABLE (child (page, "backup_dir_row")), backups);
  click (child (page, "schedule_button"));
  wait_idle (page);
  g_assert_cmpstr (gtk_label_get_text (state), ==, g_dgettext (GETTEXT_PACKAGE, "On"));
  g_assert_true (g_file_test (units, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (backups, G_FILE_TEST_IS_DIR));
  g_assert_false (gtk_widget_is_sensitive (child (page, "backup_dir_row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "backup_dir_row"))), ==, backups);
}

static void
remove_schedule (GtkWidget *page)
{
  click (child (page, "schedule_button"));
  wait_idle (page);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "schedule_state"))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Off"));
}

static void
test_manager (Fixture *f, gconstpointer data)
{
  GtkWidget *page = NULL;
  DcManagerWindow *manager = open_retention (f, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &page);
  g_autoptr(DcPurgePlan) before = plan_now (f);
  g_autoptr(DcPurgePlan) held = NULL;
  g_autoptr(GArray) in_force = NULL;
  g_autofree char *aside = NULL;
  GtkWindow *dialog;
  gint64 visit_hold, range_hold;

  /* the oldest record: Taro's visit, kept through 2029-11-21 */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (page, "oldest_row"))), "2026-11-21"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (page, "oldest_row"))), "2029-11-21"));
  g_assert_cmpint (before->visits, ==, 5);
  g_assert_cmpint (before->open_visits, ==, 1);
  assert_plan_shown (f, page);
  g_assert_true (gtk_widget_is_sensitive (child (page, "purge_button")));
  g_assert_false (gtk_widget_get_visible (child (page, "auditor_note")));
  g_assert_false (gtk_widget_get_visible (child (page, "aside_note")));
  screenshot (manager, "manager-retention");
  /* legible in the dark style too */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (manager, "manager-retention-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* a hold on one visit, through the dialog */
  visit_hold = add_visit_hold (f, page, f->visits[V_ICHIRO], "manager-retention-hold-visit");
  assert_plan_shown (f, page);
  held = plan_now (f);
  g_assert_cmpint (held->held_visits, ==, 1);
  g_assert_cmpint (held->visits, ==, before->visits - 1);

  /* a hold on a time range on one terminal */
  dialog = open_hold_dialog (page, 2);
  g_assert_true (gtk_widget_get_visible (child (dialog, "hold_terminals_group")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "hold_visit_row")));
  type_into (dialog, "hold_from_row", "2026-12-05 12:00");
  type_into (dialog, "hold_to_row", "2026-12-05 11:00");
  type_into (dialog, "hold_reason_row", "不正アクセス事案の調査");
  submit (dialog);
  /* the end before the start is refused inline */
  g_assert_true (gtk_widget_get_visible (child (dialog, "hold_error")));
  type_into (dialog, "hold_to_row", "2026-12-05 18:00");
  tick_terminal (dialog, "PC-02");
  screenshot (dialog, "manager-retention-hold-range");
  submit (dialog);
  g_assert_true (wait_for (no_hold_dialog, NULL, 5000));
  in_force = holds (f, FALSE);
  g_assert_cmpuint (in_force->len, ==, 2);
  range_hold = g_array_index (in_force, DcHold, 0).id;
  g_assert_nonnull (strstr (g_array_index (in_force, DcHold, 0).scope, "PC-02"));
  wait_idle (page);
  assert_plan_shown (f, page);
  screenshot (manager, "manager-retention-holds");

  /* the visit hold is released, with a reason; the range hold stays */
  release_hold (f, page, visit_hold, "manager-retention-release");
  assert_plan_shown (f, page);
  g_assert_true (gtk_widget_get_visible (child (page, "released_list")));
  g_assert_nonnull (release_button (page, range_hold));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (page, "released_row")), TRUE);

  /* a database a restore set aside: no purge reaches it, and the page says so by name */
  aside = g_build_filename (dc_store_dir (f->store), "daicho.db.before-restore-20261120-101502", NULL);
  g_assert_true (g_file_set_contents (aside, "x", 1, NULL));

  /* the purge: what is past retention and not held goes, in a worker thread */
  purge_through_ui (f, page);
  g_assert_true (gtk_widget_get_visible (child (page, "aside_note")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (page, "aside_note"))), aside));
  screenshot (manager, "manager-retention-set-aside");
  g_assert_cmpint (g_unlink (aside), ==, 0);
  g_assert_cmpint (visit_exists (f, f->visits[V_TARO]), ==, 0);
  g_assert_cmpint (visit_exists (f, f->visits[V_ICHIRO]), ==, 0);
  g_assert_cmpint (visit_exists (f, f->visits[V_HANAKO_JAN]), ==, 0);
  g_assert_cmpint (visit_exists (f, f->visits[V_JIRO_OLD]), ==, 0);
  g_assert_cmpint (visit_exists (f, f->visits[V_HANAKO_DEC]), ==, 1);  /* held */
  g_assert_cmpint (visit_exists (f, f->visits[V_JIRO_NEW]), ==, 1);    /* within retention */
  assert_plan_shown (f, page);
  g_assert_true (gtk_widget_get_visible (child (page, "plan_empty")));
  g_assert_false (gtk_widget_is_sensitive (child (page, "purge_button")));
  screenshot (manager, "manager-retention-purged");

  /* the schedule: installed with the fake systemctl, then removed */
  check_schedule (f, page);
  screenshot (manager, "manager-retention-schedule");
  remove_schedule (page);
}

/* ---- an auditor adds a hold and cannot release, purge or schedule ---- */

static void
test_auditor (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) boss = dc_store_sign_in_passphrase (f->store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  g_autofree char *saved_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *no_ctl_path = NULL;
  g_autoptr(GArray) history = NULL;
  DcManagerWindow *manager;
  GtkWidget *page = NULL;
  gint64 id;

  g_assert_true (dc_store_add_staff (f->store, boss, AUDITOR, "auditor", "5555", AUDITOR_PASSPHRASE, NULL, &error));
  g_assert_no_error (error);
  /* without daicho-ctl on the PATH the page says the schedule cannot be installed */
  no_ctl_path = g_strdup_printf ("%s:/usr/bin:/bin", g_getenv ("DC_TEST_FAKE_BIN"));
  g_setenv ("PATH", no_ctl_path, TRUE);
  manager = open_retention (f, AUDITOR, AUDITOR_PASSPHRASE, &page);
  g_setenv ("PATH", saved_path, TRUE);
  g_assert_true (gtk_widget_get_visible (child (page, "ctl_note")));
  g_assert_true (gtk_widget_get_visible (child (page, "auditor_note")));

  assert_plan_shown (f, page);
  g_assert_true (gtk_widget_is_sensitive (child (page, "add_hold_button")));
  g_assert_false (gtk_widget_is_sensitive (child (page, "purge_button")));
  g_assert_false (gtk_widget_is_sensitive (child (page, "schedule_button")));
  g_assert_false (gtk_widget_is_sensitive (child (page, "backup_dir_row")));

  id = add_visit_hold (f, page, f->visits[V_TARO], NULL);
  g_assert_nonnull (release_button (page, id));
  g_assert_false (gtk_widget_is_sensitive (release_button (page, id)));
  screenshot (manager, "manager-retention-auditor");

  /* the actions do nothing for an auditor */
  gtk_widget_activate_action (page, "retention.release", "x", id);
  gtk_widget_activate_action (page, "retention.purge", NULL);
  dc_ui_test_pump (50);
  g_assert_null (find_window (ADW_TYPE_MESSAGE_DIALOG));
  wait_idle (page);
  history = dc_purge_history (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
  g_assert_cmpint (visit_exists (f, f->visits[V_TARO]), ==, 1);
}

/* ---- a fake systemctl, so the schedule can be installed in a test ---- */

static char *
fake_systemctl (const char *dir)
{
  g_autofree char *script = g_build_filename (dir, "systemctl", NULL);
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n"
                                           "state='%s/active'\n"
                                           "case \"$*\" in\n"
                                           "  *is-active*) test -f \"$state\" ;;\n"
                                           "  *disable*) rm -f \"$state\" ;;\n"
                                           "  *enable*) touch \"$state\" ;;\n"
                                           "  *show*) echo @1924300800 ;;\n"
                                           "  *) exit 0 ;;\n"
                                           "esac\n", dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (script, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  return g_strdup (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("daicho-ui-retention-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *bin = g_build_filename (home, "bin", NULL);
  g_autofree char *ctl_dir = g_getenv ("DAICHO_CTL") != NULL ? g_path_get_dirname (g_getenv ("DAICHO_CTL")) : NULL;
  g_autofree char *path = NULL;
  g_autofree char *fake = NULL;
  int status;

  /* systemd's user units and the fake systemctl in a folder of the test's, before GLib
   * reads the environment */
  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  fake = fake_systemctl (bin);
  path = g_strdup_printf ("%s:%s%s%s", fake, ctl_dir != NULL ? ctl_dir : "", ctl_dir != NULL ? ":" : "",
                          g_getenv ("PATH"));
  g_setenv ("PATH", path, TRUE);
  g_setenv ("DC_TEST_FAKE_BIN", fake, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  dc_ui_test_init (&argc, &argv);
  if (ctl_dir == NULL)
    g_test_message ("DAICHO_CTL is not set: the schedule is installed with whatever daicho-ctl the PATH has");
#define ADD(name, fn) g_test_add ("/ui/retention/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("manager", test_manager);
  ADD ("auditor", test_auditor);
#undef ADD
  status = g_test_run ();
  dc_ui_test_remove_tree (home);
  return status;
}
