/* db/dc-db-report.h — the SQL of the inspection report: counts per month, oldest record, last purge. */
#pragma once

#include "dc-db.h"

G_BEGIN_DECLS

/* The store's notification details (届出事項) as stored; NULL in *@out when none were entered. */
gboolean dc_db_report_notification (DcDb *db, char **out, GError **error);
/* Replace the store's notification details (NULL clears them). */
gboolean dc_db_store_set_notification (DcDb *db, const char *text, GError **error);

typedef enum {
  DC_DB_REPORT_VISITS,          /* by entered_at */
  DC_DB_REPORT_VERIFICATIONS,   /* by verified_at */
} DcDbReportKind;

/* Count the rows of @kind whose time falls in each interval [@bounds[i], @bounds[i + 1])
 * for i < @n_bounds - 1 (@bounds ascending, at least two): @counts[i], set here. One scan,
 * whatever the number of intervals. */
gboolean dc_db_report_count_by_interval (DcDb *db, DcDbReportKind kind, const gint64 *bounds, guint n_bounds,
                                         gint64 *counts, GError **error);

/* The earliest entry of a visit and check of a verification still stored (0 when none). */
gboolean dc_db_report_oldest (DcDb *db, gint64 *out_visit, gint64 *out_verification, GError **error);

/* The newest purge run: when, its cutoff and what it removed. *@found FALSE when none ran. */
typedef struct {
  gint64 at;
  gint64 cutoff;
  gint64 customers, verifications, visits, sessions;
} DcDbReportPurge;

gboolean dc_db_report_last_purge (DcDb *db, DcDbReportPurge *out, gboolean *found, GError **error);

G_END_DECLS
