/* db/dc-db.c — the one wrapper around SQLite: every call checked, every failure a GError naming its statement. */
#include "dc-db.h"
#include "dc-schema.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 'DAIC': a Daicho database, so another program's file is refused rather than migrated. */
#define DC_APPLICATION_ID 0x44414943
#define DC_BUSY_TIMEOUT_MS 10000

/* Bulk mode writes audit entries this many to a statement: a statement's own cost (its
 * cursors, the AUTOINCREMENT counter read and written back) is half of a lone entry's. */
#define AUDIT_ROWS_MAX 64
#define AUDIT_SIZES    7      /* 1, 2, 4 … 64 */

typedef struct {
  gint64      seq, at, staff_id, subject_id;
  const char *action;         /* interned */
  const char *table;          /* interned, or NULL */
  gboolean    has_row_hash;
  guint8      row_hash[32], prev_hash[32], hash[32];
} PendingAudit;

struct _DcDb
{
  sqlite3    *handle;
  char       *path;
  GHashTable *statements;   /* SQL text → Statement */
  GHashTable *by_address;   /* where a caller's SQL text was last seen → Statement (see prepare) */
  guint       depth;        /* transaction nesting: 0 none, 1 BEGIN, >1 savepoints */
  guint64     generation;   /* changes at every outermost BEGIN and every rollback */
  gboolean    purge_allowed;
  gint        version;
  gboolean    bulk;         /* dc_db_set_bulk */
  GArray     *pending;      /* PendingAudit: bulk mode's audit entries not written yet */
  gboolean    flushing;
  char       *audit_sql[AUDIT_SIZES];   /* the multi-row INSERT of 1, 2, 4 … AUDIT_ROWS_MAX entries */
  GPtrArray  *deferred;     /* the CREATE INDEX text of each index bulk mode dropped, to build at its end */
  GHashTable *columns;      /* dc_db_columns: SQL text → Columns */
  guint64     names_changes;   /* rows of staff or terminals changed through this connection */
  GData      *data;         /* dc_db_set_data */
};

/* A statement's column names as of one write transaction (dc_db_columns). */
typedef struct {
  guint64 state;
  guint   n;
  char  **names;
} Columns;

static void
columns_free (gpointer data)
{
  Columns *c = data;

  g_strfreev (c->names);
  g_free (c);
}

G_DEFINE_QUARK (dc-db-error-quark, dc_db_error)

static gint
code_for_rc (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DC_DB_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return DC_DB_ERROR_CONSTRAINT;
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

void
dc_db_set_error (DcDb *db, int rc, const char *sql, GError **error)
{
  const char *msg = db != NULL && db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);
  gint code = code_for_rc (rc);
  g_autofree char *shown = NULL;

  /* Name the statement, shortened: enough to find it in db/, never any bound value. */
  shown = g_strndup (sql != NULL ? sql : "?", 120);
  g_strdelimit (shown, "\n", ' ');

  switch ((DcDbErrorCode) code)
    {
    case DC_DB_ERROR_FULL:
      g_set_error (error, DC_DB_ERROR, code,
                   _("The disk is full: nothing was saved. Free some space and try again (%s)."), shown);
      break;
    case DC_DB_ERROR_BUSY:
      g_set_error (error, DC_DB_ERROR, code,
                   _("The database is busy in another program: nothing was saved. Try again (%s)."), shown);
      break;
    case DC_DB_ERROR_CORRUPT:
      g_set_error (error, DC_DB_ERROR, code,
                   _("The database file is damaged or not a Daicho database: %s (%s)."), msg, shown);
      break;
    case DC_DB_ERROR_FAILED:
    case DC_DB_ERROR_OPEN:
    case DC_DB_ERROR_CONSTRAINT:
    case DC_DB_ERROR_NEWER_SCHEMA:
    case DC_DB_ERROR_NOT_FOUND:
    default:
      g_set_error (error, DC_DB_ERROR, code, _("Database error: %s (in: %s)"), msg, shown);
      break;
    }
}

typedef struct {
  const char   *sql;    /* the key it has in DcDb.statements */
  sqlite3_stmt *stmt;
  gboolean      audit;  /* names the audit table: pending entries are written before it runs */
} Statement;

static gboolean flush_audit (DcDb *db, GError **error);

static void
statement_free (gpointer data)
{
  Statement *s = data;

  sqlite3_finalize (s->stmt);
  g_free (s);
}

static void
purge_allowed_func (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  DcDb *db = sqlite3_user_data (ctx);

  sqlite3_result_int (ctx, db->purge_allowed ? 1 : 0);
}

static gboolean
pragma_int (DcDb *db, const char *sql, gint64 *out, GError **error)
{
  gboolean found = FALSE;

  if (!dc_db_int (db, out, &found, error, sql, ""))
    return FALSE;
  if (!found)
    *out = 0;
  return TRUE;
}

