/* db/dc-db-records.c — typed access to the store, its settings, staff, key slots and terminals (dc-db-records.h). */
#include "dc-db-records.h"
#include "dc-db-records-private.h"

#include <string.h>

gboolean
dc_db_finish_lookup (DcDb *db, sqlite3_stmt *stmt, gboolean *found, GError *local, GError **error)
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
  return dc_db_finish_lookup (db, stmt, found, local, error);
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
  return dc_db_finish_lookup (db, stmt, found, local, error);
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
  return dc_db_finish_lookup (db, stmt, found, local, error);
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
  return dc_db_finish_lookup (db, stmt, found, local, error);
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
