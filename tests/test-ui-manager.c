/* tests/test-ui-manager.c — the manager window behind a step-up: records shown and corrected, staff, terminals, the audit check, lock and expiry, the demo store in the background. */
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-manager-correct.h"
#include "dc-manager-window.h"
#include "dc-records.h"
#include "dc-step-up-dialog.h"
#include "dc-ui-test.h"
#include "dc-welcome-page.h"
#include "dc-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define AUDITOR            "監査 鈴木"
#define AUDITOR_PASSPHRASE "auditor passphrase 2026"

typedef struct {
  gint64           clock;
  char            *tmp_dir;    /* holds the store; removed at the end */
  DcStore         *store;      /* owned by the window's session */
  DcWindow        *window;
  DcSession       *session;
  DcCheckinResult  taro;       /* on PC-01 */
} Fixture;

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

static GtkWindow *
find_window (GType type)
{
  GList *windows = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = windows; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      found = l->data;
  g_list_free (windows);
  return found;
}

static gboolean
no_step_up_dialog (gpointer data)
{
  return find_window (DC_TYPE_STEP_UP_DIALOG) == NULL;
}

static gboolean
widget_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static GtkWidget *
child (gpointer root, const char *id)
{
  GtkWidget *widget = dc_ui_test_find_by_name (GTK_WIDGET (root), id);

  g_assert_nonnull (widget);
  return widget;
}

static void
collect_buttons (GtkWidget *root, const char *action, GPtrArray *out)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_buttons (c, action, out);
}

/* The n-th button (from 0) under @root bound to @action, or NULL. */
static GtkWidget *
action_button (GtkWidget *root, const char *action, guint n)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  collect_buttons (root, action, all);
  return n < all->len ? g_ptr_array_index (all, n) : NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gint64
count (Fixture *f, const char *sql)
{
  gint64 n = 0;
  gboolean found = FALSE;
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_db_int (dc_store_db (f->store), &n, &found, &error, sql, ""));
  g_assert_no_error (error);
  return n;
}

static void
assert_intact (DcStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVerifyReport) report = dc_audit_verify (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("verify: %s", (const char *) g_ptr_array_index (report->problems, i));
  g_assert_cmpuint (report->problems->len, ==, 0);
}

/* ---- the fixture: a window, the clerk at the counter, one customer in ---- */

static void
fixture_open (Fixture *f, DcStore *store)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest request = { .terminal = "PC-01", .internet = TRUE };

  f->store = store;
  f->window = dc_window_new (NULL, "/nonexistent", store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  f->session = dc_window_get_session (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (dc_session_sign_in (f->session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  g_assert_no_error (error);
  dc_ui_test_pump (50);
  if (f->taro.visit_id != 0)
    return;
  dc_identity_init (&request.identity);
  request.identity.doc_type = "drivers_license";
  request.identity.doc_number = "301234567890";
  g_date_set_dmy (&request.identity.doc_expiry, 31, 12, 2030);
  request.identity.name = "山田 太郎";
  request.identity.kana = "ヤマダ タロウ";
  g_date_set_dmy (&request.identity.dob, 5, 5, 1990);
  request.identity.address = "東京都新宿区西新宿2-8-1";
  g_assert_true (dc_checkin (store, dc_session_get_actor (f->session), &request, &f->taro, &error));
  g_assert_no_error (error);
  dc_session_changed (f->session);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  DcStore *store = dc_ui_test_store (8, &f->clock);

  f->tmp_dir = g_path_get_dirname (dc_store_dir (store));
  fixture_open (f, store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  dc_ui_test_pump (20);
  g_assert_null (find_window (DC_TYPE_MANAGER_WINDOW));
  dc_checkin_result_clear (&f->taro);
  dc_ui_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
}

/* Answer the step-up dialog that is showing. */
static void
step_up (const char *who, const char *passphrase, gboolean expect_ok)
{
  GtkWindow *dialog = find_window (DC_TYPE_STEP_UP_DIALOG);
  AdwComboRow *names;
  GtkWidget *error_label;

  g_assert_nonnull (dialog);
  names = ADW_COMBO_ROW (child (dialog, "staff_row"));
  for (guint i = 0; who != NULL && i < g_list_model_get_n_items (adw_combo_row_get_model (names)); i++)
    if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (names)), i), who))
      adw_combo_row_set_selected (names, i);
  error_label = child (dialog, "error_label");
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "passphrase_row")), passphrase);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "stepup.confirm", NULL));
  if (expect_ok)
    g_assert_true (wait_for (no_step_up_dialog, NULL, 10000));
  else
    g_assert_true (wait_for (widget_visible, error_label, 10000));
}

