/* ui/desktop/dc-manager-terminals.c — the terminals page: each terminal's state, out of order and back, adding one. */
#include "dc-manager-terminals.h"
#include "dc-manager-window.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>

struct _DcManagerTerminals
{
  GtkWidget   parent_instance;

  GtkWidget  *content;
  GtkListBox *list;
  GtkWidget  *add_box;
  GtkWidget  *label_row;
  GtkWidget  *booth_row;
  GtkSwitch  *filtered_switch;
  GtkLabel   *add_error;
  GtkWidget  *add_button;

  DcSession  *session;
  char       *pending;           /* the terminal an action waits for a step-up with */
  gboolean    pending_broken;
  gboolean    can_manage;
};

G_DEFINE_FINAL_TYPE (DcManagerTerminals, dc_manager_terminals, GTK_TYPE_WIDGET)

static const char *
state_label (DcTerminalState state)
{
  switch (state)
    {
    case DC_TERMINAL_IN_USE:
      return _("In use");
    case DC_TERMINAL_OUT_OF_ORDER:
      return _("Out of order");
    case DC_TERMINAL_FREE:
    default:
      return _("Free");
    }
}

static const char *state_classes[] = { "free", "in-use", "out-of-order" };

static GtkWidget *
terminal_row (DcManagerTerminals *self, const DcBoardTerminal *t)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state = gtk_label_new (state_label (t->state));
  gboolean broken = t->state == DC_TERMINAL_OUT_OF_ORDER;
  const char *filter = t->filtered ? _("Filtered (minors may use it)") : _("Not filtered");
  g_autofree char *subtitle = t->booth != NULL && *t->booth != '\0'
                                ? g_strdup_printf (_("Booth %s · %s"), t->booth, filter)
                                : g_strdup (filter);
  GtkWidget *button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (state, "manager-state");
  gtk_widget_add_css_class (state, state_classes[t->state]);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  /* a terminal in use stays in service: the customer is moved first */
  if (t->state == DC_TERMINAL_IN_USE)
    return row;
  button = gtk_button_new_with_label (broken ? _("Back in Service") : _("Out of Order"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), broken ? "terminals.repaired" : "terminals.broken");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (t->label));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
reload (DcManagerTerminals *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcBoard) board = dc_session_read_board (self->session, &error);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (board == NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  for (guint i = 0; i < board->terminals->len; i++)
    gtk_list_box_append (self->list, terminal_row (self, &g_array_index (board->terminals, DcBoardTerminal, i)));
}

static void
do_set_state (GtkWidget *widget, DcActor *manager)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dc_store_set_terminal_out_of_order (dc_session_get_store (self->session), manager, self->pending,
                                           self->pending_broken, &error))
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  message = g_strdup_printf (self->pending_broken ? _("%s is out of order: nobody is given it.")
                                                  : _("%s is back in service."), self->pending);
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, message);
}

static void
state_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (widget);

  g_free (self->pending);
  self->pending = g_variant_dup_string (parameter, NULL);
  self->pending_broken = g_str_equal (action_name, "terminals.broken");
  dc_step_up_then (widget, self->session, do_set_state);
}

/* ---- adding ---- */

static void
show_add_error (DcManagerTerminals *self, const char *message)
{
  gtk_label_set_text (self->add_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), message != NULL);
}

static void
do_add (GtkWidget *widget, DcActor *manager)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row))));
  g_autofree char *booth = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->booth_row))));
  g_autofree char *message = NULL;

  if (!dc_store_add_terminal (dc_session_get_store (self->session), manager, label, *booth != '\0' ? booth : NULL,
                              gtk_switch_get_active (self->filtered_switch), NULL, &error))
    {
      show_add_error (self, error->message);
      return;
    }
  message = g_strdup_printf (_("Terminal %s was added."), label);
  gtk_editable_set_text (GTK_EDITABLE (self->label_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->booth_row), "");
  gtk_switch_set_active (self->filtered_switch, FALSE);
  show_add_error (self, NULL);
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, message);
  gtk_widget_grab_focus (self->label_row);
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dc_step_up_then (widget, DC_MANAGER_TERMINALS (widget)->session, do_add);
}

static void
on_add_activated (DcManagerTerminals *self)
{
  if (self->can_manage)
    gtk_widget_activate_action (GTK_WIDGET (self), "terminals.add", NULL);
}

static void
on_add_changed (DcManagerTerminals *self)
{
  show_add_error (self, NULL);
}

/* ---- set-up ---- */

void
dc_manager_terminals_set_can_manage (DcManagerTerminals *self, gboolean can_manage)
{
  g_return_if_fail (DC_IS_MANAGER_TERMINALS (self));

  self->can_manage = can_manage;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminals.add", can_manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminals.broken", can_manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminals.repaired", can_manage);
  gtk_widget_set_sensitive (self->add_box, can_manage);
}

void
dc_manager_terminals_set_session (DcManagerTerminals *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_TERMINALS (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  /* a check-in at the counter changes what is free */
  g_signal_connect_object (session, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
dc_manager_terminals_dispose (GObject *object)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_TERMINALS);
  G_OBJECT_CLASS (dc_manager_terminals_parent_class)->dispose (object);
}

static void
dc_manager_terminals_finalize (GObject *object)
{
  g_free (DC_MANAGER_TERMINALS (object)->pending);
  G_OBJECT_CLASS (dc_manager_terminals_parent_class)->finalize (object);
}

static void
dc_manager_terminals_class_init (DcManagerTerminalsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_terminals_dispose;
  object_class->finalize = dc_manager_terminals_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-terminals.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, content);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, add_box);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, label_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, booth_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, filtered_switch);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, add_error);
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_changed);

  gtk_widget_class_install_action (widget_class, "terminals.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "terminals.broken", "s", state_action);
  gtk_widget_class_install_action (widget_class, "terminals.repaired", "s", state_action);
}

static void
dc_manager_terminals_init (DcManagerTerminals *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
