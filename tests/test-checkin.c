/* tests/test-checkin.c — check-in, member check-in, seat change, check-out and identity reads, on a clock the test sets. */
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-db.h"
#include "dc-member.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define PASSPHRASE  "correct horse 台帳"
#define PIN         "4711"
#define COUNTER_PIN "1234"
/* A 12-digit number with a valid My Number check digit: it must never reach the disk. */
#define MY_NUMBER   "482136590272"
/* Documents stay valid past every clock this file sets. */
#define DOC_EXPIRY_YEAR 2035

/* One store per rule profile, made at the first test that needs it (Argon2 is slow) and
 * copied for every case. Its actors work on every copy: same master key, same staff. */
typedef struct {
  const char    *prefecture;
  DcTestTemplate base;       /* the manager reads identities */
} Template;

typedef struct {
  gint64 now;
} Clock;

/* ---- helpers ---- */

static void
template_ensure (Template *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  DcStoreSetup setup = {
    .name = "テスト店",
    .operator_name = "株式会社テスト",
    .prefecture = t->prefecture,
    .manager = "Hana",
  };
  gboolean osaka = g_str_equal (t->prefecture, "osaka");

  if (!dc_test_template_start (&t->base, "checkin"))
    return;
  store = dc_test_store_create (t->base.dir, &setup, PASSPHRASE, PIN, NULL);

  t->base.manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  if (!osaka)
    {
      g_assert_true (dc_store_add_staff (store, t->base.manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
      g_assert_true (dc_store_add_terminal (store, t->base.manager, "PC-1", NULL, FALSE, NULL, &error));
      g_assert_true (dc_store_add_terminal (store, t->base.manager, "PC-2", NULL, FALSE, NULL, &error));
      g_assert_true (dc_store_add_terminal (store, t->base.manager, "PC-3", NULL, TRUE, NULL, &error));
      g_assert_true (dc_store_add_terminal (store, t->base.manager, "PC-4", NULL, TRUE, NULL, &error));
      g_assert_no_error (error);
      t->base.counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
    }
  else
    {
      g_assert_true (dc_store_add_terminal (store, t->base.manager, "OS-1", NULL, TRUE, NULL, &error));
      g_assert_no_error (error);
      /* the manager at the counter, by PIN */
      t->base.counter = dc_store_sign_in_pin (store, "Hana", PIN, &error);
    }
  g_assert_no_error (error);
}

/* A fresh copy of the template, open, reading time from @clock. */
static DcStore *
fresh_store (Template *t, Clock *clock)
{
  template_ensure (t);
  return dc_test_template_open (&t->base, &clock->now);
}

static gboolean
db_is_null (DcStore *store, const char *sql, gint64 arg)
{
  sqlite3_stmt *stmt = dc_db_query (dc_store_db (store), NULL, sql, "i", arg);
  gboolean null;

  g_assert_nonnull (stmt);
  g_assert_true (dc_db_next (dc_store_db (store), stmt, NULL));
  null = dc_db_col_is_null (stmt, 0);
  sqlite3_reset (stmt);
  return null;
}

/* Every table with its row count: equal strings before and after mean nothing was written. */
static char *
table_counts (DcStore *store)
{
  sqlite3 *h = dc_db_handle (dc_store_db (store));
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (names->len, >=, 15);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", (char *) names->pdata[i]);

      g_assert_cmpint (sqlite3_prepare_v2 (h, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_string_append_printf (out, "%s=%lld ", (char *) names->pdata[i], (long long) sqlite3_column_int64 (stmt, 0));
      sqlite3_finalize (stmt);
    }
  /* sqlite_sequence holds the counters themselves */
  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT group_concat (name || ':' || seq) FROM sqlite_sequence", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append (out, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Does @needle occur anywhere in the database file or its WAL? */
static gboolean
store_bytes_contain (DcStore *store, const char *needle)
{
  g_autofree char *db = g_build_filename (dc_store_dir (store), DC_STORE_DB_NAME, NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);

  return dc_test_file_contains (db, needle) || dc_test_file_contains (wal, needle);
}

/* Someone born on @d/@m/@y, otherwise valid, with a name of its own. */
static void
person_identity (DcIdentity *id, const char *name, int d, int m, int y)
{
  dc_test_identity_fill (id, DOC_EXPIRY_YEAR);
  id->name = name;
  g_date_set_dmy (&id->dob, d, m, y);
}

static gboolean
checkin (DcStore *store, DcActor *actor, const DcIdentity *id, const char *terminal, DcCheckinResult *result,
         GError **error)
{
  DcCheckinRequest request = { .identity = *id, .terminal = terminal, .internet = TRUE };

  return dc_checkin (store, actor, &request, result, error);
}

/* The open session on terminal @label, 0 when it is free. */
static gint64
open_session_on (DcStore *store, const char *label)
{
  gint64 out = 0;
  gboolean found = FALSE;

  g_assert_true (dc_db_int (dc_store_db (store), &out, &found, NULL,
                            "SELECT coalesce (max (s.id), 0) FROM terminal_sessions s"
                            " JOIN terminals t ON t.id = s.terminal_id"
                            " WHERE s.ended_at IS NULL AND t.label = ?", "t", label));
  return out;
}

static gint64
db_count (DcStore *store, const char *sql)
{
  gint64 out = 0;
  gboolean found = FALSE;

  g_assert_true (dc_db_int (dc_store_db (store), &out, &found, NULL, sql, ""));
  g_assert_true (found);
  return out;
}

/* ---- check-in from a document ---- */

static void
test_new_customer (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 14, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *doc_type = NULL;
  DcCheckinResult r = { 0 };
  DcIdentity id;

  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &r, &error));
  g_assert_no_error (error);
  g_assert_true (r.new_customer);
  g_assert_false (r.minor);
  g_assert_cmpint (r.bad_field, ==, DC_FIELD_NONE);
  g_assert_cmpint (r.customer_id, >, 0);
  g_assert_cmpint (r.verification_id, >, 0);
  g_assert_cmpint (r.visit_id, >, 0);
  g_assert_cmpint (r.session_id, >, 0);
  g_assert_true (dc_member_number_check (r.member_number, NULL));
  expected = dc_member_number_for_id (r.customer_id);
  g_assert_cmpstr (r.member_number, ==, expected);

  /* the rows say who, when and where; the staff member is the verifier and recorder */
  g_assert_cmpint (dc_test_db_int (store, "SELECT entered_at FROM visits WHERE id = ?", r.visit_id), ==, clock.now);
  g_assert_true (db_is_null (store, "SELECT exited_at FROM visits WHERE id = ?", r.visit_id));
  g_assert_cmpint (dc_test_db_int (store, "SELECT minor FROM visits WHERE id = ?", r.visit_id), ==, 0);
  g_assert_cmpint (dc_test_db_int (store, "SELECT started_at FROM terminal_sessions WHERE id = ?", r.session_id), ==,
                   clock.now);
  g_assert_cmpint (dc_test_db_int (store, "SELECT visit_id FROM terminal_sessions WHERE id = ?", r.session_id), ==,
                   r.visit_id);
  g_assert_cmpint (open_session_on (store, "PC-1"), ==, r.session_id);
  g_assert_cmpint (dc_test_db_int (store, "SELECT verified_at FROM verifications WHERE id = ?", r.verification_id), ==,
                   clock.now);
  g_assert_cmpint (dc_test_db_int (store, "SELECT verifier_id FROM verifications WHERE id = ?", r.verification_id), ==,
                   dc_actor_staff_id (t->base.counter));
  g_assert_cmpint (dc_test_db_int (store, "SELECT recorder_id FROM verifications WHERE id = ?", r.verification_id), ==,
                   dc_actor_staff_id (t->base.counter));
  g_assert_cmpint (dc_test_db_int (store, "SELECT customer_id FROM verifications WHERE id = ?", r.verification_id), ==,
                   r.customer_id);
  doc_type = dc_test_db_text (store, "SELECT doc_type FROM verifications WHERE id = ?", r.verification_id);
  g_assert_cmpstr (doc_type, ==, "drivers_license");
  g_assert_cmpint (db_count (store, "SELECT count(*) FROM audit WHERE action = 'checkin'"), ==, 4);

  /* and none of it in the clear */
  g_assert_false (store_bytes_contain (store, "山田"));
  g_assert_false (store_bytes_contain (store, "西新宿"));
  g_assert_false (store_bytes_contain (store, "301234567890"));
  g_assert_false (store_bytes_contain (store, "1990-04-01"));
  dc_checkin_result_clear (&r);
  dc_test_assert_intact (store);
}

static const char *const same_person[] = {
  "山田 太郎",
  "山田　太郎",     /* ideographic space */
  "山田太郎",
  " 山田  太郎 ",
  "山田\u3000\u3000太郎",
};

static void
test_already_in (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 14, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  DcCheckinResult first = { 0 }, again = { 0 }, latin = { 0 };
  g_autofree char *before = NULL;
  DcIdentity id;

  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &first, &error));
  g_assert_no_error (error);
  before = table_counts (store);
  for (gsize i = 0; i < G_N_ELEMENTS (same_person); i++)
    {
      DcCheckinResult r = { 0 };
      g_autofree char *after = NULL;

      g_test_message ("same person: %s", same_person[i]);
      id.name = same_person[i];
      g_assert_false (checkin (store, t->base.counter, &id, "PC-2", &r, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_ALREADY_IN);
      g_clear_error (&error);
      g_assert_cmpint (r.visit_id, ==, 0);
      g_assert_null (r.member_number);
      after = table_counts (store);
      g_assert_cmpstr (before, ==, after);
    }

  /* width and case of a Latin name do not make another person */
  person_identity (&id, "Taro Smith", 2, 5, 1985);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-2", &latin, &error));
  g_assert_no_error (error);
  id.name = "ＴＡＲＯ　ＳＭＩＴＨ";
  g_assert_false (checkin (store, t->base.counter, &id, "PC-3", &again, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_ALREADY_IN);
  g_clear_error (&error);
  /* the same name with another date of birth is another person */
  person_identity (&id, "山田 太郎", 2, 4, 1990);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-3", &again, &error));
  g_assert_no_error (error);
  g_assert_true (again.new_customer);
  g_assert_cmpint (again.customer_id, !=, first.customer_id);
  dc_checkin_result_clear (&again);

  /* out, and back in on a document: the same customer, a new verification */
  clock.now += 2 * G_TIME_SPAN_HOUR;
  g_assert_true (dc_checkout (store, t->base.counter, "PC-1", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  clock.now += G_TIME_SPAN_HOUR;
  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  id.name = "山田　太郎";
  id.doc_type = "passport";
  id.doc_number = "TK1234567";
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &again, &error));
  g_assert_no_error (error);
  g_assert_false (again.new_customer);
  g_assert_cmpint (again.customer_id, ==, first.customer_id);
  g_assert_cmpstr (again.member_number, ==, first.member_number);
  g_assert_cmpint (again.verification_id, !=, first.verification_id);
  g_assert_cmpint (again.visit_id, !=, first.visit_id);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM verifications WHERE customer_id = ?", first.customer_id),
                   ==, 2);
  g_assert_cmpint (dc_test_db_int (store, "SELECT verification_id FROM visits WHERE id = ?", again.visit_id), ==,
                   again.verification_id);
  dc_checkin_result_clear (&first);
  dc_checkin_result_clear (&again);
  dc_checkin_result_clear (&latin);
  dc_test_assert_intact (store);
}

typedef struct {
  const char *terminal;
  gint        code;
} TerminalCase;

static const TerminalCase terminal_cases[] = {
  { "PC-1", DC_ERROR_TERMINAL_BUSY },
  { "PC-99", DC_ERROR_NOT_FOUND },
  { "pc-2", DC_ERROR_NOT_FOUND },
  { "", DC_ERROR_MISSING_FIELD },
  { NULL, DC_ERROR_MISSING_FIELD },
};

static void
test_terminal_refused (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 14, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  DcCheckinResult r = { 0 };
  DcIdentity id;

  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &r, &error));
  dc_checkin_result_clear (&r);
  person_identity (&id, "佐藤 花子", 3, 3, 1980);
  for (gsize i = 0; i < G_N_ELEMENTS (terminal_cases); i++)
    {
      g_autofree char *before = table_counts (store);
      g_autofree char *after = NULL;

      g_assert_false (checkin (store, t->base.counter, &id, terminal_cases[i].terminal, &r, &error));
      g_assert_error (error, DC_ERROR, terminal_cases[i].code);
      g_clear_error (&error);
      after = table_counts (store);
      g_assert_cmpstr (before, ==, after);
    }
  dc_test_assert_intact (store);
}

