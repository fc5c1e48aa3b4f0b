/* app/dc-backup.c — encrypted, consistent backups taken while the counter works; restore; rotation. */
#include "dc-backup.h"
#include "dc-file.h"
#include "dc-db-backup.h"
#include "dc-db-records.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* File layout, format 2 (integers big-endian):
 *   "DAICHOBK", u16 format version, u32 header length, u32 chunk size,
 *   u16 + store uuid, u16 + store name, i64 created_at (UTC µs),
 *   the store's box public key (32) and sign public key (32),
 *   u8 number of key slots, each: u8 kind (1 recovery, 2 passphrase), i64 staff id (0 for
 *     the recovery slot), u64 opslimit, u64 memlimit, salt (16), nonce (24), u16 + wrapped
 *     master key: the slots exactly as daicho.db holds them, Argon2id- or recovery-wrapped,
 *     so that the backup opens when the store's disk is gone; never a PIN slot (a PIN is
 *     guessed offline in minutes) and no staff name (the header names the store, no person);
 *   u16 + file key sealed to the store's box key, secretstream header;
 *   then secretstream chunks of CHUNK_BYTES plaintext each, the header as the additional
 *   data of the first, the last tagged FINAL. A cut at any place, a changed byte or a
 *   swapped header fails a MAC or the final mark. Format 1 had no keys and no slots. */
#define MAGIC          "DAICHOBK"
#define MAGIC_LEN      8
#define FORMAT_VERSION 2
#define FIXED_BYTES    (MAGIC_LEN + 2 + 4)
#define MAX_HEADER     (64 * 1024)
#define CHUNK_BYTES    (64 * 1024)
#define KEY_BYTES      crypto_secretstream_xchacha20poly1305_KEYBYTES
#define STREAM_BYTES   crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define MAC_BYTES      crypto_secretstream_xchacha20poly1305_ABYTES
#define SEALED_BYTES   (KEY_BYTES + crypto_box_SEALBYTES)
#define SLOT_RECOVERY   1
#define SLOT_PASSPHRASE 2
#define MAX_SLOTS       255
#define WRAPPED_BYTES   (DC_KEY_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)

#define SETTING_LAST_AT   "last-backup-at"
#define SETTING_LAST_PATH "last-backup-path"
/* the private folder beside the database that holds the unencrypted copy while it is read */
#define WORK_PREFIX       ".backup-"
#define WORK_LOCK         "lock"
/* a half-written backup left by a crash is removed by a later rotation after this long */
#define STALE_TMP_USEC    (G_GINT64_CONSTANT (24) * 60 * 60 * G_USEC_PER_SEC)
/* recording a backup waits this often for a counter that holds the write lock */
#define RECORD_ATTEMPTS   5
#define RECORD_PAUSE_USEC (200 * 1000)

typedef crypto_secretstream_xchacha20poly1305_state StreamState;

/* A key slot in the header and whose it is. */
typedef struct {
  gint64     staff_id;   /* 0: the recovery slot */
  DcKeySlot *slot;
} HeaderSlot;

typedef struct {
  guint32    chunk_bytes;
  char      *uuid;
  char      *name;
  gint64     created_at;
  guint8     box_pk[DC_KEY_BYTES];
  guint8     sign_pk[DC_SIGN_PK_BYTES];
  GPtrArray *slots;   /* HeaderSlot */
  GBytes    *sealed_key;
  guint8     stream_header[STREAM_BYTES];
  GBytes    *raw;     /* the header as in the file: the first chunk's additional data */
} Header;

static void
header_slot_free (HeaderSlot *hs)
{
  dc_key_slot_free (hs->slot);
  g_free (hs);
}

static GPtrArray *
header_slots_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) header_slot_free);
}

static void
header_clear (Header *h)
{
  g_clear_pointer (&h->uuid, g_free);
  g_clear_pointer (&h->name, g_free);
  g_clear_pointer (&h->slots, g_ptr_array_unref);
  g_clear_pointer (&h->sealed_key, g_bytes_unref);
  g_clear_pointer (&h->raw, g_bytes_unref);
}

void
dc_backup_info_clear (DcBackupInfo *info)
{
  g_clear_pointer (&info->path, g_free);
  g_clear_pointer (&info->store_uuid, g_free);
  g_clear_pointer (&info->store_name, g_free);
}

/* ---- files ---- */


/* Bytes read (fewer than @len only at the end of the file), -1 on failure. */
static gssize
read_full (int fd, guint8 *buf, gsize len, const char *path, GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = read (fd, buf + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          dc_file_set_error (error, errno, _("Cannot read %s"), path);
          return -1;
        }
      if (n == 0)
        break;
      done += (gsize) n;
    }
  return (gssize) done;
}




static int
open_read (const char *path, gint64 *out_size, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  struct stat st;

  if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    {
      if (out_size != NULL)
        *out_size = st.st_size;
      return fd;
    }
  if (fd >= 0)
    {
      close (fd);
      errno = EISDIR;
    }
  dc_file_set_error (error, errno, _("Cannot read %s"), path);
  return -1;
}


/* "YYYYMMDD-HHMMSS" of @usec in @tz. */
static char *
stamp (gint64 usec, GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("00000000-000000");
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%Y%m%d-%H%M%S");
}

/* ---- the header ---- */

static void
put_be (GByteArray *out, guint64 v, guint bytes)
{
  for (guint i = bytes; i > 0; i--)
    {
      guint8 b = (guint8) (v >> (8 * (i - 1)));

      g_byte_array_append (out, &b, 1);
    }
}

static void
put_blob (GByteArray *out, const void *data, gsize len)
{
  put_be (out, len, 2);
  g_byte_array_append (out, data, (guint) len);
}

static void
put_slot (GByteArray *out, const HeaderSlot *hs)
{
  gsize wrapped_len = 0;
  const guint8 *wrapped = g_bytes_get_data (hs->slot->wrapped, &wrapped_len);

  put_be (out, hs->slot->kind == DC_SLOT_RECOVERY ? SLOT_RECOVERY : SLOT_PASSPHRASE, 1);
  put_be (out, (guint64) hs->staff_id, 8);
  put_be (out, hs->slot->opslimit, 8);
  put_be (out, hs->slot->memlimit, 8);
  g_byte_array_append (out, hs->slot->salt, DC_SALT_BYTES);
  g_byte_array_append (out, hs->slot->nonce, DC_NONCE_BYTES);
  put_blob (out, wrapped, wrapped_len);
}

