/* reports/dc-card-pdf.h — the member card: a credit-card-sized PDF with the store's name, the member number and the card's QR code. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* ISO/IEC 7810 ID-1, in points. */
#define DC_CARD_WIDTH   (85.6 / 25.4 * 72.0)
#define DC_CARD_HEIGHT  (54.0 / 25.4 * 72.0)

typedef struct {
  const char *store_name;
  const char *member_number;
  const char *payload;       /* dc_card_payload: what the QR code holds */
} DcCardFace;

/* Paint @payload as a QR code (error correction M, with its quiet zone of 4 modules, dark
 * on white whatever the theme) in the square of side @size at (@x, @y). With @snap each
 * module is a whole number of units, for crisp pixels on screen. Returns the side used
 * (≤ @size), or 0 when the text cannot be encoded. */
double   dc_card_paint_qr (cairo_t *cr, const char *payload, double x, double y, double size, gboolean snap);

/* Draw the card's face at the origin, DC_CARD_WIDTH × DC_CARD_HEIGHT points. */
void     dc_card_draw (cairo_t *cr, const DcCardFace *face);

/* Write the card as a one-page PDF of exactly the card's size (DC_ERROR_IO on failure). */
gboolean dc_card_pdf_write (const DcCardFace *face, const char *path, GError **error);

G_END_DECLS