/* ---- minors and the curfew (Tokyo: under 18, 23:00–04:00) ---- */

typedef struct {
  const char *name;
  int         dob_d, dob_m, dob_y;
  int         hour, minute;     /* on 2030-03-04 unless @day is set */
  int         day;
  const char *terminal;
  gint        code;             /* -1: accepted */
  gboolean    minor;
} MinorCase;

static const MinorCase tokyo_cases[] = {
  { "17-at-23:30", 15, 6, 2012, 23, 30, 0, "PC-3", DC_ERROR_CURFEW, TRUE },
  { "17-at-23:00", 15, 6, 2012, 23, 0, 0, "PC-3", DC_ERROR_CURFEW, TRUE },
  { "17-at-22:59", 15, 6, 2012, 22, 59, 0, "PC-3", -1, TRUE },
  { "17-at-03:59", 15, 6, 2012, 3, 59, 0, "PC-3", DC_ERROR_CURFEW, TRUE },
  { "17-at-04:00", 15, 6, 2012, 4, 0, 0, "PC-3", -1, TRUE },
  { "17-at-00:00", 15, 6, 2012, 0, 0, 0, "PC-3", DC_ERROR_CURFEW, TRUE },
  { "17-unfiltered", 15, 6, 2012, 16, 0, 0, "PC-1", DC_ERROR_TERMINAL_NOT_FILTERED, TRUE },
  { "17-filtered", 15, 6, 2012, 16, 0, 0, "PC-3", -1, TRUE },
  { "17-curfew-before-terminal", 15, 6, 2012, 23, 30, 0, "PC-1", DC_ERROR_CURFEW, TRUE },
  { "18-tomorrow-at-23:30", 5, 3, 2012, 23, 30, 0, "PC-3", DC_ERROR_CURFEW, TRUE },
  { "18-today-at-23:30", 4, 3, 2012, 23, 30, 0, "PC-1", -1, FALSE },
  { "18-today-at-00:00", 4, 3, 2012, 0, 0, 0, "PC-1", -1, FALSE },
  { "18-yesterday-unfiltered", 3, 3, 2012, 16, 0, 0, "PC-1", -1, FALSE },
  { "12-at-16:00", 1, 1, 2018, 16, 0, 0, "PC-4", -1, TRUE },
  { "adult-at-03:00", 1, 4, 1990, 3, 0, 0, "PC-1", -1, FALSE },
};