static GBytes *
header_encode (const Header *h, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize sealed_len = 0;
  const guint8 *sealed = g_bytes_get_data (h->sealed_key, &sealed_len);

  if (strlen (h->name) > 1024)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The store name is too long for a backup header."));
      return NULL;
    }
  if (h->slots->len > MAX_SLOTS)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("The store has too many managers for a backup header (at most %u)."), MAX_SLOTS - 1);
      return NULL;
    }
  g_byte_array_append (out, (const guint8 *) MAGIC, MAGIC_LEN);
  put_be (out, FORMAT_VERSION, 2);
  put_be (out, 0, 4);   /* the header's length, known below */
  put_be (out, h->chunk_bytes, 4);
  put_blob (out, h->uuid, strlen (h->uuid));
  put_blob (out, h->name, strlen (h->name));
  put_be (out, (guint64) h->created_at, 8);
  g_byte_array_append (out, h->box_pk, DC_KEY_BYTES);
  g_byte_array_append (out, h->sign_pk, DC_SIGN_PK_BYTES);
  put_be (out, h->slots->len, 1);
  for (guint i = 0; i < h->slots->len; i++)
    put_slot (out, g_ptr_array_index (h->slots, i));
  put_blob (out, sealed, sealed_len);
  g_byte_array_append (out, h->stream_header, STREAM_BYTES);
  for (guint i = 0; i < 4; i++)
    out->data[MAGIC_LEN + 2 + i] = (guint8) (out->len >> (8 * (3 - i)));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

typedef struct {
  const guint8 *p;
  gsize         left;
  gboolean      ok;
} Reader;

static guint64
get_be (Reader *r, guint bytes)
{
  guint64 v = 0;

  if (r->left < bytes)
    {
      r->ok = FALSE;
      return 0;
    }
  for (guint i = 0; i < bytes; i++)
    v = (v << 8) | r->p[i];
  r->p += bytes;
  r->left -= bytes;
  return v;
}

static const guint8 *
get_bytes (Reader *r, gsize len)
{
  const guint8 *at = r->p;

  if (r->left < len)
    {
      r->ok = FALSE;
      return NULL;
    }
  r->p += len;
  r->left -= len;
  return at;
}

static char *
get_string (Reader *r)
{
  gsize len = get_be (r, 2);
  const guint8 *data = get_bytes (r, len);

  if (data == NULL || !g_utf8_validate ((const char *) data, (gssize) len, NULL))
    {
      r->ok = FALSE;
      return NULL;
    }
  return g_strndup ((const char *) data, len);
}

static gboolean
header_damaged (const char *path, GError **error)
{
  g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
               _("The header of the backup %s is damaged: the file cannot be used."), path);
  return FALSE;
}

/* One slot as put_slot wrote it: only the kinds that may be there, each with its owner. */
static HeaderSlot *
get_slot (Reader *r)
{
  guint code = (guint) get_be (r, 1);
  gint64 staff_id = (gint64) get_be (r, 8);
  guint64 opslimit = get_be (r, 8);
  guint64 memlimit = get_be (r, 8);
  const guint8 *salt = get_bytes (r, DC_SALT_BYTES);
  const guint8 *nonce = get_bytes (r, DC_NONCE_BYTES);
  gsize wrapped_len = get_be (r, 2);
  const guint8 *wrapped = get_bytes (r, wrapped_len);
  HeaderSlot *hs;

  if (!r->ok || wrapped_len != WRAPPED_BYTES
      || !((code == SLOT_RECOVERY && staff_id == 0) || (code == SLOT_PASSPHRASE && staff_id > 0)))
    {
      r->ok = FALSE;
      return NULL;
    }
  hs = g_new0 (HeaderSlot, 1);
  hs->staff_id = staff_id;
  hs->slot = g_new0 (DcKeySlot, 1);
  hs->slot->kind = code == SLOT_RECOVERY ? DC_SLOT_RECOVERY : DC_SLOT_PASSPHRASE;
  hs->slot->opslimit = opslimit;
  hs->slot->memlimit = memlimit;
  memcpy (hs->slot->salt, salt, DC_SALT_BYTES);
  memcpy (hs->slot->nonce, nonce, DC_NONCE_BYTES);
  hs->slot->wrapped = g_bytes_new (wrapped, wrapped_len);
  return hs;
}

/* At least one slot, at most one of them the recovery slot. */
static gboolean
get_slots (Reader *r, GPtrArray *slots)
{
  guint n = (guint) get_be (r, 1);
  guint recovery = 0;

  for (guint i = 0; r->ok && i < n; i++)
    {
      HeaderSlot *hs = get_slot (r);

      if (hs == NULL)
        return FALSE;
      recovery += hs->slot->kind == DC_SLOT_RECOVERY;
      g_ptr_array_add (slots, hs);
    }
  return r->ok && n > 0 && recovery <= 1;
}

/* Everything after the fixed part; @h->raw holds the whole header. */
static gboolean
header_parse (Header *h, const char *path, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (h->raw, &len);
  Reader r = { data + FIXED_BYTES, len - FIXED_BYTES, TRUE };
  gsize sealed_len = 0;
  const guint8 *box_pk, *sign_pk, *sealed = NULL, *stream = NULL;
  gboolean slots_ok;

  h->chunk_bytes = (guint32) get_be (&r, 4);
  h->uuid = get_string (&r);
  h->name = get_string (&r);
  h->created_at = (gint64) get_be (&r, 8);
  box_pk = get_bytes (&r, DC_KEY_BYTES);
  sign_pk = get_bytes (&r, DC_SIGN_PK_BYTES);
  h->slots = header_slots_new ();
  slots_ok = r.ok && get_slots (&r, h->slots);
  if (slots_ok)
    {
      sealed_len = get_be (&r, 2);
      sealed = get_bytes (&r, sealed_len);
      stream = get_bytes (&r, STREAM_BYTES);
    }
  if (!slots_ok || !r.ok || r.left != 0 || h->chunk_bytes != CHUNK_BYTES || !g_uuid_string_is_valid (h->uuid)
      || sealed_len != SEALED_BYTES)
    return header_damaged (path, error);
  memcpy (h->box_pk, box_pk, DC_KEY_BYTES);
  memcpy (h->sign_pk, sign_pk, DC_SIGN_PK_BYTES);
  h->sealed_key = g_bytes_new (sealed, sealed_len);
  memcpy (h->stream_header, stream, STREAM_BYTES);
  return TRUE;
}

