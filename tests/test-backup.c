/* tests/test-backup.c — backups: round trip, during check-ins, damaged or foreign files refused, rotation, install, restore without the store. */
#include "dc-backup.h"
#include "dc-checkin.h"
#include "dc-db-backup.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#define PASSPHRASE      "correct horse 台帳"
#define PIN             "4711"
#define COUNTER_PIN     "1234"
#define AKI_PASSPHRASE  "second manager, second phrase"
#define AKI_PIN         "8080"
#define AUD_PASSPHRASE  "the auditor reads only"
#define AUD_PIN         "9090"
#define STORE_NAME      "テスト店"
#define PERSON_NAME     "山田 太郎"
#define DOC_EXPIRY_YEAR 2040
/* the file format (app/dc-backup.c), as an attacker would learn it */
#define CHUNK           (64 * 1024)
#define CHUNK_ON_DISK   (CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES)
#define NAME_OFFSET     58   /* magic 8, version 2, length 4, chunk 4, uuid 2 + 36, name length 2 */
#define SEALED_BYTES    80   /* a 32-byte key sealed: crypto_box_SEALBYTES more */
#define CREATED_OFFSET  (NAME_OFFSET + sizeof STORE_NAME - 1)
#define KEYS_OFFSET     (CREATED_OFFSET + 8)     /* box public key, then sign public key */
#define SLOTS_OFFSET    (KEYS_OFFSET + 32 + 32)  /* u8 count, then the slots */
#define SLOT_BYTES      (1 + 8 + 8 + 8 + 16 + 24 + 2 + 48)
#define SLOT_OPS        (1 + 8)
#define SLOT_SALT       (1 + 8 + 8 + 8)
#define SLOT_WRAPPED    (SLOT_SALT + 16 + 24 + 2)
/* the tail of the header: u16 + sealed key, the stream header */
#define TAIL_BYTES      (2 + SEALED_BYTES + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define DAY             (G_GINT64_CONSTANT (24) * 60 * 60 * G_USEC_PER_SEC)

/* One store made once (Argon2 is slow) and copied for every case, and a second store with
 * its own keys and uuid, for foreign backups. */
typedef struct {
  DcTestTemplate base;
  DcStore       *other;
  char          *other_dir;
  DcActor       *manager_pin;     /* the manager, signed in by PIN: no master key */
  char          *recovery;        /* the template's recovery key */
  char          *other_recovery;  /* the other store's */
  DcActor       *other_manager;
} Env;

typedef struct {
  gint64 now;
} Clock;

/* ---- helpers ---- */

static void
env_ensure (Env *env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  DcStoreSetup setup = {
    .name = STORE_NAME, .operator_name = "株式会社テスト", .prefecture = "tokyo", .manager = "Hana",
  };
  DcStoreSetup other = {
    .name = "よその店", .operator_name = "株式会社よそ", .prefecture = "tokyo", .manager = "Jiro",
  };

  if (!dc_test_template_start (&env->base, "backup"))
    return;
  store = dc_test_store_create (env->base.dir, &setup, PASSPHRASE, PIN, &env->recovery);
  env->base.manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, env->base.manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_no_error (error);
  /* a second manager, whose slot a backup carries too, and an auditor, whose slot it never does */
  g_assert_true (dc_store_add_staff (store, env->base.manager, "Aki", "manager", AKI_PIN, AKI_PASSPHRASE, NULL,
                                     &error));
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, env->base.manager, "Aud", "auditor", AUD_PIN, AUD_PASSPHRASE, NULL,
                                     &error));
  g_assert_no_error (error);
  dc_test_add_terminals (store, env->base.manager, 4, FALSE);
  env->base.counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
  env->manager_pin = dc_store_sign_in_pin (store, "Hana", PIN, &error);
  g_assert_no_error (error);

  env->other_dir = g_build_filename (env->base.root, "other", NULL);
  env->other = dc_test_store_create (env->other_dir, &other, PASSPHRASE, PIN, &env->other_recovery);
  env->other_manager = dc_store_sign_in_passphrase (env->other, "Jiro", PASSPHRASE, &error);
  g_assert_no_error (error);
}

static void
env_clear (Env *env)
{
  g_clear_pointer (&env->other, dc_store_free);
  g_clear_pointer (&env->other_dir, g_free);
  g_clear_pointer (&env->manager_pin, dc_actor_free);
  g_clear_pointer (&env->other_manager, dc_actor_free);
  g_clear_pointer (&env->recovery, dc_secret_free);
  g_clear_pointer (&env->other_recovery, dc_secret_free);
  dc_test_template_clear (&env->base);
}

/* A fresh copy of the template, open; on @clock unless that is NULL. */
static DcStore *
fresh_store (Env *env, Clock *clock)
{
  g_autofree char *dir = NULL;
  DcStore *store;

  env_ensure (env);
  dir = dc_test_template_copy (&env->base);
  store = dc_test_store_open (dir);
  if (clock != NULL)
    dc_test_store_use_clock (store, &clock->now);
  return store;
}

/* A new path inside the test's temporary folder (not created). */
static char *
tmp_dir (Env *env, const char *what)
{
  return g_strdup_printf ("%s/%s-%u", env->base.root, what, ++env->base.copies);
}

/* The same person checks in on @terminal and out again, a minute later on a test clock. */
static gboolean
visit (DcStore *store, DcActor *counter, const char *terminal, gint64 *now, GError **error)
{
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  gboolean ok;

  dc_test_identity_fill (&request.identity, DOC_EXPIRY_YEAR);
  ok = dc_checkin (store, counter, &request, &result, error);
  dc_checkin_result_clear (&result);
  if (now != NULL)
    *now += G_TIME_SPAN_MINUTE;
  return ok && dc_checkout (store, counter, terminal, 0, DC_EXIT_STAFF, error);
}

static void
visits (DcStore *store, DcActor *counter, guint n, gint64 *now)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (visit (store, counter, "PC-01", now, &error));
      g_assert_no_error (error);
      if (now != NULL)
        *now += G_TIME_SPAN_MINUTE;
    }
}

static gint64
count (DcStore *store, const char *sql)
{
  return dc_test_sql_int (dc_db_handle (dc_store_db (store)), sql);
}

static char *digest_tables (DcStore *store, gboolean with_chain);

/* Every row of every table: equal digests mean the same records. */
static char *
digest (DcStore *store)
{
  return digest_tables (store, TRUE);
}

/* The same without the audit chain and its checkpoints, which a restore extends. */
static char *
digest_records (DcStore *store)
{
  return digest_tables (store, FALSE);
}

