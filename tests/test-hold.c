/* tests/test-hold.c — holds: who may place and release them, bad input, what each kind keeps, and their audit entries. */
#include "dc-checkin.h"
#include "dc-db-records.h"
#include "dc-hold.h"
#include "dc-test-util.h"

#include <locale.h>
#include <string.h>

#define PASSPHRASE         "correct horse battery"
#define PIN                "4321"
#define COUNTER_PIN        "1111"
#define AUDITOR_PASSPHRASE "auditor passphrase 2026"

/* ids, ending at the first 0 */
#define IDS(...) ((const gint64[]) { __VA_ARGS__, 0 })

/* One store for every case (Argon2 is slow), copied for each. On 2026-03-04 Taro uses PC-01
 * 10:00–12:00; Hanako PC-02 from 13:30, moves to PC-04 at 14:10, leaves 15:30; Jiro sits
 * at PC-03 from 14:30 and never leaves. On 03-05 Taro's record is corrected twice and he
 * comes back 13:00–14:00 on his card (the newest version); on 03-06 Saburo uses PC-02 09:00–10:00. */
typedef struct {
  DcTestTemplate base;
  DcActor       *auditor;
  gint64         now;
  gint64         pc[5];               /* terminal ids, PC-01 … PC-04 */
  gint64         taro, hanako, jiro, saburo;
  char          *taro_member;
  gint64         v1, v2, v3, v4, v5;  /* visits */
  gint64         r1, r1a, r1b;        /* Taro's record and its two corrections */
  gint64         r2, r4, r5;
} World;

/* ---- building the world ---- */

static void
person (DcIdentity *id, const char *name, guint day)
{
  dc_test_identity_fill (id, 2035);
  id->name = name;
  g_date_set_dmy (&id->dob, (GDateDay) day, 4, 1990);
}

static void
at (World *w, int d, int h, int mi)
{
  w->now = dc_test_tokyo (2026, 3, d, h, mi);
}

static void
checkin (World *w, DcStore *store, const char *name, guint day, const char *terminal, gint64 *customer,
         gint64 *visit, gint64 *verification)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };

  person (&request.identity, name, day);
  g_assert_true (dc_checkin (store, w->base.counter, &request, &result, &error));
  g_assert_no_error (error);
  *customer = result.customer_id;
  *visit = result.visit_id;
  *verification = result.verification_id;
  if (customer == &w->taro)
    w->taro_member = g_strdup (result.member_number);
  dc_checkin_result_clear (&result);
}

static void
checkout (World *w, DcStore *store, const char *terminal)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_checkout (store, w->base.counter, terminal, 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
}

static gint64
correct (World *w, DcStore *store, gint64 verification, const char *address)
{
  g_autoptr(GError) error = NULL;
  DcIdentity id;
  gint64 out = 0;

  person (&id, "山田 太郎", 1);
  id.address = address;
  g_assert_true (dc_correct_identity (store, w->base.manager, verification, &id, "住所の誤記", &out, NULL, &error));
  g_assert_no_error (error);
  return out;
}

static void
world_staff (World *w, DcStore *store)
{
  g_autoptr(GError) error = NULL;

  w->base.manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, w->base.manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_true (dc_store_add_staff (store, w->base.manager, "Aki", "auditor", "4444", AUDITOR_PASSPHRASE, NULL,
                                     &error));
  g_assert_no_error (error);
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%02u", i);

      g_assert_true (dc_store_add_terminal (store, w->base.manager, label, NULL, TRUE, &w->pc[i], &error));
      g_assert_no_error (error);
    }
  w->base.counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
  w->auditor = dc_store_sign_in_passphrase (store, "Aki", AUDITOR_PASSPHRASE, &error);
  g_assert_no_error (error);
}