/* Read and parse the header at the start of @fd, leaving @fd at the first chunk. */
static gboolean
header_read (int fd, const char *path, Header *h, GError **error)
{
  guint8 fixed[FIXED_BYTES];
  g_autofree guint8 *buf = NULL;
  gssize n = read_full (fd, fixed, FIXED_BYTES, path, error);
  guint version;
  gsize len;

  if (n < 0)
    return FALSE;
  if (n < MAGIC_LEN || memcmp (fixed, MAGIC, MAGIC_LEN) != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("%s is not a Daicho backup."), path);
      return FALSE;
    }
  if (n < FIXED_BYTES)
    return header_damaged (path, error);
  version = ((guint) fixed[MAGIC_LEN] << 8) | fixed[MAGIC_LEN + 1];
  if (version > FORMAT_VERSION)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("The backup %s was made by a newer version of Daicho (format %u): "
                     "install it to restore this backup."),
                   path, version);
      return FALSE;
    }
  len = ((gsize) fixed[MAGIC_LEN + 2] << 24) | ((gsize) fixed[MAGIC_LEN + 3] << 16)
        | ((gsize) fixed[MAGIC_LEN + 4] << 8) | fixed[MAGIC_LEN + 5];
  /* format 1 never left the test bench: it could not be opened without the store */
  if (version != 0 && version < FORMAT_VERSION)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("The backup %s is in format %u, which this version of Daicho cannot read."), path, version);
      return FALSE;
    }
  if (version != FORMAT_VERSION || len <= FIXED_BYTES || len > MAX_HEADER)
    return header_damaged (path, error);
  buf = g_malloc (len);
  memcpy (buf, fixed, FIXED_BYTES);
  n = read_full (fd, buf + FIXED_BYTES, len - FIXED_BYTES, path, error);
  if (n < 0)
    return FALSE;
  if ((gsize) n != len - FIXED_BYTES)
    return header_damaged (path, error);
  h->raw = g_bytes_new_take (g_steal_pointer (&buf), len);
  return header_parse (h, path, error);
}

gboolean
dc_backup_inspect (const char *path, DcBackupInfo *info, GError **error)
{
  Header h = { 0 };
  gint64 size = 0;
  int fd = open_read (path, &size, error);
  gboolean ok;

  memset (info, 0, sizeof *info);
  if (fd < 0)
    return FALSE;
  ok = header_read (fd, path, &h, error);
  close (fd);
  if (ok)
    {
      info->path = g_strdup (path);
      info->store_uuid = g_steal_pointer (&h.uuid);
      info->store_name = g_steal_pointer (&h.name);
      info->created_at = h.created_at;
      info->size = size;
      for (guint i = 0; i < h.slots->len; i++)
        {
          const HeaderSlot *hs = g_ptr_array_index (h.slots, i);

          if (hs->slot->kind == DC_SLOT_RECOVERY)
            info->recovery_slot = TRUE;
          else
            info->manager_slots++;
        }
    }
  header_clear (&h);
  return ok;
}

/* ---- create ---- */

/* A work folder left by a backup that crashed holds a whole copy of the database: remove
 * it, so that purged rows do not outlive the purge there. A live backup holds its lock. */
static void
sweep_work_dirs (const char *store_dir)
{
  g_autoptr(GDir) dir = g_dir_open (store_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *lock = NULL;
      int fd;

      if (!g_str_has_prefix (name, WORK_PREFIX))
        continue;
      path = g_build_filename (store_dir, name, NULL);
      lock = g_build_filename (path, WORK_LOCK, NULL);
      fd = g_open (lock, O_RDONLY | O_CLOEXEC, 0);
      if (fd >= 0 && flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          close (fd);
          continue;
        }
      dc_file_remove_flat_dir (path);
      if (fd >= 0)
        close (fd);
    }
}

/* A private folder beside the database, locked while this backup uses it. */
static char *
make_work_dir (DcStore *store, int *out_lock, GError **error)
{
  g_autofree char *path = g_build_filename (dc_store_dir (store), WORK_PREFIX "XXXXXX", NULL);
  g_autofree char *lock = NULL;
  int fd;

  if (g_mkdtemp_full (path, 0700) == NULL)
    {
      dc_file_set_error (error, errno, _("Cannot create a temporary folder in %s"), dc_store_dir (store));
      return NULL;
    }
  lock = g_build_filename (path, WORK_LOCK, NULL);
  fd = g_open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX) != 0)
    {
      dc_file_set_error (error, errno, _("Cannot create %s"), lock);
      if (fd >= 0)
        close (fd);
      dc_file_remove_flat_dir (path);
      return NULL;
    }
  *out_lock = fd;
  return g_steal_pointer (&path);
}

/* The final name (store time, so the manager recognises it) and its temporary twin. */
static gboolean
pick_names (DcStore *store, const char *dir, gint64 now, char **out_final, char **out_tmp, GError **error)
{
  g_autofree char *when = stamp (now, dc_store_timezone (store));
  g_autofree char *uuid8 = g_strndup (dc_store_uuid (store), 8);

  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *base = i == 1 ? g_strdup_printf ("daicho-%s-%s", uuid8, when)
                                     : g_strdup_printf ("daicho-%s-%s-%u", uuid8, when, i);
      g_autofree char *name = g_strconcat (base, DC_BACKUP_SUFFIX, NULL);
      g_autofree char *tmp_name = g_strconcat (".", name, ".tmp", NULL);
      g_autofree char *final = g_build_filename (dir, name, NULL);
      g_autofree char *tmp = g_build_filename (dir, tmp_name, NULL);

      if (!g_file_test (final, G_FILE_TEST_EXISTS) && !g_file_test (tmp, G_FILE_TEST_EXISTS))
        {
          *out_final = g_steal_pointer (&final);
          *out_tmp = g_steal_pointer (&tmp);
          return TRUE;
        }
    }
  g_set_error (error, DC_ERROR, DC_ERROR_EXISTS, _("Too many backups in %s within one second."), dir);
  return FALSE;
}

/* A fresh file key, sealed to the store's public key: the key itself never leaves
 * secure memory, and only a master-key vault can open the seal. */
static gboolean
stream_start (DcStore *store, gint64 now, StreamState *state, Header *h, GError **error)
{
  guint8 *key = dc_secure_alloc (KEY_BYTES);
  g_autoptr(GBytes) plain_key = g_bytes_new_static (key, KEY_BYTES);

  crypto_secretstream_xchacha20poly1305_keygen (key);
  crypto_secretstream_xchacha20poly1305_init_push (state, h->stream_header, key);
  h->sealed_key = dc_seal (h->box_pk, plain_key);
  g_clear_pointer (&plain_key, g_bytes_unref);
  sodium_free (key);

  h->chunk_bytes = CHUNK_BYTES;
  h->uuid = g_strdup (dc_store_uuid (store));
  h->name = g_strdup (dc_store_name (store));
  h->created_at = now;
  h->raw = header_encode (h, error);
  return h->raw != NULL;
}