static DcManagerWindow *
open_manager (Fixture *f, const char *who, const char *passphrase)
{
  DcManagerWindow *manager;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.manager", NULL));
  dc_ui_test_pump (20);
  step_up (who, passphrase, TRUE);
  dc_ui_test_pump (50);
  manager = DC_MANAGER_WINDOW (find_window (DC_TYPE_MANAGER_WINDOW));
  g_assert_nonnull (manager);
  /* the same window again, as on a 1366×768 screen for the screenshots (a mapped window
   * does not grow past Xvfb's screen) */
  gtk_window_destroy (GTK_WINDOW (manager));
  manager = dc_manager_window_new (GTK_WINDOW (f->window), f->session);
  gtk_window_set_default_size (GTK_WINDOW (manager), 1366, 768);
  gtk_window_present (GTK_WINDOW (manager));
  dc_ui_test_pump (50);
  return manager;
}

static void
screenshot (gpointer window, const char *name)
{
  dc_ui_test_pump (100);
  g_free (dc_ui_test_screenshot (GTK_WIDGET (window), name));
}

/* ---- step-up ---- */

static void
test_step_up (Fixture *f, gconstpointer data)
{
  GtkWindow *dialog;
  AdwComboRow *names;
  GtkWidget *error_label;

  /* a clerk at the counter gets the passphrase dialog, not the pages */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.manager", NULL));
  dc_ui_test_pump (50);
  dialog = find_window (DC_TYPE_STEP_UP_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_null (find_window (DC_TYPE_MANAGER_WINDOW));
  g_assert_true (gtk_window_get_modal (dialog));
  /* managers and auditors only: the clerk is not in the list */
  names = ADW_COMBO_ROW (child (dialog, "staff_row"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (names)), ==, 1);
  g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (names)), 0),
                                   DC_UI_TEST_MANAGER));
  g_free (dc_ui_test_screenshot (GTK_WIDGET (dialog), "step-up"));

  step_up (NULL, "wrong passphrase", FALSE);
  error_label = child (dialog, "error_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "passphrase_row"))), ==, "");
  g_assert_null (dc_session_get_manager (f->session));
  g_assert_null (find_window (DC_TYPE_MANAGER_WINDOW));
  g_free (dc_ui_test_screenshot (GTK_WIDGET (dialog), "step-up-wrong"));

  step_up (NULL, DC_UI_TEST_PASSPHRASE, TRUE);
  dc_ui_test_pump (50);
  g_assert_nonnull (dc_session_get_manager (f->session));
  g_assert_nonnull (find_window (DC_TYPE_MANAGER_WINDOW));
  g_assert_cmpstr (dc_manager_window_get_page (DC_MANAGER_WINDOW (find_window (DC_TYPE_MANAGER_WINDOW))), ==,
                   "records");

  /* while the step-up lasts, the window opens again without asking */
  gtk_window_destroy (find_window (DC_TYPE_MANAGER_WINDOW));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.manager", NULL));
  dc_ui_test_pump (20);
  g_assert_null (find_window (DC_TYPE_STEP_UP_DIALOG));
  g_assert_nonnull (find_window (DC_TYPE_MANAGER_WINDOW));
}

/* ---- records ---- */

static GtkWidget *
show_visit (Fixture *f, DcManagerWindow *manager)
{
  GtkWidget *records = child (manager, "records");
  GtkEditable *search = GTK_EDITABLE (child (records, "search_entry"));
  GtkListBox *visits = GTK_LIST_BOX (child (records, "visit_list"));

  gtk_editable_set_text (search, f->taro.member_number);
  g_signal_emit_by_name (search, "activate");
  dc_ui_test_pump (50);
  /* one visit found: chosen at once */
  g_assert_nonnull (gtk_list_box_get_row_at_index (visits, 0));
  g_assert_null (gtk_list_box_get_row_at_index (visits, 1));
  g_assert_nonnull (gtk_list_box_get_selected_row (visits));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (records, "detail_stack"))), ==, "detail");
  return records;
}

