/* ui/desktop/dc-setup-assistant-recovery.c — the first-run assistant's recovery key: shown as text and QR, printed, typed back. */
#include "dc-setup-assistant-private.h"
#include "dc-qr.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define QR_PRINT_POINTS 170  /* 60 mm */

/* The last two groups of the key, hyphens dropped: what the user types back. */
#define TAIL_CHARS 8

static void
recovery_tail (const char *code, char out[TAIL_CHARS])
{
  gsize n = TAIL_CHARS;

  memset (out, 0, TAIL_CHARS);
  for (const char *p = code + strlen (code); p > code && n > 0; p--)
    if (p[-1] != '-')
      out[--n] = p[-1];
}

/* How many key characters were typed back (hyphens and spaces do not count). */
static gsize
typed_tail (DcSetupAssistant *self, char out[TAIL_CHARS])
{
  gsize n = 0;

  memset (out, 0, TAIL_CHARS);
  for (const char *p = text_of (self->recovery_confirm); *p != '\0'; p++)
    if (*p != '-' && *p != ' ')
      {
        if (n < TAIL_CHARS)
          out[n] = g_ascii_toupper (*p);
        n++;
      }
  return n;
}

gboolean
dc_setup_assistant_recovery_confirmed (DcSetupAssistant *self)
{
  char expected[TAIL_CHARS];
  char typed[TAIL_CHARS];
  gboolean ok;

  if (self->code == NULL)
    return FALSE;
  recovery_tail (self->code, expected);
  ok = typed_tail (self, typed) == TAIL_CHARS && memcmp (typed, expected, TAIL_CHARS) == 0;
  explicit_bzero (expected, sizeof expected);
  explicit_bzero (typed, sizeof typed);
  return ok;
}

/* ---- the QR code ---- */

void
dc_setup_assistant_draw_qr (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  DcSetupAssistant *self = user_data;
  int n = self->qr_modules, side;

  if (self->code == NULL || n == 0)
    return;
  side = MAX (1, MIN (width, height) / n) * n;
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  dc_qr_paint (cr, self->code, (width - side) / 2, (height - side) / 2, side, TRUE);
}

/* ---- printing the recovery sheet ---- */

static double
print_text (cairo_t *cr, PangoLayout *layout, const char *font, const char *text, double y)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int height;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  pango_layout_set_text (layout, "", 0);
  return y + (double) height / PANGO_SCALE + 12;
}

static void
draw_sheet (GtkPrintOperation *operation, GtkPrintContext *context, int page_nr, gpointer user_data)
{
  DcSetupAssistant *self = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (dc_store_now (self->store) / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, dc_store_timezone (self->store));
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *store = g_strdup_printf (_("Store: %s (%s). Made on %s."), dc_store_name (self->store),
                                            dc_store_operator (self->store), date);
  double y = 0;

  if (self->code == NULL || self->qr_modules == 0)
    return;
  pango_layout_set_width (layout, (int) (gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  y = print_text (cr, layout, "Sans Bold 20", _("Daicho recovery key"), y);
  y = print_text (cr, layout, "Sans 11", store, y);
  y = print_text (cr, layout, "Monospace Bold 16", self->code, y + 12);
  y += dc_qr_paint (cr, self->code, 0, y + 6, QR_PRINT_POINTS, FALSE) + 24;
  print_text (cr, layout, "Sans 11",
              _("Without this key, losing every manager passphrase loses three years of legally required "
                "records. Keep this sheet locked away from the counter; anyone holding it can read every "
                "identity record of the store."), y);
}

void
dc_setup_assistant_print_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (widget);
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkPrintOperationAction how = GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG;

  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, _("Daicho recovery key"));
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_sheet), self);
  if (self->print_export != NULL)
    {
      gtk_print_operation_set_export_filename (operation, self->print_export);
      how = GTK_PRINT_OPERATION_ACTION_EXPORT;
    }
  if (gtk_print_operation_run (operation, how, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    toast (self, error->message);
}

/* ---- the recovery key ---- */

/* Three groups to a line: easier to copy by hand than one long line. */
static char *
code_in_lines (const char *code)
{
  char *shown = dc_secret_dup (code);
  guint groups = 0;

  for (char *p = shown; *p != '\0'; p++)
    if (*p == '-' && ++groups % 3 == 0)
      *p = '\n';
  return shown;
}

void
dc_setup_assistant_show_recovery (DcSetupAssistant *self)
{
  g_autoptr(DcSecret) shown = code_in_lines (self->code);

  self->qr_modules = dc_qr_modules (self->code);
  if (self->qr_modules == 0)
    toast (self, _("The QR code could not be made: write the key down from the text."));
  gtk_label_set_text (self->recovery_code, shown);
  gtk_widget_queue_draw (GTK_WIDGET (self->qr));
  gtk_stack_set_visible_child_name (self->recovery_stack, "key");
  gtk_widget_grab_focus (GTK_WIDGET (self->recovery_confirm));
}

/* Leaving the step: the key must survive nowhere but on the user's paper. */
void
dc_setup_assistant_forget_recovery (DcSetupAssistant *self)
{
  g_clear_pointer (&self->code, dc_secret_free);
  self->qr_modules = 0;
  gtk_label_set_text (self->recovery_code, "");
  gtk_editable_set_text (GTK_EDITABLE (self->recovery_confirm), "");
  gtk_widget_queue_draw (GTK_WIDGET (self->qr));
}

void
dc_setup_assistant_update_recovery_hint (DcSetupAssistant *self)
{
  char typed[TAIL_CHARS];
  gsize n = typed_tail (self, typed);

  explicit_bzero (typed, sizeof typed);
  show_error (self->recovery_error,
              self->code != NULL && n >= TAIL_CHARS && !dc_setup_assistant_recovery_confirmed (self)
              ? _("That is not how the key ends: check what you wrote down.") : NULL);
}
