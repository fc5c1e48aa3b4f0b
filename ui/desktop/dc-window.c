/* ui/desktop/dc-window.c — the main window: which page shows, locking on idle and Ctrl+L. */
#include "dc-window.h"
#include "dc-checkin-dialog.h"
#include "dc-counter-page.h"
#include "dc-curfew.h"
#include "dc-demo.h"
#include "dc-manager-window.h"
#include "dc-setup-assistant.h"
#include "dc-signin-page.h"
#include "dc-step-up-dialog.h"
#include "dc-welcome-page.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

struct _DcWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toasts;
  GtkStack        *stack;

  char            *store_dir;
  DcSession       *session;
  GtkWidget       *signin;
  GtkWidget       *counter;
  DcCurfew        *curfew;          /* alerts and the dialog for minors at the curfew */
  guint            idle_seconds;
  gboolean         idle_fixed;      /* set by dc_window_set_idle_seconds: the store's setting is ignored */
  gint64           last_activity;   /* monotonic µs */
  guint            idle_source;
  guint            ticks_since_checkpoint;
  GCancellable    *demo_cancellable;   /* while the demo store is being made */
  GtkProgressBar  *demo_bar;
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
  self->idle_fixed = TRUE;
}

guint
dc_window_get_idle_seconds (DcWindow *self)
{
  return self->idle_seconds;
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.manager", dc_session_get_signed_in (session));
  if (dc_session_get_signed_in (session))
    {
      if (!self->idle_fixed)
        self->idle_seconds = 60 * (guint) dc_store_get_setting (dc_session_get_store (session),
                                                                DC_SETTING_IDLE_LOCK_MINUTES);
      on_activity (self);
      dc_counter_page_refresh (DC_COUNTER_PAGE (self->counter));
      show_page (self, "counter");
    }
}

/* Is @window over @self, directly or over one of its windows (the manager window's dialogs)? */
static gboolean
is_over (GtkWindow *window, GtkWindow *self)
{
  for (GtkWindow *w = gtk_window_get_transient_for (window); w != NULL; w = gtk_window_get_transient_for (w))
    if (w == self)
      return TRUE;
  return FALSE;
}

/* ---- dialogs: typing in one is activity, and Ctrl+L locks from there too ---- */

static gboolean
on_dialog_key (GtkEventControllerKey *ctrl, guint keyval, guint keycode, GdkModifierType state, DcWindow *self)
{
  GtkWidget *window = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (ctrl));

  if (!is_over (GTK_WINDOW (window), GTK_WINDOW (self)))
    return GDK_EVENT_PROPAGATE;
  on_activity (self);
  if ((keyval == GDK_KEY_l || keyval == GDK_KEY_L)
      && (state & gtk_accelerator_get_default_mod_mask ()) == GDK_CONTROL_MASK
      && self->session != NULL && dc_session_get_signed_in (self->session))
    {
      dc_session_lock (self->session);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_dialog_pointer (GtkEventController *ctrl, DcWindow *self)
{
  if (is_over (GTK_WINDOW (gtk_event_controller_get_widget (ctrl)), GTK_WINDOW (self)))
    on_activity (self);
}

static void
on_dialog_motion (GtkEventControllerMotion *ctrl, double x, double y, DcWindow *self)
{
  on_dialog_pointer (GTK_EVENT_CONTROLLER (ctrl), self);
}

static void
on_dialog_click (GtkGestureClick *gesture, int n_press, double x, double y, DcWindow *self)
{
  on_dialog_pointer (GTK_EVENT_CONTROLLER (gesture), self);
}

/* A window is listed as a toplevel before it is made transient, so watch every new one and
 * decide at each event whether it is over this window. */
static void
watch_window (DcWindow *self, GtkWindow *window)
{
  GtkEventController *key, *motion;
  GtkGesture *click;

  if (window == GTK_WINDOW (self) || g_object_get_data (G_OBJECT (window), "dc-watched") == self)
    return;
  g_object_set_data (G_OBJECT (window), "dc-watched", self);
  key = gtk_event_controller_key_new ();
  g_object_set_data (G_OBJECT (key), "dc-activity", self);
  motion = gtk_event_controller_motion_new ();
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (on_dialog_key), self, 0);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_dialog_motion), self, 0);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_dialog_click), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), key);
  gtk_widget_add_controller (GTK_WIDGET (window), motion);
  gtk_widget_add_controller (GTK_WIDGET (window), GTK_EVENT_CONTROLLER (click));
}

static void
on_toplevels_changed (GListModel *toplevels, guint position, guint removed, guint added, DcWindow *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      watch_window (self, window);
    }
}

