/* tests/test-ui-card.c — member cards in the desktop app: the QR painter, the card dialog (its on-screen QR code scanned with zbarimg, printing), the manager's members page (typos, unknown members, reissue, lost, revoke). */
#include "dc-card.h"
#include "dc-card-dialog.h"
#include "dc-checkin.h"
#include "dc-manager-members.h"
#include "dc-manager-window.h"
#include "dc-member.h"
#include "dc-qr.h"
#include "dc-ui-test.h"
#include "dc-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct {
  gint64     clock;
  char      *tmp_dir;
  DcStore   *store;      /* owned by the window's session */
  DcWindow  *window;
  DcSession *session;
  char      *member;     /* a member with card 1 */
  char      *card;       /* its payload */
} Fixture;

static GtkWidget *
child (gpointer root, const char *id)
{
  GtkWidget *widget = dc_ui_test_find_by_name (GTK_WIDGET (root), id);

  g_assert_nonnull (widget);
  return widget;
}

/* Run @argv; its standard output (it must exit 0). */
static char *
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: %s", argv[0], err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* What zbarimg reads in the image at @png (one code, trailing newline removed). */
static char *
scan_png (const char *png)
{
  const char *argv[] = { "zbarimg", "--raw", "-q", png, NULL };

  return g_strchomp (run_tool (argv));
}

/* ---- the QR painter alone ---- */

static void
test_qr_paint (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("daicho-qr-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "qr.png", NULL);
  g_autofree char *decoded = NULL;
  g_autofree char *huge = g_strnfill (8000, 'x');
  const char *text = "DC1:TOKYO:ABCDEFGH:JKMNPQRS:10000017:1:0123456789ABCDEF";
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 400);
  cairo_t *cr = cairo_create (surface);
  int n = dc_qr_modules (text);
  double side;

  g_assert_no_error (error);
  /* the code itself and its quiet zone of four modules on each side */
  g_assert_cmpint (n, >=, 21 + 2 * DC_QR_QUIET_MODULES);
  g_assert_cmpint ((n - 2 * DC_QR_QUIET_MODULES - 17) % 4, ==, 0);
  cairo_set_source_rgb (cr, 0.2, 0.3, 0.8);   /* a dark theme behind: the code brings its own white */
  cairo_paint (cr);
  side = dc_qr_paint (cr, text, 10, 10, 380, TRUE);
  /* snapped: whole units per module, never more than asked */
  g_assert_cmpfloat (side, <=, 380);
  g_assert_cmpfloat (side, ==, (double) ((380 / n) * n));
  /* nothing is drawn for text no QR code can hold */
  g_assert_cmpint (dc_qr_modules (huge), ==, 0);
  g_assert_cmpfloat (dc_qr_paint (cr, huge, 0, 0, 380, TRUE), ==, 0);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  decoded = scan_png (png);
  g_assert_cmpstr (decoded, ==, text);
  dc_ui_test_remove_tree (dir);
}

/* ---- fixture: a store, the counter signed in, one member ---- */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->store = dc_ui_test_store (4, &f->clock);
  f->tmp_dir = g_path_get_dirname (dc_store_dir (f->store));
  f->window = dc_ui_test_counter_window (f->store, &f->session);
  f->member = dc_ui_test_register_member (f->store, dc_session_get_actor (f->session), "山田 太郎", 1990, "PC-01",
                                          &f->card);
  dc_session_changed (f->session);
  dc_ui_test_pump (50);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  dc_ui_test_close_windows ();
  dc_ui_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
  g_free (f->member);
  g_free (f->card);
}

/* The newest visible window of @type, or NULL. */
static GtkWindow *
top_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        found = w;
    }
  return found;
}

static DcCardCheck
check (Fixture *f, const char *payload)
{
  g_autoptr(GError) error = NULL;
  DcCardCheck result = dc_card_check (f->store, dc_actor_vault (dc_session_get_actor (f->session)), payload, NULL,
                                      &error);

  g_assert_true ((result == DC_CARD_VALID) == (error == NULL));
  return result;
}