static void
run_minor_case (Template *t, const MinorCase *c, const char *zone)
{
  Clock clock = { dc_test_local_time (zone, 2030, 3, c->day != 0 ? c->day : 4, c->hour, c->minute) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = table_counts (store);
  g_autofree char *after = NULL;
  DcCheckinResult r = { 0 };
  DcIdentity id;

  g_test_message ("case %s", c->name);
  person_identity (&id, "鈴木 一郎", c->dob_d, c->dob_m, c->dob_y);
  if (c->code < 0)
    {
      g_assert_true (checkin (store, t->base.counter, &id, c->terminal, &r, &error));
      g_assert_no_error (error);
      g_assert_cmpint (r.minor, ==, c->minor);
      g_assert_cmpint (dc_test_db_int (store, "SELECT minor FROM visits WHERE id = ?", r.visit_id), ==, c->minor ? 1 : 0);
    }
  else
    {
      g_assert_false (checkin (store, t->base.counter, &id, c->terminal, &r, &error));
      g_assert_error (error, DC_ERROR, c->code);
      if (c->code == DC_ERROR_CURFEW)
        g_assert_cmpint (r.bad_field, ==, DC_FIELD_DOB);
      g_assert_cmpint (r.visit_id, ==, 0);
      after = table_counts (store);
      g_assert_cmpstr (before, ==, after);
    }
  dc_checkin_result_clear (&r);
  dc_test_assert_intact (store);
}

static void
test_tokyo_minor (gconstpointer data)
{
  Template *t = (Template *) data;

  for (gsize i = 0; i < G_N_ELEMENTS (tokyo_cases); i++)
    run_minor_case (t, &tokyo_cases[i], "Asia/Tokyo");
}

/* Osaka: under 16 barred 19:00–05:00, 16 and 17 barred 22:00–05:00. Only OS-1, filtered. */
static const MinorCase osaka_cases[] = {
  { "16-at-22:30", 15, 6, 2013, 22, 30, 0, "OS-1", DC_ERROR_CURFEW, TRUE },
  { "16-at-21:00", 15, 6, 2013, 21, 0, 0, "OS-1", -1, TRUE },
  { "16-at-21:59", 15, 6, 2013, 21, 59, 0, "OS-1", -1, TRUE },
  { "16-at-22:00", 15, 6, 2013, 22, 0, 0, "OS-1", DC_ERROR_CURFEW, TRUE },
  { "17-at-04:59", 15, 6, 2012, 4, 59, 0, "OS-1", DC_ERROR_CURFEW, TRUE },
  { "17-at-05:00", 15, 6, 2012, 5, 0, 0, "OS-1", -1, TRUE },
  { "15-at-19:30", 15, 6, 2014, 19, 30, 0, "OS-1", DC_ERROR_CURFEW, TRUE },
  { "15-at-18:59", 15, 6, 2014, 18, 59, 0, "OS-1", -1, TRUE },
  { "16-today-at-19:30", 4, 3, 2014, 19, 30, 0, "OS-1", -1, TRUE },
  { "adult-at-23:30", 1, 4, 1990, 23, 30, 0, "OS-1", -1, FALSE },
};

static void
test_osaka_minor (gconstpointer data)
{
  Template *t = (Template *) data;

  for (gsize i = 0; i < G_N_ELEMENTS (osaka_cases); i++)
    run_minor_case (t, &osaka_cases[i], "Asia/Tokyo");
}

/* ---- refused identities ---- */

typedef struct {
  const char *name;
  const char *doc_type;
  const char *doc_number;
  const char *person;
  const char *address;
  int         dob_y;
  gint        code;
  DcField     field;
  const char *secret;   /* must appear nowhere on disk */
} IdentityCase;

static const IdentityCase identity_cases[] = {
  { "my-number-card-with-number", "my_number_card", MY_NUMBER, "高橋 次郎", "東京都港区1-1", 1990,
    DC_ERROR_FORBIDDEN_NUMBER, DC_FIELD_DOC_NUMBER, MY_NUMBER },
  { "my-number-spaced", "my_number_card", "4821 3659 0272", "高橋 次郎", "東京都港区1-1", 1990,
    DC_ERROR_FORBIDDEN_NUMBER, DC_FIELD_DOC_NUMBER, "0272" },
  { "insurance-number", "qualification_cert", "12345678", "高橋 次郎", "東京都港区1-1", 1990,
    DC_ERROR_FORBIDDEN_NUMBER, DC_FIELD_DOC_NUMBER, "12345678" },
  { "my-number-in-address", "drivers_license", "301234567890", "高橋 次郎", "東京都港区 " MY_NUMBER, 1990,
    DC_ERROR_FORBIDDEN_NUMBER, DC_FIELD_ADDRESS, MY_NUMBER },
  { "notification-card", "notification_card", "ABC123", "高橋 次郎", "東京都港区1-1", 1990,
    DC_ERROR_DOC_NOT_ACCEPTED, DC_FIELD_DOC_TYPE, "ABC123" },
  { "old-insurance-card-in-tokyo", "health_insurance_card", NULL, "高橋 次郎", "東京都港区1-1", 1990,
    DC_ERROR_DOC_NOT_ACCEPTED, DC_FIELD_DOC_TYPE, "高橋" },
  { "no-name", "drivers_license", "301234567890", "", "東京都港区1-1", 1990,
    DC_ERROR_MISSING_FIELD, DC_FIELD_NAME, "港区" },
  { "no-address", "drivers_license", "301234567890", "高橋 次郎", NULL, 1990,
    DC_ERROR_MISSING_FIELD, DC_FIELD_ADDRESS, "高橋" },
  { "born-in-the-future", "drivers_license", "301234567890", "高橋 次郎", "東京都港区1-1", 2031,
    DC_ERROR_INVALID_DATE, DC_FIELD_DOB, "高橋" },
};

static void
test_identity_refused (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 14, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  DcCheckinResult ok = { 0 };
  DcIdentity id;

  for (gsize i = 0; i < G_N_ELEMENTS (identity_cases); i++)
    {
      const IdentityCase *c = &identity_cases[i];
      g_autofree char *before = table_counts (store);
      g_autofree char *after = NULL;
      DcCheckinResult r = { 0 };

      g_test_message ("identity case %s", c->name);
      person_identity (&id, c->person, 1, 4, c->dob_y);
      id.doc_type = c->doc_type;
      id.doc_number = c->doc_number;
      id.address = c->address;
      g_assert_false (checkin (store, t->base.counter, &id, "PC-1", &r, &error));
      g_assert_error (error, DC_ERROR, c->code);
      g_assert_cmpint (r.bad_field, ==, c->field);
      /* the message never repeats a refused number */
      if (c->doc_number != NULL)
        g_assert_null (strstr (error->message, c->doc_number));
      g_clear_error (&error);
      after = table_counts (store);
      g_assert_cmpstr (before, ==, after);
      g_assert_false (store_bytes_contain (store, c->secret));
    }

  /* the lawful way to use a My Number card: its front, no number */
  person_identity (&id, "高橋 次郎", 1, 4, 1990);
  id.doc_type = "my_number_card";
  id.doc_number = NULL;
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &ok, &error));
  g_assert_no_error (error);
  g_assert_true (db_is_null (store, "SELECT document_index FROM verifications WHERE id = ?", ok.verification_id));
  dc_checkin_result_clear (&ok);
  g_assert_false (store_bytes_contain (store, MY_NUMBER));
  dc_test_assert_intact (store);
}

