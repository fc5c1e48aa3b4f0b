/* db/dc-db-records.c — typed access to every table: row structs in, row structs out. */
#include "dc-db-records.h"

#include <string.h>


/* Finish a single-row lookup: TRUE when the statement ran (found or not). */
static gboolean
finish_lookup (DcDb *db, sqlite3_stmt *stmt, gboolean *found, GError *local, GError **error)
{
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (*found)
    sqlite3_reset (stmt);
  return TRUE;
}

/* ---- store ---- */

void
dc_store_row_clear (DcStoreRow *row)
{
  g_clear_pointer (&row->uuid, g_free);
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->operator_name, g_free);
  g_clear_pointer (&row->address, g_free);
  g_clear_pointer (&row->prefecture, g_free);
  g_clear_pointer (&row->timezone, g_free);
}

gboolean
dc_db_store_insert (DcDb *db, const DcStoreRow *row, GError **error)
{
  return dc_db_run (db, error,
                    "INSERT INTO store (id, uuid, name, operator, address, prefecture, timezone, demo, created_at)"
                    " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                    "ttttttbi", row->uuid, row->name, row->operator_name, row->address, row->prefecture,
                    row->timezone, row->demo, row->created_at);
}

gboolean
dc_db_store_get (DcDb *db, DcStoreRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT uuid, name, operator, address, prefecture, timezone, demo, created_at"
                                    " FROM store WHERE id = 1", "");

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      row->uuid = dc_db_col_text (stmt, 0);
      row->name = dc_db_col_text (stmt, 1);
      row->operator_name = dc_db_col_text (stmt, 2);
      row->address = dc_db_col_text (stmt, 3);
      row->prefecture = dc_db_col_text (stmt, 4);
      row->timezone = dc_db_col_text (stmt, 5);
      row->demo = dc_db_col_int (stmt, 6) != 0;
      row->created_at = dc_db_col_int (stmt, 7);
    }
  return finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_store_keys_insert (DcDb *db, const guint8 box_pk[32], const guint8 sign_pk[32], GError **error)
{
  return dc_db_run (db, error, "INSERT INTO store_keys (id, box_pk, sign_pk) VALUES (1, ?, ?)",
                    "rr", box_pk, (gsize) 32, sign_pk, (gsize) 32);
}

gboolean
dc_db_store_keys_get (DcDb *db, guint8 box_pk[32], guint8 sign_pk[32], GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT box_pk, sign_pk FROM store_keys WHERE id = 1", "");

  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      gboolean ok = sqlite3_column_bytes (stmt, 0) == 32 && sqlite3_column_bytes (stmt, 1) == 32;

      if (ok)
        {
          memcpy (box_pk, sqlite3_column_blob (stmt, 0), 32);
          memcpy (sign_pk, sqlite3_column_blob (stmt, 1), 32);
        }
      sqlite3_reset (stmt);
      if (ok)
        return TRUE;
    }
  if (local != NULL)
    g_propagate_error (error, local);
  else
    g_set_error_literal (error, DC_DB_ERROR, DC_DB_ERROR_CORRUPT, "store_keys: missing or malformed");
  return FALSE;
}

gboolean
dc_db_setting_set (DcDb *db, const char *key, const char *value, gint64 *out_id, GError **error)
{
  gboolean found;

  return dc_db_run (db, error,
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    "tt", key, value)
      && dc_db_int (db, out_id, &found, error, "SELECT id FROM settings WHERE key = ?", "t", key);
}

