/* tests/test-cli-police.c — the real daicho-ctl request, query, export, verify-export and report inspection, from outside, checked against the library in-process. */
#include "dc-test-util.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-demo.h"
#include "dc-police.h"
#include "dc-records-report.h"
#include "dc-time.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#define MANAGER         DC_DEMO_MANAGER
#define PASSPHRASE      DC_DEMO_PASSPHRASE
#define CLERK           "受付 佐藤"
#define CLERK_PIN       DC_DEMO_PIN
#define AUDITOR         "audrey"
#define AUDITOR_PHRASE  "auditor passphrase of some length"
#define AUDITOR_PIN     "3579"
/* the hand check-in: a synthetic person whose every value the test knows */
#define HAND_NAME       "試験 花子"
#define HAND_KANA       "シケン ハナコ"
#define HAND_DOB        "1985-07-15"
#define HAND_ADDRESS    "東京都千代田区丸の内1-1-1, 試験ビル \"3F\""
#define HAND_DOC_NUMBER "30123456789"

typedef struct {
  char  *ctl;
  char  *sqlite3;
  char  *root;          /* everything this program writes */
  char  *xdg;           /* XDG_DATA_HOME of the children: no default store is ever touched */
  char  *template;      /* a demo store + auditor + the hand check-in + request 1 */
  char  *other;         /* another store: another signing key */
  char  *hand_member;
  char  *hand_visit;
  char  *hand_terminal;
  char  *in_3_years;
  guint  serial;
} Ctx;

/* ---- running daicho-ctl ---- */

static void
ctl5 (const Ctx *ctx, const char *const *args, const char *fd3, const char *fd4, const char *fd5, DcTestRun *run)
{
  dc_test_ctl (ctx->ctl, args, ctx->xdg, fd3, fd4, fd5, run);
}

static void
ctl (const Ctx *ctx, const char *const *args, const char *fd3, DcTestRun *run)
{
  ctl5 (ctx, args, fd3, NULL, NULL, run);
}

static char *
ctl_ok5 (const Ctx *ctx, const char *const *args, const char *fd3, const char *fd4, const char *fd5)
{
  return dc_test_ctl_ok (ctx->ctl, args, ctx->xdg, fd3, fd4, fd5);
}

static char *
ctl_ok (const Ctx *ctx, const char *const *args, const char *fd3)
{
  return ctl_ok5 (ctx, args, fd3, NULL, NULL);
}


static void
assert_lacks (const char *text, const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_test_message ("“%s” found in:\n%s", needle, text);
  g_assert_null (strstr (text, needle));
}

/* ---- stores ---- */

static char *
new_path (Ctx *ctx, const char *what)
{
  g_autofree char *base = g_strdup_printf ("%s-%u", what, ++ctx->serial);

  return g_build_filename (ctx->root, base, NULL);
}

static char *
sql (const Ctx *ctx, const char *dir, const char *query)
{
  return g_strstrip (dc_test_sqlite3 (ctx->sqlite3, dir, query));
}

static gint64
sql_int (const Ctx *ctx, const char *dir, const char *query)
{
  return dc_test_sqlite3_int (ctx->sqlite3, dir, query);
}

/* "Checked in: visit 7, member 1000017, terminal PC-03" → the visit and the member. */
static void
parse_checkin (const char *out, char **visit, char **member)
{
  const char *v = strstr (out, "visit ");
  const char *m = strstr (out, "member ");

  g_assert_nonnull (v);
  g_assert_nonnull (m);
  *visit = g_strndup (v + 6, strspn (v + 6, "0123456789"));
  *member = g_strndup (m + 7, strspn (m + 7, "0123456789"));
}

static void
build_template (Ctx *ctx)
{
  const char *t = ctx->template;
  const char *demo[] = { "demo", "--store", t, "--days", "1130", "--visits-per-day", "3", "--terminals", "8", NULL };
  const char *auditor[] = { "staff", "add", "--store", t, "--staff", MANAGER, "--passphrase-fd", "3", "--name",
                            AUDITOR, "--role", "auditor", "--pin-fd", "4", "--new-passphrase-fd", "5", NULL };
  const char *request[] = { "request", "add", "--store", t, "--staff", MANAGER, "--passphrase-fd", "3", "--agency",
                            "新宿警察署 生活安全課", "--officer", "警部補 山本（03-0000-0000）", "--reference",
                            "新宿生安第101号", "--basis", "inquiry", NULL };
  const char *init[] = { "init", "--store", ctx->other, "--store-name", "別の店", "--operator", "Other KK",
                         "--manager", "other", "--passphrase-fd", "3", "--pin-fd", "4", NULL };
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();

  g_free (ctl_ok (ctx, demo, NULL));
  g_test_message ("demo store made in %.1f s", (g_get_monotonic_time () - start) / 1e6);
  g_free (ctl_ok5 (ctx, auditor, PASSPHRASE, AUDITOR_PIN, AUDITOR_PHRASE));
  ctx->hand_terminal = sql (ctx, t,
                            "SELECT label FROM terminals t WHERE active AND NOT out_of_order AND NOT EXISTS"
                            " (SELECT 1 FROM terminal_sessions s WHERE s.terminal_id = t.id AND s.ended_at IS NULL)"
                            " ORDER BY id LIMIT 1;");
  g_assert_cmpstr (ctx->hand_terminal, !=, "");
  {
    const char *in[] = { "checkin", "--store", t, "--staff", CLERK, "--pin-fd", "4", "--terminal", ctx->hand_terminal,
                         "--doc", "drivers_license", "--doc-number", HAND_DOC_NUMBER, "--name", HAND_NAME, "--kana",
                         HAND_KANA, "--dob", HAND_DOB, "--address", HAND_ADDRESS, "--doc-expiry", ctx->in_3_years,
                         NULL };

    out = ctl_ok5 (ctx, in, NULL, CLERK_PIN, NULL);
    parse_checkin (out, &ctx->hand_visit, &ctx->hand_member);
    g_clear_pointer (&out, g_free);
  }
  out = ctl_ok (ctx, request, PASSPHRASE);
  dc_test_assert_has (out, "Request 1 entered");
  g_clear_pointer (&out, g_free);
  g_free (ctl_ok5 (ctx, init, "other store passphrase", "1234", NULL));
}

static char *
store_copy (Ctx *ctx)
{
  char *dir;

  if (ctx->template == NULL)
    {
      ctx->template = g_build_filename (ctx->root, "template", NULL);
      ctx->other = g_build_filename (ctx->root, "other", NULL);
      build_template (ctx);
    }
  dir = new_path (ctx, "store");
  dc_test_copy_dir (ctx->template, dir);
  return dir;
}

/* What a refused command must not have changed: the police tables and the holds. */
static char *
police_fingerprint (const Ctx *ctx, const char *dir)
{
  return dc_test_sqlite3 (ctx->sqlite3, dir,
                          "SELECT 'queries', count(*) FROM queries; SELECT 'disclosures', count(*) FROM disclosures;"
                          "SELECT 'exports', count(*) FROM disclosure_exports; SELECT 'holds', count(*) FROM holds;");
}

/* ---- in-process: the library's own answer ---- */

typedef struct {
  DcStore *store;
  DcActor *manager;
} Lib;

