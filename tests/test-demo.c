/* tests/test-demo.c — the demo store: made through the real workflows, intact, reproducible, and within the rules. */
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-checkin-private.h"
#include "dc-date.h"
#include "dc-db-records.h"
#include "dc-demo.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define DAYS     10
#define PER_DAY  100
#define SEED     7
#define HOUR_US  G_GINT64_CONSTANT (3600000000)

/* Pairs of sessions on one terminal at the same time: a terminal holds one person at a time. */
static const char overlapping_sessions[] =
  "SELECT count(*) FROM terminal_sessions a JOIN terminal_sessions b"
  " ON a.terminal_id = b.terminal_id AND a.id < b.id"
  " AND b.started_at < coalesce (a.ended_at, 9e18)"
  " AND a.started_at < coalesce (b.ended_at, 9e18)";

typedef struct {
  char       *dir;
  gint64      end;        /* the fixed "now" of the filled stores: a Thursday afternoon in Tokyo */
  DcStore    *store;      /* filled with DAYS × PER_DAY, seed SEED, at @end */
  DcDemoStats stats;
} Fixture;

static Fixture fx;

/* A store like the demo's, but on a fixed clock, so that two fills can be compared. */
static DcStore *
make_store (const char *name, gint64 *clock, guint terminals, DcActor **out_counter)
{
  DcStoreSetup setup = { .name = "テスト店", .operator_name = "テスト", .manager = "店長", .demo = TRUE };
  g_autofree char *dir = g_build_filename (fx.dir, name, NULL);
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(GError) error = NULL;
  DcStore *store;

  store = dc_test_store_create (dir, &setup, "manager-passphrase", "1357", NULL);
  dc_test_store_use_clock (store, clock);
  manager = dc_store_sign_in_passphrase (store, "店長", "manager-passphrase", &error);
  g_assert_no_error (error);
  dc_store_add_staff (store, manager, "受付", "counter", "2468", NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= terminals; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%02u", i);

      dc_store_add_terminal (store, manager, label, NULL, i % 4 == 0, NULL, &error);
      g_assert_no_error (error);
    }
  *out_counter = dc_store_sign_in_pin (store, "受付", "2468", &error);
  g_assert_no_error (error);
  return store;
}

static DcStore *
filled_store (const char *name, gint64 *clock, guint32 seed, guint terminals, DcDemoStats *stats)
{
  g_autoptr(DcActor) counter = NULL;
  g_autoptr(GError) error = NULL;
  DcDemoOptions options = { .days = DAYS, .visits_per_day = PER_DAY, .seed = seed };
  DcStore *store = make_store (name, clock, terminals, &counter);

  g_assert_true (dc_demo_fill (store, counter, &options, stats, &error));
  g_assert_no_error (error);
  return store;
}

/* A read-only view of a store's database, beside the store's own connection. */
static sqlite3 *
open_view (DcStore *store)
{
  g_autofree char *path = g_build_filename (dc_store_dir (store), DC_STORE_DB_NAME, NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

/* ---- the whole demo store ---- */

static void
test_create (void)
{
  g_autofree char *dir = g_build_filename (fx.dir, "demo", NULL);
  DcDemoOptions options = { .days = 3, .visits_per_day = 60, .seed = SEED };
  DcDemoStats stats = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) clerk = NULL;
  g_autoptr(GArray) staff = NULL;
  g_autoptr(GArray) terminals = NULL;
  guint counters = 0;

  store = dc_demo_create (dir, &options, &stats, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (dc_store_is_demo (store));
  g_assert_cmpstr (dc_store_name (store), ==, "デモ店 新宿東口");
  g_assert_nonnull (strstr (dc_store_operator (store), "デモ"));

  staff = dc_db_staff_list (dc_store_db (store), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < staff->len; i++)
    {
      DcStaffRow *row = &g_array_index (staff, DcStaffRow, i);

      if (g_str_equal (row->role, "counter"))
        counters++;
      else
        g_assert_cmpstr (row->name, ==, DC_DEMO_MANAGER);
      dc_staff_row_clear (row);
    }
  g_assert_cmpuint (counters, ==, 2);
  clerk = dc_store_sign_in_pin (store, "受付 鈴木", DC_DEMO_PIN, &error);
  g_assert_no_error (error);

  terminals = dc_db_terminal_list (dc_store_db (store), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (terminals->len, ==, 60);
  for (guint i = 0; i < terminals->len; i++)
    {
      DcTerminalRow *row = &g_array_index (terminals, DcTerminalRow, i);
      g_autofree char *label = g_strdup_printf ("PC-%02u", i + 1);
      g_autofree char *booth = g_strdup_printf ("B%02u", i + 1);

      g_assert_cmpstr (row->label, ==, label);
      g_assert_cmpstr (row->booth, ==, booth);
      g_assert_cmpint (row->filtered, ==, (i + 1) % 4 == 0);
      dc_terminal_row_clear (row);
    }

  g_assert_cmpuint (stats.visits, >, 100);
  g_assert_cmpuint (stats.visits, ==, stats.new_customers + stats.returning_by_document + stats.returning_by_card);
  dc_test_assert_intact (store);
}

static void
test_heavy_load_terminals (void)
{
  g_assert_cmpuint (dc_demo_default_terminals (30), ==, 60);
  g_assert_cmpuint (dc_demo_default_terminals (300), >, 60);
  g_assert_cmpuint (dc_demo_default_terminals (1000) % 4, ==, 0);
  g_assert_cmpuint (dc_demo_default_terminals (1000), >=, 250);
}

/* ---- what the fill wrote ---- */

static void
test_stats_add_up (void)
{
  sqlite3 *db = open_view (fx.store);
  const DcDemoStats *s = &fx.stats;

  g_test_message ("%" G_GUINT64_FORMAT " visits: %" G_GUINT64_FORMAT " new, %" G_GUINT64_FORMAT " by document, %"
                  G_GUINT64_FORMAT " by card, %" G_GUINT64_FORMAT " seat changes, %" G_GUINT64_FORMAT " by minors, %"
                  G_GUINT64_FORMAT " refused", s->visits, s->new_customers, s->returning_by_document,
                  s->returning_by_card, s->seat_changes, s->minors, s->refused);
  g_assert_cmpuint (s->visits, ==, s->new_customers + s->returning_by_document + s->returning_by_card);
  /* every kind of visit, and about the planned number of them */
  g_assert_cmpuint (s->visits, >, DAYS * PER_DAY * 8 / 10);
  g_assert_cmpuint (s->visits, <, DAYS * PER_DAY * 12 / 10);
  g_assert_cmpuint (s->new_customers, >, 0);
  g_assert_cmpuint (s->returning_by_document, >, 0);
  g_assert_cmpuint (s->returning_by_card, >, s->new_customers);
  g_assert_cmpuint (s->seat_changes, >, 0);
  g_assert_cmpuint (s->minors, >, 0);

  /* the database says the same */
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits"), ==, (gint64) s->visits);
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM customers"), ==, (gint64) s->new_customers);
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM verifications"), ==,
                   (gint64) (s->new_customers + s->returning_by_document));
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM terminal_sessions"), ==,
                   (gint64) (s->visits + s->seat_changes));
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits WHERE minor"), ==, (gint64) s->minors);
  /* a member card means no new identity record */
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM audit"
                                        " WHERE action = 'checkin-member' AND subject_table = 'visits'"),
                   ==, (gint64) s->returning_by_card);
  sqlite3_close (db);
}

