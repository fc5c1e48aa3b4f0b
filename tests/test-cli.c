/* tests/test-cli.c — the real daicho-ctl from outside: every bad input is refused clearly, non-zero, writing nothing. */
#include "dc-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#define PASSPHRASE  "correct horse battery staple"
#define MANAGER_PIN "1357"
#define CLERK_PIN   "2468"
#define MY_NUMBER   "123456789018"   /* a well-formed 個人番号: its check digit is right */

typedef struct {
  char  *ctl;
  char  *sqlite3;
  char  *root;        /* everything this program writes */
  char  *xdg;         /* XDG_DATA_HOME of the children, so no default store is ever touched */
  char  *template;    /* a store with staff, terminals and two visits; built on first use */
  guint  serial;
  char  *past_7_months;   /* dates from the real Tokyo day: the CLI's store clock is real */
  char  *past_1_month;
  char  *next_year;
  char  *in_3_years;
} Ctx;

/* daicho-ctl with @args (NULL-terminated); secrets on descriptors 3, 4 and 5. */
static void
ctl5 (const Ctx *ctx, const char *const *args, const char *fd3, const char *fd4, const char *fd5, DcTestRun *run)
{
  dc_test_ctl (ctx->ctl, args, ctx->xdg, fd3, fd4, fd5, run);
}

static void
ctl (const Ctx *ctx, const char *const *args, const char *fd3, const char *fd4, DcTestRun *run)
{
  ctl5 (ctx, args, fd3, fd4, NULL, run);
}

/* daicho-ctl that must succeed. */
static void
ctl_ok (const Ctx *ctx, const char *const *args, const char *fd3, const char *fd4)
{
  g_free (dc_test_ctl_ok (ctx->ctl, args, ctx->xdg, fd3, fd4, NULL));
}

/* ---- stores ---- */

static char *
new_dir_name (Ctx *ctx, const char *what)
{
  g_autofree char *base = g_strdup_printf ("%s-%u", what, ++ctx->serial);

  return g_build_filename (ctx->root, base, NULL);
}

static void
build_template (Ctx *ctx)
{
  const char *init[] = { "init", "--store", ctx->template, "--store-name", "CLI test store", "--operator",
                         "Test Operator KK", "--manager", "boss", "--passphrase-fd", "3", "--pin-fd", "4", NULL };
  const char *clerk[] = { "staff", "add", "--store", ctx->template, "--staff", "boss", "--name", "clerk", "--role",
                          "counter", "--passphrase-fd", "3", "--pin-fd", "4", NULL };
  const char *const terminals[] = { "PC-01", "PC-02", "PC-03" };
  const char *people[][4] = {
    { "PC-01", "山田 太郎", "ヤマダ タロウ", "1990-04-01" },
    { "PC-02", "佐藤 花子", "サトウ ハナコ", "1988-12-24" },
  };

  ctl_ok (ctx, init, PASSPHRASE, MANAGER_PIN);
  for (gsize i = 0; i < G_N_ELEMENTS (terminals); i++)
    {
      const char *add[] = { "terminal", "add", "--store", ctx->template, "--staff", "boss", "--label", terminals[i],
                            "--passphrase-fd", "3", NULL };
      ctl_ok (ctx, add, PASSPHRASE, NULL);
    }
  ctl_ok (ctx, clerk, PASSPHRASE, CLERK_PIN);
  for (gsize i = 0; i < G_N_ELEMENTS (people); i++)
    {
      const char *in[] = { "checkin", "--store", ctx->template, "--staff", "clerk", "--pin-fd", "4", "--terminal",
                           people[i][0], "--doc", "drivers_license", "--doc-number", "30123456789", "--name",
                           people[i][1], "--kana", people[i][2], "--dob", people[i][3], "--address",
                           "東京都新宿区西新宿2-8-1", "--doc-expiry", ctx->in_3_years, NULL };
      ctl_ok (ctx, in, NULL, CLERK_PIN);
    }
}

/* A fresh copy of the template store: visit 1 on PC-01, visit 2 on PC-02, PC-03 free. */
static char *
store_copy (Ctx *ctx)
{
  g_autofree char *db = NULL;
  g_autofree char *to = NULL;
  char *dir;

  if (ctx->template == NULL)
    {
      ctx->template = g_build_filename (ctx->root, "template", NULL);
      build_template (ctx);
    }
  dir = new_dir_name (ctx, "store");
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  db = g_build_filename (ctx->template, "daicho.db", NULL);
  to = g_build_filename (dir, "daicho.db", NULL);
  dc_test_copy_file (db, to);
  return dir;
}

