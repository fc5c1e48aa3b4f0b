/* db/dc-db-people.c — typed access to customers, verifications, visits, terminal sessions, presence and their history. */
#include "dc-db-records.h"
#include "dc-db-records-private.h"

#include <string.h>

/* ---- customers ---- */

gboolean
dc_db_next_id (DcDb *db, const char *table, gint64 *out_id, GError **error)
{
  gboolean found;
  gint64 seq = 0;

  if (!dc_db_int (db, &seq, &found, error, "SELECT seq FROM sqlite_sequence WHERE name = ?", "t", table))
    return FALSE;
  *out_id = (found ? seq : 0) + 1;
  return TRUE;
}

gboolean
dc_db_customer_insert (DcDb *db, gint64 id, const char *member_number, GBytes *person_index, gint64 now,
                       GError **error)
{
  return dc_db_run (db, error,
                    "INSERT INTO customers (id, member_number, person_index, created_at) VALUES (?, ?, ?, ?)",
                    "itxi", id, member_number, person_index, now);
}

gboolean
dc_db_customer_find_by_person (DcDb *db, GBytes *person_index, gint64 *out_id, char **out_member,
                               gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT c.id, c.member_number FROM verifications v"
                                    " JOIN customers c ON c.id = v.customer_id"
                                    " WHERE v.person_index = ? ORDER BY v.id DESC LIMIT 1", "x", person_index);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      *out_id = dc_db_col_int (stmt, 0);
      if (out_member != NULL)
        *out_member = dc_db_col_text (stmt, 1);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_customer_find_by_member (DcDb *db, const char *member_number, gint64 *out_id, gboolean *found,
                               GError **error)
{
  return dc_db_int (db, out_id, found, error, "SELECT id FROM customers WHERE member_number = ?",
                    "t", member_number);
}

