/* tests/test-cli-retention.c — the real daicho-ctl hold, purge, backup, restore and schedule, from outside; systemctl faked. */
#include "dc-test-util.h"
#include "dc-member.h"
#include "dc-recovery-code.h"
#include "dc-vault.h"
#include "dc-time.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#define PASSPHRASE      "correct horse battery staple"
#define AUDITOR_PHRASE  "auditor passphrase of some length"
#define MANAGER_PIN     "1357"
#define CLERK_PIN       "2468"
#define AUDITOR_PIN     "3579"
#define DEMO_PASSPHRASE "demo-passphrase"
#define DEMO_MANAGER    "店長 デモ"
#define FAKE_NEXT_RUN   G_GINT64_CONSTANT (1772650000)   /* what the fake systemctl says the timers do next */

typedef struct {
  char  *ctl;
  char  *sqlite3;
  char  *srcdir;
  char  *root;          /* everything this program writes */
  char  *xdg;           /* XDG_DATA_HOME of the children: no default store is ever touched */
  char  *log;           /* the fake systemctl's log of its command lines */
  char  *path_ok;       /* PATH with a systemctl that succeeds first */
  char  *path_fail;     /* PATH with one that fails */
  char  *template;      /* boss, clerk, auditor, PC-01…03, visits 1 and 2, hold 1 on visit 2, a backup */
  char  *template_backup;
  char  *recovery;      /* the template's recovery key, as init printed it once */
  char  *member1;       /* the member number of visit 1's customer */
  char  *member99;      /* a well-formed member number nobody has */
  char  *garbage;       /* a file that is not a backup */
  char  *in_3_years;
  char  *today;
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

/* daicho-ctl that must succeed: its stdout. */
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
  char *out = dc_test_sqlite3 (ctx->sqlite3, dir, query);

  return g_strstrip (out);
}

static gint64
sql_int (const Ctx *ctx, const char *dir, const char *query)
{
  return dc_test_sqlite3_int (ctx->sqlite3, dir, query);
}

/* init prints the recovery key once, alone on an indented line. */
static char *
printed_recovery_key (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "    ") && strlen (g_strstrip (lines[i])) == 9 * 4 + 8)
      return g_strdup (lines[i]);
  g_error ("no recovery key in: %s", out);
  return NULL;
}

static void
build_template (Ctx *ctx)
{
  const char *t = ctx->template;
  const char *init[] = { "init", "--store", t, "--store-name", "保存期間テスト店", "--operator", "Test Operator KK",
                         "--manager", "boss", "--passphrase-fd", "3", "--pin-fd", "4", NULL };
  const char *clerk[] = { "staff", "add", "--store", t, "--staff", "boss", "--passphrase-fd", "3", "--name", "clerk",
                          "--role", "counter", "--pin-fd", "4", NULL };
  const char *auditor[] = { "staff", "add", "--store", t, "--staff", "boss", "--passphrase-fd", "3", "--name",
                            "audrey", "--role", "auditor", "--pin-fd", "4", "--new-passphrase-fd", "5", NULL };
  const char *hold[] = { "hold", "add", "--store", t, "--staff", "boss", "--passphrase-fd", "3", "--visit", "2",
                         "--reason", "template hold", NULL };
  g_autofree char *backups = g_build_filename (ctx->root, "template-backups", NULL);
  const char *backup[] = { "backup", "--store", t, "--to", backups, NULL };
  const char *labels[] = { "PC-01", "PC-02", "PC-03" };
  const char *people[][4] = {
    { "PC-01", "山田 太郎", "ヤマダ タロウ", "1990-04-01" },
    { "PC-02", "佐藤 花子", "サトウ ハナコ", "1988-12-24" },
  };
  g_autofree char *out = NULL;

  out = ctl_ok5 (ctx, init, PASSPHRASE, MANAGER_PIN, NULL);
  ctx->recovery = printed_recovery_key (out);
  g_clear_pointer (&out, g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      const char *add[] = { "terminal", "add", "--store", t, "--staff", "boss", "--passphrase-fd", "3", "--label",
                            labels[i], NULL };
      g_free (ctl_ok (ctx, add, PASSPHRASE));
    }
  g_free (ctl_ok5 (ctx, clerk, PASSPHRASE, CLERK_PIN, NULL));
  g_free (ctl_ok5 (ctx, auditor, PASSPHRASE, AUDITOR_PIN, AUDITOR_PHRASE));
  for (gsize i = 0; i < G_N_ELEMENTS (people); i++)
    {
      const char *in[] = { "checkin", "--store", t, "--staff", "clerk", "--pin-fd", "4", "--terminal", people[i][0],
                           "--doc", "drivers_license", "--doc-number", "30123456789", "--name", people[i][1], "--kana",
                           people[i][2], "--dob", people[i][3], "--address", "東京都新宿区西新宿2-8-1", "--doc-expiry",
                           ctx->in_3_years, NULL };
      g_free (ctl_ok5 (ctx, in, NULL, CLERK_PIN, NULL));
    }
  out = ctl_ok (ctx, hold, PASSPHRASE);
  dc_test_assert_has (out, "Hold 1 placed");
  g_clear_pointer (&out, g_free);
  out = ctl_ok (ctx, backup, NULL);
  {
    const char *start = strstr (out, "Backup written: ");
    const char *end;

    g_assert_nonnull (start);
    start += strlen ("Backup written: ");
    end = strstr (start, " (");
    g_assert_nonnull (end);
    ctx->template_backup = g_strndup (start, end - start);
  }
  ctx->member1 = sql (ctx, t, "SELECT member_number FROM customers WHERE id = (SELECT customer_id FROM visits WHERE id = 1);");
}

/* A fresh copy of the template store. */
static char *
store_copy (Ctx *ctx)
{
  char *dir;

  if (ctx->template == NULL)
    {
      ctx->template = g_build_filename (ctx->root, "template", NULL);
      build_template (ctx);
    }
  dir = new_path (ctx, "store");
  dc_test_copy_dir (ctx->template, dir);
  return dir;
}

/* Everything but the audit chain and its checkpoints (a sign-in is audited). */
static char *
records_fingerprint (const Ctx *ctx, const char *dir)
{
  return dc_test_sqlite3 (ctx->sqlite3, dir,
                          "SELECT 'holds', count(*) FROM holds; SELECT 'purges', count(*) FROM purges;"
                          "SELECT 'settings', count(*) FROM settings; SELECT 'keyslots', count(*) FROM keyslots;"
                          "SELECT id, name, role, active FROM staff;"
                          "SELECT id, label, active, out_of_order FROM terminals;"
                          "SELECT id, member_number FROM customers;"
                          "SELECT id, customer_id, hex (payload) FROM verifications;"
                          "SELECT id, entered_at, exited_at, exit_reason FROM visits;"
                          "SELECT id, visit_id, terminal_id, ended_at FROM terminal_sessions;");
}

