/* ui/desktop/dc-manager-staff.h — DcManagerStaff: the manager window's page for the staff list: add, unlock, on and off duty, new passphrase. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_STAFF (dc_manager_staff_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerStaff, dc_manager_staff, DC, MANAGER_STAFF, GtkWidget)

/* The page reads the store through @session and re-reads it on "changed". */
void dc_manager_staff_set_session (DcManagerStaff *self, DcSession *session);
/* FALSE for an auditor: everything is shown, the buttons that change records are greyed out. */
void dc_manager_staff_set_can_manage (DcManagerStaff *self, gboolean can_manage);

G_END_DECLS