static void
world_visits (World *w, DcStore *store)
{
  g_autoptr(GError) error = NULL;
  DcCheckinResult result = { 0 };

  at (w, 4, 10, 0);
  checkin (w, store, "山田 太郎", 1, "PC-01", &w->taro, &w->v1, &w->r1);
  at (w, 4, 12, 0);
  checkout (w, store, "PC-01");
  at (w, 4, 13, 30);
  checkin (w, store, "佐藤 花子", 2, "PC-02", &w->hanako, &w->v3, &w->r2);
  at (w, 4, 14, 10);
  g_assert_true (dc_move (store, w->base.counter, "PC-02", "PC-04", &error));
  g_assert_no_error (error);
  at (w, 4, 14, 30);
  checkin (w, store, "鈴木 次郎", 3, "PC-03", &w->jiro, &w->v4, &w->r4);
  at (w, 4, 15, 30);
  checkout (w, store, "PC-04");

  at (w, 5, 9, 0);
  w->r1a = correct (w, store, w->r1, "東京都新宿区西新宿2-8-2");
  at (w, 5, 9, 10);
  w->r1b = correct (w, store, w->r1a, "東京都新宿区西新宿2-8-3");
  at (w, 5, 13, 0);
  g_assert_true (dc_checkin_member (store, w->base.counter, w->taro_member, "PC-01", &result, &error));
  g_assert_no_error (error);
  w->v2 = result.visit_id;
  g_assert_cmpint (result.verification_id, ==, w->r1b);
  dc_checkin_result_clear (&result);
  at (w, 5, 14, 0);
  checkout (w, store, "PC-01");

  at (w, 6, 9, 0);
  checkin (w, store, "高橋 三郎", 4, "PC-02", &w->saburo, &w->v5, &w->r5);
  at (w, 6, 10, 0);
  checkout (w, store, "PC-02");
}

static void
world_ensure (World *w)
{
  g_autoptr(DcStore) store = NULL;
  DcStoreSetup setup = {
    .name = "テスト店",
    .operator_name = "株式会社テスト",
    .prefecture = "tokyo",
    .manager = "Hana",
  };

  if (!dc_test_template_start (&w->base, "hold"))
    return;
  at (w, 1, 9, 0);
  store = dc_test_store_create (w->base.dir, &setup, PASSPHRASE, PIN, NULL);
  dc_test_store_use_clock (store, &w->now);
  world_staff (w, store);
  world_visits (w, store);
}

/* A copy of the world, open, its clock at 2026-03-07 12:00. */
static DcStore *
fresh_store (World *w)
{
  world_ensure (w);
  at (w, 7, 12, 0);
  return dc_test_template_open (&w->base, &w->now);
}

/* ---- helpers ---- */

static DcHoldScope
one (DcHoldKind kind, gint64 id)
{
  DcHoldScope scope = { .kind = kind, .id = id };

  return scope;
}

/* A range; @terminals end at the first 0. */
static DcHoldScope
range (gint64 from, gint64 to, const gint64 *terminals)
{
  DcHoldScope scope = { .kind = DC_HOLD_RANGE, .from = from, .to = to };

  for (guint i = 0; terminals != NULL && terminals[i] != 0; i++)
    {
      if (scope.terminals == NULL)
        scope.terminals = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (scope.terminals, terminals[i]);
    }
  return scope;
}

static gint64
hold_add (DcStore *store, DcActor *actor, DcHoldScope *scope, const char *reason, const char *reference)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (dc_hold_add (store, actor, scope, reason, reference, 0, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  dc_hold_scope_clear (scope);
  return id;
}

static void
hold_release (DcStore *store, DcActor *manager, gint64 id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_hold_release (store, manager, id, "捜査終了", &error));
  g_assert_no_error (error);
}

static gint64
audit_count (DcStore *store, const char *action, gint64 hold_id, DcActor *actor)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = '%s'"
                                          " AND subject_table = 'holds' AND subject_id = ? AND staff_id = %"
                                          G_GINT64_FORMAT, action, dc_actor_staff_id (actor));

  return dc_test_db_int (store, sql, hold_id);
}

static gint64
total (DcStore *store, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s WHERE ? = 0", table);

  return dc_test_db_int (store, sql, 0);
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static char *
ids_text (GHashTable *set)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "", g_array_index (ids, gint64, i));
  return g_string_free (text, FALSE);
}

static void
assert_ids (GHashTable *set, const gint64 *expected)
{
  g_autoptr(GHashTable) want = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *got_text = ids_text (set);
  g_autofree char *want_text = NULL;

  for (guint i = 0; expected[i] != 0; i++)
    g_hash_table_add (want, g_memdup2 (&expected[i], sizeof (gint64)));
  want_text = ids_text (want);
  g_assert_cmpstr (got_text, ==, want_text);
}