static gboolean
encrypt_chunks (StreamState *state, const Header *h, int in, gint64 size, const char *copy, int out,
                const char *tmp, GError **error)
{
  g_autofree guint8 *plain = g_malloc (CHUNK_BYTES);
  g_autofree guint8 *cipher = g_malloc (CHUNK_BYTES + MAC_BYTES);
  gsize ad_len = 0;
  const guint8 *ad = g_bytes_get_data (h->raw, &ad_len);
  gint64 done = 0;

  do
    {
      gsize want = (gsize) MIN ((gint64) CHUNK_BYTES, size - done);
      unsigned long long cipher_len = 0;
      guint8 tag;
      gssize n = read_full (in, plain, want, copy, error);

      if (n < 0)
        return FALSE;
      if ((gsize) n != want)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_IO, _("The copy %s changed while it was read."), copy);
          return FALSE;
        }
      done += n;
      tag = done == size ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                         : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      crypto_secretstream_xchacha20poly1305_push (state, cipher, &cipher_len, plain, want, ad, ad_len, tag);
      if (!dc_file_write_full (out, cipher, (gsize) cipher_len, tmp, error))
        return FALSE;
      ad = NULL;   /* the header is bound once; the stream chains every later chunk to it */
      ad_len = 0;
    }
  while (done < size);
  return TRUE;
}

/* A slot row of daicho.db as the vault knows it; NULL when it is malformed. */
static DcKeySlot *
slot_from_row (const DcKeySlotRow *row)
{
  DcKeySlot *slot;

  if (g_bytes_get_size (row->salt) != DC_SALT_BYTES || g_bytes_get_size (row->nonce) != DC_NONCE_BYTES
      || (!g_str_equal (row->kind, "recovery") && !g_str_equal (row->kind, "passphrase")))
    return NULL;
  slot = g_new0 (DcKeySlot, 1);
  slot->kind = g_str_equal (row->kind, "recovery") ? DC_SLOT_RECOVERY : DC_SLOT_PASSPHRASE;
  slot->opslimit = (guint64) row->opslimit;
  slot->memlimit = (guint64) row->memlimit;
  memcpy (slot->salt, g_bytes_get_data (row->salt, NULL), DC_SALT_BYTES);
  memcpy (slot->nonce, g_bytes_get_data (row->nonce, NULL), DC_NONCE_BYTES);
  slot->wrapped = g_bytes_ref (row->wrapped);
  return slot;
}

static gboolean
same_slot (const DcKeySlot *a, const DcKeySlot *b)
{
  return a->kind == b->kind && a->opslimit == b->opslimit && a->memlimit == b->memlimit
         && memcmp (a->salt, b->salt, DC_SALT_BYTES) == 0 && memcmp (a->nonce, b->nonce, DC_NONCE_BYTES) == 0
         && g_bytes_equal (a->wrapped, b->wrapped);
}

/* The public keys and the slots that open the store, from the copy itself, so that the
 * header says what the database in the backup says. */
static gboolean
read_opening_keys (DcStore *store, const char *copy, Header *h, GError **error)
{
  DcDbFileKeys keys = { 0 };
  GError *local = NULL;
  gboolean recovery = FALSE;

  if (!dc_db_file_keys (copy, &keys, &local))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("The copy of the database cannot be read: %s"), local->message);
      g_error_free (local);
      return FALSE;
    }
  memcpy (h->box_pk, keys.box_pk, DC_KEY_BYTES);
  memcpy (h->sign_pk, keys.sign_pk, DC_SIGN_PK_BYTES);
  h->slots = header_slots_new ();
  for (guint i = 0; i < keys.slots->len; i++)
    {
      const DcKeySlotRow *row = &g_array_index (keys.slots, DcKeySlotRow, i);
      HeaderSlot *hs = g_new0 (HeaderSlot, 1);

      hs->staff_id = row->staff_id;
      hs->slot = slot_from_row (row);
      g_ptr_array_add (h->slots, hs);
      if (hs->slot == NULL || g_bytes_get_size (hs->slot->wrapped) != WRAPPED_BYTES)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("A key slot is damaged or was altered."));
          dc_db_file_keys_clear (&keys);
          return FALSE;
        }
      recovery = recovery || hs->slot->kind == DC_SLOT_RECOVERY;
    }
  dc_db_file_keys_clear (&keys);
  if (sodium_memcmp (h->box_pk, dc_store_box_pk (store), DC_KEY_BYTES) != 0
      || sodium_memcmp (h->sign_pk, dc_store_sign_pk (store), DC_SIGN_PK_BYTES) != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_TAMPERED,
                   _("The store's keys in the database are not the ones it was opened with: it was altered."));
      return FALSE;
    }
  /* without it, a backup would open only while the store still does */
  if (!recovery)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("This store has no recovery key."));
      return FALSE;
    }
  return TRUE;
}

/* Encrypt the copy into @tmp (created here, removed on failure) and sync it. @h holds the
 * keys and slots; the rest of it is filled here. */
static gboolean
write_encrypted (DcStore *store, const char *copy, const char *tmp, gint64 now, Header *h, GError **error)
{
  StreamState *state = dc_secure_alloc (sizeof *state);
  gint64 size = 0;
  int in = open_read (copy, &size, error);
  int out = -1;
  gboolean ok = FALSE;

  if (in >= 0)
    {
      out = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (out < 0)
        dc_file_set_error (error, errno, _("Cannot create %s"), tmp);
    }
  if (out >= 0)
    {
      ok = stream_start (store, now, state, h, error)
           && dc_file_write_full (out, g_bytes_get_data (h->raw, NULL), g_bytes_get_size (h->raw), tmp, error)
           && encrypt_chunks (state, h, in, size, copy, out, tmp, error);
      if (!dc_file_sync_and_close (out, tmp, ok ? error : NULL))
        ok = FALSE;
      if (!ok)
        g_unlink (tmp);
    }
  if (in >= 0)
    close (in);
  sodium_free (state);
  return ok;
}

