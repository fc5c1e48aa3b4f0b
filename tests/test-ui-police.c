/* tests/test-ui-police.c — the police requests page on a store with demo history: a request through the form, queries through the widgets against dc_police_query, the export, printing to PDF, the inspection report. */
#include "dc-date.h"
#include "dc-demo.h"
#include "dc-export.h"
#include "dc-hold.h"
#include "dc-manager-police.h"
#include "dc-manager-police-form.h"
#include "dc-manager-police-request.h"
#include "dc-manager-window.h"
#include "dc-police.h"
#include "dc-records-report.h"
#include "dc-minisign.h"
#include "dc-step-up-dialog.h"
#include "dc-ui-test.h"
#include "dc-db-police.h"
#include "dc-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define AGENCY    "新宿警察署 生活安全課"
#define OFFICER   "巡査部長 田中 一郎（03-1234-5678）"
#define REFERENCE "生安第123号"

#define MINUTES(n) ((gint64) (n) * 60 * G_USEC_PER_SEC)

/* One store with a few days of demo history, shared by the cases (they run in order: the
 * export needs the request and the query before it). */
typedef struct {
  gint64           clock;
  char            *tmp_dir;
  DcStore         *store;     /* owned by the window's session */
  DcWindow        *window;
  DcSession       *session;
  DcManagerWindow *manager;
  GtkWidget       *page;
  gint64           request_id;
  gint64           point;     /* a moment the demo had people on terminals */
} Context;

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
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (windows);
  return found;
}

static gboolean
no_request_dialog (gpointer data)
{
  return find_window (DC_TYPE_POLICE_REQUEST_DIALOG) == NULL;
}

static GtkWidget *
child (gpointer root, const char *id)
{
  GtkWidget *widget = dc_ui_test_find_by_name (GTK_WIDGET (root), id);

  if (widget == NULL)
    g_error ("no widget “%s”", id);
  return widget;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
type_into (gpointer root, const char *id, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (root, id)), text);
}

/* Enter in a field, as the keyboard does it. */
static void
press_enter (gpointer root, const char *id)
{
  GtkWidget *field = child (root, id);

  if (GTK_IS_SPIN_BUTTON (field))
    field = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (field)));
  g_signal_emit_by_name (field, "activate");
  dc_ui_test_pump (30);
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

