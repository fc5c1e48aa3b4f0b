/* app/dc-retention.h — how long records are kept (ordinance.md §6), closing forgotten visits, and the purge. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

#define DC_RETENTION_YEARS 3

/* ---- the arithmetic (pure) ---- */

/* The first instant (UTC µs) at which a service that ended at @end_utc may be purged: the
 * start, in @tz, of the day after dc_date_keep_through (the local day of @end_utc, 3). */
gint64   dc_retention_purge_from (GTimeZone *tz, gint64 end_utc);
/* The local day through which that service must be kept (for display). */
void     dc_retention_keep_through (GTimeZone *tz, gint64 end_utc, GDate *out);
/* The cutoff of a purge run at @now_utc: exactly the services that ended before it may go
 * (dc_retention_purge_from (tz, end) <= now ⇔ end < cutoff). Keep-through is monotonic in
 * the end day, so this is the start of the first local day still inside retention. */
gint64   dc_retention_cutoff (GTimeZone *tz, gint64 now_utc);

/* ---- visits left open ---- */

/* Close every visit open for longer than the store's DC_SETTING_AUTO_CLOSE_HOURS, with exit
 * reason "auto" and exit time = now (its sessions end then too), so it can age. One
 * transaction, audited as the system (staff 0). Needs no secret. */
gboolean dc_retention_close_stale (DcStore *store, guint *out_closed, GError **error);

/* ---- the purge (design.md §6) ---- */

typedef struct {
  char   month[8];          /* "2023-05": month of service end, store time */
  gint64 visits;
  gint64 sessions;
  gint64 verifications;     /* by the month their last visit ended */
  gint64 customers;         /* by the month their last visit ended */
} DcPurgeMonth;

typedef struct {
  gint64  now;
  gint64  cutoff;           /* dc_retention_cutoff (now) */
  GArray *months;           /* of DcPurgeMonth, oldest first: what would go */
  gint64  visits, sessions, verifications, customers;              /* totals that would go */
  gint64  held_visits, held_sessions, held_verifications, held_customers; /* purgeable but held */
  gint64  open_visits;      /* never purged while open */
  gint64  oldest_end;       /* the oldest service end still stored (UTC µs), 0 when none */
  gint64  oldest_purge_from;/* when that record becomes purgeable, 0 when none */
} DcPurgePlan;

void         dc_purge_plan_free (DcPurgePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcPurgePlan, dc_purge_plan_free)

/* What a purge run now would remove (a dry run: reads only, needs no secret). */
DcPurgePlan *dc_purge_plan (DcStore *store, GError **error);

/* Close stale visits, then delete everything past retention and not held, in one
 * transaction through the purge path, with one `purges` row (cutoff and counts only) and
 * one audit entry; then make the bytes unrecoverable (secure_delete is on; a truncating
 * WAL checkpoint; incremental vacuum) so the file shrinks. @staff_id: who asked (0 = the
 * timer). @out_done (may be NULL) receives what was removed: the plan the run worked from,
 * equal to dc_purge_plan at the same moment except open_visits, which no longer counts the
 * visits it closed first. Every run, an empty one too, leaves its purges row and audit entry,
 * so the history shows when the timer last ran. Needs no secret. */
gboolean     dc_purge_run (DcStore *store, gint64 staff_id, DcPurgePlan **out_done, GError **error);

typedef struct {
  gint64 id;
  gint64 at;
  gint64 cutoff;
  gint64 customers, verifications, visits, sessions;
} DcPurgeRecord;

/* Every purge so far, newest first; an array of DcPurgeRecord. */
GArray      *dc_purge_history (DcStore *store, GError **error);

G_END_DECLS