gboolean
dc_db_customer_member (DcDb *db, gint64 customer_id, char **out_member, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT member_number FROM customers WHERE id = ?",
                                    "i", customer_id);

  *out_member = NULL;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *out_member = dc_db_col_text (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* ---- verifications ---- */

void
dc_verification_row_clear (DcVerificationRow *row)
{
  g_clear_pointer (&row->doc_type, g_free);
  g_clear_pointer (&row->payload, g_bytes_unref);
  g_clear_pointer (&row->person_index, g_bytes_unref);
  g_clear_pointer (&row->document_index, g_bytes_unref);
  g_clear_pointer (&row->tier, g_bytes_unref);
  g_clear_pointer (&row->reason, g_free);
}

gboolean
dc_db_verification_insert (DcDb *db, const DcVerificationRow *row, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO verifications (id, customer_id, verified_at, verifier_id, recorder_id, doc_type,"
                  " payload, person_index, document_index, name_index, tier, supersedes, reason)"
                  " VALUES (nullif (?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif (?, 0), ?)",
                  "iiiiitxxxixit", row->id, row->customer_id, row->verified_at, row->verifier_id,
                  row->recorder_id, row->doc_type, row->payload, row->person_index, row->document_index,
                  row->name_index, row->tier, row->supersedes, row->reason))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

#define VERIFICATION_COLUMNS \
  "SELECT id, customer_id, verified_at, verifier_id, recorder_id, doc_type, payload, person_index," \
  " document_index, name_index, tier, coalesce (supersedes, 0), reason FROM verifications"

static gboolean
verification_lookup (DcDb *db, sqlite3_stmt *stmt, DcVerificationRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      row->id = dc_db_col_int (stmt, 0);
      row->customer_id = dc_db_col_int (stmt, 1);
      row->verified_at = dc_db_col_int (stmt, 2);
      row->verifier_id = dc_db_col_int (stmt, 3);
      row->recorder_id = dc_db_col_int (stmt, 4);
      row->doc_type = dc_db_col_text (stmt, 5);
      row->payload = dc_db_col_bytes (stmt, 6);
      row->person_index = dc_db_col_bytes (stmt, 7);
      row->document_index = dc_db_col_bytes (stmt, 8);
      row->name_index = dc_db_col_int (stmt, 9);
      row->tier = dc_db_col_bytes (stmt, 10);
      row->supersedes = dc_db_col_int (stmt, 11);
      row->reason = dc_db_col_text (stmt, 12);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_verification_get (DcDb *db, gint64 id, DcVerificationRow *row, gboolean *found, GError **error)
{
  return verification_lookup (db, dc_db_query (db, error, VERIFICATION_COLUMNS " WHERE id = ?", "i", id),
                              row, found, error);
}

gboolean
dc_db_verification_latest (DcDb *db, gint64 customer_id, DcVerificationRow *row, gboolean *found,
                           GError **error)
{
  return verification_lookup (db, dc_db_query (db, error,
                                               VERIFICATION_COLUMNS " WHERE customer_id = ?"
                                               " ORDER BY id DESC LIMIT 1", "i", customer_id),
                              row, found, error);
}

gboolean
dc_db_verification_latest_tier (DcDb *db, gint64 customer_id, gint64 *out_id, GBytes **out_tier, gboolean *found,
                                GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT id, tier FROM verifications WHERE customer_id = ?"
                                    " ORDER BY id DESC LIMIT 1", "i", customer_id);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      *out_id = dc_db_col_int (stmt, 0);
      *out_tier = dc_db_col_bytes (stmt, 1);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_verification_superseded_by (DcDb *db, gint64 id, gint64 *out_newer, gboolean *found, GError **error)
{
  return dc_db_int (db, out_newer, found, error,
                    "SELECT max (id) FROM verifications WHERE supersedes = ?", "i", id);
}

/* ---- visits ---- */

void
dc_visit_row_clear (DcVisitRow *row)
{
  g_clear_pointer (&row->exit_reason, g_free);
}

gboolean
dc_db_visit_insert (DcDb *db, const DcVisitRow *row, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO visits (customer_id, verification_id, entered_at, staff_in, minor, internet)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  "iiiibb", row->customer_id, row->verification_id, row->entered_at, row->staff_in,
                  row->minor, row->internet))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

gboolean
dc_db_visit_get (DcDb *db, gint64 id, DcVisitRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT id, customer_id, verification_id, entered_at, coalesce (exited_at, 0),"
                                    " staff_in, coalesce (staff_out, 0), exit_reason, minor, internet"
                                    " FROM visits WHERE id = ?", "i", id);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      row->id = dc_db_col_int (stmt, 0);
      row->customer_id = dc_db_col_int (stmt, 1);
      row->verification_id = dc_db_col_int (stmt, 2);
      row->entered_at = dc_db_col_int (stmt, 3);
      row->exited_at = dc_db_col_int (stmt, 4);
      row->staff_in = dc_db_col_int (stmt, 5);
      row->staff_out = dc_db_col_int (stmt, 6);
      row->exit_reason = dc_db_col_text (stmt, 7);
      row->minor = dc_db_col_int (stmt, 8) != 0;
      row->internet = dc_db_col_int (stmt, 9) != 0;
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_visit_open_for_customer (DcDb *db, gint64 customer_id, gint64 *out_visit, gboolean *found, GError **error)
{
  return dc_db_int (db, out_visit, found, error,
                    "SELECT id FROM visits WHERE customer_id = ? AND exited_at IS NULL", "i", customer_id);
}

gboolean
dc_db_visit_close (DcDb *db, gint64 visit_id, gint64 at, gint64 staff_id, const char *reason, GError **error)
{
  return dc_db_run (db, error,
                    "UPDATE visits SET exited_at = ?, staff_out = nullif (?, 0), exit_reason = ?"
                    " WHERE id = ? AND exited_at IS NULL",
                    "iiti", at, staff_id, reason, visit_id);
}

/* ---- terminal sessions ---- */

gboolean
dc_db_session_insert (DcDb *db, gint64 visit_id, gint64 terminal_id, gint64 at, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO terminal_sessions (visit_id, terminal_id, started_at) VALUES (?, ?, ?)",
                  "iii", visit_id, terminal_id, at))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