/* The names of the files in @dir (a database set aside or a leftover would show). */
static char *
file_names (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (!g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* ---- the refusal table ---- */

typedef enum {
  PLACE_STORE,     /* a copy of the template */
  PLACE_NEW,       /* a path that does not exist */
} Place;

typedef struct {
  const char *path;
  Place       place;
  const char *args[24];   /* "@S" store, "@M1" member of visit 1, "@M99" nobody's member number,
                             "@GARBAGE" not a backup, "@BACKUP" the template's backup, "@CUT" it cut in half,
                             "@TODAY" today in Tokyo */
  const char *fd3;
  const char *fd4;
  int         status;
  const char *says;       /* stderr contains these */
  const char *says_too;
} BadCase;

#define BOSS    "--store", "@S", "--staff", "boss", "--passphrase-fd", "3"
#define AUDITOR "--store", "@S", "--staff", "audrey", "--passphrase-fd", "3"
#define HOLD_ADD "hold", "add", BOSS
#define WHY "--reason", "police request"

static const BadCase bad_cases[] = {
  /* the command line */
  { "usage/hold-no-subcommand", PLACE_STORE, { "hold" }, NULL, NULL, 2, "hold add", NULL },
  { "usage/hold-unknown-subcommand", PLACE_STORE, { "hold", "forget", "--store", "@S" }, NULL, NULL, 2, "hold add" },
  { "usage/schedule-no-subcommand", PLACE_STORE, { "schedule" }, NULL, NULL, 2, "schedule install", NULL },
  { "usage/schedule-unknown", PLACE_STORE, { "schedule", "start", "--store", "@S" }, NULL, NULL, 2, "schedule install" },
  { "usage/purge-stray-argument", PLACE_STORE, { "purge", "--store", "@S", "now" }, NULL, NULL, 2,
    "Unexpected argument", "now" },
  { "usage/purge-unknown-option", PLACE_STORE, { "purge", "--store", "@S", "--force" }, NULL, NULL, 2, "--force" },
  { "usage/hold-list-stray", PLACE_STORE, { "hold", "list", "--store", "@S", "all" }, NULL, NULL, 2, "Unexpected" },

  /* hold add */
  { "hold-add/missing-reason", PLACE_STORE, { HOLD_ADD, "--visit", "1" }, PASSPHRASE, NULL, 2, "--reason" },
  { "hold-add/blank-reason", PLACE_STORE, { HOLD_ADD, "--visit", "1", "--reason", " \u3000 " }, PASSPHRASE, NULL, 2,
    "--reason" },
  { "hold-add/no-scope", PLACE_STORE, { HOLD_ADD, WHY }, PASSPHRASE, NULL, 2, "--visit", "--member" },
  { "hold-add/two-scopes", PLACE_STORE, { HOLD_ADD, "--visit", "1", "--member", "@M1", WHY }, PASSPHRASE, NULL, 2,
    "one of" },
  { "hold-add/visit-and-range", PLACE_STORE, { HOLD_ADD, "--visit", "1", "--from", "@TODAY", "--to", "@TODAY", WHY },
    PASSPHRASE, NULL, 2, "one of" },
  { "hold-add/from-without-to", PLACE_STORE, { HOLD_ADD, "--from", "2026-03-04 14:00", WHY }, PASSPHRASE, NULL, 2,
    "--to" },
  { "hold-add/terminal-without-range", PLACE_STORE, { HOLD_ADD, "--visit", "1", "--terminal", "PC-01", WHY },
    PASSPHRASE, NULL, 2, "--terminal" },
  { "hold-add/visit-not-a-number", PLACE_STORE, { HOLD_ADD, "--visit", "first", WHY }, PASSPHRASE, NULL, 2,
    "--visit" },
  { "hold-add/bad-time", PLACE_STORE, { HOLD_ADD, "--from", "last tuesday", "--to", "2026-03-04", WHY }, PASSPHRASE,
    NULL, 2, "--from" },
  { "hold-add/impossible-date", PLACE_STORE, { HOLD_ADD, "--from", "2023-02-29 10:00", "--to", "2023-03-01", WHY },
    PASSPHRASE, NULL, 2, "--from", "29" },
  { "hold-add/bad-to", PLACE_STORE, { HOLD_ADD, "--from", "2026-03-04 10:00", "--to", "2026-03-04 25:00", WHY },
    PASSPHRASE, NULL, 2, "--to" },
  { "hold-add/from-after-to", PLACE_STORE, { HOLD_ADD, "--from", "2026-03-04 15:00", "--to", "2026-03-04 14:00", WHY },
    PASSPHRASE, NULL, 2, "--from must be before --to" },
  { "hold-add/from-equals-to", PLACE_STORE, { HOLD_ADD, "--from", "2026-03-04T14:00:00+09:00", "--to",
    "2026-03-04 05:00Z", WHY }, PASSPHRASE, NULL, 2, "--from must be before --to" },
  { "hold-add/unknown-terminal", PLACE_STORE, { HOLD_ADD, "--from", "2026-03-04", "--to", "2026-03-05",
    "--terminal", "PC-01", "--terminal", "PC-99", WHY }, PASSPHRASE, NULL, 1, "PC-99" },
  { "hold-add/member-typo", PLACE_STORE, { HOLD_ADD, "--member", "10000013", WHY }, PASSPHRASE, NULL, 2,
    "member number" },
  { "hold-add/unknown-member", PLACE_STORE, { HOLD_ADD, "--member", "@M99", WHY }, PASSPHRASE, NULL, 1,
    "no member" },
  { "hold-add/unknown-visit", PLACE_STORE, { HOLD_ADD, "--visit", "99", WHY }, PASSPHRASE, NULL, 1, "no visit", "99" },
  { "hold-add/counter-pin-as-passphrase", PLACE_STORE, { "hold", "add", "--store", "@S", "--staff", "clerk",
    "--passphrase-fd", "3", "--visit", "1", WHY }, CLERK_PIN, NULL, 1, "counter staff" },
  { "hold-add/wrong-passphrase", PLACE_STORE, { HOLD_ADD, "--visit", "1", WHY }, "wrong horse battery staple", NULL,
    1, "Wrong passphrase" },
  { "hold-add/no-secret-no-terminal", PLACE_STORE, { "hold", "add", "--store", "@S", "--staff", "boss", "--visit",
    "1", WHY }, NULL, NULL, 1, "--passphrase-fd" },
  { "hold-add/no-staff", PLACE_STORE, { "hold", "add", "--store", "@S", "--passphrase-fd", "3", "--visit", "1", WHY },
    PASSPHRASE, NULL, 2, "--staff" },

  /* hold release */
  { "hold-release/missing-reason", PLACE_STORE, { "hold", "release", BOSS, "--hold", "1" }, PASSPHRASE, NULL, 2,
    "--reason" },
  { "hold-release/missing-hold", PLACE_STORE, { "hold", "release", BOSS, WHY }, PASSPHRASE, NULL, 2, "--hold" },
  { "hold-release/unknown-hold", PLACE_STORE, { "hold", "release", BOSS, "--hold", "99", WHY }, PASSPHRASE, NULL, 1,
    "no hold", "99" },
  { "hold-release/auditor", PLACE_STORE, { "hold", "release", AUDITOR, "--hold", "1", WHY }, AUDITOR_PHRASE, NULL, 1,
    "manager" },
  { "hold-release/counter-pin", PLACE_STORE, { "hold", "release", "--store", "@S", "--staff", "clerk",
    "--passphrase-fd", "3", "--hold", "1", WHY }, CLERK_PIN, NULL, 1, "counter staff" },

  /* backup and restore */
  { "backup/missing-to", PLACE_STORE, { "backup", "--store", "@S" }, NULL, NULL, 2, "--to" },
  { "backup/no-store", PLACE_NEW, { "backup", "--store", "@S", "--to", "@S-backups" }, NULL, NULL, 1,
    "no Daicho store" },
  { "purge/no-store", PLACE_NEW, { "purge", "--store", "@S", "--dry-run" }, NULL, NULL, 1, "no Daicho store" },
  { "restore/no-file", PLACE_STORE, { "restore", BOSS }, PASSPHRASE, NULL, 2, "backup file" },
  { "restore/two-files", PLACE_STORE, { "restore", BOSS, "@BACKUP", "@GARBAGE" }, PASSPHRASE, NULL, 2, "backup file" },
  { "restore/garbage", PLACE_STORE, { "restore", BOSS, "@GARBAGE" }, PASSPHRASE, NULL, 1, "not a Daicho backup" },
  { "restore/cut-short", PLACE_STORE, { "restore", BOSS, "@CUT" }, PASSPHRASE, NULL, 1, "Nothing was restored" },
  { "restore/missing-file", PLACE_STORE, { "restore", BOSS, "@S/nothing.daicho-backup" }, PASSPHRASE, NULL, 1,
    "nothing.daicho-backup" },
  { "restore/counter-pin", PLACE_STORE, { "restore", "--store", "@S", "--staff", "clerk", "--passphrase-fd", "3",
    "@BACKUP" }, CLERK_PIN, NULL, 1, "counter staff" },
  { "restore/auditor", PLACE_STORE, { "restore", AUDITOR, "@BACKUP" }, AUDITOR_PHRASE, NULL, 1, "manager" },
  { "restore/wrong-passphrase", PLACE_STORE, { "restore", BOSS, "@BACKUP" }, "not the passphrase", NULL, 1,
    "Wrong passphrase" },

  /* schedule */
  { "schedule/backups-in-store-folder", PLACE_STORE, { "schedule", "install", "--store", "@S", "--backup-dir", "@S" },
    NULL, NULL, 1, "folder of their own" },
  { "schedule/no-store", PLACE_NEW, { "schedule", "install", "--store", "@S" }, NULL, NULL, 1, "no Daicho store" },
};

static char *
cut_backup (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  char *path = g_build_filename (ctx->root, "cut.daicho-backup", NULL);
  gsize len = 0;

  g_file_get_contents (ctx->template_backup, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, data, len / 2, &error);
  g_assert_no_error (error);
  return path;
}

static const char *
expand (Ctx *ctx, const char *store, const char *arg, GPtrArray *keep)
{
  static const char *const names[] = { "@S", "@M1", "@M99", "@GARBAGE", "@BACKUP", "@TODAY" };
  const char *values[G_N_ELEMENTS (names)] = { store, ctx->member1, ctx->member99, ctx->garbage,
                                               ctx->template_backup, ctx->today };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize n = strlen (names[i]);

      /* "@S", "@S/file", "@S-backups"; never "@S" inside "@SOMETHING" */
      if (g_str_has_prefix (arg, names[i]) && (arg[n] == '\0' || arg[n] == '/' || arg[n] == '-'))
        {
          char *s = g_strconcat (values[i], arg + n, NULL);

          g_ptr_array_add (keep, s);
          return s;
        }
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
  g_autofree char *dir = c->place == PLACE_STORE ? store_copy (ctx) : new_path (ctx, "nothing");
  g_autofree char *cut = cut_backup (ctx);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *records_before = c->place == PLACE_STORE ? records_fingerprint (ctx, dir) : NULL;
  g_autofree char *names_before = file_names (dir);
  g_autofree char *records_after = NULL;
  g_autofree char *names_after = NULL;
  g_autofree char *units = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
  DcTestRun run = { 0 };

  for (guint i = 0; c->args[i] != NULL; i++)
    {
      if (g_str_equal (c->args[i], "@CUT"))
        g_ptr_array_add (args, cut);
      else
        g_ptr_array_add (args, (gpointer) expand (ctx, dir, c->args[i], keep));
    }
  g_ptr_array_add (args, NULL);

  ctl5 (ctx, (const char *const *) args->pdata, c->fd3, c->fd4, NULL, &run);
  g_test_message ("exit %d, stderr: %s", run.status, run.err);

  g_assert_cmpint (run.status, ==, c->status);
  g_assert_cmpstr (run.err, !=, "");
  g_assert_true (g_str_has_suffix (run.err, "\n"));
  dc_test_assert_human ("stderr", run.err);
  if (c->says != NULL)
    dc_test_assert_has (run.err, c->says);
  if (c->says_too != NULL)
    dc_test_assert_has (run.err, c->says_too);
  if (c->fd3 != NULL)
    g_assert_null (strstr (run.err, c->fd3));
  g_assert_null (strstr (run.out, "placed"));
  g_assert_null (strstr (run.out, "Restored"));

  /* nothing changed but the audit chain: no record, no hold, no file left beside the store */
  names_after = file_names (dir);
  g_assert_cmpstr (names_after, ==, names_before);
  if (records_before != NULL)
    {
      records_after = records_fingerprint (ctx, dir);
      g_assert_cmpstr (records_after, ==, records_before);
    }
  g_assert_false (g_file_test (units, G_FILE_TEST_EXISTS));
  dc_test_run_clear (&run);
}

/* ---- holds ---- */

/* "Hold 7 placed: …" → 7 */
static gint64
placed_id (const char *out)
{
  const char *p = strstr (out, "Hold ");

  g_assert_nonnull (p);
  g_assert_nonnull (strstr (out, " placed"));
  return g_ascii_strtoll (p + 5, NULL, 10);
}

static gint64
hold_add_ok (Ctx *ctx, const char *const *args, const char *secret)
{
  g_autofree char *out = ctl_ok (ctx, args, secret);

  dc_test_assert_human ("stdout", out);
  return placed_id (out);
}

/* The block of "hold list" output about hold @id, "" when it is not listed. */
static char *
hold_block (const char *list, gint64 id)
{
  g_autofree char *head = g_strdup_printf ("Hold %" G_GINT64_FORMAT ": ", id);
  const char *start = strstr (list, head);
  const char *end;

  if (start == NULL)
    return g_strdup ("");
  end = strstr (start + 1, "\nHold ");
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

static void
test_holds (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  const char *by_visit[] = { HOLD_ADD, "--visit", "1", WHY, NULL };
  const char *by_member[] = { "hold", "add", "--store", dir, "--staff", "audrey", "--passphrase-fd", "3", "--member",
                              ctx->member1, "--reason", "捜査関係事項照会", "--reference", "新宿署 第123号", NULL };
  const char *day[] = { "hold", "add", "--store", dir, "--staff", "boss", "--passphrase-fd", "3", "--from",
                        "2020-01-01", "--to", "2020-01-01", "--terminal", "PC-01", "--terminal", "PC-02", WHY, NULL };
  const char *offset[] = { "hold", "add", "--store", dir, "--staff", "boss", "--passphrase-fd", "3", "--from",
                           "2020-01-01T00:00:00+00:00", "--to", "2020-01-01 12:00", WHY, NULL };
  const char *list[] = { "hold", "list", "--store", dir, NULL };
  const char *list_all[] = { "hold", "list", "--store", dir, "--all", NULL };
  const char *verify[] = { "verify", "--store", dir, NULL };
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *block = NULL;
  g_autofree char *member_scope = g_strdup_printf ("member %s", ctx->member1);
  gint64 visit_hold, member_hold, day_hold, offset_hold;
  gint64 holds_before = sql_int (ctx, dir, "SELECT count(*) FROM holds;");
  gint64 audit_before = sql_int (ctx, dir, "SELECT count(*) FROM audit;");
  DcTestRun run = { 0 };

  by_visit[3] = dir;
  visit_hold = hold_add_ok (ctx, by_visit, PASSPHRASE);
  member_hold = hold_add_ok (ctx, by_member, AUDITOR_PHRASE);
  day_hold = hold_add_ok (ctx, day, PASSPHRASE);
  offset_hold = hold_add_ok (ctx, offset, PASSPHRASE);
  g_assert_cmpint (visit_hold, ==, 2);
  g_assert_cmpint (member_hold, ==, 3);
  g_assert_cmpint (day_hold, ==, 4);
  g_assert_cmpint (offset_hold, ==, 5);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM holds;"), ==, holds_before + 4);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit;"), >=, audit_before + 4);

  /* the list needs no secret, shows every hold with its scope, and no personal data */
  out = ctl_ok (ctx, list, NULL);
  g_test_message ("%s", out);
  dc_test_assert_human ("stdout", out);
  g_assert_null (strstr (out, "山田"));
  g_assert_null (strstr (out, "西新宿"));
  block = hold_block (out, visit_hold);
  dc_test_assert_has (block, "visit 1");
  dc_test_assert_has (block, "police request");
  dc_test_assert_has (block, "boss");
  g_clear_pointer (&block, g_free);
  block = hold_block (out, member_hold);
  dc_test_assert_has (block, member_scope);
  dc_test_assert_has (block, "捜査関係事項照会");
  dc_test_assert_has (block, "新宿署 第123号");
  dc_test_assert_has (block, "audrey");
  g_clear_pointer (&block, g_free);
  /* a date alone as --to takes in that whole day */
  block = hold_block (out, day_hold);
  dc_test_assert_has (block, "2020-01-01 00:00 – 2020-01-02 00:00");
  dc_test_assert_has (block, "PC-01, PC-02");
  g_clear_pointer (&block, g_free);
  /* an offset is honoured; without one the time is the store's (Tokyo) */
  block = hold_block (out, offset_hold);
  dc_test_assert_has (block, "2020-01-01 09:00 – 12:00");
  g_clear_pointer (&block, g_free);
  g_clear_pointer (&out, g_free);

  {
    const char *release[] = { "hold", "release", "--store", dir, "--staff", "boss", "--passphrase-fd", "3", "--hold",
                              "2", "--reason", "case closed", NULL };

    out = ctl_ok (ctx, release, PASSPHRASE);
    dc_test_assert_has (out, "Hold 2 released");
    g_clear_pointer (&out, g_free);
    /* twice is refused */
    ctl (ctx, release, PASSPHRASE, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_assert_has (run.err, "already");
    dc_test_run_clear (&run);
  }
  out = ctl_ok (ctx, list, NULL);
  block = hold_block (out, visit_hold);
  g_assert_cmpstr (block, ==, "");
  g_clear_pointer (&block, g_free);
  block = hold_block (out, member_hold);
  g_assert_cmpstr (block, !=, "");
  g_clear_pointer (&block, g_free);
  g_clear_pointer (&out, g_free);
  out = ctl_ok (ctx, list_all, NULL);
  block = hold_block (out, visit_hold);
  dc_test_assert_has (block, "released");
  dc_test_assert_has (block, "case closed");
  g_clear_pointer (&out, g_free);

  out = ctl_ok (ctx, verify, NULL);
  dc_test_assert_has (out, "Intact.");
}

/* ---- purge ---- */

/* status prints "Label:   value" lines */
static void
assert_status (const char *out, const char *label, const char *value)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], label))
      {
        g_autofree char *rest = g_strstrip (g_strdup (lines[i] + strlen (label)));

        if (value != NULL)
          g_assert_cmpstr (rest, ==, value);
        else
          g_assert_cmpstr (rest, !=, "never");
        return;
      }
  g_test_message ("no %s in:\n%s", label, out);
  g_assert_not_reached ();
}


