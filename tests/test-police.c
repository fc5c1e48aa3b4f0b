/* tests/test-police.c — police queries against a brute-force scan of a demo store, the request ledger, exports with holds, and what is kept sealed. */
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-db-police.h"
#include "dc-db-records.h"
#include "dc-demo.h"
#include "dc-hold.h"
#include "dc-member.h"
#include "dc-normalize.h"
#include "dc-police.h"
#include "dc-test-util.h"

#include <locale.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#define PASSPHRASE         "manager passphrase 2026"
#define MANAGER_PIN        "1357"
#define CLERK_PIN          "2468"
#define AUDITOR_PASSPHRASE "auditor passphrase 2026"
#define HOUR_US            G_GINT64_CONSTANT (3600000000)
#define N_TIME_QUERIES     200
#define N_PEOPLE           30
#define SECRET_NAME        "松平 鏡太郎"
#define SECRET_NAME_NORM   "松平鏡太郎"

/* ---- what the test knows: read with plain SQL and opened with the manager's vault ---- */

typedef struct {
  gint64            id;
  gint64            customer_id;
  gint64            supersedes;
  gint64            newest;        /* the version in force of its record */
  gint64            verified_at;
  char             *doc_type;
  char             *verifier;
  DcIdentityRecord *record;
  char             *name;          /* normalised */
  char             *number;        /* normalised document number; NULL when none */
} BVer;

typedef struct {
  gint64   id;
  gint64   customer_id;
  gint64   verification_id;
  gint64   entered_at;
  gint64   exited_at;
  char    *exit_reason;
  gboolean minor;
  char    *staff_in;
  char    *staff_out;
  GPtrArray *sessions;             /* BSession *, by start */
} BVisit;

typedef struct {
  gint64 id;
  gint64 visit_id;
  gint64 terminal_id;
  gint64 started_at;
  gint64 ended_at;
} BSession;

typedef struct {
  gint64   id;
  char    *label;
  gboolean filtered;
} BTerminal;

typedef struct {
  GHashTable *vers;        /* id → BVer */
  GHashTable *visits;      /* id → BVisit */
  GHashTable *terminals;   /* id → BTerminal */
  GHashTable *members;     /* customer id → member number */
  GPtrArray  *sessions;    /* BSession */
  GPtrArray  *ver_list;    /* BVer, by id */
  GPtrArray  *visit_list;  /* BVisit, by id */
  gint64      first_start;
} Brute;

/* One store for every case: three weeks of demo history, then hand-made edge cases. */
typedef struct {
  char      *root;
  char      *dir;
  gint64     now;
  DcStore   *store;
  DcActor   *manager;
  DcActor   *auditor;
  DcActor   *counter;
  sqlite3   *view;
  Brute      brute;
  GRand     *rand;
  /* the edge cases */
  gint64     open_visit, open_started;
  gint64     span_visit, span_point;
  gint64     move_visit, move_from, move_to;
  gint64     corrected_original, corrected_newest;
  gint64     yamada_a, yamada_b;   /* customers: 山田 太郎 born 1990-04-01 and 1985-07-07 */
  gint64     kiryu, collider;      /* customers: two names under one coarse name index */
  gint64     bare_visit;           /* a visit without a terminal session */
  char      *bare_member;
  char      *secret_member;
  gint64     request_id;
} Fixture;

static Fixture fx;

/* ---- building the store ---- */

static void
at (int m, int d, int h, int mi)
{
  fx.now = dc_test_tokyo (2026, m, d, h, mi);
}

static void
person (DcIdentity *id, const char *name, int y, int m, int d, const char *number)
{
  dc_test_identity_fill (id, 2036);
  id->name = name;
  id->doc_number = number;
  g_date_set_dmy (&id->dob, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static DcCheckinResult *
checkin (const DcIdentity *identity, const char *terminal)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest request = { .identity = *identity, .terminal = terminal, .internet = TRUE };
  DcCheckinResult *result = g_new0 (DcCheckinResult, 1);

  g_assert_true (dc_checkin (fx.store, fx.counter, &request, result, &error));
  g_assert_no_error (error);
  return result;
}

static void
result_free (DcCheckinResult *result)
{
  dc_checkin_result_clear (result);
  g_free (result);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcCheckinResult, result_free)

static void
checkout (gint64 visit)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_checkout (fx.store, fx.counter, NULL, visit, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
}

static void
add_terminal (const char *label, gboolean filtered)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_store_add_terminal (fx.store, fx.manager, label, NULL, filtered, NULL, &error));
  g_assert_no_error (error);
}

static void
make_history (void)
{
  DcStoreSetup setup = { .name = "テスト店", .operator_name = "テスト", .manager = "店長", .demo = TRUE };
  DcDemoOptions options = { .days = 21, .visits_per_day = 70, .seed = 11 };
  DcDemoStats stats = { 0 };
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DC_TEST_POLICE_SMALL") != NULL)   /* for valgrind */
    {
      options.days = 3;
      options.visits_per_day = 30;
    }
  fx.root = g_dir_make_tmp ("dc-test-police-XXXXXX", &error);
  g_assert_no_error (error);
  fx.dir = g_build_filename (fx.root, "store", NULL);
  at (3, 2, 18, 0);
  fx.store = dc_test_store_create (fx.dir, &setup, PASSPHRASE, MANAGER_PIN, NULL);
  dc_test_store_use_clock (fx.store, &fx.now);
  fx.manager = dc_store_sign_in_passphrase (fx.store, "店長", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (fx.store, fx.manager, "受付", "counter", CLERK_PIN, NULL, NULL, &error));
  g_assert_true (dc_store_add_staff (fx.store, fx.manager, "監査", "auditor", "4444", AUDITOR_PASSPHRASE, NULL,
                                     &error));
  g_assert_no_error (error);
  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%02u", i);

      add_terminal (label, i % 4 == 0);
    }
  fx.counter = dc_store_sign_in_pin (fx.store, "受付", CLERK_PIN, &error);
  g_assert_no_error (error);
  fx.auditor = dc_store_sign_in_passphrase (fx.store, "監査", AUDITOR_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_demo_fill (fx.store, fx.counter, &options, &stats, &error));
  g_assert_no_error (error);
  g_test_message ("demo history: %" G_GUINT64_FORMAT " visits", stats.visits);
  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *label = g_strdup_printf ("X-%02u", i);

      add_terminal (label, TRUE);
    }
}

static gint64
correct (gint64 verification, const DcIdentity *identity, const char *reason)
{
  g_autoptr(GError) error = NULL;
  gint64 out = 0;

  g_assert_true (dc_correct_identity (fx.store, fx.manager, verification, identity, reason, &out, NULL, &error));
  g_assert_no_error (error);
  return out;
}

/* A visit that used no terminal: written as the workflows write rows, with its audit entries. */
static gint64
bare_visit (gint64 customer, gint64 verification)
{
  DcDb *db = dc_store_db (fx.store);
  DcVisitRow row = { .customer_id = customer, .verification_id = verification, .entered_at = fx.now,
                     .staff_in = dc_actor_staff_id (fx.counter), .internet = FALSE };
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (dc_db_begin (db, &error));
  g_assert_true (dc_db_visit_insert (db, &row, &id, &error));
  g_assert_true (dc_audit_row (fx.store, row.staff_in, "checkin", "visits", id, &error));
  g_assert_true (dc_db_commit (db, &error));
  g_assert_no_error (error);
  fx.now += HOUR_US;
  g_assert_true (dc_db_begin (db, &error));
  g_assert_true (dc_db_visit_close (db, id, fx.now, row.staff_in, "staff", &error));
  g_assert_true (dc_audit_row (fx.store, row.staff_in, "checkout", "visits", id, &error));
  g_assert_true (dc_db_commit (db, &error));
  g_assert_no_error (error);
  return id;
}

static void
make_edge_cases (void)
{
  DcIdentity id;
  g_autoptr(GError) error = NULL;
  g_autoptr(DcCheckinResult) a1 = NULL, a2 = NULL, b = NULL, c = NULL, d = NULL, e1 = NULL, e2 = NULL;

  /* a person searched for by name in the plaintext case; at the end still on X-01 */
  person (&id, SECRET_NAME, 1988, 2, 3, "309900000001");
  at (3, 3, 10, 0);
  a1 = checkin (&id, "X-01");
  at (3, 3, 11, 0);
  checkout (a1->visit_id);
  fx.secret_member = g_strdup (a1->member_number);
  at (3, 3, 20, 0);
  a2 = checkin (&id, "X-01");
  fx.open_visit = a2->visit_id;
  fx.open_started = fx.now;

  /* from the evening before past midnight */
  person (&id, "桐生 夜舟", 1979, 11, 30, "309900000002");
  at (3, 3, 23, 0);
  b = checkin (&id, "X-02");
  at (3, 4, 2, 0);
  checkout (b->visit_id);
  fx.span_visit = b->visit_id;
  fx.span_point = dc_test_tokyo (2026, 3, 4, 1, 0);
  fx.kiryu = b->customer_id;

  /* someone whose name falls under the same coarse name index as 桐生 夜舟's */
  {
    const DcVault *vault = dc_actor_vault (fx.manager);
    guint32 target = dc_vault_name_index (vault, "桐生夜舟");
    g_autofree char *name = NULL;
    g_autoptr(DcCheckinResult) x = NULL;

    for (guint k = 0; name == NULL; k++)
      {
        g_autofree char *candidate = g_strdup_printf ("試験 衝突%u", k);
        g_autofree char *norm = dc_normalize_name (candidate);

        if (dc_vault_name_index (vault, norm) == target)
          name = g_steal_pointer (&candidate);
      }
    person (&id, name, 1981, 8, 8, "309900000007");
    at (3, 4, 3, 0);
    x = checkin (&id, "X-02");
    at (3, 4, 4, 0);
    checkout (x->visit_id);
    fx.collider = x->customer_id;
  }

  /* a seat move: two sessions */
  person (&id, "朝霧 青", 1995, 5, 5, "309900000003");
  at (3, 4, 10, 0);
  c = checkin (&id, "X-03");
  at (3, 4, 11, 0);
  g_assert_true (dc_move (fx.store, fx.counter, "X-03", "X-04", &error));
  g_assert_no_error (error);
  at (3, 4, 12, 0);
  checkout (c->visit_id);
  fx.move_visit = c->visit_id;
  fx.move_from = dc_test_tokyo (2026, 3, 4, 10, 30);
  fx.move_to = dc_test_tokyo (2026, 3, 4, 11, 30);

  /* a record corrected twice: the name's typo, then the address */
  person (&id, "白川 訂", 1970, 1, 15, "309900000004");
  at (3, 4, 9, 0);
  d = checkin (&id, "X-05");
  at (3, 4, 10, 0);
  checkout (d->visit_id);
  at (3, 4, 15, 0);
  fx.corrected_original = d->verification_id;
  id.name = "白河 訂";
  fx.corrected_newest = correct (d->verification_id, &id, "氏名の誤記");
  id.address = "東京都新宿区新宿3-1-1";
  fx.corrected_newest = correct (fx.corrected_newest, &id, "住所の誤記");

  /* two people of the same name */
  person (&id, "山田 太郎", 1990, 4, 1, "309900000005");
  at (3, 4, 13, 0);
  e1 = checkin (&id, "X-06");
  at (3, 4, 14, 0);
  checkout (e1->visit_id);
  person (&id, "山田　太郎", 1985, 7, 7, "309900000006");
  at (3, 4, 15, 0);
  e2 = checkin (&id, "X-06");
  at (3, 4, 16, 0);
  checkout (e2->visit_id);
  fx.yamada_a = e1->customer_id;
  fx.yamada_b = e2->customer_id;

  at (3, 5, 10, 0);
  fx.bare_visit = bare_visit (c->customer_id, c->verification_id);
  fx.bare_member = g_strdup (c->member_number);
  at (3, 5, 18, 0);
}

