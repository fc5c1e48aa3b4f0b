/* tests/test-tamper.c — an attacker with the plain sqlite3 tool changes records; daicho-ctl verify names each change. */
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#define PASSPHRASE  "correct horse battery staple"
#define MANAGER_PIN "1357"
#define CLERK_PIN   "2468"

typedef struct {
  char *ctl;
  char *sqlite3;
  char *root;
  char *template;   /* a store with some history; built on first use */
  guint serial;
} Ctx;

/* The attacker's tool: sqlite3 DB SQL, its output trimmed. */
static char *
sqlite (const Ctx *ctx, const char *dir, const char *sql)
{
  return g_strstrip (dc_test_sqlite3 (ctx->sqlite3, dir, sql));
}

static gint64
sqlite_int (const Ctx *ctx, const char *dir, const char *sql)
{
  g_autofree char *out = sqlite (ctx, dir, sql);

  return g_ascii_strtoll (out, NULL, 10);
}

static void
verify (const Ctx *ctx, const char *dir, DcTestRun *run)
{
  const char *argv[] = { ctx->ctl, "verify", "--store", dir, NULL };

  dc_test_run (argv, NULL, NULL, NULL, NULL, run);
  g_test_message ("verify: exit %d\n%s%s", run->status, run->out, run->err);
}

/* ---- the store with history ---- */

static void
check_in (DcStore *store, DcActor *clerk, const char *terminal, const char *name, const char *kana, guint year)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest req = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  GDate today;

  dc_identity_init (&req.identity);
  dc_store_today (store, &today);
  req.identity.doc_type = "drivers_license";
  req.identity.doc_number = "301234567890";
  req.identity.doc_expiry = today;
  g_date_add_years (&req.identity.doc_expiry, 3);
  req.identity.name = name;
  req.identity.kana = kana;
  g_date_set_dmy (&req.identity.dob, 12, 7, (GDateYear) year);
  req.identity.address = "東京都豊島区東池袋1-1-1";
  g_assert_true (dc_checkin (store, clerk, &req, &result, &error));
  g_assert_no_error (error);
  dc_checkin_result_clear (&result);
}

/* Visits 1–5: 2 checked out, 1 moved from PC-01 to PC-04 (sessions 1 and 4), a manager
 * reading verification 3, and a check-in (visit 5) as the very last thing in the chain. */
static void
build_template (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) boss = NULL;
  g_autoptr(DcActor) clerk = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  DcStoreSetup setup = { .name = "Tamper test store", .operator_name = "Test Operator KK",
                         .prefecture = "tokyo", .manager = "boss" };

  store = dc_test_store_create (ctx->template, &setup, PASSPHRASE, MANAGER_PIN, NULL);
  boss = dc_store_sign_in_passphrase (store, "boss", PASSPHRASE, &error);
  g_assert_no_error (error);
  dc_test_add_terminals (store, boss, 4, FALSE);
  g_assert_true (dc_store_add_staff (store, boss, "clerk", "counter", CLERK_PIN, NULL, NULL, &error));
  clerk = dc_store_sign_in_pin (store, "clerk", CLERK_PIN, &error);
  g_assert_no_error (error);

  check_in (store, clerk, "PC-01", "山田 太郎", "ヤマダ タロウ", 1990);
  check_in (store, clerk, "PC-02", "佐藤 花子", "サトウ ハナコ", 1988);
  check_in (store, clerk, "PC-03", "鈴木 一郎", "スズキ イチロウ", 1979);
  g_assert_true (dc_checkout (store, clerk, "PC-02", 0, DC_EXIT_STAFF, &error));
  g_assert_true (dc_move (store, clerk, "PC-01", "PC-04", &error));
  check_in (store, clerk, "PC-02", "高橋 美咲", "タカハシ ミサキ", 2001);
  g_assert_true (dc_checkout (store, clerk, NULL, 4, DC_EXIT_CUSTOMER, &error));
  g_assert_no_error (error);
  record = dc_read_identity (store, boss, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->identity.name, ==, "鈴木 一郎");
  check_in (store, clerk, "PC-01", "田中 翔太", "タナカ ショウタ", 1995);
}

