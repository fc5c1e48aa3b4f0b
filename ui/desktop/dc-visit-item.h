/* ui/desktop/dc-visit-item.h — one customer in the store, as a list-model item updated in place. */
#pragma once

#include <glib-object.h>
#include "dc-counter.h"

G_BEGIN_DECLS

#define DC_TYPE_VISIT_ITEM (dc_visit_item_get_type ())
G_DECLARE_FINAL_TYPE (DcVisitItem, dc_visit_item, DC, VISIT_ITEM, GObject)

/* Properties (read-only; dc_visit_item_update notifies only those that changed, so the
 * sort model and the bound cells follow without a rebuild): "visit-id", "member",
 * "terminal", "entered-at", "elapsed" (minutes), "minor", "minutes-to-curfew". */
DcVisitItem *dc_visit_item_new (const DcBoardVisit *visit, gint64 now);
void         dc_visit_item_update (DcVisitItem *self, const DcBoardVisit *visit, gint64 now);

gint64       dc_visit_item_get_visit_id (DcVisitItem *self);
const char  *dc_visit_item_get_member (DcVisitItem *self);
const char  *dc_visit_item_get_terminal (DcVisitItem *self);   /* NULL between sessions */
gint64       dc_visit_item_get_entered_at (DcVisitItem *self);
gint         dc_visit_item_get_elapsed (DcVisitItem *self);
gboolean     dc_visit_item_get_minor (DcVisitItem *self);
gint         dc_visit_item_get_minutes_to_curfew (DcVisitItem *self);

G_END_DECLS
