/* ui/desktop/dc-window.c — the main window: which page shows, locking on idle and Ctrl+L. */
#include "dc-window.h"
#include "dc-checkin-dialog.h"
#include "dc-counter-page.h"
#include "dc-demo.h"
#include "dc-setup-assistant.h"
#include "dc-signin-page.h"
#include "dc-welcome-page.h"

#include <glib/gi18n.h>

struct _DcWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toasts;
  GtkStack        *stack;

  char            *store_dir;
  DcSession       *session;
  GtkWidget       *signin;
  GtkWidget       *counter;
  guint            idle_seconds;
  gint64           last_activity;   /* monotonic µs */
  guint            idle_source;
  guint            ticks_since_checkpoint;
};

G_DEFINE_FINAL_TYPE (DcWindow, dc_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_page (DcWindow *self, const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

const char *
dc_window_get_page (DcWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

DcSession *
dc_window_get_session (DcWindow *self)
{
  return self->session;
}

void
dc_window_set_idle_seconds (DcWindow *self, guint seconds)
{
  self->idle_seconds = seconds;
}

static void
on_activity (DcWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static gboolean
on_key (GtkEventControllerKey *ctrl, guint keyval, guint keycode, GdkModifierType state, DcWindow *self)
{
  on_activity (self);
  return GDK_EVENT_PROPAGATE;
}

static void
on_motion (GtkEventControllerMotion *ctrl, double x, double y, DcWindow *self)
{
  on_activity (self);
}

static void
on_click (GtkGestureClick *gesture, int n_press, double x, double y, DcWindow *self)
{
  on_activity (self);
}

static gboolean
check_idle (gpointer user_data)
{
  DcWindow *self = user_data;

  gint64 idle = g_get_monotonic_time () - self->last_activity;

  if (self->session != NULL && dc_session_get_signed_in (self->session) && self->idle_seconds > 0
      && idle > (gint64) self->idle_seconds * G_USEC_PER_SEC)
    dc_session_lock (self->session);

  /* WAL checkpoints wait for a quiet moment at the counter, never inside an action */
  if (self->session != NULL && idle > 2 * G_USEC_PER_SEC && ++self->ticks_since_checkpoint >= 30)
    {
      self->ticks_since_checkpoint = 0;
      dc_store_checkpoint (dc_session_get_store (self->session), NULL);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_signed_in_changed (DcSession *session, GParamSpec *pspec, DcWindow *self)
{
  if (dc_session_get_signed_in (session))
    {
      on_activity (self);
      dc_counter_page_refresh (DC_COUNTER_PAGE (self->counter));
      show_page (self, "counter");
    }
}

static void
on_locked (DcSession *session, DcWindow *self)
{
  /* close every dialog: a locked counter shows no customer information */
  GList *windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != self && gtk_window_get_transient_for (l->data) == GTK_WINDOW (self))
      gtk_window_destroy (l->data);
  g_list_free (windows);
  dc_signin_page_reset (DC_SIGNIN_PAGE (self->signin));
  show_page (self, "signin");
}

void
dc_window_open_store (DcWindow *self, DcStore *store)
{
  g_autofree char *title = NULL;

  g_clear_object (&self->session);
  if (self->signin != NULL)
    gtk_stack_remove (self->stack, self->signin);
  if (self->counter != NULL)
    gtk_stack_remove (self->stack, self->counter);

  self->session = dc_session_new (store);
  g_signal_connect_object (self->session, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self, 0);
  g_signal_connect_object (self->session, "locked", G_CALLBACK (on_locked), self, 0);
  self->signin = dc_signin_page_new (self->session);
  self->counter = dc_counter_page_new (self->session);
  gtk_stack_add_named (self->stack, self->signin, "signin");
  gtk_stack_add_named (self->stack, self->counter, "counter");

  title = dc_store_is_demo (store) ? g_strdup_printf (_("%s — DEMO (synthetic data)"), dc_store_name (store))
                                   : g_strdup (dc_store_name (store));
  gtk_window_set_title (GTK_WINDOW (self), title);
  if (dc_store_is_demo (store))
    gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
  dc_signin_page_reset (DC_SIGNIN_PAGE (self->signin));
  show_page (self, "signin");
}

char *
dc_window_demo_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "daicho", "demo", NULL);
}

static void
on_setup_finished (DcSetupAssistant *assistant, gpointer store, DcWindow *self)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, "setup");

  dc_window_open_store (self, store);
  if (page != NULL)
    gtk_stack_remove (self->stack, page);
}

static void
on_setup_cancelled (DcSetupAssistant *assistant, DcWindow *self)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, "setup");

  show_page (self, "welcome");
  if (page != NULL)
    gtk_stack_remove (self->stack, page);
}

static void
on_setup_requested (DcWelcomePage *welcome, DcWindow *self)
{
  GtkWidget *assistant = dc_setup_assistant_new (self->store_dir);

  g_signal_connect_object (assistant, "finished", G_CALLBACK (on_setup_finished), self, 0);
  g_signal_connect_object (assistant, "cancelled", G_CALLBACK (on_setup_cancelled), self, 0);
  gtk_stack_add_named (self->stack, assistant, "setup");
  show_page (self, "setup");
}

static void
on_demo_requested (DcWelcomePage *welcome, DcWindow *self)
{
  g_autofree char *dir = dc_window_demo_dir ();
  g_autoptr(GError) error = NULL;
  DcStore *store;

  store = dc_store_open (dir, NULL);
  if (store == NULL)
    {
      DcDemoOptions options = { .days = 30, .visits_per_day = 300, .seed = 1 };
      store = dc_demo_create (dir, &options, NULL, &error);
    }
  if (store == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return;
    }
  dc_window_open_store (self, store);
}

static void
lock_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcWindow *self = DC_WINDOW (widget);

  if (self->session != NULL)
    dc_session_lock (self->session);
}

static void
dc_window_dispose (GObject *object)
{
  DcWindow *self = DC_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (dc_window_parent_class)->dispose (object);
}

static void
dc_window_finalize (GObject *object)
{
  DcWindow *self = DC_WINDOW (object);

  g_free (self->store_dir);
  G_OBJECT_CLASS (dc_window_parent_class)->finalize (object);
}

static void
dc_window_class_init (DcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_window_dispose;
  object_class->finalize = dc_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DcWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, DcWindow, stack);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
}

static void
dc_window_init (DcWindow *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* any input anywhere counts as activity: capture phase sees it before the widgets */
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  self->idle_seconds = DC_IDLE_LOCK_DEFAULT_SECONDS;
  self->last_activity = g_get_monotonic_time ();
  self->idle_source = g_timeout_add_seconds (1, check_idle, self);
}

DcWindow *
dc_window_new (GtkApplication *app, const char *store_dir, DcStore *store)
{
  DcWindow *self = g_object_new (DC_TYPE_WINDOW, "application", app, NULL);
  GtkWidget *welcome = dc_welcome_page_new ();

  self->store_dir = g_strdup (store_dir);
  g_signal_connect_object (welcome, "setup-requested", G_CALLBACK (on_setup_requested), self, 0);
  g_signal_connect_object (welcome, "demo-requested", G_CALLBACK (on_demo_requested), self, 0);
  gtk_stack_add_named (self->stack, welcome, "welcome");
  if (store != NULL)
    dc_window_open_store (self, store);
  else
    show_page (self, "welcome");
  return self;
}