static gboolean
record_backup_once (DcStore *store, gint64 at, const char *path, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *at_text = g_strdup_printf ("%" G_GINT64_FORMAT, at);
  gint64 at_id = 0, path_id = 0;

  if (!dc_db_begin (db, error))
    return FALSE;
  if (!dc_db_setting_set (db, SETTING_LAST_AT, at_text, &at_id, error)
      || !dc_db_setting_set (db, SETTING_LAST_PATH, path, &path_id, error)
      || !dc_audit_row (store, 0, "backup", "settings", at_id, error)
      || !dc_audit_row (store, 0, "backup", "settings", path_id, error)
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/* The file is complete by now: a counter holding the write lock through the busy timeout
 * must not make the timer's backup report failure, so try a few more times. */
static gboolean
record_backup (DcStore *store, gint64 at, const char *path, GError **error)
{
  for (guint attempt = 1;; attempt++)
    {
      GError *local = NULL;

      if (record_backup_once (store, at, path, &local))
        return TRUE;
      if (attempt >= RECORD_ATTEMPTS || !g_error_matches (local, DC_DB_ERROR, DC_DB_ERROR_BUSY))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      g_error_free (local);
      g_usleep (RECORD_PAUSE_USEC);
    }
}

char *
dc_backup_create (DcStore *store, const char *dir, GError **error)
{
  gint64 now = dc_store_now (store);
  g_autofree char *target = NULL;
  g_autofree char *work = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *final = NULL;
  g_autofree char *tmp = NULL;
  Header h = { 0 };
  int lock = -1;
  gboolean ok;

  g_return_val_if_fail (store != NULL && dir != NULL, NULL);

  target = g_canonicalize_filename (dir, NULL);
  if (g_mkdir_with_parents (target, 0700) != 0)
    {
      dc_file_set_error (error, errno, _("Cannot create the folder %s"), target);
      return NULL;
    }
  sweep_work_dirs (dc_store_dir (store));
  work = make_work_dir (store, &lock, error);
  if (work == NULL)
    return NULL;
  copy = g_build_filename (work, "copy.db", NULL);
  ok = dc_db_backup_copy (dc_db_path (dc_store_db (store)), copy, error)
       && read_opening_keys (store, copy, &h, error)
       && pick_names (store, target, now, &final, &tmp, error)
       && write_encrypted (store, copy, tmp, now, &h, error);
  /* the copy goes on every path, before anything else can fail */
  dc_file_remove_flat_dir (work);
  close (lock);
  header_clear (&h);
  if (!ok)
    return NULL;
  if (g_rename (tmp, final) != 0)
    {
      dc_file_set_error (error, errno, _("Cannot write %s"), final);
      g_unlink (tmp);
      return NULL;
    }
  if (!dc_file_sync_dir (target, error))
    return NULL;
  if (!record_backup (store, now, final, error))
    {
      g_prefix_error (error, _("The backup %s is complete, but it could not be recorded: "), final);
      return NULL;
    }
  return g_steal_pointer (&final);
}

gboolean
dc_backup_last (DcStore *store, gint64 *out_at, char **out_path, GError **error)
{
  DcDb *db = dc_store_db (store);
  GError *local = NULL;
  g_autofree char *at_text = dc_db_setting_get (db, SETTING_LAST_AT, &local);
  g_autofree char *path = NULL;

  if (local == NULL && out_path != NULL)
    path = dc_db_setting_get (db, SETTING_LAST_PATH, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (out_at != NULL)
    *out_at = at_text != NULL ? g_ascii_strtoll (at_text, NULL, 10) : 0;
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return TRUE;
}

/* ---- list and rotate ---- */

static gint
newest_first (gconstpointer a, gconstpointer b)
{
  const DcBackupInfo *x = a, *y = b;

  if (x->created_at != y->created_at)
    return x->created_at < y->created_at ? 1 : -1;
  return -g_strcmp0 (x->path, y->path);
}

GArray *
dc_backup_list (DcStore *store, const char *dir, GError **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (DcBackupInfo));
  g_autoptr(GDir) folder = NULL;
  GError *local = NULL;
  const char *name;

  g_array_set_clear_func (list, (GDestroyNotify) dc_backup_info_clear);
  folder = g_dir_open (dir, 0, &local);
  if (folder == NULL)
    {
      /* no folder yet: no backups yet */
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_error_free (local);
          return g_steal_pointer (&list);
        }
      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("Cannot read the folder %s: %s"), dir, local->message);
      g_error_free (local);
      return NULL;
    }
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;
      DcBackupInfo info;

      if (name[0] == '.' || !g_str_has_suffix (name, DC_BACKUP_SUFFIX))
        continue;
      path = g_build_filename (dir, name, NULL);
      /* another store's backup, or a file that is not one: not ours to list */
      if (!dc_backup_inspect (path, &info, NULL))
        continue;
      if (g_strcmp0 (info.store_uuid, dc_store_uuid (store)) == 0)
        g_array_append_val (list, info);
      else
        dc_backup_info_clear (&info);
    }
  g_array_sort (list, newest_first);
  return g_steal_pointer (&list);
}

/* Half-written backups of this store that a crash left behind (the name says whose). */
static void
sweep_stale_tmp (DcStore *store, const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strdup_printf (".daicho-%.8s-", dc_store_uuid (store));
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, DC_BACKUP_SUFFIX ".tmp"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode)
          && (gint64) st.st_mtime * G_USEC_PER_SEC < g_get_real_time () - STALE_TMP_USEC)
        g_unlink (path);
    }
}

gboolean
dc_backup_rotate (DcStore *store, const char *dir, guint *out_deleted, GError **error)
{
  gint64 keep_days = dc_store_get_setting (store, DC_SETTING_BACKUP_KEEP_DAYS);
  gint64 cutoff = dc_store_now (store) - keep_days * 24 * 60 * 60 * G_USEC_PER_SEC;
  g_autoptr(GArray) list = dc_backup_list (store, dir, error);
  guint deleted = 0;

  if (out_deleted != NULL)
    *out_deleted = 0;
  if (list == NULL)
    return FALSE;
  /* index 0 is the newest: it stays whatever its age, so a store always has one backup */
  for (guint i = 1; i < list->len; i++)
    {
      const DcBackupInfo *info = &g_array_index (list, DcBackupInfo, i);

      if (info->created_at >= cutoff)
        continue;
      if (g_unlink (info->path) != 0)
        {
          dc_file_set_error (error, errno, _("Cannot delete the old backup %s"), info->path);
          if (out_deleted != NULL)
            *out_deleted = deleted;
          return FALSE;
        }
      deleted++;
    }
  sweep_stale_tmp (store, dir);
  if (out_deleted != NULL)
    *out_deleted = deleted;
  return TRUE;
}

/* ---- restore ---- */

static gboolean
open_file_key (const DcVault *vault, const Header *h, const char *path, GBytes **out_key, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) key = dc_vault_open_sealed (vault, h->sealed_key, &local);

  if (key == NULL || g_bytes_get_size (key) != KEY_BYTES)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                   _("The key of the backup %s does not open with this store's key: the file was altered."), path);
      return FALSE;
    }
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

