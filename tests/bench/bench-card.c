/* tests/bench/bench-card.c — a returning member's check-in from a scanned card, on a store of 300,000 members, beside a new customer's. */
#include "dc-card.h"
#include "dc-checkin.h"
#include "dc-demo.h"
#include "dc-db-records.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define TARGET_P99_MS    1.0
#define BENCH_TERMINAL   "BENCH-01"
#define BENCH_PASSPHRASE "bench-passphrase"
#define BENCH_PIN        "2468"
#define MANAGER          "店長 ベンチ"
#define CLERK            "受付 ベンチ"

typedef struct {
  const char *what;
  GArray     *ns;      /* gint64 nanoseconds, one per operation */
  double      p50;     /* milliseconds */
  double      p99;
} Series;

typedef struct {
  DcStore   *store;
  DcActor   *counter;
  guint      count;
  GPtrArray *payloads;   /* cards of members who are not in the store */
  GPtrArray *members;    /* their member numbers */
} Bench;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
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
die (const char *what, GError *error)
{
  g_printerr ("bench-card: %s: %s\n", what, error != NULL ? error->message : g_strerror (errno));
  exit (1);
}

/* The floor under any durable check-in: append 1 KiB and fdatasync, on the same disk. */
static void
bench_fdatasync (const char *dir, guint count, Series *s)
{
  g_autofree char *path = g_build_filename (dir, "fsync-probe", NULL);
  char record[1024] = { 0 };
  int fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

  if (fd < 0)
    die (path, NULL);
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

/* The store's clock: the real one moved on to 10:00 tomorrow, Tokyo time. On the real clock a
 * run in the youth curfew (23:00-04:00) turns away the minors among the members. */
static gint64
bench_clock (gpointer user_data)
{
  return g_get_real_time () + *(const gint64 *) user_data;
}

static gint64
daytime_offset (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) ten = g_date_time_new (tz, g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                              g_date_time_get_day_of_month (tomorrow), 10, 0, 0);

  return g_date_time_difference (ten, now);
}

static DcStore *
make_store (const char *dir, guint visits_per_day, DcActor **out_counter)
{
  DcStoreSetup setup = {
    .name = "ベンチ店", .operator_name = "ベンチ (合成データ)", .prefecture = "tokyo", .manager = MANAGER, .demo = TRUE,
  };
  g_autoptr(DcActor) manager = NULL;
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  guint terminals = dc_demo_default_terminals (visits_per_day);
  char *recovery = NULL;
  GError *error = NULL;
  DcStore *store;
  static gint64 offset;

  store = dc_store_create (store_dir, &setup, BENCH_PASSPHRASE, BENCH_PIN, &recovery, &error);
  dc_secret_free (recovery);
  if (store == NULL)
    die ("create the store", error);
  offset = daytime_offset ();
  dc_store_set_clock (store, bench_clock, &offset);
  manager = dc_store_sign_in_passphrase (store, MANAGER, BENCH_PASSPHRASE, &error);
  if (manager == NULL || !dc_store_add_staff (store, manager, CLERK, "counter", BENCH_PIN, NULL, NULL, &error))
    die ("add staff", error);
  for (guint i = 1; i <= terminals; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%03u", i);

      if (!dc_store_add_terminal (store, manager, label, NULL, i % 4 == 0, NULL, &error))
        die ("add terminals", error);
    }
  *out_counter = dc_store_sign_in_pin (store, CLERK, BENCH_PIN, &error);
  if (*out_counter == NULL)
    die ("sign in", error);
  return store;
}

/* The terminal the series use, added after the history: a visit of the history still open
 * at the end of its last day (the demo ends at the present hour) must not be sitting on it. */
static void
add_bench_terminal (DcStore *store)
{
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;

  manager = dc_store_sign_in_passphrase (store, MANAGER, BENCH_PASSPHRASE, &error);
  if (manager == NULL || !dc_store_add_terminal (store, manager, BENCH_TERMINAL, NULL, TRUE, NULL, &error))
    die ("add the bench terminal", error);
}