/* Create the file 0600 before SQLite does: its WAL and shm files copy that mode. */
static gboolean
ensure_private_file (const char *path, gboolean create, GError **error)
{
  int fd;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!create)
    {
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_NOT_FOUND,
                   _("There is no Daicho store at %s."), path);
      return FALSE;
    }

  {
    g_autofree char *dir = g_path_get_dirname (path);

    if (g_mkdir_with_parents (dir, 0700) != 0)
      {
        int saved = errno;
        g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_OPEN,
                     _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
        return FALSE;
      }
  }

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_OPEN,
                   _("Cannot create %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
migrate (DcDb *db, gint64 from, GError **error)
{
  for (gint v = (gint) from + 1; v <= DC_DB_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v);
      g_autofree char *set_app_id = g_strdup_printf ("PRAGMA application_id = %d", DC_APPLICATION_ID);

      if (!dc_db_begin (db, error))
        return FALSE;
      if ((v == 1 && !dc_db_exec (db, set_app_id, error))
          || !dc_db_exec (db, dc_schema_migration (v), error)
          || !dc_db_exec (db, set_version, error)
          || !dc_db_commit (db, error))
        {
          dc_db_rollback (db);
          return FALSE;
        }
    }
  db->version = DC_DB_SCHEMA_VERSION;
  return TRUE;
}

/* Look before touching: a newer or foreign file is refused before any pragma that writes. */
static gboolean
check_file_kind (DcDb *db, gint64 *out_version, GError **error)
{
  gint64 version = 0, app_id = 0, tables = 0;
  gboolean found;

  if (!pragma_int (db, "PRAGMA user_version", &version, error)
      || !pragma_int (db, "PRAGMA application_id", &app_id, error)
      || !dc_db_int (db, &tables, &found, error, "SELECT count(*) FROM sqlite_schema", ""))
    return FALSE;

  if (app_id != DC_APPLICATION_ID && (app_id != 0 || tables != 0))
    {
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_CORRUPT,
                   _("%s is not a Daicho database: nothing was changed."), db->path);
      return FALSE;
    }
  if (version > DC_DB_SCHEMA_VERSION)
    {
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_NEWER_SCHEMA,
                   _("This store was written by a newer version of Daicho (schema %d; this program knows up to %d). "
                     "Nothing was changed: install the newer version to open it."),
                   (int) version, DC_DB_SCHEMA_VERSION);
      return FALSE;
    }
  *out_version = version;
  return TRUE;
}

/* Every row changed through the connection: count those of the two tables that name things. */
static void
update_hook (void *data, int op, const char *database, const char *table, sqlite3_int64 rowid)
{
  DcDb *db = data;

  if (strcmp (table, "staff") == 0 || strcmp (table, "terminals") == 0)
    db->names_changes++;
}

static void
db_init (DcDb *db, const char *path)
{
  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
  db->by_address = g_hash_table_new (g_direct_hash, g_direct_equal);
  db->pending = g_array_new (FALSE, FALSE, sizeof (PendingAudit));
  db->deferred = g_ptr_array_new_with_free_func (g_free);
  db->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, columns_free);
}

DcDb *
dc_db_open (const char *path, gboolean create, GError **error)
{
  static gsize configured = 0;

  g_autoptr(DcDb) db = g_new0 (DcDb, 1);
  gint64 version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  /* Before SQLite's first use in the process: no allocation statistics. Keeping them takes
   * a global mutex on every malloc, about a tenth of a bulk insert's time (measured with
   * callgrind on the demo history); nothing here reads them. If SQLite was initialised
   * already this is refused (SQLITE_MISUSE) and harmless. */
  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }

  db_init (db, path);
  if (!ensure_private_file (path, create, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      dc_db_set_error (db, rc, "open", error);
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, DC_BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_update_hook (db->handle, update_hook, db);

  rc = sqlite3_create_function_v2 (db->handle, "dc_purge_allowed", 0,
                                   SQLITE_UTF8 | SQLITE_INNOCUOUS, db,
                                   purge_allowed_func, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      dc_db_set_error (db, rc, "create_function", error);
      return NULL;
    }

  if (!check_file_kind (db, &version, error))
    return NULL;

  /* incremental vacuum must be chosen before the first table exists, and before WAL writes the header */
  if (version == 0 && !dc_db_exec (db, "PRAGMA auto_vacuum = INCREMENTAL", error))
    return NULL;

  if (!dc_db_exec (db,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = FULL;"
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA secure_delete = ON;"
                   "PRAGMA trusted_schema = OFF;"
                   "PRAGMA temp_store = MEMORY;"
                   /* no checkpoint inside a clerk's commit: dc_db_checkpoint runs in idle
                    * time, and the last connection to close checkpoints everything */
                   "PRAGMA wal_autocheckpoint = 0;"
                   "PRAGMA cell_size_check = ON;", error))
    return NULL;

  db->version = (gint) version;
  if (version < DC_DB_SCHEMA_VERSION && !migrate (db, version, error))
    return NULL;

  return g_steal_pointer (&db);
}

void
dc_db_close (DcDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->by_address, g_hash_table_unref);
  g_clear_pointer (&db->statements, g_hash_table_unref);
  g_clear_pointer (&db->pending, g_array_unref);
  g_clear_pointer (&db->deferred, g_ptr_array_unref);
  g_clear_pointer (&db->columns, g_hash_table_unref);
  g_datalist_clear (&db->data);
  for (guint i = 0; i < AUDIT_SIZES; i++)
    g_free (db->audit_sql[i]);
  if (db->handle != NULL)
    sqlite3_close_v2 (db->handle);
  g_free (db->path);
  g_free (db);
}

