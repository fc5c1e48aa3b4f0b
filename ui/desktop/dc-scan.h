/* ui/desktop/dc-scan.h — recognises a barcode scanner's keystroke burst ("DC1:…" + Enter) wherever the focus is. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a member card's payload starts with. */
#define DC_SCAN_PREFIX "DC1:"
/* A scanner types faster than anyone: keys further apart than this are a person typing. */
#define DC_SCAN_GAP_MS 30
/* Longer than any card payload: a burst this long is not a card. */
#define DC_SCAN_MAX_LENGTH 256

/* ---- the recogniser alone: keys and their times in, decisions out (no widgets) ---- */

typedef enum {
  DC_SCAN_PASS,        /* not part of a scan: let the key go where it was going */
  DC_SCAN_HOLD,        /* perhaps the start of a scan: swallowed for now */
  DC_SCAN_REPLAY,      /* what was held was typing after all: dc_scan_burst_take () it, then PASS this key */
  DC_SCAN_CONTINUE,    /* inside a scan: swallowed */
  DC_SCAN_DONE,        /* Enter ended a scan: dc_scan_burst_take () has the payload */
  DC_SCAN_BROKEN,      /* a scan stopped half-way (swallowed, and what was scanned dropped) */
} DcScanStep;

typedef struct {
  GString *held;       /* the keys swallowed so far */
  gint64   last_ms;    /* time of the last key held */
} DcScanBurst;

void       dc_scan_burst_init  (DcScanBurst *burst);
void       dc_scan_burst_clear (DcScanBurst *burst);
/* One key press: @ch its character (0 for none), @enter whether it is Enter, @time_ms when it
 * came. A key with Control or Alt held is passed as 0. */
DcScanStep dc_scan_burst_feed  (DcScanBurst *burst, gunichar ch, gboolean enter, gint64 time_ms);
/* No key came for a while (at @now_ms): REPLAY when held typing is due, BROKEN when a scan
 * stopped, PASS when nothing is held or it is not yet time. */
DcScanStep dc_scan_burst_idle  (DcScanBurst *burst, gint64 now_ms);
/* The held keys (the payload after DONE), and start afresh. */
char      *dc_scan_burst_take  (DcScanBurst *burst);

/* ---- the recogniser on a window ---- */

#define DC_TYPE_SCAN (dc_scan_get_type ())
G_DECLARE_FINAL_TYPE (DcScan, dc_scan, DC, SCAN, GObject)

/* Watches key presses on @owner and on its modal dialogs (capture phase: before the
 * focused widget) and emits "scanned" (const char *payload) for a card scan, "broken" for a
 * scan that stopped half-way. Typing held back while it might have been a scan is put into
 * the focused text field. Stops when the DcScan is disposed. */
DcScan    *dc_scan_new (GtkWindow *owner);
/* The scan controller on @window, or NULL (tests feed it key presses). */
GtkEventController *dc_scan_get_controller (GtkWindow *window);

G_END_DECLS
