/* ui/desktop/dc-welcome-page.c — first run, no store yet: set one up or open the demo store. */
#include "dc-welcome-page.h"

struct _DcWelcomePage
{
  GtkWidget  parent_instance;

  GtkWidget *content;
  GtkWidget *setup_button;
};

G_DEFINE_FINAL_TYPE (DcWelcomePage, dc_welcome_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SETUP_REQUESTED,
  SIGNAL_DEMO_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
setup_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_SETUP_REQUESTED], 0);
}

static void
demo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_DEMO_REQUESTED], 0);
}

/* The usual first choice gets the keyboard, so Enter starts the set-up. */
static void
dc_welcome_page_map (GtkWidget *widget)
{
  DcWelcomePage *self = DC_WELCOME_PAGE (widget);

  GTK_WIDGET_CLASS (dc_welcome_page_parent_class)->map (widget);
  gtk_widget_grab_focus (self->setup_button);
}

static void
dc_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DC_TYPE_WELCOME_PAGE);
  G_OBJECT_CLASS (dc_welcome_page_parent_class)->dispose (object);
}

static void
dc_welcome_page_class_init (DcWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dc_welcome_page_dispose;
  widget_class->map = dc_welcome_page_map;
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DcWelcomePage, content);
  gtk_widget_class_bind_template_child (widget_class, DcWelcomePage, setup_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "welcome.setup", NULL, setup_action);
  gtk_widget_class_install_action (widget_class, "welcome.demo", NULL, demo_action);

  signals[SIGNAL_SETUP_REQUESTED] = g_signal_new ("setup-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DEMO_REQUESTED] = g_signal_new ("demo-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dc_welcome_page_init (DcWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dc_welcome_page_new (void)
{
  return g_object_new (DC_TYPE_WELCOME_PAGE, NULL);
}
