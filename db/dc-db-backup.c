/* db/dc-db-backup.c — whole database files for backups: an online copy, a check of a copy, settling a closed store. */
#include "dc-db-backup.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000
/* settling is for a closed store: another program holding it will not let go soon */
#define SETTLE_TIMEOUT_MS 1000
/* how long a backup step may wait for the source's read lock, in 10 ms retries */
#define BUSY_RETRIES    1000

/* These connections are not DcDb (no schema set-up, no statement cache), so they map
 * SQLite's codes themselves. */
static gint
code_for_rc (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DC_DB_ERROR_BUSY;
    case SQLITE_FULL:
      return DC_DB_ERROR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DC_DB_ERROR_CORRUPT;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return DC_DB_ERROR_OPEN;
    default:
      return DC_DB_ERROR_FAILED;
    }
}

static void
set_error (sqlite3 *handle, int rc, const char *what, const char *path, GError **error)
{
  const char *msg = handle != NULL ? sqlite3_errmsg (handle) : sqlite3_errstr (rc);

  g_set_error (error, DC_DB_ERROR, code_for_rc (rc), _("Database error on %s: %s (in: %s)"), path, msg, what);
}

static sqlite3 *
open_file (const char *path, int flags, int busy_ms, GError **error)
{
  sqlite3 *handle = NULL;
  int rc = sqlite3_open_v2 (path, &handle, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);

  if (rc != SQLITE_OK)
    {
      set_error (handle, rc, "open", path, error);
      sqlite3_close_v2 (handle);
      return NULL;
    }
  sqlite3_extended_result_codes (handle, 1);
  sqlite3_busy_timeout (handle, busy_ms);
  return handle;
}

/* The first column of the first row as text (NULL for no row), or FALSE on failure. */
static gboolean
query_text (sqlite3 *handle, const char *sql, const char *path, char **out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL);

  *out = NULL;
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          rc = SQLITE_DONE;
        }
    }
  if (rc != SQLITE_DONE)
    set_error (handle, rc, sql, path, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
create_private_file (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_OPEN, _("Cannot create %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
run_backup (sqlite3 *src, sqlite3 *dest, const char *dest_path, GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dest, "main", src, "main");
  int rc;

  if (backup == NULL)
    {
      set_error (dest, sqlite3_errcode (dest), "backup_init", dest_path, error);
      return FALSE;
    }
  /* -1: every page in one step, so one read transaction sees one snapshot; a writer only
   * delays the start (busy), it cannot make the copy mix two states */
  for (guint i = 0;; i++)
    {
      rc = sqlite3_backup_step (backup, -1);
      if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) || i >= BUSY_RETRIES)
        break;
      g_usleep (10 * 1000);
    }
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      set_error (NULL, rc, "backup_step", dest_path, error);
      return FALSE;
    }
  return TRUE;
}

/* The copy carries the source's WAL flag in its header; rollback mode makes it one file
 * that a read-only connection can open where it lies. */
static gboolean
leave_wal (const char *path, int busy_ms, const char *busy_message, GError **error)
{
  sqlite3 *handle = open_file (path, SQLITE_OPEN_READWRITE, busy_ms, error);
  g_autofree char *mode = NULL;
  GError *local = NULL;
  gboolean ok;

  if (handle == NULL)
    return FALSE;
  ok = query_text (handle, "PRAGMA journal_mode = DELETE", path, &mode, &local);
  sqlite3_close_v2 (handle);
  if (ok && g_strcmp0 (mode, "delete") == 0)
    return TRUE;
  if (local == NULL || g_error_matches (local, DC_DB_ERROR, DC_DB_ERROR_BUSY))
    {
      g_clear_error (&local);
      g_set_error_literal (&local, DC_DB_ERROR, DC_DB_ERROR_BUSY, busy_message);
    }
  g_propagate_error (error, local);
  return FALSE;
}

gboolean
dc_db_backup_copy (const char *src_path, const char *dest_path, GError **error)
{
  sqlite3 *src = NULL, *dest = NULL;
  gboolean ok;

  g_return_val_if_fail (src_path != NULL && dest_path != NULL, FALSE);

  if (!create_private_file (dest_path, error))
    return FALSE;
  src = open_file (src_path, SQLITE_OPEN_READONLY, BUSY_TIMEOUT_MS, error);
  if (src == NULL)
    return FALSE;
  dest = open_file (dest_path, SQLITE_OPEN_READWRITE, BUSY_TIMEOUT_MS, error);
  ok = dest != NULL
       && sqlite3_exec (dest, "PRAGMA synchronous = OFF", NULL, NULL, NULL) == SQLITE_OK
       && run_backup (src, dest, dest_path, error);
  sqlite3_close_v2 (dest);
  sqlite3_close_v2 (src);
  return ok && leave_wal (dest_path, BUSY_TIMEOUT_MS,
                          _("The copy of the database could not be made self-contained."), error);
}

void
dc_db_file_facts_clear (DcDbFileFacts *facts)
{
  g_clear_pointer (&facts->integrity, g_free);
  g_clear_pointer (&facts->store_uuid, g_free);
}