static void
lib_open (Lib *lib, const char *dir)
{
  g_autoptr(GError) error = NULL;

  lib->store = dc_test_store_open (dir);
  lib->manager = dc_store_sign_in_passphrase (lib->store, MANAGER, PASSPHRASE, &error);
  g_assert_no_error (error);
}

static void
lib_close (Lib *lib)
{
  g_clear_pointer (&lib->manager, dc_actor_free);
  g_clear_pointer (&lib->store, dc_store_free);
}

/* records.csv of dc_police_query for @scope, as text. */
static char *
lib_csv (Lib *lib, const DcQueryScope *scope, guint *out_rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcQueryResult) result = dc_police_query (lib->store, lib->manager, scope, 0, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (result);
  if (out_rows != NULL)
    *out_rows = result->rows->len;
  bytes = dc_records_csv (lib->store, result);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
lib_csv_time (Lib *lib, gint64 from, gint64 to, const char *terminal, guint *out_rows)
{
  DcQueryScope scope;
  char *csv;

  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_TIME;
  scope.from = from;
  scope.to = to;
  if (terminal != NULL)
    {
      scope.terminals = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (scope.terminals, g_strdup (terminal));
    }
  csv = lib_csv (lib, &scope, out_rows);
  dc_query_scope_clear (&scope);
  return csv;
}

/* Every name the store holds: every visit of all time, decrypted. */
static GPtrArray *
lib_all_names (Lib *lib)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcQueryResult) result = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  DcQueryScope scope;

  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_TIME;
  scope.from = 0;
  scope.to = dc_store_now (lib->store) + G_USEC_PER_SEC;
  result = dc_police_query (lib->store, lib->manager, &scope, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < result->rows->len; i++)
    {
      const DcQueryRow *row = &g_array_index (result->rows, DcQueryRow, i);

      g_assert_nonnull (row->identity);
      if (!g_ptr_array_find_with_equal_func (names, row->identity->identity.name, g_str_equal, NULL))
        g_ptr_array_add (names, g_strdup (row->identity->identity.name));
    }
  dc_query_scope_clear (&scope);
  return names;
}

/* ---- dc_time_parse_end ---- */

typedef struct {
  const char *path;
  const char *zone;
  const char *text;
  const char *expect;    /* what dc_time_parse reads as the same instant; NULL: refused */
} EndCase;

static const EndCase end_cases[] = {
  /* a date alone: the start of the next day */
  { "date-alone", "Asia/Tokyo", "2026-03-04", "2026-03-05T00:00:00+09:00" },
  { "slashes", "Asia/Tokyo", "2026/3/4", "2026-03-05T00:00:00+09:00" },
  { "wareki", "Asia/Tokyo", "令和8年3月4日", "2026-03-05T00:00:00+09:00" },
  { "full-width", "Asia/Tokyo", "２０２６－０３－０４", "2026-03-05T00:00:00+09:00" },
  { "month-end", "Asia/Tokyo", "2026-02-28", "2026-03-01T00:00:00+09:00" },
  { "leap-day", "Asia/Tokyo", "2024-02-28", "2024-02-29T00:00:00+09:00" },
  { "year-end", "Asia/Tokyo", "2025-12-31", "2026-01-01T00:00:00+09:00" },
  { "utc", "UTC", "2026-03-04", "2026-03-05T00:00:00Z" },
  /* the clocks go forward on 8 March 2026 in New York: the 7th ends at 00:00 EST, the 8th at 00:00 EDT */
  { "new-york-before-dst", "America/New_York", "2026-03-07", "2026-03-08T00:00:00-05:00" },
  { "new-york-dst-day", "America/New_York", "2026-03-08", "2026-03-09T00:00:00-04:00" },
  /* with a time of day: that very instant */
  { "time", "Asia/Tokyo", "2026-03-04 14:32", "2026-03-04T14:32:00+09:00" },
  { "time-seconds", "Asia/Tokyo", "2026-03-04 14:32:10", "2026-03-04T14:32:10+09:00" },
  { "offset", "Asia/Tokyo", "2026-03-04T14:32:10-05:00", "2026-03-05T04:32:10+09:00" },
  { "zulu", "Asia/Tokyo", "2026-03-04T05:32:00Z", "2026-03-04T14:32:00+09:00" },
  { "midnight-is-a-time", "Asia/Tokyo", "2026-03-04 00:00", "2026-03-04T00:00:00+09:00" },
  /* refused as dc_time_parse refuses */
  { "no-such-day", "Asia/Tokyo", "2023-02-29", NULL },
  { "era-overflow", "Asia/Tokyo", "平成31年5月1日", NULL },
  { "garbage", "Asia/Tokyo", "last tuesday", NULL },
  { "hour-25", "Asia/Tokyo", "2026-03-04 25:00", NULL },
  { "empty", "Asia/Tokyo", "", NULL },
};

