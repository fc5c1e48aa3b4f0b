/* ui/desktop/dc-manager-staff.c — the staff page: who works here, their state, and the manager's actions on them. */
#include "dc-manager-staff.h"
#include "dc-manager-window.h"
#include "dc-records.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>

/* As listed in role_row. */
static const char *const roles[] = { "counter", "manager", "auditor" };

struct _DcManagerStaff
{
  GtkWidget    parent_instance;

  GtkWidget   *content;
  GtkListBox  *list;
  GtkWidget   *add_box;
  GtkWidget   *name_row;
  AdwComboRow *role_row;
  GtkWidget   *pin_row;
  GtkWidget   *passphrase_row;
  GtkWidget   *passphrase2_row;
  GtkLabel    *add_error;
  GtkWidget   *add_button;

  DcSession   *session;
  char        *pending;      /* the staff member an action waits for a step-up with */
  gboolean     pending_active;
  gint64       acting;       /* the staff id of who stepped up last */
  gboolean     can_manage;
};

G_DEFINE_FINAL_TYPE (DcManagerStaff, dc_manager_staff, GTK_TYPE_WIDGET)

static const char *state_classes[] = { "on-duty", "off-duty", "locked" };

static GtkWidget *
row_button (const char *label, const char *action, const char *name)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (name));
  return button;
}

static GtkWidget *
staff_row (DcManagerStaff *self, const DcStaffRecord *s)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state = gtk_label_new (dc_records_state_label (s->state));
  gboolean on = s->state != DC_STAFF_OFF_DUTY;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), s->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dc_records_role_label (s->role));
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (state, "manager-state");
  gtk_widget_add_css_class (state, state_classes[s->state]);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  if (s->state == DC_STAFF_LOCKED)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button (_("Unlock"), "staff.unlock", s->name));
  if (s->passphrase && on)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button (_("New Passphrase…"), "staff.passphrase", s->name));
  /* someone must be able to manage the store: the manager acting stays on duty */
  if (self->acting != s->id)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button (on ? _("Take Off Duty") : _("Back on Duty"),
                                                                 on ? "staff.off-duty" : "staff.on-duty", s->name));
  return row;
}

static void
reload (DcManagerStaff *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) staff = dc_records_staff (dc_session_get_store (self->session), &error);
  DcActor *manager = dc_session_get_manager (self->session);
  GtkWidget *child;

  if (manager != NULL)
    self->acting = dc_actor_staff_id (manager);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (staff == NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  for (guint i = 0; i < staff->len; i++)
    gtk_list_box_append (self->list, staff_row (self, &g_array_index (staff, DcStaffRecord, i)));
}

/* Every change is told to the other views (the sign-in list, for one) and confirmed. */
static void
done (DcManagerStaff *self, const char *message)
{
  dc_session_changed (self->session);
  dc_manager_window_toast (GTK_WIDGET (self), message);
}

/* ---- actions on one staff member ---- */

static void
do_unlock (GtkWidget *widget, DcActor *manager)
{
  DcManagerStaff *self = DC_MANAGER_STAFF (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dc_store_unlock_staff (dc_session_get_store (self->session), manager, self->pending, &error))
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  message = g_strdup_printf (_("%s is unlocked and may sign in again."), self->pending);
  done (self, message);
}

static void
do_set_duty (GtkWidget *widget, DcActor *manager)
{
  DcManagerStaff *self = DC_MANAGER_STAFF (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dc_store_set_staff_active (dc_session_get_store (self->session), manager, self->pending,
                                  self->pending_active, &error))
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  message = g_strdup_printf (self->pending_active ? _("%s is back on duty.") : _("%s is off duty and cannot sign in."),
                             self->pending);
  done (self, message);
}

static void
on_passphrase_response (AdwMessageDialog *dialog, const char *response, DcManagerStaff *self)
{
  GtkEditable *first = g_object_get_data (G_OBJECT (dialog), "first");
  GtkEditable *second = g_object_get_data (G_OBJECT (dialog), "second");
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");
  DcActor *manager = dc_session_get_manager (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "set") != 0)
    return;
  if (g_strcmp0 (gtk_editable_get_text (first), gtk_editable_get_text (second)) != 0)
    dc_manager_window_toast (GTK_WIDGET (self), _("The two passphrases differ: nothing was changed."));
  else if (manager == NULL)
    dc_manager_window_toast (GTK_WIDGET (self), _("The step-up ended: nothing was changed. Try again."));
  else if (!dc_store_set_passphrase (dc_session_get_store (self->session), manager, name,
                                     gtk_editable_get_text (first), &error))
    dc_manager_window_toast (GTK_WIDGET (self), error->message);
  else
    {
      message = g_strdup_printf (_("%s has a new passphrase: the old one no longer works."), name);
      done (self, message);
    }
  gtk_editable_set_text (first, "");
  gtk_editable_set_text (second, "");
}