DcDb *
dc_db_open_reader (const char *path, GError **error)
{
  g_autoptr(DcDb) db = g_new0 (DcDb, 1);
  gint64 version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  db_init (db, path);
  rc = sqlite3_open_v2 (path, &db->handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      dc_db_set_error (db, rc, "open", error);
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, DC_BUSY_TIMEOUT_MS);
  if (!check_file_kind (db, &version, error))
    return NULL;
  if (version != DC_DB_SCHEMA_VERSION)
    {
      /* the writing connection migrates; a reader never reads another schema */
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_OPEN, _("%s is not ready to be read (schema %d)."), path,
                   (int) version);
      return NULL;
    }
  if (!dc_db_exec (db,
                   "PRAGMA query_only = ON;"
                   "PRAGMA trusted_schema = OFF;"
                   "PRAGMA temp_store = MEMORY;"
                   "PRAGMA cache_size = -16384;"
                   "PRAGMA cell_size_check = ON;", error))
    return NULL;
  db->version = (gint) version;
  return g_steal_pointer (&db);
}

gboolean
dc_db_read_begin (DcDb *db, gint64 *out_audit_head, GError **error)
{
  gboolean found;

  g_return_val_if_fail (db->depth == 0, FALSE);

  if (!dc_db_run (db, error, "BEGIN DEFERRED", ""))
    return FALSE;
  /* the first read fixes the moment the transaction sees */
  if (out_audit_head == NULL
      || dc_db_int (db, out_audit_head, &found, error, "SELECT coalesce (max (id), 0) FROM audit", ""))
    return TRUE;
  dc_db_read_end (db);
  return FALSE;
}

void
dc_db_read_end (DcDb *db)
{
  /* a read transaction has nothing to keep (temporary tables written in it go too) */
  if (sqlite3_get_autocommit (db->handle) == 0)
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3 *
dc_db_handle (DcDb *db)
{
  return db->handle;
}

const char *
dc_db_path (DcDb *db)
{
  return db->path;
}

gint
dc_db_schema_version (DcDb *db)
{
  return db->version;
}

gboolean
dc_db_exec (DcDb *db, const char *sql, GError **error)
{
  int rc;

  /* free-form SQL may read anything, and change the schema */
  if (!flush_audit (db, error))
    return FALSE;
  g_hash_table_remove_all (db->columns);
  rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      dc_db_set_error (db, rc, sql, error);
      return FALSE;
    }
  return TRUE;
}

/* Most SQL is a string literal, so the same text comes at the same address every time: the
 * address finds the statement without hashing the whole text (g_str_hash was 4% of a bulk
 * insert's instructions), and strcmp, far cheaper, confirms it, since a freed dynamic string's
 * address may come back holding other SQL. */
static sqlite3_stmt *
prepare (DcDb *db, const char *sql, GError **error)
{
  Statement *s = g_hash_table_lookup (db->by_address, sql);
  sqlite3_stmt *stmt;
  int rc;

  if (s == NULL || strcmp (s->sql, sql) != 0)
    {
      s = g_hash_table_lookup (db->statements, sql);
      if (s == NULL)
        {
          rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
          if (rc != SQLITE_OK)
            {
              dc_db_set_error (db, rc, sql, error);
              return NULL;
            }
          s = g_new (Statement, 1);
          s->sql = g_strdup (sql);
          s->stmt = stmt;
          /* by its text: no view or trigger here reads the chain */
          s->audit = strstr (sql, "audit") != NULL;
          g_hash_table_insert (db->statements, (char *) s->sql, s);
          g_hash_table_insert (db->by_address, (gpointer) sql, s);
          if (s->audit && !flush_audit (db, error))
            return NULL;
          return stmt;
        }
      /* addresses of dynamic SQL come and go: keep this table from growing with them */
      if (g_hash_table_size (db->by_address) > 4 * g_hash_table_size (db->statements) + 64)
        g_hash_table_remove_all (db->by_address);
      g_hash_table_insert (db->by_address, (gpointer) sql, s);
    }
  if (s->audit && !flush_audit (db, error))
    return NULL;
  sqlite3_reset (s->stmt);
  sqlite3_clear_bindings (s->stmt);
  return s->stmt;
}

/* @copy: SQLite keeps its own copy of text and blobs, for a statement the caller steps
 * later; dc_db_run and dc_db_int step it before they return, while the caller's values are
 * alive, and the next use of the statement clears its bindings before anything reads them. */