static void
test_parse_end (gconstpointer data)
{
  const EndCase *c = data;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (c->zone);
  g_autoptr(GError) error = NULL;
  gint64 got = 0, want = 0;

  g_assert_nonnull (tz);
  if (c->expect == NULL)
    {
      g_assert_false (dc_time_parse_end (c->text, tz, &got, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID_DATE);
      g_assert_cmpint (got, ==, 0);
      return;
    }
  g_assert_true (dc_time_parse (c->expect, tz, &want, NULL));
  g_assert_true (dc_time_parse_end (c->text, tz, &got, &error));
  g_assert_no_error (error);
  if (got != want)
    {
      g_autofree char *text = dc_time_to_iso (got, tz);
      g_test_message ("%s → %s, expected %s", c->text, text, c->expect);
    }
  g_assert_cmpint (got, ==, want);
}

/* ---- the refusal table ---- */

typedef struct {
  const char *path;
  const char *args[28];   /* "@S" the store copy, "@OUT" a path that does not exist yet, "@OTHER" another store,
                             "@HAND" the hand terminal */
  const char *fd3;
  int         status;
  const char *says;       /* stderr contains these */
  const char *says_too;
  const char *never;      /* and never this (a refused number is not echoed) */
} BadCase;

#define BOSS      "--store", "@S", "--staff", MANAGER, "--passphrase-fd", "3"
#define QUERY     "query", BOSS
#define EXPORT    "export", BOSS
#define REQ_ADD   "request", "add", BOSS
#define REQ_FULL  "--agency", "新宿署", "--officer", "山本", "--reference", "第1号"
#define AT        "--at", "2026-03-04 14:32"

static const BadCase bad_cases[] = {
  /* the command line: exit 2, before any secret is asked for */
  { "usage/query-no-scope", { QUERY }, PASSPHRASE, 2, "needs a scope", "--person NAME with --dob DATE" },
  { "usage/query-two-scopes", { QUERY, AT, "--name", "山田" }, PASSPHRASE, 2, "one scope", "--member" },
  { "usage/query-at-and-range", { QUERY, AT, "--from", "2026-03-04", "--to", "2026-03-05" }, PASSPHRASE, 2,
    "one scope" },
  { "usage/query-from-without-to", { QUERY, "--from", "2026-03-04" }, PASSPHRASE, 2, "--from and --to" },
  { "usage/query-to-without-from", { QUERY, "--to", "2026-03-04" }, PASSPHRASE, 2, "--from and --to" },
  { "usage/query-person-without-dob", { QUERY, "--person", "山田 太郎" }, PASSPHRASE, 2, "--dob", "--name" },
  { "usage/query-dob-without-person", { QUERY, "--dob", "1990-04-01" }, PASSPHRASE, 2, "--person" },
  { "usage/query-name-and-dob", { QUERY, "--name", "山田", "--dob", "1990-04-01" }, PASSPHRASE, 2, "one scope" },
  { "usage/query-doc-without-number", { QUERY, "--doc", "drivers_license" }, PASSPHRASE, 2, "--doc-number" },
  { "usage/query-number-without-doc", { QUERY, "--doc-number", "30123456789" }, PASSPHRASE, 2, "--doc" },
  { "usage/query-terminal-without-time", { QUERY, "--name", "山田", "--terminal", "PC-01" }, PASSPHRASE, 2,
    "--terminal" },
  { "usage/query-blank-name", { QUERY, "--name", " \u3000 " }, PASSPHRASE, 2, "--name" },
  { "usage/query-bad-time", { QUERY, "--at", "last tuesday" }, PASSPHRASE, 2, "--at" },
  { "usage/query-impossible-date", { QUERY, "--at", "2023-02-29 10:00" }, PASSPHRASE, 2, "--at", "29" },
  { "usage/query-bad-to", { QUERY, "--from", "2026-03-04 10:00", "--to", "2026-03-04 25:00" }, PASSPHRASE, 2,
    "--to" },
  { "usage/query-from-after-to", { QUERY, "--from", "2026-03-04 15:00", "--to", "2026-03-04 14:59:59" }, PASSPHRASE,
    2, "--from must not be after --to" },
  { "usage/query-bad-dob", { QUERY, "--person", "山田 太郎", "--dob", "1990-13-01" }, PASSPHRASE, 2, "--dob" },
  { "usage/query-stray-argument", { QUERY, AT, "PC-01" }, PASSPHRASE, 2, "Unexpected argument", "PC-01" },
  { "usage/query-no-staff", { "query", "--store", "@S", "--passphrase-fd", "3", AT }, PASSPHRASE, 2, "--staff" },
  { "usage/query-request-not-a-number", { QUERY, AT, "--request", "first" }, PASSPHRASE, 2, "--request" },
  { "usage/request-no-subcommand", { "request" }, NULL, 2, "request add" },
  { "usage/request-unknown-subcommand", { "request", "delete", "--store", "@S" }, NULL, 2, "request add" },
  { "usage/request-add-no-agency", { REQ_ADD, "--officer", "山本", "--reference", "第1号", "--basis", "inquiry" },
    PASSPHRASE, 2, "--agency" },
  { "usage/request-add-no-basis", { REQ_ADD, REQ_FULL }, PASSPHRASE, 2, "--basis" },
  { "usage/request-add-blank-reference", { REQ_ADD, "--agency", "新宿署", "--officer", "山本", "--reference", "  ",
    "--basis", "inquiry" }, PASSPHRASE, 2, "--reference" },
  { "usage/request-add-bad-basis", { REQ_ADD, REQ_FULL, "--basis", "curiosity" }, PASSPHRASE, 2, "curiosity",
    "inspection, inquiry, warrant or other" },
  { "usage/request-add-bad-received", { REQ_ADD, REQ_FULL, "--basis", "inquiry", "--received", "yesterday" },
    PASSPHRASE, 2, "--received" },
  { "usage/export-no-request", { EXPORT, "--out", "@OUT", AT }, PASSPHRASE, 2, "--request" },
  { "usage/export-no-out", { EXPORT, "--request", "1", AT }, PASSPHRASE, 2, "--out" },
  { "usage/export-no-scope", { EXPORT, "--request", "1", "--out", "@OUT" }, PASSPHRASE, 2, "needs a scope" },
  { "usage/export-two-scopes", { EXPORT, "--request", "1", "--out", "@OUT", AT, "--member", "10000013" }, PASSPHRASE,
    2, "one scope" },
  { "usage/verify-export-no-dir", { "verify-export" }, NULL, 2, "verify-export DIR" },
  { "usage/verify-export-two-dirs", { "verify-export", "@S", "@S" }, NULL, 2, "verify-export DIR" },
  { "usage/report-no-subcommand", { "report" }, NULL, 2, "report inspection" },
  { "usage/report-unknown", { "report", "daily", "--store", "@S" }, NULL, 2, "report inspection" },
  { "usage/report-inspection-no-out", { "report", "inspection", "--store", "@S" }, NULL, 2, "--out" },

  /* refused: exit 1 */
  { "refused/query-wrong-passphrase", { QUERY, AT }, "wrong horse battery staple", 1, "Wrong passphrase" },
  { "refused/query-counter-staff", { "query", "--store", "@S", "--staff", CLERK, "--passphrase-fd", "3", AT },
    CLERK_PIN, 1, "counter staff" },
  { "refused/query-no-secret-no-terminal", { "query", "--store", "@S", "--staff", MANAGER, AT }, NULL, 1,
    "--passphrase-fd" },
  { "refused/query-unknown-terminal", { QUERY, AT, "--terminal", "@HAND", "--terminal", "PC-99" }, PASSPHRASE, 1,
    "PC-99" },
  { "refused/query-unknown-request", { QUERY, AT, "--request", "99" }, PASSPHRASE, 1, "99" },
  { "refused/query-forbidden-number", { QUERY, "--doc", "my_number_card", "--doc-number", "123456789018" },
    PASSPHRASE, 1, NULL, NULL, "123456789018" },
  { "refused/query-unknown-document", { QUERY, "--doc", "library_card", "--doc-number", "1" }, PASSPHRASE, 1,
    "library_card" },
  { "refused/query-member-typo", { QUERY, "--member", "10000013" }, PASSPHRASE, 1, "member number" },
  { "refused/request-add-counter", { "request", "add", "--store", "@S", "--staff", CLERK, "--passphrase-fd", "3",
    REQ_FULL, "--basis", "inquiry" }, CLERK_PIN, 1, "counter staff" },
  { "refused/request-add-future", { REQ_ADD, REQ_FULL, "--basis", "inquiry", "--received", "2999-01-01 10:00" },
    PASSPHRASE, 1, "future" },
  { "refused/request-list-wrong-passphrase", { "request", "list", BOSS }, "not it at all", 1, "Wrong passphrase" },
  { "refused/export-unknown-request", { EXPORT, "--request", "99", "--out", "@OUT", AT }, PASSPHRASE, 1, "99" },
  { "refused/export-folder-exists", { EXPORT, "--request", "1", "--out", "@S", AT }, PASSPHRASE, 1, NULL },
  { "refused/export-counter-staff", { "export", "--store", "@S", "--staff", CLERK, "--passphrase-fd", "3",
    "--request", "1", "--out", "@OUT", AT }, CLERK_PIN, 1, "counter staff" },
  { "refused/verify-export-missing", { "verify-export", "@OUT" }, NULL, 1, NULL },
  { "refused/report-no-store", { "report", "inspection", "--store", "@OUT", "--out", "@OUT.pdf" }, NULL, 1,
    "no Daicho store" },
  { "refused/report-unwritable", { "report", "inspection", "--store", "@S", "--out", "@OUT/nowhere/report.pdf" },
    NULL, 1, NULL },
};

typedef struct {
  Ctx           *ctx;
  const BadCase *c;
} CaseRun;

static const char *
expand (const Ctx *ctx, const char *store, const char *out, const char *arg, GPtrArray *keep)
{
  const char *names[] = { "@S", "@OUT", "@OTHER", "@HAND" };
  const char *values[] = { store, out, ctx->other, ctx->hand_terminal };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize n = strlen (names[i]);

      if (g_str_has_prefix (arg, names[i]) && (arg[n] == '\0' || arg[n] == '/' || arg[n] == '.'))
        {
          char *s = g_strconcat (values[i], arg + n, NULL);

          g_ptr_array_add (keep, s);
          return s;
        }
    }
  return arg;
}

