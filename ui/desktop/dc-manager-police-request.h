/* ui/desktop/dc-manager-police-request.h — DcPoliceRequestDialog: a police request entered into the ledger before anything is looked up for it. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_POLICE_REQUEST_DIALOG (dc_police_request_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DcPoliceRequestDialog, dc_police_request_dialog, DC, POLICE_REQUEST_DIALOG, AdwWindow)

/* A modal form over @parent: received at (now by default), agency, officer, reference,
 * legal basis, the scope as asked, a note. "Add Request" calls dc_request_add as the
 * stepped-up manager or auditor (asking the passphrase again if the step-up lapsed); an
 * error shows inline with everything typed kept; on success it emits "added" (gint64 id)
 * and closes. Escape cancels. */
DcPoliceRequestDialog *dc_police_request_dialog_new (GtkWindow *parent, DcSession *session);

G_END_DECLS