/* The demo store: 1,130 days of history, so its oldest month is past three years. */
static const char *
demo_store (Ctx *ctx)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *demo[] = { "demo", "--store", NULL, "--days", "1130", "--visits-per-day", "3", "--terminals", "8",
                             NULL };
      gint64 start = g_get_monotonic_time ();

      dir = g_build_filename (ctx->root, "demo", NULL);
      demo[2] = dir;
      g_free (ctl_ok (ctx, demo, NULL));
      g_test_message ("demo store made in %.1f s", (g_get_monotonic_time () - start) / 1e6);
    }
  return dir;
}

/* The lines of a purge table that carry counts: month rows, the total and the held row. */
static char *
table_rows (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr(GString) rows = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_isdigit (lines[i][0]) || g_str_has_prefix (lines[i], "Total ")
        || g_str_has_prefix (lines[i], "Held back "))
      g_string_append_printf (rows, "%s\n", lines[i]);
  return g_string_free (g_steal_pointer (&rows), FALSE);
}

/* The numbers of the row starting with @label. */
static void
row_numbers (const char *out, const char *label, gint64 numbers[4])
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], label) && lines[i][strlen (label)] == ' ')
      {
        g_assert_cmpint (sscanf (lines[i] + strlen (label), "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %"
                                 G_GINT64_FORMAT " %" G_GINT64_FORMAT, &numbers[0], &numbers[1], &numbers[2],
                                 &numbers[3]), ==, 4);
        return;
      }
  g_test_message ("no row %s in:\n%s", label, out);
  g_assert_not_reached ();
}