static void
test_view_identity (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *records = show_visit (f, manager);
  GtkWidget *identity = child (records, "identity_box");
  gint64 reads = count (f, "SELECT count (*) FROM audit WHERE action = 'read'");
  const char *const shown[] = { "山田 太郎", "ヤマダ タロウ", "東京都新宿区西新宿2-8-1", "301234567890", "1990-05-05" };

  g_assert_false (gtk_widget_get_visible (identity));
  g_assert_nonnull (dc_ui_test_find_label (records, f->taro.member_number));
  screenshot (manager, "manager-records");

  click (action_button (records, "records.show", 0));
  dc_ui_test_pump (50);
  g_assert_true (gtk_widget_get_visible (identity));
  for (gsize i = 0; i < G_N_ELEMENTS (shown); i++)
    g_assert_nonnull (dc_ui_test_find_label (identity, shown[i]));
  g_assert_true (gtk_widget_get_visible (child (records, "audit_note")));
  /* the view is in the audit chain, as a read of that verification */
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit WHERE action = 'read'"), ==, reads + 1);
  g_assert_cmpint (count (f, "SELECT subject_id FROM audit WHERE action = 'read' ORDER BY id DESC LIMIT 1"), ==,
                   f->taro.verification_id);
  screenshot (manager, "manager-identity");

  g_assert_true (gtk_widget_activate_action (records, "records.hide", NULL));
  g_assert_false (gtk_widget_get_visible (identity));
  g_assert_null (dc_ui_test_find_label (identity, "山田 太郎"));
}

static void
test_correct (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *records = show_visit (f, manager);
  gint64 versions = count (f, "SELECT count (*) FROM verifications");
  GtkWindow *form;
  GtkWidget *versions_list;

  click (action_button (records, "records.correct", 0));
  dc_ui_test_pump (50);
  form = find_window (DC_TYPE_MANAGER_CORRECT);
  g_assert_nonnull (form);
  /* filled in from the record */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (form, "name_row"))), ==, "山田 太郎");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (form, "dob_row"))), ==, "1990-05-05");

  /* the rules of check-in hold, and a reason is required */
  gtk_editable_set_text (GTK_EDITABLE (child (form, "dob_row")), "平成31年5月1日");
  g_assert_true (gtk_widget_get_visible (child (form, "dob_note")));
  gtk_editable_set_text (GTK_EDITABLE (child (form, "dob_row")), "1990-05-05");
  g_assert_false (gtk_widget_get_visible (child (form, "dob_note")));
  gtk_editable_set_text (GTK_EDITABLE (child (form, "name_row")), "山田 太朗");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "correct.save", NULL));
  dc_ui_test_pump (20);
  g_assert_true (gtk_widget_get_visible (child (form, "reason_note")));
  g_assert_cmpint (count (f, "SELECT count (*) FROM verifications"), ==, versions);

  gtk_editable_set_text (GTK_EDITABLE (child (form, "reason_row")), "氏名の漢字の誤記（郎→朗）");
  g_assert_false (gtk_widget_get_visible (child (form, "reason_note")));
  screenshot (form, "manager-correct");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "correct.save", NULL));
  dc_ui_test_pump (50);
  g_assert_null (find_window (DC_TYPE_MANAGER_CORRECT));

  /* a new version supersedes the old one, which stays */
  g_assert_cmpint (count (f, "SELECT count (*) FROM verifications"), ==, versions + 1);
  g_assert_cmpint (count (f, "SELECT supersedes FROM verifications ORDER BY id DESC LIMIT 1"), ==,
                   f->taro.verification_id);
  versions_list = child (records, "versions_list");
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (versions_list), 1));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (versions_list), 1)),
                                           "manager-superseded"));
  g_assert_nonnull (dc_ui_test_find_label (versions_list, "氏名の漢字の誤記"));

  /* the new version holds the corrected name */
  click (action_button (versions_list, "records.show", 0));
  dc_ui_test_pump (50);
  g_assert_nonnull (dc_ui_test_find_label (child (records, "identity_box"), "山田 太朗"));
  screenshot (manager, "manager-corrected");
  assert_intact (f->store);
}

/* The window as it opens (1280×700, inside a 1366×768 screen) in the dark style: nothing
 * clipped, all legible. */
