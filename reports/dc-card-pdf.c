/* reports/dc-card-pdf.c — the member card drawn with cairo and pango, its QR code from dc-qr. */
#include "dc-card-pdf.h"
#include "dc-error.h"
#include "dc-qr.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#define MARGIN           10.0    /* points, about 3.5 mm: clear of a card printer's edge */
#define QR_SIDE          104.0   /* points, 37 mm: a module of about 1 mm for a payload of ~60 characters */
#define FONT_FAMILY      "Noto Sans CJK JP"

/* Kept for callers of the card's header: the drawing itself is dc_qr_paint's. */
double
dc_card_paint_qr (cairo_t *cr, const char *payload, double x, double y, double size, gboolean snap)
{
  return dc_qr_paint (cr, payload, x, y, size, snap);
}

/* Text at (@x, @y) in at most @width points and @lines lines, ellipsized; its height. */
static double
draw_text (cairo_t *cr, const char *text, const char *font, double x, double y, double width, int lines)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  /* points are points: the same size on paper whatever the surface's idea of a pixel */
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72.0);
  pango_layout_context_changed (layout);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_height (layout, -lines);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

void
dc_card_draw (cairo_t *cr, const DcCardFace *face)
{
  double text_width = DC_CARD_WIDTH - QR_SIDE - 3 * MARGIN;
  double y = MARGIN;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  /* a thin border: where to cut when printed on paper */
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 0.5);
  cairo_rectangle (cr, 0.25, 0.25, DC_CARD_WIDTH - 0.5, DC_CARD_HEIGHT - 0.5);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  y += draw_text (cr, face->store_name, FONT_FAMILY " Bold 10", MARGIN, y, text_width, 3) + 3;
  y += draw_text (cr, _("Member card"), FONT_FAMILY " 7", MARGIN, y, text_width, 1) + 12;
  y += draw_text (cr, _("Member number"), FONT_FAMILY " 6", MARGIN, y, text_width, 1);
  draw_text (cr, face->member_number, "Noto Sans Mono Bold 13", MARGIN, y, text_width, 1);
  draw_text (cr, _("Show this card at every visit."), FONT_FAMILY " 5.5", MARGIN, DC_CARD_HEIGHT - MARGIN - 16,
             text_width, 2);
  cairo_restore (cr);

  dc_qr_paint (cr, face->payload, DC_CARD_WIDTH - MARGIN - QR_SIDE, (DC_CARD_HEIGHT - QR_SIDE) / 2, QR_SIDE,
               FALSE);
}

gboolean
dc_card_pdf_write (const DcCardFace *face, const char *path, GError **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, DC_CARD_WIDTH, DC_CARD_HEIGHT);
  cairo_status_t status;
  cairo_t *cr;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Member card"));
  cr = cairo_create (surface);
  dc_card_draw (cr, face);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("The card could not be written to %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
