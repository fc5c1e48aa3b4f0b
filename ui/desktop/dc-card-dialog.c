/* ui/desktop/dc-card-dialog.c — a member's card on screen: its QR code to scan from the screen, printing it, saving it as a PDF. */
#include "dc-card-dialog.h"
#include "dc-card.h"
#include "dc-card-pdf.h"
#include "dc-member.h"
#include "dc-qr.h"

#include <glib/gi18n-lib.h>

struct _DcCardDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toasts;
  GtkLabel             *number_label;
  GtkLabel             *state_label;
  GtkDrawingArea       *qr;
  GtkWidget            *hint_label;
  GtkLabel             *error_label;

  DcSession            *session;
  char                 *member;       /* plain digits; NULL when the number was not valid */
  char                 *payload;      /* NULL when no card is shown */
  gint64                generation;
  GtkPrintOperation    *print_op;     /* while the print dialog is open */
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (DcCardDialog, dc_card_dialog, ADW_TYPE_WINDOW)

char *
dc_card_format_number (const char *member_number)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (member_number != NULL, NULL);
  /* groups of four are read aloud and copied by hand without losing the place */
  for (const char *p = member_number; *p != '\0'; p++)
    {
      if (p != member_number && (p - member_number) % 4 == 0)
        g_string_append_c (out, '-');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
toast (DcCardDialog *self, const char *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toasts, t);
}

/* ---- the QR code on screen ---- */

/* Whole pixels per module: a screen's scaled, blurred edges are what phones fail on. */
static void
draw_qr (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  DcCardDialog *self = user_data;
  int n, side;

  if (self->payload == NULL || (n = dc_qr_modules (self->payload)) == 0)
    return;
  side = MAX (1, MIN (width, height) / n) * n;
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  dc_qr_paint (cr, self->payload, (width - side) / 2, (height - side) / 2, side, TRUE);
}

static void
show_card (DcCardDialog *self)
{
  g_autofree char *state = NULL;

  /* Translators: which card the member holds: 1 for the first, 2 after one reissue … */
  state = g_strdup_printf (_("Card %d · valid"), (int) self->generation);
  gtk_label_set_text (self->state_label, state);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "free");
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->qr), TRUE);
  gtk_widget_set_visible (self->hint_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self->qr));
}

static void
show_refusal (DcCardDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->qr), FALSE);
  gtk_widget_set_visible (self->hint_label, FALSE);
}

/* The counter's actor first: showing a card is counter work (the card key is in the PIN
 * vault); the stepped-up manager when nobody is signed in at the counter. */
static DcActor *
acting (DcCardDialog *self)
{
  DcActor *actor = dc_session_get_actor (self->session);

  return actor != NULL ? actor : dc_session_get_manager (self->session);
}

static void
load (DcCardDialog *self, const char *typed)
{
  DcActor *actor = acting (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  if (dc_member_number_check (typed, &self->member))
    {
      shown = dc_card_format_number (self->member);
      gtk_label_set_text (self->number_label, shown);
    }
  else
    gtk_label_set_text (self->number_label, typed != NULL ? typed : "");
  if (actor == NULL)
    g_set_error (&error, DC_ERROR, DC_ERROR_PERMISSION, _("Sign in at the counter to show a member card."));
  else if (dc_card_current (dc_session_get_store (self->session), actor, typed, &self->payload, &self->generation,
                            &error))
    {
      /* a first card may just have been issued: the audit page shows it */
      dc_session_changed (self->session);
      show_card (self);
    }
  if (error != NULL)
    show_refusal (self, error->message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.print", self->payload != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.save", self->payload != NULL);
}

const char *
dc_card_dialog_get_payload (DcCardDialog *self)
{
  g_return_val_if_fail (DC_IS_CARD_DIALOG (self), NULL);
  return self->payload;
}

/* ---- printing ---- */

static void
fill_face (DcCardDialog *self, DcCardFace *face, char **number)
{
  *number = dc_card_format_number (self->member);
  face->store_name = dc_store_name (dc_session_get_store (self->session));
  face->member_number = *number;
  face->payload = self->payload;
}

static void
on_draw_page (GtkPrintOperation *op, GtkPrintContext *context, int page, DcCardDialog *self)
{
  g_autofree char *number = NULL;
  DcCardFace face;

  fill_face (self, &face, &number);
  /* at its real size in the corner of the printable area: a card printer's paper is the
   * card, on A4 the border says where to cut */
  dc_card_draw (gtk_print_context_get_cairo_context (context), &face);
}

static GtkPrintOperation *
print_operation_new (DcCardDialog *self)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  g_autofree char *job = g_strdup_printf ("daicho-card-%s", self->member);

  gtk_print_operation_set_n_pages (op, 1);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, job);
  g_signal_connect_object (op, "draw-page", G_CALLBACK (on_draw_page), self, 0);
  return op;
}

