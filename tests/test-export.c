/* tests/test-export.c — minisign's formats both ways with the real minisign, the police bundle, and checking it. */
#include "dc-csv.h"
#include "dc-db.h"
#include "dc-db-records.h"
#include "dc-demo.h"
#include "dc-export.h"
#include "dc-minisign.h"
#include "dc-records-report.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

/* ---- running the stock tools ---- */

typedef struct {
  int   status;   /* exit status */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Run @argv (a tool found on PATH) in @dir; its exit status. */
static int
run_in (const char *dir, const char *const *argv, Run *run)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  run_clear (run);
  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &run->out, &run->err, &wait_status,
                &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  if (run->status != 0)
    g_test_message ("%s exited %d: %s%s", argv[0], run->status, run->out, run->err);
  return run->status;
}

static gboolean
have_tool (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  if (path == NULL)
    g_test_fail_printf ("%s is not installed: make deps installs it", name);
  return path != NULL;
}

static char *
read_text (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_text (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* A key pair made by minisign itself (no password): "<name>.pub", "<name>.key" in @dir. */
static void
minisign_keygen (const char *dir, const char *name)
{
  g_autofree char *pub = g_strconcat (name, ".pub", NULL);
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  const char *argv[] = { "minisign", "-G", "-W", "-f", "-p", pub, "-s", key, NULL };
  Run run = { 0 };

  g_assert_cmpint (run_in (dir, argv, &run), ==, 0);
  run_clear (&run);
}

/* ---- minisign formats ---- */

/* Pinned: the id is derived from the key, so a change here changes every store's printed id. */
static void
test_minisign_key_id (void)
{
  guint8 pk[DC_SIGN_PK_BYTES], id[DC_MINISIGN_KEY_ID_BYTES], parsed_pk[DC_SIGN_PK_BYTES];
  guint8 parsed_id[DC_MINISIGN_KEY_ID_BYTES];
  g_autofree char *text = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *expected_comment = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < sizeof pk; i++)
    pk[i] = (guint8) i;
  dc_minisign_key_id (pk, id);
  text = dc_minisign_key_id_text (pk);
  g_assert_cmpstr (text, ==, "7B4A68BAA97C773D");
  /* little-endian, as minisign prints it: the last byte comes first */
  g_assert_cmpuint (id[7], ==, 0x7B);
  g_assert_cmpuint (id[0], ==, 0x3D);

  pub = dc_minisign_public_key (pk, NULL);
  expected_comment = g_strdup_printf ("untrusted comment: minisign public key %s\n", text);
  g_assert_true (g_str_has_prefix (pub, expected_comment));
  g_assert_true (dc_minisign_parse_public_key (pub, parsed_pk, parsed_id, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (parsed_pk, sizeof parsed_pk, pk, sizeof pk);
  g_assert_cmpmem (parsed_id, sizeof parsed_id, id, sizeof id);
}

/* Daicho signs; the stock minisign accepts, and shows the trusted comment. */
static void
test_minisign_daicho_signs (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autofree char *dir = g_dir_make_tmp ("dc-test-minisign-XXXXXX", NULL);
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];
  const char msg[] = "記録 one,two\r\n";
  const char *verify[] = { "minisign", "-Vm", "msg", "-p", "store.pub", NULL };
  const char *quiet[] = { "minisign", "-Q", "-Vm", "msg", "-p", "store.pub", NULL };
  g_autofree char *pub = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *tc = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (!have_tool ("minisign"))
    return;
  dc_vault_public_keys (vault, box_pk, sign_pk);
  pub = dc_minisign_public_key (sign_pk, NULL);
  sig = dc_minisign_sign (vault, (const guint8 *) msg, strlen (msg), NULL, "daicho test 店舗 request R-1", &error);
  g_assert_no_error (error);
  write_text (dir, "store.pub", pub);
  write_text (dir, "msg", msg);
  write_text (dir, "msg.minisig", sig);

  g_assert_cmpint (run_in (dir, verify, &run), ==, 0);
  g_assert_nonnull (strstr (run.out, "Trusted comment: daicho test 店舗 request R-1"));
  g_assert_cmpint (run_in (dir, quiet, &run), ==, 0);
  g_assert_cmpstr (run.out, ==, "daicho test 店舗 request R-1\n");

  /* ours agrees, and gives the trusted comment back */
  g_assert_true (dc_minisign_verify (sign_pk, NULL, sig, (const guint8 *) msg, strlen (msg), &tc, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tc, ==, "daicho test 店舗 request R-1");

  /* one byte changed: both refuse */
  write_text (dir, "msg", "記録 one,twO\r\n");
  g_assert_cmpint (run_in (dir, verify, &run), !=, 0);
  g_assert_false (dc_minisign_verify (sign_pk, NULL, sig, (const guint8 *) "記録 one,twO\r\n", strlen (msg), NULL,
                                      &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);

  run_clear (&run);
  dc_test_remove_tree (dir);
}

/* Replace the first occurrence of @from in @text by @to. */
static char *
replace_once (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* Is the error's message one of the sentences dc_minisign_verify gives for @what? */
static void
assert_refused (GError *error, const char *fragment)
{
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected \"%s\" in \"%s\"", fragment, error->message);
}

/* The stock minisign signs (prehashed and legacy); Daicho's verify accepts both and refuses
 * every alteration with a sentence that says what. */
static void
test_minisign_minisign_signs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dc-test-minisign-XXXXXX", NULL);
  const char msg[] = "a message\n";
  const char *sign[] = { "minisign", "-S", "-s", "k.key", "-m", "msg", "-t", "signed comment", NULL };
  const char *legacy[] = { "minisign", "-S", "-l", "-s", "k.key", "-m", "msg", "-x", "msg.legacy", "-t", "old", NULL };
  guint8 pk[DC_SIGN_PK_BYTES], id[DC_MINISIGN_KEY_ID_BYTES], derived[DC_MINISIGN_KEY_ID_BYTES];
  g_autofree char *pub = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *old = NULL;
  g_autofree char *tc = NULL;
  g_autofree char *tc_old = NULL;
  g_autofree char *bad_comment = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (!have_tool ("minisign"))
    return;
  minisign_keygen (dir, "k");
  write_text (dir, "msg", msg);
  g_assert_cmpint (run_in (dir, sign, &run), ==, 0);
  g_assert_cmpint (run_in (dir, legacy, &run), ==, 0);
  pub = read_text (dir, "k.pub");
  sig = read_text (dir, "msg.minisig");
  old = read_text (dir, "msg.legacy");
  g_assert_true (dc_minisign_parse_public_key (pub, pk, id, &error));
  g_assert_no_error (error);

  /* minisign's ids are random, so the file's id is the one to check against */
  dc_minisign_key_id (pk, derived);
  g_assert_true (dc_minisign_verify (pk, id, sig, (const guint8 *) msg, strlen (msg), &tc, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tc, ==, "signed comment");
  g_assert_true (dc_minisign_verify (pk, id, old, (const guint8 *) msg, strlen (msg), &tc_old, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tc_old, ==, "old");

  /* the message changed */
  g_assert_false (dc_minisign_verify (pk, id, sig, (const guint8 *) "a massage\n", strlen (msg), NULL, &error));
  assert_refused (error, "changed after it was signed");
  g_clear_error (&error);
  g_assert_false (dc_minisign_verify (pk, id, old, (const guint8 *) "a massage\n", strlen (msg), NULL, &error));
  assert_refused (error, "changed after it was signed");
  g_clear_error (&error);

  /* the trusted comment changed */
  bad_comment = replace_once (sig, "signed comment", "signed Comment");
  g_assert_false (dc_minisign_verify (pk, id, bad_comment, (const guint8 *) msg, strlen (msg), NULL, &error));
  assert_refused (error, "trusted comment");
  g_clear_error (&error);

  /* another key id: the one Daicho would derive is not minisign's */
  g_assert_false (dc_minisign_verify (pk, derived, sig, (const guint8 *) msg, strlen (msg), NULL, &error));
  assert_refused (error, "was made with key");
  g_clear_error (&error);
  g_assert_false (dc_minisign_verify (pk, NULL, sig, (const guint8 *) msg, strlen (msg), NULL, &error));
  assert_refused (error, "was made with key");
  g_clear_error (&error);

  run_clear (&run);
  dc_test_remove_tree (dir);
}

/* @signature with its algorithm bytes replaced. */
static char *
with_algorithm (const char *signature, const char alg[2])
{
  g_auto(GStrv) lines = g_strsplit (signature, "\n", -1);
  g_autofree guchar *blob = NULL;
  gsize len = 0;

  blob = g_base64_decode (lines[1], &len);
  g_assert_cmpuint (len, ==, 74);
  memcpy (blob, alg, 2);
  g_free (lines[1]);
  lines[1] = g_base64_encode (blob, len);
  return g_strjoinv ("\n", lines);
}

/* Files that are not minisign's, and comments minisign could not read back. */
static void
test_minisign_malformed (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  guint8 box_pk[DC_KEY_BYTES], pk[DC_SIGN_PK_BYTES];
  static const char *const bad_signatures[] = {
    "",
    "untrusted comment: x\n",
    "untrusted comment: x\nnot base64!\ntrusted comment: y\nAAAA\n",
    "comment without prefix\n",
  };
  static const char *const bad_keys[] = {
    "",
    "untrusted comment: x\n",
    "untrusted comment: x\nRWQ=\n",
    /* "Ex" instead of "Ed" */
    "untrusted comment: x\nRXghIpNdNzGG2pMcYnJn/Q0+1Z15SAtuOxbZ2d3qbwv/2sfa+HQGb3D5\n",
    /* one character too many: g_base64_decode would have skipped it */
    "untrusted comment: x\nRWQhIpNdNzGG2pMcYnJn/Q0+1Z15SAtuOxbZ2d3qbwv/2sfa+HQGb3D5*\n",
  };
  g_autofree char *good = NULL;
  g_autofree char *swapped = NULL;
  g_autoptr(GError) error = NULL;
  char *sig;

  dc_vault_public_keys (vault, box_pk, pk);
  for (guint i = 0; i < G_N_ELEMENTS (bad_signatures); i++)
    {
      g_assert_false (dc_minisign_verify (pk, NULL, bad_signatures[i], (const guint8 *) "m", 1, NULL, &error));
      assert_refused (error, "minisign's format");
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_keys); i++)
    {
      g_assert_false (dc_minisign_parse_public_key (bad_keys[i], pk, NULL, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
      g_clear_error (&error);
    }
  /* the bare key line is accepted, as minisign -P takes it */
  g_assert_true (dc_minisign_parse_public_key ("RWQhIpNdNzGG2pMcYnJn/Q0+1Z15SAtuOxbZ2d3qbwv/2sfa+HQGb3D5", pk, NULL,
                                               &error));
  g_assert_no_error (error);
  dc_vault_public_keys (vault, box_pk, pk);

  sig = dc_minisign_sign (vault, (const guint8 *) "m", 1, "two\nlines", "t", &error);
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_assert_null (sig);
  g_clear_error (&error);
  sig = dc_minisign_sign (vault, (const guint8 *) "m", 1, NULL, "t\r", &error);
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_assert_null (sig);
  g_clear_error (&error);

  /* CRLF line ends read as LF ones; an unknown algorithm is named */
  good = dc_minisign_sign (vault, (const guint8 *) "m", 1, NULL, "t", &error);
  g_assert_no_error (error);
  {
    g_autofree char *crlf = replace_once (good, "\n", "\r\n");

    g_assert_true (dc_minisign_verify (pk, NULL, crlf, (const guint8 *) "m", 1, NULL, &error));
    g_assert_no_error (error);
  }
  swapped = with_algorithm (good, "EX");
  g_assert_false (dc_minisign_verify (pk, NULL, swapped, (const guint8 *) "m", 1, NULL, &error));
  assert_refused (error, "algorithm");
}

/* ---- the bundle ---- */

static const char *const bundle_names[] = {
  DC_EXPORT_PDF, DC_EXPORT_CSV, DC_EXPORT_MANIFEST, DC_EXPORT_SIGNATURE,
  DC_EXPORT_SUMS, DC_EXPORT_SUMS_SIG, DC_EXPORT_PUBKEY, DC_EXPORT_README,
};

#define PASSPHRASE  "export manager passphrase"
#define PIN         "4321"
#define COUNTER_PIN "2468"
#define TERMINALS   10

/* One store with three days of demo history up to 2026-03-05 20:00 Tokyo, made once
 * (Argon2 is slow) and copied for each case. */
typedef struct {
  DcTestTemplate base;
  gint64         now;
} World;

static void
world_ensure (World *w)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DcStoreSetup setup = { .name = "ネットカフェ新宿店", .operator_name = "株式会社テスト", .prefecture = "tokyo",
                         .manager = "店長" };
  DcDemoOptions options = { .days = 3, .visits_per_day = 40, .seed = 11 };
  DcDemoStats stats = { 0 };

  if (!dc_test_template_start (&w->base, "export"))
    return;
  w->now = dc_test_tokyo (2026, 3, 5, 20, 0);
  store = dc_test_store_create (w->base.dir, &setup, PASSPHRASE, PIN, NULL);
  dc_test_store_use_clock (store, &w->now);
  w->base.manager = dc_store_sign_in_passphrase (store, "店長", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, w->base.manager, "受付", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_no_error (error);
  dc_test_add_terminals (store, w->base.manager, TERMINALS, TRUE);
  w->base.counter = dc_store_sign_in_pin (store, "受付", COUNTER_PIN, &error);
  g_assert_no_error (error);
  g_assert_true (dc_demo_fill (store, w->base.counter, &options, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.visits, >, 50);
}

static DcStore *
fresh_store (World *w)
{
  world_ensure (w);
  w->now = dc_test_tokyo (2026, 3, 5, 20, 0);
  return dc_test_template_open (&w->base, &w->now);
}

static gint64
add_request (DcStore *store, DcActor *actor)
{
  g_autoptr(GError) error = NULL;
  DcRequestInput input = {
    .agency = "新宿警察署 生活安全課",
    .officer = "警部補 佐藤 一郎 03-0000-0000",
    .reference = "新生安第123号",
    .basis = DC_BASIS_INQUIRY,
    .scope = "3月4日の全端末の利用者",
  };
  gint64 id = 0;

  g_assert_true (dc_request_add (store, actor, &input, &id, &error));
  g_assert_no_error (error);
  return id;
}

/* Every session of 2026-03-04 in Tokyo. */
static void
day_scope (DcQueryScope *scope)
{
  dc_query_scope_init (scope);
  scope->kind = DC_QUERY_TIME;
  scope->from = dc_test_tokyo (2026, 3, 4, 0, 0);
  scope->to = dc_test_tokyo (2026, 3, 5, 0, 0) - 1;
}

static gint64
count_rows (DcStore *store, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) + ?1 FROM %s", table);

  return dc_test_db_int (store, sql, 0);
}

/* Folders beside @out_dir whose name says they are an unfinished bundle. */
static guint
count_partial (const char *out_dir)
{
  g_autofree char *parent = g_path_get_dirname (out_dir);
  g_autofree char *base = g_path_get_basename (out_dir);
  g_autofree char *prefix = g_strconcat (base, ".partial-", NULL);
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static char *
find_partial (const char *out_dir)
{
  g_autofree char *parent = g_path_get_dirname (out_dir);
  g_autofree char *base = g_path_get_basename (out_dir);
  g_autofree char *prefix = g_strconcat (base, ".partial-", NULL);
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      return g_build_filename (parent, name, NULL);
  return NULL;
}

/* What the progress callback saw, and what it does to the export on the way. */
typedef struct Probe Probe;
struct Probe {
  DcStore    *store;
  const char *out_dir;
  double      last;
  guint       steps;
  gboolean    finished;
  gboolean    ledger_seen_committed;
  const char *inject_at;              /* a fragment of the step's text */
  void      (*inject) (Probe *probe);
  gboolean    injected;
};

/* A second connection, as another program would see the store. */
static sqlite3 *
open_outside (DcStore *store)
{
  g_autofree char *path = g_build_filename (dc_store_dir (store), DC_STORE_DB_NAME, NULL);
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return handle;
}

static void
on_progress (double fraction, const char *what, gpointer user_data)
{
  Probe *probe = user_data;

  g_assert_cmpfloat (fraction, >=, probe->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  dc_test_assert_human ("progress", what);
  probe->last = fraction;
  probe->steps++;
  if (strstr (what, "in place") != NULL)
    {
      sqlite3 *outside = open_outside (probe->store);

      /* the ledger row is committed, seen from outside, and the folder is not there yet */
      probe->ledger_seen_committed = dc_test_sql_int (outside, "SELECT count(*) FROM disclosure_exports") > 0
                                     && dc_test_sql_int (outside, "SELECT count(*) FROM audit WHERE action = 'export'") > 0;
      g_assert_false (g_file_test (probe->out_dir, G_FILE_TEST_EXISTS));
      sqlite3_close (outside);
    }
  if (fraction == 1.0)
    {
      probe->finished = TRUE;
      g_assert_true (g_file_test (probe->out_dir, G_FILE_TEST_IS_DIR));
    }
  if (probe->inject_at != NULL && strstr (what, probe->inject_at) != NULL)
    {
      probe->inject (probe);
      probe->injected = TRUE;
    }
}

static void
assert_mode (const char *path, guint mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

/* The stock tools in @dir: a bit set for each that failed (1 manifest, 2 sums, 4 sha256sum). */
static guint
stock_tools (const char *dir)
{
  const char *manifest[] = { "minisign", "-Vm", "manifest.json", "-p", "store.pub", NULL };
  const char *sums[] = { "minisign", "-Vm", "SHA256SUMS", "-p", "store.pub", NULL };
  const char *sha[] = { "sha256sum", "-c", "SHA256SUMS", NULL };
  guint failed = 0;
  Run run = { 0 };

  if (run_in (dir, manifest, &run) != 0)
    failed |= 1;
  if (run_in (dir, sums, &run) != 0)
    failed |= 2;
  if (run_in (dir, sha, &run) != 0)
    failed |= 4;
  run_clear (&run);
  return failed;
}

static gboolean
has_problem (const DcExportCheck *check, const char *fragment)
{
  for (guint i = 0; i < check->problems->len; i++)
    if (strstr (g_ptr_array_index (check->problems, i), fragment) != NULL)
      return TRUE;
  return FALSE;
}

static void
log_check (const DcExportCheck *check)
{
  for (guint i = 0; i < check->problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (check->problems, i));
}

static JsonObject *
load_manifest (JsonParser *parser, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, DC_EXPORT_MANIFEST, NULL);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* A bundle of @request for 2026-03-04, asserting success. */
static void
export_day (DcStore *store, DcActor *actor, gint64 request, const char *out_dir, DcExportSummary *summary)
{
  DcQueryScope scope;
  g_autoptr(GError) error = NULL;
  Probe probe = { .store = store, .out_dir = out_dir };

  day_scope (&scope);
  g_assert_true (dc_export_bundle (store, actor, request, &scope, FALSE, out_dir, on_progress, &probe, summary,
                                   &error));
  g_assert_no_error (error);
  dc_query_scope_clear (&scope);
  g_assert_true (probe.finished);
  g_assert_true (probe.ledger_seen_committed);
  g_assert_cmpuint (probe.steps, >=, 6);
}

static void
test_bundle_verifies (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autofree char *root = g_dir_make_tmp ("dc-test-bundle-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (root, "bundle", NULL);
  g_autofree char *manifest_text = NULL;
  g_autofree char *manifest_sha = NULL;
  g_autofree char *key_id = dc_minisign_key_id_text (dc_store_sign_pk (store));
  g_autoptr(DcExportCheck) check = NULL;
  g_autoptr(DcRequest) request = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  DcExportSummary summary = { 0 };
  JsonObject *manifest, *cp;
  gint64 request_id, checkpoint_seq;

  if (!have_tool ("minisign") || !have_tool ("sha256sum"))
    return;
  request_id = add_request (store, w->base.manager);
  export_day (store, w->base.manager, request_id, out, &summary);
  g_assert_cmpuint (summary.sessions, >, 0);
  g_assert_cmpuint (summary.visits, >, 0);
  g_assert_cmpint (summary.export_id, >, 0);
  g_assert_cmpstr (summary.dir, ==, out);
  g_assert_cmpuint (count_partial (out), ==, 0);

  /* every file, private */
  assert_mode (out, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (bundle_names); i++)
    {
      g_autofree char *path = g_build_filename (out, bundle_names[i], NULL);

      assert_mode (path, 0600);
    }

  /* the stock tools, and ours */
  g_assert_cmpuint (stock_tools (out), ==, 0);
  check = dc_export_verify (out, dc_store_sign_pk (store), &error);
  g_assert_no_error (error);
  log_check (check);
  g_assert_cmpuint (check->problems->len, ==, 0);
  g_assert_cmpuint (check->notes->len, >=, 6);
  g_assert_cmpint (check->sessions, ==, summary.sessions);
  g_assert_cmpstr (check->key_id, ==, key_id);
  g_assert_cmpstr (check->reference, ==, "新生安第123号");
  g_assert_cmpstr (check->store_name, ==, "ネットカフェ新宿店");

  /* the manifest says what was handed over, and the ledger holds its digest */
  manifest_text = read_text (out, DC_EXPORT_MANIFEST);
  manifest_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest_text, -1);
  g_assert_cmpstr (summary.manifest_sha256, ==, manifest_sha);
  manifest = load_manifest (parser, out);
  g_assert_cmpstr (json_object_get_string_member (manifest, "format"), ==, DC_EXPORT_FORMAT);
  g_assert_cmpstr (json_object_get_string_member (manifest, "key_id"), ==, key_id);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (manifest, "counts"), "visits"), ==,
                   summary.visits);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (manifest, "request"), "basis"), ==,
                   "inquiry");
  request = dc_request_get (store, w->base.manager, request_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (request->exports->len, ==, 1);
  g_assert_cmpstr (g_array_index (request->exports, DcExportRecord, 0).manifest_sha256, ==, manifest_sha);
  g_assert_cmpint (g_array_index (request->exports, DcExportRecord, 0).sessions, ==, summary.sessions);

  /* the checkpoint is the store's own, and covers the query */
  cp = json_object_get_object_member (manifest, "checkpoint");
  checkpoint_seq = json_object_get_int_member (cp, "seq");
  g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM checkpoints WHERE seq = ?", checkpoint_seq), ==, 1);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM audit WHERE action = 'query' AND id <= ?",
                                   checkpoint_seq), >=, 1);
  /* and the export itself is in the chain */
  g_assert_cmpint (dc_test_db_int (store, "SELECT count(*) FROM audit WHERE action = 'export' AND subject_id = ?",
                                   summary.export_id), ==, 1);
  report = dc_test_verify (store);
  g_assert_cmpuint (report->problems->len, ==, 0);

  dc_export_summary_clear (&summary);
  dc_test_remove_tree (root);
}

/* ---- a bundle changed after it was made ---- */

static void
flip_byte (const char *dir, const char *name, gsize from_end)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, from_end);
  data[len - 1 - from_end] ^= 0x01;
  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
}

static void
alter_csv (const char *dir)
{
  flip_byte (dir, DC_EXPORT_CSV, 10);
}

static void
alter_pdf (const char *dir)
{
  /* inside the body, not the trailer: a viewer would still open it */
  flip_byte (dir, DC_EXPORT_PDF, 2000);
}

static void
alter_count (const char *dir)
{
  g_autofree char *text = read_text (dir, DC_EXPORT_MANIFEST);
  g_autoptr(GRegex) re = g_regex_new ("\"sessions\" : ([0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;
  g_autofree char *altered = NULL;
  g_autofree char *replacement = NULL;

  g_assert_true (g_regex_match (re, text, 0, &match));
  number = g_match_info_fetch (match, 1);
  replacement = g_strdup_printf ("\"sessions\" : %" G_GINT64_FORMAT, g_ascii_strtoll (number, NULL, 10) + 1);
  altered = g_regex_replace_literal (re, text, -1, 0, replacement, 0, NULL);
  write_text (dir, DC_EXPORT_MANIFEST, altered);
}

static void
swap_key (const char *dir)
{
  g_autofree char *pub = NULL;
  g_autofree char *key_path = g_build_filename (dir, "other.key", NULL);
  g_autofree char *pub_path = g_build_filename (dir, "other.pub", NULL);

  minisign_keygen (dir, "other");
  pub = read_text (dir, "other.pub");
  write_text (dir, DC_EXPORT_PUBKEY, pub);
  g_unlink (key_path);
  g_unlink (pub_path);
}

static void
remove_csv (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, DC_EXPORT_CSV, NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

typedef struct {
  const char *name;
  void      (*alter) (const char *dir);
  guint       tools_fail;   /* the stock tools that must refuse (stock_tools' bits) */
  const char *problem;      /* what dc_export_verify must say */
} Tamper;

static const Tamper tampers[] = {
  { "csv-byte", alter_csv, 4, "records.csv has been changed" },
  { "pdf-byte", alter_pdf, 4, "records.pdf has been changed" },
  { "manifest-count", alter_count, 1 | 4, "The signature of manifest.json does not hold" },
  { "swapped-key", swap_key, 1 | 2, "store.pub" },
  { "missing-csv", remove_csv, 4, "records.csv is missing." },
};

static void
test_bundle_tampered (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autofree char *root = g_dir_make_tmp ("dc-test-bundle-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (root, "bundle", NULL);
  DcExportSummary summary = { 0 };

  if (!have_tool ("minisign") || !have_tool ("sha256sum"))
    return;
  export_day (store, w->base.manager, add_request (store, w->base.manager), out, &summary);
  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      const Tamper *t = &tampers[i];
      g_autofree char *copy = g_build_filename (root, t->name, NULL);
      g_autoptr(DcExportCheck) check = NULL;
      g_autoptr(GError) error = NULL;
      guint failed;

      g_test_message ("case %s", t->name);
      dc_test_copy_dir (out, copy);
      t->alter (copy);
      failed = stock_tools (copy);
      g_assert_cmpuint (failed & t->tools_fail, ==, t->tools_fail);
      check = dc_export_verify (copy, NULL, &error);
      g_assert_no_error (error);
      log_check (check);
      if (!has_problem (check, t->problem))
        g_error ("%s: no problem says \"%s\"", t->name, t->problem);
    }
  dc_export_summary_clear (&summary);
  dc_test_remove_tree (root);
}

/* ---- a bundle re-signed, whole, with another key ---- */

static void
put_hex (JsonObject *obj, const char *member, const guint8 *bytes, gsize len)
{
  g_autofree char *hex = dc_hex (bytes, len);

  json_object_set_string_member (obj, member, hex);
}

static void
hex_to (const char *hex, guint8 *out, gsize len)
{
  g_assert_cmpuint (strlen (hex), ==, len * 2);
  for (gsize i = 0; i < len; i++)
    out[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
}

/* What an attacker with their own key does: new records, the checkpoint signed again with
 * their key (the layout is in app/dc-audit.c), the manifest and the sums signed again. */
static void
resign_checkpoint (JsonObject *manifest, const DcVault *vault, const guint8 pk[DC_SIGN_PK_BYTES])
{
  JsonObject *cp = json_object_get_object_member (manifest, "checkpoint");
  const char *uuid = json_object_get_string_member (json_object_get_object_member (manifest, "store"), "uuid");
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 head[32], sig[DC_SIGNATURE_BYTES];

  hex_to (json_object_get_string_member (cp, "head_hash"), head, sizeof head);
  dc_db_put_chunk (msg, "daicho-checkpoint-v1", strlen ("daicho-checkpoint-v1"));
  dc_db_put_chunk (msg, uuid, strlen (uuid));
  dc_db_put_u64 (msg, (guint64) json_object_get_int_member (cp, "seq"));
  dc_db_put_chunk (msg, head, sizeof head);
  dc_db_put_u64 (msg, (guint64) json_object_get_int_member (cp, "at"));
  g_assert_true (dc_vault_sign (vault, msg->data, msg->len, sig, &error));
  g_assert_no_error (error);
  put_hex (cp, "signature", sig, sizeof sig);
  put_hex (cp, "public_key", pk, DC_SIGN_PK_BYTES);
}

static char *
file_sha256 (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static void
sign_file (const char *dir, const char *name, const DcVault *vault)
{
  g_autofree char *text = read_text (dir, name);
  g_autofree char *sig_name = g_strconcat (name, ".minisig", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *sig = dc_minisign_sign (vault, (const guint8 *) text, strlen (text), NULL, "forged", &error);

  g_assert_no_error (error);
  write_text (dir, sig_name, sig);
}

static void
resign_bundle (const char *dir, const DcVault *vault)
{
  guint8 box_pk[DC_KEY_BYTES], pk[DC_SIGN_PK_BYTES];
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *key_id = NULL;
  g_autofree char *csv_sha = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sums = NULL;
  g_autofree char *s_csv = NULL, *s_pdf = NULL, *s_manifest = NULL, *s_readme = NULL;
  JsonObject *manifest;

  dc_vault_public_keys (vault, box_pk, pk);
  key_id = dc_minisign_key_id_text (pk);
  alter_csv (dir);
  csv_sha = file_sha256 (dir, DC_EXPORT_CSV);
  manifest = load_manifest (parser, dir);
  json_object_set_string_member (json_object_get_object_member (manifest, "files"), DC_EXPORT_CSV, csv_sha);
  json_object_set_string_member (manifest, "key_id", key_id);
  resign_checkpoint (manifest, vault, pk);
  json_generator_set_root (gen, json_parser_get_root (parser));
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  write_text (dir, DC_EXPORT_MANIFEST, text);
  sign_file (dir, DC_EXPORT_MANIFEST, vault);

  s_csv = file_sha256 (dir, DC_EXPORT_CSV);
  s_pdf = file_sha256 (dir, DC_EXPORT_PDF);
  s_manifest = file_sha256 (dir, DC_EXPORT_MANIFEST);
  s_readme = file_sha256 (dir, DC_EXPORT_README);
  sums = g_strdup_printf ("%s  records.csv\n%s  records.pdf\n%s  manifest.json\n%s  README.txt\n", s_csv, s_pdf,
                          s_manifest, s_readme);
  write_text (dir, DC_EXPORT_SUMS, sums);
  sign_file (dir, DC_EXPORT_SUMS, vault);
  pub = dc_minisign_public_key (pk, NULL);
  write_text (dir, DC_EXPORT_PUBKEY, pub);
}

/* The stock tools cannot tell, and neither can a check that trusts store.pub: only the
 * store's key, known beforehand, catches it. */
static void
test_bundle_resigned (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(DcVault) forger = dc_vault_new ();
  g_autofree char *root = g_dir_make_tmp ("dc-test-bundle-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (root, "bundle", NULL);
  g_autoptr(DcExportCheck) trusting = NULL;
  g_autoptr(DcExportCheck) knowing = NULL;
  g_autoptr(GError) error = NULL;
  DcExportSummary summary = { 0 };

  if (!have_tool ("minisign") || !have_tool ("sha256sum"))
    return;
  export_day (store, w->base.manager, add_request (store, w->base.manager), out, &summary);
  resign_bundle (out, forger);
  g_assert_cmpuint (stock_tools (out), ==, 0);
  trusting = dc_export_verify (out, NULL, &error);
  g_assert_no_error (error);
  log_check (trusting);
  g_assert_cmpuint (trusting->problems->len, ==, 0);
  knowing = dc_export_verify (out, dc_store_sign_pk (store), &error);
  g_assert_no_error (error);
  g_assert_true (has_problem (knowing, "store.pub is not the store's key"));
  dc_export_summary_clear (&summary);
  dc_test_remove_tree (root);
}

/* ---- failures leave nothing behind ---- */

static void
test_bundle_out_dir (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autofree char *root = g_dir_make_tmp ("dc-test-bundle-XXXXXX", NULL);
  g_autofree char *taken = g_build_filename (root, "taken", NULL);
  g_autofree char *orphan = g_build_filename (root, "no-such-folder", "bundle", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  DcQueryScope scope;
  gint64 request = add_request (store, w->base.manager);
  gint64 queries = count_rows (store, "queries"), audit = count_rows (store, "audit");
  const char *const targets[] = { taken, orphan };

  day_scope (&scope);
  g_assert_cmpint (g_mkdir (taken, 0700), ==, 0);
  before = dc_test_dir_fingerprint (root);
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(GError) error = NULL;
      DcExportSummary summary = { 0 };

      g_assert_false (dc_export_bundle (store, w->base.manager, request, &scope, FALSE, targets[i], NULL, NULL,
                                        &summary, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
      dc_test_assert_human ("error", error->message);
      g_assert_null (summary.dir);
    }
  /* refused before doing anything: no query, no audit entry, no file */
  after = dc_test_dir_fingerprint (root);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count_rows (store, "queries"), ==, queries);
  g_assert_cmpint (count_rows (store, "audit"), ==, audit);
  g_assert_cmpint (count_rows (store, "disclosure_exports"), ==, 0);
  dc_query_scope_clear (&scope);
  dc_test_remove_tree (root);
}

/* The hidden folder is complete when the ledger is written: every file is there. */
static void
inject_ledger_failure (Probe *probe)
{
  g_autofree char *partial = find_partial (probe->out_dir);
  sqlite3 *outside = open_outside (probe->store);

  g_assert_nonnull (partial);
  for (guint i = 0; i < G_N_ELEMENTS (bundle_names); i++)
    {
      g_autofree char *path = g_build_filename (partial, bundle_names[i], NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  dc_test_sql_exec (outside, "CREATE TRIGGER test_inject BEFORE INSERT ON disclosure_exports"
                             " BEGIN SELECT RAISE (ABORT, 'injected failure'); END");
  sqlite3_close (outside);
}

/* A file in the way: the export never writes over one. */
static void
inject_file_in_the_way (Probe *probe)
{
  g_autofree char *partial = find_partial (probe->out_dir);

  g_assert_nonnull (partial);
  write_text (partial, DC_EXPORT_MANIFEST, "{}");
}

typedef struct {
  const char *name;
  const char *step;
  void      (*inject) (Probe *probe);
  gboolean    bad_request;
} Failure;

static const Failure failures[] = {
  { "unknown-request", NULL, NULL, TRUE },
  { "file-in-the-way", "records.pdf", inject_file_in_the_way, FALSE },
  { "ledger-refuses", "ledger", inject_ledger_failure, FALSE },
};

static void
test_bundle_failures (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autofree char *root = g_dir_make_tmp ("dc-test-bundle-XXXXXX", NULL);
  gint64 request = add_request (store, w->base.manager);

  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      const Failure *f = &failures[i];
      g_autofree char *out = g_build_filename (root, f->name, NULL);
      DcQueryScope scope;
      g_autoptr(GError) error = NULL;
      Probe probe = { .store = store, .out_dir = out, .inject_at = f->step, .inject = f->inject };
      DcExportSummary summary = { 0 };
      g_autofree char *listing = NULL;

      g_test_message ("case %s", f->name);
      day_scope (&scope);
      g_assert_false (dc_export_bundle (store, w->base.manager, f->bad_request ? request + 1000 : request, &scope,
                                        FALSE, out, on_progress, &probe, &summary, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", f->name, error->message);
      g_assert_true (f->inject == NULL || probe.injected);
      g_assert_false (probe.finished);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      g_assert_cmpuint (count_partial (out), ==, 0);
      listing = dc_test_dir_fingerprint (root);
      g_assert_cmpstr (listing, ==, "");
      g_assert_cmpint (count_rows (store, "disclosure_exports"), ==, 0);
      dc_query_scope_clear (&scope);
    }
  {
    sqlite3 *outside = open_outside (store);

    dc_test_sql_exec (outside, "DROP TRIGGER test_inject");
    sqlite3_close (outside);
  }
  dc_test_assert_intact (store);
  dc_test_remove_tree (root);
}

/* A person's bundle: the name is in the records and on paper, never in the manifest, the
 * README or the sums; the hold is in the ledger. */
static void
test_bundle_person (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autofree char *root = g_dir_make_tmp ("dc-test-bundle-XXXXXX", NULL);
  g_autofree char *day = g_build_filename (root, "day", NULL);
  g_autofree char *out = g_build_filename (root, "person", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DcRequest) request = NULL;
  g_autoptr(DcExportCheck) check = NULL;
  DcQueryScope scope;
  DcExportSummary first = { 0 }, summary = { 0 };
  gint64 request_id = add_request (store, w->base.manager);
  const char *const *columns;
  gsize n_columns = 0;
  guint name_col = 0, dob_col = 0;
  GStrv row;
  const char *const plain[] = { DC_EXPORT_MANIFEST, DC_EXPORT_README, DC_EXPORT_SUMS, DC_EXPORT_SIGNATURE,
                                DC_EXPORT_SUMS_SIG };

  /* somebody from the day's records */
  export_day (store, w->base.manager, request_id, day, &first);
  csv = read_text (day, DC_EXPORT_CSV);
  rows = dc_csv_parse (csv, strlen (csv), &error);
  g_assert_no_error (error);
  columns = dc_records_csv_columns (&n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      if (strcmp (columns[i], "氏名") == 0)
        name_col = i;
      if (strcmp (columns[i], "生年月日") == 0)
        dob_col = i;
    }
  g_assert_cmpuint (name_col, >, 0);
  g_assert_cmpuint (rows->len, >, 1);
  row = g_ptr_array_index (rows, 1);

  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_PERSON;
  scope.name = g_strdup (row[name_col]);
  g_date_set_parse (&scope.dob, row[dob_col]);
  g_assert_true (g_date_valid (&scope.dob));
  g_assert_true (dc_export_bundle (store, w->base.manager, request_id, &scope, TRUE, out, NULL, NULL, &summary,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.visits, >=, 1);
  {
    g_autofree char *path = g_build_filename (out, DC_EXPORT_CSV, NULL);

    g_assert_true (dc_test_file_contains (path, row[name_col]));
  }
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_autofree char *path = g_build_filename (out, plain[i], NULL);

      if (dc_test_file_contains (path, row[name_col]))
        g_error ("%s names the person", plain[i]);
    }
  check = dc_export_verify (out, dc_store_sign_pk (store), &error);
  g_assert_no_error (error);
  log_check (check);
  g_assert_cmpuint (check->problems->len, ==, 0);

  request = dc_request_get (store, w->base.manager, request_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (request->exports->len, ==, 2);
  g_assert_cmpint (g_array_index (request->exports, DcExportRecord, 1).holds, >=, 1);
  dc_test_assert_intact (store);

  dc_query_scope_clear (&scope);
  dc_export_summary_clear (&first);
  dc_export_summary_clear (&summary);
  dc_test_remove_tree (root);
}

int
main (int argc, char **argv)
{
  World w = { 0 };
  int rc;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "America/New_York", TRUE);   /* the store's zone decides, never the machine's */
  g_test_init (&argc, &argv, NULL);
  g_assert_true (dc_crypto_init ());

  g_test_add_func ("/export/minisign/key-id", test_minisign_key_id);
  g_test_add_func ("/export/minisign/daicho-signs", test_minisign_daicho_signs);
  g_test_add_func ("/export/minisign/minisign-signs", test_minisign_minisign_signs);
  g_test_add_func ("/export/minisign/malformed", test_minisign_malformed);
  g_test_add_data_func ("/export/bundle/verifies", &w, test_bundle_verifies);
  g_test_add_data_func ("/export/bundle/tampered", &w, test_bundle_tampered);
  g_test_add_data_func ("/export/bundle/resigned", &w, test_bundle_resigned);
  g_test_add_data_func ("/export/bundle/out-dir", &w, test_bundle_out_dir);
  g_test_add_data_func ("/export/bundle/failures", &w, test_bundle_failures);
  g_test_add_data_func ("/export/bundle/person", &w, test_bundle_person);

  rc = g_test_run ();
  dc_test_template_clear (&w.base);
  return rc;
}
