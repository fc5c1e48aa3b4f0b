/* ui/desktop/dc-manager-terminals.c — the terminals page: each terminal's state, out of order and back, changing, retiring and adding one. */
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
  GtkCheckButton *show_retired;

  DcSession  *session;
  char       *pending;           /* the terminal an action waits for a step-up with */
  gboolean    pending_broken;
  /* a change waiting for the step-up */
  char       *pending_booth;
  char       *pending_kind;
  gboolean    pending_filtered;
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
row_button (const char *label, const char *action, const char *terminal)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (terminal));
  return button;
}

static void
menu_add (GMenu *menu, const char *label, const char *action, const char *terminal)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (terminal));
  g_menu_append_item (menu, item);
}

/* The rarer actions, in a menu: the row stays readable on a narrow screen. */
static GtkWidget *
row_menu (const DcBoardTerminal *t)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();

  menu_add (menu, _("Change Booth, Kind or Filtering…"), "terminals.change", t->label);
  if (t->state != DC_TERMINAL_IN_USE)
    menu_add (menu, _("Retire…"), "terminals.retire", t->label);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (button, _("More Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("More Actions"), -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_name (button, "row_menu");
  return button;
}

/* "Booth A · Open seat · Not filtered" */
static char *
terminal_subtitle (const DcBoardTerminal *t)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (t->booth != NULL && *t->booth != '\0')
    g_string_append_printf (text, _("Booth %s"), t->booth);
  if (g_strcmp0 (t->kind, "booth") != 0 && dc_terminal_kind_label (t->kind) != NULL)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", dc_terminal_kind_label (t->kind));
  g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "",
                          t->filtered ? _("Filtered (minors may use it)") : _("Not filtered"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
terminal_row (DcManagerTerminals *self, const DcBoardTerminal *t)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state = gtk_label_new (t->retired ? _("Retired") : state_label (t->state));
  gboolean broken = t->state == DC_TERMINAL_OUT_OF_ORDER;
  g_autofree char *subtitle = terminal_subtitle (t);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (state, "manager-state");
  gtk_widget_add_css_class (state, state_classes[t->state]);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  /* a retired terminal is history: shown dimmed, nothing to do with it */
  if (t->retired)
    {
      gtk_widget_add_css_class (row, "dim-label");
      return row;
    }
  /* a terminal in use stays in service: the customer is moved first */
  if (t->state != DC_TERMINAL_IN_USE)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               row_button (broken ? _("Back in Service") : _("Out of Order"),
                                           broken ? "terminals.repaired" : "terminals.broken", t->label));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_menu (t));
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
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);

      if (!t->retired || gtk_check_button_get_active (self->show_retired))
        gtk_list_box_append (self->list, terminal_row (self, t));
    }
}

/* The board's terminal @label, or NULL (with a toast). */
static DcBoard *
read_terminal (DcManagerTerminals *self, const char *label, const DcBoardTerminal **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcBoard) board = dc_session_read_board (self->session, &error);

  if (board == NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), error->message);
      return NULL;
    }
  for (guint i = 0; i < board->terminals->len; i++)
    if (g_strcmp0 (g_array_index (board->terminals, DcBoardTerminal, i).label, label) == 0)
      {
        *out = &g_array_index (board->terminals, DcBoardTerminal, i);
        return g_steal_pointer (&board);
      }
  return NULL;
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

static GtkWindow *
parent_window (DcManagerTerminals *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
set_pending (DcManagerTerminals *self, const char *label)
{
  g_free (self->pending);
  self->pending = g_strdup (label);
}

/* ---- retiring ---- */

static void
do_retire (GtkWidget *widget, DcActor *manager)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dc_store_retire_terminal (dc_session_get_store (self->session), manager, self->pending, &error))
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  message = g_strdup_printf (_("%s was retired. Its records are kept."), self->pending);
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, message);
}

static void
on_retire_response (AdwMessageDialog *dialog, const char *response, DcManagerTerminals *self)
{
  if (g_strcmp0 (response, "retire") == 0)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_retire);
}

/* Retiring cannot be undone: ask first. */
static void
retire_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (widget);
  const char *label = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = g_strdup_printf (_("Retire %s?"), label);
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading,
                                              _("Nobody will be given this terminal again. Its records are kept, "
                                                "and its label cannot be used for another terminal. If the number "
                                                "of terminals or booths changes, a notification to the police is "
                                                "due within 10 days."));

  set_pending (self, label);
  gtk_widget_set_name (dialog, "retire_dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "retire", _("_Retire"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "retire", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_retire_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- changing booth, kind, filtering ---- */

static void
do_change (GtkWidget *widget, DcActor *manager)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (widget);
  DcTerminalChange change = { .booth = self->pending_booth, .kind = self->pending_kind,
                              .filtered = self->pending_filtered };
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dc_store_change_terminal (dc_session_get_store (self->session), manager, self->pending, &change, &error))
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  message = g_strdup_printf (_("%s was changed."), self->pending);
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, message);
}