static gboolean
bind_va (DcDb *db, sqlite3_stmt *stmt, const char *sql, const char *types, gboolean copy, va_list ap,
         GError **error)
{
  sqlite3_destructor_type keep = copy ? SQLITE_TRANSIENT : SQLITE_STATIC;
  int idx = 1;

  for (const char *t = types; *t != '\0'; t++, idx++)
    {
      int rc = SQLITE_OK;

      switch (*t)
        {
        case 'i':
          rc = sqlite3_bind_int64 (stmt, idx, va_arg (ap, gint64));
          break;
        case 'b':
          rc = sqlite3_bind_int (stmt, idx, va_arg (ap, gboolean) ? 1 : 0);
          break;
        case 't':
          {
            const char *s = va_arg (ap, const char *);
            rc = s != NULL ? sqlite3_bind_text (stmt, idx, s, -1, keep)
                           : sqlite3_bind_null (stmt, idx);
          }
          break;
        case 'x':
          {
            GBytes *bytes = va_arg (ap, GBytes *);
            gsize len = 0;
            const void *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

            if (bytes == NULL)
              rc = sqlite3_bind_null (stmt, idx);
            else
              rc = sqlite3_bind_blob64 (stmt, idx, len > 0 ? data : "", len, keep);
          }
          break;
        case 'r':
          {
            const guint8 *data = va_arg (ap, const guint8 *);
            gsize len = va_arg (ap, gsize);
            rc = sqlite3_bind_blob64 (stmt, idx, data, len, keep);
          }
          break;
        case 'n':
          rc = sqlite3_bind_null (stmt, idx);
          break;
        default:
          g_error ("dc_db: unknown parameter type '%c' for %s", *t, sql);
        }
      if (rc != SQLITE_OK)
        {
          dc_db_set_error (db, rc, sql, error);
          return FALSE;
        }
    }
  return TRUE;
}

sqlite3_stmt *
dc_db_query (DcDb *db, GError **error, const char *sql, const char *types, ...)
{
  sqlite3_stmt *stmt = prepare (db, sql, error);
  va_list ap;
  gboolean ok;

  if (stmt == NULL)
    return NULL;
  va_start (ap, types);
  ok = bind_va (db, stmt, sql, types, TRUE, ap, error);
  va_end (ap);
  return ok ? stmt : NULL;
}

gboolean
dc_db_next (DcDb *db, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    dc_db_set_error (db, rc, sqlite3_sql (stmt), error);
  sqlite3_reset (stmt);
  return FALSE;
}

