/* ui/desktop/dc-step-up-dialog.h — DcStepUpDialog: a manager's passphrase asked again before manager-only actions. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_STEP_UP_DIALOG (dc_step_up_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DcStepUpDialog, dc_step_up_dialog, DC, STEP_UP_DIALOG, AdwWindow)

/* Asks a manager or an auditor (chosen from a list, the signed-in one first) for their
 * passphrase: dc_session_step_up. A wrong passphrase shows inline and the dialog stays;
 * on success it emits "stepped-up" () and closes. Escape cancels. */
DcStepUpDialog *dc_step_up_dialog_new (GtkWindow *parent, DcSession *session);

typedef void (*DcStepUpFunc) (GtkWidget *widget, DcActor *manager);

/* Run @func (@widget, the stepped-up manager or auditor) at once while a step-up is in
 * force, else after asking for the passphrase again, in a dialog over @widget's window.
 * Nothing runs when the dialog is cancelled or @widget is gone by then. */
void            dc_step_up_then (GtkWidget *widget, DcSession *session, DcStepUpFunc func);

G_END_DECLS
