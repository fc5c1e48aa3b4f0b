/* ui/desktop/dc-application.c — the GApplication: --store and --demo, the window, app-wide shortcuts. */
#include "dc-application.h"
#include "dc-window.h"

#include <glib/gi18n.h>

struct _DcApplication
{
  AdwApplication parent_instance;
  char          *store_dir;
  gboolean       demo;
};

G_DEFINE_FINAL_TYPE (DcApplication, dc_application, ADW_TYPE_APPLICATION)

static void
dc_application_activate (GApplication *app)
{
  DcApplication *self = DC_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *dir = NULL;
  DcStore *store;

  if (window == NULL)
    {
      g_autoptr(GError) error = NULL;

      dir = self->demo ? dc_window_demo_dir ()
                       : self->store_dir != NULL ? g_strdup (self->store_dir) : dc_store_default_dir ();
      store = dc_store_open (dir, &error);
      window = GTK_WINDOW (dc_window_new (GTK_APPLICATION (app), dir, store));
      if (store == NULL && self->demo)
        dc_window_open_demo (DC_WINDOW (window));   /* never the set-up assistant in the demo folder */
      else if (store == NULL && !g_error_matches (error, DC_DB_ERROR, DC_DB_ERROR_NOT_FOUND))
        dc_window_show_error (DC_WINDOW (window), error->message);   /* damaged, newer, foreign: say so */
    }
  gtk_window_present (window);
}

static gint
dc_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  DcApplication *self = DC_APPLICATION (app);

  g_variant_dict_lookup (options, "store", "^ay", &self->store_dir);
  self->demo = g_variant_dict_contains (options, "demo");
  return -1;
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
dc_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_action },
  };
  static const char *const quit_accels[] = { "<Control>q", NULL };
  static const char *const checkin_accels[] = { "F2", NULL };
  static const char *const checkout_accels[] = { "F4", NULL };
  static const char *const move_accels[] = { "F6", NULL };
  static const char *const find_accels[] = { "<Control>f", NULL };
  static const char *const lock_accels[] = { "<Control>l", NULL };

  G_APPLICATION_CLASS (dc_application_parent_class)->startup (app);
  /* found in the resources' icons folder, which GtkApplication adds to the icon theme */
  gtk_window_set_default_icon_name (DC_APPLICATION_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "counter.checkin", checkin_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "counter.checkout", checkout_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "counter.move", move_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "counter.find", find_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.lock", lock_accels);
}

static void
dc_application_finalize (GObject *object)
{
  g_free (DC_APPLICATION (object)->store_dir);
  G_OBJECT_CLASS (dc_application_parent_class)->finalize (object);
}

static void
dc_application_class_init (DcApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = dc_application_finalize;
  app_class->activate = dc_application_activate;
  app_class->startup = dc_application_startup;
  app_class->handle_local_options = dc_application_handle_local_options;
}

static void
dc_application_init (DcApplication *self)
{
  static const GOptionEntry options[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open the store in DIR"), N_("DIR") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the demo store (synthetic data)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

void
dc_application_choose_renderer (void)
{
  /* Counter PCs rarely have a GPU; GL in software (Mesa llvmpipe) costs 100 MB and most of
   * the CPU a frame. The cairo renderer draws this UI in a frame and starts in half the
   * time (tests/bench/bench-desktop). Users may still choose: set either variable. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

DcApplication *
dc_application_new (void)
{
  return g_object_new (DC_TYPE_APPLICATION,
                       "application-id", DC_APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/jp/daicho/Daicho",
                       NULL);
}