static void
test_refused (gconstpointer data)
{
  const BadCase *c = ((const CaseRun *) data)->c;
  Ctx *ctx = ((const CaseRun *) data)->ctx;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *out = new_path (ctx, "out");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *police_before = police_fingerprint (ctx, dir);
  g_autofree char *police_after = NULL;
  gint64 audit_before = sql_int (ctx, dir, "SELECT count(*) FROM audit;");
  DcTestRun run = { 0 };

  for (guint i = 0; c->args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) expand (ctx, dir, out, c->args[i], keep));
  g_ptr_array_add (args, NULL);

  ctl (ctx, (const char *const *) args->pdata, c->fd3, &run);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run.status, run.out, run.err);

  g_assert_cmpint (run.status, ==, c->status);
  g_assert_cmpstr (run.err, !=, "");
  g_assert_true (g_str_has_suffix (run.err, "\n"));
  dc_test_assert_human ("stderr", run.err);
  if (c->says != NULL)
    dc_test_assert_has (run.err, c->says);
  if (c->says_too != NULL)
    dc_test_assert_has (run.err, c->says_too);
  if (c->never != NULL)
    {
      assert_lacks (run.err, c->never);
      assert_lacks (run.out, c->never);
    }
  if (c->fd3 != NULL)
    assert_lacks (run.err, c->fd3);
  /* nothing handed over, nothing found */
  assert_lacks (run.out, "Bundle written");
  assert_lacks (run.out, "entered");
  assert_lacks (run.out, HAND_NAME);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* the ledger, the query log and the holds are as they were; a usage error never even
   * signs in, so not even the audit chain grew */
  police_after = police_fingerprint (ctx, dir);
  g_assert_cmpstr (police_after, ==, police_before);
  if (c->status == 2)
    g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit;"), ==, audit_before);
  {
    g_autofree char *parent = g_path_get_dirname (out);
    g_autoptr(GDir) d = g_dir_open (parent, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      g_assert_null (strstr (name, ".partial"));
  }
  dc_test_run_clear (&run);
}

/* ---- requests ---- */

static void
test_requests (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  const char *by_manager[] = { "request", "add", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3",
                               "--agency", "警視庁 丸の内警察署", "--officer", "巡査部長 田中", "--reference",
                               "丸生第55号", "--basis", "warrant", "--scope", "試験 花子 の全来店記録",
                               "--note", "差押許可状の写しを受領", "--received", "2025-01-10 10:00", NULL };
  const char *by_auditor[] = { "request", "add", "--store", dir, "--staff", AUDITOR, "--passphrase-fd", "3",
                               "--agency", "東京都 生活文化局", "--officer", "検査員 佐々木", "--reference",
                               "立入第7号", "--basis", "inspection", NULL };
  const char *list[] = { "request", "list", "--store", dir, "--staff", AUDITOR, "--passphrase-fd", "3", NULL };
  g_autofree char *out = NULL;
  gint64 audit_before;

  out = ctl_ok (ctx, by_manager, PASSPHRASE);
  dc_test_assert_human ("stdout", out);
  dc_test_assert_has (out, "Request 2 entered");
  dc_test_assert_has (out, "--request 2");
  g_clear_pointer (&out, g_free);
  out = ctl_ok (ctx, by_auditor, AUDITOR_PHRASE);
  dc_test_assert_has (out, "Request 3 entered");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM disclosures;"), ==, 3);
  /* the free text may name a person: sealed in the database */
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM disclosures WHERE scope IS NOT NULL AND"
                                      " (typeof (scope) <> 'blob' OR instr (scope, CAST ('試験' AS BLOB)) > 0);"), ==, 0);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM disclosures WHERE instr (note, CAST ('差押' AS BLOB)) > 0;"),
                   ==, 0);

  audit_before = sql_int (ctx, dir, "SELECT count(*) FROM audit;");
  out = ctl_ok (ctx, list, AUDITOR_PHRASE);
  g_test_message ("%s", out);
  dc_test_assert_human ("stdout", out);
  /* newest received first (request 2 came in long before it was entered), each with what
   * was entered, the sealed text opened */
  g_assert_nonnull (strstr (out, "Request 3: 立入第7号"));
  g_assert_true (strstr (out, "Request 3:") < strstr (out, "Request 1:"));
  g_assert_true (strstr (out, "Request 1:") < strstr (out, "Request 2:"));
  dc_test_assert_has (out, "丸生第55号");
  dc_test_assert_has (out, "警視庁 丸の内警察署");
  dc_test_assert_has (out, "巡査部長 田中");
  dc_test_assert_has (out, "試験 花子 の全来店記録");
  dc_test_assert_has (out, "差押許可状の写しを受領");
  dc_test_assert_has (out, "2025-01-10 10:00:00");
  dc_test_assert_has (out, "Warrant");
  dc_test_assert_has (out, "Ordinance inspection");
  dc_test_assert_has (out, "新宿生安第101号");
  dc_test_assert_has (out, "Nothing handed over yet.");
  /* reading the sealed text is audited */
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit;"), >, audit_before);
}

/* ---- queries ---- */

/* A whole minute inside a closed session of the demo history (with an hour to spare),
 * and the session's terminal. */
static gint64
pick_instant (Ctx *ctx, const char *dir, char **terminal)
{
  g_autofree char *row = sql (ctx, dir,
                              "SELECT s.started_at, t.label FROM terminal_sessions s JOIN terminals t"
                              " ON t.id = s.terminal_id WHERE s.ended_at - s.started_at > 3600000000"
                              " ORDER BY s.id LIMIT 1 OFFSET 200;");
  g_auto(GStrv) parts = g_strsplit (row, "|", 2);
  gint64 started = g_ascii_strtoll (parts[0], NULL, 10);

  *terminal = g_strdup (parts[1]);
  return (started / (60 * G_USEC_PER_SEC) + 2) * 60 * G_USEC_PER_SEC;
}

/* @t written in @zone with @format. */
static char *
format_in (gint64 t, const char *zone, const char *format)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, format);
}

/* ASCII digits and punctuation as typed on a Japanese keyboard in full-width mode. */
static char *
full_width (const char *ascii)
{
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (*p == ' ')
        g_string_append (out, "\u3000");
      else
        g_string_append_unichar (out, 0xFF00 + (gunichar) (*p - 0x20));
    }
  return g_string_free (out, FALSE);
}