/* ---- the brute force: every row read with plain SQL, every payload opened ---- */

static void
bver_free (BVer *v)
{
  g_free (v->doc_type);
  g_free (v->verifier);
  dc_identity_record_free (v->record);
  g_free (v->name);
  g_free (v->number);
  g_free (v);
}

static void
bvisit_free (BVisit *v)
{
  g_free (v->exit_reason);
  g_free (v->staff_in);
  g_free (v->staff_out);
  g_ptr_array_unref (v->sessions);
  g_free (v);
}

static void
bterminal_free (BTerminal *t)
{
  g_free (t->label);
  g_free (t);
}

static sqlite3_stmt *
prepare (const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (fx.view, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  return stmt;
}

static char *
col_text (sqlite3_stmt *stmt, int col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NULL : g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static void
load_verifications (Brute *b)
{
  sqlite3_stmt *stmt = prepare ("SELECT v.id, v.customer_id, coalesce (v.supersedes, 0), v.verified_at, v.doc_type,"
                                " s.name, v.payload FROM verifications v JOIN staff s ON s.id = v.verifier_id"
                                " ORDER BY v.id");
  const DcVault *vault = dc_actor_vault (fx.manager);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BVer *v = g_new0 (BVer, 1);
      g_autoptr(GBytes) sealed = g_bytes_new (sqlite3_column_blob (stmt, 6), sqlite3_column_bytes (stmt, 6));
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GError) error = NULL;

      v->id = sqlite3_column_int64 (stmt, 0);
      v->customer_id = sqlite3_column_int64 (stmt, 1);
      v->supersedes = sqlite3_column_int64 (stmt, 2);
      v->verified_at = sqlite3_column_int64 (stmt, 3);
      v->doc_type = col_text (stmt, 4);
      v->verifier = col_text (stmt, 5);
      plain = dc_vault_open_sealed (vault, sealed, &error);
      g_assert_no_error (error);
      v->record = dc_identity_record_new_from_bytes (plain, &error);
      g_assert_no_error (error);
      v->name = dc_normalize_name (v->record->identity.name);
      if (v->record->identity.doc_number != NULL)
        v->number = dc_normalize_number (v->record->identity.doc_number);
      v->newest = v->id;
      g_hash_table_insert (b->vers, &v->id, v);
      g_ptr_array_add (b->ver_list, v);
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
  /* newest first: a correction always has a higher id than what it corrects */
  for (guint i = b->ver_list->len; i-- > 0;)
    {
      BVer *v = g_ptr_array_index (b->ver_list, i);

      if (v->supersedes != 0)
        {
          BVer *older = g_hash_table_lookup (b->vers, &v->supersedes);

          g_assert_nonnull (older);
          older->newest = v->newest;
        }
    }
}

static void
load_visits (Brute *b)
{
  sqlite3_stmt *stmt = prepare ("SELECT v.id, v.customer_id, v.verification_id, v.entered_at,"
                                " coalesce (v.exited_at, 0), v.exit_reason, v.minor, a.name, o.name FROM visits v"
                                " JOIN staff a ON a.id = v.staff_in LEFT JOIN staff o ON o.id = v.staff_out"
                                " ORDER BY v.id");

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BVisit *v = g_new0 (BVisit, 1);

      v->id = sqlite3_column_int64 (stmt, 0);
      v->customer_id = sqlite3_column_int64 (stmt, 1);
      v->verification_id = sqlite3_column_int64 (stmt, 2);
      v->entered_at = sqlite3_column_int64 (stmt, 3);
      v->exited_at = sqlite3_column_int64 (stmt, 4);
      v->exit_reason = col_text (stmt, 5);
      v->minor = sqlite3_column_int64 (stmt, 6) != 0;
      v->staff_in = col_text (stmt, 7);
      v->staff_out = col_text (stmt, 8);
      v->sessions = g_ptr_array_new ();
      g_hash_table_insert (b->visits, &v->id, v);
      g_ptr_array_add (b->visit_list, v);
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
}

static void
load_sessions (Brute *b)
{
  sqlite3_stmt *stmt = prepare ("SELECT id, visit_id, terminal_id, started_at, coalesce (ended_at, 0)"
                                " FROM terminal_sessions ORDER BY started_at, id");

  b->first_start = G_MAXINT64;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BSession *s = g_new0 (BSession, 1);
      BVisit *visit;

      s->id = sqlite3_column_int64 (stmt, 0);
      s->visit_id = sqlite3_column_int64 (stmt, 1);
      s->terminal_id = sqlite3_column_int64 (stmt, 2);
      s->started_at = sqlite3_column_int64 (stmt, 3);
      s->ended_at = sqlite3_column_int64 (stmt, 4);
      b->first_start = MIN (b->first_start, s->started_at);
      visit = g_hash_table_lookup (b->visits, &s->visit_id);
      g_assert_nonnull (visit);
      g_ptr_array_add (visit->sessions, s);
      g_ptr_array_add (b->sessions, s);
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
}

static void
load_small_tables (Brute *b)
{
  sqlite3_stmt *stmt = prepare ("SELECT id, label, filtered FROM terminals");

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BTerminal *t = g_new0 (BTerminal, 1);

      t->id = sqlite3_column_int64 (stmt, 0);
      t->label = col_text (stmt, 1);
      t->filtered = sqlite3_column_int64 (stmt, 2) != 0;
      g_hash_table_insert (b->terminals, &t->id, t);
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
  stmt = prepare ("SELECT id, member_number FROM customers");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (b->members, g_memdup2 (&id, sizeof id), col_text (stmt, 1));
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
}

static void
brute_load (Brute *b)
{
  b->vers = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) bver_free);
  b->visits = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) bvisit_free);
  b->terminals = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) bterminal_free);
  b->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  b->sessions = g_ptr_array_new_with_free_func (g_free);
  b->ver_list = g_ptr_array_new ();
  b->visit_list = g_ptr_array_new ();
  load_verifications (b);
  load_visits (b);
  load_sessions (b);
  load_small_tables (b);
}

static void
brute_clear (Brute *b)
{
  g_clear_pointer (&b->ver_list, g_ptr_array_unref);
  g_clear_pointer (&b->visit_list, g_ptr_array_unref);
  g_clear_pointer (&b->vers, g_hash_table_unref);
  g_clear_pointer (&b->visits, g_hash_table_unref);
  g_clear_pointer (&b->terminals, g_hash_table_unref);
  g_clear_pointer (&b->members, g_hash_table_unref);
  g_clear_pointer (&b->sessions, g_ptr_array_unref);
}

/* ---- expected rows ---- */

typedef struct {
  gint64 session_id;
  gint64 visit_id;
} Expected;

static const char *
terminal_label (gint64 id)
{
  BTerminal *t = g_hash_table_lookup (fx.brute.terminals, &id);

  g_assert_nonnull (t);
  return t->label;
}

static gint
compare_time_rows (gconstpointer a, gconstpointer b)
{
  const BSession *x = *(BSession *const *) a, *y = *(BSession *const *) b;
  int c;

  if (x->started_at != y->started_at)
    return x->started_at < y->started_at ? -1 : 1;
  c = strcmp (terminal_label (x->terminal_id), terminal_label (y->terminal_id));
  if (c != 0)
    return c;
  return (x->id > y->id) - (x->id < y->id);
}

static gboolean
in_terminals (GPtrArray *labels, gint64 terminal_id)
{
  if (labels == NULL || labels->len == 0)
    return TRUE;
  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (g_ptr_array_index (labels, i), terminal_label (terminal_id)))
      return TRUE;
  return FALSE;
}

static GArray *
expect_time (gint64 from, gint64 to, GPtrArray *labels)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Expected));

  for (guint i = 0; i < fx.brute.sessions->len; i++)
    {
      BSession *s = g_ptr_array_index (fx.brute.sessions, i);

      if (s->started_at <= to && (s->ended_at == 0 || s->ended_at >= from) && in_terminals (labels, s->terminal_id))
        g_ptr_array_add (hits, s);
    }
  g_ptr_array_sort (hits, compare_time_rows);
  for (guint i = 0; i < hits->len; i++)
    {
      BSession *s = g_ptr_array_index (hits, i);
      Expected e = { s->id, s->visit_id };

      g_array_append_val (out, e);
    }
  return out;
}

static gint
compare_visits_newest_first (gconstpointer a, gconstpointer b)
{
  const BVisit *x = *(BVisit *const *) a, *y = *(BVisit *const *) b;

  if (x->entered_at != y->entered_at)
    return x->entered_at > y->entered_at ? -1 : 1;
  return (x->id < y->id) - (x->id > y->id);
}

/* Every visit of the customers in @customers (a set), newest first, each with its sessions. */
static GArray *
expect_visits_of (GHashTable *customers)
{
  g_autoptr(GPtrArray) visits = g_ptr_array_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Expected));

  for (guint i = 0; i < fx.brute.visit_list->len; i++)
    {
      BVisit *v = g_ptr_array_index (fx.brute.visit_list, i);

      if (g_hash_table_contains (customers, &v->customer_id))
        g_ptr_array_add (visits, v);
    }
  g_ptr_array_sort (visits, compare_visits_newest_first);
  for (guint i = 0; i < visits->len; i++)
    {
      BVisit *v = g_ptr_array_index (visits, i);
      Expected e = { 0, v->id };

      if (v->sessions->len == 0)
        g_array_append_val (out, e);
      for (guint j = 0; j < v->sessions->len; j++)
        {
          e.session_id = ((BSession *) g_ptr_array_index (v->sessions, j))->id;
          g_array_append_val (out, e);
        }
    }
  return out;
}

typedef gboolean (*VerMatch) (const BVer *v, gconstpointer data);

/* The customers with any version of any identity record matching. */
static GArray *
expect_people (VerMatch match, gconstpointer data)
{
  g_autoptr(GHashTable) customers = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < fx.brute.ver_list->len; i++)
    {
      BVer *v = g_ptr_array_index (fx.brute.ver_list, i);

      if (match (v, data))
        g_hash_table_add (customers, &v->customer_id);
    }
  return expect_visits_of (customers);
}

static gboolean
match_name (const BVer *v, gconstpointer data)
{
  return g_str_equal (v->name, data);
}

typedef struct {
  const char  *name;   /* normalised */
  const GDate *dob;
} NameDob;

static gboolean
match_person (const BVer *v, gconstpointer data)
{
  const NameDob *q = data;

  return g_str_equal (v->name, q->name) && g_date_compare (&v->record->identity.dob, q->dob) == 0;
}

typedef struct {
  const char *type;
  const char *number;   /* normalised */
} Doc;

static gboolean
match_document (const BVer *v, gconstpointer data)
{
  const Doc *q = data;

  return v->number != NULL && g_str_equal (v->doc_type, q->type) && g_str_equal (v->number, q->number);
}

static gboolean
match_member (const BVer *v, gconstpointer data)
{
  return g_strcmp0 (g_hash_table_lookup (fx.brute.members, &v->customer_id), data) == 0;
}

/* ---- comparing ---- */

static void
assert_same_identity (const DcIdentity *a, const DcIdentity *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->kana, ==, b->kana);
  g_assert_cmpstr (a->address, ==, b->address);
  g_assert_cmpstr (a->doc_type, ==, b->doc_type);
  g_assert_cmpstr (a->doc_number, ==, b->doc_number);
  g_assert_cmpstr (a->nationality, ==, b->nationality);
  g_assert_true (g_date_valid (&a->dob) && g_date_compare (&a->dob, &b->dob) == 0);
}

