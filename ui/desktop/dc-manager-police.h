/* ui/desktop/dc-manager-police.h — DcManagerPolice: the manager window's police requests page: the ledger, the query and its rows, export, print, the inspection report. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_POLICE (dc_manager_police_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerPolice, dc_manager_police, DC, MANAGER_POLICE, GtkWidget)

/* The page reads the store through @session. The ledger is read (an audited read) the first
 * time the page shows, and again after each request or export entered here. Managers and
 * auditors use all of it; a session that cannot read identity gets a polite refusal. */
void      dc_manager_police_set_session (DcManagerPolice *self, DcSession *session);
/* Hide every decrypted row shown (the step-up expired). */
void      dc_manager_police_forget (DcManagerPolice *self);
/* TRUE while an export runs (the window must not close, nor the step-up be let go, then). */
gboolean  dc_manager_police_is_busy (DcManagerPolice *self);

/* What the buttons do once their file chooser has answered, for tests and for the
 * buttons themselves. Each acts as the stepped-up manager or auditor (none: it fails
 * with a toast) and says how it went in a toast.
 *
 * Export the last query's scope for the selected request into a new folder named as the
 * page's folder field says, inside @parent_dir, with the hold switch's choice, showing
 * progress. Returns the bundle's folder, or NULL when it failed (the page says why). */
char     *dc_manager_police_export_to (DcManagerPolice *self, const char *parent_dir);
/* Print the last query's rows as records.pdf would show them, to the PDF file @path
 * (GtkPrintOperation's export action). */
gboolean  dc_manager_police_print_to (DcManagerPolice *self, const char *path, GError **error);
/* Write the inspection report to @path. */
/* The ledger as last read, printed to a PDF file (what Print Ledger… prints). */
gboolean  dc_manager_police_print_ledger_to (DcManagerPolice *self, const char *path, GError **error);
gboolean  dc_manager_police_inspection_to (DcManagerPolice *self, const char *path, GError **error);

G_END_DECLS