static char *
digest_tables (DcStore *store, gboolean with_chain)
{
  sqlite3 *h = dc_db_handle (dc_store_db (store));
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (with_chain || (!g_str_equal (name, "audit") && !g_str_equal (name, "checkpoints")
                         && !g_str_equal (name, "sqlite_sequence")))
        g_ptr_array_add (tables, g_strdup (name));
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (tables->len, >=, 10);
  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY rowid", (char *) tables->pdata[i]);

      g_checksum_update (sum, tables->pdata[i], -1);
      g_assert_cmpint (sqlite3_prepare_v2 (h, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            guint8 type = (guint8) sqlite3_column_type (stmt, c);
            const void *blob = sqlite3_column_blob (stmt, c);

            g_checksum_update (sum, &type, 1);
            if (blob != NULL)
              g_checksum_update (sum, blob, sqlite3_column_bytes (stmt, c));
          }
      sqlite3_finalize (stmt);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static char *
backup_ok (DcStore *store, const char *dir)
{
  g_autoptr(GError) error = NULL;
  char *path = dc_backup_create (store, dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (path);
  return path;
}

static char *
unpack_ok (DcStore *store, DcActor *manager, const char *path)
{
  g_autoptr(GError) error = NULL;
  char *unpacked = dc_backup_unpack (store, manager, path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (unpacked);
  return unpacked;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
write_file (const char *path, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);
}

static gsize
header_length (GBytes *file)
{
  const guint8 *p = g_bytes_get_data (file, NULL);

  return ((gsize) p[10] << 24) | ((gsize) p[11] << 16) | ((gsize) p[12] << 8) | p[13];
}

/* Names in @dir that begin with @prefix. */
static guint
count_names (const char *dir, const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static int
compare_lines (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* dc_test_dir_fingerprint, its lines in a fixed order (it sorts them by address: see the report). */
static char *
fingerprint (const char *dir)
{
  g_autofree char *raw = dc_test_dir_fingerprint (dir);
  g_auto(GStrv) lines = g_strsplit (raw, "\n", -1);

  qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
  return g_strjoinv ("\n", lines);
}

/* A copy of the database opened in a folder of its own: the restore check without install. */
static void
assert_restores_elsewhere (Env *env, const char *unpacked, gint64 min_visits, gint64 max_visits)
{
  g_autofree char *dir = tmp_dir (env, "elsewhere");
  g_autofree char *db = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  g_autoptr(DcStore) store = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_rename (unpacked, db), ==, 0);
  store = dc_test_store_open (dir);
  g_assert_cmpint (count (store, "SELECT count(*) FROM visits"), >=, min_visits);
  g_assert_cmpint (count (store, "SELECT count(*) FROM visits"), <=, max_visits);
  dc_test_assert_intact (store);
  g_clear_pointer (&store, dc_store_free);
  dc_test_remove_tree (dir);
}

/* ---- round trip ---- */

static void
test_round_trip (gconstpointer data)
{
  Env *env = (Env *) data;
  Clock clock = { dc_test_tokyo (2025, 3, 1, 10, 20) + 30 * G_USEC_PER_SEC };
  g_autoptr(DcStore) store = fresh_store (env, &clock);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_strdup (dc_store_dir (store));
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *before = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *last_path = NULL;
  g_autofree char *unpacked = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *db = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  gint64 last_at = -1, visits_then, visits_later;
  GStatBuf st;

  g_assert_true (dc_backup_last (store, &last_at, &last_path, &error));
  g_assert_cmpint (last_at, ==, 0);
  g_assert_null (last_path);

  visits (store, env->base.counter, 3, &clock.now);
  visits_then = count (store, "SELECT count(*) FROM visits");
  before = digest (store);
  clock.now = dc_test_tokyo (2025, 3, 1, 10, 20) + 30 * G_USEC_PER_SEC;
  path = backup_ok (store, dest);

  /* named by the store's time (Tokyo), never the machine's (New York) */
  expected = g_strdup_printf ("%s/daicho-%.8s-20250301-102030" DC_BACKUP_SUFFIX, dest, dc_store_uuid (store));
  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dest, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpuint (count_names (dest, "."), ==, 0);
  g_assert_cmpuint (count_names (dir, ".backup-"), ==, 0);
  g_assert_true (dc_backup_last (store, &last_at, &last_path, &error));
  g_assert_cmpint (last_at, ==, clock.now);
  g_assert_cmpstr (last_path, ==, path);
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit WHERE action = 'backup' AND staff_id IS NULL"), ==, 2);

  {
    DcBackupInfo info;

    g_assert_true (dc_backup_inspect (path, &info, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (info.path, ==, path);
    g_assert_cmpstr (info.store_uuid, ==, dc_store_uuid (store));
    g_assert_cmpstr (info.store_name, ==, STORE_NAME);
    g_assert_cmpint (info.created_at, ==, clock.now);
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (info.size, ==, st.st_size);
    dc_backup_info_clear (&info);
  }

  /* the counter goes on working after the backup */
  visits (store, env->base.counter, 4, &clock.now);
  visits_later = count (store, "SELECT count(*) FROM visits");
  g_assert_cmpint (visits_later, ==, visits_then + 4);

  unpacked = unpack_ok (store, env->base.manager, path);
  g_assert_true (g_str_has_prefix (unpacked, db));
  g_clear_pointer (&store, dc_store_free);
  g_assert_true (dc_backup_install (dir, unpacked, &aside, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (aside, db));
  g_assert_true (strstr (aside, ".before-restore-") != NULL);
  g_assert_false (g_file_test (unpacked, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GPtrArray) listed = dc_backup_set_aside (dir);

    g_assert_cmpuint (listed->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (listed, 0), ==, aside);
  }

  /* the store is exactly as it was when the backup was taken, and verifies */
  store = dc_test_store_open (dir);
  g_assert_cmpint (count (store, "SELECT count(*) FROM visits"), ==, visits_then);
  {
    g_autofree char *after = digest (store);

    g_assert_cmpstr (after, ==, before);
  }
  dc_test_assert_intact (store);

  /* step 3: the restored chain says so, signed; only this store's key may sign it */
  g_assert_false (dc_backup_record_restore (store, dc_actor_vault (env->other_manager), "Hana", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (dc_backup_record_restore (store, dc_actor_vault (env->manager_pin), "Hana", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_true (dc_backup_record_restore (store, dc_actor_vault (env->base.manager), "Hana", &error));
  g_assert_no_error (error);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = 'restore' AND staff_id = %"
                                            G_GINT64_FORMAT, dc_actor_staff_id (env->base.manager));

    g_assert_cmpint (count (store, sql), ==, 1);
  }
  dc_test_assert_intact (store);

  /* the database it replaced is kept whole, with the later visits */
  {
    sqlite3 *h = NULL;

    g_assert_cmpint (sqlite3_open_v2 (aside, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (dc_test_sql_int (h, "SELECT count(*) FROM visits"), ==, visits_later);
    sqlite3_close (h);
  }
}

/* ---- a backup while another connection checks customers in ---- */

typedef struct {
  const char *dir;
  DcActor    *counter;
  gint        stop;
  gint        done;     /* visits completed */
  GError     *error;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  g_autoptr(DcStore) store = dc_store_open (w->dir, &w->error);

  /* the real clock: two connections writing one audit chain keep one time line */
  while (store != NULL && !g_atomic_int_get (&w->stop))
    {
      if (!visit (store, w->counter, "PC-02", NULL, &w->error))
        break;
      g_atomic_int_inc (&w->done);
      /* a busy counter, not a lock held forever: the backup must get to record itself */
      g_usleep (5 * 1000);
    }
  return NULL;
}

static void
wait_for_visits (Worker *w, gint n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&w->done) < n && w->error == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

static void
test_during_checkins (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_strdup (dc_store_dir (store));
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  gint64 low[4], high[4];
  Worker w = { .dir = dir, .counter = env->base.counter };
  GThread *thread;

  thread = g_thread_new ("checkins", worker_run, &w);
  wait_for_visits (&w, 3);
  for (guint i = 0; i < G_N_ELEMENTS (low); i++)
    {
      low[i] = g_atomic_int_get (&w.done);
      g_ptr_array_add (paths, backup_ok (store, dest));
      high[i] = g_atomic_int_get (&w.done) + 1;   /* a visit may be in, not yet out */
      wait_for_visits (&w, (gint) high[i] + 2);
    }
  g_atomic_int_set (&w.stop, 1);
  g_thread_join (thread);
  g_assert_no_error (w.error);
  g_test_message ("%d visits during %u backups", w.done, paths->len);

  /* every copy is one consistent moment: it verifies */
  for (guint i = 0; i + 1 < paths->len; i++)
    {
      g_autofree char *unpacked = unpack_ok (store, env->base.manager, paths->pdata[i]);

      assert_restores_elsewhere (env, unpacked, low[i], high[i]);
    }
  {
    g_autofree char *unpacked = unpack_ok (store, env->base.manager, paths->pdata[paths->len - 1]);
    g_autofree char *aside = NULL;

    g_clear_pointer (&store, dc_store_free);
    g_assert_true (dc_backup_install (dir, unpacked, &aside, &error));
    g_assert_no_error (error);
    store = dc_test_store_open (dir);
    g_assert_cmpint (count (store, "SELECT count(*) FROM visits"), >=, low[G_N_ELEMENTS (low) - 1]);
    g_assert_cmpint (count (store, "SELECT count(*) FROM visits"), <=, high[G_N_ELEMENTS (low) - 1]);
    dc_test_assert_intact (store);
  }
}

/* ---- refusals ---- */

typedef enum {
  CUT,          /* keep the first bytes only */
  FLIP,         /* flip one bit */
  APPEND,       /* add bytes after the end */
  GARBAGE,      /* random bytes */
  MAGIC_JUNK,   /* the magic, then random bytes */
  FOREIGN,      /* a backup of the other store */
  FOREIGN_UUID, /* the same with our uuid written into its header */
  SPLICE,       /* our header on the body of another backup of ours */
  OLD_FORMAT,   /* the version field says 1 */
  MISSING,
} Damage;

typedef enum {
  FROM_START,
  FROM_HEADER_END,
  FROM_SECOND_CHUNK,
  FROM_END,
} Anchor;

typedef struct {
  const char *name;
  Damage      damage;
  Anchor      anchor;
  gssize      offset;
  DcErrorCode code;
  const char *says;   /* part of the message, NULL: any */
  Env        *env;
} RefuseCase;

static gsize
position (GBytes *file, Anchor anchor, gssize offset)
{
  gsize size = g_bytes_get_size (file);
  gsize base = 0;

  switch (anchor)
    {
    case FROM_START:
      base = 0;
      break;
    case FROM_HEADER_END:
      base = header_length (file);
      break;
    case FROM_SECOND_CHUNK:
      base = header_length (file) + CHUNK_ON_DISK;
      break;
    case FROM_END:
      base = size;
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_cmpint ((gssize) base + offset, >=, 0);
  g_assert_cmpint ((gssize) base + offset, <=, (gssize) size);
  return (gsize) ((gssize) base + offset);
}

static GBytes *
random_bytes (gsize len, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return g_bytes_new_take (data, len);
}

/* The damaged file for @c, from a good backup @good of @store. */
static void
make_damaged (const RefuseCase *c, DcStore *store, const char *good, const char *dest, const char *out)
{
  g_autoptr(GBytes) file = read_file (good);
  gsize size = g_bytes_get_size (file);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (file, NULL), size);

  g_assert_cmpuint (size, >, header_length (file) + 2 * CHUNK_ON_DISK);   /* at least three chunks */
  switch (c->damage)
    {
    case CUT:
      write_file (out, data, position (file, c->anchor, c->offset));
      break;
    case FLIP:
      data[position (file, c->anchor, c->offset)] ^= 0x01;
      write_file (out, data, size);
      break;
    case APPEND:
      {
        g_autoptr(GByteArray) longer = g_byte_array_new ();

        g_byte_array_append (longer, data, (guint) size);
        g_byte_array_append (longer, (const guint8 *) "more", 4);
        write_file (out, longer->data, longer->len);
      }
      break;
    case GARBAGE:
      {
        g_autoptr(GBytes) junk = random_bytes (200 * 1024, 7);

        write_file (out, g_bytes_get_data (junk, NULL), g_bytes_get_size (junk));
      }
      break;
    case MAGIC_JUNK:
      {
        g_autoptr(GBytes) junk = random_bytes (200 * 1024, 8);
        guint8 *bytes = g_memdup2 (g_bytes_get_data (junk, NULL), g_bytes_get_size (junk));

        memcpy (bytes, "DAICHOBK\0\2", 10);
        write_file (out, bytes, g_bytes_get_size (junk));
        g_free (bytes);
      }
      break;
    case FOREIGN:
    case FOREIGN_UUID:
      {
        g_autofree char *theirs = backup_ok (c->env->other, dest);
        g_autoptr(GBytes) other = read_file (theirs);
        guint8 *bytes = g_memdup2 (g_bytes_get_data (other, NULL), g_bytes_get_size (other));

        if (c->damage == FOREIGN_UUID)
          memcpy (bytes + 20, dc_store_uuid (store), 36);
        write_file (out, bytes, g_bytes_get_size (other));
        g_free (bytes);
      }
      break;
    case SPLICE:
      {
        g_autofree char *second = backup_ok (store, dest);
        g_autoptr(GBytes) body = read_file (second);
        g_autoptr(GByteArray) spliced = g_byte_array_new ();
        gsize hl = header_length (file);

        g_assert_cmpuint (header_length (body), ==, hl);
        g_byte_array_append (spliced, data, (guint) hl);
        g_byte_array_append (spliced, (const guint8 *) g_bytes_get_data (body, NULL) + hl,
                             (guint) (g_bytes_get_size (body) - hl));
        write_file (out, spliced->data, spliced->len);
      }
      break;
    case OLD_FORMAT:
      data[8] = 0;
      data[9] = 1;
      write_file (out, data, size);
      break;
    case MISSING:
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_refused (gconstpointer data)
{
  const RefuseCase *c = data;
  Env *env = c->env;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *good = NULL;
  g_autofree char *bad = g_build_filename (dest, "bad" DC_BACKUP_SUFFIX, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  char *unpacked;

  visits (store, env->base.counter, 2, NULL);
  good = backup_ok (store, dest);
  make_damaged (c, store, good, dest, bad);
  before = fingerprint (dc_store_dir (store));

  unpacked = dc_backup_unpack (store, env->base.manager, bad, &error);
  g_assert_null (unpacked);
  g_assert_error (error, DC_ERROR, (gint) c->code);
  g_test_message ("%s: %s", c->name, error->message);
  if (c->says != NULL && strstr (error->message, c->says) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->says);

  /* nothing of the store changed, and no temporary file remains */
  after = fingerprint (dc_store_dir (store));
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_names (dc_store_dir (store), DC_STORE_DB_NAME ".restore"), ==, 0);

  /* the good one still restores */
  g_clear_error (&error);
  unpacked = unpack_ok (store, env->base.manager, good);
  g_unlink (unpacked);
  g_free (unpacked);
}

/* ---- authentic files that do not hold this store's database ---- */

/* The header of the backup @path up to its sealed key: store, time, public keys, slots. */
static GBytes *
header_prefix (const char *path)
{
  g_autoptr(GBytes) file = read_file (path);

  return g_bytes_new (g_bytes_get_data (file, NULL), header_length (file) - TAIL_BYTES);
}

/* A file in the backup format holding @payload, under the header part @prefix, with a file
 * key sealed to @box_pk: what anyone with a store's public key could make. */
static void
forge_with (GBytes *prefix, const guint8 *box_pk, const char *payload_path, const char *out)
{
  g_autoptr(GBytes) payload = read_file (payload_path);
  g_autoptr(GByteArray) file = g_byte_array_new ();
  guint8 key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guint8 stream[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_state state;
  g_autoptr(GBytes) plain_key = NULL;
  g_autoptr(GBytes) sealed = NULL;
  const guint8 *p = g_bytes_get_data (payload, NULL);
  gsize size = g_bytes_get_size (payload), done = 0, header_len;

  crypto_secretstream_xchacha20poly1305_keygen (key);
  crypto_secretstream_xchacha20poly1305_init_push (&state, stream, key);
  plain_key = g_bytes_new (key, sizeof key);
  sealed = dc_seal (box_pk, plain_key);
  g_byte_array_append (file, g_bytes_get_data (prefix, NULL), (guint) g_bytes_get_size (prefix));
  g_byte_array_append (file, (const guint8 *) "\0\x50", 2);
  g_byte_array_append (file, g_bytes_get_data (sealed, NULL), (guint) g_bytes_get_size (sealed));
  g_byte_array_append (file, stream, sizeof stream);
  header_len = file->len;
  for (guint i = 0; i < 4; i++)
    file->data[10 + i] = (guint8) (header_len >> (24 - 8 * i));

  do
    {
      gsize n = MIN ((gsize) CHUNK, size - done);
      guint8 *cipher = g_malloc (n + crypto_secretstream_xchacha20poly1305_ABYTES);
      unsigned long long clen = 0;
      gboolean first = done == 0;
      g_autofree guint8 *ad = first ? g_memdup2 (file->data, header_len) : NULL;

      crypto_secretstream_xchacha20poly1305_push (&state, cipher, &clen, p + done, n, ad, first ? header_len : 0,
                                                  done + n == size ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                                                   : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      g_byte_array_append (file, cipher, (guint) clen);
      g_free (cipher);
      done += n;
    }
  while (done < size);
  write_file (out, file->data, file->len);
}

/* The same with the header of a genuine backup of @store (@genuine). */
static void
forge (DcStore *store, const char *genuine, const char *payload_path, const char *out)
{
  g_autoptr(GBytes) prefix = header_prefix (genuine);

  forge_with (prefix, dc_store_box_pk (store), payload_path, out);
}

static void
test_forged_content (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *work = tmp_dir (env, "forged");
  g_autofree char *theirs = g_build_filename (work, "theirs.db", NULL);
  g_autofree char *plain = g_build_filename (work, "plain.db", NULL);
  g_autofree char *damaged = g_build_filename (work, "damaged.db", NULL);
  g_autofree char *text = g_build_filename (work, "text", NULL);
  g_autofree char *ours = g_build_filename (work, "ours.db", NULL);
  g_autofree char *renamed = g_build_filename (work, "renamed.db", NULL);
  g_autofree char *out = g_build_filename (work, "forged" DC_BACKUP_SUFFIX, NULL);
  g_autofree char *genuine = NULL;
  g_autofree char *before = NULL;
  struct {
    const char *payload;
    DcErrorCode code;
    const char *says;
  } cases[] = {
    { theirs, DC_ERROR_INVALID, "another store" },
    { renamed, DC_ERROR_CRYPTO, "does not hold its store's keys" },
    { plain, DC_ERROR_INVALID, "not hold a Daicho database" },
    { damaged, DC_ERROR_INVALID, NULL },
    { text, DC_ERROR_INVALID, "not a database" },
  };

  g_assert_cmpint (g_mkdir_with_parents (work, 0700), ==, 0);
  g_assert_true (dc_db_backup_copy (dc_db_path (dc_store_db (env->other)), theirs, &error));
  g_assert_no_error (error);
  {
    sqlite3 *h = NULL;

    g_autofree char *rename_sql = g_strdup_printf ("UPDATE store SET uuid = '%s'", dc_store_uuid (store));

    g_assert_cmpint (sqlite3_open (plain, &h), ==, SQLITE_OK);
    dc_test_sql_exec (h, "CREATE TABLE store (id INTEGER PRIMARY KEY, uuid TEXT);"
                         "INSERT INTO store VALUES (1, 'x')");
    sqlite3_close (h);
    /* the other store's database under our uuid: its keys give it away */
    dc_test_copy_file (theirs, renamed);
    g_assert_cmpint (sqlite3_open (renamed, &h), ==, SQLITE_OK);
    dc_test_sql_exec (h, rename_sql);
    sqlite3_close (h);
  }
  /* our own database with one page of the middle overwritten */
  g_assert_true (dc_db_backup_copy (dc_db_path (dc_store_db (store)), ours, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) db = read_file (ours);
    guint8 *bytes = g_memdup2 (g_bytes_get_data (db, NULL), g_bytes_get_size (db));

    g_assert_cmpuint (g_bytes_get_size (db), >, 8 * 4096);
    memset (bytes + 6 * 4096, 0x5a, 4096);
    write_file (damaged, bytes, g_bytes_get_size (db));
    g_free (bytes);
  }
  write_file (text, "not a database at all, just some text", 37);
  genuine = backup_ok (store, work);

  before = fingerprint (dc_store_dir (store));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *after = NULL;

      forge (store, genuine, cases[i].payload, out);
      g_assert_null (dc_backup_unpack (store, env->base.manager, out, &error));
      g_assert_error (error, DC_ERROR, (gint) cases[i].code);
      g_test_message ("%s: %s", cases[i].payload, error->message);
      if (cases[i].says != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].says));
      g_clear_error (&error);
      after = fingerprint (dc_store_dir (store));
      g_assert_cmpstr (after, ==, before);
    }

  /* the forger's format is the real one: its own database passes */
  forge (store, genuine, ours, out);
  {
    g_autofree char *unpacked = unpack_ok (store, env->base.manager, out);

    g_unlink (unpacked);
  }
}

/* ---- who may restore ---- */

static void
test_permission (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *path = backup_ok (store, dest);
  g_autofree char *before = fingerprint (dc_store_dir (store));
  g_autofree char *after = NULL;
  DcActor *actors[] = { env->base.counter, env->manager_pin, NULL };

  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (dc_backup_unpack (store, actors[i], path, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
    }
  after = fingerprint (dc_store_dir (store));
  g_assert_cmpstr (after, ==, before);
}

/* ---- nothing readable in the file ---- */

static void
test_no_plaintext (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *path = NULL;
  g_autofree char *member = NULL;
  g_autofree char *db = g_build_filename (dc_store_dir (store), DC_STORE_DB_NAME, NULL);
  DcCheckinRequest request = { .terminal = "PC-03", .internet = TRUE };
  DcCheckinResult result = { 0 };

  dc_test_identity_fill (&request.identity, DOC_EXPIRY_YEAR);
  g_assert_true (dc_checkin (store, env->base.counter, &request, &result, &error));
  g_assert_no_error (error);
  member = g_strdup (result.member_number);
  dc_checkin_result_clear (&result);
  g_assert_true (dc_store_checkpoint (store, &error));
  g_assert_no_error (error);

  /* these are in the database in the clear (no personal data: schema, labels, numbers) … */
  g_assert_true (dc_test_file_contains (db, "SQLite format 3"));
  g_assert_true (dc_test_file_contains (db, member));
  g_assert_true (dc_test_file_contains (db, "drivers_license"));
  g_assert_true (dc_test_file_contains (db, "CREATE TABLE"));

  /* … and none of them, nor the person, in the backup */
  path = backup_ok (store, dest);
  {
    const char *needles[] = { "SQLite format 3", "CREATE TABLE", "drivers_license", "PC-03", "Hana",
                              PERSON_NAME, "301234567890", member };

    for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
      if (dc_test_file_contains (path, needles[i]))
        g_error ("the backup contains “%s”", needles[i]);
  }
  /* the header names the store (so a manager can tell files apart): that is all */
  g_assert_true (dc_test_file_contains (path, STORE_NAME));
}

/* ---- failures leave nothing behind ---- */

static void
test_create_failures (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *blocker = tmp_dir (env, "file");
  g_autofree char *under_file = g_build_filename (blocker, "sub", NULL);
  g_autofree char *first = NULL;
  struct rlimit old, limit;
  gint64 last_at = 0;
  gsize limits[2];

  visits (store, env->base.counter, 2, NULL);
  first = backup_ok (store, dest);
  g_assert_cmpint (g_unlink (first), ==, 0);

  /* a destination that cannot be a folder */
  write_file (blocker, "x", 1);
  g_assert_null (dc_backup_create (store, under_file, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_IO);
  g_clear_error (&error);

  /* the disk fills: while copying, and while writing the encrypted file */
  /* the copy fits under the second limit, its encrypted form (header, a MAC per chunk) does not */
  {
    g_autofree char *scratch = tmp_dir (env, "scratch");
    GStatBuf st;

    g_assert_true (dc_db_backup_copy (dc_db_path (dc_store_db (store)), scratch, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_stat (scratch, &st), ==, 0);
    g_unlink (scratch);
    limits[0] = 16 * 1024;
    limits[1] = (gsize) st.st_size + 100;
  }
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      char *path;

      limit = old;
      limit.rlim_cur = limits[i];
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      path = dc_backup_create (store, dest, &error);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
      g_assert_null (path);
      g_assert_nonnull (error);
      g_test_message ("limit %zu: %s", limits[i], error->message);
      g_clear_error (&error);
      g_assert_cmpuint (count_names (dest, ""), ==, 0);
      g_assert_cmpuint (count_names (dc_store_dir (store), ".backup-"), ==, 0);
    }
  signal (SIGXFSZ, SIG_DFL);
  g_assert_true (dc_backup_last (store, &last_at, NULL, &error));
  g_assert_cmpint (last_at, !=, 0);   /* the first backup, not the failed ones */

  /* a work folder a crashed backup left (no lock held) goes; one in use stays */
  {
    g_autofree char *stale = g_build_filename (dc_store_dir (store), ".backup-STALE1", NULL);
    g_autofree char *stale_copy = g_build_filename (stale, "copy.db", NULL);
    g_autofree char *live = g_build_filename (dc_store_dir (store), ".backup-LIVE01", NULL);
    g_autofree char *live_lock = g_build_filename (live, "lock", NULL);
    g_autofree char *path = NULL;
    int fd;

    g_assert_cmpint (g_mkdir (stale, 0700), ==, 0);
    write_file (stale_copy, "pages", 5);
    g_assert_cmpint (g_mkdir (live, 0700), ==, 0);
    write_file (live_lock, "", 0);
    fd = g_open (live_lock, O_RDONLY, 0);
    g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
    path = backup_ok (store, dest);
    g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (live_lock, G_FILE_TEST_EXISTS));
    close (fd);
    dc_test_remove_tree (live);
  }
}

/* ---- rotation ---- */

static void
test_rotation (gconstpointer data)
{
  Env *env = (Env *) data;
  gint64 base = dc_test_tokyo (2025, 6, 1, 3, 0);
  Clock clock = { base };
  Clock other_clock = { base - 90 * DAY };
  g_autoptr(DcStore) store = fresh_store (env, &clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *theirs = NULL;
  g_autofree char *notes = g_build_filename (dest, "notes.txt", NULL);
  g_autofree char *junk = g_build_filename (dest, "junk" DC_BACKUP_SUFFIX, NULL);
  g_autofree char *stale = NULL;
  g_autofree char *fresh_tmp = NULL;
  g_autofree char *newest = NULL;
  const gint ages[] = { 40, 35, 31, 29, 1 };   /* days before base */
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  DcClockFunc other_func;
  gpointer other_data;
  guint deleted = 99;

  /* nothing there yet: no error, nothing deleted */
  g_assert_true (dc_backup_rotate (store, dest, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    {
      clock.now = base - ages[i] * DAY;
      g_ptr_array_add (paths, backup_ok (store, dest));
    }
  dc_store_get_clock (env->other, &other_func, &other_data);
  dc_test_store_use_clock (env->other, &other_clock.now);
  theirs = backup_ok (env->other, dest);
  dc_store_set_clock (env->other, other_func, other_data);
  write_file (notes, "keep me", 7);
  write_file (junk, "DAICHOBK", 8);
  stale = g_strdup_printf ("%s/.daicho-%.8s-20250101-000000" DC_BACKUP_SUFFIX ".tmp", dest, dc_store_uuid (store));
  fresh_tmp = g_strdup_printf ("%s/.daicho-%.8s-20250102-000000" DC_BACKUP_SUFFIX ".tmp", dest,
                               dc_store_uuid (store));
  write_file (stale, "half", 4);
  write_file (fresh_tmp, "half", 4);
  {
    struct utimbuf old = { .actime = time (NULL) - 3 * 24 * 3600, .modtime = time (NULL) - 3 * 24 * 3600 };

    g_assert_cmpint (utime (stale, &old), ==, 0);
  }

  /* the list: this store's backups only, newest first */
  list = dc_backup_list (store, dest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (ages));
  for (guint i = 0; i < list->len; i++)
    {
      const DcBackupInfo *info = &g_array_index (list, DcBackupInfo, i);

      g_assert_cmpstr (info->path, ==, paths->pdata[G_N_ELEMENTS (ages) - 1 - i]);
      g_assert_cmpint (info->created_at, ==, base - ages[G_N_ELEMENTS (ages) - 1 - i] * DAY);
      g_assert_cmpstr (info->store_uuid, ==, dc_store_uuid (store));
      g_assert_cmpint (info->size, >, CHUNK);
    }
  g_clear_pointer (&list, g_array_unref);

  /* keep 30 days (the default): 40, 35 and 31 days old go */
  clock.now = base;
  g_assert_true (dc_backup_rotate (store, dest, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    g_assert_cmpint (g_file_test (paths->pdata[i], G_FILE_TEST_EXISTS), ==, ages[i] <= 30);
  g_assert_true (g_file_test (theirs, G_FILE_TEST_EXISTS));   /* 90 days old, but not ours */
  g_assert_true (g_file_test (notes, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (junk, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh_tmp, G_FILE_TEST_EXISTS));

  /* a year later with no new backup: the newest stays whatever its age */
  clock.now = base + 365 * DAY;
  g_assert_true (dc_backup_rotate (store, dest, &deleted, &error));
  g_assert_cmpuint (deleted, ==, 1);
  g_assert_false (g_file_test (paths->pdata[3], G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (paths->pdata[4], G_FILE_TEST_EXISTS));
  g_assert_true (dc_backup_rotate (store, dest, &deleted, &error));
  g_assert_cmpuint (deleted, ==, 0);

  /* a shorter setting: two new backups 10 and 5 days old, keep 7 → the 10-day one goes */
  g_assert_true (dc_store_set_setting (store, env->base.manager, DC_SETTING_BACKUP_KEEP_DAYS, 7, &error));
  g_assert_no_error (error);
  clock.now = base + 355 * DAY;
  g_ptr_array_add (paths, backup_ok (store, dest));
  clock.now = base + 360 * DAY;
  newest = backup_ok (store, dest);
  clock.now = base + 365 * DAY;
  g_assert_true (dc_backup_rotate (store, dest, &deleted, &error));
  g_assert_cmpuint (deleted, ==, 2);   /* the year-old one and the 10-day one */
  g_assert_true (g_file_test (newest, G_FILE_TEST_EXISTS));
  list = dc_backup_list (store, dest, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_true (g_file_test (theirs, G_FILE_TEST_EXISTS));
  g_ptr_array_unref (paths);
}

/* ---- install ---- */

static void
test_install_guards (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_strdup (dc_store_dir (store));
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *path = NULL;
  g_autofree char *unpacked = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *crashed = tmp_dir (env, "crashed");
  gint64 visits_in_wal;

  visits (store, env->base.counter, 2, NULL);
  path = backup_ok (store, dest);
  unpacked = unpack_ok (store, env->base.manager, path);

  /* the store is still open: refused, nothing moved */
  g_assert_false (dc_backup_install (dir, unpacked, &aside, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "still open"));
  g_clear_error (&error);
  g_assert_true (g_file_test (unpacked, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_names (dir, DC_STORE_DB_NAME ".before"), ==, 0);
  visits (store, env->base.counter, 1, NULL);   /* and it still works */

  /* a store that crashed: its WAL beside it is folded into the copy kept aside */
  visits (store, env->base.counter, 3, NULL);
  visits_in_wal = count (store, "SELECT count(*) FROM visits");
  dc_test_copy_dir (dir, crashed);
  {
    g_autofree char *wal = g_build_filename (crashed, DC_STORE_DB_NAME "-wal", NULL);
    g_autofree char *moved = g_build_filename (crashed, "restore.db", NULL);

    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
    dc_test_copy_file (unpacked, moved);
    g_assert_true (dc_backup_install (crashed, moved, &aside, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    {
      sqlite3 *h = NULL;

      g_assert_cmpint (sqlite3_open_v2 (aside, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpint (dc_test_sql_int (h, "SELECT count(*) FROM visits"), ==, visits_in_wal);
      sqlite3_close (h);
    }
    g_clear_pointer (&aside, g_free);
  }

  /* the new file cannot be moved in (another file system): the original is put back */
  g_clear_pointer (&store, dc_store_free);
  {
    g_autofree char *db = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
    const char *shm = "/dev/shm";
    GStatBuf a, b;

    if (g_stat (shm, &a) == 0 && g_stat (dir, &b) == 0 && a.st_dev != b.st_dev && access (shm, W_OK) == 0)
      {
        g_autofree char *far = g_strdup_printf ("%s/dc-test-backup-%d.db", shm, (int) getpid ());

        dc_test_copy_file (unpacked, far);
        /* settled first, as install does: then the file is byte for byte the same */
        g_assert_true (dc_db_settle (db, &error));
        g_assert_no_error (error);
        before = fingerprint (dir);
        g_assert_false (dc_backup_install (dir, far, &aside, &error));
        g_assert_error (error, DC_ERROR, DC_ERROR_IO);
        g_test_message ("%s", error->message);
        g_clear_error (&error);
        after = fingerprint (dir);
        g_assert_cmpstr (after, ==, before);
        g_unlink (far);
      }
    else
      g_test_message ("no second file system: the put-back case is not run");
  }
  g_unlink (unpacked);
  store = dc_test_store_open (dir);
  dc_test_assert_intact (store);
}

/* ---- restore without the store ---- */

/* One slot of a header, read by the documented layout (app/dc-backup.c), not by its code. */
typedef struct {
  guint   kind;       /* 1 recovery, 2 passphrase */
  gint64  staff_id;
  guint64 opslimit;
  gsize   at;         /* where the slot starts in the file */
} SlotView;

static guint64
be_at (const guint8 *p, guint bytes)
{
  guint64 v = 0;

  for (guint i = 0; i < bytes; i++)
    v = (v << 8) | p[i];
  return v;
}

/* The slots of @file's header, asserting that the layout adds up to the header's length. */
static GArray *
header_slots (GBytes *file)
{
  const guint8 *p = g_bytes_get_data (file, NULL);
  GArray *slots = g_array_new (FALSE, TRUE, sizeof (SlotView));
  gsize at = SLOTS_OFFSET + 1;

  for (guint i = 0; i < p[SLOTS_OFFSET]; i++)
    {
      SlotView v = { p[at], (gint64) be_at (p + at + 1, 8), be_at (p + at + SLOT_OPS, 8), at };

      g_assert_cmpuint (be_at (p + at + SLOT_WRAPPED - 2, 2), ==, 48);
      g_array_append_val (slots, v);
      at += SLOT_BYTES;
    }
  g_assert_cmpuint (at + TAIL_BYTES, ==, header_length (file));
  return slots;
}

static gint64
staff_id (DcStore *store, const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM staff WHERE name = '%s'", name);

  return count (store, sql);
}

static void
test_restore_header (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *path = backup_ok (store, dest);
  g_autoptr(GBytes) file = read_file (path);
  g_autoptr(GArray) slots = header_slots (file);
  const guint8 *bytes = g_bytes_get_data (file, NULL);
  gsize hl = header_length (file);
  gint64 hana = staff_id (store, "Hana"), aki = staff_id (store, "Aki");
  sqlite3_stmt *stmt = NULL;
  guint checked = 0;
  DcBackupInfo info;

  /* the store's public keys, then the recovery slot and one per manager; no auditor, no PIN */
  g_assert_cmpmem (bytes + KEYS_OFFSET, 32, dc_store_box_pk (store), 32);
  g_assert_cmpmem (bytes + KEYS_OFFSET + 32, 32, dc_store_sign_pk (store), 32);
  g_assert_cmpuint (slots->len, ==, 3);
  g_assert_cmpuint (g_array_index (slots, SlotView, 0).kind, ==, 1);
  g_assert_cmpint (g_array_index (slots, SlotView, 0).staff_id, ==, 0);
  g_assert_cmpuint (g_array_index (slots, SlotView, 1).kind, ==, 2);
  g_assert_cmpint (g_array_index (slots, SlotView, 1).staff_id, ==, hana);
  g_assert_cmpuint (g_array_index (slots, SlotView, 2).kind, ==, 2);
  g_assert_cmpint (g_array_index (slots, SlotView, 2).staff_id, ==, aki);
  for (guint i = 1; i < slots->len; i++)
    g_assert_cmpuint (g_array_index (slots, SlotView, i).opslimit, >=, crypto_pwhash_OPSLIMIT_MODERATE);
  g_assert_true (dc_backup_inspect (path, &info, &error));
  g_assert_true (info.recovery_slot);
  g_assert_cmpuint (info.manager_slots, ==, 2);
  dc_backup_info_clear (&info);

  /* every slot of the database: the opening ones are in the header byte for byte, the
   * others (PINs, the auditor's passphrase) nowhere in the file */
  g_assert_cmpint (sqlite3_prepare_v2 (dc_db_handle (dc_store_db (store)),
                                       "SELECT kind, coalesce (s.role, ''), salt, wrapped FROM keyslots k"
                                       " LEFT JOIN staff s ON s.id = k.staff_id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      const char *role = (const char *) sqlite3_column_text (stmt, 1);
      const char *salt = sqlite3_column_blob (stmt, 2);
      const char *wrapped = sqlite3_column_blob (stmt, 3);
      gboolean opens = g_str_equal (kind, "recovery") || (g_str_equal (kind, "passphrase") && g_str_equal (role, "manager"));

      g_assert_cmpint (sqlite3_column_bytes (stmt, 2), ==, 16);
      g_assert_cmpint (dc_test_contains_bytes ((const char *) bytes, hl, salt, 16), ==, opens);
      g_assert_cmpint (dc_test_contains_bytes ((const char *) bytes, hl, wrapped, sqlite3_column_bytes (stmt, 3)), ==,
                       opens);
      if (!opens)
        g_assert_false (dc_test_contains_bytes ((const char *) bytes, g_bytes_get_size (file), salt, 16));
      checked++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (checked, ==, 1 + 2 * 4 - 1);   /* recovery; 4 PINs; Hana, Aki, Aud passphrases */

  /* a manager taken off duty opens no later backup */
  g_assert_true (dc_store_set_staff_active (store, env->base.manager, "Aki", FALSE, &error));
  g_assert_no_error (error);
  {
    g_autofree char *later = backup_ok (store, dest);
    g_autoptr(GBytes) later_file = read_file (later);
    g_autoptr(GArray) later_slots = header_slots (later_file);

    g_assert_cmpuint (later_slots->len, ==, 2);
    g_assert_cmpint (g_array_index (later_slots, SlotView, 1).staff_id, ==, hana);
  }
}

/* The names in @dir, sorted, "-" when it does not exist. */
static char *
dir_state (const char *dir)
{
  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    return g_strdup ("-");
  return fingerprint (dir);
}

static void
assert_restored (DcStore *restored, DcStore *original, const char *records, gint64 staff)
{
  g_autofree char *after = digest_records (restored);
  g_autofree char *sql = staff == 0 ? g_strdup ("SELECT count(*) FROM audit WHERE action = 'restore'"
                                                " AND staff_id IS NULL")
                                    : g_strdup_printf ("SELECT count(*) FROM audit WHERE action = 'restore'"
                                                       " AND staff_id = %" G_GINT64_FORMAT, staff);
  GStatBuf st;

  g_assert_cmpstr (dc_store_uuid (restored), ==, dc_store_uuid (original));
  g_assert_cmpmem (dc_store_box_pk (restored), 32, dc_store_box_pk (original), 32);
  g_assert_cmpstr (after, ==, records);
  g_assert_cmpint (g_stat (dc_store_dir (restored), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpuint (count_names (dc_store_dir (restored), DC_STORE_DB_NAME ".restore"), ==, 0);
  /* the last entry of the chain says who restored it, and a checkpoint signs it */
  g_assert_cmpint (count (restored, sql), ==, 1);
  g_assert_cmpint (count (restored, "SELECT max (id) FROM audit WHERE action = 'restore'"), ==,
                   count (restored, "SELECT max (id) FROM audit"));
  g_assert_cmpint (count (restored, "SELECT max (seq) FROM checkpoints"), ==,
                   count (restored, "SELECT max (id) FROM audit"));
  dc_test_assert_intact (restored);
}

static void
test_restore_recovery (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(DcStore) restored = NULL;
  g_autoptr(DcActor) counter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *target = tmp_dir (env, "new-store");
  g_autofree char *records = NULL;
  g_autofree char *path = NULL;
  gint64 visits_then;

  visits (store, env->base.counter, 2, NULL);
  visits_then = count (store, "SELECT count(*) FROM visits");
  records = digest_records (store);
  path = backup_ok (store, dest);
  visits (store, env->base.counter, 1, NULL);

  /* the store's disk dies: only the backup and the recovery key on paper are left */
  restored = dc_backup_restore_new (path, target, DC_SLOT_RECOVERY, NULL, env->recovery, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  g_assert_cmpstr (dc_store_dir (restored), ==, target);
  g_assert_cmpint (count (restored, "SELECT count(*) FROM visits"), ==, visits_then);
  assert_restored (restored, store, records, 0);

  /* and it works: the counter signs in with the PIN and checks a customer in */
  counter = dc_store_sign_in_pin (restored, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
  visits (restored, counter, 1, NULL);
  dc_test_assert_intact (restored);
}

static void
test_restore_passphrase (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(DcStore) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *target = tmp_dir (env, "empty-folder");
  g_autofree char *records = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;

  visits (store, env->base.counter, 2, NULL);
  records = digest_records (store);
  path = backup_ok (store, dest);
  g_assert_cmpint (g_mkdir (target, 0755), ==, 0);

  /* Hana's passphrase opens the file, but it is not Aki's: refused, the folder stays empty */
  g_assert_null (dc_backup_restore_new (path, target, DC_SLOT_PASSPHRASE, "Aki", PASSPHRASE, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
  g_clear_error (&error);
  g_assert_cmpuint (count_names (target, ""), ==, 0);

  /* Aki is the second manager: the second passphrase slot opens it */
  restored = dc_backup_restore_new (path, target, DC_SLOT_PASSPHRASE, "Aki", AKI_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  assert_restored (restored, store, records, staff_id (store, "Aki"));
}

typedef enum {
  SECRET_RECOVERY,
  SECRET_OTHER_RECOVERY,
  SECRET_TEXT,
} SecretFrom;

typedef struct {
  const char *name;
  DcSlotKind  with;
  const char *staff;
  SecretFrom  from;
  const char *text;
  const char *in_target;   /* a file made in the target first, or "daicho.db": a store; NULL: no folder */
  gboolean    missing_file;
  DcErrorCode code;
  const char *says;
  Env        *env;
} RestoreRefusal;

static const char *
secret_of (const RestoreRefusal *c)
{
  switch (c->from)
    {
    case SECRET_RECOVERY:
      return c->env->recovery;
    case SECRET_OTHER_RECOVERY:
      return c->env->other_recovery;
    case SECRET_TEXT:
      return c->text;
    default:
      g_assert_not_reached ();
    }
}

static void
test_restore_refused (gconstpointer data)
{
  const RestoreRefusal *c = data;
  Env *env = c->env;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *target = tmp_dir (env, "target");
  g_autofree char *path = backup_ok (store, dest);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (c->in_target != NULL && g_str_equal (c->in_target, DC_STORE_DB_NAME))
    dc_test_copy_dir (dc_store_dir (store), target);
  else if (c->in_target != NULL)
    {
      g_autofree char *file = g_build_filename (target, c->in_target, NULL);

      g_assert_cmpint (g_mkdir (target, 0700), ==, 0);
      write_file (file, "mine", 4);
    }
  if (c->missing_file)
    g_assert_cmpint (g_unlink (path), ==, 0);
  before = dir_state (target);

  g_assert_null (dc_backup_restore_new (path, target, c->with, c->staff, secret_of (c), &error));
  g_assert_error (error, DC_ERROR, (gint) c->code);
  g_test_message ("%s: %s", c->name, error->message);
  if (c->says != NULL && strstr (error->message, c->says) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->says);
  after = dir_state (target);
  g_assert_cmpstr (after, ==, before);
}

typedef enum {
  ALTER_FLIP,           /* flip a bit at @offset */
  ALTER_SET,            /* set the byte at @offset to @value */
  ALTER_CUT,            /* keep the first @offset bytes */
  ALTER_SWAP_RECOVERY,  /* the other store's recovery slot in ours, then re-sealed to our key */
  ALTER_THEIR_HEADER,   /* the other store's header, our uuid in it, our database, sealed to them */
  ALTER_NONE,           /* the other store's genuine backup: it restores, as the other store */
} Alteration;

typedef struct {
  const char *name;
  Alteration  how;
  gsize       offset;
  guint8      value;
  DcSlotKind  with;
  const char *staff;
  SecretFrom  from;
  const char *text;
  DcErrorCode code;
  const char *says;
  Env        *env;
} RestoreAltered;

static void
make_altered (const RestoreAltered *c, DcStore *store, const char *good, const char *work, const char *out)
{
  Env *env = c->env;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = read_file (good);
  gsize size = g_bytes_get_size (file);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (file, NULL), size);
  g_autofree char *theirs = NULL;
  g_autofree char *ours_db = g_build_filename (work, "ours.db", NULL);

  if (c->how == ALTER_SWAP_RECOVERY || c->how == ALTER_THEIR_HEADER || c->how == ALTER_NONE)
    theirs = backup_ok (env->other, work);
  if (c->how == ALTER_SWAP_RECOVERY || c->how == ALTER_THEIR_HEADER)
    {
      g_assert_true (dc_db_backup_copy (dc_db_path (dc_store_db (store)), ours_db, &error));
      g_assert_no_error (error);
    }
  switch (c->how)
    {
    case ALTER_FLIP:
      data[c->offset] ^= 0x01;
      write_file (out, data, size);
      break;
    case ALTER_SET:
      data[c->offset] = c->value;
      write_file (out, data, size);
      break;
    case ALTER_CUT:
      write_file (out, data, c->offset);
      break;
    case ALTER_SWAP_RECOVERY:
      {
        g_autoptr(GBytes) mine = header_prefix (good);
        g_autoptr(GBytes) their_prefix = header_prefix (theirs);
        guint8 *bytes = g_memdup2 (g_bytes_get_data (mine, NULL), g_bytes_get_size (mine));
        const guint8 *their_bytes = g_bytes_get_data (their_prefix, NULL);
        gsize their_slots = SLOTS_OFFSET - (sizeof STORE_NAME - 1) + strlen (dc_store_name (env->other));
        g_autoptr(GBytes) swapped = NULL;

        /* their first slot is their recovery slot, as ours is */
        g_assert_cmpuint (their_bytes[their_slots + 1], ==, 1);
        memcpy (bytes + SLOTS_OFFSET + 1, their_bytes + their_slots + 1, SLOT_BYTES);
        swapped = g_bytes_new_take (bytes, g_bytes_get_size (mine));
        forge_with (swapped, dc_store_box_pk (store), ours_db, out);
      }
      break;
    case ALTER_THEIR_HEADER:
      {
        g_autoptr(GBytes) their_prefix = header_prefix (theirs);
        guint8 *bytes = g_memdup2 (g_bytes_get_data (their_prefix, NULL), g_bytes_get_size (their_prefix));
        g_autoptr(GBytes) renamed = NULL;

        memcpy (bytes + 20, dc_store_uuid (store), 36);
        renamed = g_bytes_new_take (bytes, g_bytes_get_size (their_prefix));
        forge_with (renamed, dc_store_box_pk (env->other), ours_db, out);
      }
      break;
    case ALTER_NONE:
      dc_test_copy_file (theirs, out);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_restore_altered (gconstpointer data)
{
  const RestoreAltered *c = data;
  RestoreRefusal as_refusal = { .from = c->from, .text = c->text, .env = c->env };
  g_autoptr(DcStore) store = fresh_store (c->env, NULL);
  g_autoptr(DcStore) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *work = tmp_dir (c->env, "altered");
  g_autofree char *target = tmp_dir (c->env, "target");
  g_autofree char *good = NULL;
  g_autofree char *bad = g_build_filename (work, "bad" DC_BACKUP_SUFFIX, NULL);

  visits (store, c->env->base.counter, 2, NULL);
  good = backup_ok (store, work);
  make_altered (c, store, good, work, bad);

  restored = dc_backup_restore_new (bad, target, c->with, c->staff, secret_of (&as_refusal), &error);
  if (c->how == ALTER_NONE)
    {
      /* someone else's backup with their own key is simply their store */
      g_assert_no_error (error);
      g_assert_cmpstr (dc_store_uuid (restored), ==, dc_store_uuid (c->env->other));
      dc_test_assert_intact (restored);
      return;
    }
  g_assert_null (restored);
  g_assert_error (error, DC_ERROR, (gint) c->code);
  g_test_message ("%s: %s", c->name, error->message);
  if (c->says != NULL && strstr (error->message, c->says) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->says);
  /* nothing written, not even the folder */
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
}

/* ---- recording a backup while the counter holds the write lock ---- */

typedef struct {
  char  *db;
  gint   locked;
  gint64 hold_usec;
} Holder;

static gpointer
holder_run (gpointer data)
{
  Holder *h = data;
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open_v2 (h->db, &handle, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  dc_test_sql_exec (handle, "BEGIN IMMEDIATE");
  g_atomic_int_set (&h->locked, 1);
  g_usleep (h->hold_usec);
  dc_test_sql_exec (handle, "COMMIT");
  sqlite3_close (handle);
  return NULL;
}

static void
test_record_waits (gconstpointer data)
{
  Env *env = (Env *) data;
  g_autoptr(DcStore) store = fresh_store (env, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = tmp_dir (env, "dest");
  g_autofree char *path = NULL;
  g_autofree char *last_path = NULL;
  /* longer than the store's busy timeout (10 s), shorter than that plus the retries */
  Holder h = { .db = g_build_filename (dc_store_dir (store), DC_STORE_DB_NAME, NULL),
               .hold_usec = 11 * G_USEC_PER_SEC };
  gint64 started;
  GThread *thread;

  thread = g_thread_new ("holder", holder_run, &h);
  while (!g_atomic_int_get (&h.locked))
    g_usleep (1000);
  started = g_get_monotonic_time ();
  path = dc_backup_create (store, dest, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 10 * G_USEC_PER_SEC);
  g_thread_join (thread);
  g_assert_true (dc_backup_last (store, NULL, &last_path, &error));
  g_assert_cmpstr (last_path, ==, path);
  g_free (h.db);
}

/* The databases restores set aside are found by name, oldest first, without their WAL,
 * shared-memory and journal files, and nothing else is taken for one. */
static void
test_set_aside_list (void)
{
  g_autofree char *dir = g_dir_make_tmp ("daicho-aside-XXXXXX", NULL);
  const char *files[] = {
    "daicho.db", "daicho.db-wal", "other.txt", "daicho.db.restore-abc123",
    "daicho.db.before-restore-20260305-101502", "daicho.db.before-restore-20260305-101502-wal",
    "daicho.db.before-restore-20260305-101502-shm", "daicho.db.before-restore-20260305-101502-journal",
    "daicho.db.before-restore-20260305-101502-2", "daicho.db.before-restore-20250101-000000",
  };
  const char *expected[] = {
    "daicho.db.before-restore-20250101-000000", "daicho.db.before-restore-20260305-101502",
    "daicho.db.before-restore-20260305-101502-2",
  };
  g_autoptr(GPtrArray) listed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_assert_true (g_file_set_contents (path, "x", 1, NULL));
    }
  listed = dc_backup_set_aside (dir);
  g_assert_cmpuint (listed->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_build_filename (dir, expected[i], NULL);

      g_assert_cmpstr (g_ptr_array_index (listed, i), ==, path);
    }
  dc_test_remove_tree (dir);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = dc_backup_set_aside (dir);   /* no folder: none */
  g_assert_cmpuint (listed->len, ==, 0);
}

int
main (int argc, char **argv)
{
  Env env = { 0 };
  RefuseCase cases[] = {
    { "empty", CUT, FROM_START, 0, DC_ERROR_INVALID, "not a Daicho backup" },
    { "cut-in-magic", CUT, FROM_START, 5, DC_ERROR_INVALID, "not a Daicho backup" },
    { "cut-in-fixed-header", CUT, FROM_START, 12, DC_ERROR_INVALID, "header" },
    { "cut-in-header", CUT, FROM_HEADER_END, -1, DC_ERROR_INVALID, "header" },
    { "cut-after-header", CUT, FROM_HEADER_END, 0, DC_ERROR_CRYPTO, "incomplete" },
    { "cut-in-first-chunk", CUT, FROM_HEADER_END, 1000, DC_ERROR_CRYPTO, "part 1 does not authenticate" },
    { "cut-at-chunk-boundary", CUT, FROM_SECOND_CHUNK, 0, DC_ERROR_CRYPTO, "incomplete" },
    { "cut-at-second-boundary", CUT, FROM_SECOND_CHUNK, CHUNK_ON_DISK, DC_ERROR_CRYPTO, "incomplete" },
    { "cut-last-byte", CUT, FROM_END, -1, DC_ERROR_CRYPTO, "does not authenticate" },
    { "cut-last-mac", CUT, FROM_END, -(gssize) crypto_secretstream_xchacha20poly1305_ABYTES, DC_ERROR_CRYPTO,
      "does not authenticate" },
    { "flip-magic", FLIP, FROM_START, 0, DC_ERROR_INVALID, "not a Daicho backup" },
    { "flip-version-newer", FLIP, FROM_START, 8, DC_ERROR_INVALID, "newer version" },
    { "flip-version-low-bit", FLIP, FROM_START, 9, DC_ERROR_INVALID, "newer version" },
    { "old-format", OLD_FORMAT, FROM_START, 0, DC_ERROR_INVALID, "format 1" },
    { "flip-header-length", FLIP, FROM_START, 13, DC_ERROR_INVALID, "header" },
    { "flip-chunk-size", FLIP, FROM_START, 16, DC_ERROR_INVALID, "header" },
    { "flip-store-name", FLIP, FROM_START, NAME_OFFSET, DC_ERROR_CRYPTO, "part 1 does not authenticate" },
    { "flip-created-at", FLIP, FROM_START, KEYS_OFFSET - 1, DC_ERROR_CRYPTO, "part 1" },
    { "flip-box-key", FLIP, FROM_START, KEYS_OFFSET + 5, DC_ERROR_CRYPTO, "not this store's keys" },
    { "flip-sign-key", FLIP, FROM_START, KEYS_OFFSET + 32 + 31, DC_ERROR_CRYPTO, "not this store's keys" },
    { "flip-slot-count", FLIP, FROM_START, SLOTS_OFFSET, DC_ERROR_INVALID, "header" },
    { "flip-slot-kind", FLIP, FROM_START, SLOTS_OFFSET + 1, DC_ERROR_INVALID, "header" },
    { "flip-slot-staff", FLIP, FROM_START, SLOTS_OFFSET + 1 + 2 * SLOT_BYTES + 8, DC_ERROR_CRYPTO, "part 1" },
    { "flip-slot-salt", FLIP, FROM_START, SLOTS_OFFSET + 1 + SLOT_SALT + 3, DC_ERROR_CRYPTO, "part 1" },
    { "flip-slot-wrapped", FLIP, FROM_START, SLOTS_OFFSET + 1 + SLOT_BYTES + SLOT_WRAPPED + 47, DC_ERROR_CRYPTO,
      "part 1" },
    { "flip-sealed-key", FLIP, FROM_HEADER_END, -24 - 40, DC_ERROR_CRYPTO, "key" },
    { "flip-stream-header", FLIP, FROM_HEADER_END, -5, DC_ERROR_CRYPTO, "part 1" },
    { "flip-first-chunk", FLIP, FROM_HEADER_END, 500, DC_ERROR_CRYPTO, "part 1 does not authenticate" },
    { "flip-second-chunk", FLIP, FROM_SECOND_CHUNK, 10, DC_ERROR_CRYPTO, "part 2 does not authenticate" },
    { "flip-last-chunk", FLIP, FROM_END, -100, DC_ERROR_CRYPTO, "does not authenticate" },
    { "flip-last-byte", FLIP, FROM_END, -1, DC_ERROR_CRYPTO, "does not authenticate" },
    { "appended", APPEND, FROM_START, 0, DC_ERROR_CRYPTO, "altered" },
    { "garbage", GARBAGE, FROM_START, 0, DC_ERROR_INVALID, "not a Daicho backup" },
    { "magic-then-garbage", MAGIC_JUNK, FROM_START, 0, DC_ERROR_INVALID, "header" },
    { "other-store", FOREIGN, FROM_START, 0, DC_ERROR_INVALID, "another store" },
    { "other-store-uuid-rewritten", FOREIGN_UUID, FROM_START, 0, DC_ERROR_CRYPTO, "not this store's keys" },
    { "spliced", SPLICE, FROM_START, 0, DC_ERROR_CRYPTO, "part 1" },
    { "missing", MISSING, FROM_START, 0, DC_ERROR_NOT_FOUND, NULL },
  };
  RestoreRefusal refusals[] = {
    { "wrong-recovery-key", DC_SLOT_RECOVERY, NULL, SECRET_OTHER_RECOVERY, NULL, NULL, FALSE,
      DC_ERROR_WRONG_SECRET, "recovery key" },
    { "mistyped-recovery-key", DC_SLOT_RECOVERY, NULL, SECRET_TEXT, "7K3M-QX2P", NULL, FALSE,
      DC_ERROR_WRONG_SECRET, NULL },
    { "wrong-passphrase", DC_SLOT_PASSPHRASE, "Hana", SECRET_TEXT, "not the passphrase at all", NULL, FALSE,
      DC_ERROR_WRONG_SECRET, "Wrong passphrase" },
    { "counter-pin-as-passphrase", DC_SLOT_PASSPHRASE, "Ken", SECRET_TEXT, COUNTER_PIN, NULL, FALSE,
      DC_ERROR_WRONG_SECRET, "Wrong passphrase" },
    { "counter-pin", DC_SLOT_PIN, "Ken", SECRET_TEXT, COUNTER_PIN, NULL, FALSE, DC_ERROR_PERMISSION, "PIN" },
    { "manager-pin", DC_SLOT_PIN, "Hana", SECRET_TEXT, PIN, NULL, FALSE, DC_ERROR_PERMISSION, "PIN" },
    { "auditor-passphrase", DC_SLOT_PASSPHRASE, "Aud", SECRET_TEXT, AUD_PASSPHRASE, NULL, FALSE,
      DC_ERROR_WRONG_SECRET, "Wrong passphrase" },
    { "passphrase-without-name", DC_SLOT_PASSPHRASE, NULL, SECRET_TEXT, PASSPHRASE, NULL, FALSE,
      DC_ERROR_MISSING_FIELD, NULL },
    { "folder-not-empty", DC_SLOT_RECOVERY, NULL, SECRET_RECOVERY, NULL, "notes.txt", FALSE, DC_ERROR_EXISTS,
      "empty folder" },
    { "folder-holds-a-store", DC_SLOT_RECOVERY, NULL, SECRET_RECOVERY, NULL, DC_STORE_DB_NAME, FALSE,
      DC_ERROR_EXISTS, "already a store" },
    { "missing-file", DC_SLOT_RECOVERY, NULL, SECRET_RECOVERY, NULL, NULL, TRUE, DC_ERROR_NOT_FOUND, NULL },
  };
  RestoreAltered altered[] = {
    /* another manager's slot changed: the recovery slot still opens, the MAC does not */
    { "other-slot-salt", ALTER_FLIP, SLOTS_OFFSET + 1 + 2 * SLOT_BYTES + SLOT_SALT, 0, DC_SLOT_RECOVERY, NULL,
      SECRET_RECOVERY, NULL, DC_ERROR_CRYPTO, "part 1 does not authenticate" },
    { "box-key", ALTER_FLIP, KEYS_OFFSET + 1, 0, DC_SLOT_RECOVERY, NULL, SECRET_RECOVERY, NULL, DC_ERROR_CRYPTO,
      "do not belong to its keys" },
    { "used-slot-wrapped", ALTER_FLIP, SLOTS_OFFSET + 1 + SLOT_WRAPPED + 10, 0, DC_SLOT_RECOVERY, NULL,
      SECRET_RECOVERY, NULL, DC_ERROR_WRONG_SECRET, NULL },
    { "used-slot-weakened", ALTER_SET, SLOTS_OFFSET + 1 + SLOT_BYTES + SLOT_OPS + 7, 1, DC_SLOT_PASSPHRASE, "Hana",
      SECRET_TEXT, PASSPHRASE, DC_ERROR_CRYPTO, "altered" },
    { "pin-kind", ALTER_SET, SLOTS_OFFSET + 1 + SLOT_BYTES, 3, DC_SLOT_PASSPHRASE, "Hana", SECRET_TEXT, PASSPHRASE,
      DC_ERROR_INVALID, "header" },
    { "cut-short", ALTER_CUT, 3 * CHUNK / 2, 0, DC_SLOT_RECOVERY, NULL, SECRET_RECOVERY, NULL, DC_ERROR_CRYPTO,
      "Nothing was restored" },
    { "their-recovery-slot", ALTER_SWAP_RECOVERY, 0, 0, DC_SLOT_RECOVERY, NULL, SECRET_OTHER_RECOVERY, NULL,
      DC_ERROR_CRYPTO, "do not belong to its keys" },
    { "their-header-our-database", ALTER_THEIR_HEADER, 0, 0, DC_SLOT_RECOVERY, NULL, SECRET_OTHER_RECOVERY, NULL,
      DC_ERROR_CRYPTO, "does not hold its store's keys" },
    { "their-own-backup", ALTER_NONE, 0, 0, DC_SLOT_RECOVERY, NULL, SECRET_OTHER_RECOVERY, NULL, 0, NULL },
  };
  int rc;

  g_setenv ("TZ", "America/New_York", TRUE);   /* the store's zone names the files, never the machine's */
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/backup/round-trip", &env, test_round_trip);
  g_test_add_data_func ("/backup/during-checkins", &env, test_during_checkins);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/backup/refused/%s", cases[i].name);

      cases[i].env = &env;
      g_test_add_data_func (name, &cases[i], test_refused);
    }
  g_test_add_data_func ("/backup/refused/forged-content", &env, test_forged_content);
  g_test_add_data_func ("/backup/permission", &env, test_permission);
  g_test_add_data_func ("/backup/no-plaintext", &env, test_no_plaintext);
  g_test_add_data_func ("/backup/create-failures", &env, test_create_failures);
  g_test_add_data_func ("/backup/rotation", &env, test_rotation);
  g_test_add_data_func ("/backup/install", &env, test_install_guards);
  g_test_add_func ("/backup/set-aside-list", test_set_aside_list);
  g_test_add_data_func ("/backup/record-waits-for-the-write-lock", &env, test_record_waits);
  g_test_add_data_func ("/backup/restore-new/header-slots", &env, test_restore_header);
  g_test_add_data_func ("/backup/restore-new/recovery-key", &env, test_restore_recovery);
  g_test_add_data_func ("/backup/restore-new/manager-passphrase", &env, test_restore_passphrase);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *name = g_strdup_printf ("/backup/restore-new/refused/%s", refusals[i].name);

      refusals[i].env = &env;
      g_test_add_data_func (name, &refusals[i], test_restore_refused);
    }
  for (guint i = 0; i < G_N_ELEMENTS (altered); i++)
    {
      g_autofree char *name = g_strdup_printf ("/backup/restore-new/altered/%s", altered[i].name);

      altered[i].env = &env;
      g_test_add_data_func (name, &altered[i], test_restore_altered);
    }

  rc = g_test_run ();
  env_clear (&env);
  return rc;
}
