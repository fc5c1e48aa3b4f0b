/* reports/dc-qr.c — QR codes from libqrencode drawn as filled squares with cairo. */
#include "dc-qr.h"

#include <math.h>
#include <qrencode.h>
#include <string.h>

/* Level M: a scratched card or a glare on a screen still reads, the code stays small. */
static QRcode *
encode (const char *text)
{
  return QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

static void
wipe_free (QRcode *qr)
{
  explicit_bzero (qr->data, (gsize) qr->width * (gsize) qr->width);
  QRcode_free (qr);
}

int
dc_qr_modules (const char *text)
{
  QRcode *qr;
  int n;

  g_return_val_if_fail (text != NULL, 0);
  qr = encode (text);
  if (qr == NULL)
    return 0;
  n = qr->width + 2 * DC_QR_QUIET_MODULES;
  wipe_free (qr);
  return n;
}

double
dc_qr_paint (cairo_t *cr, const char *text, double x, double y, double size, gboolean snap)
{
  QRcode *qr;
  double module;
  int n;

  g_return_val_if_fail (cr != NULL && text != NULL, 0);
  qr = encode (text);
  if (qr == NULL)
    return 0;
  n = qr->width + 2 * DC_QR_QUIET_MODULES;
  module = size / n;
  if (snap)
    module = MAX (1.0, floor (module));
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_rectangle (cr, x, y, module * n, module * n);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width; col++)
      if (qr->data[row * qr->width + col] & 1)
        cairo_rectangle (cr, x + (col + DC_QR_QUIET_MODULES) * module, y + (row + DC_QR_QUIET_MODULES) * module,
                         module, module);
  cairo_fill (cr);
  cairo_restore (cr);
  wipe_free (qr);
  return module * n;
}