static void
test_purge (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = new_path (ctx, "purge");
  g_autofree char *oldest = NULL;
  g_autofree char *dry = NULL;
  g_autofree char *done = NULL;
  g_autofree char *again = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *dry_rows = NULL;
  g_autofree char *done_rows = NULL;
  gint64 would[4], purged[4], held[4], held_done[4], nothing[4];
  gint64 visits_before;

  dc_test_copy_dir (demo_store (ctx), dir);
  {
    const char *dry_run[] = { "purge", "--store", dir, "--dry-run", NULL };
    const char *purge[] = { "purge", "--store", dir, NULL };
    const char *verify[] = { "verify", "--store", dir, NULL };

    /* police asked to keep the oldest visit */
    oldest = sql (ctx, dir, "SELECT id FROM visits WHERE exited_at IS NOT NULL ORDER BY exited_at LIMIT 1;");
    {
      const char *hold[] = { "hold", "add", "--store", dir, "--staff", DEMO_MANAGER, "--passphrase-fd", "3",
                             "--visit", oldest, WHY, NULL };
      hold_add_ok (ctx, hold, DEMO_PASSPHRASE);
    }
    visits_before = sql_int (ctx, dir, "SELECT count(*) FROM visits;");

    before = records_fingerprint (ctx, dir);
    dry = ctl_ok (ctx, dry_run, NULL);
    g_test_message ("dry run:\n%s", dry);
    dc_test_assert_human ("stdout", dry);
    dc_test_assert_has (dry, "Dry run");
    after = records_fingerprint (ctx, dir);
    g_assert_cmpstr (after, ==, before);   /* a dry run removes nothing */
    g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM purges;"), ==, 0);
    row_numbers (dry, "Total", would);
    row_numbers (dry, "Held back", held);
    g_assert_cmpint (would[0], >, 0);
    g_assert_cmpint (would[1], >=, would[0]);
    g_assert_cmpint (held[0], >=, 1);

    done = ctl_ok (ctx, purge, NULL);
    g_test_message ("purge:\n%s", done);
    dc_test_assert_human ("stdout", done);
    row_numbers (done, "Total", purged);
    dc_test_assert_has (done, "Purged the records");
    row_numbers (done, "Held back", held_done);
    /* the dry run said exactly what the purge then did, month by month */
    dry_rows = table_rows (dry);
    done_rows = table_rows (done);
    g_assert_cmpstr (done_rows, ==, dry_rows);
    for (int i = 0; i < 4; i++)
      g_assert_cmpint (purged[i], ==, would[i]);
    g_assert_cmpint (held_done[0], ==, held[0]);
    g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM visits;"), ==, visits_before - purged[0]);
    g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM purges;"), ==, 1);
    {
      g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM visits WHERE id = %s;", oldest);
      g_assert_cmpint (sql_int (ctx, dir, q), ==, 1);   /* held: still there */
    }

    /* nothing is left to purge; the held visit is still held back */
    again = ctl_ok (ctx, dry_run, NULL);
    row_numbers (again, "Total", nothing);
    for (int i = 0; i < 4; i++)
      g_assert_cmpint (nothing[i], ==, 0);
    g_clear_pointer (&again, g_free);
    again = ctl_ok (ctx, verify, NULL);
    dc_test_assert_has (again, "Intact.");
    g_clear_pointer (&again, g_free);
    /* the schedule's status knows when the purge last removed something */
    {
      const char *status[] = { "schedule", "status", "--store", dir, NULL };

      again = ctl_ok (ctx, status, NULL);
      assert_status (again, "Last purge:", NULL);
    }
  }
}

