/* tests/bench/bench-purge.c — the purge of the oldest year of a demo store against a plain SQLite DELETE of as many rows; a backup of the same store. */
#include "dc-audit.h"
#include "dc-backup.h"
#include "dc-db-records.h"
#include "dc-demo.h"
#include "dc-retention.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define TARGET_PURGE_S 30.0

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double
since_s (gint64 t0)
{
  return (now_ns () - t0) / 1e9;
}

static void
die (const char *what, GError *error)
{
  g_printerr ("bench-purge: %s: %s\n", what, error != NULL ? error->message : g_strerror (errno));
  exit (1);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* The database and its WAL. */
static gint64
db_size (const char *db)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);

  return file_size (db) + file_size (wal);
}

static double
mib (gint64 bytes)
{
  return bytes / (1024.0 * 1024.0);
}

/* ---- the floor: plain SQLite deleting as many rows, same pragmas, no crypto, no audit ---- */

static const char plain_schema[] =
  /* the connection pragmas of dc_db_open, but no foreign keys: the floor under the purge */
  "PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
  "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0;"
  "CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, member_number TEXT UNIQUE,"
  "  person_index BLOB NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE INDEX customers_person ON customers (person_index);"
  "CREATE TABLE verifications (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id INTEGER NOT NULL,"
  "  verified_at INTEGER NOT NULL, verifier_id INTEGER NOT NULL, recorder_id INTEGER NOT NULL,"
  "  doc_type TEXT NOT NULL, payload BLOB NOT NULL, person_index BLOB NOT NULL, document_index BLOB,"
  "  name_index INTEGER NOT NULL, tier BLOB NOT NULL, supersedes INTEGER, reason TEXT);"
  "CREATE INDEX verifications_customer ON verifications (customer_id);"
  "CREATE INDEX verifications_person ON verifications (person_index);"
  "CREATE INDEX verifications_document ON verifications (document_index);"
  "CREATE INDEX verifications_name ON verifications (name_index);"
  "CREATE INDEX verifications_supersedes ON verifications (supersedes);"
  "CREATE TABLE visits (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id INTEGER NOT NULL,"
  "  verification_id INTEGER NOT NULL, entered_at INTEGER NOT NULL, exited_at INTEGER, staff_in INTEGER NOT NULL,"
  "  staff_out INTEGER, exit_reason TEXT, minor INTEGER NOT NULL, internet INTEGER NOT NULL DEFAULT 1);"
  "CREATE UNIQUE INDEX visits_one_open ON visits (customer_id) WHERE exited_at IS NULL;"
  "CREATE INDEX visits_customer ON visits (customer_id, entered_at);"
  "CREATE INDEX visits_verification ON visits (verification_id);"
  "CREATE INDEX visits_exited ON visits (exited_at);"
  "CREATE TABLE terminal_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, visit_id INTEGER NOT NULL,"
  "  terminal_id INTEGER NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER);"
  "CREATE INDEX sessions_visit ON terminal_sessions (visit_id);"
  "CREATE INDEX sessions_start ON terminal_sessions (started_at);";

typedef struct {
  gint64 customers, verifications, visits, sessions;
} Rows;

static void
plain_check (sqlite3 *db, int rc, const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_printerr ("bench-purge: plain SQLite %s: %s\n", what, sqlite3_errmsg (db));
      exit (1);
    }
}

static void
plain_exec (sqlite3 *db, const char *sql)
{
  plain_check (db, sqlite3_exec (db, sql, NULL, NULL, NULL), sql);
}

static void
random_bytes (guint8 *out, gsize len)
{
  for (gsize k = 0; k < len; k++)
    out[k] = (guint8) g_random_int ();
}

