/* ui/desktop/dc-terminal-item.h — one terminal on the counter board, as a list-model item updated in place. */
#pragma once

#include <glib-object.h>
#include "dc-counter.h"

G_BEGIN_DECLS

#define DC_TYPE_TERMINAL_ITEM (dc_terminal_item_get_type ())
G_DECLARE_FINAL_TYPE (DcTerminalItem, dc_terminal_item, DC, TERMINAL_ITEM, GObject)

/* Properties (read-only; dc_terminal_item_update changes them and notifies only those that
 * changed, so a bound tile redraws without the model being rebuilt): "id", "label", "booth",
 * "state" (DcTerminalState as int), "filtered", "visit-id", "member", "entered-at",
 * "elapsed" (minutes in the store), "minor", "minutes-to-curfew". */
DcTerminalItem  *dc_terminal_item_new (const DcBoardTerminal *terminal, gint64 now);
void             dc_terminal_item_update (DcTerminalItem *self, const DcBoardTerminal *terminal, gint64 now);

gint64           dc_terminal_item_get_id (DcTerminalItem *self);
const char      *dc_terminal_item_get_label (DcTerminalItem *self);
const char      *dc_terminal_item_get_booth (DcTerminalItem *self);
DcTerminalState  dc_terminal_item_get_state (DcTerminalItem *self);
gboolean         dc_terminal_item_get_filtered (DcTerminalItem *self);
gint64           dc_terminal_item_get_visit_id (DcTerminalItem *self);
const char      *dc_terminal_item_get_member (DcTerminalItem *self);     /* NULL when not in use */
gint64           dc_terminal_item_get_entered_at (DcTerminalItem *self);
gint             dc_terminal_item_get_elapsed (DcTerminalItem *self);    /* minutes */
gboolean         dc_terminal_item_get_minor (DcTerminalItem *self);
gint             dc_terminal_item_get_minutes_to_curfew (DcTerminalItem *self);

G_END_DECLS
