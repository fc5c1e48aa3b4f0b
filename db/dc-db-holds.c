/* db/dc-db-holds.c — typed access to holds, what the holds in force keep, and the visits left open too long. */
#include "dc-db-records.h"
#include "dc-db-records-private.h"

/* ---- holds ---- */

void
dc_hold_row_clear (DcHoldRow *row)
{
  g_clear_pointer (&row->created_by, g_free);
  g_clear_pointer (&row->scope, g_free);
  g_clear_pointer (&row->reason, g_free);
  g_clear_pointer (&row->reference, g_free);
  g_clear_pointer (&row->released_by, g_free);
  g_clear_pointer (&row->release_reason, g_free);
}

gboolean
dc_db_hold_insert (DcDb *db, const DcHoldRow *row, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO holds (created_at, staff_id, scope, reason, reference, disclosure_id)"
                  " VALUES (?, ?, ?, ?, ?, nullif (?, 0))",
                  "iittti", row->created_at, row->staff_id, row->scope, row->reason, row->reference,
                  row->disclosure_id))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

#define HOLD_COLUMNS \
  "SELECT h.id, h.created_at, h.staff_id, a.name, h.scope, h.reason, h.reference," \
  " coalesce (h.disclosure_id, 0), coalesce (h.released_at, 0), b.name, h.release_reason" \
  " FROM holds h JOIN staff a ON a.id = h.staff_id LEFT JOIN staff b ON b.id = h.released_by"

static void
read_hold (sqlite3_stmt *stmt, DcHoldRow *row)
{
  row->id = dc_db_col_int (stmt, 0);
  row->created_at = dc_db_col_int (stmt, 1);
  row->staff_id = dc_db_col_int (stmt, 2);
  row->created_by = dc_db_col_text (stmt, 3);
  row->scope = dc_db_col_text (stmt, 4);
  row->reason = dc_db_col_text (stmt, 5);
  row->reference = dc_db_col_text (stmt, 6);
  row->disclosure_id = dc_db_col_int (stmt, 7);
  row->released_at = dc_db_col_int (stmt, 8);
  row->released_by = dc_db_col_text (stmt, 9);
  row->release_reason = dc_db_col_text (stmt, 10);
}

gboolean
dc_db_hold_get (DcDb *db, gint64 id, DcHoldRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, HOLD_COLUMNS " WHERE h.id = ?", "i", id);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      read_hold (stmt, row);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

