/* tests/test-ui-window.c — the main window: which page shows, locking by Ctrl+L and on idle. */
#include "dc-ui-test.h"
#include "dc-window.h"
#include "dc-checkin-dialog.h"

#include <glib/gstdio.h>

static void
test_welcome_without_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("daicho-nostore-XXXXXX", NULL);
  DcWindow *window = dc_window_new (NULL, dir, NULL);

  gtk_window_present (GTK_WINDOW (window));
  dc_ui_test_pump (100);
  g_assert_cmpstr (dc_window_get_page (window), ==, "welcome");
  g_free (dc_ui_test_screenshot (GTK_WIDGET (window), "welcome"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (dir);
}

static void
test_lock_on_idle (void)
{
  gint64 clock;
  DcStore *store = dc_ui_test_store (4, &clock);
  DcWindow *window = dc_window_new (NULL, "/nonexistent", store);
  DcSession *session = dc_window_get_session (window);
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  dc_ui_test_pump (50);
  g_assert_cmpstr (dc_window_get_page (window), ==, "signin");
  g_assert_true (dc_session_sign_in (session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  g_assert_no_error (error);
  dc_ui_test_pump (50);
  g_assert_cmpstr (dc_window_get_page (window), ==, "counter");

  /* with no input for longer than the idle limit the counter locks */
  dc_window_set_idle_seconds (window, 1);
  dc_ui_test_pump (2600);
  g_assert_false (dc_session_get_signed_in (session));
  g_assert_cmpstr (dc_window_get_page (window), ==, "signin");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_lock_action (void)
{
  gint64 clock;
  DcStore *store = dc_ui_test_store (4, &clock);
  DcWindow *window = dc_window_new (NULL, "/nonexistent", store);
  DcSession *session = dc_window_get_session (window);
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (dc_session_sign_in (session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  dc_ui_test_pump (50);
  g_assert_cmpstr (dc_window_get_page (window), ==, "counter");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  dc_ui_test_pump (50);
  g_assert_false (dc_session_get_signed_in (session));
  g_assert_cmpstr (dc_window_get_page (window), ==, "signin");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The open check-in dialog, found among the toplevels. */
static GtkWindow *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (DC_IS_CHECKIN_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

/* A key press on @window as the window's own capture controller sees it. */
static void
press_key (GtkWindow *window, guint keyval, GdkModifierType state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean seen = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (g_object_get_data (G_OBJECT (c), "dc-activity") == NULL)
        continue;
      g_signal_emit_by_name (c, "key-pressed", keyval, 0, state, &handled);
      seen = TRUE;
    }
  g_assert_true (seen);
}

static void
open_checkin (DcWindow *window)
{
  DcCheckinDialog *dialog = dc_checkin_dialog_new (GTK_WINDOW (window), dc_window_get_session (window), NULL);

  gtk_window_present (GTK_WINDOW (dialog));
  dc_ui_test_pump (100);
}

static DcWindow *
signed_in_window (DcStore *store)
{
  DcWindow *window = dc_window_new (NULL, "/nonexistent", store);
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (dc_session_sign_in (dc_window_get_session (window), DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN,
                                     &error));
  g_assert_no_error (error);
  dc_ui_test_pump (50);
  g_assert_cmpstr (dc_window_get_page (window), ==, "counter");
  return window;
}

/* Typing into the check-in form keeps the counter awake; when the typing stops it locks
 * and the half-typed form goes with it. */
static void
test_dialog_typing_is_activity (void)
{
  gint64 clock;
  DcStore *store = dc_ui_test_store (4, &clock);
  DcWindow *window = signed_in_window (store);
  DcSession *session = dc_window_get_session (window);
  GtkWindow *dialog;

  dc_window_set_idle_seconds (window, 1);
  open_checkin (window);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  for (int i = 0; i < 8; i++)
    {
      press_key (dialog, GDK_KEY_a, 0);
      dc_ui_test_pump (400);
    }
  g_assert_true (dc_session_get_signed_in (session));
  g_assert_true (find_dialog () == dialog);

  dc_ui_test_pump (2600);
  g_assert_false (dc_session_get_signed_in (session));
  g_assert_null (find_dialog ());
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+L locks from inside a dialog, not only from the main window. */
static void
test_dialog_ctrl_l (void)
{
  gint64 clock;
  DcStore *store = dc_ui_test_store (4, &clock);
  DcWindow *window = signed_in_window (store);
  GtkWindow *dialog;

  open_checkin (window);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  press_key (dialog, GDK_KEY_l, GDK_SHIFT_MASK);   /* a capital L is just typing */
  g_assert_true (dc_session_get_signed_in (dc_window_get_session (window)));
  press_key (dialog, GDK_KEY_l, GDK_CONTROL_MASK);
  dc_ui_test_pump (50);
  g_assert_false (dc_session_get_signed_in (dc_window_get_session (window)));
  g_assert_null (find_dialog ());
  g_assert_cmpstr (dc_window_get_page (window), ==, "signin");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The idle limit is the store's setting, read at sign-in. */
static void
test_idle_setting (void)
{
  gint64 clock;
  DcStore *store = dc_ui_test_store (4, &clock);
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(GError) error = NULL;
  DcWindow *window;

  manager = dc_store_sign_in_passphrase (store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_set_setting (store, manager, DC_SETTING_IDLE_LOCK_MINUTES, 12, &error));
  g_assert_no_error (error);
  window = signed_in_window (store);
  g_assert_cmpuint (dc_window_get_idle_seconds (window), ==, 12 * 60);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The application icon ships in the resources at the path GtkApplication gives the icon
 * theme, so the window shows it even before installation; render it to look at. */
static void
test_icon (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  GtkWidget *window = gtk_window_new ();
  GtkWidget *image;

  gtk_icon_theme_add_resource_path (theme, "/jp/daicho/Daicho/icons");
  g_assert_true (gtk_icon_theme_has_icon (theme, "jp.daicho.Daicho"));
  g_assert_true (gtk_icon_theme_has_icon (theme, "jp.daicho.Daicho-symbolic"));
  image = gtk_image_new_from_icon_name ("jp.daicho.Daicho");
  gtk_image_set_pixel_size (GTK_IMAGE (image), 128);
  gtk_window_set_child (GTK_WINDOW (window), image);
  gtk_window_present (GTK_WINDOW (window));
  dc_ui_test_pump (100);
  g_free (dc_ui_test_screenshot (window, "app-icon"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  dc_ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/window/welcome-without-store", test_welcome_without_store);
  g_test_add_func ("/ui/window/lock-action", test_lock_action);
  g_test_add_func ("/ui/window/lock-on-idle", test_lock_on_idle);
  g_test_add_func ("/ui/window/dialog-typing-is-activity", test_dialog_typing_is_activity);
  g_test_add_func ("/ui/window/dialog-ctrl-l", test_dialog_ctrl_l);
  g_test_add_func ("/ui/window/idle-setting", test_idle_setting);
  g_test_add_func ("/ui/window/icon", test_icon);
  return g_test_run ();
}