gboolean
dc_db_session_close (DcDb *db, gint64 session_id, gint64 at, GError **error)
{
  return dc_db_run (db, error,
                    "UPDATE terminal_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                    "ii", at, session_id);
}

static gboolean
two_ints (DcDb *db, sqlite3_stmt *stmt, gint64 *a, gint64 *b, gboolean *found, GError **error)
{
  GError *local = NULL;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      *a = dc_db_col_int (stmt, 0);
      *b = dc_db_col_int (stmt, 1);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_session_open_for_visit (DcDb *db, gint64 visit_id, gint64 *out_session, gint64 *out_terminal,
                              gboolean *found, GError **error)
{
  return two_ints (db, dc_db_query (db, error,
                                    "SELECT id, terminal_id FROM terminal_sessions"
                                    " WHERE visit_id = ? AND ended_at IS NULL", "i", visit_id),
                   out_session, out_terminal, found, error);
}

gboolean
dc_db_session_open_row (DcDb *db, gint64 visit_id, DcSessionRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT id, terminal_id, started_at FROM terminal_sessions"
                                    " WHERE visit_id = ? AND ended_at IS NULL", "i", visit_id);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      row->id = dc_db_col_int (stmt, 0);
      row->visit_id = visit_id;
      row->terminal_id = dc_db_col_int (stmt, 1);
      row->started_at = dc_db_col_int (stmt, 2);
      row->ended_at = 0;
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_session_open_on_terminal (DcDb *db, gint64 terminal_id, gint64 *out_session, gint64 *out_visit,
                                gboolean *found, GError **error)
{
  return two_ints (db, dc_db_query (db, error,
                                    "SELECT id, visit_id FROM terminal_sessions"
                                    " WHERE terminal_id = ? AND ended_at IS NULL", "i", terminal_id),
                   out_session, out_visit, found, error);
}

/* ---- canonical bytes without reading back ---- */

/* A column's value as the functions above bind it: 'i' integer, 't' text, 'x' blob, 'n' NULL. */
typedef struct {
  const char   *column;
  char          type;
  gint64        integer;
  gconstpointer data;
  gsize         len;
} Value;

#define INT(c, v)      { .column = (c), .type = 'i', .integer = (v) }
/* nullif (?, 0) */
#define INT_OR_NULL(c, v) { .column = (c), .type = (v) != 0 ? 'i' : 'n', .integer = (v) }
#define TEXT(c, s)     { .column = (c), .type = (s) != NULL ? 't' : 'n', .data = (s), .len = (s) != NULL ? strlen (s) : 0 }
#define BLOB(c, b)     { .column = (c), .type = (b) != NULL ? 'x' : 'n', .data = (b) != NULL ? g_bytes_get_data ((b), NULL) : NULL, \
                         .len = (b) != NULL ? g_bytes_get_size (b) : 0 }


#define MAX_COLUMNS 32

/* What encode_row (db/dc-db.c) makes of the row, column by column in the table's own order,
 * each value as SQLite stores what was bound: the declared types here (INTEGER, TEXT, BLOB)
 * keep it as it was. The columns come from @columns_sql ("SELECT * FROM table WHERE 0",
 * dc_db_columns): a column added since, which @values cannot name, makes the caller read
 * the row back instead. */
static gboolean
canonical_of (DcDb *db, const char *table, const char *columns_sql, const Value *values, guint n_values,
              GByteArray *out)
{
  guint n = 0;
  const char *const *names = dc_db_columns (db, columns_sql, &n);
  const Value *order[MAX_COLUMNS];
  gsize size;
  guint8 *p;

  g_assert (n_values <= MAX_COLUMNS);

  if (names == NULL || n != n_values)
    return FALSE;
  /* match the columns first, then write everything in one go into a buffer sized once */
  size = 8 + 13 + 8 + strlen (table);
  for (guint c = 0; c < n; c++)
    {
      const Value *v = g_str_equal (values[c].column, names[c]) ? &values[c] : NULL;

      for (guint i = 0; i < n_values && v == NULL; i++)
        if (g_str_equal (values[i].column, names[c]))
          v = &values[i];
      if (v == NULL)
        return FALSE;
      order[c] = v;
      size += 8 + strlen (names[c]) + 1 + (v->type == 'i' ? 8 : v->type == 'n' ? 0 : 8 + v->len);
    }
  g_byte_array_set_size (out, size);
  p = out->data;
  p = dc_db_write_chunk (p, "daicho-row-v1", 13);
  p = dc_db_write_chunk (p, table, strlen (table));
  for (guint c = 0; c < n; c++)
    {
      const Value *v = order[c];

      p = dc_db_write_chunk (p, names[c], strlen (names[c]));
      *p++ = (guint8) v->type;
      if (v->type == 'i')
        p = dc_db_write_u64 (p, (guint64) v->integer);
      else if (v->type == 't' || v->type == 'x')
        p = dc_db_write_chunk (p, v->data, v->len);
    }
  g_assert (p == out->data + size);
  return TRUE;
}

#define CANONICAL(db, table, values, out) \
  canonical_of ((db), table, "SELECT * FROM " table " WHERE 0", (values), G_N_ELEMENTS (values), (out))

gboolean
dc_db_customer_canonical (DcDb *db, gint64 id, const char *member_number, GBytes *person_index, gint64 created_at,
                          GByteArray *out)
{
  const Value values[] = {
    INT ("id", id), TEXT ("member_number", member_number), BLOB ("person_index", person_index),
    INT ("created_at", created_at),
  };

  return CANONICAL (db, "customers", values, out);
}

gboolean
dc_db_verification_canonical (DcDb *db, const DcVerificationRow *row, GByteArray *out)
{
  const Value values[] = {
    INT ("id", row->id), INT ("customer_id", row->customer_id), INT ("verified_at", row->verified_at),
    INT ("verifier_id", row->verifier_id), INT ("recorder_id", row->recorder_id), TEXT ("doc_type", row->doc_type),
    BLOB ("payload", row->payload), BLOB ("person_index", row->person_index),
    BLOB ("document_index", row->document_index), INT ("name_index", row->name_index), BLOB ("tier", row->tier),
    INT_OR_NULL ("supersedes", row->supersedes), TEXT ("reason", row->reason),
  };

  return CANONICAL (db, "verifications", values, out);
}

gboolean
dc_db_visit_canonical (DcDb *db, const DcVisitRow *row, GByteArray *out)
{
  const Value values[] = {
    INT ("id", row->id), INT ("customer_id", row->customer_id), INT ("verification_id", row->verification_id),
    INT ("entered_at", row->entered_at), INT_OR_NULL ("exited_at", row->exited_at), INT ("staff_in", row->staff_in),
    INT_OR_NULL ("staff_out", row->staff_out), TEXT ("exit_reason", row->exit_reason),
    INT ("minor", row->minor ? 1 : 0), INT ("internet", row->internet ? 1 : 0),
  };

  return CANONICAL (db, "visits", values, out);
}

gboolean
dc_db_session_canonical (DcDb *db, const DcSessionRow *row, GByteArray *out)
{
  const Value values[] = {
    INT ("id", row->id), INT ("visit_id", row->visit_id), INT ("terminal_id", row->terminal_id),
    INT ("started_at", row->started_at), INT_OR_NULL ("ended_at", row->ended_at),
  };

  return CANONICAL (db, "terminal_sessions", values, out);
}

void
dc_presence_row_clear (DcPresenceRow *row)
{
  g_clear_pointer (&row->member_number, g_free);
  g_clear_pointer (&row->terminal, g_free);
  g_clear_pointer (&row->tier, g_bytes_unref);
}

GArray *
dc_db_presence_list (DcDb *db, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcPresenceRow));
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT v.id, v.customer_id, c.member_number, t.label, v.entered_at,"
                                    " coalesce (s.started_at, 0), v.minor, r.tier, v.verification_id, r.customer_id"
                                    " FROM visits v"
                                    " JOIN customers c ON c.id = v.customer_id"
                                    " JOIN verifications r ON r.id = v.verification_id"
                                    " LEFT JOIN terminal_sessions s ON s.visit_id = v.id AND s.ended_at IS NULL"
                                    " LEFT JOIN terminals t ON t.id = s.terminal_id"
                                    " WHERE v.exited_at IS NULL ORDER BY v.entered_at, v.id", "");

  g_array_set_clear_func (rows, (GDestroyNotify) dc_presence_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcPresenceRow row = { 0 };

      row.visit_id = dc_db_col_int (stmt, 0);
      row.customer_id = dc_db_col_int (stmt, 1);
      row.member_number = dc_db_col_text (stmt, 2);
      row.terminal = dc_db_col_text (stmt, 3);
      row.entered_at = dc_db_col_int (stmt, 4);
      row.session_started = dc_db_col_int (stmt, 5);
      row.minor = dc_db_col_int (stmt, 6) != 0;
      row.tier = dc_db_col_bytes (stmt, 7);
      row.verification_id = dc_db_col_int (stmt, 8);
      row.tier_customer_id = dc_db_col_int (stmt, 9);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* ---- history, for the manager's record pages ---- */

void
dc_visit_history_row_clear (DcVisitHistoryRow *row)
{
  g_clear_pointer (&row->member_number, g_free);
  g_clear_pointer (&row->exit_reason, g_free);
  g_clear_pointer (&row->staff_in, g_free);
  g_clear_pointer (&row->staff_out, g_free);
  g_clear_pointer (&row->terminals, g_free);
}

/* SQLite 3.40 has no ORDER BY inside group_concat: an ordered subquery keeps the order. */
#define VISIT_HISTORY_COLUMNS \
  "SELECT v.id, v.customer_id, c.member_number, v.verification_id, v.entered_at, coalesce (v.exited_at, 0)," \
  " v.exit_reason, v.minor, si.name, so.name," \
  " (SELECT group_concat (label, ' → ') FROM (SELECT t.label FROM terminal_sessions s" \
  "   JOIN terminals t ON t.id = s.terminal_id WHERE s.visit_id = v.id ORDER BY s.started_at, s.id))" \
  " FROM visits v JOIN customers c ON c.id = v.customer_id" \
  " LEFT JOIN staff si ON si.id = v.staff_in LEFT JOIN staff so ON so.id = v.staff_out"

static void
read_visit_history (sqlite3_stmt *stmt, DcVisitHistoryRow *row)
{
  row->id = dc_db_col_int (stmt, 0);
  row->customer_id = dc_db_col_int (stmt, 1);
  row->member_number = dc_db_col_text (stmt, 2);
  row->verification_id = dc_db_col_int (stmt, 3);
  row->entered_at = dc_db_col_int (stmt, 4);
  row->exited_at = dc_db_col_int (stmt, 5);
  row->exit_reason = dc_db_col_text (stmt, 6);
  row->minor = dc_db_col_int (stmt, 7) != 0;
  row->staff_in = dc_db_col_text (stmt, 8);
  row->staff_out = dc_db_col_text (stmt, 9);
  row->terminals = dc_db_col_text (stmt, 10);
}

GArray *
dc_db_visit_history (DcDb *db, gint64 customer_id, gint64 visit_id, guint limit, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcVisitHistoryRow));
  GError *local = NULL;
  sqlite3_stmt *stmt;

  /* one statement per case, so that each can use its index */
  if (visit_id != 0)
    stmt = dc_db_query (db, error, VISIT_HISTORY_COLUMNS " WHERE v.id = ? AND (? = 0 OR v.customer_id = ?) LIMIT ?",
                        "iiii", visit_id, customer_id, customer_id, (gint64) limit);
  else if (customer_id != 0)
    stmt = dc_db_query (db, error,
                        VISIT_HISTORY_COLUMNS " WHERE v.customer_id = ? ORDER BY v.entered_at DESC, v.id DESC LIMIT ?",
                        "ii", customer_id, (gint64) limit);
  else
    stmt = dc_db_query (db, error, VISIT_HISTORY_COLUMNS " ORDER BY v.id DESC LIMIT ?", "i", (gint64) limit);

  g_array_set_clear_func (rows, (GDestroyNotify) dc_visit_history_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcVisitHistoryRow row = { 0 };
      read_visit_history (stmt, &row);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

void
dc_session_history_row_clear (DcSessionHistoryRow *row)
{
  g_clear_pointer (&row->terminal, g_free);
}

GArray *
dc_db_visit_sessions (DcDb *db, gint64 visit_id, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcSessionHistoryRow));
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT s.id, t.label, s.started_at, coalesce (s.ended_at, 0)"
                                    " FROM terminal_sessions s JOIN terminals t ON t.id = s.terminal_id"
                                    " WHERE s.visit_id = ? ORDER BY s.started_at, s.id", "i", visit_id);

  g_array_set_clear_func (rows, (GDestroyNotify) dc_session_history_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcSessionHistoryRow row = { 0 };

      row.id = dc_db_col_int (stmt, 0);
      row.terminal = dc_db_col_text (stmt, 1);
      row.started_at = dc_db_col_int (stmt, 2);
      row.ended_at = dc_db_col_int (stmt, 3);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

void
dc_version_row_clear (DcVersionRow *row)
{
  g_clear_pointer (&row->doc_type, g_free);
  g_clear_pointer (&row->verifier, g_free);
  g_clear_pointer (&row->recorder, g_free);
  g_clear_pointer (&row->reason, g_free);
}

GArray *
dc_db_verification_chain (DcDb *db, gint64 verification_id, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcVersionRow));
  GError *local = NULL;
  /* Up to the original, then down through every correction. A correction keeps the
   * customer, so the way down can use the customer index (supersedes has none). */
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "WITH RECURSIVE up (id, supersedes) AS ("
                                    "  SELECT id, supersedes FROM verifications WHERE id = ?1"
                                    "  UNION ALL SELECT v.id, v.supersedes FROM verifications v"
                                    "  JOIN up ON v.id = up.supersedes),"
                                    " down (id) AS ("
                                    "  SELECT min (id) FROM up"
                                    "  UNION ALL SELECT v.id FROM verifications v JOIN down"
                                    "  ON v.customer_id = (SELECT customer_id FROM verifications WHERE id = ?1)"
                                    "  AND v.supersedes = down.id)"
                                    " SELECT v.id, v.verified_at, v.doc_type, vs.name, rs.name,"
                                    " coalesce ((SELECT a.at FROM audit a WHERE a.subject_table = 'verifications'"
                                    "            AND a.subject_id = v.id ORDER BY a.id LIMIT 1), 0),"
                                    " coalesce (v.supersedes, 0), v.reason"
                                    " FROM down JOIN verifications v ON v.id = down.id"
                                    " LEFT JOIN staff vs ON vs.id = v.verifier_id"
                                    " LEFT JOIN staff rs ON rs.id = v.recorder_id"
                                    " ORDER BY v.id", "i", verification_id);

  g_array_set_clear_func (rows, (GDestroyNotify) dc_version_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcVersionRow row = { 0 };

      row.id = dc_db_col_int (stmt, 0);
      row.verified_at = dc_db_col_int (stmt, 1);
      row.doc_type = dc_db_col_text (stmt, 2);
      row.verifier = dc_db_col_text (stmt, 3);
      row.recorder = dc_db_col_text (stmt, 4);
      row.recorded_at = dc_db_col_int (stmt, 5);
      row.supersedes = dc_db_col_int (stmt, 6);
      row.reason = dc_db_col_text (stmt, 7);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}
