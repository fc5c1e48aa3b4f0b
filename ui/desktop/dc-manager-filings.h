/* ui/desktop/dc-manager-filings.h — DcManagerFilings: the manager window's filings page: changes to notify the police (変更届) and the self-inspection of the anti-misuse measures. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_FILINGS (dc_manager_filings_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerFilings, dc_manager_filings, DC, MANAGER_FILINGS, GtkWidget)

/* The page reads the store through @session and re-reads it on "changed". */
void     dc_manager_filings_set_session (DcManagerFilings *self, DcSession *session);
/* FALSE for an auditor: everything is shown, the buttons that change records are greyed out. */
void     dc_manager_filings_set_can_manage (DcManagerFilings *self, gboolean can_manage);
/* Say what is owed (a notification due, a self-inspection due) in a toast of the manager
 * window: called when the window opens. Nothing when nothing is owed. */
void     dc_manager_filings_remind (DcManagerFilings *self);
/* The summary (what Print Summary… prints) written to a PDF file. */
gboolean dc_manager_filings_print_to (DcManagerFilings *self, const char *path, GError **error);

G_END_DECLS