/* ---- backup and restore ---- */

static char *
written_path (const char *out)
{
  const char *start = strstr (out, "Backup written: ");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("Backup written: ");
  end = strstr (start, " (");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
test_backup_restore (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *backups = new_path (ctx, "backups");
  g_autofree char *out = NULL;
  g_autofree char *file = NULL;
  g_autofree char *before = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *aside = NULL;
  const char *backup[] = { "backup", "--store", dir, "--to", backups, NULL };
  const char *checkin[] = { "checkin", "--store", dir, "--staff", "clerk", "--pin-fd", "4", "--terminal", "PC-03",
                            "--doc", "drivers_license", "--doc-number", "301234567890", "--name", "鈴木 一郎", "--kana",
                            "スズキ イチロウ", "--dob", "1985-05-05", "--address", "東京都港区芝公園4-2-8",
                            "--doc-expiry", ctx->in_3_years, NULL };
  const char *verify[] = { "verify", "--store", dir, NULL };
  struct stat st;

  before = records_fingerprint (ctx, dir);
  out = ctl_ok (ctx, backup, NULL);
  g_test_message ("%s", out);
  dc_test_assert_human ("stdout", out);
  file = written_path (out);
  g_assert_true (g_str_has_prefix (file, backups));
  g_assert_true (g_str_has_suffix (file, ".daicho-backup"));
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpint (g_stat (backups, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  dc_test_assert_has (out, "deleted: 0");
  g_assert_false (dc_test_file_contains (file, "山田"));
  g_clear_pointer (&out, g_free);

  /* a visit after the backup, which the restore takes away */
  g_free (ctl_ok5 (ctx, checkin, NULL, CLERK_PIN, NULL));
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM visits;"), ==, 3);

  {
    const char *restore[] = { "restore", file, "--store", dir, "--staff", "boss", "--passphrase-fd", "3", NULL };

    out = ctl_ok (ctx, restore, PASSPHRASE);
  }
  g_test_message ("%s", out);
  dc_test_assert_human ("stdout", out);
  dc_test_assert_has (out, "保存期間テスト店");
  dc_test_assert_has (out, "Restored");
  dc_test_assert_has (out, "Intact.");
  {
    const char *p = strstr (out, "kept at ");

    g_assert_nonnull (p);
    aside = g_strndup (p + strlen ("kept at "), strcspn (p + strlen ("kept at "), "\n"));
    g_assert_true (g_file_test (aside, G_FILE_TEST_IS_REGULAR));
  }
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM visits;"), ==, 2);
  restored = records_fingerprint (ctx, dir);
  g_assert_cmpstr (restored, ==, before);
  /* the restored chain ends with who restored it, signed */
  g_assert_cmpint (sql_int (ctx, dir, "SELECT count(*) FROM audit WHERE action = 'restore' AND staff_id ="
                                      " (SELECT id FROM staff WHERE name = 'boss');"), ==, 1);
  g_assert_cmpint (sql_int (ctx, dir, "SELECT max (seq) FROM checkpoints;"), ==,
                   sql_int (ctx, dir, "SELECT max (id) FROM audit;"));
  g_clear_pointer (&out, g_free);
  out = ctl_ok (ctx, verify, NULL);
  dc_test_assert_has (out, "Intact.");

  /* the database set aside holds personal data no purge reaches: every purge says so, by
   * name, until it is deleted */
  {
    const char *dry_run[] = { "purge", "--store", dir, "--dry-run", NULL };

    g_clear_pointer (&out, g_free);
    out = ctl_ok (ctx, dry_run, NULL);
    dc_test_assert_has (out, aside);
    dc_test_assert_has (out, "no purge reaches");
    g_assert_cmpint (g_unlink (aside), ==, 0);
    g_clear_pointer (&out, g_free);
    out = ctl_ok (ctx, dry_run, NULL);
    g_assert_null (strstr (out, "no purge reaches"));
  }
}

/* A well-formed recovery key of no store; free with dc_secret_free. */
static char *
unknown_recovery_key (void)
{
  const guint8 key[DC_RECOVERY_KEY_BYTES] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };

  g_assert_true (dc_crypto_init ());   /* the code lives in sodium_malloc memory */
  return dc_recovery_code_format (key);
}

/* The store's folder is gone: the backup and the recovery key (or a manager's passphrase)
 * make it again in an empty folder. */
static void
test_restore_new (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *template_dir = store_copy (ctx);
  g_autofree char *target = new_path (ctx, "new-store");
  g_autofree char *by_boss = new_path (ctx, "by-boss");
  g_autofree char *cluttered = new_path (ctx, "cluttered");
  g_autofree char *note = g_build_filename (cluttered, "note.txt", NULL);
  g_autofree char *payloads = sql (ctx, template_dir, "SELECT hex (payload) FROM verifications;");
  g_autofree char *out = NULL;
  char *wrong_key = unknown_recovery_key ();
  const char *with_key[] = { "restore", ctx->template_backup, "--store", target, "--recovery-fd", "3", NULL };
  const char *with_clerk[] = { "restore", ctx->template_backup, "--store", target, "--staff", "clerk",
                               "--passphrase-fd", "3", NULL };
  const char *with_boss[] = { "restore", ctx->template_backup, "--store", by_boss, "--staff", "boss",
                              "--passphrase-fd", "3", NULL };
  const char *into_clutter[] = { "restore", ctx->template_backup, "--store", cluttered, "--recovery-fd", "3", NULL };
  const char *verify[] = { "verify", "--store", target, NULL };
  struct {
    const char *const *args;
    const char *secret;
    const char *says;
  } refused[] = {
    { with_key, wrong_key, "Wrong recovery key" },
    { with_key, "0000-1111-2222", "mistyped" },
    { with_boss, "not the passphrase of boss", "Wrong passphrase" },
    { with_clerk, CLERK_PIN, "Wrong passphrase" },   /* a PIN opens no backup */
    { into_clutter, ctx->recovery, "not an empty folder" },
  };
  struct stat st;

  g_assert_cmpint (g_mkdir (cluttered, 0700), ==, 0);
  g_assert_true (g_file_set_contents (note, "mine", -1, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      DcTestRun run = { 0 };

      ctl (ctx, refused[i].args, refused[i].secret, &run);
      g_test_message ("exit %d, stderr: %s", run.status, run.err);
      g_assert_cmpint (run.status, ==, 1);
      dc_test_assert_human ("stderr", run.err);
      dc_test_assert_has (run.err, refused[i].says);
      g_assert_null (strstr (run.out, "Restored"));
      g_assert_null (strstr (run.err, refused[i].secret));
      dc_test_run_clear (&run);
      /* nothing written: no folder, or the one that was there as it was */
      g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (by_boss, G_FILE_TEST_EXISTS));
      {
        g_autofree char *names = file_names (cluttered);

        g_assert_cmpstr (names, ==, "note.txt");
      }
    }
  dc_secret_free (wrong_key);

  /* the recovery key on paper */
  out = ctl_ok (ctx, with_key, ctx->recovery);
  g_test_message ("%s", out);
  dc_test_assert_human ("stdout", out);
  dc_test_assert_has (out, "保存期間テスト店");
  dc_test_assert_has (out, "Restored into");
  dc_test_assert_has (out, "Intact.");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (sql_int (ctx, target, "SELECT count(*) FROM visits;"), ==, 2);
  g_assert_cmpint (sql_int (ctx, target, "SELECT count(*) FROM holds;"), ==, 1);
  {
    g_autofree char *restored = sql (ctx, target, "SELECT hex (payload) FROM verifications;");

    g_assert_cmpstr (restored, ==, payloads);
  }
  g_assert_cmpint (sql_int (ctx, target, "SELECT count(*) FROM audit WHERE action = 'restore' AND staff_id IS NULL;"),
                   ==, 1);
  out = ctl_ok (ctx, verify, NULL);
  dc_test_assert_has (out, "Intact.");
  g_clear_pointer (&out, g_free);

  /* a manager's passphrase does it too, in the manager's name */
  out = ctl_ok (ctx, with_boss, PASSPHRASE);
  dc_test_assert_has (out, "Restored into");
  dc_test_assert_has (out, "Intact.");
  g_assert_cmpint (sql_int (ctx, by_boss, "SELECT count(*) FROM audit WHERE action = 'restore' AND staff_id ="
                                          " (SELECT id FROM staff WHERE name = 'boss');"), ==, 1);

  /* the folder holds a store now: the same command is the in-place restore, which needs --staff */
  {
    DcTestRun run = { 0 };

    ctl (ctx, with_key, ctx->recovery, &run);
    g_assert_cmpint (run.status, ==, 2);
    dc_test_assert_has (run.err, "--staff");
    dc_test_run_clear (&run);
  }
}

/* ---- schedule ---- */

static void
write_fake_systemctl (const char *bin, const char *log, gboolean ok)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (bin, "systemctl", NULL);
  g_autofree char *quoted = g_shell_quote (log);
  g_autofree char *script = NULL;

  if (ok)
    script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$*\" >> %s\n"
                              "case \"$*\" in *show*) echo @%" G_GINT64_FORMAT " ;; esac\nexit 0\n",
                              quoted, FAKE_NEXT_RUN);
  else
    script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$*\" >> %s\n"
                              "echo 'Failed to connect to bus: No medium found' >&2\nexit 1\n", quoted);
  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* The systemctl calls logged since the last look, then the log is emptied. */