static void
check_row (const DcQueryRow *row, const Expected *e)
{
  BVisit *visit = g_hash_table_lookup (fx.brute.visits, &e->visit_id);
  BVer *recorded, *current;

  g_assert_cmpint (row->session_id, ==, e->session_id);
  g_assert_cmpint (row->visit_id, ==, e->visit_id);
  g_assert_nonnull (visit);
  if (e->session_id != 0)
    {
      BSession *s = NULL;

      for (guint i = 0; i < visit->sessions->len && s == NULL; i++)
        if (((BSession *) g_ptr_array_index (visit->sessions, i))->id == e->session_id)
          s = g_ptr_array_index (visit->sessions, i);
      g_assert_nonnull (s);
      g_assert_cmpstr (row->terminal, ==, terminal_label (s->terminal_id));
      g_assert_cmpint (row->terminal_filtered, ==,
                       ((BTerminal *) g_hash_table_lookup (fx.brute.terminals, &s->terminal_id))->filtered);
      g_assert_cmpint (row->started_at, ==, s->started_at);
      g_assert_cmpint (row->ended_at, ==, s->ended_at);
    }
  else
    {
      g_assert_null (row->terminal);
      g_assert_cmpint (row->started_at, ==, 0);
    }
  g_assert_cmpint (row->entered_at, ==, visit->entered_at);
  g_assert_cmpint (row->exited_at, ==, visit->exited_at);
  g_assert_cmpstr (row->exit_reason, ==, visit->exit_reason);
  g_assert_cmpint (row->minor, ==, visit->minor);
  g_assert_cmpstr (row->staff_in, ==, visit->staff_in);
  g_assert_cmpstr (row->staff_out, ==, visit->staff_out);
  g_assert_cmpint (row->customer_id, ==, visit->customer_id);
  g_assert_cmpstr (row->member_number, ==, g_hash_table_lookup (fx.brute.members, &visit->customer_id));
  recorded = g_hash_table_lookup (fx.brute.vers, &visit->verification_id);
  g_assert_nonnull (recorded);
  current = g_hash_table_lookup (fx.brute.vers, &recorded->newest);
  g_assert_cmpint (row->verification_id, ==, current->id);
  g_assert_cmpint (row->corrected, ==, current->id != recorded->id);
  g_assert_cmpint (row->verified_at, ==, current->verified_at);
  g_assert_cmpstr (row->verifier, ==, current->verifier);
  g_assert_cmpstr (row->doc_type, ==, current->doc_type);
  g_assert_nonnull (row->identity);
  assert_same_identity (&row->identity->identity, &current->record->identity);
}

static void
count_into (GHashTable *set, gint64 id)
{
  g_hash_table_add (set, g_memdup2 (&id, sizeof id));
}

static void
check_result (const DcQueryResult *result, GArray *expected)
{
  g_autoptr(GHashTable) visits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) vers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) customers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint sessions = 0;

  g_assert_nonnull (result);
  g_assert_cmpuint (result->rows->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const Expected *e = &g_array_index (expected, Expected, i);
      BVisit *visit = g_hash_table_lookup (fx.brute.visits, &e->visit_id);
      BVer *recorded = g_hash_table_lookup (fx.brute.vers, &visit->verification_id);

      check_row (&g_array_index (result->rows, DcQueryRow, i), e);
      sessions += e->session_id != 0;
      count_into (visits, e->visit_id);
      count_into (vers, recorded->newest);
      count_into (customers, visit->customer_id);
    }
  g_assert_cmpuint (result->sessions, ==, sessions);
  g_assert_cmpuint (result->visits, ==, g_hash_table_size (visits));
  g_assert_cmpuint (result->verifications, ==, g_hash_table_size (vers));
  g_assert_cmpuint (result->customers, ==, g_hash_table_size (customers));
  g_assert_cmpint (result->query_id, >, 0);
}

static DcQueryResult *
run_query (const DcQueryScope *scope, gint64 request_id)
{
  g_autoptr(GError) error = NULL;
  DcQueryResult *result = dc_police_query (fx.store, fx.manager, scope, request_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
check_query (const DcQueryScope *scope, GArray *expected)
{
  g_autoptr(DcQueryResult) result = run_query (scope, 0);

  check_result (result, expected);
  g_array_unref (expected);
}

static gint64
count_rows (const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s", table);

  return dc_test_sql_int (fx.view, sql);
}

/* ---- scopes ---- */

static void
scope_time (DcQueryScope *scope, gint64 from, gint64 to)
{
  dc_query_scope_init (scope);
  scope->kind = DC_QUERY_TIME;
  scope->from = from;
  scope->to = to;
}

static void
scope_add_terminal (DcQueryScope *scope, const char *label)
{
  if (scope->terminals == NULL)
    scope->terminals = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (scope->terminals, g_strdup (label));
}

static void
scope_person (DcQueryScope *scope, DcQueryKind kind, const char *name, const GDate *dob)
{
  dc_query_scope_init (scope);
  scope->kind = kind;
  scope->name = g_strdup (name);
  if (dob != NULL)
    scope->dob = *dob;
}

static void
scope_document (DcQueryScope *scope, const char *type, const char *number)
{
  dc_query_scope_init (scope);
  scope->kind = DC_QUERY_DOCUMENT;
  scope->doc_type = g_strdup (type);
  scope->doc_number = g_strdup (number);
}

static void
scope_member (DcQueryScope *scope, const char *member)
{
  dc_query_scope_init (scope);
  scope->kind = DC_QUERY_MEMBER;
  scope->member_number = g_strdup (member);
}

/* ---- cases: labels and scopes ---- */

static void
test_basis (void)
{
  static const struct { DcLegalBasis basis; const char *code, *label; } cases[] = {
    { DC_BASIS_INSPECTION, "inspection", "Ordinance inspection" },
    { DC_BASIS_INQUIRY, "inquiry", "Inquiry (Code of Criminal Procedure art. 197(2))" },
    { DC_BASIS_WARRANT, "warrant", "Warrant" },
    { DC_BASIS_OTHER, "other", "Other" },
  };
  DcLegalBasis basis = DC_BASIS_OTHER;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (dc_legal_basis_code (cases[i].basis), ==, cases[i].code);
      g_assert_cmpstr (dc_legal_basis_label (cases[i].basis), ==, cases[i].label);
      g_assert_true (dc_legal_basis_from_code (cases[i].code, &basis));
      g_assert_cmpint (basis, ==, cases[i].basis);
    }
  g_assert_false (dc_legal_basis_from_code ("Inspection", &basis));
  g_assert_false (dc_legal_basis_from_code ("", &basis));
  g_assert_false (dc_legal_basis_from_code (NULL, &basis));
}

static void
test_scope_describe (void)
{
  DcQueryScope scope, copy;
  GDate dob;
  g_autofree char *point = NULL, *range = NULL, *days = NULL, *person_s = NULL, *person_full = NULL;
  g_autofree char *name_s = NULL, *doc_s = NULL, *doc_full = NULL, *member_s = NULL, *copied = NULL;

  scope_time (&scope, dc_test_tokyo (2026, 3, 4, 14, 32), dc_test_tokyo (2026, 3, 4, 14, 32));
  scope_add_terminal (&scope, "PC-12");
  point = dc_query_scope_describe (fx.store, &scope);
  g_assert_cmpstr (point, ==, "2026-03-04 14:32:00 (PC-12)");
  dc_query_scope_copy (&scope, &copy);
  dc_query_scope_clear (&scope);
  g_assert_null (scope.terminals);
  copied = dc_query_scope_describe (fx.store, &copy);
  g_assert_cmpstr (copied, ==, point);
  dc_query_scope_clear (&copy);

  scope_time (&scope, dc_test_tokyo (2026, 3, 4, 14, 0), dc_test_tokyo (2026, 3, 4, 15, 0) + 10 * G_USEC_PER_SEC);
  range = dc_query_scope_describe (fx.store, &scope);
  g_assert_cmpstr (range, ==, "2026-03-04 14:00:00 – 15:00:10");
  scope.to = dc_test_tokyo (2026, 3, 5, 1, 0);
  days = dc_query_scope_describe (fx.store, &scope);
  g_assert_cmpstr (days, ==, "2026-03-04 14:00:00 – 2026-03-05 01:00:00");

  g_date_set_dmy (&dob, 1, 4, 1990);
  scope_person (&scope, DC_QUERY_PERSON, " 山田 太郎 ", &dob);
  person_s = dc_query_scope_describe (fx.store, &scope);
  person_full = dc_query_scope_describe_full (fx.store, &scope);
  g_assert_cmpstr (person_s, ==, "name and date of birth");
  g_assert_cmpstr (person_full, ==, "name and date of birth: 山田 太郎, 1990-04-01");
  dc_query_scope_clear (&scope);
  g_assert_null (scope.name);
  g_assert_false (g_date_valid (&scope.dob));

  scope_person (&scope, DC_QUERY_NAME, "山田 太郎", NULL);
  name_s = dc_query_scope_describe (fx.store, &scope);
  g_assert_cmpstr (name_s, ==, "name");
  dc_query_scope_clear (&scope);

  scope_document (&scope, "drivers_license", "301234567890");
  doc_s = dc_query_scope_describe (fx.store, &scope);
  doc_full = dc_query_scope_describe_full (fx.store, &scope);
  g_assert_cmpstr (doc_s, ==, "document: Driver's licence");
  g_assert_cmpstr (doc_full, ==, "document: Driver's licence, number 301234567890");
  dc_query_scope_clear (&scope);

  scope_member (&scope, "1000017");
  member_s = dc_query_scope_describe (fx.store, &scope);
  g_assert_cmpstr (member_s, ==, "member 1000017");
  dc_query_scope_clear (&scope);
}

/* ---- cases: who may ask, and bad scopes ---- */

static void
assert_nothing_logged (gint64 audit_before, gint64 queries_before)
{
  g_assert_cmpint (count_rows ("audit"), ==, audit_before);
  g_assert_cmpint (count_rows ("queries"), ==, queries_before);
}

static void
test_permission (void)
{
  DcQueryScope scope;
  gint64 audit = count_rows ("audit"), queries = count_rows ("queries");
  g_autoptr(GError) error = NULL;
  DcQueryResult *result;
  g_autoptr(DcQueryResult) ok = NULL;

  scope_time (&scope, fx.open_started, fx.open_started);
  result = dc_police_query (fx.store, fx.counter, &scope, 0, &error);
  g_assert_null (result);
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  result = dc_police_query (fx.store, NULL, &scope, 0, &error);
  g_assert_null (result);
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  assert_nothing_logged (audit, queries);

  /* an auditor with a passphrase may */
  ok = dc_police_query (fx.store, fx.auditor, &scope, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok->sessions, >=, 1);
  dc_query_scope_clear (&scope);
}

typedef struct {
  const char *what;
  DcQueryKind kind;
  gint64      from, to;
  const char *terminal;
  const char *name;
  gboolean    dob;
  const char *doc_type, *doc_number, *member;
  gint64      request;
  gint        code;
} BadScope;

static void
test_bad_scopes (void)
{
  static const BadScope cases[] = {
    { "from after to", DC_QUERY_TIME, 2000, 1000, .code = DC_ERROR_INVALID },
    { "unknown terminal", DC_QUERY_TIME, 1000, 2000, "PC-99", .code = DC_ERROR_NOT_FOUND },
    { "person without name", DC_QUERY_PERSON, .name = " \u3000", .dob = TRUE, .code = DC_ERROR_MISSING_FIELD },
    { "person without dob", DC_QUERY_PERSON, .name = "山田 太郎", .code = DC_ERROR_MISSING_FIELD },
    { "name missing", DC_QUERY_NAME, .code = DC_ERROR_MISSING_FIELD },
    { "My Number card", DC_QUERY_DOCUMENT, .doc_type = "my_number_card", .doc_number = "123456789018",
      .code = DC_ERROR_FORBIDDEN_NUMBER },
    { "insurance card", DC_QUERY_DOCUMENT, .doc_type = "health_insurance_card", .doc_number = "98765432",
      .code = DC_ERROR_FORBIDDEN_NUMBER },
    { "notification card", DC_QUERY_DOCUMENT, .doc_type = "notification_card", .doc_number = "1",
      .code = DC_ERROR_DOC_NOT_ACCEPTED },
    { "document without number", DC_QUERY_DOCUMENT, .doc_type = "passport", .doc_number = " ",
      .code = DC_ERROR_MISSING_FIELD },
    { "document without type", DC_QUERY_DOCUMENT, .doc_number = "TK1234567", .code = DC_ERROR_MISSING_FIELD },
    { "member check digit", DC_QUERY_MEMBER, .member = "mistyped", .code = DC_ERROR_INVALID },
    { "member missing", DC_QUERY_MEMBER, .member = "", .code = DC_ERROR_MISSING_FIELD },
    { "no such request", DC_QUERY_TIME, 1000, 2000, .request = 999999, .code = DC_ERROR_NOT_FOUND },
  };
  gint64 audit = count_rows ("audit"), queries = count_rows ("queries");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BadScope *c = &cases[i];
      DcQueryScope scope;
      g_autoptr(GError) error = NULL;
      DcQueryResult *result;

      g_test_message ("bad scope: %s", c->what);
      dc_query_scope_init (&scope);
      scope.kind = c->kind;
      scope.from = c->from;
      scope.to = c->to;
      if (c->terminal != NULL)
        scope_add_terminal (&scope, c->terminal);
      scope.name = g_strdup (c->name);
      if (c->dob)
        g_date_set_dmy (&scope.dob, 1, 4, 1990);
      scope.doc_type = g_strdup (c->doc_type);
      scope.doc_number = g_strdup (c->doc_number);
      scope.member_number = g_strdup (c->member);
      if (g_strcmp0 (c->member, "mistyped") == 0)
        {
          /* the last digit changed: the check digit catches every single wrong digit */
          gsize n = strlen (fx.secret_member);

          g_free (scope.member_number);
          scope.member_number = g_strdup (fx.secret_member);
          scope.member_number[n - 1] = fx.secret_member[n - 1] == '9' ? '0' : fx.secret_member[n - 1] + 1;
        }
      result = dc_police_query (fx.store, fx.manager, &scope, c->request, &error);
      g_assert_null (result);
      g_assert_error (error, DC_ERROR, c->code);
      /* a number the law forbids is never repeated back */
      if (c->doc_number != NULL && c->code == DC_ERROR_FORBIDDEN_NUMBER)
        g_assert_null (strstr (error->message, c->doc_number));
      dc_query_scope_clear (&scope);
    }
  assert_nothing_logged (audit, queries);
}