/* Everything but the audit chain and its checkpoints (a failed sign-in is audited). */
static char *
records_fingerprint (const Ctx *ctx, const char *dir)
{
  return dc_test_sqlite3 (ctx->sqlite3, dir,
                          "SELECT 'store', count(*) FROM store; SELECT 'settings', count(*) FROM settings;"
                          "SELECT 'store_keys', count(*) FROM store_keys; SELECT 'keyslots', count(*) FROM keyslots;"
                          "SELECT 'holds', count(*) FROM holds; SELECT 'disclosures', count(*) FROM disclosures;"
                          "SELECT 'purges', count(*) FROM purges;"
                          "SELECT id, name, role, active FROM staff;"
                          "SELECT id, label, active, out_of_order FROM terminals;"
                          "SELECT id, member_number FROM customers;"
                          "SELECT id, customer_id, hex (payload) FROM verifications;"
                          "SELECT id, entered_at, exited_at, exit_reason FROM visits;"
                          "SELECT id, visit_id, terminal_id, ended_at FROM terminal_sessions;");
}

static gint64
audit_entries (const Ctx *ctx, const char *dir)
{
  return dc_test_sqlite3_int (ctx->sqlite3, dir, "SELECT count(*) FROM audit;");
}

/* ---- checks on what the program said ---- */

static void
assert_not_said (const DcTestRun *run, const char *secret)
{
  if (secret == NULL || strlen (secret) < 4)
    return;
  g_assert_null (strstr (run->err, secret));
  g_assert_null (strstr (run->out, secret));
}

/* ---- the refusal table ---- */

typedef enum {
  PLACE_STORE,     /* a copy of the template */
  PLACE_NEW,       /* a path that does not exist (and must not after) */
  PLACE_EMPTY,     /* an empty folder */
  PLACE_FOREIGN,   /* a folder whose daicho.db is not a database */
  PLACE_SQLITE,    /* a folder whose daicho.db is another program's SQLite database */
  PLACE_NEWER,     /* a store whose user_version was set to 99 by the sqlite3 tool */
} Place;

typedef enum {
  WRITES_NOTHING,  /* not one byte of the folder changes */
  WRITES_AUDIT,    /* only the audit chain grows (a failed or successful sign-in is recorded) */
} Writes;

typedef struct {
  const char *path;
  Place       place;
  const char *args[32];   /* "@S" is the store folder; "@PAST7M", "@PAST1M", "@NEXTYEAR", "@EXP" dates */
  const char *fd3;
  const char *fd4;
  int         status;
  const char *says;       /* stderr contains these */
  const char *says_too;
  Writes      writes;
  gboolean    audited;    /* the refusal itself must leave an audit entry */
  const char *never;      /* must appear in neither stdout nor stderr */
  const char *fd5;
} BadCase;

#define CLERK "--store", "@S", "--staff", "clerk", "--pin-fd", "4"
#define BOSS "--store", "@S", "--staff", "boss", "--passphrase-fd", "3"
#define PERSON "--name", "鈴木 一郎", "--kana", "スズキ イチロウ", "--dob", "1985-05-05", "--address", "東京都港区芝公園4-2-8"
#define CHECKIN_PC03 "checkin", CLERK, "--terminal", "PC-03"
#define LICENCE "--doc", "drivers_license", "--doc-number", "301234567890", "--doc-expiry", "@EXP"
#define FULL_INIT "--store-name", "X", "--operator", "Y", "--manager", "m", "--passphrase-fd", "3", "--pin-fd", "4"