static void
test_default_size_dark (Fixture *f, gconstpointer data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWindow *manager;
  GtkWidget *records;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.manager", NULL));
  dc_ui_test_pump (20);
  step_up (NULL, DC_UI_TEST_PASSPHRASE, TRUE);
  manager = find_window (DC_TYPE_MANAGER_WINDOW);
  records = show_visit (f, DC_MANAGER_WINDOW (manager));
  click (action_button (records, "records.show", 0));
  screenshot (manager, "manager-1280-dark");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (manager)), <=, 1280);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* ---- staff and terminals ---- */

static GArray *
staff (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GArray *list = dc_records_staff (f->store, &error);

  g_assert_no_error (error);
  return list;
}

static DcStaffState
state_of (Fixture *f, const char *name)
{
  g_autoptr(GArray) list = staff (f);

  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_array_index (list, DcStaffRecord, i).name, name))
      return g_array_index (list, DcStaffRecord, i).state;
  g_assert_not_reached ();
}

static void
test_staff (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *page = child (manager, "staff");
  g_autoptr(GArray) before = staff (f);
  g_autoptr(GArray) after = NULL;

  dc_manager_window_set_page (manager, "staff");
  gtk_editable_set_text (GTK_EDITABLE (child (page, "name_row")), "受付 田中");
  gtk_editable_set_text (GTK_EDITABLE (child (page, "pin_row")), "12");
  g_assert_true (gtk_widget_activate_action (page, "staff.add", NULL));
  /* a PIN that is too short is refused inline */
  g_assert_true (gtk_widget_get_visible (child (page, "add_error")));
  gtk_editable_set_text (GTK_EDITABLE (child (page, "pin_row")), "2468");
  g_assert_true (gtk_widget_activate_action (page, "staff.add", NULL));
  dc_ui_test_pump (20);
  after = staff (f);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  g_assert_cmpint (state_of (f, "受付 田中"), ==, DC_STAFF_ON_DUTY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "name_row"))), ==, "");

  /* five wrong PINs lock the clerk; the manager unlocks them */
  for (guint i = 0; i < DC_PIN_ATTEMPTS; i++)
    g_assert_null (dc_store_sign_in_pin (f->store, DC_UI_TEST_CLERK, "9999", NULL));
  dc_session_changed (f->session);
  g_assert_cmpint (state_of (f, DC_UI_TEST_CLERK), ==, DC_STAFF_LOCKED);
  screenshot (manager, "manager-staff");
  click (action_button (page, "staff.unlock", 0));
  dc_ui_test_pump (20);
  g_assert_cmpint (state_of (f, DC_UI_TEST_CLERK), ==, DC_STAFF_ON_DUTY);
  g_assert_null (action_button (page, "staff.unlock", 0));

  /* off duty and back */
  g_assert_true (gtk_widget_activate_action (page, "staff.off-duty", "s", "受付 田中"));
  g_assert_cmpint (state_of (f, "受付 田中"), ==, DC_STAFF_OFF_DUTY);
  g_assert_true (gtk_widget_activate_action (page, "staff.on-duty", "s", "受付 田中"));
  g_assert_cmpint (state_of (f, "受付 田中"), ==, DC_STAFF_ON_DUTY);
  assert_intact (f->store);
}

static DcTerminalState
terminal_state (Fixture *f, const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcBoard) board = dc_session_read_board (f->session, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < board->terminals->len; i++)
    if (g_str_equal (g_array_index (board->terminals, DcBoardTerminal, i).label, label))
      return g_array_index (board->terminals, DcBoardTerminal, i).state;
  g_assert_not_reached ();
}