static char *
store_copy (Ctx *ctx)
{
  g_autofree char *name = g_strdup_printf ("copy-%u", ++ctx->serial);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  char *dir;

  if (ctx->template == NULL)
    {
      ctx->template = g_build_filename (ctx->root, "template", NULL);
      build_template (ctx);
    }
  dir = g_build_filename (ctx->root, name, NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  from = g_build_filename (ctx->template, DC_STORE_DB_NAME, NULL);
  to = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  dc_test_copy_file (from, to);
  return dir;
}

/* ---- attacks ---- */

typedef struct {
  const char *path;
  const char *trigger;    /* dropped first (NULL: none guards this change) */
  gboolean    recreate;   /* put it back afterwards, as a careful attacker would */
  const char *attack;
  const char *names[3];   /* verify's output must contain each; "@…" are computed below */
} Attack;

static const Attack attacks[] = {
  { "verification/ciphertext-replaced", "verifications_no_update", TRUE,
    "UPDATE verifications SET payload = randomblob (length (payload)) WHERE id = 3;", { "Identity record #3" } },
  { "verification/ciphertext-swapped", "verifications_no_update", TRUE,
    "UPDATE verifications SET payload = (SELECT payload FROM verifications WHERE id = 2) WHERE id = 3;",
    { "Identity record #3" } },
  { "verification/given-to-another-customer", "verifications_no_update", TRUE,
    "UPDATE verifications SET customer_id = 1 WHERE id = 3;", { "Identity record #3" } },
  { "visit/entered-an-hour-earlier", "visits_no_update", TRUE,
    "UPDATE visits SET entered_at = entered_at - 3600000000 WHERE id = 2;", { "Visit #2" } },
  { "visit/left-two-hours-later", "visits_exit_once", TRUE,
    "UPDATE visits SET exited_at = exited_at + 7200000000 WHERE id = 2;", { "Visit #2" } },
  { "visit/deleted", "visits_no_delete", TRUE, "DELETE FROM visits WHERE id = 3;", { "Visit #3" } },
  { "session/deleted", "terminal_sessions_no_delete", TRUE, "DELETE FROM terminal_sessions WHERE id = 2;",
    { "Terminal session #2" } },
  { "session/moved-to-another-terminal", "terminal_sessions_no_update", TRUE,
    "UPDATE terminal_sessions SET terminal_id = 3 WHERE id = 2;", { "Terminal session #2" } },
  { "session/deleted-trigger-left-out", "terminal_sessions_no_delete", FALSE,
    "DELETE FROM terminal_sessions WHERE id = 4;", { "Terminal session #4", "terminal_sessions_no_delete" } },
  { "customer/forged", NULL, FALSE,
    "INSERT INTO customers (member_number, person_index, created_at) VALUES ('19999990', zeroblob (32), 0);",
    { "Customer #6" } },
  { "staff/counter-promoted-to-manager", NULL, FALSE, "UPDATE staff SET role = 'manager' WHERE name = 'clerk';",
    { "Staff member #2" } },
  { "terminal/filtering-claimed", NULL, FALSE, "UPDATE terminals SET filtered = 1 WHERE label = 'PC-03';",
    { "Terminal #3" } },
  { "audit/last-entries-deleted", "audit_no_delete", TRUE,
    "DELETE FROM audit WHERE id > (SELECT max (id) - 3 FROM audit);", { "@TAIL3" } },
  { "audit/last-entries-deleted-and-counter-reset", "audit_no_delete", TRUE,
    "DELETE FROM audit WHERE id > (SELECT max (id) - 4 FROM audit);"
    "UPDATE sqlite_sequence SET seq = (SELECT max (id) FROM audit) WHERE name = 'audit';",
    { "Visit #5", "Terminal session #", "Identity record #5" } },
  { "audit/cut-back-before-a-checkpoint", "audit_no_delete", TRUE,
    "DELETE FROM audit WHERE id >= (SELECT max (seq) FROM checkpoints);"
    "UPDATE sqlite_sequence SET seq = (SELECT max (id) FROM audit) WHERE name = 'audit';",
    { "@CHECKPOINT" } },
  { "audit/middle-entry-deleted", "audit_no_delete", TRUE, "DELETE FROM audit WHERE id = 10;",
    { "Audit entry 10 is missing" } },
  { "audit/entry-altered", "audit_no_update", TRUE, "UPDATE audit SET action = 'nothing' WHERE id = 12;",
    { "Audit entry 12 " } },
  { "audit/checkpoint-signature-forged", "checkpoints_no_update", TRUE,
    "UPDATE checkpoints SET signature = randomblob (64) WHERE id = 1;", { "Checkpoint 1 " } },
  { "schema/trigger-dropped", "verifications_no_update", FALSE, "SELECT 1;", { "verifications_no_update" } },
};

typedef struct {
  Ctx          *ctx;
  const Attack *attack;
} AttackRun;

/* What the careful attacker types: drop the guard, change, put the guard back. */
static char *
attack_sql (const Ctx *ctx, const char *dir, const Attack *a)
{
  g_autofree char *trigger_sql = NULL;
  g_autofree char *query = NULL;
  GString *sql = g_string_new ("BEGIN;\n");

  if (a->trigger != NULL)
    {
      query = g_strdup_printf ("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '%s';", a->trigger);
      trigger_sql = sqlite (ctx, dir, query);
      g_assert_cmpstr (trigger_sql, !=, "");
      g_string_append_printf (sql, "DROP TRIGGER %s;\n", a->trigger);
    }
  g_string_append_printf (sql, "%s\n", a->attack);
  if (a->trigger != NULL && a->recreate)
    g_string_append_printf (sql, "%s;\n", trigger_sql);
  g_string_append (sql, "SELECT total_changes ();\nCOMMIT;\n");
  return g_string_free (sql, FALSE);
}

static char *
expected_name (const Ctx *ctx, const char *dir, const char *name)
{
  gint64 high, cp_id, cp_seq;

  if (g_str_equal (name, "@TAIL3"))
    {
      high = sqlite_int (ctx, dir, "SELECT max (id) FROM audit;");
      return g_strdup_printf ("(%" G_GINT64_FORMAT "\u2013%" G_GINT64_FORMAT ")", high - 2, high);
    }
  if (g_str_equal (name, "@CHECKPOINT"))
    {
      cp_id = sqlite_int (ctx, dir, "SELECT max (id) FROM checkpoints;");
      cp_seq = sqlite_int (ctx, dir, "SELECT max (seq) FROM checkpoints;");
      return g_strdup_printf ("Checkpoint %" G_GINT64_FORMAT " signed audit entry %" G_GINT64_FORMAT, cp_id, cp_seq);
    }
  return g_strdup (name);
}

static void
test_attack (gconstpointer data)
{
  Ctx *ctx = ((const AttackRun *) data)->ctx;
  const Attack *a = ((const AttackRun *) data)->attack;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *sql = attack_sql (ctx, dir, a);
  g_autofree char *changes = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  DcTestRun run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (a->names) && a->names[i] != NULL; i++)
    g_ptr_array_add (names, expected_name (ctx, dir, a->names[i]));

  g_test_message ("attack:\n%s", sql);
  changes = sqlite (ctx, dir, sql);
  if (a->trigger == NULL || !g_str_equal (a->attack, "SELECT 1;"))
    g_assert_cmpint (g_ascii_strtoll (changes, NULL, 10), >, 0);

  verify (ctx, dir, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "NOT INTACT"));
  g_assert_null (strstr (run.out, "Intact."));
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (strstr (run.out, name) == NULL)
        g_test_message ("verify does not name “%s”", name);
      g_assert_nonnull (strstr (run.out, name));
    }
  /* a careful attacker leaves no trigger missing; a careless one is named too */
  if (a->trigger != NULL && a->recreate)
    g_assert_null (strstr (run.out, a->trigger));
  dc_test_run_clear (&run);
}