static void
dismiss_toasts (GtkWidget *window)
{
  GtkWidget *toast;

  for (int i = 0; i < 20 && (toast = find_type_named (window, "AdwToastWidget")) != NULL; i++)
    {
      g_signal_emit_by_name (dc_ui_test_find_by_type (toast, GTK_TYPE_BUTTON), "clicked");
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

static DcActor *
manager_actor (Context *c)
{
  DcActor *actor = dc_session_get_manager (c->session);

  g_assert_nonnull (actor);
  return actor;
}

static guint
preview_rows (Context *c)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (child (c->page, "preview"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static const char *
status_text (Context *c)
{
  return gtk_label_get_text (GTK_LABEL (child (c->page, "status_label")));
}

/* What dc_police_query says for @scope, asked directly. */
static DcQueryResult *
expected (Context *c, const DcQueryScope *scope)
{
  g_autoptr(GError) error = NULL;
  DcQueryResult *result = dc_police_query (c->store, manager_actor (c), scope, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static GArray *
requests (Context *c)
{
  g_autoptr(GError) error = NULL;
  GArray *list = dc_request_list (c->store, manager_actor (c), &error);

  g_assert_no_error (error);
  return list;
}

static gint64
count_sql (Context *c, const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;
  gboolean found = FALSE;

  g_assert_true (dc_db_int (dc_store_db (c->store), &n, &found, &error, sql, ""));
  g_assert_no_error (error);
  return n;
}

/* Set the time fields of the form as a person types them. */
static void
type_time (Context *c, const char *prefix, gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, dc_store_timezone (c->store));
  g_autofree char *date = g_date_time_format (local, "%Y/%m/%d");
  const char *parts[] = { "hour", "minute", "second" };
  int values[] = { g_date_time_get_hour (local), g_date_time_get_minute (local), g_date_time_get_second (local) };

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s_%s", prefix, parts[i]);
      g_autofree char *text = g_strdup_printf ("%d", values[i]);

      type_into (c->page, id, text);
    }
  {
    g_autofree char *id = g_strdup_printf ("%s_date", prefix);

    type_into (c->page, id, date);
  }
}

/* A check button by its label (GtkCheckButton is no GtkButton in GTK 4). */
static GtkWidget *
find_check (GtkWidget *root, const char *label)
{
  if (GTK_IS_CHECK_BUTTON (root) && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_check (w, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
choose_find (Context *c, DcPoliceFind find)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (c->page, "find_dropdown")), find);
  dc_ui_test_pump (20);
}

/* ---- set-up: a store with demo history, the manager window on the police page ---- */

static void
build_context (Context *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) clerk = NULL;
  DcDemoOptions options = { .days = 4, .visits_per_day = 60, .seed = 5 };
  DcDemoStats stats = { 0 };

  c->store = dc_ui_test_store (24, &c->clock);
  c->tmp_dir = g_path_get_dirname (dc_store_dir (c->store));
  clerk = dc_store_sign_in_pin (c->store, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error);
  g_assert_no_error (error);
  g_assert_true (dc_demo_fill (c->store, clerk, &options, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.visits, >, 100);
  /* the middle of the history, a few seconds into a session's second minute */
  {
    gint64 n = count_sql (c, "SELECT count (*) FROM terminal_sessions");
    g_autofree char *sql = g_strdup_printf ("SELECT started_at FROM terminal_sessions ORDER BY started_at LIMIT 1 "
                                            "OFFSET %" G_GINT64_FORMAT, n / 2);

    c->point = (count_sql (c, sql) / G_USEC_PER_SEC + 67) * G_USEC_PER_SEC;
  }

  c->window = dc_window_new (NULL, "/nonexistent", c->store);
  gtk_window_set_default_size (GTK_WINDOW (c->window), 1366, 768);
  c->session = dc_window_get_session (c->window);
  /* nobody types during a test: the idle lock would close the manager window under a slow run */
  dc_window_set_idle_seconds (c->window, 0);
  gtk_window_present (GTK_WINDOW (c->window));
  g_assert_true (dc_session_sign_in (c->session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  g_assert_no_error (error);
  dc_ui_test_pump (50);
}

static void
open_page (Context *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_session_step_up (c->session, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);
  c->manager = dc_manager_window_new (GTK_WINDOW (c->window), c->session);
  gtk_window_set_default_size (GTK_WINDOW (c->manager), 1366, 768);
  dc_manager_window_set_page (c->manager, "police");
  gtk_window_present (GTK_WINDOW (c->manager));
  c->page = child (c->manager, "police");
  dc_ui_test_pump (100);
}

/* ---- without a passphrase nothing shows: the page asks for one ---- */

static void
test_asks_passphrase (gconstpointer data)
{
  Context *c = (Context *) data;
  DcManagerWindow *manager;
  GtkWindow *step_up;
  GtkWidget *page;

  /* the counter's own sign-in (a PIN) is not enough */
  g_assert_null (dc_session_get_manager (c->session));
  manager = dc_manager_window_new (GTK_WINDOW (c->window), c->session);
  gtk_window_set_default_size (GTK_WINDOW (manager), 1366, 768);
  dc_manager_window_set_page (manager, "police");
  gtk_window_present (GTK_WINDOW (manager));
  dc_ui_test_pump (100);
  page = child (manager, "police");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, "page_stack"))), ==, "denied");
  g_assert_null (find_window (DC_TYPE_STEP_UP_DIALOG));
  screenshot (manager, "manager-police-denied");
  /* the page's one button asks for it */
  click (child (page, "confirm_button"));
  dc_ui_test_pump (50);
  step_up = find_window (DC_TYPE_STEP_UP_DIALOG);
  g_assert_nonnull (step_up);
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (page, "request_list")), 0));
  gtk_window_close (step_up);
  gtk_window_destroy (GTK_WINDOW (manager));
  dc_ui_test_pump (50);
}

/* ---- a request through the form ---- */

