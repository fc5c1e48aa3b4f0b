/* tests/bench/bench-checkin.c — check-in latency against the floor under it: fdatasync and a plain SQLite insert. */
#include "dc-checkin.h"
#include "dc-demo.h"
#include "dc-db-records.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define TARGET_P99_MS    2.0
#define TARGET_RATIO     4.0
#define BENCH_TERMINAL   "BENCH-01"
#define BENCH_PASSPHRASE "bench-passphrase"
#define BENCH_PIN        "2468"

typedef struct {
  const char *what;
  GArray     *ns;      /* gint64 nanoseconds, one per operation */
  double      p50;     /* milliseconds */
  double      p99;
} Series;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gint
compare_ns (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
series_finish (Series *s)
{
  guint n = s->ns->len;

  g_array_sort (s->ns, compare_ns);
  s->p50 = g_array_index (s->ns, gint64, n / 2) / 1e6;
  s->p99 = g_array_index (s->ns, gint64, MIN (n - 1, n * 99 / 100)) / 1e6;
}

static void
series_print (const Series *s)
{
  g_print ("  %-44s %9.3f %9.3f %8u\n", s->what, s->p50, s->p99, s->ns->len);
}

static void
die (const char *what, GError *error)
{
  g_printerr ("bench-checkin: %s: %s\n", what, error != NULL ? error->message : g_strerror (errno));
  exit (1);
}

/* ---- (a) the disk: append a 1 KiB record and make it durable ---- */

static void
bench_fdatasync (const char *dir, guint count, Series *s)
{
  g_autofree char *path = g_build_filename (dir, "fsync-probe", NULL);
  char record[1024];
  int fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

  if (fd < 0)
    die (path, NULL);
  memset (record, 'r', sizeof record);
  for (guint i = 0; i < count; i++)
    {
      gint64 t0 = now_ns (), dt;

      if (write (fd, record, sizeof record) != (gssize) sizeof record || fdatasync (fd) != 0)
        die ("write+fdatasync", NULL);
      dt = now_ns () - t0;
      g_array_append_val (s->ns, dt);
    }
  close (fd);
  g_unlink (path);
}

/* ---- (b) SQLite alone: the rows a new-customer check-in writes, no crypto, no audit ---- */

static const char plain_schema[] =
  /* the same connection pragmas as dc_db_open, so the comparison is like for like */
  "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
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

static void
plain_check (sqlite3 *db, int rc, const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_printerr ("bench-checkin: plain SQLite %s: %s\n", what, sqlite3_errmsg (db));
      exit (1);
    }
}

static sqlite3_stmt *
plain_prepare (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  plain_check (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), sql);
  return stmt;
}

static void
plain_step (sqlite3 *db, sqlite3_stmt *stmt)
{
  plain_check (db, sqlite3_step (stmt), sqlite3_sql (stmt));
  sqlite3_reset (stmt);
}

