/* db/dc-db-cards.c — the member cards' SQL (schema v4 table cards). */
#include "dc-db-cards.h"

#define CARD_COLUMNS \
  "c.id, c.customer_id, c.generation, c.issued_at, c.staff_id, c.ended_at, c.ended_by, c.end_reason"

void
dc_card_row_clear (DcCardRow *row)
{
  g_clear_pointer (&row->end_reason, g_free);
}

gboolean
dc_db_card_insert (DcDb *db, gint64 customer_id, gint64 generation, gint64 issued_at, gint64 staff_id,
                   gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error, "INSERT INTO cards (customer_id, generation, issued_at, staff_id) VALUES (?, ?, ?, ?)",
                  "iiii", customer_id, generation, issued_at, staff_id))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

/* One row of CARD_COLUMNS from @stmt into @row. */
static gboolean
read_card (DcDb *db, sqlite3_stmt *stmt, DcCardRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *row = (DcCardRow) {
        .id = dc_db_col_int (stmt, 0),
        .customer_id = dc_db_col_int (stmt, 1),
        .generation = dc_db_col_int (stmt, 2),
        .issued_at = dc_db_col_int (stmt, 3),
        .staff_id = dc_db_col_int (stmt, 4),
        .ended_at = dc_db_col_int (stmt, 5),
        .ended_by = dc_db_col_int (stmt, 6),
        .end_reason = dc_db_col_text (stmt, 7),
      };
      *found = TRUE;
      sqlite3_reset (stmt);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_db_card_get (DcDb *db, gint64 customer_id, gint64 generation, DcCardRow *row, gboolean *found, GError **error)
{
  sqlite3_stmt *stmt;

  if (generation > 0)
    stmt = dc_db_query (db, error, "SELECT " CARD_COLUMNS " FROM cards c WHERE c.customer_id = ? AND c.generation = ?",
                        "ii", customer_id, generation);
  else
    stmt = dc_db_query (db, error,
                        "SELECT " CARD_COLUMNS " FROM cards c WHERE c.customer_id = ?"
                        " ORDER BY c.generation DESC LIMIT 1", "i", customer_id);
  return read_card (db, stmt, row, found, error);
}

gboolean
dc_db_card_find (DcDb *db, const char *member_number, gint64 generation, DcCardRow *row, gboolean *found,
                 GError **error)
{
  /* both lookups are on unique indexes: (member_number) and (customer_id, generation) */
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT " CARD_COLUMNS " FROM customers u JOIN cards c ON c.customer_id = u.id"
                                    " WHERE u.member_number = ? AND c.generation = ?",
                                    "ti", member_number, generation);

  return read_card (db, stmt, row, found, error);
}

gboolean
dc_db_card_end (DcDb *db, gint64 card_id, gint64 at, gint64 staff_id, const char *reason, GError **error)
{
  return dc_db_run (db, error, "UPDATE cards SET ended_at = ?, ended_by = ?, end_reason = ? WHERE id = ?",
                    "iiti", at, staff_id, reason, card_id);
}