static void
test_intact (void)
{
  dc_test_assert_intact (fx.store);
}

static void
test_identities_readable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) manager = dc_store_sign_in_passphrase (fx.store, "店長", "manager-passphrase", &error);
  sqlite3 *db = open_view (fx.store);
  sqlite3_stmt *stmt = NULL;
  guint read = 0, differs = 0;

  g_assert_no_error (error);
  /* a sample of the identity records: each opens and passes the document rules on its day */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, verified_at FROM verifications WHERE id % 7 = 0", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(DcIdentityRecord) record = dc_read_identity (fx.store, manager, sqlite3_column_int64 (stmt, 0), &error);
      GDate day;

      g_assert_no_error (error);
      dc_date_from_instant (sqlite3_column_int64 (stmt, 1), dc_store_timezone (fx.store), &day);
      g_assert_true (dc_identity_check (&record->identity, &day, FALSE, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (record->identity.non_resident || strlen (record->identity.kana) > 0);
      g_assert_true (record->identity.non_resident || g_str_has_prefix (record->identity.address, "東京都")
                     || g_str_has_prefix (record->identity.address, "神奈川県")
                     || g_str_has_prefix (record->identity.address, "埼玉県"));
      if (g_str_equal (record->identity.doc_type, "my_number_card"))
        g_assert_null (record->identity.doc_number);
      differs += record->identity.address_differs;
      read++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (read, >, 20);
  g_test_message ("%u identity records read, %u with an address that differs", read, differs);
}

static void
test_minors (void)
{
  sqlite3 *db = open_view (fx.store);
  sqlite3_stmt *stmt = NULL;
  GTimeZone *tz = dc_store_timezone (fx.store);
  guint minors = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT v.entered_at, v.exited_at, t.filtered FROM visits v"
                                       " JOIN terminal_sessions s ON s.visit_id = v.id"
                                       " JOIN terminals t ON t.id = s.terminal_id WHERE v.minor",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 in = sqlite3_column_int64 (stmt, 0);
      gboolean open = sqlite3_column_type (stmt, 1) == SQLITE_NULL;
      gint64 out = open ? fx.end : sqlite3_column_int64 (stmt, 1);
      guint in_minute = dc_time_minute_of_day (in, tz), out_minute = dc_time_minute_of_day (out, tz);
      GDate in_day, out_day;

      dc_date_from_instant (in, tz, &in_day);
      dc_date_from_instant (out, tz, &out_day);
      /* in only from 13:00 to 21:00, and out before the 23:00 curfew of the same day */
      g_assert_cmpuint (in_minute, >=, 13 * 60);
      g_assert_cmpuint (in_minute, <, 21 * 60);
      g_assert_cmpint (g_date_compare (&in_day, &out_day), ==, 0);
      g_assert_cmpuint (out_minute, <, 23 * 60);
      /* only ever on a filtered terminal, seat changes included */
      g_assert_true (sqlite3_column_int (stmt, 2));
      minors++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (minors, >, 0);
}

static void
test_time_line (void)
{
  sqlite3 *db = open_view (fx.store);
  gint64 start = fx.end - DAYS * 24 * HOUR_US;
  g_autofree char *outside = g_strdup_printf ("SELECT count(*) FROM visits WHERE entered_at < %" G_GINT64_FORMAT
                                              " OR entered_at >= %" G_GINT64_FORMAT " OR exited_at >= %"
                                              G_GINT64_FORMAT, start, fx.end, fx.end);
  /* still in at the end only when their stay (at most 12 hours) has not run out */
  g_autofree char *stale = g_strdup_printf ("SELECT count(*) FROM visits WHERE exited_at IS NULL AND entered_at < %"
                                            G_GINT64_FORMAT, fx.end - 12 * HOUR_US - 60000000);

  g_assert_cmpint (dc_test_sql_int (db, outside), ==, 0);
  g_assert_cmpint (dc_test_sql_int (db, stale), ==, 0);
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits WHERE exited_at IS NULL"), >, 0);
  /* stays of one to twelve hours */
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits WHERE exited_at - entered_at < 3600000000"
                                        " OR exited_at - entered_at > 12 * 3600000000 + 60000000"), ==, 0);
  /* night packs: some stays cross midnight */
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits"
                                        " WHERE exited_at - entered_at > 6 * 3600000000"), >, 0);
  /* one person is never in twice at once, and a terminal holds one session at a time */
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits a JOIN visits b ON a.customer_id = b.customer_id"
                                        " AND a.id < b.id AND b.entered_at < coalesce (a.exited_at, 9e18)"), ==, 0);
  g_assert_cmpint (dc_test_sql_int (db, overlapping_sessions), ==, 0);
  /* the audit trail carries the simulated times, not the time of the run */
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM audit WHERE action = 'checkin'"
                                        " AND subject_table = 'visits'"
                                        " AND at NOT IN (SELECT entered_at FROM visits)"), ==, 0);
  sqlite3_close (db);
}

