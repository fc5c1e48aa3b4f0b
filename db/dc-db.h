/* db/dc-db.h — the one wrapper around SQLite: connection set-up, statements, transactions, errors. */
#pragma once

#include <glib.h>
#include <string.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define DC_DB_ERROR (dc_db_error_quark ())

typedef enum {
  DC_DB_ERROR_FAILED,        /* anything not below */
  DC_DB_ERROR_OPEN,          /* the file or directory cannot be opened or created */
  DC_DB_ERROR_BUSY,          /* another program holds the write lock too long */
  DC_DB_ERROR_CONSTRAINT,    /* a uniqueness, foreign-key or append-only rule refused it */
  DC_DB_ERROR_FULL,          /* the disk is full */
  DC_DB_ERROR_CORRUPT,       /* not a database, or damaged */
  DC_DB_ERROR_NEWER_SCHEMA,  /* written by a newer Daicho: refused, untouched */
  DC_DB_ERROR_NOT_FOUND,     /* no store at that place */
} DcDbErrorCode;

GQuark dc_db_error_quark (void);

typedef struct _DcDb DcDb;

/* The schema version this build writes (PRAGMA user_version). */
#define DC_DB_SCHEMA_VERSION 5

/* Open (and, with @create, create) the database at @path: WAL, synchronous=FULL,
 * foreign_keys=ON, secure_delete=ON, a busy timeout; the file is created 0600.
 * Migrates an older schema; refuses a newer one (DC_DB_ERROR_NEWER_SCHEMA) without
 * writing anything. */
DcDb    *dc_db_open (const char *path, gboolean create, GError **error);
void     dc_db_close (DcDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcDb, dc_db_close)

/* A second, read-only connection to the database at @path, for reads that run on another
 * thread beside the writing connection (WAL lets them). Never migrates: the schema must be
 * this build's. Query-only. */
DcDb    *dc_db_open_reader (const char *path, GError **error);

/* A read transaction, outside any other on @db: every statement until dc_db_read_end reads
 * the same moment of the database; dc_db_read_end rolls back whatever temporary tables it
 * wrote. @out_audit_head (may be NULL): the newest audit entry's id then. Every change Daicho
 * commits appends one, so two transactions that saw the same head saw the same records. */
gboolean dc_db_read_begin (DcDb *db, gint64 *out_audit_head, GError **error);
void     dc_db_read_end (DcDb *db);

sqlite3     *dc_db_handle (DcDb *db);
const char  *dc_db_path (DcDb *db);
gint         dc_db_schema_version (DcDb *db);

/* Run SQL without parameters (several statements allowed). */
gboolean dc_db_exec (DcDb *db, const char *sql, GError **error);

/* Prepared statements, cached per connection and reset before each use.
 * @types names the parameters that follow, one letter each:
 *   'i' gint64, 'b' gboolean (as 0/1), 't' const char * (NULL binds NULL),
 *   'x' GBytes * (NULL binds NULL), 'n' nothing (binds NULL, no argument),
 *   'r' const guint8 *, gsize (a raw blob). */
sqlite3_stmt *dc_db_query (DcDb *db, GError **error, const char *sql, const char *types, ...);
/* Step a query: TRUE with a row, FALSE when done (@error unset) or on failure (@error set). */
gboolean      dc_db_next (DcDb *db, sqlite3_stmt *stmt, GError **error);
/* Run a statement that returns no rows. */
gboolean      dc_db_run (DcDb *db, GError **error, const char *sql, const char *types, ...);
/* One integer from the first row (e.g. a count); @found says whether there was a row. */
gboolean      dc_db_int (DcDb *db, gint64 *out, gboolean *found, GError **error,
                         const char *sql, const char *types, ...);
gint64        dc_db_last_id (DcDb *db);
gint          dc_db_changes (DcDb *db);

/* Column readers that copy. */
char   *dc_db_col_text (sqlite3_stmt *stmt, int col);   /* NULL for NULL */
GBytes *dc_db_col_bytes (sqlite3_stmt *stmt, int col);  /* NULL for NULL */
gint64  dc_db_col_int (sqlite3_stmt *stmt, int col);
gboolean dc_db_col_is_null (sqlite3_stmt *stmt, int col);

/* Transactions. The outermost level is BEGIN IMMEDIATE … COMMIT (one per user action);
 * inner levels are savepoints, so a workflow can run inside a larger batch. */
/* Reads one row of a statement into an array element. */
typedef void (*DcDbReadFunc) (sqlite3_stmt *stmt, gpointer element);
/* Step @stmt (from dc_db_query; NULL = it failed, @error set) to the end, reading each row
 * with @read into a new element of @rows; @rows, or NULL (and @rows freed) on failure. */
GArray  *dc_db_collect (DcDb *db, sqlite3_stmt *stmt, GArray *rows, DcDbReadFunc read, GError **error);

gboolean dc_db_begin (DcDb *db, GError **error);
gboolean dc_db_commit (DcDb *db, GError **error);
void     dc_db_rollback (DcDb *db);
gboolean dc_db_in_transaction (DcDb *db);
/* Names the current write transaction: equal values mean nothing but this connection has
 * written since, and nothing was rolled back. 0 outside a transaction. For caches of
 * values the transaction itself wrote (the audit chain's head). */
