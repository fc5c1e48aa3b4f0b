/* db/dc-db-filings.c — the SQL of notifications to the police (filings), self-inspections and the facility counts they follow. */
#include "dc-db-filings.h"


/* The first row of @stmt read by @read into @row; the statement is reset either way. */
static gboolean
lookup (DcDb *db, sqlite3_stmt *stmt, DcDbReadFunc read, gpointer row, gboolean *found, GError **error)
{
  GError *local = NULL;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      read (stmt, row);
      sqlite3_reset (stmt);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* ---- filings ---- */

void
dc_filing_row_clear (DcFilingRow *row)
{
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->summary, g_free);
  g_clear_pointer (&row->staff, g_free);
  g_clear_pointer (&row->filed_by_name, g_free);
  g_clear_pointer (&row->filed_note, g_free);
}

gboolean
dc_db_filing_insert (DcDb *db, gint64 at, const char *kind, const char *summary, gint64 due, gint64 staff_id,
                     gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO filings (at, kind, summary, due, staff_id) VALUES (?, ?, ?, ?, NULLIF (?, 0))",
                  "ittii", at, kind, summary, due, staff_id))
    return FALSE;
  if (out_id != NULL)
    *out_id = dc_db_last_id (db);
  return TRUE;
}

gboolean
dc_db_filing_mark_filed (DcDb *db, gint64 id, gint64 at, gint64 staff_id, const char *note, gboolean *done,
                         GError **error)
{
  if (!dc_db_run (db, error,
                  "UPDATE filings SET filed_at = ?, filed_by = ?, filed_note = ? WHERE id = ? AND filed_at IS NULL",
                  "iiti", at, staff_id, note, id))
    return FALSE;
  *done = dc_db_changes (db) == 1;
  return TRUE;
}

#define FILING_COLUMNS \
  "SELECT f.id, f.at, f.kind, f.summary, f.due, COALESCE (f.staff_id, 0), s.name, COALESCE (f.filed_at, 0)," \
  " COALESCE (f.filed_by, 0), b.name, f.filed_note" \
  " FROM filings f LEFT JOIN staff s ON s.id = f.staff_id LEFT JOIN staff b ON b.id = f.filed_by"

static void
read_filing (sqlite3_stmt *stmt, gpointer element)
{
  DcFilingRow *row = element;

  row->id = dc_db_col_int (stmt, 0);
  row->at = dc_db_col_int (stmt, 1);
  row->kind = dc_db_col_text (stmt, 2);
  row->summary = dc_db_col_text (stmt, 3);
  row->due = dc_db_col_int (stmt, 4);
  row->staff_id = dc_db_col_int (stmt, 5);
  row->staff = dc_db_col_text (stmt, 6);
  row->filed_at = dc_db_col_int (stmt, 7);
  row->filed_by = dc_db_col_int (stmt, 8);
  row->filed_by_name = dc_db_col_text (stmt, 9);
  row->filed_note = dc_db_col_text (stmt, 10);
}

gboolean
dc_db_filing_get (DcDb *db, gint64 id, DcFilingRow *row, gboolean *found, GError **error)
{
  return lookup (db, dc_db_query (db, error, FILING_COLUMNS " WHERE f.id = ?", "i", id), read_filing, row, found,
                 error);
}

GArray *
dc_db_filing_list (DcDb *db, gboolean pending_only, GError **error)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (DcFilingRow));

  g_array_set_clear_func (rows, (GDestroyNotify) dc_filing_row_clear);
  return dc_db_collect (db,
                  dc_db_query (db, error,
                               FILING_COLUMNS " WHERE ?1 = 0 OR f.filed_at IS NULL"
                               " ORDER BY f.filed_at IS NOT NULL, CASE WHEN f.filed_at IS NULL THEN f.due END,"
                               " f.filed_at DESC, f.id DESC",
                               "b", pending_only),
                  rows, read_filing, error);
}

gboolean
dc_db_filing_pending (DcDb *db, gint64 *out_count, gint64 *out_first_due, GError **error)
{
  gboolean found;

  return dc_db_int (db, out_count, &found, error, "SELECT COUNT(*) FROM filings WHERE filed_at IS NULL", "")
         && dc_db_int (db, out_first_due, &found, error,
                       "SELECT COALESCE (MIN (due), 0) FROM filings WHERE filed_at IS NULL", "");
}

gboolean
dc_db_facility_counts (DcDb *db, gint64 *out_terminals, gint64 *out_booths, GError **error)
{
  gboolean found;

  /* an unnamed booth is keyed by its terminal's label behind a control character, which
   * no booth name may contain: it never merges with a named booth */
  return dc_db_int (db, out_terminals, &found, error, "SELECT COUNT(*) FROM terminals WHERE active = 1", "")
         && dc_db_int (db, out_booths, &found, error,
                       "SELECT COUNT (DISTINCT CASE WHEN COALESCE (booth, '') = '' THEN char (1) || label"
                       " ELSE booth END) FROM terminals WHERE active = 1 AND kind <> 'open_seat'", "");
}

/* ---- self-inspections ---- */

void
dc_self_check_row_clear (DcSelfCheckRow *row)
{
  g_clear_pointer (&row->staff, g_free);
  g_clear_pointer (&row->items, g_free);
  g_clear_pointer (&row->note, g_free);
}

gboolean
dc_db_self_check_insert (DcDb *db, gint64 at, gint64 staff_id, const char *items, const char *note,
                         gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error, "INSERT INTO self_checks (at, staff_id, items, note) VALUES (?, ?, ?, ?)", "iitt", at,
                  staff_id, items, note))
    return FALSE;
  if (out_id != NULL)
    *out_id = dc_db_last_id (db);
  return TRUE;
}

#define SELF_CHECK_COLUMNS \
  "SELECT c.id, c.at, c.staff_id, s.name, c.items, c.note FROM self_checks c JOIN staff s ON s.id = c.staff_id"

static void
read_self_check (sqlite3_stmt *stmt, gpointer element)
{
  DcSelfCheckRow *row = element;

  row->id = dc_db_col_int (stmt, 0);
  row->at = dc_db_col_int (stmt, 1);
  row->staff_id = dc_db_col_int (stmt, 2);
  row->staff = dc_db_col_text (stmt, 3);
  row->items = dc_db_col_text (stmt, 4);
  row->note = dc_db_col_text (stmt, 5);
}

gboolean
dc_db_self_check_latest (DcDb *db, DcSelfCheckRow *row, gboolean *found, GError **error)
{
  return lookup (db, dc_db_query (db, error, SELF_CHECK_COLUMNS " ORDER BY c.at DESC, c.id DESC LIMIT 1", ""),
                 read_self_check, row, found, error);
}

GArray *
dc_db_self_check_list (DcDb *db, guint limit, GError **error)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (DcSelfCheckRow));

  g_array_set_clear_func (rows, (GDestroyNotify) dc_self_check_row_clear);
  return dc_db_collect (db,
                  dc_db_query (db, error, SELF_CHECK_COLUMNS " ORDER BY c.at DESC, c.id DESC LIMIT ?", "i",
                               limit == 0 ? (gint64) -1 : (gint64) limit),
                  rows, read_self_check, error);
}