static void
test_clock_restored (void)
{
  g_assert_cmpint (dc_store_now (fx.store), ==, fx.end);
}

static void
test_deterministic (void)
{
  gint64 end = fx.end;
  DcDemoStats again = { 0 }, other = { 0 };
  g_autoptr(DcStore) twin = filled_store ("twin", &end, SEED, 60, &again);
  g_autoptr(DcStore) different = filled_store ("other-seed", &end, SEED + 1, 60, &other);
  const char *sql = "SELECT group_concat (entered_at || ':' || coalesce (exited_at, '-') || ':' || customer_id, ',')"
                    " FROM (SELECT * FROM visits ORDER BY id)";
  sqlite3 *a = open_view (fx.store), *b = open_view (twin);
  sqlite3_stmt *sa = NULL, *sb = NULL;

  g_assert_cmpmem (&again, sizeof again, &fx.stats, sizeof fx.stats);
  g_assert_true (memcmp (&other, &fx.stats, sizeof other) != 0);

  /* not only the totals: the same visits at the same times */
  g_assert_cmpint (sqlite3_prepare_v2 (a, sql, -1, &sa, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (b, sql, -1, &sb, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (sa), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_step (sb), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (sa, 0), ==, (const char *) sqlite3_column_text (sb, 0));
  sqlite3_finalize (sa);
  sqlite3_finalize (sb);
  sqlite3_close (a);
  sqlite3_close (b);
}

/* A store too small for its crowd: arrivals that find no free terminal are turned away and counted. */
static void
test_full_store (void)
{
  gint64 end = fx.end;
  DcDemoStats stats = { 0 };
  g_autoptr(DcStore) store = filled_store ("small", &end, SEED, 4, &stats);
  sqlite3 *db = open_view (store);

  g_assert_cmpuint (stats.refused, >, DAYS * PER_DAY / 4);
  g_assert_cmpuint (stats.visits, ==, stats.new_customers + stats.returning_by_document + stats.returning_by_card);
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits"), ==, (gint64) stats.visits);
  /* never more people than seats: sessions on one terminal never overlap */
  g_assert_cmpint (dc_test_sql_int (db, overlapping_sessions), ==, 0);
  /* the one filtered terminal (PC-04) is the only one minors used */
  g_assert_cmpint (dc_test_sql_int (db, "SELECT count(*) FROM visits v JOIN terminal_sessions s ON s.visit_id = v.id"
                                        " JOIN terminals t ON t.id = s.terminal_id"
                                        " WHERE v.minor AND t.label <> 'PC-04'"), ==, 0);
  sqlite3_close (db);
  dc_test_assert_intact (store);
}

/* ---- what makes the demo fast: canonical bytes without reading back ---- */

static void
assert_same_canonical (DcDb *db, const char *table, gint64 id, gboolean made, GByteArray *made_bytes)
{
  g_autoptr(GByteArray) read = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  g_assert_true (made);
  g_assert_true (dc_db_row_canonical (db, table, id, read, &found, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpmem (made_bytes->data, made_bytes->len, read->data, read->len);
}

/* Every customer, verification, visit and session of the filled store: the bytes made from
 * the values are the bytes read from the row. Both kinds of each nullable column occur. */
static void
test_canonical_bytes (void)
{
  DcDb *db = dc_store_db (fx.store);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  sqlite3 *view = open_view (fx.store);
  sqlite3_stmt *stmt = NULL;
  guint customers = 0, no_number = 0, with_number = 0, open = 0, closed = 0, open_sessions = 0, sessions = 0;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (view, "SELECT id, member_number, person_index, created_at FROM customers",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GBytes) person = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
      gint64 id = sqlite3_column_int64 (stmt, 0);

      assert_same_canonical (db, "customers", id,
                             dc_db_customer_canonical (db, id, (const char *) sqlite3_column_text (stmt, 1), person,
                                                       sqlite3_column_int64 (stmt, 3), bytes), bytes);
      customers++;
    }
  sqlite3_finalize (stmt);

  n = dc_test_sql_int (view, "SELECT max (id) FROM verifications");
  for (gint64 id = 1; id <= n; id++)
    {
      DcVerificationRow row = { 0 };
      gboolean found = FALSE;

      g_assert_true (dc_db_verification_get (db, id, &row, &found, &error));
      g_assert_no_error (error);
      g_assert_true (found);
      assert_same_canonical (db, "verifications", id, dc_db_verification_canonical (db, &row, bytes), bytes);
      if (row.document_index == NULL)
        no_number++;
      else
        with_number++;
      dc_verification_row_clear (&row);
    }

  n = dc_test_sql_int (view, "SELECT max (id) FROM visits");
  for (gint64 id = 1; id <= n; id++)
    {
      DcVisitRow row = { 0 };
      gboolean found = FALSE;

      g_assert_true (dc_db_visit_get (db, id, &row, &found, &error));
      g_assert_no_error (error);
      g_assert_true (found);
      assert_same_canonical (db, "visits", id, dc_db_visit_canonical (db, &row, bytes), bytes);
      if (row.exited_at == 0)
        open++;
      else
        closed++;
      dc_visit_row_clear (&row);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (view, "SELECT id, visit_id, terminal_id, started_at, coalesce (ended_at, 0)"
                                             " FROM terminal_sessions", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      DcSessionRow row = {
        .id = sqlite3_column_int64 (stmt, 0),
        .visit_id = sqlite3_column_int64 (stmt, 1),
        .terminal_id = sqlite3_column_int64 (stmt, 2),
        .started_at = sqlite3_column_int64 (stmt, 3),
        .ended_at = sqlite3_column_int64 (stmt, 4),
      };

      assert_same_canonical (db, "terminal_sessions", row.id, dc_db_session_canonical (db, &row, bytes), bytes);
      open_sessions += row.ended_at == 0;
      sessions++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (view);

  g_assert_cmpuint (customers, >, 0);
  g_assert_cmpuint (no_number, >, 0);
  g_assert_cmpuint (with_number, >, 0);
  g_assert_cmpuint (open, >, 0);
  g_assert_cmpuint (closed, >, 0);
  g_assert_cmpuint (open_sessions, >, 0);
  g_assert_cmpuint (sessions, >, open_sessions);
}

/* A correction (supersedes, reason) has the same bytes too; a table with a column the
 * code does not know (a newer schema) is read back instead, and its entry still matches. */
static void
test_canonical_newer_schema (void)
{
  gint64 clock = fx.end;
  g_autoptr(DcActor) counter = NULL;
  g_autoptr(DcStore) store = make_store ("newer", &clock, 2, &counter);
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  DcCheckinRequest req = { .terminal = "PC-01", .internet = TRUE };
  DcCheckinResult result = { 0 };
  DcVerificationRow row = { 0 };
  DcVisitRow visit = { 0 };
  DcDb *db = dc_store_db (store);
  gint64 corrected = 0;
  gboolean found = FALSE;
  sqlite3 *handle = dc_db_handle (db);
  g_autofree char *hash_hex = NULL;
  g_autofree char *audit_sql = NULL;
  g_autofree char *stored_hex = NULL;
  guint8 hash[32];

  dc_test_identity_fill (&req.identity, 2035);
  g_assert_true (dc_checkin (store, counter, &req, &result, &error));
  g_assert_no_error (error);
  manager = dc_store_sign_in_passphrase (store, "店長", "manager-passphrase", &error);
  g_assert_no_error (error);
  req.identity.kana = "ヤマダ タロー";
  g_assert_true (dc_correct_identity (store, manager, result.verification_id, &req.identity, "typo in the kana",
                                      &corrected, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dc_db_verification_get (db, corrected, &row, &found, &error));
  g_assert_true (found && row.supersedes == result.verification_id && row.reason != NULL);
  assert_same_canonical (db, "verifications", corrected, dc_db_verification_canonical (db, &row, bytes), bytes);
  dc_verification_row_clear (&row);

  /* a newer schema: a column more */
  dc_test_sql_exec (handle, "ALTER TABLE visits ADD COLUMN note TEXT");
  g_assert_true (dc_db_visit_get (db, result.visit_id, &visit, &found, &error));
  g_assert_false (dc_db_visit_canonical (db, &visit, bytes));
  dc_visit_row_clear (&visit);
  clock += HOUR_US;
  g_assert_true (dc_checkout (store, counter, "PC-01", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  g_assert_true (dc_db_row_canonical (db, "visits", result.visit_id, bytes, &found, &error));
  dc_hash256 (bytes->data, bytes->len, hash);
  hash_hex = dc_hex (hash, sizeof hash);
  audit_sql = g_strdup_printf ("SELECT lower (hex (row_hash)) FROM audit WHERE subject_table = 'visits'"
                               " AND subject_id = %" G_GINT64_FORMAT " ORDER BY id DESC LIMIT 1", result.visit_id);
  stored_hex = dc_test_sql_text (handle, audit_sql);
  g_assert_cmpstr (stored_hex, ==, hash_hex);
  dc_checkin_result_clear (&result);
}

/* ---- the check-in in two steps, as the demo runs it ---- */

static gpointer
prepare_in_thread (gpointer data)
{
  gpointer *args = data;
  GError *error = NULL;
  DcCheckinPrepared *p = dc_checkin_prepare (args[0], args[1], args[2], args[3], NULL, &error);

  g_assert_no_error (error);
  return p;
}

static void
test_two_steps (void)
{
  gint64 clock = fx.end;
  g_autoptr(DcActor) counter = NULL;
  g_autoptr(DcStore) store = make_store ("two-steps", &clock, 2, &counter);
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DcCheckinPrepared) first = NULL;
  g_autoptr(DcCheckinPrepared) second = NULL;
  g_autoptr(DcCheckinPrepared) refused = NULL;
  g_autoptr(GBytes) plain_first = NULL;
  g_autoptr(GBytes) plain_second = NULL;
  DcCheckinResult result = { 0 };
  DcIdentity id;
  DcField field = DC_FIELD_NONE;
  GDate today;
  gpointer args[4];

  dc_test_identity_fill (&id, 2035);
  dc_date_from_instant (clock, dc_store_timezone (store), &today);
  args[0] = store;
  args[1] = (gpointer) dc_actor_vault (counter);
  args[2] = &id;
  args[3] = &today;
  first = g_thread_join (g_thread_new ("prepare", prepare_in_thread, args));
  second = dc_checkin_prepare (store, dc_actor_vault (counter), &id, &today, NULL, &error);
  g_assert_no_error (error);

  /* sealed anew each time (a fresh ephemeral key), the same indexes, only the master key opens them */
  g_assert_false (g_bytes_equal (first->payload, second->payload));
  g_assert_true (g_bytes_equal (first->person_index, second->person_index));
  g_assert_true (g_bytes_equal (first->document_index, second->document_index));
  g_assert_null (dc_vault_open_sealed (dc_actor_vault (counter), first->payload, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  manager = dc_store_sign_in_passphrase (store, "店長", "manager-passphrase", &error);
  g_assert_no_error (error);
  plain_first = dc_vault_open_sealed (dc_actor_vault (manager), first->payload, &error);
  plain_second = dc_vault_open_sealed (dc_actor_vault (manager), second->payload, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (plain_first, plain_second));

  g_assert_true (dc_checkin_commit (store, counter, first, "PC-01", TRUE, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.new_customer);
  dc_checkin_result_clear (&result);
  /* one preparation, one check-in */
  g_assert_false (dc_checkin_commit (store, counter, first, "PC-02", TRUE, &result, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  /* the same person again: the workflow's own rules still apply */
  g_assert_false (dc_checkin_commit (store, counter, second, "PC-02", TRUE, &result, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_ALREADY_IN);
  g_clear_error (&error);
  g_assert_true (dc_checkout (store, counter, "PC-01", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  /* checked yesterday: not good for today */
  clock += 24 * HOUR_US;
  g_assert_false (dc_checkin_commit (store, counter, second, "PC-02", TRUE, &result, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);

  /* the document rules refuse in the first step */
  g_date_set_dmy (&id.doc_expiry, 1, 1, 2020);
  refused = dc_checkin_prepare (store, dc_actor_vault (counter), &id, &today, &field, &error);
  g_assert_null (refused);
  g_assert_error (error, DC_ERROR, DC_ERROR_DOC_EXPIRED);
  g_assert_cmpint (field, ==, DC_FIELD_DOC_EXPIRY);
  dc_test_assert_intact (store);
}

/* In a batch, a refusal writes nothing and needs no savepoint; the rest commits as one. */
static void
test_batch_refusals (void)
{
  gint64 clock = fx.end;
  g_autoptr(DcActor) counter = NULL;
  g_autoptr(DcStore) store = make_store ("batch", &clock, 4, &counter);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcCheckinPrepared) taro = NULL;
  g_autoptr(DcCheckinPrepared) hanako = NULL;
  DcCheckinResult result = { 0 };
  DcDb *db = dc_store_db (store);
  sqlite3 *handle = dc_db_handle (db);
  g_autofree char *member = NULL;
  DcIdentity id;
  GDate today;
  gint64 audit, visits;

  dc_date_from_instant (clock, dc_store_timezone (store), &today);
  dc_test_identity_fill (&id, 2035);
  taro = dc_checkin_prepare (store, dc_actor_vault (counter), &id, &today, NULL, &error);
  id.name = "山田 花子";
  id.kana = "ヤマダ ハナコ";
  id.doc_number = "301234567891";
  hanako = dc_checkin_prepare (store, dc_actor_vault (counter), &id, &today, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (dc_db_begin (db, &error));
  g_assert_true (dc_batch_checkin (store, counter, taro, "PC-01", TRUE, &result, &error));
  g_assert_no_error (error);
  member = g_steal_pointer (&result.member_number);
  dc_checkin_result_clear (&result);
  audit = dc_test_sql_int (handle, "SELECT count(*) FROM audit");
  visits = dc_test_sql_int (handle, "SELECT count(*) FROM visits");

  g_assert_false (dc_batch_checkin (store, counter, hanako, "PC-01", TRUE, &result, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY);
  g_clear_error (&error);
  g_assert_false (dc_batch_checkin (store, counter, hanako, "PC-99", TRUE, &result, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dc_batch_checkin_member (store, counter, member, "PC-02", &result, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_ALREADY_IN);
  g_clear_error (&error);
  g_assert_false (dc_batch_move (store, counter, "PC-01", "PC-01", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dc_batch_checkout (store, counter, "PC-02", 0, DC_EXIT_STAFF, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (dc_test_sql_int (handle, "SELECT count(*) FROM audit"), ==, audit);
  g_assert_cmpint (dc_test_sql_int (handle, "SELECT count(*) FROM visits"), ==, visits);

  g_assert_true (dc_batch_checkin (store, counter, hanako, "PC-02", TRUE, &result, &error));
  g_assert_no_error (error);
  dc_checkin_result_clear (&result);
  g_assert_true (dc_batch_move (store, counter, "PC-02", "PC-04", &error));
  clock += HOUR_US;
  g_assert_true (dc_batch_checkout (store, counter, "PC-01", 0, DC_EXIT_STAFF, &error));
  g_assert_true (dc_batch_checkin_member (store, counter, member, "PC-01", &result, &error));
  g_assert_no_error (error);
  dc_checkin_result_clear (&result);
  g_assert_true (dc_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dc_test_sql_int (handle, "SELECT count(*) FROM visits"), ==, 3);
  dc_test_assert_intact (store);
}

/* ---- bulk mode: what makes the fill fast changes nothing in what it writes ---- */

/* The schema as the migrations make it: every table, index and trigger with its SQL. */
static char *
schema_of (sqlite3 *db)
{
  return dc_test_sql_text (db, "SELECT group_concat (type || ' ' || name || ' ' || tbl_name || ' ' || coalesce (sql, ''),"
                               " char (10)) FROM (SELECT * FROM sqlite_schema ORDER BY type, name)");
}

/* A demo store made the fast way: `daicho-ctl verify` accepts it, it has every index and
 * trigger of a freshly migrated database (none left out or renamed for the load), its file
 * is intact, and the connection is back to the counter's settings. */
static void
test_fast_store_complete (void)
{
  const char *ctl = g_getenv ("DAICHO_CTL");
  g_autofree char *dir = g_build_filename (fx.dir, "fast", NULL);
  g_autofree char *fresh_path = g_build_filename (fx.dir, "fresh.db", NULL);
  g_autofree char *fresh_schema = NULL, *demo_schema = NULL, *out = NULL;
  DcDemoOptions options = { .days = 2, .visits_per_day = 80, .seed = SEED };
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcDb) fresh = NULL;
  sqlite3 *handle;

  if (ctl == NULL)
    {
      g_test_fail_printf ("DAICHO_CTL is not set: run the tests through meson");
      return;
    }
  store = dc_demo_create (dir, &options, NULL, &error);
  g_assert_no_error (error);
  handle = dc_db_handle (dc_store_db (store));
  g_assert_false (dc_db_is_bulk (dc_store_db (store)));
  g_assert_cmpint (dc_test_sql_int (handle, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (dc_test_sql_int (handle, "PRAGMA ignore_check_constraints"), ==, 0);
  g_assert_cmpint (dc_test_sql_int (handle, "SELECT count(*) FROM visits"), >, 100);
  dc_test_assert_intact (store);

  fresh = dc_db_open (fresh_path, TRUE, &error);
  g_assert_no_error (error);
  fresh_schema = schema_of (dc_db_handle (fresh));
  demo_schema = schema_of (handle);
  g_assert_cmpstr (demo_schema, ==, fresh_schema);
  g_assert_nonnull (strstr (demo_schema, "index audit_subject audit"));
  g_clear_pointer (&store, dc_store_free);

  {
    const char *args[] = { "verify", "--store", dir, NULL };

    out = dc_test_ctl_ok (ctl, args, NULL, NULL, NULL, NULL);
  }
  {
    sqlite3 *view = NULL;
    g_autofree char *path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
    g_autofree char *check = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &view, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    check = dc_test_sql_text (view, "PRAGMA integrity_check");
    g_assert_cmpstr (check, ==, "ok");
    sqlite3_close (view);
  }
}

/* Bulk mode leaves CHECK constraints to its end, where a violation still fails it. */
static void
test_bulk_checks_at_end (void)
{
  g_autofree char *bad_path = g_build_filename (fx.dir, "bulk-bad.db", NULL);
  g_autofree char *good_path = g_build_filename (fx.dir, "bulk-good.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcDb) bad = dc_db_open (bad_path, TRUE, &error);
  g_autoptr(DcDb) good = dc_db_open (good_path, TRUE, &error);

  g_assert_no_error (error);
  /* outside bulk mode the row is refused at once */
  g_assert_true (dc_db_begin (bad, &error));
  g_assert_false (dc_db_run (bad, &error, "INSERT INTO terminals (label, kind, created_at) VALUES ('PC-01', 'spaceship', 1)",
                             ""));
  g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  dc_db_rollback (bad);

  g_assert_true (dc_db_set_bulk (bad, TRUE, &error));
  g_assert_true (dc_db_begin (bad, &error));
  g_assert_true (dc_db_run (bad, &error, "INSERT INTO terminals (label, kind, created_at) VALUES ('PC-01', 'spaceship', 1)",
                            ""));
  g_assert_true (dc_db_commit (bad, &error));
  g_assert_no_error (error);
  g_assert_false (dc_db_set_bulk (bad, FALSE, &error));
  g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "terminals"));
  g_clear_error (&error);
  /* and the connection is back to normal all the same */
  g_assert_false (dc_db_is_bulk (bad));
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (bad), "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (bad), "PRAGMA ignore_check_constraints"), ==, 0);

  g_assert_true (dc_db_set_bulk (good, TRUE, &error));
  g_assert_true (dc_db_begin (good, &error));
  g_assert_true (dc_db_run (good, &error, "INSERT INTO terminals (label, kind, created_at) VALUES ('PC-01', 'booth', 1)", ""));
  g_assert_true (dc_db_commit (good, &error));
  g_assert_true (dc_db_set_bulk (good, FALSE, &error));
  g_assert_no_error (error);
}

/* Bulk mode drops the indexes it is given and builds each again at its end from its own
 * text, so the schema ends as a fresh one's; a UNIQUE index (a rule) is never dropped, and a
 * name the schema lacks is passed over. */
static void
test_bulk_indexes_deferred (void)
{
  static const char *const plain[] = { "visits_exited", "sessions_length", "no_such_index", NULL };
  static const char *const unique[] = { "visits_one_open", NULL };
  g_autofree char *path = g_build_filename (fx.dir, "bulk-indexes.db", NULL);
  g_autofree char *fresh_path = g_build_filename (fx.dir, "bulk-indexes-fresh.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcDb) db = dc_db_open (path, TRUE, &error);
  g_autoptr(DcDb) fresh = dc_db_open (fresh_path, TRUE, &error);
  g_autofree char *want = NULL, *got = NULL;
  sqlite3 *h;

  g_assert_no_error (error);
  h = dc_db_handle (db);
  want = schema_of (dc_db_handle (fresh));
  g_assert_true (dc_db_set_bulk (db, TRUE, &error));
  g_assert_true (dc_db_bulk_defer_indexes (db, plain, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dc_test_sql_int (h, "SELECT count(*) FROM sqlite_schema"
                                       " WHERE name IN ('visits_exited', 'sessions_length')"), ==, 0);
  g_assert_false (dc_db_bulk_defer_indexes (db, unique, &error));
  g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (dc_test_sql_int (h, "SELECT count(*) FROM sqlite_schema WHERE name = 'visits_one_open'"), ==, 1);
  g_assert_true (dc_db_set_bulk (db, FALSE, &error));
  g_assert_no_error (error);
  got = schema_of (h);
  g_assert_cmpstr (got, ==, want);
}

/* The canonical bytes follow the table's columns within one transaction too: a column added
 * by this connection, or taken back by a rollback, is seen at once. */
static void
test_canonical_columns_follow_schema (void)
{
  g_autofree char *path = g_build_filename (fx.dir, "columns.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcDb) db = dc_db_open (path, TRUE, &error);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  DcVisitRow visit = { .id = 1, .customer_id = 1, .verification_id = 1, .entered_at = 5, .staff_in = 1 };

  g_assert_no_error (error);
  g_assert_true (dc_db_begin (db, &error));
  g_assert_true (dc_db_visit_canonical (db, &visit, bytes));
  g_assert_true (dc_db_exec (db, "ALTER TABLE visits ADD COLUMN note TEXT", &error));
  g_assert_no_error (error);
  g_assert_false (dc_db_visit_canonical (db, &visit, bytes));
  dc_db_rollback (db);
  g_assert_true (dc_db_begin (db, &error));
  g_assert_true (dc_db_visit_canonical (db, &visit, bytes));
  dc_db_rollback (db);
}

static void
hash_of (guint8 out[32], guint seed)
{
  for (guint i = 0; i < 32; i++)
    out[i] = (guint8) (seed * 31 + i);
}

/* The columns of every audit row, as text. */
static char *
audit_rows (DcDb *db)
{
  return dc_test_sql_text (dc_db_handle (db),
                           "SELECT group_concat (id || '|' || at || '|' || quote (staff_id) || '|' || action || '|'"
                           " || quote (subject_table) || '|' || quote (subject_id) || '|' || quote (row_hash) || '|'"
                           " || quote (prev_hash) || '|' || quote (hash), char (10)) FROM (SELECT * FROM audit ORDER BY id)");
}

/* Entries made in bulk mode wait, are written before anything reads the chain, go with a
 * rollback of their own level only, and end up as the very rows written one at a time. */
static void
test_bulk_audit_deferred (void)
{
  g_autofree char *bulk_path = g_build_filename (fx.dir, "audit-bulk.db", NULL);
  g_autofree char *plain_path = g_build_filename (fx.dir, "audit-plain.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcDb) bulk = dc_db_open (bulk_path, TRUE, &error);
  g_autoptr(DcDb) plain = dc_db_open (plain_path, TRUE, &error);
  g_autofree char *bulk_rows = NULL, *plain_rows = NULL;
  gint64 count = 0, head = 0;
  guint8 head_hash[32], want[32];
  gboolean found;
  guint seq = 0, kept = 0;

  g_assert_no_error (error);
  g_assert_true (dc_db_set_bulk (bulk, TRUE, &error));
  g_assert_true (dc_db_begin (bulk, &error));
  g_assert_true (dc_db_begin (plain, &error));
  /* more than one statement's worth, and not a power of two: every size is used */
  for (guint i = 0; i < 700; i++)
    {
      guint8 row[32], prev[32], hash[32];
      gboolean with_row = i % 3 != 0;
      const char *table = i % 5 == 0 ? NULL : i % 2 ? "visits" : "terminal_sessions";
      g_autoptr(GBytes) row_bytes = NULL;
      g_autoptr(GBytes) prev_bytes = NULL;
      g_autoptr(GBytes) hash_bytes = NULL;
      DcAuditRow plain_row = { 0 };

      seq++;
      hash_of (row, seq);
      hash_of (prev, seq + 1000);
      hash_of (hash, seq + 2000);
      g_assert_true (dc_db_audit_defer (bulk, seq, 1000 + seq, i % 4, i % 7 ? "checkin" : "checkout", table,
                                        table != NULL ? seq : 0, with_row ? row : NULL, prev, hash, &error));
      g_assert_no_error (error);
      row_bytes = with_row ? g_bytes_new (row, 32) : NULL;
      prev_bytes = g_bytes_new (prev, 32);
      hash_bytes = g_bytes_new (hash, 32);
      plain_row = (DcAuditRow) { .seq = seq, .at = 1000 + seq, .staff_id = i % 4, .action = i % 7 ? "checkin" : "checkout",
                                 .subject_table = (char *) table, .subject_id = table != NULL ? seq : 0,
                                 .row_hash = row_bytes, .prev_hash = prev_bytes, .hash = hash_bytes };
      g_assert_true (dc_db_audit_insert (plain, &plain_row, &error));
      g_assert_no_error (error);
      if (i == 10)
        {
          /* a statement naming the audit table sees every entry made so far */
          g_assert_true (dc_db_int (bulk, &count, &found, &error, "SELECT count(*) FROM audit", ""));
          g_assert_cmpint (count, ==, 11);
          g_assert_true (dc_db_audit_head (bulk, &head, head_hash, &found, &error));
          g_assert_cmpint (head, ==, 11);
          hash_of (want, 11 + 2000);
          g_assert_cmpmem (head_hash, 32, want, 32);
        }
    }
  kept = seq;

  /* a savepoint rolled back drops its own entries, not those before it */
  g_assert_true (dc_db_begin (bulk, &error));
  for (guint i = 0; i < 3; i++)
    {
      guint8 h[32];

      hash_of (h, 9999 + i);
      g_assert_true (dc_db_audit_defer (bulk, kept + 1 + i, 1, 0, "checkin", "visits", 1, h, h, h, &error));
    }
  dc_db_rollback (bulk);
  g_assert_true (dc_db_commit (bulk, &error));
  g_assert_true (dc_db_commit (plain, &error));
  g_assert_no_error (error);

  bulk_rows = audit_rows (bulk);
  plain_rows = audit_rows (plain);
  g_assert_cmpstr (bulk_rows, ==, plain_rows);
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (bulk), "SELECT max (id) FROM audit"), ==, kept);

  /* a transaction rolled back leaves nothing behind */
  g_assert_true (dc_db_begin (bulk, &error));
  for (guint i = 0; i < 300; i++)
    {
      guint8 h[32];

      hash_of (h, i);
      g_assert_true (dc_db_audit_defer (bulk, kept + 1 + i, 1, 0, "checkin", NULL, 0, NULL, h, h, &error));
    }
  dc_db_rollback (bulk);
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (bulk), "SELECT count(*) FROM audit"), ==, kept);
  g_assert_true (dc_db_set_bulk (bulk, FALSE, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GTimeZone) tokyo = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_test_init (&argc, &argv, NULL);

  tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  end = g_date_time_new (tokyo, 2025, 7, 10, 16, 20, 0);
  fx.end = g_date_time_to_unix (end) * G_USEC_PER_SEC;
  fx.dir = g_dir_make_tmp ("daicho-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  fx.store = filled_store ("filled", &fx.end, SEED, 60, &fx.stats);

  g_test_add_func ("/demo/create/store", test_create);
  g_test_add_func ("/demo/create/terminals-for-load", test_heavy_load_terminals);
  g_test_add_func ("/demo/fill/stats-add-up", test_stats_add_up);
  g_test_add_func ("/demo/fill/intact", test_intact);
  g_test_add_func ("/demo/fill/identities-valid", test_identities_readable);
  g_test_add_func ("/demo/fill/minors-within-rules", test_minors);
  g_test_add_func ("/demo/fill/time-line", test_time_line);
  g_test_add_func ("/demo/fill/clock-restored", test_clock_restored);
  g_test_add_func ("/demo/fill/deterministic", test_deterministic);
  g_test_add_func ("/demo/fill/full-store", test_full_store);
  g_test_add_func ("/demo/fill/canonical-bytes", test_canonical_bytes);
  g_test_add_func ("/demo/canonical/correction-and-newer-schema", test_canonical_newer_schema);
  g_test_add_func ("/demo/checkin/two-steps", test_two_steps);
  g_test_add_func ("/demo/checkin/batch-refusals", test_batch_refusals);
  g_test_add_func ("/demo/bulk/store-verified-with-every-index", test_fast_store_complete);
  g_test_add_func ("/demo/bulk/checks-at-end", test_bulk_checks_at_end);
  g_test_add_func ("/demo/bulk/audit-deferred", test_bulk_audit_deferred);
  g_test_add_func ("/demo/bulk/indexes-deferred", test_bulk_indexes_deferred);
  g_test_add_func ("/demo/canonical/columns-follow-schema", test_canonical_columns_follow_schema);
  status = g_test_run ();

  g_clear_pointer (&fx.store, dc_store_free);
  dc_test_remove_tree (fx.dir);
  g_free (fx.dir);
  return status;
}