static void
assert_intact (const Ctx *ctx, const char *dir)
{
  DcTestRun run = { 0 };

  verify (ctx, dir, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_null (strstr (run.out, "PROBLEM"));
  g_assert_true (g_str_has_suffix (run.out, "Intact.\n"));
  dc_test_run_clear (&run);
}

static void
test_untouched (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);

  assert_intact (ctx, dir);
}

/* Without dropping the guard, the plain tool cannot change a record at all. */
static void
test_guarded (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  static const char *const tries[] = {
    "DELETE FROM visits WHERE id = 3;",
    "UPDATE visits SET entered_at = 0 WHERE id = 2;",
    "UPDATE visits SET exited_at = exited_at + 1 WHERE id = 2;",
    "UPDATE verifications SET payload = x'00' WHERE id = 3;",
    "DELETE FROM terminal_sessions WHERE id = 2;",
    "UPDATE terminal_sessions SET ended_at = ended_at + 1 WHERE id = 2;",
    "DELETE FROM audit WHERE id > 5;",
    "UPDATE audit SET action = 'x' WHERE id = 5;",
    "DELETE FROM customers WHERE id = 1;",
    "DELETE FROM staff WHERE id = 2;",
  };
  DcTestRun run = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (tries); i++)
    {
      dc_test_sqlite3_run (ctx->sqlite3, dir, tries[i], &run);
      g_test_message ("%s → %d %s", tries[i], run.status, run.err);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_cmpstr (run.err, !=, "");
      dc_test_run_clear (&run);
    }
  assert_intact (ctx, dir);
}