static void
test_terminals (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *page = child (manager, "terminals");

  dc_manager_window_set_page (manager, "terminals");
  g_assert_true (gtk_widget_activate_action (page, "terminals.broken", "s", "PC-02"));
  g_assert_cmpint (terminal_state (f, "PC-02"), ==, DC_TERMINAL_OUT_OF_ORDER);
  /* the one in use stays in service: the customer must be moved first */
  g_assert_true (gtk_widget_activate_action (page, "terminals.broken", "s", "PC-01"));
  g_assert_cmpint (terminal_state (f, "PC-01"), ==, DC_TERMINAL_IN_USE);
  g_assert_nonnull (action_button (page, "terminals.repaired", 0));

  gtk_editable_set_text (GTK_EDITABLE (child (page, "label_row")), "PC-09");
  gtk_editable_set_text (GTK_EDITABLE (child (page, "booth_row")), "B09");
  gtk_switch_set_active (GTK_SWITCH (child (page, "filtered_switch")), TRUE);
  g_assert_true (gtk_widget_activate_action (page, "terminals.add", NULL));
  g_assert_cmpint (terminal_state (f, "PC-09"), ==, DC_TERMINAL_FREE);
  screenshot (manager, "manager-terminals");

  g_assert_true (gtk_widget_activate_action (page, "terminals.repaired", "s", "PC-02"));
  g_assert_cmpint (terminal_state (f, "PC-02"), ==, DC_TERMINAL_FREE);
  assert_intact (f->store);
}

typedef struct {
  gboolean retired, filtered;
} TerminalFlags;

/* Terminal @label as the board has it (retired ones too). */
static TerminalFlags
terminal_info (Fixture *f, const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcBoard) board = dc_session_read_board (f->session, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);

      if (g_str_equal (t->label, label))
        return (TerminalFlags) { t->retired, t->filtered };
    }
  g_assert_not_reached ();
}

/* The row of terminal @label on the page, or NULL when it is not listed. */
static GtkWidget *
terminal_list_row (GtkWidget *page, const char *label)
{
  GtkWidget *list = child (page, "list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), label) == 0)
      return row;
  return NULL;
}

/* Does the row's menu offer @action? */
static gboolean
menu_has (GtkWidget *row, const char *action)
{
  GtkWidget *button = dc_ui_test_find_by_name (row, "row_menu");
  GMenuModel *menu;

  g_assert_nonnull (button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

static AdwMessageDialog *
message_dialog (const char *name)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (find_window (ADW_TYPE_MESSAGE_DIALOG));

  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, name);
  return dialog;
}

static void
respond (AdwMessageDialog *dialog, const char *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  dc_ui_test_pump (50);
}

/* Retire asks first and takes a terminal off the list (a toggle shows it, dimmed); a change
 * of booth records the notification, one of filtering alone does not. */
static void
test_terminals_retire_change (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *page = child (manager, "terminals");
  gint64 filings = count (f, "SELECT count (*) FROM filings");
  AdwMessageDialog *dialog;
  GtkWidget *row;

  dc_manager_window_set_page (manager, "terminals");
  /* no retiring the terminal in use: not in its menu, and the store refuses it anyway */
  g_assert_true (menu_has (terminal_list_row (page, "PC-02"), "terminals.retire"));
  g_assert_true (menu_has (terminal_list_row (page, "PC-02"), "terminals.change"));
  g_assert_false (menu_has (terminal_list_row (page, "PC-01"), "terminals.retire"));
  g_assert_true (menu_has (terminal_list_row (page, "PC-01"), "terminals.change"));
  g_assert_cmpuint (count (f, "SELECT count (*) FROM terminals WHERE active = 0"), ==, 0);

  /* asked first: cancelling changes nothing */
  g_assert_true (gtk_widget_activate_action (page, "terminals.retire", "s", "PC-02"));
  dc_ui_test_pump (50);
  dialog = message_dialog ("retire_dialog");
  g_assert_true (adw_message_dialog_has_response (dialog, "retire"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_free (dc_ui_test_screenshot (GTK_WIDGET (dialog), "manager-terminals-retire-ask"));
  respond (dialog, "cancel");
  g_assert_false (terminal_info (f, "PC-02").retired);

  g_assert_true (gtk_widget_activate_action (page, "terminals.retire", "s", "PC-02"));
  dc_ui_test_pump (50);
  respond (message_dialog ("retire_dialog"), "retire");
  g_assert_true (terminal_info (f, "PC-02").retired);
  g_assert_cmpint (count (f, "SELECT count (*) FROM filings"), ==, filings + 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit WHERE action = 'terminal-retire'"), ==, 1);
  /* hidden; the toggle shows it dimmed, with nothing to do on it */
  g_assert_null (terminal_list_row (page, "PC-02"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (page, "show_retired")), TRUE);
  dc_ui_test_pump (20);
  row = terminal_list_row (page, "PC-02");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "dim-label"));
  g_assert_nonnull (dc_ui_test_find_label (row, g_dgettext ("daicho", "Retired")));
  g_assert_null (dc_ui_test_find_by_name (row, "row_menu"));
  g_assert_null (action_button (row, "terminals.broken", 0));
  screenshot (manager, "manager-terminals-retired");

  /* the one in use: refused, still in service */
  g_assert_true (gtk_widget_activate_action (page, "terminals.retire", "s", "PC-01"));
  dc_ui_test_pump (50);
  respond (message_dialog ("retire_dialog"), "retire");
  g_assert_false (terminal_info (f, "PC-01").retired);

  /* PC-03 into booth B04, PC-04's: one booth fewer, one filing more */
  g_assert_true (gtk_widget_activate_action (page, "terminals.change", "s", "PC-03"));
  dc_ui_test_pump (50);
  dialog = message_dialog ("change_dialog");
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "change_booth")), "B04");
  g_free (dc_ui_test_screenshot (GTK_WIDGET (dialog), "manager-terminals-change"));
  respond (dialog, "save");
  g_assert_cmpint (count (f, "SELECT count (*) FROM terminals WHERE label = 'PC-03' AND booth = 'B04'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM filings"), ==, filings + 2);

  /* filtering alone: audited, no filing */
  g_assert_true (gtk_widget_activate_action (page, "terminals.change", "s", "PC-05"));
  dc_ui_test_pump (50);
  dialog = message_dialog ("change_dialog");
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "change_filtered")), TRUE);
  respond (dialog, "save");
  g_assert_true (terminal_info (f, "PC-05").filtered);
  g_assert_cmpint (count (f, "SELECT count (*) FROM filings"), ==, filings + 2);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit WHERE action = 'terminal-change'"), ==, 2);
  assert_intact (f->store);
}