/* ---- seat change ---- */

static void
test_move (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 16, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  DcCheckinResult adult = { 0 }, minor = { 0 };
  DcIdentity id;
  gint64 old_session, new_session;
  static const struct {
    const char *from, *to;
    gint        code;
  } refused[] = {
    { "PC-1", "PC-3", DC_ERROR_TERMINAL_BUSY },
    { "PC-3", "PC-2", DC_ERROR_TERMINAL_NOT_FILTERED },
    { "PC-2", "PC-4", DC_ERROR_NOT_FOUND },          /* nobody on PC-2 */
    { "PC-9", "PC-4", DC_ERROR_NOT_FOUND },
    { "PC-1", "PC-9", DC_ERROR_NOT_FOUND },
    { "PC-1", "PC-1", DC_ERROR_INVALID },
    { NULL, "PC-2", DC_ERROR_INVALID },
  };

  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &adult, &error));
  person_identity (&id, "鈴木 一郎", 15, 6, 2012);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-3", &minor, &error));
  g_assert_no_error (error);
  g_assert_true (minor.minor);

  clock.now += 30 * G_TIME_SPAN_MINUTE;
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *before = table_counts (store);
      g_autofree char *after = NULL;

      g_assert_false (dc_move (store, t->base.counter, refused[i].from, refused[i].to, &error));
      g_assert_error (error, DC_ERROR, refused[i].code);
      g_clear_error (&error);
      after = table_counts (store);
      g_assert_cmpstr (before, ==, after);
    }

  old_session = open_session_on (store, "PC-1");
  g_assert_cmpint (old_session, ==, adult.session_id);
  g_assert_true (dc_move (store, t->base.counter, "PC-1", "PC-2", &error));
  g_assert_no_error (error);
  new_session = open_session_on (store, "PC-2");
  g_assert_cmpint (new_session, >, old_session);
  g_assert_cmpint (open_session_on (store, "PC-1"), ==, 0);
  g_assert_cmpint (dc_test_db_int (store, "SELECT ended_at FROM terminal_sessions WHERE id = ?", old_session), ==, clock.now);
  g_assert_cmpint (dc_test_db_int (store, "SELECT started_at FROM terminal_sessions WHERE id = ?", new_session), ==,
                   clock.now);
  g_assert_cmpint (dc_test_db_int (store, "SELECT visit_id FROM terminal_sessions WHERE id = ?", new_session), ==,
                   adult.visit_id);
  g_assert_true (db_is_null (store, "SELECT exited_at FROM visits WHERE id = ?", adult.visit_id));
  g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM terminal_sessions WHERE visit_id = ?", adult.visit_id), ==, 2);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM terminal_sessions WHERE visit_id = ? AND ended_at IS NULL",
                          adult.visit_id), ==, 1);

  /* a minor may move between filtered terminals */
  g_assert_true (dc_move (store, t->base.counter, "PC-3", "PC-4", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dc_test_db_int (store, "SELECT visit_id FROM terminal_sessions WHERE id = ?", open_session_on (store, "PC-4")),
                   ==, minor.visit_id);
  /* and the freed terminal takes the next customer */
  g_assert_true (dc_move (store, t->base.counter, "PC-2", "PC-1", &error));
  g_assert_no_error (error);
  dc_checkin_result_clear (&adult);
  dc_checkin_result_clear (&minor);
  dc_test_assert_intact (store);
}

