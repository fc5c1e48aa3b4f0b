/* reports/dc-filing-report.h — the printable summary of changes to notify the police (変更届) and the self-inspection, in Japanese. */
#pragma once

#include "dc-pdf.h"
#include "dc-store.h"

G_BEGIN_DECLS

/* The summary a manager takes to the police station: the store, then each change still to
 * notify (what changed, when, the counts before and after, the due date), with @all the
 * filed ones too (when and by whom, the note), and the latest self-inspection. Japanese
 * whatever the locale, as the inspection report; no personal data. */
DcPdfDoc *dc_filing_report (DcStore *store, gboolean all, GError **error);
gboolean  dc_filing_report_write (DcStore *store, gboolean all, const char *path, GError **error);

/* The sections the inspection report shares: pending notifications, and the latest
 * self-inspection of the anti-misuse measures (ordinance.md §1.5). */
gboolean  dc_filing_report_add_pending (DcPdfDoc *doc, DcStore *store, GError **error);
gboolean  dc_filing_report_add_self_check (DcPdfDoc *doc, DcStore *store, GError **error);

G_END_DECLS