/* As many rows of each kind as the store holds, the oldest first, like the store's. */
static void
plain_fill (sqlite3 *db, const Rows *all)
{
  guint8 payload[600], index[32], tier[49];
  sqlite3_stmt *st = NULL;

  plain_exec (db, "PRAGMA synchronous = OFF; BEGIN");
  plain_check (db, sqlite3_prepare_v2 (db, "INSERT INTO customers (member_number, person_index, created_at)"
                                           " VALUES (?, ?, ?)", -1, &st, NULL), "prepare");
  for (gint64 i = 1; i <= all->customers; i++)
    {
      char member[24];

      g_snprintf (member, sizeof member, "%07" G_GINT64_FORMAT, i);
      random_bytes (index, sizeof index);
      sqlite3_bind_text (st, 1, member, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob (st, 2, index, sizeof index, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (st, 3, i);
      plain_check (db, sqlite3_step (st), "insert customer");
      sqlite3_reset (st);
    }
  sqlite3_finalize (st);
  plain_check (db, sqlite3_prepare_v2 (db, "INSERT INTO verifications (customer_id, verified_at, verifier_id,"
                                           " recorder_id, doc_type, payload, person_index, document_index,"
                                           " name_index, tier) VALUES (?, ?, 2, 2, 'drivers_license', ?, ?, ?, ?, ?)",
                                       -1, &st, NULL), "prepare");
  for (gint64 i = 1; i <= all->verifications; i++)
    {
      random_bytes (payload, sizeof payload);
      random_bytes (index, sizeof index);
      random_bytes (tier, sizeof tier);
      sqlite3_bind_int64 (st, 1, 1 + (i - 1) * all->customers / MAX (all->verifications, 1));
      sqlite3_bind_int64 (st, 2, i);
      sqlite3_bind_blob (st, 3, payload, sizeof payload, SQLITE_TRANSIENT);
      sqlite3_bind_blob (st, 4, index, sizeof index, SQLITE_TRANSIENT);
      sqlite3_bind_blob (st, 5, index + 16, 16, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (st, 6, index[0]);
      sqlite3_bind_blob (st, 7, tier, sizeof tier, SQLITE_TRANSIENT);
      plain_check (db, sqlite3_step (st), "insert verification");
      sqlite3_reset (st);
    }
  sqlite3_finalize (st);
  plain_check (db, sqlite3_prepare_v2 (db, "INSERT INTO visits (customer_id, verification_id, entered_at, exited_at,"
                                           " staff_in, staff_out, exit_reason, minor) VALUES (?, ?, ?, ?, 2, 2, 'staff', 0)",
                                       -1, &st, NULL), "prepare");
  for (gint64 i = 1; i <= all->visits; i++)
    {
      gint64 ver = 1 + (i - 1) * all->verifications / MAX (all->visits, 1);

      sqlite3_bind_int64 (st, 1, 1 + (ver - 1) * all->customers / MAX (all->verifications, 1));
      sqlite3_bind_int64 (st, 2, ver);
      sqlite3_bind_int64 (st, 3, i * 10);
      sqlite3_bind_int64 (st, 4, i * 10 + 5);
      plain_check (db, sqlite3_step (st), "insert visit");
      sqlite3_reset (st);
    }
  sqlite3_finalize (st);
  plain_check (db, sqlite3_prepare_v2 (db, "INSERT INTO terminal_sessions (visit_id, terminal_id, started_at, ended_at)"
                                           " VALUES (?, 1, ?, ?)", -1, &st, NULL), "prepare");
  for (gint64 i = 1; i <= all->sessions; i++)
    {
      sqlite3_bind_int64 (st, 1, 1 + (i - 1) * all->visits / MAX (all->sessions, 1));
      sqlite3_bind_int64 (st, 2, i * 10);
      sqlite3_bind_int64 (st, 3, i * 10 + 5);
      plain_check (db, sqlite3_step (st), "insert session");
      sqlite3_reset (st);
    }
  sqlite3_finalize (st);
  plain_exec (db, "COMMIT; PRAGMA wal_checkpoint (TRUNCATE); PRAGMA synchronous = FULL");
}

/* Delete the oldest @gone rows of each table in one transaction (synchronous = FULL: the
 * commit is made durable), then wipe as the purge does; the two times in @out_s. */
static void
bench_plain (const char *dir, const Rows *all, const Rows *gone, double out_s[2], gint64 sizes[2])
{
  g_autofree char *path = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  gint64 t0;

  plain_check (db, sqlite3_open (path, &db), "open");
  plain_exec (db, plain_schema);
  plain_fill (db, all);
  sizes[0] = db_size (path);

  sql = g_strdup_printf ("BEGIN IMMEDIATE;"
                         " DELETE FROM terminal_sessions WHERE id <= %" G_GINT64_FORMAT ";"
                         " DELETE FROM visits WHERE id <= %" G_GINT64_FORMAT ";"
                         " DELETE FROM verifications WHERE id <= %" G_GINT64_FORMAT ";"
                         " DELETE FROM customers WHERE id <= %" G_GINT64_FORMAT ";"
                         " COMMIT;", gone->sessions, gone->visits, gone->verifications, gone->customers);
  t0 = now_ns ();
  plain_exec (db, sql);
  out_s[0] = since_s (t0);
  t0 = now_ns ();
  plain_exec (db, "PRAGMA wal_checkpoint (TRUNCATE); PRAGMA incremental_vacuum; PRAGMA wal_checkpoint (TRUNCATE);");
  out_s[1] = since_s (t0);
  sizes[1] = db_size (path);
  sqlite3_close (db);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);
      g_unlink (file);
    }
}

/* ---- the store ---- */

static gint64
table_rows (DcStore *store, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s", table);
  sqlite3 *db = dc_db_handle (dc_store_db (store));
  sqlite3_stmt *st = NULL;
  gint64 n;

  plain_check (db, sqlite3_prepare_v2 (db, sql, -1, &st, NULL), sql);
  plain_check (db, sqlite3_step (st), sql);
  n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  return n;
}

static void
count_rows (DcStore *store, Rows *out)
{
  out->customers = table_rows (store, "customers");
  out->verifications = table_rows (store, "verifications");
  out->visits = table_rows (store, "visits");
  out->sessions = table_rows (store, "terminal_sessions");
}

static gint64
fixed_clock (gpointer user_data)
{
  return *(const gint64 *) user_data;
}

static void
fill_progress (guint day, guint days, gpointer user_data)
{
  if (isatty (STDERR_FILENO) && (day % 10 == 0 || day == days))
    g_printerr ("\r  filling: day %u/%u", day, days);
}

static gboolean
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  return g_rmdir (path) == 0;
}