/* ---- settings ---- */

static void
test_settings (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *page = child (manager, "settings");
  GtkSpinButton *idle = GTK_SPIN_BUTTON (child (page, "idle_spin"));
  GtkSpinButton *keep = GTK_SPIN_BUTTON (child (page, "backup_spin"));

  dc_manager_window_set_page (manager, "settings");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (idle), ==, 5);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (keep), ==, 30);
  /* nothing to save until something changes */
  g_assert_false (gtk_widget_is_sensitive (child (page, "save_button")));
  gtk_spin_button_set_value (idle, 10);
  gtk_spin_button_set_value (keep, 14);
  /* out of range is clamped by the spin button: 0 days is not possible */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (page, "auto_close_spin")), 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (page, "auto_close_spin"))), ==, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (page, "auto_close_spin")), 24);
  g_assert_true (gtk_widget_is_sensitive (child (page, "save_button")));
  screenshot (manager, "manager-settings");
  g_assert_true (gtk_widget_activate_action (page, "settings.save", NULL));
  dc_ui_test_pump (50);
  g_assert_cmpint (dc_store_get_setting (f->store, DC_SETTING_IDLE_LOCK_MINUTES), ==, 10);
  g_assert_cmpint (dc_store_get_setting (f->store, DC_SETTING_BACKUP_KEEP_DAYS), ==, 14);
  g_assert_cmpint (dc_store_get_setting (f->store, DC_SETTING_AUTO_CLOSE_HOURS), ==, 24);
  assert_intact (f->store);
}

/* ---- the audit check ---- */

static void
run_audit (DcManagerWindow *manager)
{
  GtkWidget *page = child (manager, "audit");

  dc_manager_window_set_page (manager, "audit");
  g_assert_true (gtk_widget_activate_action (page, "audit.run", NULL));
  g_assert_true (wait_for (widget_visible, child (page, "result_box"), 30000));
}

static void
test_audit (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *page = child (manager, "audit");

  run_audit (manager);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "result_label"))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "No tampering was detected."));
  g_assert_false (gtk_widget_get_visible (child (page, "problems_list")));
  screenshot (manager, "manager-audit");
}

