/* reports/dc-qr.h — a QR code painted with cairo: member cards, the recovery key, anything a phone or scanner reads. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* The quiet zone the QR standard asks for, in modules on each side. */
#define DC_QR_QUIET_MODULES 4

/* Modules across the QR code of @text (error correction M), its quiet zone included; 0
 * when @text cannot be encoded. For sizing a drawing area to whole pixels per module. */
int     dc_qr_modules (const char *text);

/* Paint @text as a QR code (error correction M, the quiet zone included, dark modules as
 * filled squares on white whatever the theme: scanners expect it) in the square of side
 * @size at (@x, @y). With @snap each module is a whole number of units, for crisp pixels
 * on screen. The encoded modules are wiped before they are freed: @text may be a secret
 * (the recovery key). Returns the side used (≤ @size, except that a snapped module is at
 * least one unit), or 0 when @text cannot be encoded. */
double  dc_qr_paint (cairo_t *cr, const char *text, double x, double y, double size, gboolean snap);

G_END_DECLS
