/* ui/desktop/dc-manager-audit.h — DcManagerAudit: the manager window's page for the audit-chain check, run in a worker thread, and its result. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_AUDIT (dc_manager_audit_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerAudit, dc_manager_audit, DC, MANAGER_AUDIT, GtkWidget)

/* The page checks the store of @session (on a connection of its own: the counter goes on). */
void dc_manager_audit_set_session (DcManagerAudit *self, DcSession *session);
/* Start the check (as the "Check Now" button does); the result shows when it is done. */
void dc_manager_audit_run (DcManagerAudit *self);

G_END_DECLS