static gboolean
stream_damaged (const char *path, guint part, GError **error)
{
  g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
               _("The backup %s is damaged, altered or cut short: part %u does not authenticate. "
                 "Nothing was restored."),
               path, part);
  return FALSE;
}

/* Every chunk, in order, authenticated, up to the final mark and no further. */
static gboolean
decrypt_chunks (StreamState *state, const Header *h, int in, const char *path, int out, const char *out_path,
                GError **error)
{
  g_autofree guint8 *cipher = g_malloc (CHUNK_BYTES + MAC_BYTES);
  g_autofree guint8 *plain = g_malloc (CHUNK_BYTES);
  gsize ad_len = 0;
  const guint8 *ad = g_bytes_get_data (h->raw, &ad_len);
  gboolean final = FALSE;

  for (guint part = 1;; part++)
    {
      gssize n = read_full (in, cipher, CHUNK_BYTES + MAC_BYTES, path, error);
      unsigned long long plain_len = 0;
      guint8 tag = 0;

      if (n < 0)
        return FALSE;
      if (n == 0 && final)
        return TRUE;
      if (final)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                       _("The backup %s has data after its end: it was altered. Nothing was restored."), path);
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                       _("The backup %s is incomplete: it ends before its last part. Nothing was restored."), path);
          return FALSE;
        }
      if (crypto_secretstream_xchacha20poly1305_pull (state, plain, &plain_len, &tag, cipher, (unsigned long long) n,
                                                      ad, ad_len) != 0)
        return stream_damaged (path, part, error);
      /* only the writer's two tags, and a short chunk only at the end */
      if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        final = TRUE;
      else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE || plain_len != CHUNK_BYTES)
        return stream_damaged (path, part, error);
      if (!dc_file_write_full (out, plain, (gsize) plain_len, out_path, error))
        return FALSE;
      ad = NULL;
      ad_len = 0;
    }
}

static gboolean
decrypt_to (const Header *h, GBytes *key, int in, const char *path, int out, const char *out_path, GError **error)
{
  StreamState *state = dc_secure_alloc (sizeof *state);
  gboolean ok;

  if (crypto_secretstream_xchacha20poly1305_init_pull (state, h->stream_header, g_bytes_get_data (key, NULL)) != 0)
    ok = header_damaged (path, error);
  else
    ok = decrypt_chunks (state, h, in, path, out, out_path, error);
  sodium_free (state);
  return ok;
}

/* What the decrypted database must be to take a store's place. */
typedef struct {
  const char       *uuid;
  const guint8     *box_pk;
  const guint8     *sign_pk;
  const HeaderSlot *opened_with;   /* the header's slot that opened the file; NULL in place */
} Expect;

static gboolean
file_has_slot (const DcDbFileKeys *keys, const HeaderSlot *hs)
{
  for (guint i = 0; i < keys->slots->len; i++)
    {
      const DcKeySlotRow *row = &g_array_index (keys->slots, DcKeySlotRow, i);
      g_autoptr(DcKeySlot) slot = slot_from_row (row);

      if (slot != NULL && row->staff_id == hs->staff_id && same_slot (slot, hs->slot))
        return TRUE;
    }
  return FALSE;
}

/* The database holds the keys it is expected to, and the slot that opened the backup is
 * one of its own: then secret, slot, master key, public keys and records are one store. */
static gboolean
check_unpacked_keys (const Expect *e, const char *unpacked, const char *path, GError **error)
{
  DcDbFileKeys keys = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean ok = FALSE;

  if (!dc_db_file_keys (unpacked, &keys, &local))
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("The database in the backup %s has no store keys. Nothing was restored."), path);
  else if (sodium_memcmp (keys.box_pk, e->box_pk, DC_KEY_BYTES) != 0
           || sodium_memcmp (keys.sign_pk, e->sign_pk, DC_SIGN_PK_BYTES) != 0)
    g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                 _("The database in the backup %s does not hold its store's keys: it was altered. "
                   "Nothing was restored."), path);
  else if (e->opened_with != NULL && !file_has_slot (&keys, e->opened_with))
    g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                 _("The key that opened the backup %s is not one of its database's keys: it was altered. "
                   "Nothing was restored."), path);
  else
    ok = TRUE;
  dc_db_file_keys_clear (&keys);
  return ok;
}

/* The decrypted file is a database of the expected store that SQLite finds sound. */
static gboolean
check_unpacked (const Expect *e, const char *unpacked, const char *path, GError **error)
{
  DcDbFileFacts facts = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean ok = FALSE;

  /* SQLite's words name the temporary file, which is gone by the time anyone reads this */
  if (!dc_db_file_facts (unpacked, &facts, &local))
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("The database in the backup %s is damaged or is not a database. Nothing was restored."), path);
  else if (facts.application_id != DC_DB_APPLICATION_ID)
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The backup %s does not hold a Daicho database."), path);
  else if (facts.user_version > DC_DB_SCHEMA_VERSION)
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("The backup %s was made by a newer version of Daicho: install it to restore this backup."), path);
  else if (facts.integrity != NULL)
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("The database in the backup %s is damaged (%s). Nothing was restored."), path, facts.integrity);
  else if (g_strcmp0 (facts.store_uuid, e->uuid) != 0)
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("The database in the backup %s belongs to another store. Nothing was restored."), path);
  else
    ok = check_unpacked_keys (e, unpacked, path, error);
  dc_db_file_facts_clear (&facts);
  return ok;
}

/* Decrypt the rest of @in into a new private file in @dir and check it: its path, or NULL
 * with nothing left behind. */
static char *
unpack_to (const Header *h, GBytes *key, int in, const char *path, const char *dir, const Expect *e,
           GError **error)
{
  g_autofree char *out_path = g_build_filename (dir, DC_STORE_DB_NAME ".restore-XXXXXX", NULL);
  int out = g_mkstemp_full (out_path, O_RDWR | O_CLOEXEC, 0600);
  gboolean ok;

  if (out < 0)
    {
      dc_file_set_error (error, errno, _("Cannot create %s"), out_path);
      return NULL;
    }
  ok = decrypt_to (h, key, in, path, out, out_path, error);
  ok = dc_file_sync_and_close (out, out_path, ok ? error : NULL) && ok;
  ok = ok && check_unpacked (e, out_path, path, error);
  if (!ok)
    {
      g_unlink (out_path);
      return NULL;
    }
  return g_steal_pointer (&out_path);
}