static char *
query_csv (Ctx *ctx, const char *dir, const char *const *scope_args)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *head[] = { "query", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", "--csv" };
  DcTestRun run = { 0 };
  char *out;

  for (gsize i = 0; i < G_N_ELEMENTS (head); i++)
    g_ptr_array_add (args, (gpointer) head[i]);
  for (guint i = 0; scope_args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) scope_args[i]);
  g_ptr_array_add (args, NULL);
  ctl (ctx, (const char *const *) args->pdata, PASSPHRASE, &run);
  if (run.status != 0)
    g_test_message ("query failed: %s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  /* stdout is the CSV alone; the counts go to stderr */
  dc_test_assert_has (run.err, "Sessions: ");
  out = g_steal_pointer (&run.out);
  dc_test_run_clear (&run);
  return out;
}

static void
test_query_time_forms (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *terminal = NULL;
  gint64 t = pick_instant (ctx, dir, &terminal);
  g_autofree char *local = format_in (t, "Asia/Tokyo", "%Y-%m-%d %H:%M");
  char *forms[] = {
    g_strdup (local),
    format_in (t, "Asia/Tokyo", "%Y-%m-%d %H:%M:%S"),
    format_in (t, "Asia/Tokyo", "%Y-%m-%dT%H:%M:%S+09:00"),
    format_in (t, "UTC", "%Y-%m-%dT%H:%M:%SZ"),
    format_in (t, "UTC", "%Y-%m-%dT%H:%M:%S+00:00"),
    format_in (t, "Asia/Tokyo", "%Y/%-m/%-d %H:%M"),
    full_width (local),
  };
  g_autofree char *want = NULL;
  Lib lib = { 0 };
  guint rows = 0;

  lib_open (&lib, dir);
  want = lib_csv_time (&lib, t, t, NULL, &rows);
  g_test_message ("at %s: %u rows (a session on %s)", local, rows, terminal);
  g_assert_cmpuint (rows, >=, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      const char *scope[] = { "--at", forms[i], NULL };
      g_autofree char *got = query_csv (ctx, dir, scope);

      g_test_message ("--at %s", forms[i]);
      g_assert_cmpstr (got, ==, want);
      g_free (forms[i]);
    }

  /* a range of whole days: --to a date alone takes in the last moment of that day */
  {
    g_autofree char *day = format_in (t, "Asia/Tokyo", "%Y-%m-%d");
    g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
    const char *scope[] = { "--from", day, "--to", day, NULL };
    const char *narrow[] = { "--from", day, "--to", day, "--terminal", terminal, NULL };
    g_autofree char *got = query_csv (ctx, dir, scope);
    g_autofree char *got_narrow = query_csv (ctx, dir, narrow);
    g_autofree char *whole = NULL;
    g_autofree char *one = NULL;
    gint64 from = 0, end = 0;
    guint whole_rows = 0, one_rows = 0;

    g_assert_true (dc_time_parse (day, tokyo, &from, NULL));
    g_assert_true (dc_time_parse_end (day, tokyo, &end, NULL));
    g_assert_cmpint (end - from, ==, 24 * G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
    whole = lib_csv_time (&lib, from, end - 1, NULL, &whole_rows);
    one = lib_csv_time (&lib, from, end - 1, terminal, &one_rows);
    g_assert_cmpstr (got, ==, whole);
    g_assert_cmpstr (got_narrow, ==, one);
    g_assert_cmpuint (whole_rows, >, one_rows);
    g_assert_cmpuint (one_rows, >=, 1);
  }

  /* the readable table: every row's terminal and name, and the counts */
  {
    const char *args[] = { "query", "--store", dir, "--staff", AUDITOR, "--passphrase-fd", "3", "--at", local, NULL };
    g_autofree char *out = ctl_ok (ctx, args, AUDITOR_PHRASE);
    g_autofree char *counts = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(DcQueryResult) result = NULL;
    DcQueryScope scope;

    g_test_message ("%s", out);
    dc_test_assert_human ("stdout", out);
    dc_query_scope_init (&scope);
    scope.from = scope.to = t;
    result = dc_police_query (lib.store, lib.manager, &scope, 0, &error);
    g_assert_no_error (error);
    dc_test_assert_has (out, "Terminal");
    dc_test_assert_has (out, "Address");
    for (guint i = 0; i < result->rows->len; i++)
      {
        const DcQueryRow *row = &g_array_index (result->rows, DcQueryRow, i);

        dc_test_assert_has (out, row->terminal);
        dc_test_assert_has (out, row->identity->identity.name);
      }
    counts = g_strdup_printf ("Sessions: %u, visits: %u,", result->sessions, result->visits);
    dc_test_assert_has (out, counts);
  }
  lib_close (&lib);
}

static void
test_query_person (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  const char *const scopes[][5] = {
    { "--person", HAND_NAME, "--dob", HAND_DOB },
    { "--person", "試験花子", "--dob", "昭和60年7月15日" },   /* spacing and the era do not matter */
    { "--name", HAND_NAME },
    { "--name", "ｼｹﾝ ﾊﾅｺ" },                                 /* not the kana: no match */
    { "--doc", "drivers_license", "--doc-number", HAND_DOC_NUMBER },
    { "--member", ctx->hand_member },
  };
  const gboolean finds[] = { TRUE, TRUE, TRUE, FALSE, TRUE, TRUE };
  Lib lib = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      const char *head[] = { "query", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3" };
      g_autofree char *out = NULL;
      g_autofree char *visit = g_strdup_printf ("  %s  ", ctx->hand_visit);

      for (gsize k = 0; k < G_N_ELEMENTS (head); k++)
        g_ptr_array_add (args, (gpointer) head[k]);
      for (guint k = 0; scopes[i][k] != NULL; k++)
        g_ptr_array_add (args, (gpointer) scopes[i][k]);
      g_ptr_array_add (args, NULL);
      out = ctl_ok (ctx, (const char *const *) args->pdata, PASSPHRASE);
      g_test_message ("%s %s:\n%s", scopes[i][0], scopes[i][1], out);
      dc_test_assert_human ("stdout", out);
      if (finds[i])
        {
          dc_test_assert_has (out, HAND_NAME);
          dc_test_assert_has (out, HAND_DOB);
          dc_test_assert_has (out, HAND_ADDRESS);
          dc_test_assert_has (out, HAND_DOC_NUMBER);
          dc_test_assert_has (out, ctx->hand_terminal);
          dc_test_assert_has (out, visit);
          dc_test_assert_has (out, "(in use)");   /* the hand customer is still on the terminal */
        }
      else
        dc_test_assert_has (out, "No record matches.");
    }

  /* the CSV of a person query is the library's */
  lib_open (&lib, dir);
  {
    const char *scope_args[] = { "--person", HAND_NAME, "--dob", HAND_DOB, NULL };
    g_autofree char *got = query_csv (ctx, dir, scope_args);
    g_autofree char *want = NULL;
    DcQueryScope scope;

    dc_query_scope_init (&scope);
    scope.kind = DC_QUERY_PERSON;
    scope.name = g_strdup (HAND_NAME);
    g_assert_true (dc_date_parse (HAND_DOB, &scope.dob, NULL));
    want = lib_csv (&lib, &scope, NULL);
    dc_query_scope_clear (&scope);
    g_assert_cmpstr (got, ==, want);
    /* the address with its comma and quotes comes through RFC 4180 quoting */
    dc_test_assert_has (got, "\"東京都千代田区丸の内1-1-1, 試験ビル \"\"3F\"\"\"");
  }
  lib_close (&lib);
}

/* Does a time query on @terminal with @scope (two or four options) find the customer @name? */
static gboolean
time_query_finds (Ctx *ctx, const char *dir, const char *terminal, const char *const *scope, const char *name)
{
  const char *args[] = { "query", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", "--terminal", terminal,
                         scope[0], scope[1], scope[2], scope[3], NULL };
  g_autofree char *out = ctl_ok (ctx, args, PASSPHRASE);

  g_test_message ("%s %s %s %s:\n%s", scope[0], scope[1], scope[2] != NULL ? scope[2] : "",
                  scope[3] != NULL ? scope[3] : "", out);
  return strstr (out, name) != NULL;
}

/* A session from exactly midnight to exactly 01:00: where a range ends and a point lies. */
static void
test_query_bounds (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *terminal = NULL;
  g_autoptr(DcActor) counter = NULL;
  g_autoptr(GError) error = NULL;
  DcCheckinRequest req = { .internet = TRUE };
  DcCheckinResult result = { 0 };
  const char *name = "境界 一郎";
  gint64 now = dc_test_tokyo (2025, 6, 10, 0, 0);
  static const struct {
    const char *scope[4];
    gboolean    finds;
  } cases[] = {
    { { "--from", "2025-06-09", "--to", "2025-06-09" }, FALSE },              /* the day before ends before it */
    { { "--from", "2025-06-10", "--to", "2025-06-10" }, TRUE },
    { { "--from", "2025-06-08", "--to", "2025-06-09 23:59:59" }, FALSE },
    { { "--from", "2025-06-08", "--to", "2025-06-10 00:00" }, TRUE },         /* a time as --to: inclusive */
    { { "--from", "2025-06-10 01:00:01", "--to", "2025-06-11" }, FALSE },
    { { "--from", "2025-06-10T01:00:00+09:00", "--to", "2025-06-11" }, TRUE },
    { { "--at", "2025-06-10 00:00" }, TRUE },
    { { "--at", "2025-06-09T14:59:59Z" }, FALSE },                            /* one second before */
    { { "--at", "2025-06-10 01:00" }, TRUE },                                 /* the moment it ended */
    { { "--at", "2025-06-10 01:00:01" }, FALSE },
  };
  Lib lib = { 0 };

  terminal = sql (ctx, dir,
                  "SELECT label FROM terminals t WHERE NOT EXISTS (SELECT 1 FROM terminal_sessions s"
                  " WHERE s.terminal_id = t.id AND s.ended_at IS NULL) ORDER BY id DESC LIMIT 1;");
  lib_open (&lib, dir);
  counter = dc_store_sign_in_pin (lib.store, CLERK, CLERK_PIN, &error);
  g_assert_no_error (error);
  dc_test_store_use_clock (lib.store, &now);
  dc_test_identity_fill (&req.identity, 2030);
  req.identity.name = name;
  req.identity.kana = "キョウカイ イチロウ";
  req.terminal = terminal;
  g_assert_true (dc_checkin (lib.store, counter, &req, &result, &error));
  g_assert_no_error (error);
  now += G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  g_assert_true (dc_checkout (lib.store, counter, terminal, 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  dc_checkin_result_clear (&result);
  g_clear_pointer (&counter, dc_actor_free);
  lib_close (&lib);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (time_query_finds (ctx, dir, terminal, cases[i].scope, name), ==, cases[i].finds);
}

/* ---- export and verify-export ---- */

static char *
file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static void
verify_export (Ctx *ctx, const char *bundle, const char *store, DcTestRun *run)
{
  const char *plain[] = { "verify-export", bundle, NULL };
  const char *with_store[] = { "verify-export", bundle, "--store", store, NULL };

  ctl (ctx, store != NULL ? with_store : plain, NULL, run);
  g_test_message ("verify-export (exit %d):\n%s%s", run->status, run->out, run->err);
  dc_test_assert_human ("stdout", run->out);
}

static char *
bundle_copy (Ctx *ctx, const char *bundle)
{
  char *copy = new_path (ctx, "bundle-copy");

  dc_test_copy_dir (bundle, copy);
  return copy;
}

static void
append_byte (const char *path)
{
  g_autofree char *data = NULL;
  g_autofree char *more = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  more = g_strconcat (data, " ", NULL);
  g_assert_true (g_file_set_contents (path, more, len + 1, NULL));
}

static void
test_export (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *bundle = new_path (ctx, "bundle");
  g_autofree char *terminal = NULL;
  gint64 t = pick_instant (ctx, dir, &terminal);
  g_autofree char *at = format_in (t, "Asia/Tokyo", "%Y-%m-%d %H:%M");
  const char *export[] = { "export", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", "--request", "1",
                           "--out", bundle, "--at", at, "--hold", NULL };
  const char *list[] = { "request", "list", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", NULL };
  g_autofree char *manifest = g_build_filename (bundle, "manifest.json", NULL);
  g_autofree char *digest = NULL;
  g_autofree char *digest_line = NULL;
  g_autofree char *out = NULL;
  gint64 holds_before = sql_int (ctx, dir, "SELECT count(*) FROM holds;");
  DcTestRun run = { 0 };

  ctl (ctx, export, PASSPHRASE, &run);
  g_test_message ("export (exit %d):\n%s%s", run.status, run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  dc_test_assert_human ("stdout", run.out);
  dc_test_assert_human ("stderr", run.err);
  dc_test_assert_has (run.out, bundle);
  dc_test_assert_has (run.err, "%]");          /* progress, on stderr */
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  digest = file_sha256 (manifest);
  digest_line = g_strdup_printf ("SHA-256: %s\n", digest);
  dc_test_assert_has (run.out, digest_line);
  dc_test_run_clear (&run);

  /* the ledger has it, with the held records */
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM disclosure_exports WHERE disclosure_id = 1;"), ==, 1);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM holds;"), ==, holds_before + 1);
  out = ctl_ok (ctx, list, PASSPHRASE);
  dc_test_assert_has (out, "Export 1");
  dc_test_assert_has (out, digest);
  g_clear_pointer (&out, g_free);

  /* intact, alone and against the store's own key */
  verify_export (ctx, bundle, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  dc_test_assert_has (run.out, "Intact");
  dc_test_run_clear (&run);
  verify_export (ctx, bundle, dir, &run);
  g_assert_cmpint (run.status, ==, 0);
  dc_test_assert_has (run.out, "Intact");
  dc_test_run_clear (&run);

  /* … and with the stock tools an officer has */
  {
    g_autofree char *minisign = g_find_program_in_path ("minisign");

    if (minisign != NULL)
      {
        g_autofree char *pub = g_build_filename (bundle, "store.pub", NULL);
        const char *argv[] = { minisign, "-Vm", manifest, "-p", pub, NULL };

        dc_test_run (argv, NULL, NULL, NULL, NULL, &run);
        g_test_message ("minisign: %s%s", run.out, run.err);
        g_assert_cmpint (run.status, ==, 0);
        dc_test_run_clear (&run);
      }
  }

  /* an altered file is named */
  {
    static const char *const files[] = { "records.csv", "records.pdf", "manifest.json" };

    for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *copy = bundle_copy (ctx, bundle);
        g_autofree char *path = g_build_filename (copy, files[i], NULL);

        append_byte (path);
        verify_export (ctx, copy, NULL, &run);
        g_assert_cmpint (run.status, ==, 1);
        dc_test_assert_has (run.out, "NOT INTACT");
        dc_test_assert_has (run.out, files[i]);
        dc_test_run_clear (&run);
        dc_test_remove_tree (copy);
      }
  }
  /* a missing file is named */
  {
    g_autofree char *copy = bundle_copy (ctx, bundle);
    g_autofree char *path = g_build_filename (copy, "store.pub", NULL);

    g_assert_cmpint (g_unlink (path), ==, 0);
    verify_export (ctx, copy, NULL, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_assert_has (run.out, "store.pub");
    dc_test_run_clear (&run);
    dc_test_remove_tree (copy);
  }
  /* a folder that is no bundle at all */
  {
    g_autofree char *empty = new_path (ctx, "empty");

    g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
    verify_export (ctx, empty, NULL, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_assert_has (run.out, "NOT INTACT");
    dc_test_assert_has (run.out, "manifest.json");
    dc_test_run_clear (&run);
  }
  /* another store's key: the bundle is not this store's */
  verify_export (ctx, bundle, ctx->other, &run);
  g_assert_cmpint (run.status, ==, 1);
  dc_test_assert_has (run.out, "NOT INTACT");
  dc_test_run_clear (&run);

  /* the same folder again: refused, the ledger unchanged, the bundle untouched */
  {
    g_autofree char *before = dc_test_dir_fingerprint (bundle);
    g_autofree char *after = NULL;

    ctl (ctx, export, PASSPHRASE, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_run_clear (&run);
    after = dc_test_dir_fingerprint (bundle);
    g_assert_cmpstr (after, ==, before);
    g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM disclosure_exports;"), ==, 1);
  }
}

/* ---- the inspection report ---- */

static char *
pdf_text (const char *pdf)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  const char *argv[] = { tool, "-enc", "UTF-8", pdf, "-", NULL };
  DcTestRun run = { 0 };
  char *text;

  if (tool == NULL)
    return NULL;
  dc_test_run (argv, NULL, NULL, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  text = g_steal_pointer (&run.out);
  dc_test_run_clear (&run);
  return text;
}

/* Without white space: pdftotext may break or space a line anywhere. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

static void
test_report (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *pdf = new_path (ctx, "inspection.pdf");
  const char *report[] = { "report", "inspection", "--store", dir, "--out", pdf, NULL };
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *store_name = sql (ctx, dir, "SELECT name FROM store;");
  g_autofree char *labels = sql (ctx, dir, "SELECT group_concat (label, '|') FROM terminals;");
  g_auto(GStrv) terminals = g_strsplit (labels, "|", -1);
  g_autoptr(GPtrArray) names = NULL;
  gint64 reports_before = sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'inspection-report';");
  g_autofree char *broken = sql (ctx, dir,
                                 "SELECT label FROM terminals t WHERE NOT filtered AND NOT EXISTS (SELECT 1 FROM"
                                 " terminal_sessions s WHERE s.terminal_id = t.id AND s.ended_at IS NULL)"
                                 " ORDER BY id LIMIT 1;");
  gint64 filtered = sql_int (ctx, dir, "SELECT count(*) FROM terminals WHERE filtered;");
  g_autoptr(GError) error = NULL;
  Lib lib = { 0 };

  /* one terminal out of order, to be marked so */
  lib_open (&lib, dir);
  g_assert_true (dc_store_set_terminal_out_of_order (lib.store, lib.manager, broken, TRUE, &error));
  g_assert_no_error (error);

  out = ctl_ok (ctx, report, NULL);
  dc_test_assert_human ("stdout", out);
  dc_test_assert_has (out, pdf);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'inspection-report';"), ==,
                   reports_before + 1);

  text = pdf_text (pdf);
  if (text == NULL)
    {
      g_test_fail_printf ("pdftotext is not installed: make deps installs it");
      return;
    }
  g_test_message ("%s", text);
  flat = squeeze (text);
  {
    g_autofree char *flat_name = squeeze (store_name);
    dc_test_assert_has (flat, flat_name);
  }
  g_assert_cmpuint (g_strv_length (terminals), ==, 8);
  for (guint i = 0; terminals[i] != NULL; i++)
    dc_test_assert_has (flat, terminals[i]);
  dc_test_assert_has (flat, "記録の方法");
  dc_test_assert_has (flat, "月別件数");
  dc_test_assert_has (flat, "最古の記録");
  dc_test_assert_has (flat, "最終削除");
  dc_test_assert_has (flat, "最終バックアップ");
  dc_test_assert_has (flat, "監査チェーン");
  dc_test_assert_has (flat, "異常なし");
  dc_test_assert_has (flat, "月以前");   /* the demo's oldest months are past retention: never purged here */
  /* the terminal table: filtered ones marked (and the mark explained once), the broken one said */
  {
    guint marks = 0;

    for (const char *p = strstr (flat, "◯"); p != NULL; p = strstr (p + 1, "◯"))
      marks++;
    g_assert_cmpint (filtered, >, 0);
    g_assert_cmpuint (marks, ==, filtered + 1);
    dc_test_assert_has (flat, broken);
    g_assert_nonnull (strstr (strstr (flat, "端末一覧"), "故障中"));
  }

  /* no customer's name: every one of them, decrypted */
  names = lib_all_names (&lib);
  lib_close (&lib);
  g_assert_cmpuint (names->len, >, 100);
  g_assert_true (g_ptr_array_find_with_equal_func (names, HAND_NAME, g_str_equal, NULL));
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *name = squeeze (g_ptr_array_index (names, i));

      assert_lacks (flat, name);
    }
  assert_lacks (flat, HAND_DOC_NUMBER);
  assert_lacks (flat, "丸の内1-1-1");
}

/* ---- the ledger on paper ---- */

/* request list --out: the ledger as a PDF with each request, its reference and agency, and
 * the digest of what was handed over, so the paper can be checked against the bundle. */
static void
test_ledger_pdf (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *bundle = new_path (ctx, "bundle");
  g_autofree char *pdf = new_path (ctx, "ledger.pdf");
  g_autofree char *terminal = NULL;
  gint64 t = pick_instant (ctx, dir, &terminal);
  g_autofree char *at = format_in (t, "Asia/Tokyo", "%Y-%m-%d %H:%M");
  const char *export[] = { "export", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", "--request", "1",
                           "--out", bundle, "--at", at, NULL };
  const char *list[] = { "request", "list", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3",
                         "--out", pdf, NULL };
  g_autofree char *manifest = g_build_filename (bundle, "manifest.json", NULL);
  g_autofree char *digest = NULL;
  g_autofree char *reference = sql (ctx, dir, "SELECT reference FROM disclosures WHERE id = 1;");
  g_autofree char *agency = sql (ctx, dir, "SELECT agency FROM disclosures WHERE id = 1;");
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  gint64 reads = sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'request-list';");

  g_free (ctl_ok (ctx, export, PASSPHRASE));
  digest = file_sha256 (manifest);
  out = ctl_ok (ctx, list, PASSPHRASE);
  dc_test_assert_has (out, pdf);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  /* the reading of the sealed scopes is audited as any listing */
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'request-list';"), ==, reads + 1);
  text = pdf_text (pdf);
  if (text == NULL)
    {
      g_test_fail_printf ("pdftotext is not installed: make deps installs it");
      return;
    }
  flat = squeeze (text);
  dc_test_assert_has (flat, "警察からの照会と提供の台帳");
  {
    g_autofree char *flat_reference = squeeze (reference);
    g_autofree char *flat_agency = squeeze (agency);

    dc_test_assert_has (flat, flat_reference);
    dc_test_assert_has (flat, flat_agency);
  }
  dc_test_assert_has (flat, digest);
}

/* ---- every query and export is in the chain ---- */

static void
test_audited (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *bundle = new_path (ctx, "bundle");
  g_autofree char *terminal = NULL;
  gint64 t = pick_instant (ctx, dir, &terminal);
  g_autofree char *at = format_in (t, "Asia/Tokyo", "%Y-%m-%dT%H:%M:%S+09:00");
  const char *by_time[] = { "query", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", "--at", at,
                            "--request", "1", NULL };
  const char *by_person[] = { "query", "--store", dir, "--staff", AUDITOR, "--passphrase-fd", "3", "--person",
                              HAND_NAME, "--dob", HAND_DOB, NULL };
  const char *by_name[] = { "query", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", "--csv", "--name",
                            HAND_NAME, NULL };
  const char *refused[] = { "query", "--store", dir, "--staff", CLERK, "--passphrase-fd", "3", "--name", HAND_NAME,
                            NULL };
  const char *export[] = { "export", "--store", dir, "--staff", MANAGER, "--passphrase-fd", "3", "--request", "1",
                           "--out", bundle, "--member", ctx->hand_member, NULL };
  const char *verify[] = { "verify", "--store", dir, NULL };
  gint64 queries_before = sql_int (ctx, dir, "SELECT count(*) FROM queries;");
  gint64 audited_before = sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'query';");
  g_autofree char *out = NULL;
  DcTestRun run = { 0 };

  g_free (ctl_ok (ctx, by_time, PASSPHRASE));
  g_free (ctl_ok (ctx, by_person, AUDITOR_PHRASE));
  g_free (ctl_ok (ctx, by_name, PASSPHRASE));
  ctl (ctx, refused, CLERK_PIN, &run);
  g_assert_cmpint (run.status, ==, 1);
  dc_test_run_clear (&run);
  g_free (ctl_ok (ctx, export, PASSPHRASE));

  /* three queries and the export's own, each logged and audited; the refused one neither */
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM queries;"), ==, queries_before + 4);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'query' AND subject_table = 'queries';"),
                   ==, audited_before + 4);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'export';"), ==, 1);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM queries WHERE disclosure_id = 1;"), ==, 2);
  /* the log says what was asked, never the name */
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM queries WHERE scope LIKE '%試験%';"), ==, 0);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM queries WHERE kind = 'person';"), ==, 1);

  out = ctl_ok (ctx, verify, NULL);
  dc_test_assert_has (out, "Intact.");
}

