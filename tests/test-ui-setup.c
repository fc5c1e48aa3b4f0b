/* tests/test-ui-setup.c — the welcome page, the first-run assistant driven through its widgets, and the desktop and AppStream files. */
#include "dc-ui-test.h"
#include "dc-db-records.h"
#include "dc-setup-assistant.h"
#include "dc-welcome-page.h"

#include <glib/gstdio.h>
#include <string.h>

#define STORE_NAME   "新宿東口店"
#define OPERATOR     "株式会社サンプル"

/* ---- helpers ---- */

static GtkWidget *
child (GtkWidget *root, const char *name)
{
  GtkWidget *widget = dc_ui_test_find_by_name (root, name);

  g_assert_nonnull (widget);
  return widget;
}

static void
type_into (GtkWidget *root, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (root, name)), text);
}

static gboolean
next_enabled (GtkWidget *assistant)
{
  return gtk_widget_is_sensitive (child (assistant, "next_button"));
}

static void
press (GtkWidget *assistant, const char *button)
{
  GtkWidget *widget = child (assistant, button);

  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
  dc_ui_test_pump (20);
}

static const char *
page (GtkWidget *assistant)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (assistant, "pages")));
}

static gboolean
error_shown (GtkWidget *root, const char *name)
{
  GtkWidget *label = child (root, name);

  return gtk_widget_get_visible (label) && *gtk_label_get_text (GTK_LABEL (label)) != '\0';
}

/* The assistant alone in a window of the counter's screen size. */
static GtkWidget *
assistant_window (const char *store_dir, GtkWidget **out_assistant)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *assistant = dc_setup_assistant_new (store_dir);

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), assistant);
  gtk_window_present (GTK_WINDOW (window));
  dc_ui_test_pump (100);
  *out_assistant = assistant;
  return window;
}