static void
test_request (gconstpointer data)
{
  Context *c = (Context *) data;
  GtkWindow *dialog;
  g_autoptr(GArray) list = NULL;
  const DcRequest *r;

  open_page (c);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (c->page, "page_stack"))), ==, "main");
  gtk_widget_activate_action (c->page, "police.new-request", NULL);
  dc_ui_test_pump (100);
  dialog = find_window (DC_TYPE_POLICE_REQUEST_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (dialog));
  /* received at: now, ready to change */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "received_entry"))), ==, "2026-11-21 16:00");

  type_into (dialog, "officer_entry", OFFICER);
  type_into (dialog, "reference_entry", REFERENCE);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (dialog, "basis_dropdown")), 0);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (dialog, "scope_view"))),
                            "2026年11月20日 PC-03 の利用者について", -1);
  /* no agency: refused inline, the dialog stays with what was typed */
  click (child (dialog, "add_button"));
  dc_ui_test_pump (50);
  g_assert_true (find_window (DC_TYPE_POLICE_REQUEST_DIALOG) == dialog);
  g_assert_true (gtk_widget_get_visible (child (dialog, "error_label")));
  g_assert_true (gtk_widget_has_focus (child (dialog, "agency_entry"))
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), child (dialog, "agency_entry")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "reference_entry"))), ==, REFERENCE);
  /* a received time that cannot be read */
  type_into (dialog, "agency_entry", AGENCY);
  type_into (dialog, "received_entry", "昨日の昼");
  click (child (dialog, "add_button"));
  dc_ui_test_pump (50);
  g_assert_true (gtk_widget_get_visible (child (dialog, "error_label")));
  type_into (dialog, "received_entry", "2026-11-21 15:40");
  g_assert_false (gtk_widget_get_visible (child (dialog, "error_label")));
  screenshot (dialog, "manager-police-request");

  click (child (dialog, "add_button"));
  g_assert_true (wait_for (no_request_dialog, NULL, 5000));
  list = requests (c);
  g_assert_cmpuint (list->len, ==, 1);
  r = &g_array_index (list, DcRequest, 0);
  g_assert_cmpstr (r->agency, ==, AGENCY);
  g_assert_cmpstr (r->officer, ==, OFFICER);
  g_assert_cmpstr (r->reference, ==, REFERENCE);
  g_assert_cmpint (r->basis, ==, DC_BASIS_INQUIRY);
  g_assert_cmpstr (r->scope, ==, "2026年11月20日 PC-03 の利用者について");
  g_assert_null (r->note);
  g_assert_cmpint (r->received_at, ==, dc_ui_test_tokyo (2026, 11, 21, 15, 40));
  c->request_id = r->id;
  /* the ledger shows it, chosen for the next queries */
  g_assert_nonnull (dc_ui_test_find_label (child (c->page, "request_list"), REFERENCE));
  g_assert_nonnull (gtk_list_box_get_selected_row (GTK_LIST_BOX (child (c->page, "request_list"))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (c->page, "for_label"))), REFERENCE));
  g_assert_nonnull (strstr (gtk_editable_get_text (GTK_EDITABLE (child (c->page, "folder_entry"))),
                            "daicho-生安第123号-2026-11-21"));
}

/* ---- a time point and a range through the widgets, as dc_police_query answers ---- */

static void
test_time (gconstpointer data)
{
  Context *c = (Context *) data;
  g_autoptr(DcQueryResult) want = NULL;
  g_autoptr(DcQueryResult) want_one = NULL;
  g_autoptr(DcQueryResult) want_range = NULL;
  DcQueryScope scope;
  GtkWidget *check;

  choose_find (c, DC_POLICE_FIND_POINT);
  type_time (c, "from", c->point);
  /* Enter in the seconds field runs it */
  press_enter (c->page, "from_second");
  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_TIME;
  scope.from = scope.to = c->point;
  want = expected (c, &scope);
  g_assert_cmpuint (want->rows->len, >, 0);
  g_assert_cmpuint (preview_rows (c), ==, want->rows->len);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (c->page, "result_stack"))), ==, "rows");
  g_assert_true (gtk_widget_is_sensitive (child (c->page, "export_button")));

  /* one terminal, ticked in the chooser */
  scope.terminals = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (scope.terminals, g_strdup (g_array_index (want->rows, DcQueryRow, 0).terminal));
  check = find_check (child (c->page, "terminals_button"), g_ptr_array_index (scope.terminals, 0));
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (c->page, "all_terminals"))));
  press_enter (c->page, "from_date");
  want_one = expected (c, &scope);
  g_assert_cmpuint (want_one->rows->len, >=, 1);
  g_assert_cmpuint (preview_rows (c), ==, want_one->rows->len);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (c->page, "all_terminals")), TRUE);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  dc_query_scope_clear (&scope);

  /* an hour around it */
  choose_find (c, DC_POLICE_FIND_RANGE);
  type_time (c, "from", c->point - MINUTES (30));
  type_time (c, "to", c->point + MINUTES (30));
  click (child (c->page, "run_button"));
  dc_ui_test_pump (30);
  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_TIME;
  scope.from = c->point - MINUTES (30);
  scope.to = c->point + MINUTES (30);
  want_range = expected (c, &scope);
  g_assert_cmpuint (want_range->rows->len, >, want->rows->len);
  g_assert_cmpuint (preview_rows (c), ==, want_range->rows->len);
  dc_query_scope_clear (&scope);

  /* the end before the start: refused, the rows stay as they were */
  type_time (c, "to", c->point - MINUTES (60));
  press_enter (c->page, "to_date");
  g_assert_true (gtk_widget_has_css_class (child (c->page, "status_label"), "field-error"));
  g_assert_cmpuint (preview_rows (c), ==, want_range->rows->len);
  type_time (c, "to", c->point + MINUTES (30));
  press_enter (c->page, "to_date");
  g_assert_false (gtk_widget_has_css_class (child (c->page, "status_label"), "field-error"));
  screenshot (c->manager, "manager-police");
}

