/* ui/desktop/dc-manager-police-request.c — the "New Police Request" form: read the fields, dc_request_add, errors beside what to fix. */
#include "dc-manager-police-request.h"
#include "dc-police.h"
#include "dc-step-up-dialog.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>

struct _DcPoliceRequestDialog
{
  AdwWindow    parent_instance;

  GtkWidget   *add_button;
  GtkEditable *received_entry;
  GtkEditable *agency_entry;
  GtkEditable *officer_entry;
  GtkEditable *reference_entry;
  GtkDropDown *basis_dropdown;
  GtkTextView *scope_view;
  GtkTextView *note_view;
  GtkLabel    *error_label;

  DcSession   *session;
};

G_DEFINE_FINAL_TYPE (DcPoliceRequestDialog, dc_police_request_dialog, ADW_TYPE_WINDOW)

enum { ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* In the order of the chooser. */
static const DcLegalBasis bases[] = { DC_BASIS_INQUIRY, DC_BASIS_INSPECTION, DC_BASIS_WARRANT, DC_BASIS_OTHER };

static char *
field_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
show_error (DcPoliceRequestDialog *self, const char *message, GtkWidget *focus)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
}

static void
on_input_changed (DcPoliceRequestDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* The field a refusal is about: the first required one left empty, or what was too long. */
static GtkWidget *
field_for_error (DcPoliceRequestDialog *self, const GError *error)
{
  GtkEditable *required[] = { self->agency_entry, self->officer_entry, self->reference_entry };

  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autofree char *text = field_text (required[i]);

      if (*text == '\0')
        return GTK_WIDGET (required[i]);
    }
  if (g_error_matches (error, DC_ERROR, DC_ERROR_INVALID_DATE))
    return GTK_WIDGET (self->received_entry);
  return NULL;
}

static void
do_add (GtkWidget *widget, DcActor *actor)
{
  DcPoliceRequestDialog *self = DC_POLICE_REQUEST_DIALOG (widget);
  g_autofree char *received = field_text (self->received_entry);
  g_autofree char *agency = field_text (self->agency_entry);
  g_autofree char *officer = field_text (self->officer_entry);
  g_autofree char *reference = field_text (self->reference_entry);
  g_autofree char *scope = view_text (self->scope_view);
  g_autofree char *note = view_text (self->note_view);
  guint basis = gtk_drop_down_get_selected (self->basis_dropdown);
  g_autoptr(GError) error = NULL;
  DcRequestInput input = {
    .agency = agency,
    .officer = officer,
    .reference = reference,
    .basis = basis < G_N_ELEMENTS (bases) ? bases[basis] : DC_BASIS_OTHER,
    .scope = *scope != '\0' ? scope : NULL,
    .note = *note != '\0' ? note : NULL,
  };
  gint64 id = 0;

  if (self->session == NULL)
    return;
  if (!dc_actor_can_read_identity (actor))
    {
      show_error (self, _("Only a manager or an auditor who confirmed with their passphrase can enter police requests."),
                  NULL);
      return;
    }
  /* an empty time is now; anything else must read as a time */
  if (*received != '\0'
      && !dc_time_parse (received, dc_store_timezone (dc_session_get_store (self->session)), &input.received_at, &error))
    {
      show_error (self, error->message, GTK_WIDGET (self->received_entry));
      return;
    }
  if (!dc_request_add (dc_session_get_store (self->session), actor, &input, &id, &error))
    {
      show_error (self, error->message, field_for_error (self, error));
      return;
    }
  g_signal_emit (self, signals[ADDED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_add (DcPoliceRequestDialog *self)
{
  if (self->session != NULL)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_add);
}

static void
fill_bases (DcPoliceRequestDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bases); i++)
    gtk_string_list_append (labels, dc_legal_basis_label (bases[i]));
  gtk_drop_down_set_model (self->basis_dropdown, G_LIST_MODEL (labels));
}

static void
dc_police_request_dialog_dispose (GObject *object)
{
  DcPoliceRequestDialog *self = DC_POLICE_REQUEST_DIALOG (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_POLICE_REQUEST_DIALOG);
  G_OBJECT_CLASS (dc_police_request_dialog_parent_class)->dispose (object);
}

static void
dc_police_request_dialog_class_init (DcPoliceRequestDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dc_police_request_dialog_dispose;

  signals[ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-police-request.ui");
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, received_entry);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, agency_entry);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, officer_entry);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, reference_entry);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, basis_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, scope_view);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, note_view);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceRequestDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dc_police_request_dialog_init (DcPoliceRequestDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_bases (self);
}

DcPoliceRequestDialog *
dc_police_request_dialog_new (GtkWindow *parent, DcSession *session)
{
  DcPoliceRequestDialog *self = g_object_new (DC_TYPE_POLICE_REQUEST_DIALOG, "transient-for", parent, NULL);
  g_autofree char *now = NULL;

  g_return_val_if_fail (DC_IS_SESSION (session), self);

  self->session = g_object_ref (session);
  now = dc_time_to_display (dc_session_now (session), dc_store_timezone (dc_session_get_store (session)));
  gtk_editable_set_text (self->received_entry, now);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->add_button);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->agency_entry));
  return self;
}
