/* db/dc-db-audit.c — typed access to the audit chain and its checkpoints, and the database's own checks. */
#include "dc-db-records.h"
#include "dc-db-records-private.h"

#include <string.h>

/* ---- audit chain ---- */

void
dc_audit_row_clear (DcAuditRow *row)
{
  g_clear_pointer (&row->action, g_free);
  g_clear_pointer (&row->subject_table, g_free);
  g_clear_pointer (&row->row_hash, g_bytes_unref);
  g_clear_pointer (&row->prev_hash, g_bytes_unref);
  g_clear_pointer (&row->hash, g_bytes_unref);
}

gboolean
dc_db_audit_head (DcDb *db, gint64 *out_seq, guint8 hash[32], gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", "");

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      *out_seq = dc_db_col_int (stmt, 0);
      memset (hash, 0, 32);
      if (sqlite3_column_bytes (stmt, 1) == 32)
        memcpy (hash, sqlite3_column_blob (stmt, 1), 32);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_audit_insert (DcDb *db, const DcAuditRow *row, GError **error)
{
  return dc_db_run (db, error,
                    "INSERT INTO audit (id, at, staff_id, action, subject_table, subject_id, row_hash, prev_hash, hash)"
                    " VALUES (?, ?, nullif (?, 0), ?, ?, nullif (?, 0), ?, ?, ?)",
                    "iiittixxx", row->seq, row->at, row->staff_id, row->action, row->subject_table,
                    row->subject_id, row->row_hash, row->prev_hash, row->hash);
}

gboolean
dc_db_audit_high_water (DcDb *db, gint64 *out_seq, GError **error)
{
  gboolean found;

  if (!dc_db_int (db, out_seq, &found, error, "SELECT seq FROM sqlite_sequence WHERE name = 'audit'", ""))
    return FALSE;
  if (!found)
    *out_seq = 0;
  return TRUE;
}

#define AUDIT_COLUMNS \
  "SELECT id, at, coalesce (staff_id, 0), action, subject_table, coalesce (subject_id, 0), row_hash," \
  " prev_hash, hash FROM audit"

static void
read_audit (sqlite3_stmt *stmt, DcAuditRow *row)
{
  row->seq = dc_db_col_int (stmt, 0);
  row->at = dc_db_col_int (stmt, 1);
  row->staff_id = dc_db_col_int (stmt, 2);
  row->action = dc_db_col_text (stmt, 3);
  row->subject_table = dc_db_col_text (stmt, 4);
  row->subject_id = dc_db_col_int (stmt, 5);
  row->row_hash = dc_db_col_bytes (stmt, 6);
  row->prev_hash = dc_db_col_bytes (stmt, 7);
  row->hash = dc_db_col_bytes (stmt, 8);
}

gboolean
dc_db_audit_foreach (DcDb *db, DcAuditFunc func, gpointer user_data, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, AUDIT_COLUMNS " ORDER BY id", "");

  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    {
      DcAuditRow row = { 0 };
      gboolean ok;

      read_audit (stmt, &row);
      ok = func (&row, user_data, error);
      dc_audit_row_clear (&row);
      if (!ok)
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_db_audit_latest_for (DcDb *db, const char *table, gint64 id, DcAuditRow *row, gboolean *found,
                        GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    AUDIT_COLUMNS " WHERE subject_table = ? AND subject_id = ?"
                                    " ORDER BY id DESC LIMIT 1", "ti", table, id);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      read_audit (stmt, row);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

/* ---- checkpoints ---- */

void
dc_checkpoint_row_clear (DcCheckpointRow *row)
{
  g_clear_pointer (&row->head_hash, g_bytes_unref);
  g_clear_pointer (&row->signature, g_bytes_unref);
}

gboolean
dc_db_checkpoint_insert (DcDb *db, const DcCheckpointRow *row, GError **error)
{
  return dc_db_run (db, error, "INSERT INTO checkpoints (seq, head_hash, at, signature) VALUES (?, ?, ?, ?)",
                    "ixix", row->seq, row->head_hash, row->at, row->signature);
}

static void
read_checkpoint (sqlite3_stmt *stmt, DcCheckpointRow *row)
{
  row->id = dc_db_col_int (stmt, 0);
  row->seq = dc_db_col_int (stmt, 1);
  row->head_hash = dc_db_col_bytes (stmt, 2);
  row->at = dc_db_col_int (stmt, 3);
  row->signature = dc_db_col_bytes (stmt, 4);
}

gboolean
dc_db_checkpoint_latest (DcDb *db, DcCheckpointRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT id, seq, head_hash, at, signature FROM checkpoints"
                                    " ORDER BY id DESC LIMIT 1", "");

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      read_checkpoint (stmt, row);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

GArray *
dc_db_checkpoint_list (DcDb *db, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcCheckpointRow));
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT id, seq, head_hash, at, signature FROM checkpoints ORDER BY id", "");

  g_array_set_clear_func (rows, (GDestroyNotify) dc_checkpoint_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcCheckpointRow row = { 0 };
      read_checkpoint (stmt, &row);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
dc_db_trigger_names (DcDb *db, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT name FROM sqlite_schema WHERE type = 'trigger'", "");

  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    g_ptr_array_add (names, dc_db_col_text (stmt, 0));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&names);
}

char *
dc_db_quick_check (DcDb *db, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "PRAGMA quick_check", "");
  g_autoptr(GString) problems = g_string_new (NULL);

  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (line != NULL && !g_str_equal (line, "ok"))
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", line);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return problems->len > 0 ? g_string_free (g_steal_pointer (&problems), FALSE) : NULL;
}