/* ---- the card dialog, at the counter's tier ---- */

/* Pump until @widget has a size (slow under valgrind). */
static void
wait_allocated (GtkWidget *widget)
{
  for (int i = 0; i < 200 && gtk_widget_get_width (widget) == 0; i++)
    dc_ui_test_pump (25);
}

/* The dialog's QR code, as a screen shows it, scans to the card's payload; printing it
 * gives a card whose QR code scans to the same. */
static void
test_dialog (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *pdf = g_build_filename (f->tmp_dir, "card-print.pdf", NULL);
  g_autofree char *prefix = g_build_filename (f->tmp_dir, "card-print", NULL);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  g_autofree char *number = dc_card_format_number (f->member);
  g_autofree char *words = NULL;
  g_autofree char *typed = NULL;
  DcCardDialog *dialog;

  /* no manager stepped up: the counter clerk shows and prints cards */
  g_assert_null (dc_session_get_manager (f->session));
  g_assert_cmpuint (strlen (f->member), ==, 8);
  g_assert_cmpint (number[4], ==, '-');
  /* typed the way people type it: full-width digits and a hyphen */
  typed = g_strdup_printf ("%.4s－%s", f->member, f->member + 4);
  dialog = dc_card_dialog_new (GTK_WINDOW (f->window), f->session, typed);
  gtk_window_present (GTK_WINDOW (dialog));
  dc_ui_test_pump (100);
  g_assert_cmpstr (dc_card_dialog_get_payload (dialog), ==, f->card);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (dialog, "number_label"))), ==, number);
  g_assert_true (gtk_widget_get_visible (child (dialog, "qr")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "error_label")));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "print_button")));
  /* large enough to scan from a screen: at least 6 pixels a module */
  wait_allocated (child (dialog, "qr"));
  g_assert_cmpint (gtk_widget_get_width (child (dialog, "qr")), >=, 6 * dc_qr_modules (f->card));
  shot = dc_ui_test_screenshot (GTK_WIDGET (dialog), "card-dialog");
  decoded = scan_png (shot);
  g_assert_cmpstr (decoded, ==, f->card);
  g_assert_cmpint (check (f, decoded), ==, DC_CARD_VALID);

  /* printed through the print operation's export path: one page, the card's QR code */
  g_assert_true (dc_card_dialog_print_to (dialog, pdf, &error));
  g_assert_no_error (error);
  {
    const char *render[] = { "pdftoppm", "-png", "-r", "300", "-singlefile", pdf, prefix, NULL };
    const char *text[] = { "pdftotext", pdf, "-", NULL };

    g_free (run_tool (render));
    g_clear_pointer (&decoded, g_free);
    decoded = scan_png (png);
    g_assert_cmpstr (decoded, ==, f->card);
    words = run_tool (text);
    g_assert_nonnull (strstr (words, number));
    g_assert_nonnull (strstr (words, dc_store_name (f->store)));
  }

  /* locking the counter takes the card off the screen */
  dc_session_lock (f->session);
  dc_ui_test_pump (50);
  g_assert_null (top_window (DC_TYPE_CARD_DIALOG));
}