gboolean
dc_db_run (DcDb *db, GError **error, const char *sql, const char *types, ...)
{
  sqlite3_stmt *stmt = prepare (db, sql, error);
  va_list ap;
  gboolean ok;
  int rc;

  if (stmt == NULL)
    return FALSE;
  va_start (ap, types);
  ok = bind_va (db, stmt, sql, types, FALSE, ap, error);
  va_end (ap);
  if (!ok)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      dc_db_set_error (db, rc, sql, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
dc_db_int (DcDb *db, gint64 *out, gboolean *found, GError **error, const char *sql, const char *types, ...)
{
  sqlite3_stmt *stmt = prepare (db, sql, error);
  va_list ap;
  gboolean ok;
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  va_start (ap, types);
  ok = bind_va (db, stmt, sql, types, FALSE, ap, error);
  va_end (ap);
  if (!ok)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = sqlite3_column_type (stmt, 0) != SQLITE_NULL;
      *out = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      dc_db_set_error (db, rc, sql, error);
      return FALSE;
    }
  return TRUE;
}

const char *const *
dc_db_columns (DcDb *db, const char *sql, guint *n_columns)
{
  guint64 state = dc_db_write_state (db);
  Columns *c = g_hash_table_lookup (db->columns, sql);
  sqlite3_stmt *stmt;
  GError *local = NULL;

  /* inside one write transaction only this connection can change the schema, and it does
   * so through dc_db_exec, which forgets them all */
  if (c != NULL && state != 0 && c->state == state)
    {
      *n_columns = c->n;
      return (const char *const *) c->names;
    }
  /* stepped, so that a statement cached before a schema change is prepared again */
  stmt = dc_db_query (db, NULL, sql, "");
  if (stmt == NULL || dc_db_next (db, stmt, &local) || local != NULL)
    {
      g_clear_error (&local);
      if (stmt != NULL)
        sqlite3_reset (stmt);
      g_hash_table_remove (db->columns, sql);
      return NULL;
    }
  c = g_new0 (Columns, 1);
  c->state = state;
  c->n = (guint) sqlite3_column_count (stmt);
  c->names = g_new0 (char *, c->n + 1);
  for (guint i = 0; i < c->n; i++)
    c->names[i] = g_strdup (sqlite3_column_name (stmt, (int) i));
  g_hash_table_replace (db->columns, g_strdup (sql), c);
  *n_columns = c->n;
  return (const char *const *) c->names;
}

gint64
dc_db_last_id (DcDb *db)
{
  return sqlite3_last_insert_rowid (db->handle);
}

gint
dc_db_changes (DcDb *db)
{
  return sqlite3_changes (db->handle);
}

char *
dc_db_col_text (sqlite3_stmt *stmt, int col)
{
  const unsigned char *s = sqlite3_column_text (stmt, col);

  return s != NULL ? g_strdup ((const char *) s) : NULL;
}

GBytes *
dc_db_col_bytes (sqlite3_stmt *stmt, int col)
{
  const void *data;
  int len;

  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;
  data = sqlite3_column_blob (stmt, col);
  len = sqlite3_column_bytes (stmt, col);
  return g_bytes_new (data, len);
}

gint64
dc_db_col_int (sqlite3_stmt *stmt, int col)
{
  return sqlite3_column_int64 (stmt, col);
}

gboolean
dc_db_col_is_null (sqlite3_stmt *stmt, int col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL;
}

gboolean
dc_db_begin (DcDb *db, GError **error)
{
  g_autofree char *sql = NULL;

  if (db->depth == 0)
    {
      if (!dc_db_run (db, error, "BEGIN IMMEDIATE", ""))
        return FALSE;
      db->generation++;
    }
  else
    {
      /* what waits belongs to the outer level: a rollback of this one drops only its own */
      if (!flush_audit (db, error))
        return FALSE;
      /* prepared once per depth and cached: a demo day nests thousands */
      sql = g_strdup_printf ("SAVEPOINT dc_%u", db->depth);
      if (!dc_db_run (db, error, sql, ""))
        return FALSE;
    }
  db->depth++;
  return TRUE;
}

gboolean
dc_db_commit (DcDb *db, GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (db->depth > 0, FALSE);

  if (db->depth == 1)
    {
      if (!flush_audit (db, error) || !dc_db_run (db, error, "COMMIT", ""))
        return FALSE;
    }
  else
    {
      sql = g_strdup_printf ("RELEASE dc_%u", db->depth - 1);
      if (!dc_db_run (db, error, sql, ""))
        return FALSE;
    }
  db->depth--;
  return TRUE;
}

void
dc_db_rollback (DcDb *db)
{
  g_autofree char *sql = NULL;

  if (db->depth == 0)
    return;
  db->generation++;
  /* all waiting entries were made at this level (dc_db_begin writes them before a savepoint) */
  g_array_set_size (db->pending, 0);
  if (db->depth == 1)
    {
      /* Failing here means SQLite already rolled back (e.g. after SQLITE_FULL). */
      if (sqlite3_get_autocommit (db->handle) == 0)
        sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
    }
  else
    {
      sql = g_strdup_printf ("ROLLBACK TO dc_%u; RELEASE dc_%u", db->depth - 1, db->depth - 1);
      sqlite3_exec (db->handle, sql, NULL, NULL, NULL);
    }
  db->depth--;
}

gboolean
dc_db_in_transaction (DcDb *db)
{
  return db->depth > 0;
}

guint64
dc_db_write_state (DcDb *db)
{
  return db->depth > 0 ? db->generation : 0;
}

/* Past a quoted string or identifier starting at @p ('...' or "..." with doubled quotes). */
static const char *
skip_quoted (const char *p)
{
  char quote = *p++;

  for (; *p != '\0'; p++)
    if (*p == quote)
      {
        if (p[1] != quote)
          return p + 1;
        p++;
      }
  return p;
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The expressions of the CHECK constraints in a CREATE TABLE statement, in order; NULL
 * when the text is not understood. */
static GPtrArray *
check_expressions (const char *sql)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  const char *p = sql;

  while (*p != '\0')
    {
      const char *q;
      int depth = 1;

      if (*p == '\'' || *p == '"')
        {
          p = skip_quoted (p);
          continue;
        }
      if (g_ascii_strncasecmp (p, "CHECK", 5) != 0 || (p > sql && is_word_char (p[-1])) || is_word_char (p[5]))
        {
          p++;
          continue;
        }
      for (q = p + 5; g_ascii_isspace (*q); q++)
        ;
      if (*q != '(')
        return NULL;
      p = ++q;
      while (*q != '\0' && depth > 0)
        {
          if (*q == '\'' || *q == '"')
            {
              q = skip_quoted (q);
              continue;
            }
          depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
          q++;
        }
      if (depth != 0)
        return NULL;
      g_ptr_array_add (out, g_strndup (p, (gsize) (q - 1 - p)));
      p = q;
    }
  return g_steal_pointer (&out);
}

/* The rows of @table that break one of its CHECK constraints (@sql its CREATE TABLE): a
 * constraint fails where its expression is false, not where it is NULL, as NOT says. One
 * query, so that an IN list is built once, not once per row as the row-by-row check and
 * PRAGMA quick_check do. Falls back to quick_check when the text is not understood. */
static gboolean
check_table (DcDb *db, const char *table, const char *sql, GError **error)
{
  g_autoptr(GPtrArray) checks = check_expressions (sql);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", table);
  gint64 bad = 0;
  gboolean found;

  if (checks != NULL && checks->len > 0)
    {
      g_string_printf (query, "SELECT count(*) FROM %s WHERE 0", quoted);
      for (guint i = 0; i < checks->len; i++)
        g_string_append_printf (query, " OR NOT (%s)", (char *) checks->pdata[i]);
      /* a text read wrongly makes a query SQLite refuses: then the pragma decides */
      if (!dc_db_int (db, &bad, &found, NULL, query->str, ""))
        g_clear_pointer (&checks, g_ptr_array_unref);
    }
  if (checks == NULL || checks->len == 0)
    {
      g_autofree char *result = NULL;
      sqlite3_stmt *stmt;
      GError *local = NULL;

      g_string_printf (query, "PRAGMA quick_check (%s)", quoted);
      stmt = dc_db_query (db, error, query->str, "");
      if (stmt == NULL)
        return FALSE;
      if (dc_db_next (db, stmt, &local))
        {
          result = dc_db_col_text (stmt, 0);
          sqlite3_reset (stmt);
        }
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      bad = g_strcmp0 (result, "ok") != 0;
    }
  if (bad != 0)
    {
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT, _("Database error: %s (in: %s)"),
                   "CHECK constraint failed", table);
      return FALSE;
    }
  return TRUE;
}

