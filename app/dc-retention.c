/* app/dc-retention.c — how long a record is kept (ordinance.md §6) and closing visits left open so they can age. */
#include "dc-retention.h"
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-db-records.h"

/* ---- the arithmetic ---- */

void
dc_retention_keep_through (GTimeZone *tz, gint64 end_utc, GDate *out)
{
  GDate end_day;

  dc_date_from_instant (end_utc, tz, &end_day);
  dc_date_keep_through (&end_day, DC_RETENTION_YEARS, out);
}

gint64
dc_retention_purge_from (GTimeZone *tz, gint64 end_utc)
{
  GDate day;

  dc_retention_keep_through (tz, end_utc, &day);
  g_date_add_days (&day, 1);
  return dc_date_start_instant (&day, tz);
}

/* Is a service that ended on local day @end_day still inside retention on local day
 * @today? purge_from <= now ⇔ the day after keep-through <= today ⇔ keep-through < today. */
static gboolean
still_kept (const GDate *end_day, const GDate *today)
{
  GDate keep;

  dc_date_keep_through (end_day, DC_RETENTION_YEARS, &keep);
  return g_date_compare (&keep, today) >= 0;
}

gint64
dc_retention_cutoff (GTimeZone *tz, gint64 now_utc)
{
  GDate today, day;

  dc_date_from_instant (now_utc, tz, &today);
  /* The answer is the first end day still kept. Keep-through is the same date three years
   * on give or take a day (29 February, 1 March), so start near there and step: back
   * while still kept, then forward while not. */
  day = today;
  g_date_subtract_years (&day, DC_RETENTION_YEARS);
  while (still_kept (&day, &today))
    g_date_subtract_days (&day, 1);
  while (!still_kept (&day, &today))
    g_date_add_days (&day, 1);
  return dc_date_start_instant (&day, tz);
}

/* ---- visits left open ---- */

static gboolean
close_one (DcStore *store, const DcStaleVisit *stale, gint64 now, GError **error)
{
  DcDb *db = dc_store_db (store);
  const char *reason = dc_exit_reason_code (DC_EXIT_AUTO);

  if (stale->session_id != 0
      && !(dc_db_session_close (db, stale->session_id, now, error)
           && dc_audit_row (store, 0, "auto-close", "terminal_sessions", stale->session_id, error)))
    return FALSE;
  return dc_db_visit_close (db, stale->visit_id, now, 0, reason, error)
         && dc_audit_row (store, 0, "auto-close", "visits", stale->visit_id, error);
}

static gboolean
close_stale_locked (DcStore *store, gint64 now, guint *out_closed, GError **error)
{
  gint64 hours = dc_store_get_setting (store, DC_SETTING_AUTO_CLOSE_HOURS);
  g_autoptr(GArray) stale = NULL;

  /* "open for longer than" the limit: one entered exactly that long ago stays open */
  stale = dc_db_visits_stale (dc_store_db (store), now - hours * G_USEC_PER_SEC * 3600, error);
  if (stale == NULL)
    return FALSE;
  for (guint i = 0; i < stale->len; i++)
    if (!close_one (store, &g_array_index (stale, DcStaleVisit, i), now, error))
      return FALSE;
  *out_closed = stale->len;
  return TRUE;
}

gboolean
dc_retention_close_stale (DcStore *store, guint *out_closed, GError **error)
{
  DcDb *db = dc_store_db (store);
  guint closed = 0;

  if (!dc_db_begin (db, error))
    return FALSE;
  if (!close_stale_locked (store, dc_store_now (store), &closed, error) || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  if (out_closed != NULL)
    *out_closed = closed;
  return TRUE;
}