static void
collect (DcStore *store, DcHeldSet *set)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_hold_collect (store, set, &error));
  g_assert_no_error (error);
  g_assert_nonnull (set->visits);
  g_assert_nonnull (set->verifications);
  g_assert_nonnull (set->customers);
}

static void
assert_collect (DcStore *store, const gint64 *visits, const gint64 *verifications, const gint64 *customers)
{
  DcHeldSet set = { 0 };

  collect (store, &set);
  assert_ids (set.visits, visits);
  assert_ids (set.verifications, verifications);
  assert_ids (set.customers, customers);
  dc_held_set_clear (&set);
}

static gint64
tokyo (int d, int h, int mi)
{
  return dc_test_tokyo (2026, 3, d, h, mi);
}

/* ---- placing holds ---- */

static void
test_add_kinds (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GArray) holds = NULL;
  g_autoptr(GError) error = NULL;
  DcHoldScope scope = { 0 };
  gint64 ids[5];
  g_autofree char *raw_visit = NULL, *raw_customer = NULL, *raw_verification = NULL;
  g_autofree char *raw_range = NULL, *raw_span = NULL;
  g_autofree char *want_visit = NULL, *want_customer = NULL, *want_verification = NULL;
  g_autofree char *want_range = NULL, *want_member = NULL, *want_hold_visit = NULL, *want_span = NULL;
  g_autofree char *want_hold_verification = NULL;
  static const char *const expected_reasons[] = { "日付をまたぐ", "端末指定", "記録", "会員", "捜査関係事項照会" };

  scope = one (DC_HOLD_VISIT, w->v1);
  ids[0] = hold_add (store, w->base.manager, &scope, "  捜査関係事項照会  ", "  警視庁 2026-123 ");
  g_assert_true (dc_hold_scope_for_member (store, w->taro_member, &scope, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scope.kind, ==, DC_HOLD_CUSTOMER);
  g_assert_cmpint (scope.id, ==, w->taro);
  ids[1] = hold_add (store, w->base.manager, &scope, "会員", "   ");
  scope = one (DC_HOLD_VERIFICATION, w->r1a);
  ids[2] = hold_add (store, w->base.manager, &scope, "記録", NULL);
  /* terminals given unsorted and twice, by id and by label */
  scope = range (tokyo (4, 14, 0), tokyo (4, 15, 0), IDS (w->pc[4], w->pc[3]));
  g_assert_true (dc_hold_scope_add_terminal (store, &scope, "PC-04", &error));
  g_assert_no_error (error);
  ids[3] = hold_add (store, w->base.manager, &scope, "端末指定", NULL);
  scope = range (tokyo (4, 23, 0), tokyo (5, 1, 0), NULL);
  ids[4] = hold_add (store, w->base.manager, &scope, "日付をまたぐ", NULL);
  for (guint i = 1; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (ids[i], >, ids[i - 1]);

  /* the machine form */
  raw_visit = dc_test_db_text (store, "SELECT scope FROM holds WHERE id = ?", ids[0]);
  raw_customer = dc_test_db_text (store, "SELECT scope FROM holds WHERE id = ?", ids[1]);
  raw_verification = dc_test_db_text (store, "SELECT scope FROM holds WHERE id = ?", ids[2]);
  raw_range = dc_test_db_text (store, "SELECT scope FROM holds WHERE id = ?", ids[3]);
  raw_span = dc_test_db_text (store, "SELECT scope FROM holds WHERE id = ?", ids[4]);
  want_visit = g_strdup_printf ("visit:%" G_GINT64_FORMAT, w->v1);
  want_customer = g_strdup_printf ("customer:%" G_GINT64_FORMAT, w->taro);
  want_verification = g_strdup_printf ("verification:%" G_GINT64_FORMAT, w->r1a);
  want_range = g_strdup_printf ("range:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ",%"
                                G_GINT64_FORMAT, tokyo (4, 14, 0), tokyo (4, 15, 0), w->pc[3], w->pc[4]);
  g_assert_cmpstr (raw_visit, ==, want_visit);
  g_assert_cmpstr (raw_customer, ==, want_customer);
  g_assert_cmpstr (raw_verification, ==, want_verification);
  want_span = g_strdup_printf ("range:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, tokyo (4, 23, 0), tokyo (5, 1, 0));
  g_assert_cmpstr (raw_range, ==, want_range);
  g_assert_cmpstr (raw_span, ==, want_span);

  /* the readable form, newest first */
  holds = dc_hold_list (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (holds->len, ==, 5);
  want_hold_visit = g_strdup_printf ("visit %" G_GINT64_FORMAT, w->v1);
  want_member = g_strdup_printf ("member %s", w->taro_member);
  want_hold_verification = g_strdup_printf ("verification %" G_GINT64_FORMAT, w->r1a);
  g_assert_cmpstr (g_array_index (holds, DcHold, 0).scope, ==, "2026-03-04 23:00 – 2026-03-05 01:00");
  g_assert_cmpstr (g_array_index (holds, DcHold, 1).scope, ==, "2026-03-04 14:00 – 15:00 (PC-03, PC-04)");
  g_assert_cmpstr (g_array_index (holds, DcHold, 2).scope, ==, want_hold_verification);
  g_assert_cmpstr (g_array_index (holds, DcHold, 3).scope, ==, want_member);
  g_assert_cmpstr (g_array_index (holds, DcHold, 4).scope, ==, want_hold_visit);
  for (guint i = 0; i < holds->len; i++)
    {
      const DcHold *h = &g_array_index (holds, DcHold, i);

      g_assert_cmpint (h->id, ==, ids[4 - i]);
      g_assert_cmpstr (h->reason, ==, expected_reasons[i]);
      g_assert_cmpstr (h->created_by, ==, "Hana");
      g_assert_cmpint (h->created_at, ==, w->now);
      g_assert_cmpint (h->released_at, ==, 0);
      g_assert_null (h->released_by);
      g_assert_cmpint (h->disclosure_id, ==, 0);
      if (i < 4)
        g_assert_null (h->reference);   /* none, or only blanks */
      g_assert_cmpint (audit_count (store, "hold-add", h->id, w->base.manager), ==, 1);
    }
  g_assert_cmpstr (g_array_index (holds, DcHold, 4).reference, ==, "警視庁 2026-123");
  dc_test_assert_intact (store);
}

/* Managers and auditors place holds; only managers release them; nothing is written on a refusal. */
static void
test_permissions (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  DcHoldScope scope = one (DC_HOLD_VISIT, w->v3);
  gint64 audit_before, id;
  g_autoptr(GArray) holds = NULL;

  audit_before = total (store, "audit");
  {
    DcActor *refused[] = { w->base.counter, NULL };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(GError) error = NULL;
        gint64 out = -1;

        g_assert_false (dc_hold_add (store, refused[i], &scope, "理由", NULL, 0, &out, &error));
        g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
        g_assert_cmpint (out, ==, -1);
      }
  }
  g_assert_cmpint (total (store, "holds"), ==, 0);
  g_assert_cmpint (total (store, "audit"), ==, audit_before);

  id = hold_add (store, w->auditor, &scope, "監査人による保全", NULL);
  g_assert_cmpint (audit_count (store, "hold-add", id, w->auditor), ==, 1);
  holds = dc_hold_list (store, FALSE, NULL);
  g_assert_cmpstr (g_array_index (holds, DcHold, 0).created_by, ==, "Aki");

  {
    DcActor *refused[] = { w->auditor, w->base.counter, NULL };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (dc_hold_release (store, refused[i], id, "解除", &error));
        g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
      }
  }
  g_assert_cmpint (dc_test_db_int (store, "SELECT count (*) FROM holds WHERE id = ? AND released_at IS NULL", id), ==, 1);
  hold_release (store, w->base.manager, id);
  g_assert_cmpint (audit_count (store, "hold-release", id, w->base.manager), ==, 1);
  dc_test_assert_intact (store);
}

typedef struct {
  const char *what;
  int         scope;        /* 0 visit, 1 customer, 2 verification, 3 range, 4 range with terminal */
  gint64      id;           /* target id (large = missing); range: minutes from - to */
  const char *reason;
  gint64      disclosure;
  gint        code;
} BadCase;

static const BadCase bad_cases[] = {
  { "no such visit", 0, 99999, "理由", 0, DC_ERROR_NOT_FOUND },
  { "no such customer", 1, 99999, "理由", 0, DC_ERROR_NOT_FOUND },
  { "no such verification", 2, 99999, "理由", 0, DC_ERROR_NOT_FOUND },
  { "empty range", 3, 0, "理由", 0, DC_ERROR_INVALID },
  { "backwards range", 3, -60, "理由", 0, DC_ERROR_INVALID },
  { "no such terminal", 4, 60, "理由", 0, DC_ERROR_NOT_FOUND },
  { "no reason", 0, 0, NULL, 0, DC_ERROR_MISSING_FIELD },
  { "empty reason", 0, 0, "", 0, DC_ERROR_MISSING_FIELD },
  { "blank reason", 0, 0, " \t\n　", 0, DC_ERROR_MISSING_FIELD },
  { "no such disclosure", 0, 0, "理由", 77, DC_ERROR_NOT_FOUND },
};

static void
test_bad_input (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  gint64 audit_before = total (store, "audit");
  g_autofree char *long_reason = NULL;
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr(GError) error = NULL;
      DcHoldScope scope = { 0 };
      gint64 from = tokyo (4, 14, 0);

      g_test_message ("%s", c->what);
      switch (c->scope)
        {
        case 0:
          scope = one (DC_HOLD_VISIT, c->id != 0 ? c->id : w->v1);
          break;
        case 1:
          scope = one (DC_HOLD_CUSTOMER, c->id);
          break;
        case 2:
          scope = one (DC_HOLD_VERIFICATION, c->id);
          break;
        case 3:
          scope = range (from, from + c->id * 60 * G_USEC_PER_SEC, NULL);
          break;
        default:
          scope = range (from, from + c->id * 60 * G_USEC_PER_SEC, IDS (w->pc[1], 99999));
          break;
        }
      g_assert_false (dc_hold_add (store, w->base.manager, &scope, c->reason, NULL, c->disclosure, NULL, &error));
      g_assert_error (error, DC_ERROR, c->code);
      dc_hold_scope_clear (&scope);
    }

  /* too long */
  for (guint i = 0; i < 501; i++)
    g_string_append (text, "長");
  long_reason = g_string_free (text, FALSE);
  {
    g_autoptr(GError) error = NULL;
    DcHoldScope scope = one (DC_HOLD_VISIT, w->v1);

    g_assert_false (dc_hold_add (store, w->base.manager, &scope, long_reason, NULL, 0, NULL, &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  }
  /* unknown member number and terminal label */
  {
    g_autoptr(GError) error = NULL;
    DcHoldScope scope = { 0 };

    g_assert_false (dc_hold_scope_for_member (store, "0000000", &scope, &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
    g_clear_error (&error);
    scope = range (tokyo (4, 14, 0), tokyo (4, 15, 0), NULL);
    g_assert_false (dc_hold_scope_add_terminal (store, &scope, "PC-99", &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
    dc_hold_scope_clear (&scope);
  }
  g_assert_cmpint (total (store, "holds"), ==, 0);
  g_assert_cmpint (total (store, "audit"), ==, audit_before);
}

/* ---- releasing ---- */

static void
test_release (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  DcHoldScope scope = one (DC_HOLD_CUSTOMER, w->hanako);
  gint64 kept, released, placed_at = w->now;
  g_autoptr(GArray) in_force = NULL;
  g_autoptr(GArray) all = NULL;
  const DcHold *h;

  released = hold_add (store, w->base.manager, &scope, "照会", NULL);
  scope = one (DC_HOLD_VISIT, w->v5);
  kept = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v3, w->v5), IDS (w->r2, w->r5), IDS (w->hanako, w->saburo));

  /* a reason is required, and nothing changes without one */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dc_hold_release (store, w->base.manager, released, "  ", &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD);
  }
  w->now += G_USEC_PER_SEC * (gint64) 3600;
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (dc_hold_release (store, w->base.manager, released, "  捜査終了 ", &error));
    g_assert_no_error (error);
  }
  assert_collect (store, IDS (w->v5), IDS (w->r5), IDS (w->saburo));

  in_force = dc_hold_list (store, FALSE, NULL);
  g_assert_cmpuint (in_force->len, ==, 1);
  g_assert_cmpint (g_array_index (in_force, DcHold, 0).id, ==, kept);
  all = dc_hold_list (store, TRUE, NULL);
  g_assert_cmpuint (all->len, ==, 2);
  h = &g_array_index (all, DcHold, 1);
  g_assert_cmpint (h->id, ==, released);
  g_assert_cmpint (h->created_at, ==, placed_at);
  g_assert_cmpint (h->released_at, ==, w->now);
  g_assert_cmpstr (h->released_by, ==, "Hana");
  g_assert_cmpstr (h->release_reason, ==, "捜査終了");
  g_assert_cmpint (audit_count (store, "hold-release", released, w->base.manager), ==, 1);

  /* once only; an unknown hold is refused */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dc_hold_release (store, w->base.manager, released, "もう一度", &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (dc_hold_release (store, w->base.manager, 99999, "不明", &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  }
  g_assert_cmpint (audit_count (store, "hold-release", released, w->base.manager), ==, 1);
  g_assert_cmpint (dc_test_db_int (store, "SELECT released_at FROM holds WHERE id = ?", released), ==, w->now);

  hold_release (store, w->base.manager, kept);
  assert_collect (store, IDS (0), IDS (0), IDS (0));
  dc_test_assert_intact (store);
}

/* ---- what the holds keep ---- */

static void
test_collect_records (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  DcHoldScope scope;
  gint64 id;

  /* nothing held */
  assert_collect (store, IDS (0), IDS (0), IDS (0));

  /* a visit: it, the record it relied on with every version of that record, the customer */
  scope = one (DC_HOLD_VISIT, w->v1);
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v1), IDS (w->r1, w->r1a, w->r1b), IDS (w->taro));
  hold_release (store, w->base.manager, id);
  scope = one (DC_HOLD_VISIT, w->v2);
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v2), IDS (w->r1, w->r1a, w->r1b), IDS (w->taro));
  hold_release (store, w->base.manager, id);

  /* a customer: everything of theirs, nobody else's */
  scope = one (DC_HOLD_CUSTOMER, w->taro);
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v1, w->v2), IDS (w->r1, w->r1a, w->r1b), IDS (w->taro));
  hold_release (store, w->base.manager, id);
  scope = one (DC_HOLD_CUSTOMER, w->jiro);   /* still in */
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v4), IDS (w->r4), IDS (w->jiro));
  hold_release (store, w->base.manager, id);

  /* a verification: the visits that relied on that version, the whole correction chain */
  scope = one (DC_HOLD_VERIFICATION, w->r1);
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v1), IDS (w->r1, w->r1a, w->r1b), IDS (w->taro));
  hold_release (store, w->base.manager, id);
  scope = one (DC_HOLD_VERIFICATION, w->r1a);
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (0), IDS (w->r1, w->r1a, w->r1b), IDS (w->taro));
  hold_release (store, w->base.manager, id);
  scope = one (DC_HOLD_VERIFICATION, w->r1b);
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v2), IDS (w->r1, w->r1a, w->r1b), IDS (w->taro));
  hold_release (store, w->base.manager, id);
  scope = one (DC_HOLD_VERIFICATION, w->r2);
  id = hold_add (store, w->base.manager, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v3), IDS (w->r2), IDS (w->hanako));
  hold_release (store, w->base.manager, id);

  /* several holds: the union; released ones no longer count */
  scope = one (DC_HOLD_VISIT, w->v5);
  hold_add (store, w->base.manager, &scope, "照会", NULL);
  scope = one (DC_HOLD_VERIFICATION, w->r2);
  hold_add (store, w->auditor, &scope, "照会", NULL);
  assert_collect (store, IDS (w->v3, w->v5), IDS (w->r2, w->r5), IDS (w->hanako, w->saburo));
  dc_test_assert_intact (store);
}

