/* db/dc-db-report.c — the SQL of the inspection report: counts per month, oldest record, last purge. */
#include "dc-db-report.h"
#include "dc-db-records-private.h"

#include <string.h>

gboolean
dc_db_report_notification (DcDb *db, char **out, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT notification FROM store WHERE id = 1", "");
  gboolean found = FALSE;

  *out = NULL;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      found = TRUE;
      *out = dc_db_col_text (stmt, 0);
    }
  return dc_db_finish_lookup (db, stmt, &found, local, error);
}

gboolean
dc_db_store_set_notification (DcDb *db, const char *text, GError **error)
{
  return dc_db_run (db, error, "UPDATE store SET notification = ? WHERE id = 1", "t", text);
}

/* The last interval whose start is at or before @t (the caller keeps @t inside the bounds). */
static guint
interval_of (const gint64 *bounds, guint n_bounds, gint64 t)
{
  guint lo = 0, hi = n_bounds - 1;

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (bounds[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

gboolean
dc_db_report_count_by_interval (DcDb *db, DcDbReportKind kind, const gint64 *bounds, guint n_bounds,
                                gint64 *counts, GError **error)
{
  /* The months are local to the store's zone, which SQLite does not know: the rows are
   * bucketed here, in one pass, rather than one scan per month (neither time is indexed). */
  static const char *const sql[] = {
    [DC_DB_REPORT_VISITS] = "SELECT entered_at FROM visits WHERE entered_at >= ? AND entered_at < ?",
    [DC_DB_REPORT_VERIFICATIONS] = "SELECT verified_at FROM verifications WHERE verified_at >= ? AND verified_at < ?",
  };
  GError *local = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (n_bounds >= 2, FALSE);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (sql), FALSE);
  memset (counts, 0, sizeof *counts * (n_bounds - 1));
  stmt = dc_db_query (db, error, sql[kind], "ii", bounds[0], bounds[n_bounds - 1]);
  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    counts[interval_of (bounds, n_bounds, dc_db_col_int (stmt, 0))]++;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_db_report_oldest (DcDb *db, gint64 *out_visit, gint64 *out_verification, GError **error)
{
  gboolean found;

  return dc_db_int (db, out_visit, &found, error, "SELECT coalesce (min (entered_at), 0) FROM visits", "")
         && dc_db_int (db, out_verification, &found, error,
                       "SELECT coalesce (min (verified_at), 0) FROM verifications", "");
}

gboolean
dc_db_report_last_purge (DcDb *db, DcDbReportPurge *out, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT at, cutoff, customers, verifications, visits, sessions FROM purges"
                                    " ORDER BY id DESC LIMIT 1", "");

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      out->at = dc_db_col_int (stmt, 0);
      out->cutoff = dc_db_col_int (stmt, 1);
      out->customers = dc_db_col_int (stmt, 2);
      out->verifications = dc_db_col_int (stmt, 3);
      out->visits = dc_db_col_int (stmt, 4);
      out->sessions = dc_db_col_int (stmt, 5);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}