static void
bench_plain (const char *dir, guint count, Series *s)
{
  g_autofree char *path = g_build_filename (dir, "plain.db", NULL);
  guint8 payload[600], index[16], tier[49];
  sqlite3 *db = NULL;
  sqlite3_stmt *begin, *commit, *customer, *verification, *visit, *session;

  plain_check (db, sqlite3_open (path, &db), "open");
  plain_check (db, sqlite3_exec (db, plain_schema, NULL, NULL, NULL), "schema");
  begin = plain_prepare (db, "BEGIN IMMEDIATE");
  commit = plain_prepare (db, "COMMIT");
  customer = plain_prepare (db, "INSERT INTO customers (member_number, person_index, created_at) VALUES (?, ?, ?)");
  verification = plain_prepare (db, "INSERT INTO verifications (customer_id, verified_at, verifier_id, recorder_id,"
                                    " doc_type, payload, person_index, document_index, name_index, tier)"
                                    " VALUES (?, ?, 2, 2, 'drivers_license', ?, ?, ?, ?, ?)");
  visit = plain_prepare (db, "INSERT INTO visits (customer_id, verification_id, entered_at, staff_in, minor)"
                             " VALUES (?, ?, ?, 2, 0)");
  session = plain_prepare (db, "INSERT INTO terminal_sessions (visit_id, terminal_id, started_at) VALUES (?, 1, ?)");

  for (guint i = 0; i < count; i++)
    {
      char member[16];
      gint64 at = g_get_real_time (), t0, dt, id;

      g_snprintf (member, sizeof member, "1%06u0", i + 1);
      for (gsize k = 0; k < sizeof payload; k++)
        payload[k] = (guint8) g_random_int ();
      for (gsize k = 0; k < sizeof index; k++)
        index[k] = (guint8) g_random_int ();
      memset (tier, (int) i, sizeof tier);

      t0 = now_ns ();
      plain_step (db, begin);
      sqlite3_bind_text (customer, 1, member, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob (customer, 2, index, sizeof index, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (customer, 3, at);
      plain_step (db, customer);
      id = sqlite3_last_insert_rowid (db);
      sqlite3_bind_int64 (verification, 1, id);
      sqlite3_bind_int64 (verification, 2, at);
      sqlite3_bind_blob (verification, 3, payload, sizeof payload, SQLITE_TRANSIENT);
      sqlite3_bind_blob (verification, 4, index, sizeof index, SQLITE_TRANSIENT);
      sqlite3_bind_blob (verification, 5, index, sizeof index, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (verification, 6, index[0]);
      sqlite3_bind_blob (verification, 7, tier, sizeof tier, SQLITE_TRANSIENT);
      plain_step (db, verification);
      sqlite3_bind_int64 (visit, 1, id);
      sqlite3_bind_int64 (visit, 2, sqlite3_last_insert_rowid (db));
      sqlite3_bind_int64 (visit, 3, at);
      plain_step (db, visit);
      sqlite3_bind_int64 (session, 1, sqlite3_last_insert_rowid (db));
      sqlite3_bind_int64 (session, 2, at);
      plain_step (db, session);
      plain_step (db, commit);
      dt = now_ns () - t0;
      g_array_append_val (s->ns, dt);
    }
  for (sqlite3_stmt *st = sqlite3_next_stmt (db, NULL); st != NULL; st = sqlite3_next_stmt (db, NULL))
    sqlite3_finalize (st);
  sqlite3_close (db);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);
      g_unlink (file);
    }
}

/* ---- the store ---- */

typedef struct {
  DcStore *store;
  DcActor *counter;
  guint    count;
  GPtrArray *members;   /* member numbers of the customers made by (c) */
} Bench;

static DcStore *
make_store (const char *dir, guint visits_per_day, DcActor **out_counter)
{
  DcStoreSetup setup = {
    .name = "ベンチ店", .operator_name = "ベンチ (合成データ)", .prefecture = "tokyo", .manager = "店長 ベンチ",
    .demo = TRUE,
  };
  g_autoptr(DcActor) manager = NULL;
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  guint terminals = dc_demo_default_terminals (visits_per_day);
  char *recovery = NULL;
  GError *error = NULL;
  DcStore *store;

  store = dc_store_create (store_dir, &setup, BENCH_PASSPHRASE, BENCH_PIN, &recovery, &error);
  dc_secret_free (recovery);
  if (store == NULL)
    die ("create the store", error);
  manager = dc_store_sign_in_passphrase (store, setup.manager, BENCH_PASSPHRASE, &error);
  if (manager == NULL || !dc_store_add_staff (store, manager, "受付 ベンチ", "counter", BENCH_PIN, NULL, NULL, &error))
    die ("add staff", error);
  if (!dc_db_begin (dc_store_db (store), &error))
    die ("begin", error);
  for (guint i = 1; i <= terminals; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%03u", i);

      if (!dc_store_add_terminal (store, manager, label, NULL, i % 4 == 0, NULL, &error))
        die ("add terminals", error);
    }
  if (!dc_db_commit (dc_store_db (store), &error))
    die ("commit", error);
  *out_counter = dc_store_sign_in_pin (store, "受付 ベンチ", BENCH_PIN, &error);
  if (*out_counter == NULL)
    die ("sign in", error);
  return store;
}

static void
fill_progress (guint day, guint days, gpointer user_data)
{
  if (isatty (STDERR_FILENO) && (day % 10 == 0 || day == days))
    g_printerr ("\r  filling: day %u/%u", day, days);
}

/* A terminal of its own, added after the fill: the history never occupies it. */
static void
add_bench_terminal (DcStore *store)
{
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;

  manager = dc_store_sign_in_passphrase (store, "店長 ベンチ", BENCH_PASSPHRASE, &error);
  if (manager == NULL || !dc_store_add_terminal (store, manager, BENCH_TERMINAL, NULL, TRUE, NULL, &error))
    die ("add the bench terminal", error);
}

/* The @i-th synthetic customer: unique by name and date of birth, a driver's licence. */
static void
bench_identity (guint i, char *name, gsize name_size, char *number, gsize number_size, DcIdentity *id)
{
  static const char *const family[] = { "青山", "赤坂", "石原", "上村", "江口", "大橋", "片山", "北川", "久保田", "小池" };
  static const char *const given[] = { "一郎", "二郎", "三郎", "花子", "葉子", "光", "誠", "彩", "翼", "涼" };

  dc_identity_init (id);
  g_snprintf (name, name_size, "%s %s", family[i % 10], given[(i / 10) % 10]);
  g_snprintf (number, number_size, "3015%06u%02u", i, i % 97);
  id->doc_type = "drivers_license";
  id->doc_number = number;
  id->name = name;
  id->kana = "ベンチ テスト";
  g_date_set_dmy (&id->dob, 1, 1, 1960);
  g_date_add_days (&id->dob, 30 + i / 100 + (i % 100) * 97);
  g_date_set_dmy (&id->doc_expiry, 1, 1, 2099);
  id->address = "東京都新宿区西新宿2-8-1";
}

static void
checkout_bench (Bench *b)
{
  GError *error = NULL;

  if (!dc_checkout (b->store, b->counter, BENCH_TERMINAL, 0, DC_EXIT_STAFF, &error))
    die ("check out", error);
}

typedef enum { BY_NEW, BY_DOCUMENT, BY_MEMBER } How;

static void
bench_checkins (Bench *b, How how, Series *s)
{
  for (guint i = 0; i < b->count; i++)
    {
      DcCheckinRequest req = { .terminal = BENCH_TERMINAL, .internet = TRUE };
      DcCheckinResult result = { 0 };
      char name[64], number[32];
      GError *error = NULL;
      gboolean ok;
      gint64 t0, dt;

      bench_identity (i, name, sizeof name, number, sizeof number, &req.identity);
      t0 = now_ns ();
      if (how == BY_MEMBER)
        ok = dc_checkin_member (b->store, b->counter, g_ptr_array_index (b->members, i), BENCH_TERMINAL, &result,
                                &error);
      else
        ok = dc_checkin (b->store, b->counter, &req, &result, &error);
      dt = now_ns () - t0;
      if (!ok)
        die (s->what, error);
      if (result.new_customer != (how == BY_NEW))
        die ("a new customer was not new, or a returning one was", NULL);
      if (how == BY_NEW)
        g_ptr_array_add (b->members, g_steal_pointer (&result.member_number));
      dc_checkin_result_clear (&result);
      g_array_append_val (s->ns, dt);
      checkout_bench (b);
    }
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

int
main (int argc, char **argv)
{
  gint days = 365, per_day = 1000, count = 2000;
  g_autofree char *parent = NULL;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "Days of demo history to fill first (365)", "N" },
    { "visits-per-day", 0, 0, G_OPTION_ARG_INT, &per_day, "Visits a day in that history (1000)", "M" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Operations timed per series (2000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &parent, "Where to make the temporary store (the temp dir)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— check-in latency against fdatasync and plain SQLite");
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  DcDemoOptions options = { 0 };
  DcDemoStats stats = { 0 };
  Bench b = { 0 };
  Series series[] = {
    { "(a) write+fdatasync of 1 KiB" },
    { "(b) plain SQLite insert, 4 rows, one commit" },
    { "(c) dc_checkin, new customer" },
    { "(d) dc_checkin, returning by document" },
    { "(e) dc_checkin_member, by member number" },
  };
  GError *error = NULL;
  gint64 t0;
  double fill_s, fill_cpu, ratio;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || days < 1 || per_day < 1 || count < 10)
    die ("usage", error);
  g_setenv ("TZ", "Asia/Tokyo", TRUE);

  template = g_build_filename (parent != NULL ? parent : g_get_tmp_dir (), "daicho-bench-XXXXXX", NULL);
  dir = g_mkdtemp (g_steal_pointer (&template));
  if (dir == NULL)
    die ("make a temporary directory", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    series[i].ns = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_print ("Check-in benchmark in %s\n", dir);
  b.store = make_store (dir, (guint) per_day, &b.counter);
  b.count = (guint) count;
  b.members = g_ptr_array_new_with_free_func (g_free);
  options.days = (guint) days;
  options.visits_per_day = (guint) per_day;
  options.seed = 1;
  options.progress = fill_progress;
  t0 = g_get_monotonic_time ();
  fill_cpu = cpu_seconds ();
  if (!dc_demo_fill (b.store, b.counter, &options, &stats, &error))
    die ("fill", error);
  fill_s = (g_get_monotonic_time () - t0) / 1e6;
  fill_cpu = cpu_seconds () - fill_cpu;
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");
  g_print ("  history: %d days x %d visits/day filled in %.1f s, %.1f s CPU (%" G_GUINT64_FORMAT " visits, %"
           G_GUINT64_FORMAT " refused, %.0f visits/s)\n", days, per_day, fill_s, fill_cpu, stats.visits, stats.refused,
           stats.visits / fill_s);
  add_bench_terminal (b.store);

  bench_fdatasync (dir, MAX ((guint) count, 2000), &series[0]);
  bench_plain (dir, MAX ((guint) count, 2000), &series[1]);
  bench_checkins (&b, BY_NEW, &series[2]);
  bench_checkins (&b, BY_DOCUMENT, &series[3]);
  bench_checkins (&b, BY_MEMBER, &series[4]);

  g_print ("  %-44s %9s %9s %8s\n", "", "p50 ms", "p99 ms", "n");
  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    {
      series_finish (&series[i]);
      series_print (&series[i]);
    }
  ratio = series[2].p99 / series[1].p99;
  g_print ("  new-customer p99 %.3f ms: target <= %.1f ms: %s\n", series[2].p99, TARGET_P99_MS,
           verdict (series[2].p99 <= TARGET_P99_MS));
  g_print ("  new-customer p99 / plain-insert p99 = %.2f: target <= %.0fx: %s\n", ratio, TARGET_RATIO,
           verdict (ratio <= TARGET_RATIO));

  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    g_array_unref (series[i].ns);
  g_ptr_array_unref (b.members);
  dc_actor_free (b.counter);
  dc_store_free (b.store);
  rm_rf (dir);
  return 0;
}