/* ---- a person by name and date of birth ---- */

static void
test_person (gconstpointer data)
{
  Context *c = (Context *) data;
  g_autoptr(DcQueryResult) around = NULL;
  g_autoptr(DcQueryResult) want = NULL;
  g_autofree char *dob = NULL;
  DcQueryScope scope;
  const DcIdentity *who;

  /* someone who was there at the point */
  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_TIME;
  scope.from = scope.to = c->point;
  around = expected (c, &scope);
  who = &g_array_index (around->rows, DcQueryRow, 0).identity->identity;
  dob = dc_date_to_iso (&who->dob);

  choose_find (c, DC_POLICE_FIND_PERSON);
  g_assert_true (gtk_widget_is_visible (child (c->page, "dob_entry")));
  g_assert_false (gtk_widget_is_visible (child (c->page, "from_date")));
  type_into (c->page, "name_entry", who->name);
  type_into (c->page, "dob_entry", "");
  press_enter (c->page, "name_entry");
  /* no date of birth: said, and the field to fix has the focus */
  g_assert_true (gtk_widget_has_css_class (child (c->page, "status_label"), "field-error"));
  type_into (c->page, "dob_entry", dob);
  press_enter (c->page, "dob_entry");

  scope.kind = DC_QUERY_PERSON;
  scope.name = g_strdup (who->name);
  scope.dob = who->dob;
  want = expected (c, &scope);
  dc_query_scope_clear (&scope);
  g_assert_cmpuint (want->rows->len, >=, 1);
  g_assert_cmpuint (preview_rows (c), ==, want->rows->len);
  g_assert_nonnull (dc_ui_test_find_label (child (c->page, "preview"), who->name));

  /* the same person by member number, Enter in its field */
  {
    g_autoptr(DcQueryResult) by_member = NULL;
    const char *member = g_array_index (around->rows, DcQueryRow, 0).member_number;

    g_assert_nonnull (member);
    choose_find (c, DC_POLICE_FIND_MEMBER);
    type_into (c->page, "member_entry", member);
    press_enter (c->page, "member_entry");
    dc_query_scope_init (&scope);
    scope.kind = DC_QUERY_MEMBER;
    scope.member_number = g_strdup (member);
    by_member = expected (c, &scope);
    dc_query_scope_clear (&scope);
    g_assert_cmpuint (by_member->rows->len, >=, 1);
    g_assert_cmpuint (preview_rows (c), ==, by_member->rows->len);
    /* a wrong check digit: refused, said in the page */
    type_into (c->page, "member_entry", "10000001");
    press_enter (c->page, "member_entry");
    g_assert_true (gtk_widget_has_css_class (child (c->page, "status_label"), "field-error"));
    choose_find (c, DC_POLICE_FIND_PERSON);
  }

  /* nobody by that name and date: the page says so */
  type_into (c->page, "dob_entry", "1901-01-01");
  press_enter (c->page, "dob_entry");
  g_assert_cmpuint (preview_rows (c), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (c->page, "result_stack"))), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (child (c->page, "print_button")));
}

/* ---- export: the bundle verifies and the ledger shows it ---- */

