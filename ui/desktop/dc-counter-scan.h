/* ui/desktop/dc-counter-scan.h — a member card scanned at the counter: checked, the member judged for today, a terminal suggested. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_COUNTER_SCAN (dc_counter_scan_get_type ())
G_DECLARE_FINAL_TYPE (DcCounterScan, dc_counter_scan, DC, COUNTER_SCAN, GObject)

/* Listens for card scans on @window (dc-scan.h) while it lives. A valid card of a member who
 * is not in opens the terminal picker with the suggested terminal focused (scan, Enter); for
 * a minor today — from the counter tier, no identity opened — only filtered terminals, the
 * minor badge and the time left before the curfew; during the curfew a refusal saying why.
 * @terminals: the counter's DcTerminalItem list. Signals: "toast" (const char *text),
 * "select" (const char *terminal: show it on the board), "check-document" (the clerk chose to
 * check an identity document instead). */
DcCounterScan *dc_counter_scan_new (GtkWindow *window, DcSession *session, GListModel *terminals);

/* What a scan of @payload does (the scanner calls it; so can tests). */
void           dc_counter_scan_handle (DcCounterScan *self, const char *payload);

G_END_DECLS
