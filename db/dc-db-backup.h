/* db/dc-db-backup.h — whole database files for backups: an online copy, a check of a copy, settling a closed store. */
#pragma once

#include "dc-db-records.h"

G_BEGIN_DECLS

/* PRAGMA application_id of every Daicho database: 'DAIC'. */
#define DC_DB_APPLICATION_ID 0x44414943

/* Copy the database at @src_path into the new file @dest_path (created 0600, must not
 * exist) through a second, read-only connection and the SQLite backup API in one step, so
 * that the copy is one consistent snapshot while other connections keep writing. The copy
 * is self-contained: rollback-journal mode, no WAL beside it. */
gboolean dc_db_backup_copy (const char *src_path, const char *dest_path, GError **error);

typedef struct {
  char   *integrity;       /* NULL when PRAGMA integrity_check says "ok", else what it reported */
  gint64  application_id;
  gint64  user_version;
  char   *store_uuid;      /* NULL when the file has no store row */
} DcDbFileFacts;

void     dc_db_file_facts_clear (DcDbFileFacts *facts);
/* Open the self-contained database file @path read-only and read these facts. Fails
 * (DC_DB_ERROR_CORRUPT) when it is not a database at all. */
gboolean dc_db_file_facts (const char *path, DcDbFileFacts *facts, GError **error);

/* What opens a store without the store: its public keys and the key slots that unwrap
 * the master key. */
typedef struct {
  guint8  box_pk[32];
  guint8  sign_pk[32];
  GArray *slots;   /* DcKeySlotRow: the newest recovery slot (if any), then the newest
                      passphrase slot of each active manager, by staff id; never a PIN slot */
} DcDbFileKeys;

void     dc_db_file_keys_clear (DcDbFileKeys *keys);
/* Read them from the self-contained database file @path, read-only (a backup's copy, or a
 * restored file before it is opened). DC_DB_ERROR_NOT_FOUND when it has no store keys. */
gboolean dc_db_file_keys (const char *path, DcDbFileKeys *keys, GError **error);

/* Make the database at @path one self-contained file before it is moved: its WAL is
 * copied in and removed (rollback-journal mode; the next dc_db_open turns WAL on again).
 * DC_DB_ERROR_BUSY when another connection, in any program, still has it open. */
gboolean dc_db_settle (const char *path, GError **error);

G_END_DECLS
