/* ui/desktop/dc-manager-records.h — DcManagerRecords: the manager window's page for visits by member or visit number, a visit's details, its identity record shown and corrected. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_RECORDS (dc_manager_records_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerRecords, dc_manager_records, DC, MANAGER_RECORDS, GtkWidget)

/* The page reads the store through @session and re-reads it on "changed". */
void dc_manager_records_set_session (DcManagerRecords *self, DcSession *session);
/* FALSE for an auditor: everything is shown, the buttons that change records are greyed out. */
void dc_manager_records_set_can_manage (DcManagerRecords *self, gboolean can_manage);
/* Hide every decrypted record shown (the step-up expired). */
void dc_manager_records_forget (DcManagerRecords *self);
/* Search as if @query had been typed (member number, visit number, or "" for the newest). */
void dc_manager_records_search (DcManagerRecords *self, const char *query);

G_END_DECLS