static gboolean
check_header_store (DcStore *store, const Header *h, const char *path, GError **error)
{
  if (g_strcmp0 (h->uuid, dc_store_uuid (store)) != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("The backup %s belongs to another store (“%s”): it cannot be restored here."), path, h->name);
      return FALSE;
    }
  if (sodium_memcmp (h->box_pk, dc_store_box_pk (store), DC_KEY_BYTES) != 0
      || sodium_memcmp (h->sign_pk, dc_store_sign_pk (store), DC_SIGN_PK_BYTES) != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                   _("The keys in the backup %s are not this store's keys: the file was altered."), path);
      return FALSE;
    }
  return TRUE;
}

char *
dc_backup_unpack (DcStore *store, DcActor *manager, const char *path, GError **error)
{
  Header h = { 0 };
  g_autoptr(GBytes) key = NULL;
  char *out_path = NULL;
  int in;

  g_return_val_if_fail (store != NULL && path != NULL, NULL);

  if (manager == NULL || !dc_actor_is_manager (manager))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
                   _("Only a manager signed in with a passphrase or the recovery key can restore a backup."));
      return NULL;
    }
  in = open_read (path, NULL, error);
  if (in < 0)
    return NULL;
  if (header_read (in, path, &h, error)
      && check_header_store (store, &h, path, error)
      && open_file_key (dc_actor_vault (manager), &h, path, &key, error))
    {
      Expect e = { dc_store_uuid (store), dc_store_box_pk (store), dc_store_sign_pk (store), NULL };

      out_path = unpack_to (&h, key, in, path, dc_store_dir (store), &e, error);
    }
  close (in);
  header_clear (&h);
  return out_path;
}

/* ---- restore without the store ---- */

/* The "restore" entry and a checkpoint signed with the master key: the restored chain's
 * head is vouched for from the first moment. */
static gboolean
note_restore (DcStore *store, const DcVault *vault, gint64 staff_id, GError **error)
{
  DcDb *db = dc_store_db (store);

  if (!dc_db_begin (db, error))
    return FALSE;
  if (!dc_audit_event (store, staff_id, "restore", error)
      || !dc_audit_checkpoint (store, vault, error)
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_backup_record_restore (DcStore *store, const DcVault *vault, const char *manager_name, GError **error)
{
  DcStaffRow row = { 0 };
  gboolean found = FALSE;
  gint64 staff_id = 0;

  g_return_val_if_fail (store != NULL && vault != NULL, FALSE);

  if (!dc_vault_has_master (vault) || !dc_vault_matches (vault, dc_store_box_pk (store), dc_store_sign_pk (store)))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("This key does not belong to the restored store."));
      return FALSE;
    }
  if (manager_name != NULL && !dc_db_staff_find (dc_store_db (store), manager_name, &row, &found, error))
    return FALSE;
  if (found && g_str_equal (row.role, "manager"))
    staff_id = row.id;
  if (found)
    dc_staff_row_clear (&row);
  return note_restore (store, vault, staff_id, error);
}

/* @dir may hold nothing: a restore never mixes with files it did not write. */
static gboolean
check_target_free (const char *dir, GError **error)
{
  g_autofree char *db = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  g_autoptr(GDir) folder = NULL;

  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    return TRUE;
  if (g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_EXISTS, _("There is already a store in %s: nothing was changed."), dir);
      return FALSE;
    }
  folder = g_dir_open (dir, 0, NULL);
  if (folder == NULL || g_dir_read_name (folder) != NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_EXISTS,
                   _("%s is not an empty folder: restore into a new or empty folder."), dir);
      return FALSE;
    }
  return TRUE;
}

static const char *
slot_kind_word (DcSlotKind kind)
{
  return kind == DC_SLOT_RECOVERY ? _("the recovery key") : _("a manager's passphrase");
}

/* Try each slot of @kind (no names in the header: a passphrase is tried on every
 * manager's slot). A secret that opens none → DC_ERROR_WRONG_SECRET. */
static DcVault *
unlock_header (const Header *h, DcSlotKind kind, const char *secret, const HeaderSlot **out_opened,
               const char *path, GError **error)
{
  GError *first = NULL;
  guint tried = 0;

  for (guint i = 0; i < h->slots->len; i++)
    {
      const HeaderSlot *hs = g_ptr_array_index (h->slots, i);
      GError *local = NULL;
      DcVault *vault;

      if (hs->slot->kind != kind)
        continue;
      tried++;
      vault = dc_vault_unlock (hs->slot, secret, &local);
      if (vault != NULL)
        {
          g_clear_error (&first);
          *out_opened = hs;
          return vault;
        }
      /* a slot that was altered says so, unless another slot opens */
      if (first == NULL || (g_error_matches (first, DC_ERROR, DC_ERROR_WRONG_SECRET)
                            && !g_error_matches (local, DC_ERROR, DC_ERROR_WRONG_SECRET)))
        {
          g_clear_error (&first);
          first = local;
        }
      else
        g_error_free (local);
    }
  if (tried == 0)
    g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("The backup %s cannot be opened with %s."), path,
                 slot_kind_word (kind));
  else
    g_propagate_error (error, first);
  return NULL;
}

/* Everything up to a checked database file in @target_dir (created when missing). */
static char *
restore_unpack_new (const char *path, const char *target_dir, DcSlotKind with, const char *secret,
                    Header *h, DcVault **out_vault, const HeaderSlot **out_opened, gboolean *made_dir,
                    GError **error)
{
  g_autoptr(DcVault) vault = NULL;
  g_autoptr(GBytes) key = NULL;
  char *unpacked = NULL;
  int in = open_read (path, NULL, error);

  if (in < 0)
    return NULL;
  if (!header_read (in, path, h, error)
      || (vault = unlock_header (h, with, secret, out_opened, path, error)) == NULL)
    goto out;
  if (!dc_vault_matches (vault, h->box_pk, h->sign_pk))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                   _("The key slots of the backup %s do not belong to its keys: it was altered. Nothing was restored."),
                   path);
      goto out;
    }
  if (!open_file_key (vault, h, path, &key, error))
    goto out;
  *made_dir = !g_file_test (target_dir, G_FILE_TEST_EXISTS);
  if (g_mkdir_with_parents (target_dir, 0700) != 0)
    {
      dc_file_set_error (error, errno, _("Cannot create the folder %s"), target_dir);
      *made_dir = FALSE;
      goto out;
    }
  {
    Expect e = { h->uuid, h->box_pk, h->sign_pk, *out_opened };

    unpacked = unpack_to (h, key, in, path, target_dir, &e, error);
  }
  if (unpacked != NULL)
    *out_vault = g_steal_pointer (&vault);
out:
  close (in);
  return unpacked;
}

/* The manager whose passphrase opened the backup is the one named, and still a manager
 * in the restored store. */