static void
on_locked (DcSession *session, DcWindow *self)
{
  /* close every dialog and the manager window: a locked counter shows no customer
   * information. Closing a window closes its own dialogs too, so hold on to them all. */
  GList *windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != self && is_over (l->data, GTK_WINDOW (self)))
      gtk_window_destroy (l->data);
  g_list_free_full (windows, g_object_unref);
  dc_signin_page_reset (DC_SIGNIN_PAGE (self->signin));
  show_page (self, "signin");
}

/* ---- the manager window, behind a step-up ---- */

static void
open_manager (GtkWidget *widget, DcActor *manager)
{
  DcWindow *self = DC_WINDOW (widget);
  GList *windows = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = windows; l != NULL && found == NULL; l = l->next)
    if (DC_IS_MANAGER_WINDOW (l->data) && gtk_window_get_transient_for (l->data) == GTK_WINDOW (self))
      found = l->data;
  g_list_free (windows);
  if (found == NULL)
    found = GTK_WINDOW (dc_manager_window_new (GTK_WINDOW (self), self->session));
  gtk_window_present (found);
}

static void
manager_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcWindow *self = DC_WINDOW (widget);

  /* counter staff at the counter get the passphrase dialog, never the pages */
  if (self->session != NULL && dc_session_get_signed_in (self->session))
    dc_step_up_then (widget, self->session, open_manager);
}

/* ---- make bench (tests/bench/bench-desktop.c): DAICHO_BENCH_STARTUP=1 prints the monotonic
 * time of the first frame showing the sign-in page; DAICHO_BENCH_PIN_FD=N (a descriptor carrying
 * "name:pin") then signs in and
 * prints that of the first frame showing the counter page. ---- */

static void
bench_counter_painted (GdkFrameClock *clock, DcWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, bench_counter_painted, self);
  g_print ("daicho-counter %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
}

static void
bench_counter_mapped (GtkWidget *page, DcWindow *self)
{
  g_signal_handlers_disconnect_by_func (page, bench_counter_mapped, self);
  g_signal_connect (gtk_widget_get_frame_clock (page), "after-paint", G_CALLBACK (bench_counter_painted), self);
}

static gboolean
bench_sign_in (gpointer user_data)
{
  DcWindow *self = user_data;
  /* like every secret, the PIN comes from a descriptor, never from the environment */
  g_autoptr(DcSecret) line = dc_secret_read_fd (atoi (g_getenv ("DAICHO_BENCH_PIN_FD")), NULL);
  char *colon = line != NULL ? strchr (line, ':') : NULL;

  g_print ("daicho-signin %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_connect (self->counter, "map", G_CALLBACK (bench_counter_mapped), self);
  if (colon != NULL)
    *colon = '\0';
  if (colon == NULL || !dc_session_sign_in (self->session, line, colon + 1, NULL))
    g_printerr ("daicho: DAICHO_BENCH_PIN_FD: the sign-in failed\n");
  return G_SOURCE_REMOVE;
}

static void
bench_signin_painted (GdkFrameClock *clock, DcWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, bench_signin_painted, self);
  g_print ("daicho-ready %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  /* a pause, so that the bench reads the memory of the sign-in page alone */
  if (g_getenv ("DAICHO_BENCH_PIN_FD") != NULL)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 300, bench_sign_in, g_object_ref (self), g_object_unref);
}

static void
bench_signin_mapped (GtkWidget *page, DcWindow *self)
{
  g_signal_handlers_disconnect_by_func (page, bench_signin_mapped, self);
  g_signal_connect (gtk_widget_get_frame_clock (page), "after-paint", G_CALLBACK (bench_signin_painted), self);
}