static char *
tampered_copy (Fixture *f, gint64 visit_id)
{
  g_autofree char *src_path = g_build_filename (dc_store_dir (f->store), DC_STORE_DB_NAME, NULL);
  char *dir = g_build_filename (f->tmp_dir, "tampered", NULL);
  g_autofree char *dst_path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  g_autofree char *update = g_strdup_printf ("DROP TRIGGER visits_no_update;"
                                             " UPDATE visits SET entered_at = entered_at - 3600000000 WHERE id = %"
                                             G_GINT64_FORMAT ";", visit_id);
  sqlite3 *src = NULL, *dst = NULL;
  sqlite3_backup *backup;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *trigger = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open_v2 (src_path, &src, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_open (dst_path, &dst), ==, SQLITE_OK);
  backup = sqlite3_backup_init (dst, "main", src, "main");
  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_backup_finish (backup), ==, SQLITE_OK);
  sqlite3_close (src);

  /* what an attacker with the sqlite3 tool does: lift the rule, change, put the rule back */
  g_assert_cmpint (sqlite3_prepare_v2 (dst, "SELECT sql FROM sqlite_schema WHERE name = 'visits_no_update'", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  trigger = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (dst, update, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (dst), ==, 1);
  g_assert_cmpint (sqlite3_exec (dst, trigger, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (dst);
  return dir;
}

static void
test_audit_tampered (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = tampered_copy (f, f->taro.visit_id);
  g_autofree char *named = g_strdup_printf ("%s #%" G_GINT64_FORMAT, g_dgettext (GETTEXT_PACKAGE, "Visit"), f->taro.visit_id);
  g_autoptr(GError) error = NULL;
  DcStore *copy = dc_store_open (dir, &error);
  DcManagerWindow *manager;
  GtkWidget *page;

  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (f->window));
  fixture_open (f, copy);
  manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  page = child (manager, "audit");
  run_audit (manager);
  g_assert_true (gtk_widget_get_visible (child (page, "problems_list")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "result_label"))), !=,
                   g_dgettext (GETTEXT_PACKAGE, "No tampering was detected."));
  g_assert_nonnull (dc_ui_test_find_label (child (page, "problems_list"), named));
  screenshot (manager, "manager-audit-tampered");
}

/* ---- lock, expiry, auditors ---- */

static void
test_lock_closes (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  GtkWidget *records = show_visit (f, manager);

  /* a dialog over the manager window goes too */
  click (action_button (records, "records.correct", 0));
  dc_ui_test_pump (20);
  g_assert_nonnull (find_window (DC_TYPE_MANAGER_CORRECT));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.lock", NULL));
  dc_ui_test_pump (50);
  g_assert_null (find_window (DC_TYPE_MANAGER_WINDOW));
  g_assert_null (find_window (DC_TYPE_MANAGER_CORRECT));
  g_assert_null (dc_session_get_manager (f->session));
  g_assert_cmpstr (dc_window_get_page (f->window), ==, "signin");
  /* locked: no way in */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.manager", NULL);
  dc_ui_test_pump (20);
  g_assert_null (find_window (DC_TYPE_STEP_UP_DIALOG));
}

static gboolean
manager_forgotten (gpointer session)
{
  return dc_session_get_manager (session) == NULL;
}

static void
test_step_up_expires (Fixture *f, gconstpointer data)
{
  DcManagerWindow *manager;
  GtkWidget *records, *identity;
  gint64 reads;

  /* long enough for the steps below on a loaded machine (a second was not), short enough to wait for */
  dc_session_set_step_up_seconds (f->session, 3);
  manager = open_manager (f, NULL, DC_UI_TEST_PASSPHRASE);
  records = show_visit (f, manager);
  identity = child (records, "identity_box");
  click (action_button (records, "records.show", 0));
  g_assert_true (gtk_widget_get_visible (identity));

  /* the step-up ends: what was decrypted goes, and the next action asks again */
  g_assert_true (wait_for (manager_forgotten, f->session, 8000));
  dc_ui_test_pump (1200);
  g_assert_false (gtk_widget_get_visible (identity));
  g_assert_null (dc_ui_test_find_label (identity, "山田 太郎"));
  reads = count (f, "SELECT count (*) FROM audit WHERE action = 'read'");
  click (action_button (records, "records.show", 0));
  dc_ui_test_pump (20);
  g_assert_nonnull (find_window (DC_TYPE_STEP_UP_DIALOG));
  g_assert_false (gtk_widget_get_visible (identity));
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit WHERE action = 'read'"), ==, reads);
  dc_session_set_step_up_seconds (f->session, DC_STEP_UP_SECONDS);
  step_up (NULL, DC_UI_TEST_PASSPHRASE, TRUE);
  dc_ui_test_pump (20);
  g_assert_true (gtk_widget_get_visible (identity));
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit WHERE action = 'read'"), ==, reads + 1);
}