static void
test_export (gconstpointer data)
{
  Context *c = (Context *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (c->tmp_dir, "exports", NULL);
  g_autofree char *bundle = NULL;
  g_autofree char *again = NULL;
  g_autoptr(DcExportCheck) check = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GArray) holds_before = dc_hold_list (c->store, FALSE, NULL);
  g_autoptr(GArray) holds_after = NULL;
  g_autofree char *digest = NULL;
  const DcRequest *r;

  g_assert_cmpint (g_mkdir_with_parents (out, 0700), ==, 0);
  /* back to the time point */
  choose_find (c, DC_POLICE_FIND_POINT);
  type_time (c, "from", c->point);
  press_enter (c->page, "from_date");
  g_assert_cmpuint (preview_rows (c), >, 0);

  gtk_switch_set_active (GTK_SWITCH (child (c->page, "hold_switch")), TRUE);
  bundle = dc_manager_police_export_to (DC_MANAGER_POLICE (c->page), out);
  g_assert_nonnull (bundle);
  g_assert_true (g_str_has_suffix (bundle, "daicho-生安第123号-2026-11-21"));
  g_assert_false (gtk_widget_get_visible (child (c->page, "progress")));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (c->manager)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (c->window)));

  check = dc_export_verify (bundle, dc_store_sign_pk (c->store), &error);
  g_assert_no_error (error);
  g_assert_nonnull (check);
  for (guint i = 0; i < check->problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (check->problems, i));
  g_assert_cmpuint (check->problems->len, ==, 0);
  g_assert_cmpstr (check->reference, ==, REFERENCE);
  g_assert_cmpint (check->sessions, ==, (gint64) preview_rows (c));

  list = requests (c);
  r = &g_array_index (list, DcRequest, 0);
  g_assert_cmpuint (r->exports->len, ==, 1);
  g_assert_cmpint (g_array_index (r->exports, DcExportRecord, 0).sessions, ==, (gint64) preview_rows (c));
  g_assert_cmpint (g_array_index (r->exports, DcExportRecord, 0).holds, >=, 1);
  digest = g_strndup (g_array_index (r->exports, DcExportRecord, 0).manifest_sha256, 16);
  g_assert_nonnull (dc_ui_test_find_label (child (c->page, "request_list"), digest));
  g_assert_nonnull (strstr (status_text (c), digest));
  holds_after = dc_hold_list (c->store, FALSE, NULL);
  g_assert_cmpuint (holds_after->len, ==, holds_before->len + 1);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (c->page, "hold_switch"))));
  screenshot (c->manager, "manager-police-exported");
  /* legible in the dark style too */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (c->manager, "manager-police-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* the same folder again: refused before anything is written, the ledger unchanged */
  again = dc_manager_police_export_to (DC_MANAGER_POLICE (c->page), out);
  g_assert_null (again);
  g_assert_true (gtk_widget_has_css_class (child (c->page, "status_label"), "field-error"));
  g_clear_pointer (&list, g_array_unref);
  list = requests (c);
  g_assert_cmpuint (g_array_index (list, DcRequest, 0).exports->len, ==, 1);

  /* without a request chosen there is nothing to export for */
  click (child (c->page, "clear_request_button"));
  g_assert_false (gtk_widget_is_sensitive (child (c->page, "export_button")));
  g_assert_null (dc_manager_police_export_to (DC_MANAGER_POLICE (c->page), out));
  gtk_list_box_select_row (GTK_LIST_BOX (child (c->page, "request_list")),
                           gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (c->page, "request_list")), 0));
  g_assert_true (gtk_widget_is_sensitive (child (c->page, "export_button")));
}

/* ---- print: GtkPrintOperation to a PDF file, as many pages as the document lays out ---- */