void
dc_window_open_store (DcWindow *self, DcStore *store)
{
  g_autofree char *title = NULL;

  g_clear_object (&self->curfew);
  g_clear_object (&self->session);
  if (self->signin != NULL)
    gtk_stack_remove (self->stack, self->signin);
  if (self->counter != NULL)
    gtk_stack_remove (self->stack, self->counter);

  self->session = dc_session_new (store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.manager", FALSE);
  g_signal_connect_object (self->session, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self, 0);
  g_signal_connect_object (self->session, "locked", G_CALLBACK (on_locked), self, 0);
  self->signin = dc_signin_page_new (self->session);
  if (g_getenv ("DAICHO_BENCH_STARTUP") != NULL)
    g_signal_connect (self->signin, "map", G_CALLBACK (bench_signin_mapped), self);
  self->counter = dc_counter_page_new (self->session);
  gtk_stack_add_named (self->stack, self->signin, "signin");
  gtk_stack_add_named (self->stack, self->counter, "counter");
  self->curfew = dc_curfew_new (self->session, GTK_WINDOW (self), self->toasts);

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

/* ---- the demo store, made in a worker thread ---- */

typedef struct {
  DcWindow *window;
  guint     day;
  guint     days;
} DemoProgress;

static void
demo_progress_free (gpointer data)
{
  DemoProgress *p = data;

  g_object_unref (p->window);
  g_free (p);
}

static gboolean
show_demo_progress (gpointer data)
{
  DemoProgress *p = data;
  g_autofree char *text = NULL;

  if (p->window->demo_bar == NULL)
    return G_SOURCE_REMOVE;
  /* Translators: progress while the demo store is made: simulated day 12 of 30. */
  text = g_strdup_printf (_("Day %u of %u"), p->day, p->days);
  gtk_progress_bar_set_fraction (p->window->demo_bar, p->days > 0 ? (double) p->day / p->days : 0);
  gtk_progress_bar_set_text (p->window->demo_bar, text);
  return G_SOURCE_REMOVE;
}

/* Called in the worker: the bar moves in the main thread. */
static void
on_demo_progress (guint day, guint days, gpointer user_data)
{
  DemoProgress *p = g_new0 (DemoProgress, 1);

  p->window = g_object_ref (user_data);
  p->day = day;
  p->days = days;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_demo_progress, p, demo_progress_free);
}

static void
make_demo (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DcDemoOptions options = {
    .days = 30, .visits_per_day = 300, .seed = 1,
    .progress = on_demo_progress, .progress_data = source,
  };
  GError *error = NULL;
  DcStore *store = dc_demo_create (task_data, &options, NULL, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, (GDestroyNotify) dc_store_free);
}

static void
on_demo_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DcWindow *self = DC_WINDOW (source);
  g_autoptr(GError) error = NULL;
  DcStore *store = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *page;

  /* cancelled: the window went away meanwhile (a store made anyway is freed by the task) */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->demo_cancellable);
  self->demo_bar = NULL;
  page = gtk_stack_get_child_by_name (self->stack, "welcome");
  if (page != NULL)
    gtk_widget_set_sensitive (page, TRUE);
  if (store == NULL)
    {
      show_page (self, "welcome");
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
    }
  else
    dc_window_open_store (self, store);
  page = gtk_stack_get_child_by_name (self->stack, "demo");
  if (page != NULL)
    gtk_stack_remove (self->stack, page);
}

static GtkWidget *
demo_page (DcWindow *self)
{
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *bar = gtk_progress_bar_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-new-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Creating the Demo Store"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("A month of visits by made-up customers is being simulated. This takes a moment."));
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (bar), _("Starting…"));
  gtk_widget_set_size_request (bar, 420, -1);
  gtk_widget_set_halign (bar, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Progress of the demo store"), -1);
  adw_status_page_set_child (ADW_STATUS_PAGE (status), bar);
  self->demo_bar = GTK_PROGRESS_BAR (bar);
  return status;
}

static void
on_demo_requested (DcWelcomePage *welcome, DcWindow *self)
{
  g_autofree char *dir = dc_window_demo_dir ();
  g_autoptr(GTask) task = NULL;
  DcStore *store;

  if (self->demo_cancellable != NULL)
    return;
  store = dc_store_open (dir, NULL);
  if (store != NULL)
    {
      dc_window_open_store (self, store);
      return;
    }
  /* a month of history takes a while: the window stays responsive and shows how far it is */
  gtk_widget_set_sensitive (GTK_WIDGET (welcome), FALSE);
  gtk_stack_add_named (self->stack, demo_page (self), "demo");
  show_page (self, "demo");
  self->demo_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->demo_cancellable, on_demo_made, NULL);
  g_task_set_task_data (task, g_steal_pointer (&dir), g_free);
  g_task_run_in_thread (task, make_demo);
}

void
dc_window_open_demo (DcWindow *self)
{
  GtkWidget *welcome = gtk_stack_get_child_by_name (self->stack, "welcome");

  on_demo_requested (DC_WELCOME_PAGE (welcome), self);
}

void
dc_window_show_error (DcWindow *self, const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);   /* stays until dismissed: it explains why no store opened */
  adw_toast_overlay_add_toast (self->toasts, toast);
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
  if (self->demo_cancellable != NULL)
    g_cancellable_cancel (self->demo_cancellable);
  g_clear_object (&self->demo_cancellable);
  self->demo_bar = NULL;
  g_clear_object (&self->curfew);
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
  gtk_widget_class_install_action (widget_class, "win.manager", NULL, manager_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.manager", NULL);
}

static void
dc_window_init (DcWindow *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.manager", FALSE);

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

  g_signal_connect_object (gtk_window_get_toplevels (), "items-changed", G_CALLBACK (on_toplevels_changed), self, 0);

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