/* ---- --help ---- */

static const char *const help_commands[][3] = {
  { "request", "add" }, { "request", "list" }, { "query" }, { "export" }, { "verify-export" },
  { "report", "inspection" },
};

static void
test_help (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  const char *top[] = { "--help", NULL };
  g_autofree char *usage = ctl_ok (ctx, top, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (help_commands); i++)
    {
      const char *args[4] = { help_commands[i][0], help_commands[i][1], NULL, NULL };
      g_autofree char *name = g_strjoinv (" ", (char **) help_commands[i]);
      g_autofree char *line = g_strdup_printf ("daicho-ctl %s [OPTION", name);
      g_autofree char *listed = g_strdup_printf ("  %s ", help_commands[i][0]);
      DcTestRun run = { 0 };

      args[help_commands[i][1] != NULL ? 2 : 1] = "--help";
      ctl (ctx, args, NULL, &run);
      g_test_message ("%s --help:\n%s", name, run.out);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      dc_test_assert_human ("stdout", run.out);
      dc_test_assert_has (run.out, line);
      dc_test_assert_has (run.out, "--store");
      dc_test_assert_has (usage, listed);
      if (g_str_equal (help_commands[i][0], "query") || g_str_equal (help_commands[i][0], "export"))
        {
          dc_test_assert_has (run.out, "--at");
          dc_test_assert_has (run.out, "--member");
          dc_test_assert_has (run.out, "inclusive");
          dc_test_assert_has (run.out, "2026-03-04T14:32:10+09:00");
        }
      dc_test_run_clear (&run);
    }
}