static GtkWidget *
password_row (const char *title)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static void
do_open_passphrase (GtkWidget *widget, DcActor *manager)
{
  DcManagerStaff *self = DC_MANAGER_STAFF (widget);
  g_autofree char *heading = g_strdup_printf (_("New Passphrase for %s"), self->pending);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                              _("The old passphrase stops working at once. Give the new one to them in person."));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *first = password_row (_("New passphrase"));
  GtkWidget *second = password_row (_("New passphrase again"));

  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_list_box_append (GTK_LIST_BOX (list), first);
  gtk_list_box_append (GTK_LIST_BOX (list), second);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"), "set", _("Set Passphrase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "set", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "set");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "first", first);
  g_object_set_data (G_OBJECT (dialog), "second", second);
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (self->pending), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_passphrase_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
staff_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerStaff *self = DC_MANAGER_STAFF (widget);

  g_free (self->pending);
  self->pending = g_variant_dup_string (parameter, NULL);
  if (g_str_equal (action_name, "staff.unlock"))
    dc_step_up_then (widget, self->session, do_unlock);
  else if (g_str_equal (action_name, "staff.passphrase"))
    dc_step_up_then (widget, self->session, do_open_passphrase);
  else
    {
      self->pending_active = g_str_equal (action_name, "staff.on-duty");
      dc_step_up_then (widget, self->session, do_set_duty);
    }
}

/* ---- adding ---- */

static const char *
selected_role (DcManagerStaff *self)
{
  guint i = adw_combo_row_get_selected (self->role_row);

  return i < G_N_ELEMENTS (roles) ? roles[i] : NULL;
}

static void
show_add_error (DcManagerStaff *self, const char *message)
{
  gtk_label_set_text (self->add_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), message != NULL);
}

static void
clear_form (DcManagerStaff *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase2_row), "");
  show_add_error (self, NULL);
}

static void
do_add (GtkWidget *widget, DcActor *manager)
{
  DcManagerStaff *self = DC_MANAGER_STAFF (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *message = NULL;
  const char *role = selected_role (self);
  gboolean counter = g_strcmp0 (role, "counter") == 0;
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  if (!counter && g_strcmp0 (passphrase, gtk_editable_get_text (GTK_EDITABLE (self->passphrase2_row))) != 0)
    {
      show_add_error (self, _("The two passphrases differ."));
      gtk_widget_grab_focus (self->passphrase2_row);
      return;
    }
  if (!dc_store_add_staff (dc_session_get_store (self->session), manager, name, role,
                           gtk_editable_get_text (GTK_EDITABLE (self->pin_row)),
                           counter || *passphrase == '\0' ? NULL : passphrase, NULL, &error))
    {
      show_add_error (self, error->message);
      return;
    }
  message = g_strdup_printf (_("%s was added as %s."), name, dc_records_role_label (role));
  clear_form (self);
  done (self, message);
  gtk_widget_grab_focus (self->name_row);
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerStaff *self = DC_MANAGER_STAFF (widget);

  dc_step_up_then (widget, self->session, do_add);
}

static void
on_add_activated (DcManagerStaff *self)
{
  if (self->can_manage)
    gtk_widget_activate_action (GTK_WIDGET (self), "staff.add", NULL);
}

static void
on_add_changed (DcManagerStaff *self)
{
  show_add_error (self, NULL);
}

static void
on_role_changed (DcManagerStaff *self)
{
  gboolean passphrase = g_strcmp0 (selected_role (self), "counter") != 0;

  gtk_widget_set_visible (self->passphrase_row, passphrase);
  gtk_widget_set_visible (self->passphrase2_row, passphrase);
  show_add_error (self, NULL);
}

/* ---- set-up ---- */

void
dc_manager_staff_set_can_manage (DcManagerStaff *self, gboolean can_manage)
{
  static const char *const actions[] = {
    "staff.add", "staff.unlock", "staff.passphrase", "staff.off-duty", "staff.on-duty",
  };

  g_return_if_fail (DC_IS_MANAGER_STAFF (self));

  self->can_manage = can_manage;
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], can_manage);
  gtk_widget_set_sensitive (self->add_box, can_manage);
  /* called when someone else has stepped up: the list follows who acts */
  if (self->session != NULL)
    reload (self);
}

void
dc_manager_staff_set_session (DcManagerStaff *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_STAFF (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
dc_manager_staff_dispose (GObject *object)
{
  DcManagerStaff *self = DC_MANAGER_STAFF (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_STAFF);
  G_OBJECT_CLASS (dc_manager_staff_parent_class)->dispose (object);
}

static void
dc_manager_staff_finalize (GObject *object)
{
  g_free (DC_MANAGER_STAFF (object)->pending);
  G_OBJECT_CLASS (dc_manager_staff_parent_class)->finalize (object);
}

static void
dc_manager_staff_class_init (DcManagerStaffClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_staff_dispose;
  object_class->finalize = dc_manager_staff_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-staff.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, content);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, add_box);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, name_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, role_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, pin_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, passphrase2_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, add_error);
  gtk_widget_class_bind_template_child (widget_class, DcManagerStaff, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_role_changed);

  gtk_widget_class_install_action (widget_class, "staff.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "staff.unlock", "s", staff_action);
  gtk_widget_class_install_action (widget_class, "staff.passphrase", "s", staff_action);
  gtk_widget_class_install_action (widget_class, "staff.off-duty", "s", staff_action);
  gtk_widget_class_install_action (widget_class, "staff.on-duty", "s", staff_action);
}

static void
dc_manager_staff_init (DcManagerStaff *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_role_changed (self);
}