/* ---- cases: time queries against the brute force ---- */

static GPtrArray *
random_terminals (void)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);
  guint n = g_rand_int_range (fx.rand, 1, 4);

  for (guint i = 0; i < n; i++)
    {
      BSession *s = g_ptr_array_index (fx.brute.sessions, g_rand_int_range (fx.rand, 0, fx.brute.sessions->len));

      g_ptr_array_add (labels, g_strdup (terminal_label (s->terminal_id)));
    }
  return labels;
}

static void
test_time_brute (void)
{
  gint64 first = fx.brute.first_start - HOUR_US, last = fx.now + HOUR_US;
  guint nonempty = 0, with_open = 0;

  for (guint i = 0; i < N_TIME_QUERIES; i++)
    {
      DcQueryScope scope;
      BSession *s = g_ptr_array_index (fx.brute.sessions, g_rand_int_range (fx.rand, 0, fx.brute.sessions->len));
      gint64 from;
      g_autoptr(DcQueryResult) result = NULL;
      g_autoptr(GArray) expected = NULL;

      switch (i % 4)
        {
        case 0:   /* a session's own edges: both ends are inclusive */
          from = g_rand_boolean (fx.rand) || s->ended_at == 0 ? s->started_at : s->ended_at;
          break;
        default:
          from = first + (gint64) (g_rand_double (fx.rand) * (double) (last - first));
          break;
        }
      scope_time (&scope, from, from);
      if (i % 2 == 1)
        scope.to = from + (gint64) (g_rand_double (fx.rand) * 4 * HOUR_US);
      if (i % 3 == 2)
        scope.terminals = random_terminals ();
      expected = expect_time (scope.from, scope.to, scope.terminals);
      result = run_query (&scope, 0);
      check_result (result, expected);
      /* every terminal: read in two halves at once, on two connections (nothing writes between) */
      g_assert_cmpint (result->read_in_halves, ==, scope.terminals == NULL && g_get_num_processors () > 1);
      nonempty += expected->len > 0;
      for (guint j = 0; j < result->rows->len; j++)
        with_open += g_array_index (result->rows, DcQueryRow, j).ended_at == 0;
      dc_query_scope_clear (&scope);
    }
  g_test_message ("%u of %u time queries found sessions; %u open sessions in them", nonempty, N_TIME_QUERIES,
                  with_open);
  g_assert_cmpuint (nonempty, >, N_TIME_QUERIES / 2);
  g_assert_cmpuint (with_open, >, 0);
}

/* The two halves a time query reads at once: together every session of the whole, none
 * twice, and about as many in each (a split by terminal left one half with most rows,
 * and the query waited on it). */
static void
test_time_parts (void)
{
  g_autoptr(GError) error = NULL;
  DcDb *db = dc_store_db (fx.store);
  gint64 from = dc_test_sql_int (fx.view, "SELECT min (started_at) FROM terminal_sessions");
  gint64 to = dc_test_sql_int (fx.view, "SELECT max (started_at) FROM terminal_sessions");
  g_autoptr(GArray) whole = dc_db_police_time_part (db, from, to, NULL, 0, 1, 1, &error);
  g_autoptr(GArray) even = dc_db_police_time_part (db, from, to, NULL, 0, 1, 2, &error);
  g_autoptr(GArray) odd = dc_db_police_time_part (db, from, to, NULL, 1, 2, 2, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GArray *halves[] = { even, odd };

  g_assert_no_error (error);
  g_assert_cmpuint (whole->len, >, 100);
  g_assert_cmpuint (even->len + odd->len, ==, whole->len);
  for (guint h = 0; h < G_N_ELEMENTS (halves); h++)
    for (guint i = 0; i < halves[h]->len; i++)
      {
        gint64 id = g_array_index (halves[h], DcPoliceRow, i).session_id;

        g_assert_cmpint (id % 2, ==, h);
        g_assert_false (g_hash_table_contains (seen, &id));
        g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
      }
  for (guint i = 0; i < whole->len; i++)
    g_assert_true (g_hash_table_contains (seen, &g_array_index (whole, DcPoliceRow, i).session_id));
  /* within a tenth of even: sessions are numbered as they start */
  g_assert_cmpuint (ABS ((gint) even->len - (gint) odd->len), <=, whole->len / 10);
}

static gboolean
has_visit (const DcQueryResult *result, gint64 visit)
{
  for (guint i = 0; i < result->rows->len; i++)
    if (g_array_index (result->rows, DcQueryRow, i).visit_id == visit)
      return TRUE;
  return FALSE;
}

static void
test_time_edges (void)
{
  DcQueryScope scope;

  /* still open: found long after it started, and at this very moment */
  scope_time (&scope, fx.now, fx.now);
  scope_add_terminal (&scope, "X-01");
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);
    g_autoptr(GArray) expected = expect_time (scope.from, scope.to, scope.terminals);

    g_assert_cmpuint (result->rows->len, ==, 1);
    g_assert_cmpint (g_array_index (result->rows, DcQueryRow, 0).visit_id, ==, fx.open_visit);
    g_assert_cmpint (g_array_index (result->rows, DcQueryRow, 0).ended_at, ==, 0);
    check_result (result, expected);
  }
  dc_query_scope_clear (&scope);

  /* and at the very moment it started (both ends of a scope are inclusive) */
  scope_time (&scope, fx.open_started, fx.open_started);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);
    g_autoptr(GArray) expected = expect_time (scope.from, scope.to, NULL);

    g_assert_true (has_visit (result, fx.open_visit));
    check_result (result, expected);
  }
  dc_query_scope_clear (&scope);

  /* a session from the evening before, still on at 01:00 */
  scope_time (&scope, fx.span_point, fx.span_point);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);
    g_autoptr(GArray) expected = expect_time (scope.from, scope.to, NULL);

    g_assert_true (has_visit (result, fx.span_visit));
    check_result (result, expected);
  }
  dc_query_scope_clear (&scope);

  /* a seat move: both sessions in a range covering it, one at a point */
  scope_time (&scope, fx.move_from, fx.move_to);
  scope_add_terminal (&scope, "X-03");
  scope_add_terminal (&scope, "X-04");
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);

    g_assert_cmpuint (result->rows->len, ==, 2);
    g_assert_cmpstr (g_array_index (result->rows, DcQueryRow, 0).terminal, ==, "X-03");
    g_assert_cmpstr (g_array_index (result->rows, DcQueryRow, 1).terminal, ==, "X-04");
    g_assert_cmpuint (result->visits, ==, 1);
    g_assert_cmpuint (result->sessions, ==, 2);
  }
  scope.to = scope.from;
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);

    g_assert_cmpuint (result->rows->len, ==, 1);
    g_assert_cmpstr (g_array_index (result->rows, DcQueryRow, 0).terminal, ==, "X-03");
  }
  dc_query_scope_clear (&scope);
}

static void
test_time_plan (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plan = dc_db_police_time_plan (dc_store_db (fx.store), &error);
  gboolean length_search = FALSE, open_search = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < plan->len; i++)
    {
      const char *line = g_ptr_array_index (plan, i);

      g_test_message ("plan: %s", line);
      /* the sessions are searched through indexes, never read whole */
      g_assert_false (g_str_has_prefix (line, "SCAN terminal_sessions"));
      g_assert_false (g_str_has_prefix (line, "SCAN s"));
      g_assert_false (g_str_has_prefix (line, "SCAN o"));
      length_search |= strstr (line, "sessions_length") != NULL;
      open_search |= strstr (line, "sessions_one_open") != NULL;
    }
  g_assert_true (length_search);
  g_assert_true (open_search);
}

/* The halves of a time query compare the newest audit entry each read transaction saw: a
 * change committed between them must show as another head, and a transaction must keep
 * reading its own moment. */
/* One row naming nothing but terminal @id. */
static GArray *
row_on_terminal (gint64 id)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (DcPoliceRow));

  g_array_set_clear_func (rows, (GDestroyNotify) dc_police_row_clear);
  g_array_set_size (rows, 1);
  g_array_index (rows, DcPoliceRow, 0).terminal_id = id;
  g_array_index (rows, DcPoliceRow, 0).superseded = TRUE;   /* no verifier to name */
  return rows;
}

static void
assert_terminal_named (gint64 id, const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = row_on_terminal (id);

  g_assert_true (dc_db_police_rows_name (dc_store_db (fx.store), rows, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_array_index (rows, DcPoliceRow, 0).terminal, ==, label);
}

/* The staff names and terminal labels rows are named with are kept with the connection
 * between queries; a terminal added since is named all the same, whether this connection
 * added it or another process did (daicho-ctl while the app runs). */
static void
test_names_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) other = NULL;
  g_autoptr(DcActor) manager = NULL;
  gint64 here = 0, there = 0;

  assert_terminal_named (G_MAXINT32, NULL);   /* the names are read and kept */
  g_assert_true (dc_store_add_terminal (fx.store, fx.manager, "追加-01", NULL, FALSE, &here, &error));
  g_assert_no_error (error);
  assert_terminal_named (here, "追加-01");

  other = dc_store_open (fx.dir, &error);
  g_assert_no_error (error);
  manager = dc_store_sign_in_passphrase (other, "店長", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_terminal (other, manager, "追加-02", NULL, TRUE, &there, &error));
  g_assert_no_error (error);
  assert_terminal_named (there, "追加-02");
  assert_terminal_named (here, "追加-01");
}