static void
fill_progress (guint day, guint days, gpointer user_data)
{
  if (isatty (STDERR_FILENO) && (day % 10 == 0 || day == days))
    g_printerr ("\r  filling: day %u/%u", day, days);
}

/* @count members spread over the whole store, not in it now, with their current card. */
static void
pick_members (Bench *b, gint64 members)
{
  DcDb *db = dc_store_db (b->store);
  GError *error = NULL;
  sqlite3_stmt *stmt;

  stmt = dc_db_query (db, &error,
                      "SELECT c.member_number FROM customers c WHERE c.id % ?1 = 0"
                      " AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = c.id AND v.exited_at IS NULL)"
                      " ORDER BY c.id LIMIT ?2", "ii", MAX (members / b->count, 1), (gint64) b->count);
  if (stmt == NULL)
    die ("pick members", error);
  while (dc_db_next (db, stmt, &error))
    g_ptr_array_add (b->members, dc_db_col_text (stmt, 0));
  if (error != NULL)
    die ("pick members", error);
  for (guint i = 0; i < b->members->len; i++)
    {
      char *payload = NULL;

      if (!dc_card_current (b->store, b->counter, g_ptr_array_index (b->members, i), &payload, NULL, &error))
        die ("print a card", error);
      g_ptr_array_add (b->payloads, payload);
    }
}

static void
checkout_bench (Bench *b)
{
  GError *error = NULL;

  if (!dc_checkout (b->store, b->counter, BENCH_TERMINAL, 0, DC_EXIT_STAFF, &error))
    die ("check out", error);
}

/* The @i-th new customer: unique by name and date of birth, a driver's licence. */
static void
bench_identity (guint i, char *name, gsize name_size, char *number, gsize number_size, DcIdentity *id)
{
  dc_identity_init (id);
  g_snprintf (name, name_size, "新規 %u号", i);
  g_snprintf (number, number_size, "3016%06u%02u", i, i % 97);
  id->doc_type = "drivers_license";
  id->doc_number = number;
  id->name = name;
  id->kana = "シンキ テスト";
  g_date_set_dmy (&id->dob, 1, 1, 1950);
  g_date_add_days (&id->dob, i % 15000);
  g_date_set_dmy (&id->doc_expiry, 1, 1, 2099);
  id->address = "東京都新宿区西新宿2-8-1";
}

typedef enum { BY_NEW, BY_CARD, BY_MEMBER, CHECK_ONLY } How;

