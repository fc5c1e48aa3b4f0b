/* tests/test-ui-filing.c — the manager's filings page: the reminder banner, marking notifications filed (one, then all), the self-inspection, an overdue notification, the printed summary. */
#include "dc-filing.h"
#include "dc-manager-filings.h"
#include "dc-manager-window.h"
#include "dc-ui-test.h"
#include "dc-window.h"

#include <glib/gstdio.h>

typedef struct {
  gint64     clock;
  char      *tmp_dir;
  DcStore   *store;      /* owned by the window's session */
  DcWindow  *window;
  DcSession *session;
} Fixture;

static GtkWidget *
child (gpointer root, const char *id)
{
  GtkWidget *widget = dc_ui_test_find_by_name (GTK_WIDGET (root), id);

  g_assert_nonnull (widget);
  return widget;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->store = dc_ui_test_store (4, &f->clock);
  f->tmp_dir = g_path_get_dirname (dc_store_dir (f->store));
  f->window = dc_ui_test_counter_window (f->store, &f->session);
  dc_ui_test_pump (50);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  dc_ui_test_pump (50);
  dc_ui_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
}

static guint
pending (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) filings = dc_filing_list (f->store, TRUE, &error);

  g_assert_no_error (error);
  return filings->len;
}

static guint
rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
needs_attention (DcManagerWindow *manager, GtkWidget *page)
{
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (page, ADW_TYPE_VIEW_STACK));

  return adw_view_stack_page_get_needs_attention (adw_view_stack_get_page (stack, page));
}