static void
test_halves_moment (void)
{
  g_autoptr(GError) error = NULL;
  DcDb *reader = dc_store_reader (fx.store, &error);
  gint64 head_before = 0, head_after = 0, staff_before, staff_seen;
  gboolean found;

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  g_assert_true (dc_store_reader (fx.store, NULL) == reader);   /* one, kept */

  g_assert_true (dc_db_read_begin (reader, &head_before, &error));
  g_assert_true (dc_db_int (reader, &staff_before, &found, &error, "SELECT count (*) FROM staff", ""));
  /* the writing connection commits a change meanwhile */
  g_assert_true (dc_store_add_staff (fx.store, fx.manager, "受付二", "counter", "5678", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dc_db_int (reader, &staff_seen, &found, &error, "SELECT count (*) FROM staff", ""));
  g_assert_cmpint (staff_seen, ==, staff_before);   /* still the moment it began */
  dc_db_read_end (reader);

  g_assert_true (dc_db_read_begin (reader, &head_after, &error));
  g_assert_true (dc_db_int (reader, &staff_seen, &found, &error, "SELECT count (*) FROM staff", ""));
  dc_db_read_end (reader);
  g_assert_cmpint (staff_seen, ==, staff_before + 1);
  g_assert_cmpint (head_after, >, head_before);

  /* the reader reads only */
  g_assert_false (dc_db_exec (reader, "DELETE FROM terminal_sessions WHERE id < 0", &error));
  g_assert_nonnull (error);
}

/* ---- cases: people against the brute force ---- */

/* @name with its spaces typed another way: the normalisation must not care. */
static char *
respaced (const char *name, guint how)
{
  g_auto(GStrv) parts = g_strsplit (name, " ", -1);

  return g_strjoinv (how % 3 == 0 ? "\u3000" : how % 3 == 1 ? "" : "  ", parts);
}

static void
test_people_brute (void)
{
  guint documents = 0, matched_others = 0;

  for (guint i = 0; i < N_PEOPLE; i++)
    {
      BVer *v = g_ptr_array_index (fx.brute.ver_list, g_rand_int_range (fx.rand, 0, fx.brute.ver_list->len));
      const DcIdentity *id = &v->record->identity;
      g_autofree char *typed = respaced (id->name, i);
      const char *member = g_hash_table_lookup (fx.brute.members, &v->customer_id);
      NameDob person_q = { v->name, &id->dob };
      DcQueryScope scope;
      GArray *expected;

      scope_person (&scope, DC_QUERY_PERSON, typed, &id->dob);
      check_query (&scope, expect_people (match_person, &person_q));
      dc_query_scope_clear (&scope);

      scope_person (&scope, DC_QUERY_NAME, typed, NULL);
      expected = expect_people (match_name, v->name);
      for (guint j = 0; j < expected->len; j++)
        {
          BVisit *visit = g_hash_table_lookup (fx.brute.visits, &g_array_index (expected, Expected, j).visit_id);

          matched_others += visit->customer_id != v->customer_id;
        }
      check_query (&scope, expected);
      dc_query_scope_clear (&scope);

      if (v->number != NULL)
        {
          Doc doc = { v->doc_type, v->number };

          scope_document (&scope, v->doc_type, id->doc_number);
          check_query (&scope, expect_people (match_document, &doc));
          dc_query_scope_clear (&scope);
          documents++;
        }

      scope_member (&scope, member);
      check_query (&scope, expect_people (match_member, member));
      dc_query_scope_clear (&scope);
    }
  g_test_message ("%u people, %u by document; name-only results held %u rows of others", N_PEOPLE, documents,
                  matched_others);
  g_assert_cmpuint (documents, >, N_PEOPLE / 3);
}

static void
test_people_edges (void)
{
  DcQueryScope scope;
  GDate dob;

  /* a corrected record: found by the old name and the new, shown as corrected, as now */
  scope_person (&scope, DC_QUERY_NAME, "白川 訂", NULL);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);
    const DcQueryRow *row;

    g_assert_cmpuint (result->rows->len, ==, 1);
    row = &g_array_index (result->rows, DcQueryRow, 0);
    g_assert_true (row->corrected);
    g_assert_cmpint (row->verification_id, ==, fx.corrected_newest);
    g_assert_cmpstr (row->identity->identity.name, ==, "白河 訂");
    g_assert_cmpstr (row->identity->identity.address, ==, "東京都新宿区新宿3-1-1");
  }
  dc_query_scope_clear (&scope);
  g_date_set_dmy (&dob, 15, 1, 1970);
  scope_person (&scope, DC_QUERY_PERSON, "白河訂", &dob);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);

    g_assert_cmpuint (result->rows->len, ==, 1);
    g_assert_true (g_array_index (result->rows, DcQueryRow, 0).corrected);
  }
  dc_query_scope_clear (&scope);

  /* one name, two people: the date of birth tells them apart, the name alone does not */
  g_date_set_dmy (&dob, 7, 7, 1985);
  scope_person (&scope, DC_QUERY_PERSON, "山田 太郎", &dob);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);

    g_assert_cmpuint (result->customers, ==, 1);
    g_assert_cmpint (g_array_index (result->rows, DcQueryRow, 0).customer_id, ==, fx.yamada_b);
  }
  dc_query_scope_clear (&scope);
  scope_person (&scope, DC_QUERY_NAME, "やまだ たろう", NULL);   /* a reading is not a name */
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);

    g_assert_cmpuint (result->rows->len, ==, 0);
    g_assert_cmpuint (result->visits, ==, 0);
  }
  dc_query_scope_clear (&scope);
  scope_person (&scope, DC_QUERY_NAME, "山田太郎", NULL);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);
    gboolean a = FALSE, b = FALSE;

    for (guint i = 0; i < result->rows->len; i++)
      {
        a |= g_array_index (result->rows, DcQueryRow, i).customer_id == fx.yamada_a;
        b |= g_array_index (result->rows, DcQueryRow, i).customer_id == fx.yamada_b;
      }
    g_assert_true (a && b);
  }
  dc_query_scope_clear (&scope);

  /* a visit that used no terminal: one row without a session, newest first */
  scope_member (&scope, fx.bare_member);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);
    const DcQueryRow *first;

    g_assert_cmpuint (result->rows->len, ==, 3);
    first = &g_array_index (result->rows, DcQueryRow, 0);
    g_assert_cmpint (first->visit_id, ==, fx.bare_visit);
    g_assert_cmpint (first->session_id, ==, 0);
    g_assert_null (first->terminal);
    g_assert_cmpuint (result->sessions, ==, 2);
    g_assert_cmpuint (result->visits, ==, 2);
    g_assert_cmpstr (g_array_index (result->rows, DcQueryRow, 1).terminal, ==, "X-03");
    g_assert_cmpstr (g_array_index (result->rows, DcQueryRow, 2).terminal, ==, "X-04");
  }
  dc_query_scope_clear (&scope);

  /* a well-formed member number nobody has is an empty answer, not an error */
  dc_query_scope_init (&scope);
  scope.kind = DC_QUERY_MEMBER;
  scope.member_number = dc_member_number_for_id (999999);
  {
    g_autoptr(GError) error = NULL;
    DcQueryResult *result;

    result = dc_police_query (fx.store, fx.manager, &scope, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (result->rows->len, ==, 0);
    dc_query_result_free (result);
  }
  dc_query_scope_clear (&scope);
}

/* Two different names under one coarse name index: the name query must tell them apart. */
static void
test_name_collision (void)
{
  g_autoptr(GHashTable) by_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  const DcVault *vault = dc_actor_vault (fx.manager);
  const BVer *first = NULL, *second = NULL;
  DcQueryScope scope;

  for (guint i = 0; i < fx.brute.ver_list->len && second == NULL; i++)
    {
      const BVer *v = g_ptr_array_index (fx.brute.ver_list, i);
      guint32 index = dc_vault_name_index (vault, v->name);
      const BVer *other = g_hash_table_lookup (by_index, GUINT_TO_POINTER (index + 1));

      if (other == NULL)
        g_hash_table_insert (by_index, GUINT_TO_POINTER (index + 1), (gpointer) v);
      else if (!g_str_equal (other->name, v->name))
        {
          first = other;
          second = v;
        }
    }
  g_assert_nonnull (second);
  g_test_message ("names sharing index %u found", dc_vault_name_index (vault, first->name));

  /* the pair made on purpose */
  scope_person (&scope, DC_QUERY_NAME, "桐生 夜舟", NULL);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);

    g_assert_cmpuint (result->rows->len, ==, 1);
    g_assert_cmpint (g_array_index (result->rows, DcQueryRow, 0).customer_id, ==, fx.kiryu);
    g_assert_cmpint (g_array_index (result->rows, DcQueryRow, 0).customer_id, !=, fx.collider);
  }
  dc_query_scope_clear (&scope);

  scope_person (&scope, DC_QUERY_NAME, first->record->identity.name, NULL);
  {
    g_autoptr(DcQueryResult) result = run_query (&scope, 0);

    g_assert_cmpuint (result->rows->len, >, 0);
    for (guint i = 0; i < result->rows->len; i++)
      g_assert_cmpint (g_array_index (result->rows, DcQueryRow, i).customer_id, !=, second->customer_id);
    g_autoptr(GArray) expected = expect_people (match_name, first->name);

    check_result (result, expected);
  }
  dc_query_scope_clear (&scope);
}

/* ---- cases: the query log ---- */

static void
test_logged (void)
{
  g_autoptr(GError) error = NULL;
  DcQueryScope scopes[5];
  GDate dob;

  g_date_set_dmy (&dob, 3, 2, 1988);
  scope_time (&scopes[0], fx.move_from, fx.move_to);
  scope_person (&scopes[1], DC_QUERY_PERSON, SECRET_NAME, &dob);
  scope_person (&scopes[2], DC_QUERY_NAME, SECRET_NAME, NULL);
  scope_document (&scopes[3], "drivers_license", "3099-0000-0001");
  scope_member (&scopes[4], fx.secret_member);
  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      gint64 audit = count_rows ("audit"), queries = count_rows ("queries");
      gint64 request = i % 2 == 0 ? fx.request_id : 0;
      g_autoptr(DcQueryResult) result = run_query (&scopes[i], request);
      g_autofree char *sql = NULL, *kind = NULL, *scope_text = NULL, *action = NULL;
      g_autofree char *describe = dc_query_scope_describe (fx.store, &scopes[i]);
      g_autofree char *full = dc_query_scope_describe_full (fx.store, &scopes[i]);
      static const char *const kinds[] = { "time", "person", "name", "document", "member" };
      sqlite3_stmt *stmt;
      g_autoptr(GBytes) sealed = NULL, plain = NULL;

      g_assert_cmpint (count_rows ("audit"), ==, audit + 1);
      g_assert_cmpint (count_rows ("queries"), ==, queries + 1);
      g_assert_cmpuint (result->rows->len, >, 0);
      sql = g_strdup_printf ("SELECT kind, scope, sealed_scope, sessions, visits, coalesce (disclosure_id, 0), staff_id"
                             " FROM queries WHERE id = %" G_GINT64_FORMAT, result->query_id);
      stmt = prepare (sql);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      kind = col_text (stmt, 0);
      scope_text = col_text (stmt, 1);
      g_assert_cmpstr (kind, ==, kinds[scopes[i].kind]);
      g_assert_cmpstr (scope_text, ==, describe);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, result->sessions);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 4), ==, result->visits);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 5), ==, request);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 6), ==, dc_actor_staff_id (fx.manager));
      sealed = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
      g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
      plain = dc_vault_open_sealed (dc_actor_vault (fx.manager), sealed, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), full, strlen (full));
      if (scopes[i].kind == DC_QUERY_PERSON || scopes[i].kind == DC_QUERY_NAME)
        {
          g_assert_null (strstr (describe, SECRET_NAME));
          g_assert_nonnull (strstr (full, SECRET_NAME));
        }
      g_free (sql);
      sql = g_strdup_printf ("SELECT action || ' ' || subject_table || ' ' || subject_id FROM audit"
                             " ORDER BY id DESC LIMIT 1");
      action = dc_test_sql_text (fx.view, sql);
      g_free (sql);
      sql = g_strdup_printf ("query queries %" G_GINT64_FORMAT, result->query_id);
      g_assert_cmpstr (action, ==, sql);
      dc_query_scope_clear (&scopes[i]);
    }
}