static char *
take_log (const Ctx *ctx)
{
  char *text = NULL;

  if (!g_file_get_contents (ctx->log, &text, NULL, NULL))
    return g_strdup ("");
  g_unlink (ctx->log);
  return text;
}

/* @value as it must stand inside a double-quoted systemd ExecStart= argument. */
static char *
systemd_quoted (const char *value)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (s, '\\');
      else if (*p == '%' || *p == '$')
        g_string_append_c (s, *p);
      g_string_append_c (s, *p);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
has_placeholder (const char *text)
{
  g_autoptr(GRegex) re = g_regex_new ("@[A-Z_]+@", 0, 0, NULL);

  return g_regex_match (re, text, 0, NULL);
}

/* Each unit written is the template of data/ with the three paths filled in. */
static void
assert_units (Ctx *ctx, const char *units, const char *store, const char *backups)
{
  static const char *const names[] = { "daicho-purge.service", "daicho-purge.timer", "daicho-backup.service",
                                       "daicho-backup.timer" };
  g_autofree char *ctl_real = g_canonicalize_filename (ctx->ctl, NULL);
  g_autofree char *q_ctl = NULL;
  g_autofree char *q_store = systemd_quoted (store);
  g_autofree char *q_backups = systemd_quoted (backups);
  char resolved[4096];

  /* the program's own path as the kernel knows it (the services run this very binary) */
  g_assert_nonnull (realpath (ctl_real, resolved));
  q_ctl = systemd_quoted (resolved);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (units, names[i], NULL);
      g_autofree char *template_path = g_strdup_printf ("%s/data/%s.in", ctx->srcdir, names[i]);
      g_autofree char *text = read_text (path);
      g_autofree char *template = read_text (template_path);
      g_autoptr(GString) expected = g_string_new (template);
      struct stat st;

      g_string_replace (expected, "@DAICHO_CTL@", q_ctl, 0);
      g_string_replace (expected, "@STORE_DIR@", q_store, 0);
      g_string_replace (expected, "@BACKUP_DIR@", q_backups, 0);
      g_test_message ("%s:\n%s", names[i], text);
      g_assert_false (has_placeholder (text));
      g_assert_cmpstr (text, ==, expected->str);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0644);
      if (g_str_has_suffix (names[i], ".timer"))
        {
          dc_test_assert_has (text, "OnCalendar=");
          dc_test_assert_has (text, "Persistent=true");
          dc_test_assert_has (text, "RandomizedDelaySec=");
          dc_test_assert_has (text, "WantedBy=timers.target");
        }
    }
  {
    g_autofree char *purge = g_build_filename (units, "daicho-purge.service", NULL);
    g_autofree char *backup = g_build_filename (units, "daicho-backup.service", NULL);
    g_autofree char *purge_text = read_text (purge);
    g_autofree char *backup_text = read_text (backup);
    g_autofree char *purge_exec = g_strdup_printf ("ExecStart=\"%s\" purge --store \"%s\"\n", q_ctl, q_store);
    g_autofree char *backup_exec = g_strdup_printf ("ExecStart=\"%s\" backup --store \"%s\" --to \"%s\"\n", q_ctl,
                                                    q_store, q_backups);

    dc_test_assert_has (purge_text, purge_exec);
    dc_test_assert_has (backup_text, backup_exec);
  }
}