static void
bench_series (Bench *b, How how, Series *s)
{
  guint n = how == BY_NEW ? b->count : b->members->len;

  for (guint i = 0; i < n; i++)
    {
      DcCheckinRequest req = { .terminal = BENCH_TERMINAL, .internet = TRUE };
      DcCheckinResult result = { 0 };
      char name[64], number[32];
      GError *error = NULL;
      gboolean ok = TRUE;
      gint64 t0, dt;

      bench_identity (i, name, sizeof name, number, sizeof number, &req.identity);
      t0 = now_ns ();
      switch (how)
        {
        case BY_NEW:
          ok = dc_checkin (b->store, b->counter, &req, &result, &error);
          break;
        case BY_CARD:
          ok = dc_checkin_card (b->store, b->counter, g_ptr_array_index (b->payloads, i), BENCH_TERMINAL, &result,
                                &error);
          break;
        case BY_MEMBER:
          ok = dc_checkin_member (b->store, b->counter, g_ptr_array_index (b->members, i), BENCH_TERMINAL, &result,
                                  &error);
          break;
        case CHECK_ONLY:
          ok = dc_card_check (b->store, dc_actor_vault (b->counter), g_ptr_array_index (b->payloads, i), NULL,
                              &error) == DC_CARD_VALID;
          break;
        default:
          g_assert_not_reached ();
        }
      dt = now_ns () - t0;
      if (!ok)
        die (s->what, error);
      dc_checkin_result_clear (&result);
      g_array_append_val (s->ns, dt);
      if (how != CHECK_ONLY)
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

int
main (int argc, char **argv)
{
  gint days = 1250, per_day = 1000, count = 2000;
  g_autofree char *parent = NULL;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "Days of demo history to fill first (1250: about 300,000 members)",
      "N" },
    { "visits-per-day", 0, 0, G_OPTION_ARG_INT, &per_day, "Visits a day in that history (1000)", "M" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Operations timed per series (2000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &parent, "Where to make the temporary store (the temp dir)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— member-card check-in latency");
  g_autofree char *template = NULL, *dir = NULL;
  DcDemoOptions options = { 0 };
  DcDemoStats stats = { 0 };
  Bench b = { 0 };
  Series series[] = {
    { "dc_checkin, new customer (document)" },
    { "dc_checkin_card, returning member (scan)" },
    { "dc_checkin_member, by member number" },
    { "dc_card_check alone (no write)" },
    { "(floor) write+fdatasync of 1 KiB" },
  };
  GError *error = NULL;
  gint64 t0, members = 0;
  gboolean found;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || days < 1 || per_day < 1 || count < 10)
    die ("usage", error);
  g_setenv ("TZ", "Asia/Tokyo", TRUE);

  template = g_build_filename (parent != NULL ? parent : g_get_tmp_dir (), "daicho-bench-card-XXXXXX", NULL);
  dir = g_mkdtemp (g_steal_pointer (&template));
  if (dir == NULL)
    die ("make a temporary directory", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    series[i].ns = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_print ("Member-card benchmark in %s\n", dir);
  b.store = make_store (dir, (guint) per_day, &b.counter);
  b.count = (guint) count;
  b.members = g_ptr_array_new_with_free_func (g_free);
  b.payloads = g_ptr_array_new_with_free_func (g_free);
  options.days = (guint) days;
  options.visits_per_day = (guint) per_day;
  options.seed = 1;
  options.progress = fill_progress;
  t0 = g_get_monotonic_time ();
  if (!dc_demo_fill (b.store, b.counter, &options, &stats, &error))
    die ("fill", error);
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");
  if (!dc_db_int (dc_store_db (b.store), &members, &found, &error, "SELECT count (*) FROM customers", "")
      || !dc_store_checkpoint (b.store, &error))
    die ("count members", error);
  g_print ("  history: %d days x %d visits/day in %.0f s: %" G_GINT64_FORMAT " members, %" G_GUINT64_FORMAT
           " visits (%" G_GUINT64_FORMAT " by card)\n", days, per_day, (g_get_monotonic_time () - t0) / 1e6, members,
           stats.visits, stats.returning_by_card);

  add_bench_terminal (b.store);
  pick_members (&b, members);
  bench_fdatasync (dir, b.count, &series[4]);
  bench_series (&b, BY_NEW, &series[0]);
  bench_series (&b, CHECK_ONLY, &series[3]);
  bench_series (&b, BY_CARD, &series[1]);
  bench_series (&b, BY_MEMBER, &series[2]);

  g_print ("  %-44s %9s %9s %8s\n", "", "p50 ms", "p99 ms", "n");
  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    {
      series_finish (&series[i]);
      g_print ("  %-44s %9.3f %9.3f %8u\n", series[i].what, series[i].p50, series[i].p99, series[i].ns->len);
    }
  g_print ("  card check-in p99 %.3f ms on %" G_GINT64_FORMAT " members: target <= %.1f ms: %s\n", series[1].p99,
           members, TARGET_P99_MS, series[1].p99 <= TARGET_P99_MS ? "ok" : "MISSED");

  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    g_array_unref (series[i].ns);
  g_ptr_array_unref (b.members);
  g_ptr_array_unref (b.payloads);
  dc_actor_free (b.counter);
  dc_store_free (b.store);
  rm_rf (dir);
  return 0;
}