/* ---- cases: the ledger ---- */

static DcRequestInput
request_input (void)
{
  DcRequestInput input = {
    .received_at = dc_test_tokyo (2026, 3, 5, 9, 30),
    .agency = "新宿警察署 生活安全課",
    .officer = "巡査部長 佐藤 03-3346-0110",
    .reference = "新宿生安第1234号",
    .basis = DC_BASIS_INQUIRY,
    .scope = "2026年3月3日から4日までの " SECRET_NAME " の利用記録",
    .note = "電話で事前連絡あり\n担当: " SECRET_NAME " の件",
  };

  return input;
}

static void
test_ledger_add (void)
{
  g_autoptr(GError) error = NULL;
  DcRequestInput input = request_input ();
  gint64 audit = count_rows ("audit"), id = 0;
  g_autofree char *action = NULL, *scope_type = NULL;

  g_assert_true (dc_request_add (fx.store, fx.manager, &input, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  fx.request_id = id;
  g_assert_cmpint (count_rows ("audit"), ==, audit + 1);
  action = dc_test_sql_text (fx.view, "SELECT action || ' ' || subject_table FROM audit ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (action, ==, "request-add disclosures");
  /* the free text is sealed, a BLOB in its column */
  scope_type = dc_test_sql_text (fx.view, "SELECT typeof (scope) || ' ' || typeof (note) FROM disclosures"
                                          " ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (scope_type, ==, "blob blob");

  /* a second request, by the auditor, without scope or note, received "now" */
  input = request_input ();
  input.received_at = 0;
  input.scope = NULL;
  input.note = "  ";
  input.basis = DC_BASIS_INSPECTION;
  input.reference = "立入 第7号";
  g_assert_true (dc_request_add (fx.store, fx.auditor, &input, &id, &error));
  g_assert_no_error (error);
}

typedef struct {
  const char *what;
  gint        code;
} BadRequest;

static void
test_ledger_invalid (void)
{
  static const BadRequest cases[] = {
    { "counter", DC_ERROR_PERMISSION },
    { "no agency", DC_ERROR_MISSING_FIELD },
    { "no officer", DC_ERROR_MISSING_FIELD },
    { "blank reference", DC_ERROR_MISSING_FIELD },
    { "long agency", DC_ERROR_INVALID },
    { "long reference", DC_ERROR_INVALID },
    { "long note", DC_ERROR_INVALID },
    { "control character", DC_ERROR_INVALID },
    { "future", DC_ERROR_INVALID },
    { "bad basis", DC_ERROR_INVALID },
    { "bad utf-8", DC_ERROR_INVALID },
  };
  g_autofree char *long_line = g_strnfill (201, 'a');
  g_autofree char *long_ref = g_strnfill (101, '1');
  g_autofree char *long_text = g_strnfill (1001, 'x');
  gint64 audit = count_rows ("audit"), requests = count_rows ("disclosures");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DcRequestInput input = request_input ();
      DcActor *actor = fx.manager;
      g_autoptr(GError) error = NULL;
      gint64 id = -1;

      g_test_message ("bad request: %s", cases[i].what);
      switch (i)
        {
        case 0: actor = fx.counter; break;
        case 1: input.agency = NULL; break;
        case 2: input.officer = ""; break;
        case 3: input.reference = "\u3000 "; break;
        case 4: input.agency = long_line; break;
        case 5: input.reference = long_ref; break;
        case 6: input.note = long_text; break;
        case 7: input.officer = "佐藤\x07"; break;
        case 8: input.received_at = fx.now + 60 * G_USEC_PER_SEC; break;
        case 9: input.basis = (DcLegalBasis) 17; break;
        case 10: input.agency = "\xff\xfe"; break;
        default: g_assert_not_reached ();
        }
      g_assert_false (dc_request_add (fx.store, actor, &input, &id, &error));
      g_assert_error (error, DC_ERROR, cases[i].code);
      g_assert_cmpint (id, ==, -1);
    }
  g_assert_cmpint (count_rows ("audit"), ==, audit);
  g_assert_cmpint (count_rows ("disclosures"), ==, requests);
}

static DcRequest *
find_request (GArray *requests, gint64 id)
{
  for (guint i = 0; i < requests->len; i++)
    if (g_array_index (requests, DcRequest, i).id == id)
      return &g_array_index (requests, DcRequest, i);
  return NULL;
}

static void
test_ledger_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) requests = NULL;
  g_autoptr(DcRequest) one = NULL;
  DcRequestInput input = request_input ();
  DcRequest *first;
  gint64 audit = count_rows ("audit");
  g_autofree char *action = NULL;

  g_assert_null (dc_request_list (fx.store, fx.counter, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (count_rows ("audit"), ==, audit);

  requests = dc_request_list (fx.store, fx.auditor, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows ("audit"), ==, audit + 1);
  action = dc_test_sql_text (fx.view, "SELECT action || ' ' || coalesce (subject_table, '-') FROM audit"
                                      " ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (action, ==, "request-list -");
  g_assert_cmpuint (requests->len, ==, 2);
  /* newest first: the one received "now" */
  first = &g_array_index (requests, DcRequest, 0);
  g_assert_cmpstr (first->reference, ==, "立入 第7号");
  g_assert_cmpint (first->basis, ==, DC_BASIS_INSPECTION);
  g_assert_cmpint (first->received_at, ==, fx.now);
  g_assert_null (first->scope);
  g_assert_null (first->note);
  g_assert_cmpstr (first->staff, ==, "監査");
  first = find_request (requests, fx.request_id);
  g_assert_nonnull (first);
  g_assert_cmpint (first->received_at, ==, input.received_at);
  g_assert_cmpstr (first->agency, ==, input.agency);
  g_assert_cmpstr (first->officer, ==, input.officer);
  g_assert_cmpstr (first->reference, ==, input.reference);
  g_assert_cmpint (first->basis, ==, DC_BASIS_INQUIRY);
  g_assert_cmpstr (first->scope, ==, input.scope);
  g_assert_cmpstr (first->note, ==, input.note);
  g_assert_cmpstr (first->staff, ==, "店長");

  one = dc_request_get (fx.store, fx.manager, fx.request_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (one->note, ==, input.note);
  g_assert_cmpint (count_rows ("audit"), ==, audit + 2);
  g_assert_null (dc_request_get (fx.store, fx.manager, 424242, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
}

/* ---- cases: exports and their holds ---- */

#define DIGEST_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define DIGEST_B "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"

static gint64
export (const DcQueryScope *scope, const DcQueryResult *result, gboolean hold, const char *digest)
{
  g_autoptr(GError) error = NULL;
  DcExportEntry entry = {
    .request_id = fx.request_id, .query_id = result->query_id, .sessions = result->sessions,
    .visits = result->visits, .verifications = result->verifications, .manifest_sha256 = digest, .hold = hold,
    .scope = scope, .result = result,
  };
  gint64 id = 0;

  g_assert_true (dc_police_record_export (fx.store, fx.manager, &entry, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static guint
holds_for_request (GArray *holds, gint64 *range_holds)
{
  guint n = 0;

  for (guint i = 0; i < holds->len; i++)
    {
      DcHold *h = &g_array_index (holds, DcHold, i);

      if (h->disclosure_id != fx.request_id)
        continue;
      n++;
      g_assert_cmpstr (h->reason, ==, "Police request 新宿生安第1234号");
      g_assert_cmpstr (h->reference, ==, "新宿生安第1234号");
      g_assert_cmpstr (h->created_by, ==, "店長");
      *range_holds += strchr (h->scope, ':') != NULL;
    }
  return n;
}

static void
test_export_holds (void)
{
  g_autoptr(GError) error = NULL;
  DcQueryScope time_scope, name_scope;
  g_autoptr(DcQueryResult) time_result = NULL, name_result = NULL;
  g_autoptr(GArray) holds = NULL;
  g_autoptr(DcRequest) request = NULL;
  gint64 audit, e1, e2, e3, range_holds = 0;
  g_autofree char *actions = NULL;
  DcHeldSet held = { 0 };

  scope_time (&time_scope, fx.move_from, fx.move_to);
  scope_add_terminal (&time_scope, "X-03");
  time_result = run_query (&time_scope, fx.request_id);
  scope_person (&name_scope, DC_QUERY_NAME, "山田太郎", NULL);
  name_result = run_query (&name_scope, fx.request_id);
  g_assert_cmpuint (name_result->customers, >=, 2);

  audit = count_rows ("audit");
  e1 = export (&time_scope, time_result, TRUE, DIGEST_A);
  /* the export, one range hold: two entries */
  g_assert_cmpint (count_rows ("audit"), ==, audit + 2);
  actions = dc_test_sql_text (fx.view, "SELECT group_concat (action, ',') FROM (SELECT action FROM audit"
                                       " ORDER BY id DESC LIMIT 2)");
  g_assert_cmpstr (actions, ==, "export,hold-add");
  e2 = export (&name_scope, name_result, TRUE, DIGEST_B);
  g_assert_cmpint (count_rows ("audit"), ==, audit + 3 + name_result->customers);
  e3 = export (&name_scope, name_result, FALSE, DIGEST_A);
  g_assert_cmpint (count_rows ("audit"), ==, audit + 4 + name_result->customers);

  holds = dc_hold_list (fx.store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (holds_for_request (holds, &range_holds), ==, 1 + name_result->customers);
  g_assert_cmpint (range_holds, ==, 1);
  /* the range hold keeps the session of the query, which ends inside it */
  g_assert_true (dc_hold_collect (fx.store, &held, &error));
  g_assert_no_error (error);
  g_assert_true (g_hash_table_contains (held.visits, &fx.move_visit));
  g_assert_true (g_hash_table_contains (held.customers, &fx.yamada_a));
  g_assert_true (g_hash_table_contains (held.customers, &fx.yamada_b));
  dc_held_set_clear (&held);

  request = dc_request_get (fx.store, fx.manager, fx.request_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (request->exports->len, ==, 3);
  {
    DcExportRecord *r1 = &g_array_index (request->exports, DcExportRecord, 0);
    DcExportRecord *r2 = &g_array_index (request->exports, DcExportRecord, 1);
    DcExportRecord *r3 = &g_array_index (request->exports, DcExportRecord, 2);
    g_autofree char *describe = dc_query_scope_describe (fx.store, &time_scope);

    g_assert_cmpint (r1->id, ==, e1);
    g_assert_cmpint (r2->id, ==, e2);
    g_assert_cmpint (r3->id, ==, e3);
    g_assert_cmpstr (r1->scope, ==, describe);
    g_assert_cmpstr (r2->scope, ==, "name");
    g_assert_cmpstr (r1->manifest_sha256, ==, DIGEST_A);
    g_assert_cmpstr (r2->manifest_sha256, ==, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
    g_assert_cmpint (r1->holds, ==, 1);
    g_assert_cmpint (r2->holds, ==, name_result->customers);
    g_assert_cmpint (r3->holds, ==, 0);
    g_assert_cmpint (r1->sessions, ==, time_result->sessions);
    g_assert_cmpint (r2->visits, ==, name_result->visits);
    g_assert_cmpint (r2->verifications, ==, name_result->verifications);
    g_assert_cmpstr (r1->staff, ==, "店長");
    g_assert_cmpint (r1->at, ==, fx.now);
  }
  dc_query_scope_clear (&time_scope);
  dc_query_scope_clear (&name_scope);
}

static void
test_export_refused (void)
{
  DcQueryScope scope;
  g_autoptr(DcQueryResult) result = NULL, other = NULL;
  gint64 audit, exports, holds, id = -1;
  DcRequestInput input = request_input ();
  gint64 second_request = 0;
  g_autoptr(GError) error = NULL;

  input.reference = "別件 第9号";
  g_assert_true (dc_request_add (fx.store, fx.manager, &input, &second_request, &error));
  g_assert_no_error (error);
  scope_time (&scope, fx.span_point, fx.span_point);
  result = run_query (&scope, second_request);
  other = run_query (&scope, 0);
  audit = count_rows ("audit");
  exports = count_rows ("disclosure_exports");
  holds = count_rows ("holds");
  for (guint i = 0; i < 6; i++)
    {
      DcExportEntry entry = {
        .request_id = fx.request_id, .query_id = other->query_id, .manifest_sha256 = DIGEST_A, .hold = TRUE,
        .scope = &scope, .result = other,
      };
      DcActor *actor = fx.manager;
      gint code = DC_ERROR_INVALID;

      switch (i)
        {
        case 0: actor = fx.counter; code = DC_ERROR_PERMISSION; break;
        case 1: entry.manifest_sha256 = "abc"; break;
        case 2: entry.manifest_sha256 = NULL; break;
        case 3: entry.request_id = 777777; code = DC_ERROR_NOT_FOUND; break;
        case 4: entry.query_id = 888888; code = DC_ERROR_NOT_FOUND; break;
        case 5: entry.query_id = result->query_id; break;   /* made for the other request */
        default: g_assert_not_reached ();
        }
      g_assert_false (dc_police_record_export (fx.store, actor, &entry, &id, &error));
      g_assert_error (error, DC_ERROR, code);
      g_clear_error (&error);
      g_assert_cmpint (id, ==, -1);
    }
  /* nothing half-done: no export row, no hold, no entry */
  g_assert_cmpint (count_rows ("audit"), ==, audit);
  g_assert_cmpint (count_rows ("disclosure_exports"), ==, exports);
  g_assert_cmpint (count_rows ("holds"), ==, holds);
  dc_query_scope_clear (&scope);
}

/* ---- cases: what stays sealed, and the chain ---- */

/* ---- read keys ---- */

static void
keys_forget_all (void)
{
  DcDb *db = dc_store_db (fx.store);

  /* what the purge's connection alone may do */
  dc_db_allow_purge (db, TRUE);
  dc_test_sql_exec (dc_db_handle (db), "DELETE FROM identity_keys");
  dc_db_allow_purge (db, FALSE);
}

static gint64
audit_actions (const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = '%s'", action);

  return dc_test_sql_int (fx.view, sql);
}

/* Every row's identity is byte for byte what crypto_box_seal_open makes of its payload. */
static void
assert_rows_match_x25519 (const DcQueryResult *result)
{
  for (guint i = 0; i < result->rows->len; i++)
    {
      const DcQueryRow *row = &g_array_index (result->rows, DcQueryRow, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) found = NULL;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(DcIdentityRecord) record = NULL;
      const guint8 *row_data, *data;
      gsize row_size, size;

      g_array_append_val (ids, row->verification_id);
      found = dc_db_police_verifications (dc_store_db (fx.store), ids, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      plain = dc_vault_open_sealed (dc_actor_vault (fx.manager), g_array_index (found, DcPoliceVerification, 0).payload,
                                    &error);
      g_assert_no_error (error);
      record = dc_identity_record_new_from_bytes (plain, &error);
      g_assert_no_error (error);
      row_data = dc_identity_record_get_data (row->identity, &row_size);
      data = dc_identity_record_get_data (record, &size);
      g_assert_cmpmem (row_data, row_size, data, size);
    }
}

static void
scope_whole_history (DcQueryScope *scope)
{
  scope_time (scope, dc_test_sql_int (fx.view, "SELECT min (started_at) FROM terminal_sessions"),
              dc_test_sql_int (fx.view, "SELECT max (started_at) FROM terminal_sessions"));
}

/* A query with no key cached opens every record with X25519 and caches their keys with its
 * log entry (and no other audit entry); the same query again opens them all from the cache,
 * to the same bytes. */
static void
test_keys_query_caches (void)
{
  g_autoptr(DcQueryResult) cold = NULL, warm = NULL;
  DcQueryScope scope;
  gint64 entries;

  keys_forget_all ();
  scope_whole_history (&scope);
  entries = count_rows ("audit");
  cold = run_query (&scope, 0);
  g_assert_cmpuint (cold->verifications, >, 50);
  g_assert_cmpuint (cold->read_keys_used, ==, 0);
  g_assert_cmpuint (cold->read_keys_refused, ==, 0);
  g_assert_cmpuint (cold->read_keys_stored, ==, cold->verifications);
  g_assert_cmpint (count_rows ("identity_keys"), ==, cold->verifications);
  g_assert_cmpint (count_rows ("audit"), ==, entries + 1);
  /* the key of every record in force the rows rely on, and of nothing else */
  g_assert_cmpint (dc_test_sql_int (fx.view, "SELECT count (*) FROM identity_keys k JOIN verifications v"
                                             " ON v.id = k.verification_id"), ==, cold->verifications);
  assert_rows_match_x25519 (cold);

  warm = run_query (&scope, 0);
  g_assert_cmpuint (warm->read_keys_used, ==, warm->verifications);
  g_assert_cmpuint (warm->read_keys_stored, ==, 0);
  g_assert_cmpuint (warm->read_keys_refused, ==, 0);
  g_assert_cmpuint (warm->rows->len, ==, cold->rows->len);
  assert_rows_match_x25519 (warm);
  g_assert_cmpint (count_rows ("audit"), ==, entries + 2);
  dc_query_scope_clear (&scope);
}

static gboolean
fill_progress (guint64 done, guint64 total, gpointer user_data)
{
  GArray *calls = user_data;

  g_assert_cmpuint (done, <=, total);
  g_array_append_val (calls, done);
  return calls->len < 100;
}

static gboolean
fill_stop (guint64 done, guint64 total, gpointer user_data)
{
  return FALSE;
}

/* One record read as dc_read_identity reads it: X25519 and a fresh key while none is cached,
 * the cached key once kept, the same bytes either way; a PIN unlock is refused. */
static void
test_keys_one_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) found = NULL;
  g_autoptr(GBytes) reference = NULL, first = NULL, second = NULL;
  const DcPoliceVerification *v;
  DcReadKey key = { 0 };
  gint64 id = dc_test_sql_int (fx.view, "SELECT max (id) FROM verifications");

  keys_forget_all ();
  g_array_append_val (ids, id);
  found = dc_db_police_verifications (dc_store_db (fx.store), ids, &error);
  g_assert_no_error (error);
  v = &g_array_index (found, DcPoliceVerification, 0);
  reference = dc_vault_open_sealed (dc_actor_vault (fx.manager), v->payload, &error);
  g_assert_no_error (error);

  first = dc_identity_keys_open (fx.store, dc_actor_vault (fx.manager), id, v->payload, &key, &error);
  g_assert_no_error (error);
  g_assert_true (key.fresh);
  g_assert_true (g_bytes_equal (first, reference));
  g_assert_true (dc_identity_keys_keep (fx.store, id, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows ("identity_keys"), ==, 1);

  second = dc_identity_keys_open (fx.store, dc_actor_vault (fx.manager), id, v->payload, &key, &error);
  g_assert_no_error (error);
  g_assert_false (key.fresh);
  g_assert_true (g_bytes_equal (second, reference));
  g_assert_true (dc_identity_keys_keep (fx.store, id, &key, &error));
  g_assert_cmpint (count_rows ("identity_keys"), ==, 1);

  g_assert_null (dc_identity_keys_open (fx.store, dc_actor_vault (fx.counter), id, v->payload, &key, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
}

/* The fill pass: every verification gets a key, one audit entry per batch; stopped, it keeps
 * what it did; run again, it has nothing to do. Then a query opens everything from the cache. */
static void
test_keys_fill (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(DcQueryResult) result = NULL;
  gint64 total = count_rows ("verifications");
  gint64 batches = (total + DC_READ_KEYS_BATCH - 1) / DC_READ_KEYS_BATCH;
  gint64 events = audit_actions ("cache-read-keys");
  gint64 first = MIN (total, DC_READ_KEYS_BATCH);
  guint64 filled = 0;
  DcQueryScope scope;

  /* more than one batch, except in the small store made for valgrind */
  g_assert_true (total > DC_READ_KEYS_BATCH || g_getenv ("DC_TEST_POLICE_SMALL") != NULL);
  keys_forget_all ();
  g_assert_true (dc_identity_keys_fill (fx.store, fx.manager, fill_stop, NULL, &filled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (filled, ==, first);
  g_assert_cmpint (count_rows ("identity_keys"), ==, first);
  g_assert_cmpint (audit_actions ("cache-read-keys"), ==, events + 1);

  /* one step: one more batch; more to do unless that was the last */
  {
    gboolean more = FALSE;

    g_assert_true (dc_identity_keys_fill_step (fx.store, fx.manager, &more, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count_rows ("identity_keys"), ==, MIN (total, 2 * first));
    g_assert_true (more || count_rows ("identity_keys") == total);
  }
  first = count_rows ("identity_keys");
  events = audit_actions ("cache-read-keys");
  batches = (total - first + DC_READ_KEYS_BATCH - 1) / DC_READ_KEYS_BATCH;
  /* an auditor may run it too */
  g_assert_true (dc_identity_keys_fill (fx.store, fx.auditor, fill_progress, calls, &filled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (filled, ==, total - first);
  g_assert_cmpint (count_rows ("identity_keys"), ==, total);
  g_assert_cmpuint (calls->len, ==, batches);
  if (calls->len > 0)
    g_assert_cmpuint (g_array_index (calls, guint64, calls->len - 1), ==, filled);
  g_assert_cmpint (audit_actions ("cache-read-keys"), ==, events + batches);
  dc_test_assert_intact (fx.store);

  {
    gboolean more = TRUE;

    g_assert_true (dc_identity_keys_fill_step (fx.store, fx.manager, &more, &error));
    g_assert_no_error (error);
    g_assert_false (more);
  }
  g_assert_true (dc_identity_keys_fill (fx.store, fx.manager, NULL, NULL, &filled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (filled, ==, 0);
  g_assert_cmpint (audit_actions ("cache-read-keys"), ==, events + batches);

  scope_whole_history (&scope);
  result = run_query (&scope, 0);
  g_assert_cmpuint (result->read_keys_used, ==, result->verifications);
  g_assert_cmpuint (result->read_keys_stored, ==, 0);
  assert_rows_match_x25519 (result);
  dc_query_scope_clear (&scope);
}

static GBytes *
key_of (gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) found = NULL;

  g_array_append_val (ids, id);
  found = dc_db_police_verifications (dc_store_db (fx.store), ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_nonnull (g_array_index (found, DcPoliceVerification, 0).read_key);
  return g_bytes_ref (g_array_index (found, DcPoliceVerification, 0).read_key);
}

/* The careful attacker: drop the guard, change the key, put the guard back. */
/* One BLOB of one row set by @update_sql (?1 the value, ?2 the id), around the append-only
 * trigger @trigger: what someone with the file could do. */
static void
blob_rewrite (const char *trigger, const char *update_sql, gint64 id, GBytes *value)
{
  sqlite3 *h = dc_db_handle (dc_store_db (fx.store));
  g_autofree char *query = g_strdup_printf ("SELECT sql FROM sqlite_master WHERE name = '%s'", trigger);
  g_autofree char *drop = g_strdup_printf ("BEGIN; DROP TRIGGER %s;", trigger);
  g_autofree char *create = dc_test_sql_text (h, query);
  sqlite3_stmt *stmt = NULL;

  dc_test_sql_exec (h, drop);
  g_assert_cmpint (sqlite3_prepare_v2 (h, update_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (value, NULL), (int) g_bytes_get_size (value), SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (h), ==, 1);
  sqlite3_finalize (stmt);
  dc_test_sql_exec (h, create);
  dc_test_sql_exec (h, "COMMIT");
}

static void
key_rewrite (gint64 id, GBytes *wrapped)
{
  blob_rewrite ("identity_keys_no_update", "UPDATE identity_keys SET wrapped = ?1 WHERE verification_id = ?2", id,
                wrapped);
}

/* A cached key altered, or one moved from another record, is refused: the record is opened
 * with X25519 instead, to the same bytes, and the chain records that a key was refused.
 * Falling back rather than failing: the sealed payload is the record and opens on its own,
 * so a damaged cache must not stop an answer the police are owed; it only costs an X25519. */
static void
test_keys_tampered (void)
{
  g_autoptr(DcQueryResult) before = NULL, after = NULL, moved = NULL;
  g_autoptr(GError) error = NULL;
  DcQueryScope scope;
  gint64 a, b, refusals = audit_actions ("read-key-refused");

  scope_time (&scope, fx.span_point, fx.span_point);
  before = run_query (&scope, 0);
  g_assert_cmpuint (before->verifications, >=, 2);
  g_assert_cmpuint (before->read_keys_used, ==, before->verifications);
  a = g_array_index (before->rows, DcQueryRow, 0).verification_id;
  b = 0;
  for (guint i = 1; i < before->rows->len && b == 0; i++)
    if (g_array_index (before->rows, DcQueryRow, i).verification_id != a)
      b = g_array_index (before->rows, DcQueryRow, i).verification_id;
  g_assert_cmpint (b, !=, 0);

  /* one bit of the wrapped key's ciphertext */
  {
    g_autoptr(GBytes) good = key_of (a);
    g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
    g_autoptr(GBytes) altered = NULL;

    bad[30] ^= 0x04;
    altered = g_bytes_new (bad, g_bytes_get_size (good));
    key_rewrite (a, altered);
  }
  after = run_query (&scope, 0);
  g_assert_cmpuint (after->read_keys_refused, ==, 1);
  g_assert_cmpuint (after->read_keys_used, ==, after->verifications - 1);
  g_assert_cmpuint (after->read_keys_stored, ==, 0);
  g_assert_cmpuint (after->rows->len, ==, before->rows->len);
  assert_rows_match_x25519 (after);
  g_assert_cmpint (audit_actions ("read-key-refused"), ==, refusals + 1);

  /* b's genuine key put in place of a's */
  {
    g_autoptr(GBytes) theirs = key_of (b);

    key_rewrite (a, theirs);
  }
  g_assert_cmpint (dc_test_sql_int (fx.view, "SELECT count (DISTINCT wrapped) FROM identity_keys"), <,
                   count_rows ("identity_keys"));
  moved = run_query (&scope, 0);
  g_assert_cmpuint (moved->read_keys_refused, ==, 1);
  assert_rows_match_x25519 (moved);
  g_assert_cmpint (audit_actions ("read-key-refused"), ==, refusals + 2);
  dc_test_assert_intact (fx.store);
  dc_query_scope_clear (&scope);
}

static void
payload_rewrite (gint64 id, GBytes *payload)
{
  blob_rewrite ("verifications_no_update", "UPDATE verifications SET payload = ?1 WHERE id = ?2", id, payload);
}

/* With every read key cached, the query is logged while its records are opened: a record
 * that then does not open fails the query, with nothing shown, and the log keeps that it was
 * asked. Restored, the same query answers again. */
static void
test_keys_damaged_payload (void)
{
  g_autoptr(DcQueryResult) before = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = NULL, bad = NULL;
  DcQueryScope scope;
  gint64 id, queries;
  sqlite3_stmt *stmt;

  scope_time (&scope, fx.span_point, fx.span_point);
  before = run_query (&scope, 0);
  g_assert_cmpuint (before->rows->len, >, 0);
  g_assert_cmpuint (before->read_keys_used, ==, before->verifications);
  id = g_array_index (before->rows, DcQueryRow, 0).verification_id;
  stmt = prepare ("SELECT payload FROM verifications WHERE id = ?");
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  good = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
  {
    g_autofree guint8 *flipped = g_memdup2 (g_bytes_get_data (good, NULL), g_bytes_get_size (good));

    flipped[g_bytes_get_size (good) - 1] ^= 0x01;
    bad = g_bytes_new (flipped, g_bytes_get_size (good));
  }

  payload_rewrite (id, bad);
  queries = count_rows ("queries");
  g_assert_null (dc_police_query (fx.store, fx.manager, &scope, 0, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_assert_cmpint (count_rows ("queries"), ==, queries + 1);
  g_clear_error (&error);

  payload_rewrite (id, good);
  again = run_query (&scope, 0);
  g_assert_cmpuint (again->rows->len, ==, before->rows->len);
  assert_rows_match_x25519 (again);
  dc_test_assert_intact (fx.store);
  dc_query_scope_clear (&scope);
}

/* The counter's PIN unlock has no read key: it can neither fill the cache nor open a
 * record with a cached key, though the keys are in the file it writes to. */
static void
test_keys_counter (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) found = NULL;
  const DcPoliceVerification *v;
  guint8 out[4096];
  gint64 id = dc_test_sql_int (fx.view, "SELECT max (verification_id) FROM identity_keys");

  g_assert_false (dc_identity_keys_fill (fx.store, fx.counter, NULL, NULL, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_identity_keys_fill (fx.store, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);

  g_array_append_val (ids, id);
  found = dc_db_police_verifications (dc_store_db (fx.store), ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  v = &g_array_index (found, DcPoliceVerification, 0);
  g_assert_nonnull (v->read_key);
  g_assert_cmpuint (g_bytes_get_size (v->payload) - crypto_box_SEALBYTES, <=, sizeof out);
  g_assert_false (dc_vault_open_sealed_cached_to (dc_actor_vault (fx.counter), v->payload, v->id, v->read_key, out,
                                                  g_bytes_get_size (v->payload) - crypto_box_SEALBYTES, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  /* the manager's unlock opens it with the same key */
  g_assert_true (dc_vault_open_sealed_cached_to (dc_actor_vault (fx.manager), v->payload, v->id, v->read_key, out,
                                                 g_bytes_get_size (v->payload) - crypto_box_SEALBYTES, &error));
  g_assert_no_error (error);
  sodium_memzero (out, sizeof out);
}

static void
assert_store_lacks (const char *needle, const char *when)
{
  g_autoptr(GDir) dir = g_dir_open (fx.dir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx.dir, name, NULL);

      if (dc_test_file_contains (path, needle))
        g_test_message ("“%s” in clear in %s (%s)", needle, name, when);
      g_assert_false (dc_test_file_contains (path, needle));
    }
}

static void
test_plaintext (void)
{
  g_autofree char *wal = g_build_filename (fx.dir, DC_STORE_DB_NAME "-wal", NULL);
  g_autofree char *db = g_build_filename (fx.dir, DC_STORE_DB_NAME, NULL);
  g_autoptr(GError) error = NULL;

  /* the scan sees the ledger's clear columns, so it would see a name */
  g_assert_true (dc_test_file_contains (wal, "新宿生安第1234号") || dc_test_file_contains (db, "新宿生安第1234号"));
  assert_store_lacks (SECRET_NAME, "before a checkpoint");
  assert_store_lacks (SECRET_NAME_NORM, "before a checkpoint");
  assert_store_lacks ("松平", "before a checkpoint");
  g_assert_true (dc_store_checkpoint (fx.store, &error));
  g_assert_no_error (error);
  assert_store_lacks (SECRET_NAME, "after a checkpoint");
  assert_store_lacks ("鏡太郎", "after a checkpoint");
}

static void
test_verify (void)
{
  dc_test_assert_intact (fx.store);
}

/* ---- the fixture ---- */

static void
fixture_setup (void)
{
  g_autofree char *path = NULL;

  fx.rand = g_rand_new_with_seed (20260304);
  make_history ();
  make_edge_cases ();
  path = g_build_filename (fx.dir, DC_STORE_DB_NAME, NULL);
  g_assert_cmpint (sqlite3_open_v2 (path, &fx.view, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  brute_load (&fx.brute);
}

static void
fixture_teardown (void)
{
  brute_clear (&fx.brute);
  sqlite3_close (fx.view);
  g_clear_pointer (&fx.manager, dc_actor_free);
  g_clear_pointer (&fx.auditor, dc_actor_free);
  g_clear_pointer (&fx.counter, dc_actor_free);
  g_clear_pointer (&fx.store, dc_store_free);
  dc_test_remove_tree (fx.root);
  g_clear_pointer (&fx.root, g_free);
  g_clear_pointer (&fx.dir, g_free);
  g_clear_pointer (&fx.bare_member, g_free);
  g_clear_pointer (&fx.secret_member, g_free);
  g_clear_pointer (&fx.rand, g_rand_free);
}

int
main (int argc, char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_assert_true (dc_crypto_init ());
  fixture_setup ();

  g_test_add_func ("/police/basis/codes-and-labels", test_basis);
  g_test_add_func ("/police/scope/describe", test_scope_describe);
  g_test_add_func ("/police/query/permission", test_permission);
  g_test_add_func ("/police/query/bad-scopes", test_bad_scopes);
  g_test_add_func ("/police/query/plan", test_time_plan);
  g_test_add_func ("/police/query/time-brute-force", test_time_brute);
  g_test_add_func ("/police/query/time-edges", test_time_edges);
  g_test_add_func ("/police/query/time-parts", test_time_parts);
  g_test_add_func ("/police/query/people-brute-force", test_people_brute);
  g_test_add_func ("/police/query/people-edges", test_people_edges);
  g_test_add_func ("/police/query/name-collision", test_name_collision);
  g_test_add_func ("/police/ledger/add", test_ledger_add);
  g_test_add_func ("/police/ledger/invalid", test_ledger_invalid);
  g_test_add_func ("/police/ledger/list-and-get", test_ledger_list);
  g_test_add_func ("/police/log/queries", test_logged);
  g_test_add_func ("/police/export/holds", test_export_holds);
  g_test_add_func ("/police/export/refused", test_export_refused);
  g_test_add_func ("/police/read-keys/query-caches", test_keys_query_caches);
  g_test_add_func ("/police/read-keys/one-record", test_keys_one_record);
  g_test_add_func ("/police/read-keys/fill", test_keys_fill);
  g_test_add_func ("/police/read-keys/damaged-payload", test_keys_damaged_payload);
  g_test_add_func ("/police/read-keys/tampered-or-moved", test_keys_tampered);
  g_test_add_func ("/police/read-keys/counter", test_keys_counter);
  g_test_add_func ("/police/sealed/plaintext", test_plaintext);
  g_test_add_func ("/police/sealed/verify", test_verify);
  g_test_add_func ("/police/names/kept-and-fresh", test_names_kept);
  /* last: it adds a member of staff */
  g_test_add_func ("/police/query/halves-one-moment", test_halves_moment);

  status = g_test_run ();
  fixture_teardown ();
  return status;
}