static void
count_signal (gpointer instance, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
fill_store_step (GtkWidget *assistant)
{
  type_into (assistant, "store_name", STORE_NAME);
  type_into (assistant, "operator_name", OPERATOR);
}

static void
fill_manager_step (GtkWidget *assistant)
{
  type_into (assistant, "manager_name", DC_UI_TEST_MANAGER);
  type_into (assistant, "passphrase", DC_UI_TEST_PASSPHRASE);
  type_into (assistant, "passphrase_again", DC_UI_TEST_PASSPHRASE);
  type_into (assistant, "pin", DC_UI_TEST_MANAGER_PIN);
  type_into (assistant, "pin_again", DC_UI_TEST_MANAGER_PIN);
}

/* Does any label or text field under @root show @text? */
static gboolean
tree_shows (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  if (GTK_IS_EDITABLE (root) && strstr (gtk_editable_get_text (GTK_EDITABLE (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (tree_shows (w, text))
      return TRUE;
  return FALSE;
}

static gboolean
wait_for_key (GtkWidget *assistant)
{
  GtkStack *stack = GTK_STACK (child (assistant, "recovery_stack"));
  gint64 until = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;   /* slow under valgrind */

  while (g_get_monotonic_time () < until)
    {
      if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "key") == 0)
        return TRUE;
      if (g_strcmp0 (page (assistant), "manager") == 0)
        return FALSE;   /* creation failed and went back */
      dc_ui_test_pump (20);
    }
  return FALSE;
}

/* Does @widget render yet? One waiting for its size after a relayout renders nothing. */
static gboolean
renders (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  return node != NULL;
}

static void
shot (GtkWidget *widget, const char *name)
{
  GtkWidget *window = gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW);

  /* patience for slow runs, such as under valgrind */
  for (guint i = 0; i < 300 && !renders (window); i++)
    dc_ui_test_pump (100);
  g_free (dc_ui_test_screenshot (window, name));
}

/* ---- the welcome page ---- */

static void
test_welcome (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *welcome = dc_welcome_page_new ();
  guint setup = 0, demo = 0;

  g_signal_connect (welcome, "setup-requested", G_CALLBACK (count_signal), &setup);
  g_signal_connect (welcome, "demo-requested", G_CALLBACK (count_signal), &demo);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), welcome);
  gtk_window_present (GTK_WINDOW (window));
  dc_ui_test_pump (100);

  /* the set-up is the default choice: it has the keyboard focus */
  g_assert_true (gtk_widget_has_focus (child (welcome, "setup_button")));
  shot (window, "welcome");

  g_signal_emit_by_name (child (welcome, "setup_button"), "clicked");
  g_assert_cmpuint (setup, ==, 1);
  g_assert_cmpuint (demo, ==, 0);
  g_signal_emit_by_name (child (welcome, "demo_button"), "clicked");
  g_assert_cmpuint (demo, ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- steps 1 and 2 without creating anything ---- */

static void
test_cancel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("daicho-setup-XXXXXX", NULL);
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  GtkWidget *assistant;
  GtkWidget *window = assistant_window (store_dir, &assistant);
  guint cancelled = 0;

  g_signal_connect (assistant, "cancelled", G_CALLBACK (count_signal), &cancelled);
  g_assert_cmpstr (page (assistant), ==, "store");
  g_assert_false (gtk_widget_get_visible (child (assistant, "back_button")));
  g_assert_false (next_enabled (assistant));
  fill_store_step (assistant);
  press (assistant, "next_button");
  g_assert_cmpstr (page (assistant), ==, "manager");
  press (assistant, "back_button");
  g_assert_cmpstr (page (assistant), ==, "store");
  /* what was typed survives the way back */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (assistant, "store_name"))), ==, STORE_NAME);

  press (assistant, "cancel_button");
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_false (g_file_test (store_dir, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (dir);
}

static void
test_store_step_needs_name_and_operator (void)
{
  GtkWidget *assistant;
  GtkWidget *window = assistant_window ("/nonexistent/store", &assistant);

  type_into (assistant, "store_name", STORE_NAME);
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "operator_name", "   ");
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "operator_name", OPERATOR);
  g_assert_true (next_enabled (assistant));
  type_into (assistant, "store_name", "");
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "store_name", STORE_NAME);

  /* Enter in a field moves on, as Next does */
  g_signal_emit_by_name (child (assistant, "operator_name"), "entry-activated");
  dc_ui_test_pump (20);
  g_assert_cmpstr (page (assistant), ==, "manager");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_passphrase_rules (void)
{
  GtkWidget *assistant;
  GtkWidget *window = assistant_window ("/nonexistent/store", &assistant);
  GtkWidget *hint;

  fill_store_step (assistant);
  press (assistant, "next_button");
  g_assert_cmpstr (page (assistant), ==, "manager");
  fill_manager_step (assistant);
  g_assert_true (next_enabled (assistant));
  hint = child (assistant, "strength_hint");

  /* weak: under 10 characters, which the vault refuses */
  type_into (assistant, "passphrase", "short1");
  type_into (assistant, "passphrase_again", "short1");
  g_assert_false (next_enabled (assistant));
  g_assert_true (gtk_widget_has_css_class (hint, "weak"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), !=, "");
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (child (assistant, "strength_bar"))), ==, 1);

  /* ten characters of one kind: allowed, called fair; long and mixed: strong */
  type_into (assistant, "passphrase", "abcdefghij");
  type_into (assistant, "passphrase_again", "abcdefghij");
  g_assert_true (gtk_widget_has_css_class (hint, "fair"));
  g_assert_false (gtk_widget_has_css_class (hint, "weak"));
  g_assert_true (next_enabled (assistant));
  type_into (assistant, "passphrase", DC_UI_TEST_PASSPHRASE);
  g_assert_true (gtk_widget_has_css_class (hint, "strong"));

  /* the confirmation must match */
  type_into (assistant, "passphrase_again", DC_UI_TEST_PASSPHRASE "x");
  g_assert_false (next_enabled (assistant));
  g_assert_true (error_shown (assistant, "passphrase_error"));
  type_into (assistant, "passphrase_again", DC_UI_TEST_PASSPHRASE);
  g_assert_false (error_shown (assistant, "passphrase_error"));
  g_assert_true (next_enabled (assistant));

  /* a PIN is 4 to 8 digits, typed twice the same */
  type_into (assistant, "pin", "12a4");
  type_into (assistant, "pin_again", "12a4");
  g_assert_false (next_enabled (assistant));
  g_assert_true (error_shown (assistant, "pin_error"));
  type_into (assistant, "pin", "123");
  type_into (assistant, "pin_again", "123");
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "pin", "123456789");
  type_into (assistant, "pin_again", "123456789");
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "pin", "1234");
  type_into (assistant, "pin_again", "1235");
  g_assert_false (next_enabled (assistant));
  g_assert_true (error_shown (assistant, "pin_error"));
  type_into (assistant, "pin_again", "1234");
  g_assert_false (error_shown (assistant, "pin_error"));
  g_assert_true (next_enabled (assistant));

  /* a name is needed too */
  type_into (assistant, "manager_name", " ");
  g_assert_false (next_enabled (assistant));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the whole first run ---- */