/* ---- check-out ---- */

static void
test_checkout (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 12, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  DcCheckinResult a = { 0 }, b = { 0 }, c = { 0 };
  g_autofree char *reason = NULL;
  DcIdentity id;
  gint64 enter = clock.now;

  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &a, &error));
  person_identity (&id, "佐藤 花子", 3, 3, 1980);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-2", &b, &error));
  person_identity (&id, "田中 三郎", 4, 4, 1970);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-3", &c, &error));
  g_assert_no_error (error);

  /* by terminal */
  clock.now = enter + 90 * G_TIME_SPAN_MINUTE;
  g_assert_true (dc_checkout (store, t->base.counter, "PC-1", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dc_test_db_int (store, "SELECT exited_at FROM visits WHERE id = ?", a.visit_id), ==, clock.now);
  g_assert_cmpint (dc_test_db_int (store, "SELECT staff_out FROM visits WHERE id = ?", a.visit_id), ==,
                   dc_actor_staff_id (t->base.counter));
  reason = dc_test_db_text (store, "SELECT exit_reason FROM visits WHERE id = ?", a.visit_id);
  g_assert_cmpstr (reason, ==, "staff");
  g_assert_cmpint (dc_test_db_int (store, "SELECT ended_at FROM terminal_sessions WHERE id = ?", a.session_id), ==,
                   clock.now);
  g_assert_cmpint (open_session_on (store, "PC-1"), ==, 0);

  /* by visit */
  clock.now += G_TIME_SPAN_MINUTE;
  g_assert_true (dc_checkout (store, t->base.counter, NULL, b.visit_id, DC_EXIT_CUSTOMER, &error));
  g_assert_no_error (error);
  g_free (reason);
  reason = dc_test_db_text (store, "SELECT exit_reason FROM visits WHERE id = ?", b.visit_id);
  g_assert_cmpstr (reason, ==, "customer");
  g_assert_cmpint (dc_test_db_int (store, "SELECT ended_at FROM terminal_sessions WHERE id = ?", b.session_id), ==,
                   clock.now);
  g_assert_cmpint (open_session_on (store, "PC-2"), ==, 0);

  /* by the system (no actor) */
  g_assert_true (dc_checkout (store, NULL, "PC-3", 0, DC_EXIT_AUTO, &error));
  g_assert_no_error (error);
  g_assert_true (db_is_null (store, "SELECT staff_out FROM visits WHERE id = ?", c.visit_id));
  g_free (reason);
  reason = dc_test_db_text (store, "SELECT exit_reason FROM visits WHERE id = ?", c.visit_id);
  g_assert_cmpstr (reason, ==, "auto");

  /* nothing left to check out */
  {
    static const struct { const char *terminal; gint64 visit; } gone[] = {
      { "PC-1", 0 }, { "PC-4", 0 }, { "PC-99", 0 }, { NULL, 9999 }, { NULL, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (gone); i++)
      {
        g_autofree char *before = table_counts (store);
        g_autofree char *after = NULL;

        g_assert_false (dc_checkout (store, t->base.counter, gone[i].terminal, gone[i].visit, DC_EXIT_STAFF, &error));
        g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
        g_clear_error (&error);
        after = table_counts (store);
        g_assert_cmpstr (before, ==, after);
      }
    g_assert_false (dc_checkout (store, t->base.counter, NULL, a.visit_id, DC_EXIT_STAFF, &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_cmpint (db_count (store, "SELECT count(*) FROM visits WHERE exited_at IS NULL"), ==, 0);
  g_assert_cmpint (db_count (store, "SELECT count(*) FROM terminal_sessions WHERE ended_at IS NULL"), ==, 0);
  dc_checkin_result_clear (&a);
  dc_checkin_result_clear (&b);
  dc_checkin_result_clear (&c);
  dc_test_assert_intact (store);
}

/* ---- member check-in ---- */

static void
test_member (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 12, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  g_autofree char *unknown = dc_member_number_for_id (999);
  g_autofree char *typo = NULL;
  g_autofree char *spaced = NULL;
  DcCheckinResult doc = { 0 }, m = { 0 }, refused = { 0 }, other = { 0 };
  DcIdentity id;

  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &doc, &error));
  g_assert_no_error (error);

  /* inside already */
  g_assert_false (dc_checkin_member (store, t->base.counter, doc.member_number, "PC-2", &refused, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_ALREADY_IN);
  g_clear_error (&error);
  g_assert_true (dc_checkout (store, t->base.counter, "PC-1", 0, DC_EXIT_STAFF, &error));

  clock.now += 24 * G_TIME_SPAN_HOUR;
  typo = g_strdup (doc.member_number);
  typo[strlen (typo) - 1] = typo[strlen (typo) - 1] == '9' ? '0' : typo[strlen (typo) - 1] + 1;
  {
    static const struct { int which; gint code; } cases[] = {
      { 0, DC_ERROR_INVALID },     /* one wrong digit */
      { 1, DC_ERROR_NOT_FOUND },   /* a valid number nobody has */
      { 2, DC_ERROR_INVALID },
      { 3, DC_ERROR_INVALID },
    };
    const char *numbers[] = { typo, unknown, "", "abc" };

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *before = table_counts (store);
        g_autofree char *after = NULL;

        g_assert_false (dc_checkin_member (store, t->base.counter, numbers[cases[i].which], "PC-2", &refused, &error));
        g_assert_error (error, DC_ERROR, cases[i].code);
        g_clear_error (&error);
        g_assert_null (refused.member_number);
        after = table_counts (store);
        g_assert_cmpstr (before, ==, after);
      }
  }

  /* the card, typed loosely */
  spaced = g_strdup_printf ("%.4s-%s", doc.member_number, doc.member_number + 4);
  g_assert_true (dc_checkin_member (store, t->base.counter, spaced, "PC-2", &m, &error));
  g_assert_no_error (error);
  g_assert_cmpint (m.customer_id, ==, doc.customer_id);
  g_assert_cmpint (m.verification_id, ==, doc.verification_id);
  g_assert_cmpstr (m.member_number, ==, doc.member_number);
  g_assert_false (m.new_customer);
  g_assert_false (m.minor);
  g_assert_cmpint (m.visit_id, !=, doc.visit_id);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM verifications WHERE customer_id = ?", doc.customer_id), ==, 1);
  g_assert_cmpint (dc_test_db_int (store, "SELECT verification_id FROM visits WHERE id = ?", m.visit_id), ==,
                   doc.verification_id);
  g_assert_cmpint (db_count (store, "SELECT count(*) FROM audit WHERE action = 'checkin-member'"), ==, 2);

  /* a member is refused a busy terminal */
  person_identity (&id, "佐藤 花子", 3, 3, 1980);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-3", &other, &error));
  g_assert_no_error (error);
  g_assert_true (dc_checkout (store, t->base.counter, NULL, other.visit_id, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  g_assert_false (dc_checkin_member (store, t->base.counter, other.member_number, "PC-2", &refused, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY);
  g_clear_error (&error);
  g_assert_false (dc_checkin_member (store, t->base.counter, other.member_number, "PC-99", &refused, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  dc_checkin_result_clear (&other);
  dc_checkin_result_clear (&m);
  dc_checkin_result_clear (&doc);
  dc_test_assert_intact (store);
}

static void
test_member_minor (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 16, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  DcCheckinResult doc = { 0 }, m = { 0 }, busy = { 0 }, refused = { 0 };
  GDate adult_on, sixteen_on, expected;
  DcIdentity id;
  static const struct {
    int         y, mo, d, h, mi;
    const char *terminal;
    gint        code;
  } refusals[] = {
    { 2030, 3, 5, 23, 30, "PC-3", DC_ERROR_CURFEW },
    { 2030, 3, 6, 3, 59, "PC-3", DC_ERROR_CURFEW },
    { 2030, 3, 6, 16, 0, "PC-1", DC_ERROR_TERMINAL_NOT_FILTERED },
    { 2030, 6, 14, 23, 30, "PC-3", DC_ERROR_CURFEW },   /* the day before the 18th birthday */
  };

  person_identity (&id, "鈴木 一郎", 15, 6, 2012);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-3", &doc, &error));
  g_assert_no_error (error);
  g_assert_true (doc.minor);
  clock.now += G_TIME_SPAN_HOUR;
  g_assert_true (dc_checkout (store, t->base.counter, "PC-3", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);

  /* the counter's vault reads when they turn 18 and 16: no identity is opened */
  g_assert_true (dc_tier_dates (store, dc_actor_vault (t->base.counter), doc.verification_id, NULL, &adult_on,
                                &sixteen_on, &error));
  g_assert_no_error (error);
  g_date_set_dmy (&expected, 15, 6, 2030);
  g_assert_cmpint (g_date_compare (&adult_on, &expected), ==, 0);
  g_date_set_dmy (&expected, 15, 6, 2028);
  g_assert_cmpint (g_date_compare (&sixteen_on, &expected), ==, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      clock.now = dc_test_tokyo (refusals[i].y, refusals[i].mo, refusals[i].d, refusals[i].h, refusals[i].mi);
      before = table_counts (store);
      g_assert_false (dc_checkin_member (store, t->base.counter, doc.member_number, refusals[i].terminal, &refused,
                                         &error));
      g_assert_error (error, DC_ERROR, refusals[i].code);
      g_clear_error (&error);
      after = table_counts (store);
      g_assert_cmpstr (before, ==, after);
    }

  /* a minor by day, on a filtered terminal */
  clock.now = dc_test_tokyo (2030, 3, 6, 16, 0);
  g_assert_true (dc_checkin_member (store, t->base.counter, doc.member_number, "PC-4", &m, &error));
  g_assert_no_error (error);
  g_assert_true (m.minor);
  g_assert_cmpint (dc_test_db_int (store, "SELECT minor FROM visits WHERE id = ?", m.visit_id), ==, 1);
  clock.now += G_TIME_SPAN_HOUR;
  g_assert_true (dc_checkout (store, t->base.counter, NULL, m.visit_id, DC_EXIT_CURFEW, &error));
  dc_checkin_result_clear (&m);

  /* the 18th birthday, late at night, unfiltered: an adult now */
  clock.now = dc_test_tokyo (2030, 6, 15, 23, 30);
  g_assert_true (dc_checkin_member (store, t->base.counter, doc.member_number, "PC-1", &m, &error));
  g_assert_no_error (error);
  g_assert_false (m.minor);
  g_assert_cmpint (dc_test_db_int (store, "SELECT minor FROM visits WHERE id = ?", m.visit_id), ==, 0);
  /* and the terminal is theirs */
  person_identity (&id, "佐藤 花子", 3, 3, 1980);
  g_assert_false (checkin (store, t->base.counter, &id, "PC-1", &busy, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY);
  dc_checkin_result_clear (&m);
  dc_checkin_result_clear (&doc);
  dc_test_assert_intact (store);
}

/* ---- reading an identity ---- */

static void
assert_date (const GDate *got, int d, int m, int y)
{
  GDate want;

  g_assert_true (g_date_valid (got));
  g_date_set_dmy (&want, d, m, y);
  g_assert_cmpint (g_date_compare (got, &want), ==, 0);
}

static void
test_read_identity (gconstpointer data)
{
  Template *t = (Template *) data;
  Clock clock = { dc_test_tokyo (2030, 3, 4, 12, 0) };
  g_autoptr(DcStore) store = fresh_store (t, &clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) hana_pin = NULL;
  DcCheckinResult r = { 0 };
  DcIdentity id;
  gint64 reads;

  dc_test_identity_fill (&id, DOC_EXPIRY_YEAR);
  g_assert_true (checkin (store, t->base.counter, &id, "PC-1", &r, &error));
  g_assert_no_error (error);
  reads = db_count (store, "SELECT count(*) FROM audit WHERE action = 'read'");
  g_assert_cmpint (reads, ==, 0);

  for (int round = 1; round <= 2; round++)
    {
      g_autoptr(DcIdentityRecord) rec = dc_read_identity (store, t->base.manager, r.verification_id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (rec);
      g_assert_cmpstr (rec->identity.doc_type, ==, "drivers_license");
      g_assert_cmpstr (rec->identity.doc_number, ==, "301234567890");
      g_assert_cmpstr (rec->identity.name, ==, "山田 太郎");
      g_assert_cmpstr (rec->identity.kana, ==, "ヤマダ タロウ");
      g_assert_cmpstr (rec->identity.address, ==, "東京都新宿区西新宿2-8-1");
      assert_date (&rec->identity.dob, 1, 4, 1990);
      assert_date (&rec->identity.doc_expiry, 31, 12, 2035);
      g_assert_false (g_date_valid (&rec->identity.doc_issued));
      g_assert_false (rec->identity.non_resident);
      g_assert_false (rec->identity.address_differs);
      g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM audit WHERE action = 'read' AND subject_id = ?",
                               r.verification_id), ==, round);
    }

  /* the counter can write an identity, never read it back */
  hana_pin = dc_store_sign_in_pin (store, "Hana", PIN, &error);
  g_assert_no_error (error);
  {
    DcActor *actors[] = { t->base.counter, hana_pin, NULL };

    for (gsize i = 0; i < G_N_ELEMENTS (actors); i++)
      {
        DcIdentityRecord *rec = dc_read_identity (store, actors[i], r.verification_id, &error);

        g_assert_null (rec);
        g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
        g_clear_error (&error);
      }
  }
  g_assert_null (dc_read_identity (store, t->base.manager, 9999, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_assert_cmpint (db_count (store, "SELECT count(*) FROM audit WHERE action = 'read'"), ==, 2);
  dc_checkin_result_clear (&r);
  dc_test_assert_intact (store);
}

int
main (int argc, char **argv)
{
  Template tokyo_t = { .prefecture = "tokyo" };
  Template osaka_t = { .prefecture = "osaka" };
  int rc;

  g_setenv ("TZ", "America/New_York", TRUE);   /* the store's zone decides, never the machine's */
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/checkin/document/new-customer", &tokyo_t, test_new_customer);
  g_test_add_data_func ("/checkin/document/already-in", &tokyo_t, test_already_in);
  g_test_add_data_func ("/checkin/document/terminal-refused", &tokyo_t, test_terminal_refused);
  g_test_add_data_func ("/checkin/document/identity-refused", &tokyo_t, test_identity_refused);
  g_test_add_data_func ("/checkin/minor/tokyo", &tokyo_t, test_tokyo_minor);
  g_test_add_data_func ("/checkin/minor/osaka", &osaka_t, test_osaka_minor);
  g_test_add_data_func ("/checkin/move", &tokyo_t, test_move);
  g_test_add_data_func ("/checkin/checkout", &tokyo_t, test_checkout);
  g_test_add_data_func ("/checkin/member/adult", &tokyo_t, test_member);
  g_test_add_data_func ("/checkin/member/minor", &tokyo_t, test_member_minor);
  g_test_add_data_func ("/checkin/read-identity", &tokyo_t, test_read_identity);

  rc = g_test_run ();
  dc_test_template_clear (&tokyo_t.base);
  dc_test_template_clear (&osaka_t.base);
  return rc;
}
