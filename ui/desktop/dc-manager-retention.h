/* ui/desktop/dc-manager-retention.h — DcManagerRetention: the manager window's retention page: the oldest record, the dry run, holds, purge history, purge now, the schedule and backups. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_RETENTION (dc_manager_retention_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerRetention, dc_manager_retention, DC, MANAGER_RETENTION, GtkWidget)

/* The page reads the store through @session and re-reads it on "changed". */
void dc_manager_retention_set_session (DcManagerRetention *self, DcSession *session);
/* FALSE for an auditor: everything is shown, the buttons that change records are greyed out. */
void dc_manager_retention_set_can_manage (DcManagerRetention *self, gboolean can_manage);
/* TRUE while a worker thread reads, purges or changes the schedule, or one is waiting to
 * (tests wait for FALSE before they look). */
gboolean dc_manager_retention_is_busy (DcManagerRetention *self);

G_END_DECLS