static DcStore *finished_store;

static void
on_finished (DcSetupAssistant *assistant, gpointer store, gpointer user_data)
{
  finished_store = store;
  (*(guint *) user_data)++;
}

static char *
run_recovery_step (GtkWidget *assistant, const char *dir)
{
  const char *shown = gtk_label_get_text (GTK_LABEL (child (assistant, "recovery_code")));
  g_auto(GStrv) groups = g_strsplit_set (shown, "-\n", -1);
  g_autofree char *pdf = g_build_filename (dir, "recovery.pdf", NULL);
  char *code = dc_secret_dup (shown);
  g_autofree char *both = NULL;
  g_autofree char *lower = NULL;

  /* 9 groups of 4 characters, three to a line */
  g_assert_cmpuint (strlen (shown), ==, 44);
  g_assert_true (shown[14] == '\n' && shown[29] == '\n');
  code[14] = code[29] = '-';
  g_assert_cmpuint (g_strv_length (groups), ==, 9);
  for (guint i = 0; i < 9; i++)
    g_assert_cmpuint (strlen (groups[i]), ==, 4);
  both = g_strdup_printf ("%s-%s", groups[7], groups[8]);
  lower = g_ascii_strdown (both, -1);
  memmove (lower + 4, lower + 5, 5);
  g_assert_false (gtk_widget_get_visible (child (assistant, "cancel_button")));
  g_assert_false (gtk_widget_get_visible (child (assistant, "back_button")));

  /* no going on until the last two groups are typed back */
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "recovery_confirm", groups[8]);
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "recovery_confirm", "0000-0000");
  g_assert_false (next_enabled (assistant));
  g_assert_true (error_shown (assistant, "recovery_error"));
  type_into (assistant, "recovery_confirm", both);
  g_assert_true (next_enabled (assistant));
  g_assert_false (error_shown (assistant, "recovery_error"));
  /* in lower case and without the hyphen too */
  type_into (assistant, "recovery_confirm", lower);
  g_assert_true (next_enabled (assistant));
  type_into (assistant, "recovery_confirm", "");
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "recovery_confirm", both);
  shot (assistant, "setup-3-recovery");
  /* the QR code keeps its light square in the dark style too */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  shot (assistant, "setup-3-recovery-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* the print sheet renders (as a PDF here instead of the dialog) */
  dc_setup_assistant_set_print_export (DC_SETUP_ASSISTANT (assistant), pdf);
  g_assert_true (gtk_widget_activate_action (assistant, "setup.print", NULL));
  {
    GStatBuf st;
    g_assert_cmpint (g_stat (pdf, &st), ==, 0);
    g_assert_cmpint (st.st_size, >, 1000);
  }
  g_remove (pdf);
  return code;
}

static void
fill_terminals_step (GtkWidget *assistant)
{
  GtkWidget *preview = child (assistant, "terminals_preview");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (assistant, "prefix"))), ==, "PC-");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (assistant, "first"))), ==, 1);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (assistant, "last"))), ==, 20);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (assistant, "last")), 40);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (preview)), "PC-40"));

  /* numbers outside the range, or unreadable ones, stop the step */
  type_into (assistant, "filtered", "1-4, 50");
  g_assert_false (next_enabled (assistant));
  g_assert_true (error_shown (assistant, "terminals_error"));
  type_into (assistant, "filtered", "abc");
  g_assert_false (next_enabled (assistant));
  type_into (assistant, "filtered", "4-1");
  g_assert_false (next_enabled (assistant));

  /* full-width digits and 、 from a Japanese input method are read */
  type_into (assistant, "filtered", "１－２、39, 40");
  g_assert_false (error_shown (assistant, "terminals_error"));
  g_assert_true (next_enabled (assistant));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (preview)), "PC-39"));
  gtk_switch_set_active (GTK_SWITCH (child (assistant, "booths")), TRUE);
  shot (assistant, "setup-4-terminals");
}

