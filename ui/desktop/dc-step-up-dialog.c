/* ui/desktop/dc-step-up-dialog.c — the manager's passphrase asked again; manager-only actions wait for it. */
#include "dc-step-up-dialog.h"
#include "dc-records.h"

#include <glib/gi18n-lib.h>

struct _DcStepUpDialog
{
  AdwWindow    parent_instance;

  GtkWidget   *form;
  GtkWidget   *confirm_button;
  AdwComboRow *staff_row;
  GtkWidget   *passphrase_row;
  GtkLabel    *error_label;
  GtkWidget   *busy_box;

  DcSession   *session;    /* NULL once disposed: a late check does nothing */
  GPtrArray   *names;      /* as listed in staff_row */
  guint        check_source;
};

G_DEFINE_FINAL_TYPE (DcStepUpDialog, dc_step_up_dialog, ADW_TYPE_WINDOW)

enum { STEPPED_UP, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_error (DcStepUpDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (self->passphrase_row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->passphrase_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (self->passphrase_row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->passphrase_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static const char *
selected_name (DcStepUpDialog *self)
{
  guint i = adw_combo_row_get_selected (self->staff_row);

  return i < self->names->len ? g_ptr_array_index (self->names, i) : NULL;
}

static void
set_busy (DcStepUpDialog *self, gboolean busy)
{
  /* the entry gives up the focus before it turns insensitive, as GtkText expects */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_visible (self->busy_box, busy);
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stepup.confirm", !busy);
}

static void
on_input_changed (DcStepUpDialog *self)
{
  if (self->session != NULL && self->check_source == 0)
    show_error (self, NULL);
}

/* Argon2 takes a moment: this runs after the "checking" state has been drawn. */
static gboolean
check_passphrase (gpointer user_data)
{
  DcStepUpDialog *self = user_data;
  g_autoptr(DcStepUpDialog) hold = g_object_ref (self);   /* a handler may close it */
  g_autoptr(GError) error = NULL;
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  gboolean ok;

  self->check_source = 0;
  ok = dc_session_step_up (self->session, selected_name (self), passphrase, &error);
  /* the secret stays in the entry no longer than needed */
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  set_busy (self, FALSE);
  if (!ok)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (self->passphrase_row);
      return G_SOURCE_REMOVE;
    }
  g_signal_emit (self, signals[STEPPED_UP], 0);
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
confirm_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcStepUpDialog *self = DC_STEP_UP_DIALOG (widget);

  if (self->session == NULL || self->check_source != 0)
    return;
  if (selected_name (self) == NULL)
    {
      show_error (self, _("Choose who is confirming."));
      return;
    }
  if (*gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)) == '\0')
    {
      show_error (self, _("Type the passphrase."));
      gtk_widget_grab_focus (self->passphrase_row);
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  self->check_source = g_timeout_add (30, check_passphrase, self);
}

/* Managers and auditors on duty; the one signed in at the counter first. */
static void
fill_names (DcStepUpDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) staff = dc_records_staff (dc_session_get_store (self->session), &error);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *signed_in = dc_session_get_staff_name (self->session);
  guint selected = 0;

  if (staff == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < staff->len; i++)
    {
      const DcStaffRecord *s = &g_array_index (staff, DcStaffRecord, i);
      g_autofree char *shown = NULL;

      if (!s->passphrase || s->state == DC_STAFF_OFF_DUTY)
        continue;
      if (g_strcmp0 (s->name, signed_in) == 0)
        selected = self->names->len;
      /* Translators: a name in the list of who may confirm, with their role: 山田 (manager). */
      shown = g_strdup_printf (_("%s (%s)"), s->name, dc_records_role_label (s->role));
      g_ptr_array_add (self->names, g_strdup (s->name));
      gtk_string_list_append (model, shown);
    }
  adw_combo_row_set_model (self->staff_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->staff_row, self->names->len > 0 ? selected : GTK_INVALID_LIST_POSITION);
}

static void
dc_step_up_dialog_dispose (GObject *object)
{
  DcStepUpDialog *self = DC_STEP_UP_DIALOG (object);

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_STEP_UP_DIALOG);
  G_OBJECT_CLASS (dc_step_up_dialog_parent_class)->dispose (object);
}

static void
dc_step_up_dialog_finalize (GObject *object)
{
  g_ptr_array_unref (DC_STEP_UP_DIALOG (object)->names);
  G_OBJECT_CLASS (dc_step_up_dialog_parent_class)->finalize (object);
}

static void
dc_step_up_dialog_class_init (DcStepUpDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_step_up_dialog_dispose;
  object_class->finalize = dc_step_up_dialog_finalize;

  signals[STEPPED_UP] = g_signal_new ("stepped-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-step-up-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DcStepUpDialog, form);
  gtk_widget_class_bind_template_child (widget_class, DcStepUpDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, DcStepUpDialog, staff_row);
  gtk_widget_class_bind_template_child (widget_class, DcStepUpDialog, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, DcStepUpDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DcStepUpDialog, busy_box);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);

  gtk_widget_class_install_action (widget_class, "stepup.confirm", NULL, confirm_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dc_step_up_dialog_init (DcStepUpDialog *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

DcStepUpDialog *
dc_step_up_dialog_new (GtkWindow *parent, DcSession *session)
{
  DcStepUpDialog *self = g_object_new (DC_TYPE_STEP_UP_DIALOG, "transient-for", parent, NULL);

  g_return_val_if_fail (DC_IS_SESSION (session), self);

  self->session = g_object_ref (session);
  fill_names (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->confirm_button);
  gtk_window_set_focus (GTK_WINDOW (self), self->passphrase_row);
  return self;
}

/* ---- manager-only actions ---- */

typedef struct {
  GWeakRef     widget;
  DcSession   *session;
  DcStepUpFunc func;
} Pending;

static void
pending_free (gpointer data, GClosure *closure)
{
  Pending *p = data;

  g_weak_ref_clear (&p->widget);
  g_object_unref (p->session);
  g_free (p);
}

static void
on_pending_stepped_up (DcStepUpDialog *dialog, Pending *p)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&p->widget);
  DcActor *manager = dc_session_get_manager (p->session);

  if (widget != NULL && manager != NULL)
    p->func (widget, manager);
}

static DcStepUpDialog *
open_dialog_over (GtkWindow *parent)
{
  GList *windows = gtk_window_list_toplevels ();
  DcStepUpDialog *found = NULL;

  for (GList *l = windows; l != NULL && found == NULL; l = l->next)
    if (DC_IS_STEP_UP_DIALOG (l->data) && gtk_window_get_transient_for (l->data) == parent)
      found = l->data;
  g_list_free (windows);
  return found;
}

void
dc_step_up_then (GtkWidget *widget, DcSession *session, DcStepUpFunc func)
{
  DcActor *manager = dc_session_get_manager (session);
  GtkRoot *root = gtk_widget_get_root (widget);
  DcStepUpDialog *dialog;
  Pending *p;

  if (manager != NULL)
    {
      func (widget, manager);
      return;
    }
  /* a second action while the dialog is up waits for the same answer */
  dialog = open_dialog_over (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  if (dialog == NULL)
    dialog = dc_step_up_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, session);
  p = g_new0 (Pending, 1);
  g_weak_ref_init (&p->widget, widget);
  p->session = g_object_ref (session);
  p->func = func;
  g_signal_connect_data (dialog, "stepped-up", G_CALLBACK (on_pending_stepped_up), p, pending_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