static void
test_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *pdf = g_build_filename (f->tmp_dir, "filings.pdf", NULL);
  DcManagerWindow *manager;
  GtkWidget *page, *banner, *list, *note, *filed_error;
  GtkWidget *cctv;
  gint64 first_id;
  DcSelfCheck check = { 0 };
  gboolean found = FALSE;
  GStatBuf st;

  /* adopting Daicho (at the real time the store was made) and four terminals (on 2026-11-21) */
  g_assert_cmpuint (pending (f), ==, 5);
  g_assert_true (dc_session_step_up (f->session, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);
  manager = dc_manager_window_new (GTK_WINDOW (f->window), f->session);
  gtk_window_set_default_size (GTK_WINDOW (manager), 1366, 768);
  dc_manager_window_set_page (manager, "filings");
  gtk_window_present (GTK_WINDOW (manager));
  dc_ui_test_pump (200);

  page = child (manager, "filings");
  banner = child (page, "banner");
  list = child (page, "list");
  note = child (page, "note_row");
  filed_error = child (page, "filed_error");
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_nonnull (dc_ui_test_find_label (banner, "2026-12-01"));
  g_assert_true (needs_attention (manager, page));
  g_assert_cmpuint (rows (list), ==, 5);
  g_assert_nonnull (dc_ui_test_find_label (list, "PC-03"));
  shot = dc_ui_test_screenshot (GTK_WIDGET (manager), "filings-pending");
  g_clear_pointer (&shot, g_free);

  /* the store's notification on file: empty at first, saved through the row's apply button */
  {
    GtkWidget *row = child (page, "notification_row");
    g_autofree char *on_file = NULL;

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
    gtk_editable_set_text (GTK_EDITABLE (row), "  新宿警察署 2026-11-01 届出 受理番号 第4567号 ");
    g_signal_emit_by_name (row, "apply");
    dc_ui_test_pump (50);
    g_assert_true (dc_filing_get_notification (f->store, &on_file, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (on_file, ==, "新宿警察署 2026-11-01 届出 受理番号 第4567号");
    dc_session_changed (f->session);
    dc_ui_test_pump (50);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, on_file);
  }

  /* no note: refused beside the field, nothing marked */
  {
    g_autoptr(GArray) filings = dc_filing_list (f->store, TRUE, &error);

    first_id = g_array_index (filings, DcFiling, 0).id;
  }
  gtk_widget_activate_action (page, "filings.filed", "x", first_id);
  dc_ui_test_pump (50);
  g_assert_true (gtk_widget_get_visible (filed_error));
  g_assert_cmpuint (pending (f), ==, 5);

  gtk_editable_set_text (GTK_EDITABLE (note), "新宿警察署 生活安全課に提出（受理番号 123）");
  g_assert_false (gtk_widget_get_visible (filed_error));
  gtk_widget_activate_action (page, "filings.filed", "x", first_id);
  dc_ui_test_pump (50);
  g_assert_cmpuint (pending (f), ==, 4);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (note)), ==, "");

  gtk_editable_set_text (GTK_EDITABLE (note), "まとめて提出");
  gtk_widget_activate_action (page, "filings.file-all", NULL);
  dc_ui_test_pump (50);
  g_assert_cmpuint (pending (f), ==, 0);
  g_assert_cmpuint (rows (list), ==, 5);
  g_assert_false (gtk_widget_get_sensitive (child (page, "file_all_button")));
  /* the self-inspection is still owed */
  g_assert_true (gtk_widget_get_visible (banner));

  /* the self-inspection: every switch on but the cameras */
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    gtk_switch_set_active (GTK_SWITCH (child (page, dc_check_item_id (i))), TRUE);
  cctv = child (page, "cctv");
  gtk_switch_set_active (GTK_SWITCH (cctv), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (child (page, "check_note_row")), "3番カメラ故障、修理手配済み");
  gtk_widget_activate_action (page, "filings.check", NULL);
  dc_ui_test_pump (50);
  g_assert_true (dc_self_check_latest (f->store, &check, &found, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpstr (check.by, ==, DC_UI_TEST_MANAGER);
  g_assert_false (check.items[DC_CHECK_CCTV].ok);
  g_assert_true (check.items[DC_CHECK_MINOR_FILTERING].ok);
  g_assert_cmpstr (check.note, ==, "3番カメラ故障、修理手配済み");
  g_assert_cmpuint (dc_self_check_failures (&check), ==, 1);
  dc_self_check_clear (&check);
  g_assert_false (gtk_widget_get_visible (banner));
  g_assert_false (needs_attention (manager, page));
  shot = dc_ui_test_screenshot (GTK_WIDGET (manager), "filings-done");
  g_clear_pointer (&shot, g_free);

  /* a terminal added elsewhere, and eleven days later nobody filed it */
  {
    DcActor *boss = dc_session_get_manager (f->session);

    g_assert_nonnull (boss);
    g_assert_true (dc_store_add_terminal (f->store, boss, "PC-05", "B05", TRUE, NULL, &error));
    g_assert_no_error (error);
  }
  f->clock = dc_ui_test_tokyo (2026, 12, 2, 10, 0);
  dc_session_step_up (f->session, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  dc_session_changed (f->session);
  dc_ui_test_pump (50);
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_true (gtk_widget_has_css_class (banner, "overdue"));
  g_assert_nonnull (dc_ui_test_find_label (banner, "2026-12-01"));
  g_assert_cmpuint (rows (list), ==, 6);
  shot = dc_ui_test_screenshot (GTK_WIDGET (manager), "filings-overdue");
  g_clear_pointer (&shot, g_free);

  g_assert_true (dc_manager_filings_print_to (DC_MANAGER_FILINGS (page), pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 1000);

  gtk_window_destroy (GTK_WINDOW (manager));
  dc_ui_test_pump (50);
}

/* An auditor sees the page but cannot mark anything filed. */
static void
test_auditor (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) boss = dc_store_sign_in_passphrase (f->store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  DcManagerWindow *manager;
  GtkWidget *page;

  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (f->store, boss, "監査 鈴木", "auditor", "4444", "auditor passphrase 2026", NULL,
                                     &error));
  g_assert_no_error (error);
  g_assert_true (dc_session_step_up (f->session, "監査 鈴木", "auditor passphrase 2026", &error));
  g_assert_no_error (error);
  manager = dc_manager_window_new (GTK_WINDOW (f->window), f->session);
  dc_manager_window_set_page (manager, "filings");
  gtk_window_present (GTK_WINDOW (manager));
  dc_ui_test_pump (100);
  page = child (manager, "filings");
  g_assert_false (gtk_widget_get_sensitive (child (page, "file_all_button")));
  g_assert_false (gtk_widget_get_sensitive (child (page, "check_button")));
  gtk_widget_activate_action (page, "filings.file-all", NULL);
  dc_ui_test_pump (50);
  g_assert_cmpuint (pending (f), ==, 5);
  gtk_window_destroy (GTK_WINDOW (manager));
  dc_ui_test_pump (50);
}

int
main (int argc, char **argv)
{
  dc_ui_test_init (&argc, &argv);
  g_test_add ("/ui/filing/page", Fixture, NULL, fixture_setup, test_page, fixture_teardown);
  g_test_add ("/ui/filing/auditor", Fixture, NULL, fixture_setup, test_auditor, fixture_teardown);
  return g_test_run ();
}
