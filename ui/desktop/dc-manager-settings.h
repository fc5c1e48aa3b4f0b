/* ui/desktop/dc-manager-settings.h — DcManagerSettings: the manager window's settings page: idle lock, auto-close of forgotten visits, backup age. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_SETTINGS (dc_manager_settings_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerSettings, dc_manager_settings, DC, MANAGER_SETTINGS, GtkWidget)

/* The page reads the store through @session and re-reads it on "changed". */
void dc_manager_settings_set_session (DcManagerSettings *self, DcSession *session);
/* FALSE for an auditor: everything is shown, the buttons that change records are greyed out. */
void dc_manager_settings_set_can_manage (DcManagerSettings *self, gboolean can_manage);

G_END_DECLS