static void
on_change_response (AdwMessageDialog *dialog, const char *response, DcManagerTerminals *self)
{
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  GtkEditable *booth = g_object_get_data (G_OBJECT (extra), "booth");
  AdwComboRow *kind = g_object_get_data (G_OBJECT (extra), "kind");
  GtkSwitch *filtered = g_object_get_data (G_OBJECT (extra), "filtered");
  guint chosen = adw_combo_row_get_selected (kind);

  if (g_strcmp0 (response, "save") != 0)
    return;
  g_free (self->pending_booth);
  self->pending_booth = g_strstrip (g_strdup (gtk_editable_get_text (booth)));
  g_free (self->pending_kind);
  self->pending_kind = g_strdup (dc_terminal_kinds ()[chosen != GTK_INVALID_LIST_POSITION ? chosen : 0]);
  self->pending_filtered = gtk_switch_get_active (filtered);
  dc_step_up_then (GTK_WIDGET (self), self->session, do_change);
}

/* The form of the change dialog, filled from @t. */
static GtkWidget *
change_form (const DcBoardTerminal *t)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *booth = adw_entry_row_new ();
  GtkWidget *kind = adw_combo_row_new ();
  GtkWidget *filter_row = adw_action_row_new ();
  GtkWidget *filtered = gtk_switch_new ();
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  const char *const *ids = dc_terminal_kinds ();

  gtk_widget_set_name (booth, "change_booth");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (booth), _("Booth (optional)"));
  gtk_editable_set_text (GTK_EDITABLE (booth), t->booth != NULL ? t->booth : "");
  gtk_widget_set_name (kind, "change_kind");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (kind), _("Kind"));
  for (guint i = 0; ids[i] != NULL; i++)
    gtk_string_list_append (kinds, dc_terminal_kind_label (ids[i]));
  adw_combo_row_set_model (ADW_COMBO_ROW (kind), G_LIST_MODEL (kinds));
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_strcmp0 (ids[i], t->kind) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (kind), i);
  gtk_widget_set_name (filtered, "change_filtered");
  gtk_widget_set_valign (filtered, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (filtered), t->filtered);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (filter_row), _("Filtering software"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (filter_row), _("Only filtered terminals may be given to minors"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (filter_row), filtered);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (filter_row), filtered);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), booth);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), kind);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), filter_row);
  g_object_set_data (G_OBJECT (group), "booth", booth);
  g_object_set_data (G_OBJECT (group), "kind", kind);
  g_object_set_data (G_OBJECT (group), "filtered", filtered);
  return group;
}

static void
change_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (widget);
  const char *label = g_variant_get_string (parameter, NULL);
  const DcBoardTerminal *t = NULL;
  g_autoptr(DcBoard) board = read_terminal (self, label, &t);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (board == NULL)
    return;
  set_pending (self, label);
  heading = g_strdup_printf (_("Change %s"), label);
  dialog = adw_message_dialog_new (parent_window (self), heading,
                                   _("A change in the number of booths is recorded for the notification to the "
                                     "police."));
  gtk_widget_set_name (dialog, "change_dialog");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), change_form (t));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_change_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminals.retire", can_manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminals.change", can_manage);
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
  DcManagerTerminals *self = DC_MANAGER_TERMINALS (object);

  g_free (self->pending_booth);
  g_free (self->pending_kind);
  g_free (self->pending);
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
  gtk_widget_class_bind_template_child (widget_class, DcManagerTerminals, show_retired);
  gtk_widget_class_bind_template_callback (widget_class, on_add_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_changed);
  gtk_widget_class_bind_template_callback (widget_class, reload);

  gtk_widget_class_install_action (widget_class, "terminals.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "terminals.broken", "s", state_action);
  gtk_widget_class_install_action (widget_class, "terminals.repaired", "s", state_action);
  gtk_widget_class_install_action (widget_class, "terminals.retire", "s", retire_action);
  gtk_widget_class_install_action (widget_class, "terminals.change", "s", change_action);
}

static void
dc_manager_terminals_init (DcManagerTerminals *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