/* systemd's own check of the units written, where systemd-analyze is installed: the
 * syntax, the quoting, and that the program named in ExecStart= exists. */
static void
assert_systemd_accepts (Ctx *ctx, const char *units)
{
  g_autofree char *tool = g_find_program_in_path ("systemd-analyze");
  g_autofree char *runtime = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "--user", "verify", "daicho-purge.service", "daicho-backup.service",
                         "daicho-purge.timer", "daicho-backup.timer", NULL };
  g_auto(GStrv) env = g_get_environ ();
  int status = 0;

  if (tool == NULL)
    {
      g_test_message ("systemd-analyze is not installed: the units are not checked by systemd");
      return;
    }
  runtime = new_path (ctx, "runtime");
  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime, TRUE);
  argv[0] = tool;
  g_spawn_sync (units, (char **) argv, env, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("systemd-analyze verify: %s%s", out, err);
  if (strstr (err, "Failed to initialize manager") != NULL)
    return;   /* no user manager can start here (a container): nothing was checked */
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (err, ==, "");
}

static void
use_config (Ctx *ctx, const char *path_env, char **out_config, char **out_units)
{
  *out_config = new_path (ctx, "config");
  *out_units = g_build_filename (*out_config, "systemd", "user", NULL);
  g_setenv ("XDG_CONFIG_HOME", *out_config, TRUE);
  g_setenv ("PATH", path_env, TRUE);
  g_unlink (ctx->log);
}

static void
test_schedule (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *config = NULL;
  g_autofree char *units = NULL;
  /* every character systemd would read specially in a quoted argument */
  g_autofree char *backups = g_build_filename (ctx->root, "back ups", "50% \"off\" $HOME \\n 控え", NULL);
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  const char *status[] = { "schedule", "status", "--store", dir, NULL };
  const char *install[] = { "schedule", "install", "--store", dir, "--backup-dir", backups, NULL };
  const char *remove[] = { "schedule", "remove", "--store", dir, NULL };
  const char *backup[] = { "backup", "--store", dir, "--to", backups, NULL };
  const char *purge[] = { "purge", "--store", dir, NULL };
  struct stat st;

  use_config (ctx, ctx->path_ok, &config, &units);
  out = ctl_ok (ctx, status, NULL);
  g_test_message ("%s", out);
  assert_status (out, "Installed:", "no");
  assert_status (out, "Active:", "no");
  assert_status (out, "Last purge:", "never");
  assert_status (out, "Last backup:", NULL);   /* the template store's */
  g_clear_pointer (&out, g_free);
  log = take_log (ctx);
  g_assert_cmpstr (log, ==, "");   /* nothing installed: systemd is not even asked */
  g_clear_pointer (&log, g_free);

  out = ctl_ok (ctx, install, NULL);
  g_test_message ("%s", out);
  dc_test_assert_human ("stdout", out);
  dc_test_assert_has (out, units);
  dc_test_assert_has (out, backups);
  g_clear_pointer (&out, g_free);
  log = take_log (ctx);
  g_assert_cmpstr (log, ==, "--user daemon-reload\n--user enable --now daicho-purge.timer daicho-backup.timer\n");
  g_clear_pointer (&log, g_free);
  assert_units (ctx, units, dir, backups);
  assert_systemd_accepts (ctx, units);
  g_assert_cmpint (g_stat (backups, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* the timers ran once (the purge finds nothing this young to remove) */
  g_free (ctl_ok (ctx, purge, NULL));
  g_free (ctl_ok (ctx, backup, NULL));
  g_unlink (ctx->log);

  out = ctl_ok (ctx, status, NULL);
  g_test_message ("%s", out);
  assert_status (out, "Installed:", "yes");
  assert_status (out, "Active:", "yes");
  assert_status (out, "Backups in:", backups);   /* read back from the unit, escapes undone */
  assert_status (out, "Last backup:", NULL);
  next = dc_time_to_display (FAKE_NEXT_RUN * G_USEC_PER_SEC, tokyo);
  assert_status (out, "Next run:", next);
  g_clear_pointer (&out, g_free);
  log = take_log (ctx);
  dc_test_assert_has (log, "--user is-active --quiet daicho-purge.timer\n");
  dc_test_assert_has (log, "--user is-active --quiet daicho-backup.timer\n");
  dc_test_assert_has (log, "NextElapseUSecRealtime");
  g_clear_pointer (&log, g_free);

  out = ctl_ok (ctx, remove, NULL);
  dc_test_assert_human ("stdout", out);
  g_clear_pointer (&out, g_free);
  log = take_log (ctx);
  g_assert_cmpstr (log, ==, "--user disable --now daicho-purge.timer daicho-backup.timer\n--user daemon-reload\n");
  g_clear_pointer (&log, g_free);
  {
    g_autoptr(GDir) d = g_dir_open (units, 0, NULL);
    g_assert_nonnull (d);
    g_assert_null (g_dir_read_name (d));   /* every unit is gone */
  }
  g_assert_true (g_file_test (backups, G_FILE_TEST_IS_DIR));   /* the backups stay */

  /* removing again: nothing to do, systemd not asked */
  g_free (ctl_ok (ctx, remove, NULL));
  log = take_log (ctx);
  g_assert_cmpstr (log, ==, "");
  g_clear_pointer (&log, g_free);
  out = ctl_ok (ctx, status, NULL);
  assert_status (out, "Installed:", "no");
  g_clear_pointer (&out, g_free);

  /* without --backup-dir: "backups" beside the store folder */
  {
    const char *plain[] = { "schedule", "install", "--store", dir, NULL };
    g_autofree char *parent = g_path_get_dirname (dir);
    g_autofree char *beside = g_build_filename (parent, "backups", NULL);

    g_free (ctl_ok (ctx, plain, NULL));
    assert_units (ctx, units, dir, beside);
    out = ctl_ok (ctx, status, NULL);
    assert_status (out, "Backups in:", beside);
    g_free (ctl_ok (ctx, remove, NULL));
  }
}

static void
test_schedule_systemctl_fails (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *config = NULL;
  g_autofree char *units = NULL;
  g_autofree char *backups = new_path (ctx, "backups");
  g_autofree char *log = NULL;
  g_autofree char *out = NULL;
  const char *install[] = { "schedule", "install", "--store", dir, "--backup-dir", backups, NULL };
  const char *status[] = { "schedule", "status", "--store", dir, NULL };
  const char *remove[] = { "schedule", "remove", "--store", dir, NULL };
  DcTestRun run = { 0 };

  use_config (ctx, ctx->path_fail, &config, &units);
  ctl (ctx, install, NULL, &run);
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  dc_test_assert_human ("stderr", run.err);
  dc_test_assert_has (run.err, "units are written");
  dc_test_assert_has (run.err, units);
  dc_test_assert_has (run.err, "Failed to connect to bus");
  dc_test_run_clear (&run);
  log = take_log (ctx);
  g_assert_cmpstr (log, ==, "--user daemon-reload\n");
  g_clear_pointer (&log, g_free);
  assert_units (ctx, units, dir, backups);   /* written all the same, for when systemd is there */

  /* status still answers: installed, not active, next run unknown */
  out = ctl_ok (ctx, status, NULL);
  g_test_message ("%s", out);
  assert_status (out, "Installed:", "yes");
  assert_status (out, "Active:", "no");
  assert_status (out, "Backups in:", backups);
  assert_status (out, "Next run:", "unknown");
  g_clear_pointer (&out, g_free);

  ctl (ctx, remove, NULL, &run);
  g_assert_cmpint (run.status, ==, 1);
  dc_test_assert_has (run.err, "removed, but systemctl failed");
  dc_test_run_clear (&run);
  {
    g_autoptr(GDir) d = g_dir_open (units, 0, NULL);
    g_assert_nonnull (d);
    g_assert_null (g_dir_read_name (d));
  }
  g_setenv ("PATH", ctx->path_ok, TRUE);
}

/* The units data/meson.build installs are the same templates, filled in for the default store. */
static void
test_installed_units (gconstpointer data)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  static const char *const names[] = { "daicho-purge.service", "daicho-purge.timer", "daicho-backup.service",
                                       "daicho-backup.timer" };

  if (builddir == NULL)
    {
      g_test_skip ("G_TEST_BUILDDIR is not set");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (builddir, "..", "data", names[i], NULL);
      g_autofree char *text = read_text (path);

      g_assert_false (has_placeholder (text));
      if (g_str_has_suffix (names[i], ".service"))
        {
          dc_test_assert_has (text, "--store \"%h/.local/share/daicho/store\"");
          dc_test_assert_has (text, "/daicho-ctl\" ");
        }
    }
}

/* ---- --help ---- */

static const char *const help_commands[][3] = {
  { "hold", "add" }, { "hold", "list" }, { "hold", "release" }, { "purge" }, { "backup" }, { "restore" },
  { "schedule", "install" }, { "schedule", "remove" }, { "schedule", "status" },
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
      g_assert_null (strstr (run.out, "FILE FILE"));
      dc_test_assert_has (run.out, "--store");
      dc_test_assert_has (usage, listed);
      dc_test_run_clear (&run);
    }
}