char *
dc_db_setting_get (DcDb *db, const char *key, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT value FROM settings WHERE key = ?", "t", key);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  if (dc_db_next (db, stmt, &local))
    {
      value = dc_db_col_text (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (local != NULL)
    g_propagate_error (error, local);
  return value;
}

/* ---- staff ---- */

void
dc_staff_row_clear (DcStaffRow *row)
{
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->role, g_free);
}

#define STAFF_COLUMNS "SELECT id, name, role, active, failed_pins, coalesce (locked_at, 0) FROM staff"

static void
read_staff (sqlite3_stmt *stmt, DcStaffRow *row)
{
  row->id = dc_db_col_int (stmt, 0);
  row->name = dc_db_col_text (stmt, 1);
  row->role = dc_db_col_text (stmt, 2);
  row->active = dc_db_col_int (stmt, 3) != 0;
  row->failed_pins = (gint) dc_db_col_int (stmt, 4);
  row->locked_at = dc_db_col_int (stmt, 5);
}

gboolean
dc_db_staff_insert (DcDb *db, const char *name, const char *role, gint64 now, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error, "INSERT INTO staff (name, role, created_at) VALUES (?, ?, ?)",
                  "tti", name, role, now))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

static gboolean
staff_lookup (DcDb *db, sqlite3_stmt *stmt, DcStaffRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      read_staff (stmt, row);
    }
  return finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_staff_find (DcDb *db, const char *name, DcStaffRow *row, gboolean *found, GError **error)
{
  return staff_lookup (db, dc_db_query (db, error, STAFF_COLUMNS " WHERE name = ?", "t", name),
                       row, found, error);
}

gboolean
dc_db_staff_get (DcDb *db, gint64 id, DcStaffRow *row, gboolean *found, GError **error)
{
  return staff_lookup (db, dc_db_query (db, error, STAFF_COLUMNS " WHERE id = ?", "i", id),
                       row, found, error);
}

gboolean
dc_db_staff_set_pin_state (DcDb *db, gint64 id, gint failed_pins, gint64 locked_at, GError **error)
{
  return dc_db_run (db, error, "UPDATE staff SET failed_pins = ?, locked_at = nullif (?, 0) WHERE id = ?",
                    "iii", (gint64) failed_pins, locked_at, id);
}

gboolean
dc_db_staff_set_active (DcDb *db, gint64 id, gboolean active, GError **error)
{
  return dc_db_run (db, error, "UPDATE staff SET active = ? WHERE id = ?", "bi", active, id);
}

GArray *
dc_db_staff_list (DcDb *db, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcStaffRow));
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, STAFF_COLUMNS " ORDER BY name", "");

  g_array_set_clear_func (rows, (GDestroyNotify) dc_staff_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcStaffRow row = { 0 };
      read_staff (stmt, &row);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* ---- key slots ---- */

void
dc_key_slot_row_clear (DcKeySlotRow *row)
{
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->salt, g_bytes_unref);
  g_clear_pointer (&row->nonce, g_bytes_unref);
  g_clear_pointer (&row->wrapped, g_bytes_unref);
}

gboolean
dc_db_keyslot_insert (DcDb *db, const DcKeySlotRow *row, gint64 now, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO keyslots (kind, staff_id, opslimit, memlimit, salt, nonce, wrapped, created_at)"
                  " VALUES (?, nullif (?, 0), ?, ?, ?, ?, ?, ?)",
                  "tiiixxxi", row->kind, row->staff_id, row->opslimit, row->memlimit, row->salt, row->nonce,
                  row->wrapped, now))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

gboolean
dc_db_keyslot_find (DcDb *db, const char *kind, gint64 staff_id, DcKeySlotRow *row, gboolean *found,
                    GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT id, kind, coalesce (staff_id, 0), opslimit, memlimit, salt, nonce, wrapped"
                                    " FROM keyslots WHERE kind = ? AND coalesce (staff_id, 0) = ?"
                                    " ORDER BY id DESC LIMIT 1",
                                    "ti", kind, staff_id);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      row->id = dc_db_col_int (stmt, 0);
      row->kind = dc_db_col_text (stmt, 1);
      row->staff_id = dc_db_col_int (stmt, 2);
      row->opslimit = dc_db_col_int (stmt, 3);
      row->memlimit = dc_db_col_int (stmt, 4);
      row->salt = dc_db_col_bytes (stmt, 5);
      row->nonce = dc_db_col_bytes (stmt, 6);
      row->wrapped = dc_db_col_bytes (stmt, 7);
    }
  return finish_lookup (db, stmt, found, local, error);
}