/* ---- set-up ---- */

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  Ctx ctx = { 0 };
  CaseRun runs[G_N_ELEMENTS (bad_cases)];
  GDate d;
  int rc;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  ctx.ctl = g_strdup (g_getenv ("DAICHO_CTL"));
  ctx.sqlite3 = g_find_program_in_path ("sqlite3");
  g_assert_nonnull (ctx.ctl);       /* set by tests/meson.build */
  g_assert_nonnull (ctx.sqlite3);
  ctx.root = g_dir_make_tmp ("daicho-test-cli-police-XXXXXX", &error);
  g_assert_no_error (error);
  ctx.xdg = g_build_filename (ctx.root, "xdg", NULL);
  dc_test_tokyo_today (&d);
  g_date_add_years (&d, 3);
  ctx.in_3_years = dc_test_iso_date (&d);

  for (gsize i = 0; i < G_N_ELEMENTS (end_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-police/time/parse-end/%s", end_cases[i].path);
      g_test_add_data_func (path, &end_cases[i], test_parse_end);
    }
  g_test_add_data_func ("/cli-police/help/every-command", &ctx, test_help);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-police/%s", bad_cases[i].path);

      runs[i].ctx = &ctx;
      runs[i].c = &bad_cases[i];
      g_test_add_data_func (path, &runs[i], test_refused);
    }
  g_test_add_data_func ("/cli-police/request/add-list", &ctx, test_requests);
  g_test_add_data_func ("/cli-police/query/time-forms-match-the-library", &ctx, test_query_time_forms);
  g_test_add_data_func ("/cli-police/query/person-name-document-member", &ctx, test_query_person);
  g_test_add_data_func ("/cli-police/query/range-ends-and-points", &ctx, test_query_bounds);
  g_test_add_data_func ("/cli-police/export/verify-and-tamper", &ctx, test_export);
  g_test_add_data_func ("/cli-police/report/inspection-has-no-personal-data", &ctx, test_report);
  g_test_add_data_func ("/cli-police/request/ledger-pdf", &ctx, test_ledger_pdf);
  g_test_add_data_func ("/cli-police/audit/every-query-and-export", &ctx, test_audited);

  rc = g_test_run ();
  dc_test_remove_tree (ctx.root);
  g_free (ctx.ctl);
  g_free (ctx.sqlite3);
  g_free (ctx.root);
  g_free (ctx.xdg);
  g_free (ctx.template);
  g_free (ctx.other);
  g_free (ctx.hand_member);
  g_free (ctx.hand_visit);
  g_free (ctx.hand_terminal);
  g_free (ctx.in_3_years);
  return rc;
}