static void
fill_staff_step (GtkWidget *assistant)
{
  GtkWidget *list = child (assistant, "staff_list");
  gint64 until = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;

  /* the manager from step 2 is listed already */
  g_assert_nonnull (dc_ui_test_find_label (list, DC_UI_TEST_MANAGER));
  /* counter staff need no passphrase */
  g_assert_false (gtk_widget_get_visible (child (assistant, "staff_passphrase")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (assistant, "staff_role")), 2);
  g_assert_true (gtk_widget_get_visible (child (assistant, "staff_passphrase")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (assistant, "staff_role")), 0);

  type_into (assistant, "staff_name", DC_UI_TEST_CLERK);
  type_into (assistant, "staff_pin", DC_UI_TEST_CLERK_PIN);
  g_assert_false (gtk_widget_is_sensitive (child (assistant, "staff_add_button")));
  /* a half-filled person blocks Finish: add them or clear the name */
  g_assert_false (next_enabled (assistant));
  g_assert_true (gtk_widget_get_visible (child (assistant, "staff_hint")));
  type_into (assistant, "staff_pin_again", DC_UI_TEST_CLERK_PIN);
  g_assert_false (gtk_widget_get_visible (child (assistant, "staff_hint")));
  g_assert_true (gtk_widget_is_sensitive (child (assistant, "staff_add_button")));
  press (assistant, "staff_add_button");
  while (dc_ui_test_find_label (list, DC_UI_TEST_CLERK) == NULL && g_get_monotonic_time () < until)
    dc_ui_test_pump (20);
  g_assert_nonnull (dc_ui_test_find_label (list, DC_UI_TEST_CLERK));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (assistant, "staff_name"))), ==, "");
  g_assert_true (next_enabled (assistant));
  shot (assistant, "setup-5-staff");
}

static void
check_store (const char *store_dir, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = dc_store_open (store_dir, &error);
  g_autoptr(GArray) terminals = NULL;
  g_autoptr(GArray) staff = NULL;
  g_autoptr(DcActor) by_pass = NULL;
  g_autoptr(DcActor) by_key = NULL;
  g_autoptr(DcActor) clerk = NULL;
  g_autoptr(GString) filtered = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (dc_store_name (store), ==, STORE_NAME);
  g_assert_cmpstr (dc_store_operator (store), ==, OPERATOR);
  g_assert_cmpstr (dc_store_profile (store)->id, ==, "tokyo");
  g_assert_false (dc_store_is_demo (store));

  terminals = dc_db_terminal_list (dc_store_db (store), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (terminals->len, ==, 40);
  for (guint i = 0; i < terminals->len; i++)
    {
      DcTerminalRow *row = &g_array_index (terminals, DcTerminalRow, i);
      g_autofree char *label = g_strdup_printf ("PC-%02u", i + 1);
      g_autofree char *booth = g_strdup_printf ("%02u", i + 1);

      g_assert_cmpstr (row->label, ==, label);
      g_assert_cmpstr (row->booth, ==, booth);
      if (row->filtered)
        g_string_append_printf (filtered, "%s ", row->label);
    }
  g_assert_cmpstr (filtered->str, ==, "PC-01 PC-02 PC-39 PC-40 ");

  staff = dc_db_staff_list (dc_store_db (store), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, 2);
  for (guint i = 0; i < staff->len; i++)
    {
      DcStaffRow *row = &g_array_index (staff, DcStaffRow, i);

      g_assert_cmpstr (row->role, ==, g_str_equal (row->name, DC_UI_TEST_MANAGER) ? "manager" : "counter");
    }

  by_pass = dc_store_sign_in_passphrase (store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_actor_is_manager (by_pass));
  by_key = dc_store_sign_in_recovery (store, DC_UI_TEST_MANAGER, code, &error);
  g_assert_no_error (error);
  g_assert_true (dc_actor_is_manager (by_key));
  clerk = dc_store_sign_in_pin (store, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dc_actor_role (clerk), ==, "counter");
}

static void
remove_store (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_first_run (void)
{
  g_autofree char *dir = g_dir_make_tmp ("daicho-setup-XXXXXX", NULL);
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  g_autoptr(DcSecret) code = NULL;
  g_autofree char *tail = NULL;
  GtkWidget *assistant;
  GtkWidget *window = assistant_window (store_dir, &assistant);
  guint finished = 0;

  g_signal_connect (assistant, "finished", G_CALLBACK (on_finished), &finished);

  /* 1: the store */
  fill_store_step (assistant);
  type_into (assistant, "address", "東京都新宿区新宿3-1-1");
  shot (window, "setup-1-store");
  press (assistant, "next_button");

  /* 2: the manager */
  g_assert_cmpstr (page (assistant), ==, "manager");
  fill_manager_step (assistant);
  shot (window, "setup-2-manager");
  press (assistant, "next_button");

  /* 3: the store is created in a thread, then the key shows */
  g_assert_cmpstr (page (assistant), ==, "recovery");
  g_assert_false (next_enabled (assistant));
  g_assert_true (wait_for_key (assistant));
  g_assert_true (g_file_test (store_dir, G_FILE_TEST_IS_DIR));
  /* the passphrase and PIN are not kept in the form once the store has them */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (assistant, "passphrase"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (assistant, "pin"))), ==, "");
  code = run_recovery_step (assistant, dir);
  tail = g_strdup (code + strlen (code) - 9);
  press (assistant, "next_button");

  /* 4: terminals — and the key is gone from every label and field */
  g_assert_cmpstr (page (assistant), ==, "terminals");
  g_assert_false (tree_shows (window, code));
  g_assert_false (tree_shows (window, tail));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = g_strndup (code + 15 * i, 14);
      g_assert_false (tree_shows (window, line));
    }
  g_assert_false (gtk_widget_get_visible (child (assistant, "cancel_button")));
  g_assert_false (gtk_widget_get_visible (child (assistant, "back_button")));
  fill_terminals_step (assistant);
  press (assistant, "next_button");

  /* 5: staff, then Finish */
  g_assert_cmpstr (page (assistant), ==, "staff");
  fill_staff_step (assistant);
  press (assistant, "next_button");
  g_assert_cmpuint (finished, ==, 1);
  g_assert_nonnull (finished_store);
  g_assert_cmpstr (dc_store_dir (finished_store), ==, store_dir);
  g_clear_pointer (&finished_store, dc_store_free);
  gtk_window_destroy (GTK_WINDOW (window));

  check_store (store_dir, code);
  remove_store (store_dir);
  g_rmdir (dir);
}