static const BadCase bad_cases[] = {
  /* the command line itself */
  { "usage/no-command", PLACE_STORE, { NULL }, NULL, NULL, 2, "Usage", NULL },
  { "usage/unknown-command", PLACE_STORE, { "frobnicate", "--store", "@S" }, NULL, NULL, 2, "Unknown command",
    "frobnicate" },
  { "usage/unknown-option", PLACE_STORE, { CHECKIN_PC03, "--colour", "red", PERSON, LICENCE }, NULL, CLERK_PIN, 2,
    "Unknown option", "--colour" },
  { "usage/not-a-number", PLACE_STORE, { "show", BOSS, "--visit", "one" }, PASSPHRASE, NULL, 2, "--visit", NULL },
  { "usage/stray-argument", PLACE_STORE, { "status", "--store", "@S", "everything" }, NULL, NULL, 2,
    "Unexpected argument", "everything" },
  { "usage/staff-no-subcommand", PLACE_STORE, { "staff" }, NULL, NULL, 2, "staff add", NULL },
  { "usage/staff-unknown-subcommand", PLACE_STORE, { "staff", "fire", "--store", "@S" }, NULL, NULL, 2,
    "staff add", NULL },
  { "usage/terminal-no-subcommand", PLACE_STORE, { "terminal" }, NULL, NULL, 2, "terminal add", NULL },
  { "usage/no-staff", PLACE_STORE, { "checkin", "--store", "@S", "--pin-fd", "4", "--terminal", "PC-03", PERSON,
    LICENCE }, NULL, CLERK_PIN, 2, "--staff", NULL },

  /* required options, command by command */
  { "missing/init-manager", PLACE_NEW, { "init", "--store", "@S", "--store-name", "X", "--operator", "Y",
    "--passphrase-fd", "3", "--pin-fd", "4" }, PASSPHRASE, MANAGER_PIN, 2, "--manager", NULL },
  { "missing/init-store-name", PLACE_NEW, { "init", "--store", "@S", "--operator", "Y", "--manager", "m",
    "--passphrase-fd", "3", "--pin-fd", "4" }, PASSPHRASE, MANAGER_PIN, 2, "--store-name", NULL },
  { "missing/staff-add-role", PLACE_STORE, { "staff", "add", BOSS, "--name", "x", "--pin-fd", "4" }, PASSPHRASE,
    "1111", 2, "--role", NULL },
  { "missing/staff-add-name", PLACE_STORE, { "staff", "add", BOSS, "--role", "counter", "--pin-fd", "4" },
    PASSPHRASE, "1111", 2, "--name", NULL },
  { "missing/staff-unlock-name", PLACE_STORE, { "staff", "unlock", BOSS }, PASSPHRASE, NULL, 2, "--name", NULL },
  { "missing/staff-passphrase-name", PLACE_STORE, { "staff", "passphrase", BOSS }, PASSPHRASE, NULL, 2, "--name",
    NULL },
  { "missing/terminal-add-label", PLACE_STORE, { "terminal", "add", BOSS }, PASSPHRASE, NULL, 2, "--label", NULL },
  { "missing/checkin-terminal", PLACE_STORE, { "checkin", CLERK, PERSON, LICENCE }, NULL, CLERK_PIN, 2,
    "--terminal", NULL },
  { "missing/checkin-doc", PLACE_STORE, { CHECKIN_PC03, PERSON }, NULL, CLERK_PIN, 2, "--doc", NULL },
  { "missing/checkin-dob", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana", "スズキ イチロウ",
    "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "--dob", NULL },
  { "missing/checkout-which", PLACE_STORE, { "checkout", CLERK }, NULL, CLERK_PIN, 2, "--terminal", "--visit" },
  { "missing/move-to", PLACE_STORE, { "move", CLERK, "--from", "PC-01" }, NULL, CLERK_PIN, 2, "--to", NULL },
  { "missing/show-visit", PLACE_STORE, { "show", BOSS }, PASSPHRASE, NULL, 2, "--visit", NULL },
  { "missing/pin-fd-and-no-terminal", PLACE_STORE, { "checkin", "--store", "@S", "--staff", "clerk", "--terminal",
    "PC-03", PERSON, LICENCE }, NULL, NULL, 1, "--pin-fd", NULL },
  { "range/demo-days", PLACE_NEW, { "demo", "--store", "@S", "--days", "0" }, NULL, NULL, 2, "--days", NULL },
  { "range/checkout-reason", PLACE_STORE, { "checkout", CLERK, "--terminal", "PC-01", "--reason", "lunch" }, NULL,
    CLERK_PIN, 2, "lunch", "staff, customer or curfew" },
  { "range/staff-role", PLACE_STORE, { "staff", "add", BOSS, "--name", "x", "--role", "owner", "--pin-fd", "4",
    "--new-passphrase-fd", "5" }, PASSPHRASE, "1111", 2, "counter, manager or auditor", NULL, .fd5 = "another good passphrase" },
  /* Descriptor 5 is not given: the program must say so, not read its own database file as a passphrase. */
  { "usage/descriptor-not-given", PLACE_STORE, { "staff", "add", BOSS, "--name", "x", "--role", "auditor",
    "--pin-fd", "4", "--new-passphrase-fd", "5" }, PASSPHRASE, "1111", 2, "descriptor", "5" },

  /* creating */
  { "init/existing-store", PLACE_STORE, { "init", "--store", "@S", FULL_INIT }, PASSPHRASE, MANAGER_PIN, 1,
    "already", NULL },
  { "init/weak-pin", PLACE_NEW, { "init", "--store", "@S", FULL_INIT }, PASSPHRASE, "12", 1, "PIN", NULL },
  { "init/weak-passphrase", PLACE_NEW, { "init", "--store", "@S", FULL_INIT }, "short", MANAGER_PIN, 1,
    "passphrase", NULL },

  /* who acts */
  { "sign-in/wrong-passphrase", PLACE_STORE, { "terminal", "add", BOSS, "--label", "PC-09" },
    "wrong horse battery staple", NULL, 1, "Wrong passphrase", NULL, WRITES_AUDIT, TRUE },
  { "sign-in/wrong-pin", PLACE_STORE, { CHECKIN_PC03, PERSON, LICENCE }, NULL, "9999", 1, "Wrong PIN", NULL,
    WRITES_AUDIT, TRUE },
  { "sign-in/unknown-staff-pin", PLACE_STORE, { "checkin", "--store", "@S", "--staff", "nobody", "--pin-fd", "4",
    "--terminal", "PC-03", PERSON, LICENCE }, NULL, CLERK_PIN, 1, "nobody", NULL },
  { "sign-in/unknown-staff-passphrase", PLACE_STORE, { "show", "--store", "@S", "--staff", "nobody",
    "--passphrase-fd", "3", "--visit", "1" }, PASSPHRASE, NULL, 1, "nobody", NULL },
  { "sign-in/counter-adds-terminal", PLACE_STORE, { "terminal", "add", "--store", "@S", "--staff", "clerk",
    "--passphrase-fd", "3", "--label", "PC-09" }, CLERK_PIN, NULL, 1, "counter staff", NULL },
  { "sign-in/counter-reads-identity", PLACE_STORE, { "show", "--store", "@S", "--staff", "clerk",
    "--passphrase-fd", "3", "--visit", "1" }, CLERK_PIN, NULL, 1, "counter staff", NULL },

  /* terminals */
  { "terminal/unknown", PLACE_STORE, { "checkin", CLERK, "--terminal", "PC-99", PERSON, LICENCE }, NULL, CLERK_PIN, 1,
    "PC-99", NULL },
  { "terminal/busy", PLACE_STORE, { "checkin", CLERK, "--terminal", "PC-01", PERSON, LICENCE }, NULL, CLERK_PIN, 1,
    "PC-01", "in use" },
  { "terminal/checkout-free", PLACE_STORE, { "checkout", CLERK, "--terminal", "PC-03" }, NULL, CLERK_PIN, 1,
    "PC-03", NULL },
  { "terminal/checkout-unknown-visit", PLACE_STORE, { "checkout", CLERK, "--visit", "99" }, NULL, CLERK_PIN, 1,
    "99", NULL },
  { "terminal/move-to-busy", PLACE_STORE, { "move", CLERK, "--from", "PC-01", "--to", "PC-02" }, NULL, CLERK_PIN, 1,
    "PC-02", "in use" },
  { "terminal/move-from-free", PLACE_STORE, { "move", CLERK, "--from", "PC-03", "--to", "PC-01" }, NULL, CLERK_PIN,
    1, "PC-03", NULL },
  { "visit/show-nonexistent", PLACE_STORE, { "show", BOSS, "--visit", "99" }, PASSPHRASE, NULL, 1, "no such visit",
    NULL, WRITES_AUDIT },
  { "visit/already-in", PLACE_STORE, { CHECKIN_PC03, "--name", "山田 太郎", "--kana", "ヤマダ タロウ", "--dob",
    "1990-04-01", "--address", "東京都新宿区西新宿2-8-1", LICENCE }, NULL, CLERK_PIN, 1, "already", NULL },
  { "visit/member-typo", PLACE_STORE, { CHECKIN_PC03, "--member", "10000013" }, NULL, CLERK_PIN, 1, "member", NULL },

  /* numbers the law forbids: refused, and never repeated back */
  { "law/my-number-card-number", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "my_number_card", "--doc-number",
    "123456789012", "--doc-expiry", "@EXP" }, NULL, CLERK_PIN, 1, "law", "My Number", WRITES_NOTHING, FALSE,
    "123456789012" },
  { "law/my-number-as-residence-card-number", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "residence_card",
    "--doc-number", MY_NUMBER, "--doc-expiry", "@EXP" }, NULL, CLERK_PIN, 1, "My Number", NULL, WRITES_NOTHING,
    FALSE, MY_NUMBER },
  { "law/my-number-in-address", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana",
    "スズキ イチロウ", "--dob", "1985-05-05", "--address", "東京都港区 " MY_NUMBER }, NULL, CLERK_PIN, 1, "My Number",
    NULL, WRITES_NOTHING, FALSE, MY_NUMBER },
  { "law/qualification-cert-number", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "qualification_cert",
    "--doc-number", "87654321", "--doc-expiry", "@EXP" }, NULL, CLERK_PIN, 1, "law", "insurance", WRITES_NOTHING,
    FALSE, "87654321" },
  { "law/health-insurance-card-number", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "health_insurance_card",
    "--doc-number", "87654321", "--doc-issued", "@PAST1M" }, NULL, CLERK_PIN, 1, "document", NULL, WRITES_NOTHING,
    FALSE, "87654321" },

  /* the document rules */
  { "doc/notification-card", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "notification_card", "--doc-issued",
    "@PAST1M" }, NULL, CLERK_PIN, 1, "not accepted", NULL },
  { "doc/unknown-type", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "library_card", "--doc-number", "L1234",
    "--doc-expiry", "@EXP" }, NULL, CLERK_PIN, 1, "accept", NULL },
  { "doc/expired-licence", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "drivers_license", "--doc-number",
    "301234567890", "--doc-expiry", "2020-01-01" }, NULL, CLERK_PIN, 1, "expired", "2020-01-01" },
  { "doc/licence-without-expiry", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "drivers_license", "--doc-number",
    "301234567890" }, NULL, CLERK_PIN, 1, "expiry", NULL },
  { "doc/undated-older-than-6-months", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "resident_record_copy",
    "--doc-number", "R20240001", "--doc-issued", "@PAST7M" }, NULL, CLERK_PIN, 1, "six months", NULL },
  { "doc/licence-without-number", PLACE_STORE, { CHECKIN_PC03, PERSON, "--doc", "drivers_license", "--doc-expiry",
    "@EXP" }, NULL, CLERK_PIN, 1, "number", NULL },
  { "dob/impossible", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana", "スズキ イチロウ",
    "--dob", "2023-02-29", "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "--dob", "29" },
  { "dob/outside-era", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana", "スズキ イチロウ",
    "--dob", "平成31年5月1日", "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "Heisei", NULL },
  { "dob/future", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana", "スズキ イチロウ",
    "--dob", "@NEXTYEAR", "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "future", NULL },
  { "dob/garbage", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana", "スズキ イチロウ",
    "--dob", "yesterday", "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "--dob", NULL },
  { "name/empty", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "", "--kana", "スズキ イチロウ", "--dob",
    "1985-05-05", "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "name", NULL },
  { "name/only-spaces", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", " \u3000 ", "--kana", "スズキ イチロウ",
    "--dob", "1985-05-05", "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "name", NULL },
  { "kana/with-kanji", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana", "鈴木イチロウ",
    "--dob", "1985-05-05", "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "katakana", NULL },
  { "kana/missing", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--dob", "1985-05-05",
    "--address", "東京都港区芝公園4-2-8" }, NULL, CLERK_PIN, 1, "eading", NULL },
  { "address/missing", PLACE_STORE, { CHECKIN_PC03, LICENCE, "--name", "鈴木 一郎", "--kana", "スズキ イチロウ",
    "--dob", "1985-05-05" }, NULL, CLERK_PIN, 1, "address", NULL },
  { "address/differs-without-date", PLACE_STORE, { CHECKIN_PC03, PERSON, LICENCE, "--supplementary",
    "utility_bill" }, NULL, CLERK_PIN, 1, "--supplementary", NULL },
  { "address/differs-empty-date", PLACE_STORE, { CHECKIN_PC03, PERSON, LICENCE, "--supplementary", "utility_bill:" },
    NULL, CLERK_PIN, 1, "--supplementary", NULL },
  { "address/supplementary-too-old", PLACE_STORE, { CHECKIN_PC03, PERSON, LICENCE, "--supplementary",
    "utility_bill:@PAST7M" }, NULL, CLERK_PIN, 1, "six months", NULL },
  { "address/supplementary-unknown", PLACE_STORE, { CHECKIN_PC03, PERSON, LICENCE, "--supplementary",
    "love_letter:@PAST1M" }, NULL, CLERK_PIN, 1, "upplementary", NULL },
  { "non-resident/licence-instead-of-passport", PLACE_STORE, { CHECKIN_PC03, "--name", "John Smith", "--dob",
    "1985-05-05", "--nationality", "Canada", "--doc", "drivers_license", "--doc-number", "DL778899", "--doc-expiry",
    "@EXP" }, NULL, CLERK_PIN, 1, "passport", NULL },
  { "non-resident/no-passport-number", PLACE_STORE, { CHECKIN_PC03, "--name", "John Smith", "--dob", "1985-05-05",
    "--nationality", "Canada", "--doc", "crew_handbook", "--doc-number", "C1234567", "--doc-expiry", "@EXP" }, NULL,
    CLERK_PIN, 1, "passport number", NULL },

  /* places that are not (this version's) stores */
  { "store/empty-folder", PLACE_EMPTY, { "verify", "--store", "@S" }, NULL, NULL, 1, "no Daicho store", NULL },
  { "store/no-folder", PLACE_NEW, { "verify", "--store", "@S" }, NULL, NULL, 1, "no Daicho store", NULL },
  { "store/status-no-folder", PLACE_NEW, { "status", "--store", "@S" }, NULL, NULL, 1, "no Daicho store", NULL },
  { "store/not-a-database", PLACE_FOREIGN, { "verify", "--store", "@S" }, NULL, NULL, 1, "not a Daicho database",
    NULL },
  { "store/other-sqlite-database", PLACE_SQLITE, { "verify", "--store", "@S" }, NULL, NULL, 1,
    "not a Daicho database", NULL },
  { "store/other-sqlite-database-checkin", PLACE_SQLITE, { CHECKIN_PC03, PERSON, LICENCE }, NULL, CLERK_PIN, 1,
    "not a Daicho database", NULL },
  { "store/newer-verify", PLACE_NEWER, { "verify", "--store", "@S" }, NULL, NULL, 1, "newer", NULL },
  { "store/newer-checkin", PLACE_NEWER, { CHECKIN_PC03, PERSON, LICENCE }, NULL, CLERK_PIN, 1, "newer", NULL },
  { "store/newer-init", PLACE_NEWER, { "init", "--store", "@S", FULL_INIT }, PASSPHRASE, MANAGER_PIN, 1, NULL,
    NULL },
};

static char *
place_prepare (Ctx *ctx, Place place)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  char *dir;

  switch (place)
    {
    case PLACE_STORE:
      return store_copy (ctx);
    case PLACE_NEW:
      return new_dir_name (ctx, "nothing");
    case PLACE_EMPTY:
    case PLACE_FOREIGN:
    case PLACE_SQLITE:
      dir = new_dir_name (ctx, "folder");
      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      db = g_build_filename (dir, "daicho.db", NULL);
      if (place == PLACE_FOREIGN)
        g_file_set_contents (db, "Shopping list: rice, natto, tea.\n", -1, &error);
      else if (place == PLACE_SQLITE)
        g_free (dc_test_sqlite3 (ctx->sqlite3, dir,
                                 "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('oden');"));
      g_assert_no_error (error);
      return dir;
    case PLACE_NEWER:
      dir = store_copy (ctx);
      g_free (dc_test_sqlite3 (ctx->sqlite3, dir, "PRAGMA user_version = 99;"));
      return dir;
    default:
      g_assert_not_reached ();
    }
}

static const char *
expand (const Ctx *ctx, const char *store, const char *arg, GPtrArray *keep)
{
  static const char *const names[] = { "@S", "@PAST7M", "@PAST1M", "@NEXTYEAR", "@EXP" };
  const char *values[] = { store, ctx->past_7_months, ctx->past_1_month, ctx->next_year, ctx->in_3_years };
  const char *at = strchr (arg, '@');

  if (at == NULL)
    return arg;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (at, names[i]))
      {
        char *s = g_strdup_printf ("%.*s%s", (int) (at - arg), arg, values[i]);

        g_ptr_array_add (keep, s);
        return s;
      }
  return arg;
}

typedef struct {
  Ctx           *ctx;
  const BadCase *c;
} CaseRun;

static void
test_refused (gconstpointer data)
{
  const BadCase *c = ((const CaseRun *) data)->c;
  Ctx *ctx = ((const CaseRun *) data)->ctx;
  g_autofree char *dir = place_prepare (ctx, c->place);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *files_before = dc_test_dir_fingerprint (dir);
  g_autofree char *files_after = NULL;
  g_autofree char *records_before = NULL;
  g_autofree char *records_after = NULL;
  gint64 audit_before = 0;
  DcTestRun run = { 0 };

  if (c->writes == WRITES_AUDIT)
    {
      records_before = records_fingerprint (ctx, dir);
      audit_before = audit_entries (ctx, dir);
    }
  for (guint i = 0; c->args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) expand (ctx, dir, c->args[i], keep));
  g_ptr_array_add (args, NULL);

  ctl5 (ctx, (const char *const *) args->pdata, c->fd3, c->fd4, c->fd5, &run);
  g_test_message ("exit %d, stderr: %s", run.status, run.err);

  g_assert_cmpint (run.status, ==, c->status);
  g_assert_cmpstr (run.err, !=, "");
  g_assert_true (g_str_has_suffix (run.err, "\n"));
  dc_test_assert_human ("stderr", run.err);
  g_assert_null (strstr (run.out, "Checked in"));
  if (c->says != NULL)
    g_assert_nonnull (strstr (run.err, c->says));
  if (c->says_too != NULL)
    g_assert_nonnull (strstr (run.err, c->says_too));
  assert_not_said (&run, c->never);
  /* the secrets themselves are never repeated */
  assert_not_said (&run, c->fd3);
  assert_not_said (&run, c->fd4);

  if (c->writes == WRITES_NOTHING)
    {
      files_after = dc_test_dir_fingerprint (dir);
      g_assert_cmpstr (files_after, ==, files_before);
    }
  else
    {
      records_after = records_fingerprint (ctx, dir);
      g_assert_cmpstr (records_after, ==, records_before);
      if (c->audited)
        g_assert_cmpint (audit_entries (ctx, dir), >, audit_before);
    }
  dc_test_run_clear (&run);
}

/* ---- lock-out ---- */

/* staff list prints "NAME<tab>ROLE<tab>STATE" */
static void
assert_staff_state (const char *list, const char *name, const char *state)
{
  g_auto(GStrv) lines = g_strsplit (list, "\n", -1);
  g_autofree char *prefix = g_strconcat (name, "\t", NULL);
  g_autofree char *suffix = g_strconcat ("\t", state, NULL);
  gboolean seen = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        seen = TRUE;
        g_assert_true (g_str_has_suffix (lines[i], suffix));
      }
  g_assert_true (seen);
}

static void
test_pin_lockout (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *records = records_fingerprint (ctx, dir);
  g_autofree char *after = NULL;
  const char *checkin[] = { "checkin", "--store", dir, "--staff", "clerk", "--pin-fd", "4", "--terminal", "PC-03",
                            PERSON, "--doc", "drivers_license", "--doc-number", "301234567890", "--doc-expiry",
                            ctx->in_3_years, NULL };
  const char *unlock[] = { "staff", "unlock", "--store", dir, "--staff", "boss", "--passphrase-fd", "3", "--name",
                           "clerk", NULL };
  const char *list[] = { "staff", "list", "--store", dir, NULL };
  const char *verify[] = { "verify", "--store", dir, NULL };
  DcTestRun run = { 0 };

  for (int i = 1; i <= 5; i++)
    {
      ctl (ctx, checkin, NULL, "0000", &run);
      g_assert_cmpint (run.status, ==, 1);
      dc_test_assert_human ("stderr", run.err);
      g_assert_nonnull (strstr (run.err, "Wrong PIN"));
      if (i == 5)
        g_assert_nonnull (strstr (run.err, "locked"));
      else
        g_assert_null (strstr (run.err, "locked"));
      dc_test_run_clear (&run);
    }

  /* locked: even the right PIN is refused, with the reason */
  ctl (ctx, checkin, NULL, CLERK_PIN, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "locked"));
  g_assert_nonnull (strstr (run.err, "manager"));
  dc_test_run_clear (&run);
  ctl (ctx, list, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  assert_staff_state (run.out, "clerk", "locked");
  dc_test_run_clear (&run);
  after = records_fingerprint (ctx, dir);
  g_assert_cmpstr (after, ==, records);

  /* a wrong manager passphrase does not unlock */
  ctl (ctx, unlock, "not the passphrase", NULL, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Wrong passphrase"));
  dc_test_run_clear (&run);

  ctl (ctx, unlock, PASSPHRASE, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "clerk"));
  dc_test_run_clear (&run);
  ctl (ctx, list, NULL, NULL, &run);
  assert_staff_state (run.out, "clerk", "active");
  dc_test_run_clear (&run);

  ctl (ctx, checkin, NULL, CLERK_PIN, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Checked in: visit 3"));
  dc_test_run_clear (&run);

  /* every failure and the unlock are in an intact chain */
  ctl (ctx, verify, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Intact."));
  dc_test_run_clear (&run);
  {
    g_autofree char *actions = dc_test_sqlite3 (ctx->sqlite3, dir,
                                                "SELECT group_concat (action, ' ') FROM audit"
                                                " WHERE action LIKE 'pin-%' OR action = 'staff-unlock';");
    g_test_message ("audit: %s", actions);
    g_assert_nonnull (strstr (actions, "pin-failed pin-failed pin-failed pin-failed pin-locked"));
  }
}

/* ---- the happy paths the refusals are measured against ---- */

static void
test_intact_and_works (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  const char *verify[] = { "verify", "--store", dir, NULL };
  const char *checkin[] = { CHECKIN_PC03, PERSON, LICENCE, NULL };
  const char *checkout[] = { "checkout", CLERK, "--terminal", "PC-03", NULL };
  const char *move[] = { "move", CLERK, "--from", "PC-02", "--to", "PC-03", NULL };
  const char *status[] = { "status", "--store", dir, NULL };
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  const char *const *cmds[] = { checkin, checkout, move };
  DcTestRun run = { 0 };

  ctl (ctx, verify, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_suffix (run.out, "Intact.\n"));
  dc_test_run_clear (&run);

  /* the same shapes of command line as the refusals, but right, do work */
  for (gsize c = 0; c < G_N_ELEMENTS (cmds); c++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      for (guint i = 0; cmds[c][i] != NULL; i++)
        g_ptr_array_add (args, (gpointer) expand (ctx, dir, cmds[c][i], keep));
      g_ptr_array_add (args, NULL);
      ctl (ctx, (const char *const *) args->pdata, NULL, CLERK_PIN, &run);
      g_test_message ("%s: %d %s%s", cmds[c][0], run.status, run.out, run.err);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      dc_test_run_clear (&run);
    }
  ctl (ctx, status, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "2 in the store, 1 of 3 terminals free"));
  g_assert_nonnull (strstr (run.out, "PC-03"));
  g_assert_null (strstr (run.out, "PC-02"));
  dc_test_run_clear (&run);
  ctl (ctx, verify, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  dc_test_run_clear (&run);
}

/* ---- --help ---- */

static const char *const help_commands[][3] = {
  { NULL }, { "init" }, { "staff", "add" }, { "staff", "list" }, { "staff", "unlock" }, { "staff", "passphrase" },
  { "terminal", "add" }, { "terminal", "list" }, { "checkin" }, { "checkout" }, { "move" }, { "status" },
  { "show" }, { "verify" }, { "demo" },
};

static void
help_run (Ctx *ctx, const char *const *words, DcTestRun *run)
{
  const char *args[4] = { NULL };
  guint n = 0;

  for (; n < 2 && words[n] != NULL; n++)
    args[n] = words[n];
  args[n] = "--help";
  ctl (ctx, args, NULL, NULL, run);
}

static void
test_help (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;

  for (gsize i = 0; i < G_N_ELEMENTS (help_commands); i++)
    {
      DcTestRun run = { 0 };

      help_run (ctx, help_commands[i], &run);
      g_test_message ("%s %s --help", help_commands[i][0], help_commands[i][1]);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      dc_test_assert_human ("stdout", run.out);
      g_assert_nonnull (strstr (run.out, "Usage"));
      if (help_commands[i][0] != NULL)
        {
          g_assert_nonnull (strstr (run.out, "--store"));
          g_assert_nonnull (strstr (run.out, "--help"));
        }
      else
        {
          for (gsize j = 1; j < G_N_ELEMENTS (help_commands); j++)
            g_assert_nonnull (strstr (run.out, help_commands[j][0]));
        }
      dc_test_run_clear (&run);
    }
}

/* The usage line names the program and the command: "daicho-ctl staff add [OPTION…]". */
static void
test_help_usage_line (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;

  for (gsize i = 1; i < G_N_ELEMENTS (help_commands); i++)
    {
      g_autofree char *name = g_strjoinv (" ", (char **) help_commands[i]);
      g_autofree char *line = g_strdup_printf ("daicho-ctl %s [OPTION", name);
      g_autofree char *doubled = g_strdup_printf ("] %s", name);
      DcTestRun run = { 0 };

      help_run (ctx, help_commands[i], &run);
      g_test_message ("%s", run.out);
      g_assert_nonnull (strstr (run.out, line));
      g_assert_null (strstr (run.out, doubled));
      dc_test_run_clear (&run);
    }
}

/* ---- set-up ---- */

static void
ctx_init (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  GDate d;

  ctx->ctl = g_strdup (g_getenv ("DAICHO_CTL"));
  ctx->sqlite3 = g_find_program_in_path ("sqlite3");
  ctx->root = g_dir_make_tmp ("daicho-test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  ctx->xdg = g_build_filename (ctx->root, "xdg", NULL);

  dc_test_tokyo_today (&d);
  g_date_subtract_months (&d, 7);
  ctx->past_7_months = dc_test_iso_date (&d);
  g_date_add_months (&d, 6);
  ctx->past_1_month = dc_test_iso_date (&d);
  g_date_add_years (&d, 1);
  g_date_add_months (&d, 1);
  ctx->next_year = dc_test_iso_date (&d);
  g_date_add_years (&d, 2);
  ctx->in_3_years = dc_test_iso_date (&d);
}

static void
ctx_clear (Ctx *ctx)
{
  dc_test_remove_tree (ctx->root);
  g_free (ctx->ctl);
  g_free (ctx->sqlite3);
  g_free (ctx->root);
  g_free (ctx->xdg);
  g_free (ctx->template);
  g_free (ctx->past_7_months);
  g_free (ctx->past_1_month);
  g_free (ctx->next_year);
  g_free (ctx->in_3_years);
}

int
main (int argc, char **argv)
{
  Ctx ctx = { 0 };
  CaseRun runs[G_N_ELEMENTS (bad_cases)];
  int rc;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  /* a refusal that fails one check still reports the rest of the table */
  g_test_set_nonfatal_assertions ();
  ctx_init (&ctx);
  g_assert_nonnull (ctx.ctl);       /* set by tests/meson.build */
  g_assert_nonnull (ctx.sqlite3);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/refused/%s", bad_cases[i].path);

      runs[i].ctx = &ctx;
      runs[i].c = &bad_cases[i];
      g_test_add_data_func (path, &runs[i], test_refused);
    }
  g_test_add_data_func ("/cli/works/intact-and-counter-commands", &ctx, test_intact_and_works);
  g_test_add_data_func ("/cli/sign-in/five-wrong-pins-lock-until-unlocked", &ctx, test_pin_lockout);
  g_test_add_data_func ("/cli/help/every-command", &ctx, test_help);
  g_test_add_data_func ("/cli/help/usage-line-names-the-command", &ctx, test_help_usage_line);

  rc = g_test_run ();
  ctx_clear (&ctx);
  return rc;
}