typedef struct {
  const char *what;
  int         d1, h1, m1, d2, h2, m2;
  int         terminals[3];     /* PC numbers, 0-terminated */
  char        visits[6];        /* which of v1 … v5 are held: "1 3" style digits */
} RangeCase;

static const RangeCase range_cases[] = {
  { "the afternoon, any terminal", 4, 14, 0, 4, 15, 0, { 0 }, "34" },
  { "the afternoon, PC-03", 4, 14, 0, 4, 15, 0, { 3, 0 }, "4" },
  { "before the move to PC-04", 4, 14, 0, 4, 14, 5, { 4, 0 }, "" },
  { "across the move to PC-04", 4, 14, 5, 4, 14, 15, { 4, 0 }, "3" },
  { "the session on PC-02 before the move", 4, 14, 5, 4, 14, 15, { 2, 0 }, "3" },
  { "between visits: ends and starts touch", 4, 12, 0, 4, 13, 30, { 0 }, "" },
  { "around Taro's exit", 4, 11, 59, 4, 12, 1, { 0 }, "1" },
  { "days later: an open session counts", 10, 0, 0, 10, 1, 0, { 0 }, "4" },
  { "two terminals", 6, 9, 30, 6, 9, 40, { 1, 2, 0 }, "5" },
  { "two terminals, the other one", 6, 9, 30, 6, 9, 40, { 1, 3, 0 }, "4" },
  { "before everything", 1, 0, 0, 2, 0, 0, { 0 }, "" },
};