static char *
pdfinfo (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The value of @field in pdfinfo's output, or "". */
static char *
pdf_field (const char *info, const char *field)
{
  g_auto(GStrv) lines = g_strsplit (info, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return g_strstrip (g_strdup (lines[i] + strlen (field) + 1));
  return g_strdup ("");
}

static guint
expected_pages (Context *c, const DcQueryResult *result, const DcQueryScope *scope)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcRequest) request = dc_request_get (c->store, manager_actor (c), c->request_id, &error);
  g_autofree char *text = dc_query_scope_describe_full (c->store, scope);
  g_autoptr(GBytes) csv = dc_records_csv (c->store, result);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, csv);
  g_autofree char *key_id = dc_minisign_key_id_text (dc_store_sign_pk (c->store));
  DcRecordsHeader header = { .request = request, .scope = text, .exported_at = dc_store_now (c->store),
                             .staff = DC_UI_TEST_MANAGER, .csv_sha256 = sha, .key_id = key_id };
  g_autoptr(DcPdfDoc) doc = dc_records_pdf (c->store, &header, result);

  return dc_pdf_doc_layout (doc, DC_PDF_A4_HEIGHT, DC_PDF_A4_WIDTH);
}

static void
test_print (gconstpointer data)
{
  Context *c = (Context *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (c->tmp_dir, "printed.pdf", NULL);
  g_autofree char *info = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *head = NULL;
  g_autoptr(DcQueryResult) want = NULL;
  gsize len = 0;
  DcQueryScope scope;

  /* a range: enough rows for more than one page */
  choose_find (c, DC_POLICE_FIND_RANGE);
  type_time (c, "from", c->point - MINUTES (6 * 60));
  type_time (c, "to", c->point + MINUTES (6 * 60));
  press_enter (c->page, "to_second");
  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_TIME;
  scope.from = c->point - MINUTES (6 * 60);
  scope.to = c->point + MINUTES (6 * 60);
  want = expected (c, &scope);
  g_assert_cmpuint (preview_rows (c), ==, want->rows->len);

  g_assert_true (dc_manager_police_print_to (DC_MANAGER_POLICE (c->page), path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &head, &len, &error));
  g_assert_no_error (error);
  g_assert_true (len > 5 && memcmp (head, "%PDF-", 5) == 0);
  info = pdfinfo (path);
  g_test_message ("%s", info);
  pages = g_strdup_printf ("%u", expected_pages (c, want, &scope));
  printed = pdf_field (info, "Pages");
  g_assert_cmpstr (printed, ==, pages);
  g_assert_cmpuint (g_ascii_strtoull (pages, NULL, 10), >, 1);
  /* A4 landscape */
  g_assert_nonnull (strstr (info, "841.89 x 595.27"));
  /* kept beside the screenshots, to look at */
  {
    g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                             "screenshots", NULL);
    g_autofree char *copy = g_build_filename (dir, "manager-police-print.pdf", NULL);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
    g_assert_true (g_file_set_contents (copy, head, (gssize) len, &error));
    g_assert_no_error (error);
  }
  dc_query_scope_clear (&scope);
}

/* ---- the ledger on paper ---- */

