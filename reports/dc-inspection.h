/* reports/dc-inspection.h — the inspection report: how the store keeps its records, in numbers, with no personal data. */
#pragma once

#include "dc-pdf.h"
#include "dc-store.h"

G_BEGIN_DECLS

/* The report for an on-site inspection (立入検査): store and notification details, the
 * record-keeping method, verifications and visits per month over the retention window,
 * the oldest record, the last purge, the last backup, the audit chain verified (with its
 * newest signed checkpoint), and the terminals (filtered ones marked). Needs no secret
 * and reads no personal data; its making is audited. It also lists the filings (変更届) still
 * pending and the latest self-inspection of the measures of ordinance.md §1.5. */
DcPdfDoc *dc_inspection_report (DcStore *store, GError **error);
gboolean  dc_inspection_report_write (DcStore *store, const char *path, GError **error);

G_END_DECLS