static void
test_collect_range (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);

  for (guint i = 0; i < G_N_ELEMENTS (range_cases); i++)
    {
      const RangeCase *c = &range_cases[i];
      gint64 visit_of[6] = { 0, w->v1, w->v2, w->v3, w->v4, w->v5 };
      gint64 ver_of[6] = { 0, w->r1, w->r1b, w->r2, w->r4, w->r5 };
      gint64 cust_of[6] = { 0, w->taro, w->taro, w->hanako, w->jiro, w->saburo };
      gint64 terminals[4] = { 0 }, visits[6] = { 0 }, verifications[8] = { 0 }, customers[6] = { 0 };
      guint nv = 0, nr = 0, nc = 0;
      DcHoldScope scope;
      gint64 id;

      g_test_message ("%s", c->what);
      for (guint k = 0; c->terminals[k] != 0; k++)
        terminals[k] = w->pc[c->terminals[k]];
      for (const char *p = c->visits; *p != '\0'; p++)
        {
          guint n = (guint) (*p - '0');

          visits[nv++] = visit_of[n];
          if (n == 1 || n == 2)
            {
              /* Taro's visits bring his whole correction chain */
              verifications[nr++] = w->r1;
              verifications[nr++] = w->r1a;
              verifications[nr++] = w->r1b;
            }
          else
            verifications[nr++] = ver_of[n];
          customers[nc++] = cust_of[n];
        }
      scope = range (tokyo (c->d1, c->h1, c->m1), tokyo (c->d2, c->h2, c->m2), terminals);
      id = hold_add (store, w->base.manager, &scope, "範囲", NULL);
      assert_collect (store, visits, verifications, customers);
      hold_release (store, w->base.manager, id);
    }
}

