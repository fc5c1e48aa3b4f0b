/* ui/desktop/dc-manager-window.h — DcManagerWindow: records, staff, terminals, retention, police requests, the audit check and settings, behind a step-up. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_WINDOW (dc_manager_window_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerWindow, dc_manager_window, DC, MANAGER_WINDOW, AdwWindow)

/* Open it only once a step-up is in force (dc_step_up_then). Pages: "records", "staff",
 * "terminals", "retention", "police", "audit", "settings". An auditor sees everything but changes nothing. When the step-up
 * expires, decrypted records are hidden and every action asks for the passphrase again;
 * the session's lock closes the window. */
DcManagerWindow *dc_manager_window_new (GtkWindow *parent, DcSession *session);
void             dc_manager_window_set_page (DcManagerWindow *self, const char *name);
const char      *dc_manager_window_get_page (DcManagerWindow *self);

/* For the pages: a short message over the window @widget is in. */
void             dc_manager_window_toast (GtkWidget *widget, const char *message);

G_END_DECLS