/* A mistyped number, an unknown member: said in the dialog, nothing to print. */
static void
test_dialog_refusals (Fixture *f, gconstpointer data)
{
  g_autofree char *wrong = g_strdup (f->member);
  g_autofree char *nobody = dc_member_number_for_id (9999);
  g_autoptr(GError) error = NULL;
  const char *cases[] = { wrong, nobody, "" };

  wrong[7] = wrong[7] == '9' ? '0' : wrong[7] + 1;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DcCardDialog *dialog = dc_card_dialog_new (GTK_WINDOW (f->window), f->session, cases[i]);

      gtk_window_present (GTK_WINDOW (dialog));
      dc_ui_test_pump (20);
      g_assert_null (dc_card_dialog_get_payload (dialog));
      g_assert_true (gtk_widget_get_visible (child (dialog, "error_label")));
      g_assert_false (gtk_widget_get_visible (child (dialog, "qr")));
      g_assert_false (gtk_widget_is_sensitive (child (dialog, "print_button")));
      g_assert_false (dc_card_dialog_print_to (dialog, "/nonexistent/card.pdf", &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
      g_clear_error (&error);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

/* ---- the members page ---- */

static GtkWidget *
open_members_page (Fixture *f, DcManagerWindow **out_window)
{
  g_autoptr(GError) error = NULL;
  DcManagerWindow *manager;

  g_assert_true (dc_session_step_up (f->session, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);
  manager = dc_manager_window_new (GTK_WINDOW (f->window), f->session);
  gtk_window_set_default_size (GTK_WINDOW (manager), 1366, 768);
  dc_manager_window_set_page (manager, "members");
  gtk_window_present (GTK_WINDOW (manager));
  dc_ui_test_pump (200);
  g_assert_cmpstr (dc_manager_window_get_page (manager), ==, "members");
  *out_window = manager;
  return child (manager, "members");
}

static void
type_number (GtkWidget *page, const char *text, gboolean enter)
{
  GtkWidget *row = child (page, "number_row");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  if (enter)
    g_signal_emit_by_name (row, "entry-activated");
  dc_ui_test_pump (20);
}

static void
test_page_errors (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager;
  GtkWidget *page = open_members_page (f, &manager);
  GtkWidget *error_label = child (page, "number_error");
  GtkWidget *group = child (page, "card_group");
  g_autofree char *wrong = g_strdup (f->member);
  g_autofree char *swapped = g_strdup (f->member);
  g_autofree char *nobody = dc_member_number_for_id (9999);
  g_autofree char *shot = NULL;
  g_autofree char *unknown_text = NULL;
  char c;

  wrong[7] = wrong[7] == '9' ? '0' : wrong[7] + 1;
  c = swapped[5], swapped[5] = swapped[6], swapped[6] = c;
  g_assert_cmpstr (swapped, !=, f->member);

  /* a wrong check digit is said as it is typed, before Enter */
  type_number (page, wrong, FALSE);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   g_dgettext ("daicho", "This is not a valid member number: check the digits."));
  g_assert_true (gtk_widget_has_css_class (child (page, "number_row"), "error"));
  type_number (page, wrong, TRUE);
  g_assert_false (gtk_widget_get_visible (group));
  shot = dc_ui_test_screenshot (GTK_WIDGET (manager), "members-typo");
  type_number (page, swapped, TRUE);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_get_visible (group));
  /* still typing: no error yet */
  type_number (page, "1000", FALSE);
  g_assert_false (gtk_widget_get_visible (error_label));
  /* a well-formed number nobody has */
  type_number (page, nobody, TRUE);
  unknown_text = g_strdup_printf (g_dgettext ("daicho", "There is no member %s."), nobody);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, unknown_text);
  g_assert_false (gtk_widget_get_visible (group));
  /* the right one, typed with a hyphen */
  {
    g_autofree char *number = dc_card_format_number (f->member);

    type_number (page, number, TRUE);
  }
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_get_visible (group));
  /* a scanned card stands for its member */
  type_number (page, "", FALSE);
  type_number (page, f->card, TRUE);
  g_assert_true (gtk_widget_get_visible (group));
  g_assert_false (gtk_widget_get_visible (error_label));
}

/* Click the button @label (English) of the confirmation that is open: it answers and closes. */
static void
answer (const char *label)
{
  GtkWindow *confirm = top_window (ADW_TYPE_MESSAGE_DIALOG);
  GtkWidget *button;

  g_assert_nonnull (confirm);
  button = dc_ui_test_find_button (GTK_WIDGET (confirm), g_dgettext ("daicho", label));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  dc_ui_test_pump (50);
  g_assert_null (top_window (ADW_TYPE_MESSAGE_DIALOG));
}