/* A hold this build cannot read stops the purge rather than being ignored. */
static void
test_collect_unreadable (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  static const char *const bad[] = { "person:3", "visit:", "visit:abc", "range:10:5", "range:1:2:x", "visit:1:2",
                                     "customer:0", "range:1:2:3,", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      DcHoldRow row = { .created_at = w->now, .staff_id = dc_actor_staff_id (w->base.manager),
                        .scope = (char *) bad[i], .reason = (char *) "x" };
      DcHeldSet set = { 0 };
      gint64 id = 0;

      g_test_message ("%s", bad[i]);
      g_assert_true (dc_db_hold_insert (dc_store_db (store), &row, &id, &error));
      g_assert_no_error (error);
      g_assert_false (dc_hold_collect (store, &set, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
      g_assert_null (set.visits);
      g_clear_error (&error);
      /* it still lists, as it is */
      {
        g_autoptr(GArray) holds = dc_hold_list (store, FALSE, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (g_array_index (holds, DcHold, 0).scope, ==, bad[i]);
      }
      hold_release (store, w->base.manager, id);
    }
}

int
main (int argc, char **argv)
{
  World w = { 0 };
  int rc;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "America/New_York", TRUE);   /* the store's zone decides, never the machine's */
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/hold/add/kinds", &w, test_add_kinds);
  g_test_add_data_func ("/hold/add/permissions", &w, test_permissions);
  g_test_add_data_func ("/hold/add/bad-input", &w, test_bad_input);
  g_test_add_data_func ("/hold/release", &w, test_release);
  g_test_add_data_func ("/hold/collect/records", &w, test_collect_records);
  g_test_add_data_func ("/hold/collect/range", &w, test_collect_range);
  g_test_add_data_func ("/hold/collect/unreadable", &w, test_collect_unreadable);

  rc = g_test_run ();
  g_clear_pointer (&w.auditor, dc_actor_free);
  g_free (w.taro_member);
  dc_test_template_clear (&w.base);
  return rc;
}