static char *
pdf_text_flat (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  GString *flat = g_string_new (NULL);
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* without white space: a cell may wrap anywhere */
  for (const char *p = out; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (flat, g_utf8_get_char (p));
  return g_string_free (flat, FALSE);
}

/* Print Ledger…: the requests with what was handed over, as the page last read them. */
static void
test_print_ledger (gconstpointer data)
{
  Context *c = (Context *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (c->tmp_dir, "ledger.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GArray) list = requests (c);
  const DcRequest *r = &g_array_index (list, DcRequest, 0);

  g_assert_true (gtk_widget_is_sensitive (child (c->page, "print_ledger_button")));
  g_assert_true (dc_manager_police_print_ledger_to (DC_MANAGER_POLICE (c->page), path, &error));
  g_assert_no_error (error);
  text = pdf_text_flat (path);
  g_assert_nonnull (strstr (text, "警察からの照会と提供の台帳"));
  g_assert_nonnull (strstr (text, REFERENCE));
  g_assert_cmpuint (r->exports->len, >=, 1);
  g_assert_nonnull (strstr (text, g_array_index (r->exports, DcExportRecord, 0).manifest_sha256));
}

/* ---- the inspection report ---- */

static void
test_inspection (gconstpointer data)
{
  Context *c = (Context *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (c->tmp_dir, "inspection.pdf", NULL);
  g_autofree char *info = NULL;
  g_autofree char *pages = NULL;

  g_assert_true (dc_manager_police_inspection_to (DC_MANAGER_POLICE (c->page), path, &error));
  g_assert_no_error (error);
  info = pdfinfo (path);
  pages = pdf_field (info, "Pages");
  g_assert_cmpuint (g_ascii_strtoull (pages, NULL, 10), >=, 1);
}

/* ---- the step-up ends: the rows go ---- */

static void
test_forget (gconstpointer data)
{
  Context *c = (Context *) data;

  g_assert_cmpuint (preview_rows (c), >, 0);
  dc_manager_police_forget (DC_MANAGER_POLICE (c->page));
  g_assert_cmpuint (preview_rows (c), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (child (c->page, "export_button")));
  g_assert_false (gtk_widget_is_sensitive (child (c->page, "print_button")));
}

/* ---- with a manager stepped up, idle time caches the read keys of every record ---- */

static gboolean
no_key_missing (gpointer data)
{
  Context *c = data;
  gint64 missing = -1;

  g_assert_true (dc_db_identity_keys_count_missing (dc_store_db (c->store), &missing, NULL));
  return missing == 0;
}

static void
test_read_keys_filled (gconstpointer data)
{
  Context *c = (Context *) data;

  g_assert_nonnull (dc_session_get_manager (c->session));
  g_assert_true (wait_for (no_key_missing, c, 30000));
}

/* ---- a lock asked for during an export waits for it: the keys are not freed under it ---- */

typedef struct {
  Context *c;
  guint    locks;
  gboolean kept;     /* the manager's unlock was still there after each lock asked for */
} LockProbe;

static void
on_fraction (GObject *bar, GParamSpec *pspec, LockProbe *probe)
{
  /* what the idle timer or Ctrl+L in a dialog does while the bar redraws */
  dc_session_lock (probe->c->session);
  probe->locks++;
  probe->kept = probe->kept && dc_session_get_signed_in (probe->c->session)
                && dc_session_get_manager (probe->c->session) != NULL;
}

static void
test_lock_during_export (gconstpointer data)
{
  Context *c = (Context *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (c->tmp_dir, "exports-locked", NULL);
  g_autofree char *bundle = NULL;
  g_autoptr(DcExportCheck) check = NULL;
  g_autoptr(GtkWidget) bar = NULL;
  LockProbe probe = { c, 0, TRUE };
  gulong handler;

  g_assert_cmpint (g_mkdir_with_parents (out, 0700), ==, 0);
  choose_find (c, DC_POLICE_FIND_POINT);
  type_time (c, "from", c->point);
  press_enter (c->page, "from_date");
  g_assert_cmpuint (preview_rows (c), >, 0);
  /* the lock at the end closes the manager window: keep the bar to disconnect from it */
  bar = g_object_ref (child (c->page, "progress"));
  handler = g_signal_connect (bar, "notify::fraction", G_CALLBACK (on_fraction), &probe);
  bundle = dc_manager_police_export_to (DC_MANAGER_POLICE (c->page), out);
  g_signal_handler_disconnect (bar, handler);

  g_assert_cmpuint (probe.locks, >, 0);
  g_assert_true (probe.kept);
  g_assert_nonnull (bundle);
  check = dc_export_verify (bundle, dc_store_sign_pk (c->store), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (check->problems->len, ==, 0);
  /* and the lock happened as soon as the export was done */
  g_assert_false (dc_session_get_signed_in (c->session));
  g_assert_null (dc_session_get_manager (c->session));
}

int
main (int argc, char **argv)
{
  Context c = { 0 };
  int status;

  dc_ui_test_init (&argc, &argv);
  build_context (&c);
  g_test_add_data_func ("/ui/police/asks-passphrase", &c, test_asks_passphrase);
  g_test_add_data_func ("/ui/police/request", &c, test_request);
  g_test_add_data_func ("/ui/police/time", &c, test_time);
  g_test_add_data_func ("/ui/police/person", &c, test_person);
  g_test_add_data_func ("/ui/police/export", &c, test_export);
  g_test_add_data_func ("/ui/police/print", &c, test_print);
  g_test_add_data_func ("/ui/police/print-ledger", &c, test_print_ledger);
  g_test_add_data_func ("/ui/police/inspection", &c, test_inspection);
  g_test_add_data_func ("/ui/police/forget", &c, test_forget);
  g_test_add_data_func ("/ui/police/read-keys-filled", &c, test_read_keys_filled);
  g_test_add_data_func ("/ui/police/lock-during-export", &c, test_lock_during_export);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (c.window));
  dc_ui_test_pump (50);
  dc_ui_test_remove_tree (c.tmp_dir);
  g_free (c.tmp_dir);
  return status;
}
