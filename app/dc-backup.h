/* app/dc-backup.h — encrypted, consistent backups taken while the counter works; restore; rotation. */
#pragma once

#include "dc-store.h"
#include "dc-audit.h"

G_BEGIN_DECLS

#define DC_BACKUP_SUFFIX ".daicho-backup"

typedef struct {
  char    *path;
  char    *store_uuid;
  char    *store_name;
  gint64   created_at;     /* UTC µs */
  gint64   size;           /* bytes of the file */
  gboolean recovery_slot;  /* it opens with the recovery key … */
  guint    manager_slots;  /* … and with the passphrase of this many managers (as they were then) */
} DcBackupInfo;

void     dc_backup_info_clear (DcBackupInfo *info);

/* Take a consistent online copy (SQLite backup API from a read transaction) and encrypt
 * it as a whole with a fresh file key sealed to the store's public key, so no secret is
 * needed: header (magic, version, store uuid and name, time, the store's public keys, the
 * key slots that open the master key — the recovery slot and each active manager's
 * passphrase slot, as wrapped in the database, never a PIN slot — and the sealed key), then
 * authenticated chunks whose last is marked final. Written to a temporary name in @dir
 * (created 0700 if missing), synced, renamed only when complete. Records the backup in the
 * audit chain and as the store's last backup. Returns the new file's path. */
char    *dc_backup_create (DcStore *store, const char *dir, GError **error);

/* Read a backup's header only (no secret). */
gboolean dc_backup_inspect (const char *path, DcBackupInfo *info, GError **error);

/* Backups of this store in @dir, newest first; an array of DcBackupInfo. */
GArray  *dc_backup_list (DcStore *store, const char *dir, GError **error);

/* Delete this store's backups in @dir older than DC_SETTING_BACKUP_KEEP_DAYS (never the
 * newest one). */
gboolean dc_backup_rotate (DcStore *store, const char *dir, guint *out_deleted, GError **error);

/* When the last backup was taken (UTC µs, 0 = never) and where (may be NULL). */
gboolean dc_backup_last (DcStore *store, gint64 *out_at, char **out_path, GError **error);

/* Restore, step 1 (a manager signed in with a passphrase or the recovery key): check
 * @path completely (header, store, every chunk, the final mark) and decrypt it to a new
 * file beside the store's database, then check that file (integrity, application id, the
 * same store). Returns that file's path; nothing of the store is replaced. A truncated,
 * altered or foreign backup fails with a clear error and leaves nothing behind. */
char    *dc_backup_unpack (DcStore *store, DcActor *manager, const char *path, GError **error);

/* Restore, step 2, with the store closed: move the current database (and its WAL) aside
 * under a name with the time, returned in @out_aside, and put @unpacked in its place. */
gboolean dc_backup_install (const char *store_dir, const char *unpacked, char **out_aside, GError **error);

/* The databases restores moved aside in @store_dir (paths, oldest first; empty when none).
 * They hold personal data that no purge reaches: the manager deletes them once the restored
 * store is in use. */
GPtrArray *dc_backup_set_aside (const char *store_dir);

/* Restore, step 3, on the restored store opened again: append the "restore" entry (by
 * @manager_name when the restored store has that manager, else by the system) and a
 * checkpoint signed with @vault, a master-key vault of this very store (the one that signed
 * in for step 1; DC_ERROR_CRYPTO otherwise). */
gboolean dc_backup_record_restore (DcStore *store, const DcVault *vault, const char *manager_name, GError **error);

/* Restore when the store is gone (its disk died): the backup alone, into @target_dir,
 * which must be missing or empty (DC_ERROR_EXISTS otherwise). It opens with a key slot of
 * its header: @with DC_SLOT_RECOVERY and @secret the recovery key, or DC_SLOT_PASSPHRASE and
 * @secret the passphrase of the manager @staff_name (tried on every manager's slot: the
 * header names nobody). A PIN never opens a backup (DC_ERROR_PERMISSION); a wrong secret →
 * DC_ERROR_WRONG_SECRET with nothing written. Then, as dc_backup_unpack: the whole file,
 * then the database (integrity, application id, the header's store uuid and public keys,
 * and the slot that opened the file is one of its own). It becomes @target_dir's
 * daicho.db (folder 0700), is opened, and gets a "restore" entry (by that manager, or the
 * system for the recovery key) and a signed checkpoint. On any failure @target_dir is left
 * as it was. Returns the open store; run dc_audit_verify on it. */
DcStore *dc_backup_restore_new (const char *path, const char *target_dir, DcSlotKind with, const char *staff_name,
                                const char *secret, GError **error);

G_END_DECLS