/* ---- desktop file and AppStream metainfo ---- */

static char *
built_data_file (const char *name)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  char *path;

  g_assert_nonnull (builddir);
  path = g_build_filename (builddir, "..", "data", name, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

static gboolean
tool_missing (const char *tool)
{
  g_autofree char *path = g_find_program_in_path (tool);

  if (path == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed", tool);
      g_test_skip (why);
    }
  return path == NULL;
}

static void
run_validator (const char *const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed:\n%s%s", argv[0], *out, err);
}

static void
test_desktop_file (void)
{
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  const char *argv[] = { "desktop-file-validate", NULL, NULL };

  if (tool_missing (argv[0]))
    return;
  path = built_data_file ("jp.daicho.Daicho.desktop");
  argv[1] = path;
  run_validator (argv, &out);
  /* it says nothing at all when the file is clean, hints included */
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nExec=daicho\n"));
  g_assert_nonnull (strstr (text, "\nIcon=jp.daicho.Daicho\n"));
  /* the Japanese name comes from po/ja.po through the merge */
  g_assert_nonnull (strstr (text, "\nName[ja]=台帳\n"));
}

static void
test_metainfo (void)
{
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { "appstreamcli", "validate", "--no-net", "--pedantic", "--no-color", NULL, NULL };

  if (tool_missing (argv[0]))
    return;
  path = built_data_file ("jp.daicho.Daicho.metainfo.xml");
  argv[5] = path;
  run_validator (argv, &out);
  /* no error, warning or info; of the pedantic notes only the one the reverse-DNS id with
   * its capital (as GNOME's own ids have) brings */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_false (g_str_has_prefix (lines[i], "E:"));
      g_assert_false (g_str_has_prefix (lines[i], "W:"));
      g_assert_false (g_str_has_prefix (lines[i], "I:"));
      if (g_str_has_prefix (lines[i], "P:"))
        g_assert_nonnull (strstr (lines[i], "cid-contains-uppercase-letter"));
    }
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<id>jp.daicho.Daicho</id>"));
  g_assert_nonnull (strstr (text, "xml:lang=\"ja\""));
}

/* AdwApplication loads style.css by itself; these widgets run without one. Animations off,
 * so that screenshots show the page, not a slide half-way. */
static void
style_like_the_app (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/jp/daicho/Daicho/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

int
main (int argc, char **argv)
{
  dc_ui_test_init (&argc, &argv);
  style_like_the_app ();
  g_test_add_func ("/ui/setup/welcome", test_welcome);
  g_test_add_func ("/ui/setup/cancel", test_cancel);
  g_test_add_func ("/ui/setup/store-step-needs-name-and-operator", test_store_step_needs_name_and_operator);
  g_test_add_func ("/ui/setup/passphrase-rules", test_passphrase_rules);
  g_test_add_func ("/ui/setup/first-run", test_first_run);
  g_test_add_func ("/data/desktop-file/validate", test_desktop_file);
  g_test_add_func ("/data/metainfo/validate", test_metainfo);
  return g_test_run ();
}
