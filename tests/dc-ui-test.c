/* tests/dc-ui-test.c — helpers for UI tests: real widgets under Xvfb, a store on a fixed clock, PNG screenshots. */
#include "dc-ui-test.h"
#include "dc-card.h"
#include "dc-checkin.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

void
dc_ui_test_init (int *argc, char ***argv)
{
  const char *lang = g_getenv ("DAICHO_TEST_LANG");

  if (lang == NULL)
    lang = "ja_JP.UTF-8";
  g_setenv ("LC_ALL", lang, TRUE);
  g_setenv ("LANGUAGE", g_str_has_prefix (lang, "ja") ? "ja" : "en", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain ("daicho", g_getenv ("DAICHO_LOCALEDIR") != NULL ? g_getenv ("DAICHO_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset ("daicho", "UTF-8");
  textdomain ("daicho");

  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  dc_crypto_init ();

  /* the app's own looks (AdwApplication loads them; tests have no application), and no
   * transition caught halfway in a screenshot */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/jp/daicho/Daicho/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

gint64
dc_ui_test_tokyo (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static gint64
read_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* The folders dc_ui_test_store made, removed at exit when the test has not removed them:
 * the store often lives as long as the program's windows do. */
static GPtrArray *made_dirs;

static void
remove_made_dirs (void)
{
  for (guint i = 0; made_dirs != NULL && i < made_dirs->len; i++)
    if (g_file_test (made_dirs->pdata[i], G_FILE_TEST_IS_DIR))
      dc_ui_test_remove_tree (made_dirs->pdata[i]);
  g_clear_pointer (&made_dirs, g_ptr_array_unref);
}

DcStore *
dc_ui_test_store (guint n_terminals, gint64 *clock)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("daicho-ui-XXXXXX", &error);
  g_autofree char *store_dir = NULL;
  g_autoptr(DcActor) manager = NULL;
  char *code = NULL;
  DcStoreSetup setup = {
    .name = "新宿東口店",
    .operator_name = "株式会社サンプル",
    .prefecture = "tokyo",
    .manager = DC_UI_TEST_MANAGER,
  };
  DcStore *store;

  g_assert_no_error (error);
  if (made_dirs == NULL)
    {
      made_dirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_made_dirs);
    }
  g_ptr_array_add (made_dirs, g_strdup (dir));
  store_dir = g_build_filename (dir, "store", NULL);
  *clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  store = dc_store_create (store_dir, &setup, DC_UI_TEST_PASSPHRASE, DC_UI_TEST_MANAGER_PIN, &code, &error);
  g_assert_no_error (error);
  dc_secret_free (code);
  dc_store_set_clock (store, read_clock, clock);

  manager = dc_store_sign_in_passphrase (store, DC_UI_TEST_MANAGER, DC_UI_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, manager, DC_UI_TEST_CLERK, "counter", DC_UI_TEST_CLERK_PIN, NULL, NULL,
                                     &error));
  g_assert_no_error (error);
  for (guint i = 1; i <= n_terminals; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%02u", i);
      g_autofree char *booth = g_strdup_printf ("B%02u", i);

      g_assert_true (dc_store_add_terminal (store, manager, label, booth, i % 4 == 0, NULL, &error));
      g_assert_no_error (error);
    }
  return store;
}

DcWindow *
dc_ui_test_counter_window (DcStore *store, DcSession **out_session)
{
  g_autoptr(GError) error = NULL;
  DcWindow *window = dc_window_new (NULL, "/nonexistent", store);

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  *out_session = dc_window_get_session (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (dc_session_sign_in (*out_session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  g_assert_no_error (error);
  return window;
}

char *
dc_ui_test_register_member (DcStore *store, DcActor *actor, const char *name, int birth_year, const char *terminal,
                            char **out_card)
{
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  g_autoptr(GError) error = NULL;
  char *member;

  dc_identity_init (&request.identity);
  request.identity.doc_type = "drivers_license";
  request.identity.doc_number = "301234567890";
  g_date_set_dmy (&request.identity.doc_expiry, 31, 12, 2035);
  request.identity.name = name;
  request.identity.kana = "ヤマダ タロウ";
  g_date_set_dmy (&request.identity.dob, 5, 5, (GDateYear) birth_year);
  request.identity.address = "東京都新宿区西新宿2-8-1";
  g_assert_true (dc_checkin (store, actor, &request, &result, &error));
  g_assert_no_error (error);
  g_assert_true (dc_checkout (store, actor, NULL, result.visit_id, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  g_assert_true (dc_card_current (store, actor, result.member_number, out_card, NULL, &error));
  g_assert_no_error (error);
  member = g_strdup (result.member_number);
  dc_checkin_result_clear (&result);
  return member;
}

void
dc_ui_test_close_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (w);
    }
  dc_ui_test_pump (10);
}

void
dc_ui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        dc_ui_test_remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static gboolean
quit_loop (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
dc_ui_test_pump (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_loop, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
dc_ui_test_wait (gboolean *done, guint timeout_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!*done && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return *done;
}

char *
dc_ui_test_screenshot (GtkWidget *widget, const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  dc_ui_test_pump (50);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  g_mkdir_with_parents (dir, 0755);

  paintable = gtk_widget_paintable_new (widget);
  /* a widget between two frames (a page being swapped in) may draw nothing: wait a frame */
  for (int tries = 0; node == NULL && tries < 40; tries++)
    {
      if (tries > 0)
        dc_ui_test_pump (50);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

static GtkWidget *
find (GtkWidget *root, gboolean (*match) (GtkWidget *, gconstpointer), gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
match_name (GtkWidget *w, gconstpointer name)
{
  const char *id = GTK_IS_BUILDABLE (w) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) : NULL;

  return g_strcmp0 (id, name) == 0 || g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

static gboolean
match_type (GtkWidget *w, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (w, GPOINTER_TO_SIZE (type));
}

/* The text a label or an inscription (the counter's list cells) shows, else NULL. */
const char *
dc_ui_test_widget_text (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    return gtk_label_get_text (GTK_LABEL (w));
  if (GTK_IS_INSCRIPTION (w))
    return gtk_inscription_get_text (GTK_INSCRIPTION (w)) ?: "";
  return NULL;
}

static gboolean
match_label (GtkWidget *w, gconstpointer text)
{
  const char *shown = dc_ui_test_widget_text (w);

  return shown != NULL && strstr (shown, text) != NULL;
}

static gboolean
match_button (GtkWidget *w, gconstpointer text)
{
  const char *label = GTK_IS_BUTTON (w) ? gtk_button_get_label (GTK_BUTTON (w)) : NULL;

  if (label != NULL && strstr (label, text) != NULL)
    return TRUE;
  return GTK_IS_BUTTON (w) && find (w, match_label, text) != NULL;
}

GtkWidget *
dc_ui_test_find_by_name (GtkWidget *root, const char *name)
{
  return find (root, match_name, name);
}

GtkWidget *
dc_ui_test_find_by_type (GtkWidget *root, GType type)
{
  return find (root, match_type, GSIZE_TO_POINTER (type));
}

GtkWidget *
dc_ui_test_find_label (GtkWidget *root, const char *text)
{
  return find (root, match_label, text);
}

GtkWidget *
dc_ui_test_find_button (GtkWidget *root, const char *text)
{
  return find (root, match_button, text);
}