gboolean
dc_card_dialog_print_to (DcCardDialog *self, const char *path, GError **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;

  g_return_val_if_fail (DC_IS_CARD_DIALOG (self), FALSE);
  if (self->payload == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no card to print."));
      return FALSE;
    }
  op = print_operation_new (self);
  gtk_print_operation_set_export_filename (op, path);
  return gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, GTK_WINDOW (self), error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
on_print_done (GtkPrintOperation *op, GtkPrintOperationResult result, DcCardDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (op, &error);
      toast (self, error != NULL ? error->message : _("The card could not be printed."));
    }
  if (self->print_op == op)
    g_clear_object (&self->print_op);
}

static void
print_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcCardDialog *self = DC_CARD_DIALOG (widget);
  g_autoptr(GtkPrintOperation) op = NULL;
  g_autoptr(GError) error = NULL;

  if (self->payload == NULL || self->print_op != NULL)
    return;
  op = print_operation_new (self);
  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect_object (op, "done", G_CALLBACK (on_print_done), self, 0);
  g_set_object (&self->print_op, op);
  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self), &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      toast (self, error->message);
      g_clear_object (&self->print_op);
    }
}

/* ---- saving the PDF ---- */

static void
on_save_response (GtkNativeDialog *chooser, int response, DcCardDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GError) error = NULL;
  DcCardFace face;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL && self->payload != NULL)
    {
      fill_face (self, &face, &number);
      if (dc_card_pdf_write (&face, path, &error))
        toast (self, _("The card was saved as a PDF."));
      else
        toast (self, error->message);
    }
  g_clear_object (&self->chooser);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcCardDialog *self = DC_CARD_DIALOG (widget);
  g_autofree char *name = NULL;

  if (self->payload == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Member Card"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the suggested file name: member number and card number */
  name = g_strdup_printf (_("member-%s-card-%d.pdf"), self->member, (int) self->generation);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- set-up ---- */

DcCardDialog *
dc_card_dialog_new (GtkWindow *parent, DcSession *session, const char *member_number)
{
  DcCardDialog *self = g_object_new (DC_TYPE_CARD_DIALOG, "transient-for", parent, NULL);

  g_return_val_if_fail (DC_IS_SESSION (session), self);

  self->session = g_object_ref (session);
  adw_window_title_set_subtitle (self->window_title, dc_store_name (dc_session_get_store (session)));
  /* the card's QR code is not left on screen when the counter locks */
  g_signal_connect_object (session, "locked", G_CALLBACK (gtk_window_destroy), self, G_CONNECT_SWAPPED);
  load (self, member_number);
  return self;
}

void
dc_card_dialog_present (GtkWindow *parent, DcSession *session, const char *member_number)
{
  gtk_window_present (GTK_WINDOW (dc_card_dialog_new (parent, session, member_number)));
}

static void
dc_card_dialog_dispose (GObject *object)
{
  DcCardDialog *self = DC_CARD_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->print_op);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_CARD_DIALOG);
  G_OBJECT_CLASS (dc_card_dialog_parent_class)->dispose (object);
}

static void
dc_card_dialog_finalize (GObject *object)
{
  DcCardDialog *self = DC_CARD_DIALOG (object);

  g_free (self->member);
  g_free (self->payload);
  G_OBJECT_CLASS (dc_card_dialog_parent_class)->finalize (object);
}

static void
dc_card_dialog_class_init (DcCardDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dc_card_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = dc_card_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-card-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DcCardDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DcCardDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, DcCardDialog, number_label);
  gtk_widget_class_bind_template_child (widget_class, DcCardDialog, state_label);
  gtk_widget_class_bind_template_child (widget_class, DcCardDialog, qr);
  gtk_widget_class_bind_template_child (widget_class, DcCardDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, DcCardDialog, error_label);
  gtk_widget_class_install_action (widget_class, "card.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "card.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "card.print", NULL);
}

static void
dc_card_dialog_init (DcCardDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->qr, draw_qr, self, NULL);
}