GArray *
dc_db_hold_list (DcDb *db, gboolean include_released, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcHoldRow));
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    HOLD_COLUMNS " WHERE ? OR h.released_at IS NULL ORDER BY h.id DESC",
                                    "b", include_released);

  g_array_set_clear_func (rows, (GDestroyNotify) dc_hold_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcHoldRow row = { 0 };

      read_hold (stmt, &row);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
dc_db_hold_release (DcDb *db, gint64 id, gint64 at, gint64 staff_id, const char *reason, gboolean *released,
                    GError **error)
{
  if (!dc_db_run (db, error,
                  "UPDATE holds SET released_at = ?, released_by = ?, release_reason = ?"
                  " WHERE id = ? AND released_at IS NULL",
                  "iiti", at, staff_id, reason, id))
    return FALSE;
  *released = dc_db_changes (db) == 1;
  return TRUE;
}

gboolean
dc_db_hold_target_exists (DcDb *db, const char *table, gint64 id, gboolean *found, GError **error)
{
  static const char *const sql[][2] = {
    { "visits", "SELECT 1 FROM visits WHERE id = ?" },
    { "customers", "SELECT 1 FROM customers WHERE id = ?" },
    { "verifications", "SELECT 1 FROM verifications WHERE id = ?" },
    { "terminals", "SELECT 1 FROM terminals WHERE id = ?" },
    { "disclosures", "SELECT 1 FROM disclosures WHERE id = ?" },
  };
  gint64 one;

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    if (g_str_equal (table, sql[i][0]))
      return dc_db_int (db, &one, found, error, sql[i][1], "i", id);
  g_return_val_if_reached (FALSE);
}

char *
dc_db_hold_terminal_label (DcDb *db, gint64 id, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT label FROM terminals WHERE id = ?", "i", id);
  char *label = NULL;

  if (stmt == NULL)
    return NULL;
  if (dc_db_next (db, stmt, &local))
    {
      label = dc_db_col_text (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (local != NULL)
    g_propagate_error (error, local);
  return label;
}

/* ---- what the holds keep ---- */

static void
set_add (GHashTable *set, gint64 id)
{
  g_hash_table_add (set, g_memdup2 (&id, sizeof id));
}

/* Each row of @stmt is (what, id) with what 0 = visit, 1 = verification, 2 = customer. */
static gboolean
add_rows (DcDb *db, sqlite3_stmt *stmt, GHashTable *visits, GHashTable *verifications, GHashTable *customers,
          GError **error)
{
  GHashTable *sets[] = { visits, verifications, customers };
  GError *local = NULL;

  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    {
      gint64 what = dc_db_col_int (stmt, 0);

      g_assert (what >= 0 && what < (gint64) G_N_ELEMENTS (sets));
      set_add (sets[what], dc_db_col_int (stmt, 1));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* The visits in CTE "v" (id, verification_id, customer_id), with what they rely on. */
#define HELD_VISITS \
  " SELECT 0, id FROM v UNION ALL SELECT 1, verification_id FROM v UNION ALL SELECT 2, customer_id FROM v"

gboolean
dc_db_held_by_visit (DcDb *db, gint64 visit_id, GHashTable *visits, GHashTable *verifications,
                     GHashTable *customers, GError **error)
{
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "WITH v AS (SELECT id, verification_id, customer_id FROM visits WHERE id = ?)"
                                    HELD_VISITS, "i", visit_id);

  return add_rows (db, stmt, visits, verifications, customers, error);
}

gboolean
dc_db_held_by_customer (DcDb *db, gint64 customer_id, GHashTable *visits, GHashTable *verifications,
                        GHashTable *customers, GError **error)
{
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT 0, id FROM visits WHERE customer_id = ?1"
                                    " UNION ALL SELECT 1, id FROM verifications WHERE customer_id = ?1"
                                    " UNION ALL SELECT 2, id FROM customers WHERE id = ?1", "i", customer_id);

  return add_rows (db, stmt, visits, verifications, customers, error);
}

gboolean
dc_db_held_by_verification (DcDb *db, gint64 verification_id, GHashTable *visits, GHashTable *verifications,
                            GHashTable *customers, GError **error)
{
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT 1, id FROM verifications WHERE id = ?1"
                                    " UNION ALL SELECT 2, customer_id FROM verifications WHERE id = ?1"
                                    " UNION ALL SELECT 0, id FROM visits WHERE verification_id = ?1",
                                    "i", verification_id);

  return add_rows (db, stmt, visits, verifications, customers, error);
}

static char *
json_ids (GArray *ids)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

gboolean
dc_db_held_by_range (DcDb *db, gint64 from, gint64 to, GArray *terminals, GHashTable *visits,
                     GHashTable *verifications, GHashTable *customers, GError **error)
{
  g_autofree char *only = terminals != NULL && terminals->len > 0 ? json_ids (terminals) : NULL;
  /* [started, ended) overlaps [from, to); an open session has not ended */
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "WITH s AS (SELECT DISTINCT visit_id FROM terminal_sessions"
                                    "   WHERE started_at < ?2 AND (ended_at IS NULL OR ended_at > ?1)"
                                    "   AND (?3 IS NULL OR terminal_id IN (SELECT value FROM json_each (?3)))),"
                                    " v AS (SELECT id, verification_id, customer_id FROM visits"
                                    "   WHERE id IN (SELECT visit_id FROM s))"
                                    HELD_VISITS, "iit", from, to, only);

  return add_rows (db, stmt, visits, verifications, customers, error);
}

gboolean
dc_db_held_chains (DcDb *db, GHashTable *verifications, GError **error)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (verifications));
  g_autofree char *json = NULL;
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *stmt;

  if (g_hash_table_size (verifications) == 0)
    return TRUE;
  g_hash_table_iter_init (&iter, verifications);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  json = json_ids (ids);
  /* A correction is a new row of the same customer naming the one it supersedes: walk
   * both ways, the newer versions through the customer index (supersedes has none). */
  stmt = dc_db_query (db, error,
                      "WITH RECURSIVE chain (id, customer_id, supersedes) AS ("
                      "  SELECT id, customer_id, supersedes FROM verifications"
                      "   WHERE id IN (SELECT value FROM json_each (?1))"
                      "  UNION SELECT o.id, o.customer_id, o.supersedes FROM chain c"
                      "   JOIN verifications o ON o.id = c.supersedes"
                      "  UNION SELECT n.id, n.customer_id, n.supersedes FROM chain c"
                      "   JOIN verifications n ON n.customer_id = c.customer_id AND n.supersedes = c.id)"
                      " SELECT 1, id FROM chain", "t", json);
  return add_rows (db, stmt, NULL, verifications, NULL, error);
}

/* ---- visits left open ---- */

GArray *
dc_db_visits_stale (DcDb *db, gint64 entered_before, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcStaleVisit));
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT v.id, coalesce (s.id, 0) FROM visits v"
                                    " LEFT JOIN terminal_sessions s ON s.visit_id = v.id AND s.ended_at IS NULL"
                                    " WHERE v.exited_at IS NULL AND v.entered_at < ? ORDER BY v.id",
                                    "i", entered_before);

  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcStaleVisit row = { dc_db_col_int (stmt, 0), dc_db_col_int (stmt, 1) };

      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}