static const char *
state_text (GtkWidget *page)
{
  return gtk_label_get_text (GTK_LABEL (child (page, "state_label")));
}

/* How many audit entries of @action the store has, read as an outside reader would. */
static gint64
audited (Fixture *f, const char *action)
{
  g_autofree char *path = g_build_filename (dc_store_dir (f->store), DC_STORE_DB_NAME, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM audit WHERE action = ?", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gboolean
enabled (GtkWidget *page, const char *button)
{
  return gtk_widget_is_sensitive (child (page, button));
}

static void
test_page_changes (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager;
  GtkWidget *page = open_members_page (f, &manager);
  g_autofree char *shot = NULL;
  g_autofree char *card2 = NULL;
  g_autofree char *card3 = NULL;
  g_autofree char *decoded = NULL;
  GtkWindow *dialog;

  type_number (page, f->member, TRUE);
  g_assert_cmpstr (state_text (page), ==, g_dgettext ("daicho", "Valid"));
  g_assert_true (enabled (page, "show_button") && enabled (page, "lost_button") && enabled (page, "revoke_button"));
  shot = dc_ui_test_screenshot (GTK_WIDGET (manager), "members-valid");
  g_clear_pointer (&shot, g_free);

  /* cancelled: nothing changes */
  gtk_widget_activate_action (page, "members.reissue", NULL);
  dc_ui_test_pump (50);
  shot = dc_ui_test_screenshot (GTK_WIDGET (top_window (ADW_TYPE_MESSAGE_DIALOG)), "members-confirm-reissue");
  g_clear_pointer (&shot, g_free);
  answer ("Cancel");
  g_assert_cmpint (check (f, f->card), ==, DC_CARD_VALID);
  g_assert_null (top_window (DC_TYPE_CARD_DIALOG));

  /* reissue: the old card is refused, the new one shown to print */
  gtk_widget_activate_action (page, "members.reissue", NULL);
  dc_ui_test_pump (50);
  answer ("Reissue");
  g_assert_cmpint (check (f, f->card), ==, DC_CARD_REPLACED);
  dialog = top_window (DC_TYPE_CARD_DIALOG);
  g_assert_nonnull (dialog);
  card2 = g_strdup (dc_card_dialog_get_payload (DC_CARD_DIALOG (dialog)));
  g_assert_nonnull (card2);
  g_assert_cmpstr (card2, !=, f->card);
  g_assert_cmpint (check (f, card2), ==, DC_CARD_VALID);
  shot = dc_ui_test_screenshot (GTK_WIDGET (dialog), "members-reissued-dialog");
  decoded = scan_png (shot);
  g_assert_cmpstr (decoded, ==, card2);
  g_clear_pointer (&shot, g_free);
  gtk_window_destroy (dialog);
  dc_ui_test_pump (20);
  g_assert_nonnull (dc_ui_test_find_label (page, "2"));

  /* lost: the new card stops working; the page says so and offers only a reissue */
  gtk_widget_activate_action (page, "members.lost", NULL);
  dc_ui_test_pump (50);
  answer ("Report Lost");
  g_assert_cmpint (check (f, card2), ==, DC_CARD_LOST);
  g_assert_cmpstr (state_text (page), ==, g_dgettext ("daicho", "Lost"));
  g_assert_false (enabled (page, "show_button") || enabled (page, "lost_button") || enabled (page, "revoke_button"));
  g_assert_true (enabled (page, "reissue_button"));
  shot = dc_ui_test_screenshot (GTK_WIDGET (manager), "members-lost");
  g_clear_pointer (&shot, g_free);
  /* the counter cannot show an ended card either */
  dialog = GTK_WINDOW (dc_card_dialog_new (GTK_WINDOW (f->window), f->session, f->member));
  gtk_window_present (dialog);
  dc_ui_test_pump (20);
  g_assert_null (dc_card_dialog_get_payload (DC_CARD_DIALOG (dialog)));
  g_assert_true (gtk_widget_get_visible (child (dialog, "error_label")));
  gtk_window_destroy (dialog);

  /* reissued after the loss, then revoked */
  gtk_widget_activate_action (page, "members.reissue", NULL);
  dc_ui_test_pump (50);
  answer ("Reissue");
  dialog = top_window (DC_TYPE_CARD_DIALOG);
  g_assert_nonnull (dialog);
  card3 = g_strdup (dc_card_dialog_get_payload (DC_CARD_DIALOG (dialog)));
  gtk_window_destroy (dialog);
  g_assert_cmpint (check (f, card3), ==, DC_CARD_VALID);
  g_assert_cmpint (check (f, card2), ==, DC_CARD_LOST);
  g_assert_cmpstr (state_text (page), ==, g_dgettext ("daicho", "Valid"));
  g_assert_true (enabled (page, "revoke_button"));
  g_assert_null (top_window (ADW_TYPE_MESSAGE_DIALOG));
  gtk_widget_activate_action (page, "members.revoke", NULL);
  dc_ui_test_pump (50);
  answer ("Revoke");
  g_assert_cmpint (check (f, card3), ==, DC_CARD_REVOKED);
  g_assert_cmpstr (state_text (page), ==, g_dgettext ("daicho", "Revoked"));
  g_assert_false (enabled (page, "revoke_button"));
  shot = dc_ui_test_screenshot (GTK_WIDGET (manager), "members-revoked");
  /* each change audited by the core: a reissue ends the valid card and issues the next
   * (two entries), the reissue after the loss only issues */
  g_assert_cmpint (audited (f, "card-issue"), ==, 1);
  g_assert_cmpint (audited (f, "card-reissue"), ==, 3);
  g_assert_cmpint (audited (f, "card-lost"), ==, 1);
  g_assert_cmpint (audited (f, "card-revoke"), ==, 1);
}

/* An auditor sees the card's state and can change or print nothing. */
static void
test_page_auditor (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) boss = dc_store_sign_in_passphrase (f->store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  DcManagerWindow *manager;
  GtkWidget *page;
  const char *buttons[] = { "show_button", "reissue_button", "lost_button", "revoke_button" };

  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (f->store, boss, "監査 鈴木", "auditor", "5555", "auditor passphrase 2026", NULL,
                                     &error));
  g_assert_no_error (error);
  g_assert_true (dc_session_step_up (f->session, "監査 鈴木", "auditor passphrase 2026", &error));
  g_assert_no_error (error);
  manager = dc_manager_window_new (GTK_WINDOW (f->window), f->session);
  gtk_window_set_default_size (GTK_WINDOW (manager), 1366, 768);
  dc_manager_window_set_page (manager, "members");
  gtk_window_present (GTK_WINDOW (manager));
  dc_ui_test_pump (100);
  page = child (manager, "members");
  type_number (page, f->member, TRUE);
  g_assert_true (gtk_widget_get_visible (child (page, "card_group")));
  g_assert_cmpstr (state_text (page), ==, g_dgettext ("daicho", "Valid"));
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    g_assert_false (enabled (page, buttons[i]));
  gtk_widget_activate_action (page, "members.revoke", NULL);
  dc_ui_test_pump (20);
  g_assert_null (top_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpint (check (f, f->card), ==, DC_CARD_VALID);
}

int
main (int argc, char **argv)
{
  dc_ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/card/qr/paint", test_qr_paint);
#define ADD(path, fn) g_test_add ("/ui/card/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("dialog/scan-and-print", test_dialog);
  ADD ("dialog/refusals", test_dialog_refusals);
  ADD ("members/typos-and-unknown", test_page_errors);
  ADD ("members/reissue-lost-revoke", test_page_changes);
  ADD ("members/auditor", test_page_auditor);
#undef ADD
  return g_test_run ();
}