guint64  dc_db_write_state (DcDb *db);

/* Bulk generation (the demo, simulations), on this connection only, while TRUE:
 * synchronous=OFF and a larger page cache; CHECK constraints not checked row by row but
 * on every row of every table when it ends (PRAGMA quick_check: a violation fails it with
 * DC_DB_ERROR_CONSTRAINT); audit entries written many to a statement (dc_db_audit_defer).
 * Ending it (FALSE) builds the indexes dc_db_bulk_defer_indexes dropped, then makes the file
 * durable again (synchronous=FULL, a TRUNCATE checkpoint). Outside a transaction only. */
gboolean dc_db_set_bulk (DcDb *db, gboolean bulk, GError **error);
gboolean dc_db_is_bulk (DcDb *db);
/* In bulk mode, outside a transaction: drop the indexes @names (NULL-terminated; plain, not
 * UNIQUE ones: those are rules) until bulk mode ends, which builds each again from its own
 * CREATE text, once over all rows. For a fill none of whose statements reads them: the
 * schema and the rows end the same, and a row costs no update of them on the way. A name
 * the schema lacks is passed over. */
gboolean dc_db_bulk_defer_indexes (DcDb *db, const char *const *names, GError **error);
/* In bulk mode, an audit entry (the columns of dc_db_audit_insert; @row_hash NULL or 32
 * bytes) to be written with others: before the transaction commits or a savepoint opens,
 * before any statement naming the audit table, and every few hundred entries. A rollback
 * drops those made at its level. FALSE only when writing failed: then the transaction must
 * be rolled back. */
gboolean dc_db_audit_defer (DcDb *db, gint64 seq, gint64 at, gint64 staff_id, const char *action,
                            const char *table, gint64 subject_id, const guint8 *row_hash,
                            const guint8 prev_hash[32], const guint8 hash[32], GError **error);

/* Copy the WAL into the database (PASSIVE, or TRUNCATE to empty it). Automatic checkpoints
 * are off so that none runs inside a user action; long-running programs call this when
 * idle. Does nothing inside a transaction. */
gboolean dc_db_checkpoint (DcDb *db, gboolean truncate, GError **error);

/* When staff or terminals last changed, as far as one connection can tell: changes it made to
 * their rows, and PRAGMA data_version (which moves at every commit by another connection or
 * process). Two equal stamps from one connection: neither table changed in between. */
typedef struct {
  gint64  data_version;
  guint64 changes;
} DcDbStamp;

gboolean dc_db_names_stamp (DcDb *db, DcDbStamp *out, GError **error);

/* A value kept with the connection under @key (a string literal), freed with @destroy when
 * replaced or when the connection closes. For caches of what the connection read. */
void     dc_db_set_data (DcDb *db, const char *key, gpointer data, GDestroyNotify destroy);
gpointer dc_db_get_data (DcDb *db, const char *key);

/* Let the purge delete record rows on this connection only (design.md §3). */
void     dc_db_allow_purge (DcDb *db, gboolean allow);

/* The column names of @sql (a query returning no row, e.g. "SELECT * FROM t WHERE 0") as
 * the schema has them now; NULL when it fails. Owned by @db: valid until the next call for
 * @sql or dc_db_exec.
 * Within one write transaction, kept from the first call (the schema cannot change under
 * it but by dc_db_exec, which forgets them). */
const char *const *dc_db_columns (DcDb *db, const char *sql, guint *n_columns);

/* The canonical bytes of one row, for hashing: the table name, then every column in
 * schema order as name, type tag and value. FALSE with @found unset when absent. */
gboolean dc_db_row_canonical (DcDb *db, const char *table, gint64 id, GByteArray *out,
                              gboolean *found, GError **error);
/* The same for every row of @table in id order, calling @func for each. */
typedef gboolean (*DcDbRowFunc) (gint64 id, const guint8 *bytes, gsize len, gpointer user_data,
                                 GError **error);
gboolean dc_db_foreach_canonical (DcDb *db, const char *table, DcDbRowFunc func, gpointer user_data,
                                  GError **error);

/* The canonical encoding's pieces, shared with the audit chain: a big-endian u64, and a
 * chunk (its length as u64, then the bytes). */
void     dc_db_put_u64 (GByteArray *out, guint64 v);
void     dc_db_put_chunk (GByteArray *out, const void *data, gsize len);
/* The same into a buffer the caller sized beforehand; each returns the byte after. */
static inline guint8 *
dc_db_write_u64 (guint8 *p, guint64 v)
{
  guint64 be = GUINT64_TO_BE (v);

  memcpy (p, &be, 8);
  return p + 8;
}

static inline guint8 *
dc_db_write_chunk (guint8 *p, gconstpointer data, gsize len)
{
  p = dc_db_write_u64 (p, len);
  if (len > 0)
    memcpy (p, data, len);
  return p + len;
}

/* Set an error from the connection's last failure, naming @sql. */
void     dc_db_set_error (DcDb *db, int rc, const char *sql, GError **error);

G_END_DECLS