static void
test_auditor (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) boss = dc_store_sign_in_passphrase (f->store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  DcManagerWindow *manager;
  GtkWidget *records;

  g_assert_true (dc_store_add_staff (f->store, boss, AUDITOR, "auditor", "5555", AUDITOR_PASSPHRASE, NULL, &error));
  g_assert_no_error (error);
  manager = open_manager (f, AUDITOR, AUDITOR_PASSPHRASE);
  records = show_visit (f, manager);
  /* an auditor reads records and checks the chain, and changes nothing */
  g_assert_false (gtk_widget_is_sensitive (action_button (records, "records.correct", 0)));
  g_assert_false (gtk_widget_is_sensitive (child (child (manager, "staff"), "add_box")));
  g_assert_false (gtk_widget_is_sensitive (child (child (manager, "terminals"), "add_box")));
  gtk_widget_activate_action (child (manager, "terminals"), "terminals.broken", "s", "PC-02");
  dc_ui_test_pump (20);
  g_assert_null (find_window (DC_TYPE_STEP_UP_DIALOG));
  g_assert_cmpint (terminal_state (f, "PC-02"), ==, DC_TERMINAL_FREE);
  click (action_button (records, "records.show", 0));
  g_assert_true (gtk_widget_get_visible (child (records, "identity_box")));
  run_audit (manager);
}

/* ---- the demo store, made without freezing the window ---- */

static gboolean
on_page (gpointer window)
{
  return g_strcmp0 (dc_window_get_page (window), "signin") == 0;
}

static gboolean
bar_moved (gpointer bar)
{
  return gtk_progress_bar_get_fraction (bar) > 0.1;
}

static void
test_demo_in_background (void)
{
  g_autofree char *dir = dc_window_demo_dir ();
  DcWindow *window;
  GtkWidget *welcome;
  GtkWidget *bar;

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  window = dc_window_new (NULL, "/nonexistent", NULL);
  gtk_window_present (GTK_WINDOW (window));
  welcome = dc_ui_test_find_by_type (GTK_WIDGET (window), DC_TYPE_WELCOME_PAGE);
  g_signal_emit_by_name (welcome, "demo-requested");
  /* the worker runs; the main loop goes on and the page says how far it is */
  g_assert_cmpstr (dc_window_get_page (window), ==, "demo");
  g_assert_false (gtk_widget_get_sensitive (welcome));
  bar = dc_ui_test_find_by_type (GTK_WIDGET (window), GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (bar);
  g_assert_true (wait_for (bar_moved, bar, 60000));
  g_free (dc_ui_test_screenshot (GTK_WIDGET (window), "demo-progress"));
  g_assert_true (wait_for (on_page, window, 120000));
  g_assert_true (dc_store_is_demo (dc_session_get_store (dc_window_get_session (window))));
  g_assert_true (gtk_widget_get_sensitive (welcome));
  g_assert_null (dc_ui_test_find_by_type (GTK_WIDGET (window), GTK_TYPE_PROGRESS_BAR));
  gtk_window_destroy (GTK_WINDOW (window));
  dc_ui_test_pump (20);
  dc_ui_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("daicho-ui-data-XXXXXX", NULL);
  int status;

  /* the demo store goes to the user's data folder: a temporary one, before GTK reads it */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  dc_ui_test_init (&argc, &argv);
#define ADD(path, fn) g_test_add ("/ui/manager/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("step-up", test_step_up);
  ADD ("view-identity", test_view_identity);
  ADD ("correct", test_correct);
  ADD ("default-size-dark", test_default_size_dark);
  ADD ("staff", test_staff);
  ADD ("terminals", test_terminals);
  ADD ("terminals-retire-change", test_terminals_retire_change);
  ADD ("settings", test_settings);
  ADD ("audit", test_audit);
  ADD ("audit-tampered", test_audit_tampered);
  ADD ("lock-closes", test_lock_closes);
  ADD ("step-up-expires", test_step_up_expires);
  ADD ("auditor", test_auditor);
#undef ADD
  g_test_add_func ("/ui/manager/demo-in-background", test_demo_in_background);
  status = g_test_run ();
  dc_ui_test_remove_tree (data_home);
  return status;
}
