/* ui/desktop/dc-manager-terminals.h — DcManagerTerminals: the manager window's page for the terminals: add, out of order and back in service. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_TERMINALS (dc_manager_terminals_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerTerminals, dc_manager_terminals, DC, MANAGER_TERMINALS, GtkWidget)

/* The page reads the store through @session and re-reads it on "changed". */
void dc_manager_terminals_set_session (DcManagerTerminals *self, DcSession *session);
/* FALSE for an auditor: everything is shown, the buttons that change records are greyed out. */
void dc_manager_terminals_set_can_manage (DcManagerTerminals *self, gboolean can_manage);

G_END_DECLS