/* Every CHECK constraint of every table that has one, over all its rows: bulk mode leaves
 * them to this (see dc_db_set_bulk). */
static gboolean
check_constraints (DcDb *db, GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK%'"
                                    " ORDER BY name", "");
  GError *local = NULL;

  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    {
      g_ptr_array_add (tables, dc_db_col_text (stmt, 0));
      g_ptr_array_add (sqls, dc_db_col_text (stmt, 1));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  for (guint i = 0; i < tables->len; i++)
    if (!check_table (db, tables->pdata[i], sqls->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* The indexes dc_db_bulk_defer_indexes dropped, each built again from its own CREATE text:
 * one sort over all rows, and the schema ends as the migrations made it. */
static gboolean
build_deferred_indexes (DcDb *db, GError **error)
{
  GPtrArray *deferred = db->deferred;
  gboolean ok;

  if (deferred->len == 0)
    return TRUE;
  ok = dc_db_begin (db, error);
  for (guint i = 0; ok && i < deferred->len; i++)
    ok = dc_db_exec (db, deferred->pdata[i], error);
  ok = ok && dc_db_commit (db, error);
  if (!ok)
    {
      /* kept, for the next end of bulk mode to try again */
      dc_db_rollback (db);
      return FALSE;
    }
  g_ptr_array_set_size (deferred, 0);
  return TRUE;
}

gboolean
dc_db_bulk_defer_indexes (DcDb *db, const char *const *names, GError **error)
{
  guint before = db->deferred->len;
  gboolean ok;

  g_return_val_if_fail (db->bulk && db->depth == 0, FALSE);

  if (!dc_db_begin (db, error))
    return FALSE;
  ok = TRUE;
  for (const char *const *name = names; ok && *name != NULL; name++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *drop = NULL;
      sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?",
                                        "t", *name);
      GError *local = NULL;

      ok = stmt != NULL;
      if (ok && dc_db_next (db, stmt, &local))
        {
          sql = dc_db_col_text (stmt, 0);
          sqlite3_reset (stmt);
        }
      if (local != NULL)
        {
          g_propagate_error (error, local);
          ok = FALSE;
        }
      /* an index an older schema lacks is passed over */
      if (!ok || sql == NULL)
        continue;
      /* a UNIQUE index is a rule the rows must keep on the way */
      if (!g_str_has_prefix (sql, "CREATE INDEX "))
        {
          g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_FAILED, "bulk: %s is not a plain index", *name);
          ok = FALSE;
          continue;
        }
      drop = g_strdup_printf ("DROP INDEX \"%s\"", *name);
      ok = dc_db_exec (db, drop, error);
      if (ok)
        g_ptr_array_add (db->deferred, g_steal_pointer (&sql));
    }
  ok = ok && dc_db_commit (db, error);
  if (!ok)
    {
      /* rolled back: those of this call are still there */
      dc_db_rollback (db);
      g_ptr_array_set_size (db->deferred, before);
    }
  return ok;
}

gboolean
dc_db_set_bulk (DcDb *db, gboolean bulk, GError **error)
{
  gboolean built;

  g_return_val_if_fail (db->depth == 0, FALSE);

  if (bulk)
    {
      db->bulk = TRUE;
      /* bulk generation touches every index of a growing file: give it a larger page cache.
       * A CHECK with an IN list builds a temporary table for every row it checks (SQLite
       * 3.40), a fifth of a demo visit's instructions: checked once at the end instead. */
      return dc_db_exec (db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;"
                             " PRAGMA ignore_check_constraints = ON", error);
    }
  db->bulk = FALSE;
  /* the indexes first, with the large cache; the store is whole even if that fails */
  built = build_deferred_indexes (db, error);
  /* durable again: with synchronous FULL the checkpoint syncs the file and everything in it */
  return dc_db_exec (db, "PRAGMA ignore_check_constraints = OFF; PRAGMA synchronous = FULL;"
                         " PRAGMA cache_size = -16384", built ? error : NULL)
         && built
         && check_constraints (db, error)
         && dc_db_checkpoint (db, TRUE, error);
}

/* ---- bulk mode's audit entries ---- */

gboolean
dc_db_is_bulk (DcDb *db)
{
  return db->bulk;
}

gboolean
dc_db_audit_defer (DcDb *db, gint64 seq, gint64 at, gint64 staff_id, const char *action, const char *table,
                   gint64 subject_id, const guint8 *row_hash, const guint8 prev_hash[32], const guint8 hash[32],
                   GError **error)
{
  PendingAudit *row;

  g_return_val_if_fail (db->bulk && db->depth > 0 && !db->flushing, FALSE);
  g_array_set_size (db->pending, db->pending->len + 1);
  row = &g_array_index (db->pending, PendingAudit, db->pending->len - 1);
  row->seq = seq;
  row->at = at;
  row->staff_id = staff_id;
  row->subject_id = subject_id;
  row->action = g_intern_string (action);
  row->table = table != NULL ? g_intern_string (table) : NULL;
  row->has_row_hash = row_hash != NULL;
  if (row_hash != NULL)
    memcpy (row->row_hash, row_hash, 32);
  memcpy (row->prev_hash, prev_hash, 32);
  memcpy (row->hash, hash, 32);
  /* on failure nothing waits any more: the caller's transaction must not commit */
  return db->pending->len < AUDIT_ROWS_MAX * 4 || flush_audit (db, error);
}

/* The INSERT of 2^@k rows, as dc_db_audit_insert writes one. */
static const char *
audit_sql (DcDb *db, guint k)
{
  if (db->audit_sql[k] == NULL)
    {
      GString *sql = g_string_new ("INSERT INTO audit (id, at, staff_id, action, subject_table, subject_id, row_hash,"
                                   " prev_hash, hash) VALUES ");

      for (guint i = 0; i < 1u << k; i++)
        g_string_append (sql, i == 0 ? "(?, ?, nullif (?, 0), ?, ?, nullif (?, 0), ?, ?, ?)"
                                     : ", (?, ?, nullif (?, 0), ?, ?, nullif (?, 0), ?, ?, ?)");
      db->audit_sql[k] = g_string_free (sql, FALSE);
    }
  return db->audit_sql[k];
}

static gboolean
insert_audit_rows (DcDb *db, const PendingAudit *rows, guint k, GError **error)
{
  const char *sql = audit_sql (db, k);
  sqlite3_stmt *stmt = prepare (db, sql, error);
  int rc = SQLITE_OK;

  if (stmt == NULL)
    return FALSE;
  /* the rows stay where they are until the statement has run */
  for (guint i = 0; i < 1u << k && rc == SQLITE_OK; i++)
    {
      const PendingAudit *r = &rows[i];
      int at = (int) i * 9;

      rc = sqlite3_bind_int64 (stmt, at + 1, r->seq);
      rc = rc == SQLITE_OK ? sqlite3_bind_int64 (stmt, at + 2, r->at) : rc;
      rc = rc == SQLITE_OK ? sqlite3_bind_int64 (stmt, at + 3, r->staff_id) : rc;
      rc = rc == SQLITE_OK ? sqlite3_bind_text (stmt, at + 4, r->action, -1, SQLITE_STATIC) : rc;
      if (rc == SQLITE_OK && r->table != NULL)
        rc = sqlite3_bind_text (stmt, at + 5, r->table, -1, SQLITE_STATIC);
      rc = rc == SQLITE_OK ? sqlite3_bind_int64 (stmt, at + 6, r->subject_id) : rc;
      if (rc == SQLITE_OK && r->has_row_hash)
        rc = sqlite3_bind_blob (stmt, at + 7, r->row_hash, 32, SQLITE_STATIC);
      rc = rc == SQLITE_OK ? sqlite3_bind_blob (stmt, at + 8, r->prev_hash, 32, SQLITE_STATIC) : rc;
      rc = rc == SQLITE_OK ? sqlite3_bind_blob (stmt, at + 9, r->hash, 32, SQLITE_STATIC) : rc;
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      dc_db_set_error (db, rc, sql, error);
      return FALSE;
    }
  return TRUE;
}

/* Write the waiting entries, in order. On failure none is left waiting: the transaction
 * they belong to is then rolled back by its owner. */
static gboolean
flush_audit (DcDb *db, GError **error)
{
  const PendingAudit *rows = (const PendingAudit *) db->pending->data;
  guint done = 0, n = db->pending->len;
  gboolean ok = TRUE;

  if (n == 0 || db->flushing)
    return TRUE;
  db->flushing = TRUE;
  while (ok && done < n)
    {
      guint k = AUDIT_SIZES - 1;

      while ((1u << k) > n - done)
        k--;
      ok = insert_audit_rows (db, rows + done, k, error);
      done += 1u << k;
    }
  db->flushing = FALSE;
  g_array_set_size (db->pending, 0);
  return ok;
}

gboolean
dc_db_checkpoint (DcDb *db, gboolean truncate, GError **error)
{
  int rc;

  if (db->depth > 0)
    return TRUE;
  rc = sqlite3_wal_checkpoint_v2 (db->handle, NULL, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE,
                                  NULL, NULL);
  /* busy: a reader holds an old snapshot; the next idle moment will do */
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
    {
      dc_db_set_error (db, rc, "wal_checkpoint", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_db_names_stamp (DcDb *db, DcDbStamp *out, GError **error)
{
  gboolean found;

  out->changes = db->names_changes;
  return dc_db_int (db, &out->data_version, &found, error, "PRAGMA data_version", "");
}

void
dc_db_set_data (DcDb *db, const char *key, gpointer data, GDestroyNotify destroy)
{
  g_datalist_set_data_full (&db->data, key, data, destroy);
}

gpointer
dc_db_get_data (DcDb *db, const char *key)
{
  return g_datalist_get_data (&db->data, key);
}

void
dc_db_allow_purge (DcDb *db, gboolean allow)
{
  db->purge_allowed = allow;
}

/* Room for @len more bytes at the end of @out, returned for writing. One call per value:
 * g_byte_array_append per piece was 8% of a bulk insert's instructions. */
static guint8 *
grow (GByteArray *out, gsize len)
{
  guint at = out->len;

  g_byte_array_set_size (out, at + (guint) len);
  return out->data + at;
}

static inline void
store_u64 (guint8 *p, guint64 v)
{
  guint64 be = GUINT64_TO_BE (v);

  memcpy (p, &be, 8);
}

void
dc_db_put_u64 (GByteArray *out, guint64 v)
{
  store_u64 (grow (out, 8), v);
}

void
dc_db_put_chunk (GByteArray *out, const void *data, gsize len)
{
  guint8 *p = grow (out, 8 + len);

  store_u64 (p, len);
  if (len > 0)
    memcpy (p + 8, data, len);
}

/* Encode the current row of @stmt. The format is pinned by a known-answer test. */
static void
encode_row (sqlite3_stmt *stmt, const char *table, GByteArray *out)
{
  int n = sqlite3_column_count (stmt);

  g_byte_array_set_size (out, 0);
  dc_db_put_chunk (out, "daicho-row-v1", 13);
  dc_db_put_chunk (out, table, strlen (table));
  for (int c = 0; c < n; c++)
    {
      const char *name = sqlite3_column_name (stmt, c);
      guint8 tag;

      dc_db_put_chunk (out, name, strlen (name));
      switch (sqlite3_column_type (stmt, c))
        {
        case SQLITE_INTEGER:
          tag = 'i';
          g_byte_array_append (out, &tag, 1);
          dc_db_put_u64 (out, (guint64) sqlite3_column_int64 (stmt, c));
          break;
        case SQLITE_FLOAT:
          {
            double d = sqlite3_column_double (stmt, c);
            guint64 bits;

            memcpy (&bits, &d, sizeof bits);
            tag = 'f';
            g_byte_array_append (out, &tag, 1);
            dc_db_put_u64 (out, bits);
          }
          break;
        case SQLITE_TEXT:
          tag = 't';
          g_byte_array_append (out, &tag, 1);
          dc_db_put_chunk (out, sqlite3_column_text (stmt, c), sqlite3_column_bytes (stmt, c));
          break;
        case SQLITE_BLOB:
          tag = 'x';
          g_byte_array_append (out, &tag, 1);
          dc_db_put_chunk (out, sqlite3_column_blob (stmt, c), sqlite3_column_bytes (stmt, c));
          break;
        default:
          tag = 'n';
          g_byte_array_append (out, &tag, 1);
          break;
        }
    }
}

static gboolean
table_name_ok (const char *table)
{
  const char *const *t;

  for (t = dc_schema_audited_tables (); *t != NULL; t++)
    if (g_str_equal (*t, table))
      return TRUE;
  return FALSE;
}

gboolean
dc_db_row_canonical (DcDb *db, const char *table, gint64 id, GByteArray *out, gboolean *found,
                     GError **error)
{
  g_autofree char *sql = NULL;
  GError *local = NULL;
  sqlite3_stmt *stmt;

  /* Table names cannot be bound: only the schema's own names are ever interpolated. */
  g_return_val_if_fail (table_name_ok (table), FALSE);

  *found = FALSE;
  sql = g_strdup_printf ("SELECT * FROM %s WHERE id = ?", table);
  stmt = dc_db_query (db, error, sql, "i", id);
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      encode_row (stmt, table, out);
      *found = TRUE;
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_db_foreach_canonical (DcDb *db, const char *table, DcDbRowFunc func, gpointer user_data,
                         GError **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  sqlite3_stmt *stmt;
  GError *local = NULL;

  g_return_val_if_fail (table_name_ok (table), FALSE);

  sql = g_strdup_printf ("SELECT * FROM %s ORDER BY id", table);
  stmt = dc_db_query (db, error, sql, "");
  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    {
      encode_row (stmt, table, bytes);
      if (!func (sqlite3_column_int64 (stmt, 0), bytes->data, bytes->len, user_data, error))
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

GArray *
dc_db_collect (DcDb *db, sqlite3_stmt *stmt, GArray *rows, DcDbReadFunc read, GError **error)
{
  GError *local = NULL;
  guint size = g_array_get_element_size (rows);

  if (stmt == NULL)
    {
      g_array_unref (rows);
      return NULL;
    }
  while (dc_db_next (db, stmt, &local))
    {
      g_array_set_size (rows, rows->len + 1);
      read (stmt, rows->data + (gsize) (rows->len - 1) * size);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      g_array_unref (rows);
      return NULL;
    }
  return rows;
}