static gboolean
check_restorer (DcStore *store, const HeaderSlot *opened, const char *staff_name, GError **error)
{
  DcStaffRow row = { 0 };
  gboolean found = FALSE, ok;

  if (opened->slot->kind == DC_SLOT_RECOVERY)
    return TRUE;
  if (!dc_db_staff_get (dc_store_db (store), opened->staff_id, &row, &found, error))
    return FALSE;
  ok = found && row.active && g_strcmp0 (row.role, "manager") == 0 && g_strcmp0 (row.name, staff_name) == 0;
  if (found)
    dc_staff_row_clear (&row);
  if (!ok)
    g_set_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET, _("Wrong passphrase."));
  return ok;
}

static void
remove_restored (const char *target_dir, const char *unpacked, gboolean made_dir)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (unpacked != NULL)
    g_unlink (unpacked);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (target_dir, G_DIR_SEPARATOR_S, DC_STORE_DB_NAME, suffixes[i], NULL);

      g_unlink (file);
    }
  if (made_dir)
    g_rmdir (target_dir);
}

/* Put the checked file in place, open it, check who restores, and say so in its chain. */
static DcStore *
restore_place (const char *target_dir, const char *unpacked, const DcVault *vault, const HeaderSlot *opened,
               const char *staff_name, GError **error)
{
  g_autofree char *db = g_build_filename (target_dir, DC_STORE_DB_NAME, NULL);
  g_autoptr(DcStore) store = NULL;

  if (g_rename (unpacked, db) != 0)
    {
      dc_file_set_error (error, errno, _("Cannot put the restored database in place (%s)"), db);
      return NULL;
    }
  dc_file_sync_dir (target_dir, NULL);
  store = dc_store_open (target_dir, error);
  if (store == NULL || !check_restorer (store, opened, staff_name, error)
      || !note_restore (store, vault, opened->staff_id, error))
    return NULL;
  g_chmod (target_dir, 0700);
  return g_steal_pointer (&store);
}

DcStore *
dc_backup_restore_new (const char *path, const char *target_dir, DcSlotKind with, const char *staff_name,
                       const char *secret, GError **error)
{
  Header h = { 0 };
  g_autoptr(DcVault) vault = NULL;
  g_autofree char *unpacked = NULL;
  const HeaderSlot *opened = NULL;
  gboolean made_dir = FALSE;
  DcStore *store = NULL;

  g_return_val_if_fail (path != NULL && target_dir != NULL && secret != NULL, NULL);

  if (!dc_crypto_init ())
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The cryptography library could not start."));
      return NULL;
    }
  if (with != DC_SLOT_RECOVERY && with != DC_SLOT_PASSPHRASE)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
                   _("A PIN cannot restore a backup: use the recovery key or a manager's passphrase."));
      return NULL;
    }
  if (with == DC_SLOT_PASSPHRASE && (staff_name == NULL || *staff_name == '\0'))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Say which manager's passphrase this is."));
      return NULL;
    }
  if (!check_target_free (target_dir, error))
    return NULL;
  unpacked = restore_unpack_new (path, target_dir, with, secret, &h, &vault, &opened, &made_dir, error);
  if (unpacked != NULL)
    store = restore_place (target_dir, unpacked, vault, opened, staff_name, error);
  if (store == NULL && (unpacked != NULL || made_dir))
    remove_restored (target_dir, unpacked, made_dir);
  header_clear (&h);
  return store;
}

/* ---- install ---- */

/* The database and the files SQLite may keep beside it, moved together. */
static const char *const companions[] = { "", "-wal", "-shm", "-journal" };

#define ASIDE_INFIX ".before-restore-"

static char *
aside_name (const char *db_path)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *when = stamp (g_get_real_time (), tz);
  char *aside = g_strdup_printf ("%s" ASIDE_INFIX "%s", db_path, when);

  for (guint i = 2; g_file_test (aside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s" ASIDE_INFIX "%s-%u", db_path, when, i);
    }
  return aside;
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
dc_backup_set_aside (const char *store_dir)
{
  g_autoptr(GDir) dir = g_dir_open (store_dir, 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      gboolean companion = FALSE;

      if (!g_str_has_prefix (name, DC_STORE_DB_NAME ASIDE_INFIX))
        continue;
      for (guint i = 1; i < G_N_ELEMENTS (companions); i++)
        companion |= g_str_has_suffix (name, companions[i]);
      if (!companion)
        g_ptr_array_add (found, g_build_filename (store_dir, name, NULL));
    }
  /* the names carry the time they were set aside */
  g_ptr_array_sort (found, compare_paths);
  return found;
}

static void
move_back (const char *db_path, const char *aside, guint moved)
{
  for (guint i = moved; i > 0; i--)
    {
      g_autofree char *from = g_strconcat (aside, companions[i - 1], NULL);
      g_autofree char *to = g_strconcat (db_path, companions[i - 1], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
}

gboolean
dc_backup_install (const char *store_dir, const char *unpacked, char **out_aside, GError **error)
{
  g_autofree char *db_path = g_build_filename (store_dir, DC_STORE_DB_NAME, NULL);
  g_autofree char *aside = NULL;
  g_autoptr(GError) local = NULL;
  guint moved;

  if (!g_file_test (unpacked, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("The restored database %s is missing."), unpacked);
      return FALSE;
    }
  /* fold the WAL into the file so the one kept aside is whole; a damaged database (a
   * reason to restore) is moved aside as it is, only an open one stops the restore */
  if (g_file_test (db_path, G_FILE_TEST_EXISTS) && !dc_db_settle (db_path, &local)
      && g_error_matches (local, DC_DB_ERROR, DC_DB_ERROR_BUSY))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_IO,
                   _("The store is still open in another program: close every Daicho program, then restore."));
      return FALSE;
    }
  aside = aside_name (db_path);
  for (moved = 0; moved < G_N_ELEMENTS (companions); moved++)
    {
      g_autofree char *from = g_strconcat (db_path, companions[moved], NULL);
      g_autofree char *to = g_strconcat (aside, companions[moved], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
        {
          dc_file_set_error (error, errno, _("Cannot move the current database aside (%s)"), from);
          move_back (db_path, aside, moved);
          return FALSE;
        }
    }
  if (g_rename (unpacked, db_path) != 0)
    {
      dc_file_set_error (error, errno, _("Cannot put the restored database in place (%s)"), unpacked);
      move_back (db_path, aside, moved);
      return FALSE;
    }
  dc_file_sync_dir (store_dir, NULL);
  if (out_aside != NULL)
    *out_aside = g_steal_pointer (&aside);
  return TRUE;
}