static const char *
verdict (gboolean ok)
{
  return ok ? "ok" : "MISSED";
}

static void
row_line (const char *what, double seconds, gint64 before, gint64 after)
{
  g_print ("  %-52s %9.3f %10.1f %10.1f\n", what, seconds, mib (before), mib (after));
}

static void
bench_backup (DcStore *store, const char *dir)
{
  g_autofree char *to = g_build_filename (dir, "backups", NULL);
  g_autofree char *path = NULL;
  GError *error = NULL;
  gint64 t0 = now_ns ();
  double s;

  path = dc_backup_create (store, to, &error);
  s = since_s (t0);
  if (path == NULL)
    {
      g_print ("  backup: skipped (%s)\n", error != NULL ? error->message : "no file");
      g_clear_error (&error);
      return;
    }
  g_print ("  %-52s %9.3f %10s %10.1f\n", "dc_backup_create of the purged store", s, "", mib (file_size (path)));
}

int
main (int argc, char **argv)
{
  gint days = 1460, per_day = 1000;
  gboolean verify = FALSE;
  g_autofree char *parent = NULL;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "Days of demo history (1460)", "N" },
    { "visits-per-day", 0, 0, G_OPTION_ARG_INT, &per_day, "Visits a day in that history (1000)", "M" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &parent, "Where to make the temporary store (the temp dir)", "DIR" },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify, "Also time daicho's verify after the purge", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the purge of the oldest year of a demo store");
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(DcPurgePlan) first = NULL;
  g_autoptr(DcPurgePlan) plan = NULL;
  g_autoptr(DcPurgePlan) done = NULL;
  DcDemoOptions options = { 0 };
  DcDemoStats stats = { 0 };
  DcStore *store;
  GError *error = NULL;
  Rows all, gone;
  gint64 t0, now, size_before, size_after, plain_sizes[2];
  double fill_s, plan_s, purge_s, plain_s[2];

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || days < 366 || per_day < 1)
    die ("usage (at least 366 days)", error);
  g_setenv ("TZ", "Asia/Tokyo", TRUE);

  template = g_build_filename (parent != NULL ? parent : g_get_tmp_dir (), "daicho-bench-XXXXXX", NULL);
  dir = g_mkdtemp (g_steal_pointer (&template));
  if (dir == NULL)
    die ("make a temporary directory", NULL);
  store_dir = g_build_filename (dir, "store", NULL);
  db_path = g_build_filename (store_dir, DC_STORE_DB_NAME, NULL);
  g_print ("Purge benchmark in %s\n", dir);

  options.days = (guint) days;
  options.visits_per_day = (guint) per_day;
  options.seed = 1;
  options.progress = fill_progress;
  t0 = now_ns ();
  store = dc_demo_create (store_dir, &options, &stats, &error);
  if (store == NULL)
    die ("make the demo store", error);
  fill_s = since_s (t0);
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");
  g_print ("  history: %d days x %d visits/day filled in %.1f s (%" G_GUINT64_FORMAT " visits)\n", days, per_day,
           fill_s, stats.visits);

  /* the moment the whole first year of history has become purgeable */
  first = dc_purge_plan (store, &error);
  if (first == NULL || first->oldest_end == 0)
    die ("find the oldest record", error);
  now = dc_retention_purge_from (dc_store_timezone (store), first->oldest_end + 365 * G_TIME_SPAN_DAY);
  dc_store_set_clock (store, fixed_clock, &now);

  if (!dc_db_checkpoint (dc_store_db (store), TRUE, &error))
    die ("checkpoint", error);
  size_before = db_size (db_path);
  count_rows (store, &all);
  t0 = now_ns ();
  plan = dc_purge_plan (store, &error);
  plan_s = since_s (t0);
  if (plan == NULL)
    die ("plan", error);
  t0 = now_ns ();
  if (!dc_purge_run (store, 0, &done, &error))
    die ("purge", error);
  purge_s = since_s (t0);
  size_after = db_size (db_path);
  gone = (Rows) { done->customers, done->verifications, done->visits, done->sessions };
  {
    g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
    g_autofree char *shown = g_date_time_format (at, "%Y-%m-%d %H:%M");

    g_print ("  purge at %s: %" G_GINT64_FORMAT " visits, %" G_GINT64_FORMAT " sessions, %" G_GINT64_FORMAT
             " verifications, %" G_GINT64_FORMAT " customers in %u months\n", shown, done->visits, done->sessions,
             done->verifications, done->customers, done->months->len);
  }
  g_print ("    of %" G_GINT64_FORMAT " visits, %" G_GINT64_FORMAT " sessions, %" G_GINT64_FORMAT " verifications, %"
           G_GINT64_FORMAT " customers\n", all.visits, all.sessions, all.verifications, all.customers);

  bench_plain (dir, &all, &gone, plain_s, plain_sizes);

  g_print ("  %-52s %9s %10s %10s\n", "", "s", "MiB before", "MiB after");
  row_line ("(a) plain DELETE of as many rows, one durable commit", plain_s[0], plain_sizes[0], plain_sizes[0]);
  row_line ("(b) (a) + truncating checkpoint + incremental vacuum", plain_s[0] + plain_s[1], plain_sizes[0],
            plain_sizes[1]);
  row_line ("(c) dc_purge_plan (the dry run)", plan_s, size_before, size_before);
  row_line ("(d) dc_purge_run", purge_s, size_before, size_after);
  if (verify)
    {
      g_autoptr(DcVerifyReport) report = NULL;

      t0 = now_ns ();
      report = dc_audit_verify (store, &error);
      if (report == NULL)
        die ("verify", error);
      g_print ("  %-52s %9.3f  (%u problems, %" G_GINT64_FORMAT " entries, %" G_GINT64_FORMAT " rows)\n",
               "(e) dc_audit_verify after it", since_s (t0), report->problems->len, report->entries, report->rows);
    }
  g_print ("  purge %.1f s: target <= %.0f s: %s; purge / plain (b) = %.1fx\n", purge_s, TARGET_PURGE_S,
           verdict (purge_s <= TARGET_PURGE_S), purge_s / MAX (plain_s[0] + plain_s[1], 1e-6));
  bench_backup (store, dir);
  dc_store_free (store);
  rm_rf (dir);
  return 0;
}