/* ---- set-up ---- */

static void
ctx_init (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bin_ok = NULL;
  g_autofree char *bin_fail = NULL;
  g_autofree char *config = NULL;
  const char *path = g_getenv ("PATH");
  GDate d;

  ctx->ctl = g_strdup (g_getenv ("DAICHO_CTL"));
  ctx->srcdir = g_strdup (g_getenv ("DAICHO_SRCDIR"));
  ctx->sqlite3 = g_find_program_in_path ("sqlite3");
  ctx->root = g_dir_make_tmp ("daicho-test-cli-retention-XXXXXX", &error);
  g_assert_no_error (error);
  ctx->xdg = g_build_filename (ctx->root, "xdg", NULL);
  ctx->log = g_build_filename (ctx->root, "systemctl.log", NULL);
  bin_ok = g_build_filename (ctx->root, "bin-ok", NULL);
  bin_fail = g_build_filename (ctx->root, "bin-fail", NULL);
  write_fake_systemctl (bin_ok, ctx->log, TRUE);
  write_fake_systemctl (bin_fail, ctx->log, FALSE);
  ctx->path_ok = g_strdup_printf ("%s:%s", bin_ok, path != NULL ? path : "/usr/bin:/bin");
  ctx->path_fail = g_strdup_printf ("%s:%s", bin_fail, path != NULL ? path : "/usr/bin:/bin");
  /* the children inherit these: no real systemd and no real ~/.config is ever touched */
  config = g_build_filename (ctx->root, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("PATH", ctx->path_ok, TRUE);

  ctx->garbage = g_build_filename (ctx->root, "garbage.daicho-backup", NULL);
  g_file_set_contents (ctx->garbage, "This is a shopping list, not a backup: rice, natto, tea.\n", -1, &error);
  g_assert_no_error (error);
  ctx->member99 = dc_member_number_for_id (99);

  dc_test_tokyo_today (&d);
  ctx->today = dc_test_iso_date (&d);
  g_date_add_years (&d, 3);
  ctx->in_3_years = dc_test_iso_date (&d);
}

static void
ctx_clear (Ctx *ctx)
{
  dc_test_remove_tree (ctx->root);
  g_free (ctx->ctl);
  g_free (ctx->srcdir);
  g_free (ctx->sqlite3);
  g_free (ctx->root);
  g_free (ctx->xdg);
  g_free (ctx->log);
  g_free (ctx->path_ok);
  g_free (ctx->path_fail);
  g_free (ctx->template);
  g_free (ctx->template_backup);
  g_free (ctx->recovery);
  g_free (ctx->member1);
  g_free (ctx->member99);
  g_free (ctx->garbage);
  g_free (ctx->in_3_years);
  g_free (ctx->today);
}

int
main (int argc, char **argv)
{
  Ctx ctx = { 0 };
  CaseRun runs[G_N_ELEMENTS (bad_cases)];
  int rc;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  ctx_init (&ctx);
  g_assert_nonnull (ctx.ctl);       /* set by tests/meson.build */
  g_assert_nonnull (ctx.srcdir);
  g_assert_nonnull (ctx.sqlite3);

  g_test_add_data_func ("/cli-retention/help/every-command", &ctx, test_help);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-retention/refused/%s", bad_cases[i].path);

      runs[i].ctx = &ctx;
      runs[i].c = &bad_cases[i];
      g_test_add_data_func (path, &runs[i], test_refused);
    }
  g_test_add_data_func ("/cli-retention/hold/add-list-release", &ctx, test_holds);
  g_test_add_data_func ("/cli-retention/backup/round-trip", &ctx, test_backup_restore);
  g_test_add_data_func ("/cli-retention/backup/restore-into-empty-folder", &ctx, test_restore_new);
  g_test_add_data_func ("/cli-retention/purge/dry-run-says-what-purge-does", &ctx, test_purge);
  g_test_add_data_func ("/cli-retention/schedule/install-status-remove", &ctx, test_schedule);
  g_test_add_data_func ("/cli-retention/schedule/systemctl-fails", &ctx, test_schedule_systemctl_fails);
  g_test_add_data_func ("/cli-retention/schedule/installed-units-are-the-templates", &ctx, test_installed_units);

  rc = g_test_run ();
  ctx_clear (&ctx);
  return rc;
}