/* Replacing a ciphertext also makes the identity unreadable: show refuses, and says why. */
static void
test_show_refuses_altered_identity (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx);
  g_autofree char *sql = attack_sql (ctx, dir, &attacks[0]);
  const char *show[] = { ctx->ctl, "show", "--store", dir, "--staff", "boss", "--passphrase-fd", "3", "--visit", "3",
                         NULL };
  const char *show_ok[] = { ctx->ctl, "show", "--store", dir, "--staff", "boss", "--passphrase-fd", "3", "--visit",
                            "2", NULL };
  DcTestRun run = { 0 };

  g_free (sqlite (ctx, dir, sql));
  dc_test_run (show, NULL, PASSPHRASE, NULL, NULL, &run);
  g_test_message ("show: %d %s%s", run.status, run.out, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, !=, "");
  g_assert_null (strstr (run.err, "(null)"));
  g_assert_null (strstr (run.err, "CRITICAL"));
  g_assert_null (strstr (run.out, "Name"));
  dc_test_run_clear (&run);

  /* the neighbouring record still reads */
  dc_test_run (show_ok, NULL, PASSPHRASE, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "佐藤 花子"));
  dc_test_run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  Ctx ctx = { 0 };
  AttackRun runs[G_N_ELEMENTS (attacks)];
  int rc;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  ctx.ctl = g_strdup (g_getenv ("DAICHO_CTL"));
  ctx.sqlite3 = g_find_program_in_path ("sqlite3");
  g_assert_nonnull (ctx.ctl);
  g_assert_nonnull (ctx.sqlite3);
  ctx.root = g_dir_make_tmp ("daicho-test-tamper-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_data_func ("/tamper/untouched-is-intact", &ctx, test_untouched);
  g_test_add_data_func ("/tamper/guarded-without-dropping-triggers", &ctx, test_guarded);
  for (gsize i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tamper/attack/%s", attacks[i].path);

      runs[i].ctx = &ctx;
      runs[i].attack = &attacks[i];
      g_test_add_data_func (path, &runs[i], test_attack);
    }
  g_test_add_data_func ("/tamper/show-refuses-altered-identity", &ctx, test_show_refuses_altered_identity);

  rc = g_test_run ();
  dc_test_remove_tree (ctx.root);
  g_free (ctx.root);
  g_free (ctx.template);
  g_free (ctx.ctl);
  g_free (ctx.sqlite3);
  return rc;
}