static gboolean
read_integrity (sqlite3 *handle, const char *path, char **out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  int rc = sqlite3_prepare_v2 (handle, "PRAGMA integrity_check (20)", -1, &stmt, NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (report->len > 0)
        g_string_append (report, "; ");
      g_string_append (report, (const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (handle, rc, "PRAGMA integrity_check", path, error);
      return FALSE;
    }
  *out = g_str_equal (report->str, "ok") ? NULL : g_strdup (report->str);
  return TRUE;
}

static gboolean
read_int (sqlite3 *handle, const char *sql, const char *path, gint64 *out, GError **error)
{
  g_autofree char *text = NULL;

  if (!query_text (handle, sql, path, &text, error))
    return FALSE;
  *out = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
  return TRUE;
}

gboolean
dc_db_file_facts (const char *path, DcDbFileFacts *facts, GError **error)
{
  sqlite3 *handle;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  memset (facts, 0, sizeof *facts);
  handle = open_file (path, SQLITE_OPEN_READONLY, BUSY_TIMEOUT_MS, error);
  if (handle == NULL)
    return FALSE;
  ok = read_int (handle, "PRAGMA application_id", path, &facts->application_id, error)
       && read_int (handle, "PRAGMA user_version", path, &facts->user_version, error)
       && read_integrity (handle, path, &facts->integrity, error);
  /* a file without a store table simply has no store: a fact, not a failure */
  if (ok && sqlite3_prepare_v2 (handle, "SELECT uuid FROM store WHERE id = 1", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    facts->store_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (handle);
  if (!ok)
    dc_db_file_facts_clear (facts);
  return ok;
}

void
dc_db_file_keys_clear (DcDbFileKeys *keys)
{
  g_clear_pointer (&keys->slots, g_array_unref);
}

/* The newest recovery slot, then each active manager's newest passphrase slot: the ones
 * that unwrap the master key for someone who may restore. Auditors and PINs never. */
#define OPENING_SLOTS_SQL \
  "SELECT id, kind, coalesce (staff_id, 0), opslimit, memlimit, salt, nonce, wrapped FROM keyslots" \
  " WHERE id = (SELECT max (id) FROM keyslots WHERE kind = 'recovery')" \
  " UNION ALL" \
  " SELECT k.id, k.kind, k.staff_id, k.opslimit, k.memlimit, k.salt, k.nonce, k.wrapped" \
  " FROM keyslots k JOIN staff s ON s.id = k.staff_id" \
  " WHERE s.role = 'manager' AND s.active = 1 AND k.kind = 'passphrase'" \
  "   AND k.id = (SELECT max (id) FROM keyslots WHERE kind = 'passphrase' AND staff_id = s.id)"

static GBytes *
column_bytes (sqlite3_stmt *stmt, int col)
{
  return g_bytes_new (sqlite3_column_blob (stmt, col), sqlite3_column_bytes (stmt, col));
}

static gboolean
read_public_keys (sqlite3 *handle, const char *path, DcDbFileKeys *keys, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (handle, "SELECT box_pk, sign_pk FROM store_keys WHERE id = 1", -1, &stmt, NULL);
  gboolean found = FALSE;

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      found = sqlite3_column_bytes (stmt, 0) == 32 && sqlite3_column_bytes (stmt, 1) == 32;
      if (found)
        {
          memcpy (keys->box_pk, sqlite3_column_blob (stmt, 0), 32);
          memcpy (keys->sign_pk, sqlite3_column_blob (stmt, 1), 32);
        }
      rc = SQLITE_DONE;
    }
  if (rc != SQLITE_DONE)
    set_error (handle, rc, "store_keys", path, error);
  else if (!found)
    g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_NOT_FOUND, _("The database %s holds no store keys."), path);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE && found;
}

static gboolean
read_opening_slots (sqlite3 *handle, const char *path, GArray *slots, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (handle, OPENING_SLOTS_SQL " ORDER BY 3", -1, &stmt, NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DcKeySlotRow row = {
        .id = sqlite3_column_int64 (stmt, 0),
        .kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
        .staff_id = sqlite3_column_int64 (stmt, 2),
        .opslimit = sqlite3_column_int64 (stmt, 3),
        .memlimit = sqlite3_column_int64 (stmt, 4),
        .salt = column_bytes (stmt, 5),
        .nonce = column_bytes (stmt, 6),
        .wrapped = column_bytes (stmt, 7),
      };

      g_array_append_val (slots, row);
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    set_error (handle, rc, "keyslots", path, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

gboolean
dc_db_file_keys (const char *path, DcDbFileKeys *keys, GError **error)
{
  sqlite3 *handle;
  gboolean ok;

  memset (keys, 0, sizeof *keys);
  keys->slots = g_array_new (FALSE, TRUE, sizeof (DcKeySlotRow));
  g_array_set_clear_func (keys->slots, (GDestroyNotify) dc_key_slot_row_clear);
  handle = open_file (path, SQLITE_OPEN_READONLY, BUSY_TIMEOUT_MS, error);
  ok = handle != NULL
       && read_public_keys (handle, path, keys, error)
       && read_opening_slots (handle, path, keys->slots, error);
  sqlite3_close_v2 (handle);
  if (!ok)
    dc_db_file_keys_clear (keys);
  return ok;
}

gboolean
dc_db_settle (const char *path, GError **error)
{
  g_autofree char *busy = g_strdup_printf (_("The database %s is still open in another program."), path);

  /* leaving WAL mode needs the only connection: it fails while anyone else has it open */
  return leave_wal (path, SETTLE_TIMEOUT_MS, busy, error);
}