gboolean
dc_db_keyslot_delete_for (DcDb *db, const char *kind, gint64 staff_id, GError **error)
{
  return dc_db_run (db, error, "DELETE FROM keyslots WHERE kind = ? AND coalesce (staff_id, 0) = ?",
                    "ti", kind, staff_id);
}

/* ---- terminals ---- */

void
dc_terminal_row_clear (DcTerminalRow *row)
{
  g_clear_pointer (&row->label, g_free);
  g_clear_pointer (&row->booth, g_free);
  g_clear_pointer (&row->kind, g_free);
}

#define TERMINAL_COLUMNS \
  "SELECT t.id, t.label, t.booth, t.kind, t.filtered, t.active, t.out_of_order," \
  " coalesce (s.id, 0), coalesce (s.visit_id, 0), coalesce (s.started_at, 0)" \
  " FROM terminals t LEFT JOIN terminal_sessions s ON s.terminal_id = t.id AND s.ended_at IS NULL"

static void
read_terminal (sqlite3_stmt *stmt, DcTerminalRow *row)
{
  row->id = dc_db_col_int (stmt, 0);
  row->label = dc_db_col_text (stmt, 1);
  row->booth = dc_db_col_text (stmt, 2);
  row->kind = dc_db_col_text (stmt, 3);
  row->filtered = dc_db_col_int (stmt, 4) != 0;
  row->active = dc_db_col_int (stmt, 5) != 0;
  row->out_of_order = dc_db_col_int (stmt, 6) != 0;
  row->open_session = dc_db_col_int (stmt, 7);
  row->open_visit = dc_db_col_int (stmt, 8);
  row->session_started = dc_db_col_int (stmt, 9);
}

gboolean
dc_db_terminal_insert (DcDb *db, const DcTerminalRow *row, gint64 now, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO terminals (label, booth, kind, filtered, created_at) VALUES (?, ?, ?, ?, ?)",
                  "tttbi", row->label, row->booth, row->kind != NULL ? row->kind : "booth", row->filtered, now))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

gboolean
dc_db_terminal_set_out_of_order (DcDb *db, gint64 id, gboolean out_of_order, GError **error)
{
  return dc_db_run (db, error, "UPDATE terminals SET out_of_order = ? WHERE id = ?", "bi", out_of_order, id);
}

gboolean
dc_db_terminal_find (DcDb *db, const char *label, DcTerminalRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, TERMINAL_COLUMNS " WHERE t.label = ?", "t", label);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      read_terminal (stmt, row);
    }
  return finish_lookup (db, stmt, found, local, error);
}

GArray *
dc_db_terminal_list (DcDb *db, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcTerminalRow));
  GError *local = NULL;
  /* natural order: PC-2 before PC-10 */
  sqlite3_stmt *stmt = dc_db_query (db, error, TERMINAL_COLUMNS " ORDER BY length (t.label), t.label", "");

  g_array_set_clear_func (rows, (GDestroyNotify) dc_terminal_row_clear);
  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcTerminalRow row = { 0 };
      read_terminal (stmt, &row);
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

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
  return finish_lookup (db, stmt, found, local, error);
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
  return finish_lookup (db, stmt, found, local, error);
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
  return finish_lookup (db, stmt, found, local, error);
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
  return finish_lookup (db, stmt, found, local, error);
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
dc_db_session_open_on_terminal (DcDb *db, gint64 terminal_id, gint64 *out_session, gint64 *out_visit,
                                gboolean *found, GError **error)
{
  return two_ints (db, dc_db_query (db, error,
                                    "SELECT id, visit_id FROM terminal_sessions"
                                    " WHERE terminal_id = ? AND ended_at IS NULL", "i", terminal_id),
                   out_session, out_visit, found, error);
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
                                    " coalesce (s.started_at, 0), v.minor, r.tier, v.verification_id"
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
      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

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
  return finish_lookup (db, stmt, found, local, error);
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
  return finish_lookup (db, stmt, found, local, error);
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
  return finish_lookup (db, stmt, found, local, error);
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
