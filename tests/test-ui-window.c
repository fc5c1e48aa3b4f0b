/* tests/test-ui-window.c — the main window: which page shows, locking by Ctrl+L and on idle. */
#include "dc-ui-test.h"
#include "dc-window.h"

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

int
main (int argc, char **argv)
{
  dc_ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/window/welcome-without-store", test_welcome_without_store);
  g_test_add_func ("/ui/window/lock-action", test_lock_action);
  g_test_add_func ("/ui/window/lock-on-idle", test_lock_on_idle);
  return g_test_run ();
}
