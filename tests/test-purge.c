/* tests/test-purge.c — four years on a test clock: exactly what is past retention goes, holds keep, the bytes leave the files, verify still passes. */
#include "dc-audit.h"
#include "dc-backup.h"
#include "dc-checkin.h"
#include "dc-db-records.h"
#include "dc-hold.h"
#include "dc-police.h"
#include "dc-retention.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#define PASSPHRASE   "correct horse battery staple"
#define MANAGER_PIN  "1357"
#define CLERK_PIN    "2468"
#define N_TERMINALS  8
#define DAYS         1461          /* four years, one of them a leap year */
#define FIRST_BIG_PURGE 1190     /* from here weekly purges; the first takes ~100 days */
#define RELEASE_DAY  1300          /* the hold on H is released */
#define NEEDLE       16            /* bytes of a ciphertext or index searched for at once */

/* ---- the model: what the test did, and so what must be left ---- */

typedef struct {
  gint64 id;
  gint64 exited;        /* 0 while open */
  guint  sessions;
  gboolean gone;
} MVisit;

typedef struct {
  guint    number;      /* person number: names, dates of birth and documents follow from it */
  gint64   customer;
  GArray  *verifications;  /* gint64: an original and its corrections, one group */
  GArray  *visits;         /* MVisit */
  char    *member;
  gboolean held;
  gboolean gone;
} Person;

typedef struct {
  char      *root;
  char      *dir;
  DcStore   *store;
  DcActor   *boss;
  DcActor   *clerk;
  gint64     now;
  GTimeZone *tz;
  GPtrArray *people;      /* Person */
  guint      next_number;
  Person    *on[N_TERMINALS + 1];   /* who sits at PC-n */
  /* the people each rule is about */
  Person    *yearly, *lapsed, *held, *open, *corrected;
  gint64     hold_id;
  gint64     lapsed_purge_from;
  guint      deleting_runs;
  guint      runs;
  gboolean   open_closed;
  gboolean   shrunk;
  gboolean   backup_checked;   /* a backup after a purge was decrypted and searched */
  gboolean   built;
} Ctx;

static void
person_free (gpointer data)
{
  Person *p = data;

  g_array_unref (p->verifications);
  g_array_unref (p->visits);
  g_free (p->member);
  g_free (p);
}

static Person *
person_new (Ctx *ctx)
{
  Person *p = g_new0 (Person, 1);

  p->number = ctx->next_number++;
  p->verifications = g_array_new (FALSE, FALSE, sizeof (gint64));
  p->visits = g_array_new (FALSE, TRUE, sizeof (MVisit));
  g_ptr_array_add (ctx->people, p);
  return p;
}

static gint64
day_time (const Ctx *ctx, guint day, int hour, int minute)
{
  g_autoptr(GDateTime) start = g_date_time_new (ctx->tz, 2031, 1, 6, 0, 0, 0);
  g_autoptr(GDateTime) d = g_date_time_add_days (start, (gint) day);
  g_autoptr(GDateTime) t = g_date_time_new (ctx->tz, g_date_time_get_year (d), g_date_time_get_month (d),
                                            g_date_time_get_day_of_month (d), hour, minute, 0);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

static void
identity_of (const Person *p, DcIdentity *id, char *name, gsize name_size, char *number, gsize number_size,
             const char *address)
{
  static const char *const given[] = { "太郎", "花子", "一郎", "美咲", "翔太", "陽菜", "大輔", "さくら", "誠", "彩" };

  dc_identity_init (id);
  g_snprintf (name, name_size, "試験 %s%u", given[p->number % 10], p->number);
  g_snprintf (number, number_size, "30%010u", p->number * 7 + 1);
  id->doc_type = "drivers_license";
  id->doc_number = number;
  g_date_set_dmy (&id->doc_expiry, 31, 12, 2040);
  id->name = name;
  id->kana = "シケン テスト";
  g_date_set_dmy (&id->dob, 1, 1, 1960);
  g_date_add_days (&id->dob, p->number);
  id->address = address;
}

static void
sit (Ctx *ctx, Person *p, guint terminal, const DcCheckinResult *result)
{
  MVisit v = { .id = result->visit_id, .sessions = 1 };

  g_assert_null (ctx->on[terminal]);
  ctx->on[terminal] = p;
  g_array_append_val (p->visits, v);
}

/* A check-in with the identity document (a new customer the first time). */
static void
check_in (Ctx *ctx, Person *p, guint terminal)
{
  g_autoptr(GError) error = NULL;
  char name[64], number[32], label[16];
  DcCheckinRequest req = { .terminal = label, .internet = TRUE };
  DcCheckinResult result = { 0 };

  g_snprintf (label, sizeof label, "PC-%02u", terminal);
  identity_of (p, &req.identity, name, sizeof name, number, sizeof number, "東京都新宿区西新宿2-8-1");
  g_assert_true (dc_checkin (ctx->store, ctx->clerk, &req, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.new_customer);
  p->customer = result.customer_id;
  g_array_append_val (p->verifications, result.verification_id);
  p->member = g_steal_pointer (&result.member_number);
  sit (ctx, p, terminal, &result);
  dc_checkin_result_clear (&result);
}

/* A returning member by card: the visit relies on their newest verification. */
static void
check_in_member (Ctx *ctx, Person *p, guint terminal)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strdup_printf ("PC-%02u", terminal);
  DcCheckinResult result = { 0 };

  g_assert_true (dc_checkin_member (ctx->store, ctx->clerk, p->member, label, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.customer_id, ==, p->customer);
  sit (ctx, p, terminal, &result);
  dc_checkin_result_clear (&result);
}

static void
move (Ctx *ctx, guint from, guint to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = g_strdup_printf ("PC-%02u", from);
  g_autofree char *b = g_strdup_printf ("PC-%02u", to);
  Person *p = ctx->on[from];

  g_assert_true (dc_move (ctx->store, ctx->clerk, a, b, &error));
  g_assert_no_error (error);
  g_array_index (p->visits, MVisit, p->visits->len - 1).sessions++;
  ctx->on[to] = p;
  ctx->on[from] = NULL;
}

static void
check_out_all (Ctx *ctx)
{
  for (guint t = 1; t <= N_TERMINALS; t++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *label = g_strdup_printf ("PC-%02u", t);
      Person *p = ctx->on[t];

      if (p == NULL || p == ctx->open)
        continue;
      g_assert_true (dc_checkout (ctx->store, ctx->clerk, label, 0, DC_EXIT_STAFF, &error));
      g_assert_no_error (error);
      g_array_index (p->visits, MVisit, p->visits->len - 1).exited = ctx->now;
      ctx->on[t] = NULL;
    }
}

static void
correct (Ctx *ctx, Person *p)
{
  g_autoptr(GError) error = NULL;
  char name[64], number[32];
  DcIdentity id;
  DcField field = DC_FIELD_NONE;
  gint64 newer = 0;

  identity_of (p, &id, name, sizeof name, number, sizeof number, "東京都新宿区西新宿2-8-2");
  g_assert_true (dc_correct_identity (ctx->store, ctx->boss, g_array_index (p->verifications, gint64, 0), &id,
                                      "The house number was mistyped.", &newer, &field, &error));
  g_assert_no_error (error);
  g_array_append_val (p->verifications, newer);
}

/* ---- plain SQLite: what a thief with the files would read ---- */

static sqlite3 *
plain_open (const Ctx *ctx)
{
  g_autofree char *path = g_build_filename (ctx->dir, DC_STORE_DB_NAME, NULL);
  sqlite3 *h = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return h;
}

static gint64
count_rows (const Ctx *ctx, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s", table);
  sqlite3 *h = plain_open (ctx);
  gint64 n = dc_test_sql_int (h, sql);

  sqlite3_close (h);
  return n;
}

static guint
needle_hash (gconstpointer key)
{
  guint h = 5381;

  for (guint i = 0; i < NEEDLE; i++)
    h = h * 33 + ((const guint8 *) key)[i];
  return h;
}

static gboolean
needle_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, NEEDLE) == 0;
}

/* Every stored ciphertext, blind index and cached read key, by "table id": each cut into
 * NEEDLE-byte pieces. */
static GHashTable *
secret_bytes (const Ctx *ctx)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  const char *const queries[] = {
    "SELECT 'v ' || id, payload, person_index, document_index FROM verifications",
    "SELECT 'c ' || id, person_index, NULL, NULL FROM customers",
    "SELECT 'k ' || verification_id, wrapped, NULL, NULL FROM identity_keys",
  };
  sqlite3 *h = plain_open (ctx);

  for (gsize q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (h, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);

          for (int c = 1; c <= 3; c++)
            {
              const guint8 *blob = sqlite3_column_blob (stmt, c);
              int len = sqlite3_column_bytes (stmt, c);

              if (blob == NULL)
                continue;
              g_assert_cmpint (len, >=, NEEDLE);
              for (int at = 0; at + NEEDLE <= len; at += NEEDLE)
                g_ptr_array_add (pieces, g_memdup2 (blob + at, NEEDLE));
            }
          g_hash_table_insert (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), pieces);
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (h);
  return rows;
}

/* The pieces of rows in @before that are gone from @after (and not shared with a row that stays). */
static GHashTable *
purged_pieces (GHashTable *before, GHashTable *after)
{
  GHashTable *kept = g_hash_table_new (needle_hash, needle_equal);
  GHashTable *gone = g_hash_table_new (needle_hash, needle_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    for (guint i = 0; i < ((GPtrArray *) value)->len; i++)
      g_hash_table_add (kept, g_ptr_array_index ((GPtrArray *) value, i));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (after, key))
      for (guint i = 0; i < ((GPtrArray *) value)->len; i++)
        if (!g_hash_table_contains (kept, g_ptr_array_index ((GPtrArray *) value, i)))
          g_hash_table_add (gone, g_ptr_array_index ((GPtrArray *) value, i));
  g_hash_table_unref (kept);
  return gone;
}

/* Does the file at @path hold any of @pieces anywhere (at any offset)? */
static gboolean
file_holds_any (const char *path, GHashTable *pieces)
{
  g_autofree char *data = NULL;
  g_autofree guint8 *first = g_malloc0 (1 << 13);   /* which 16-bit prefixes occur: a quick filter */
  GHashTableIter iter;
  gpointer key;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  g_hash_table_iter_init (&iter, pieces);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint prefix = ((const guint8 *) key)[0] << 8 | ((const guint8 *) key)[1];
      first[prefix >> 3] |= 1 << (prefix & 7);
    }
  for (gsize at = 0; at + NEEDLE <= len; at++)
    {
      guint prefix = (guint8) data[at] << 8 | (guint8) data[at + 1];

      if ((first[prefix >> 3] & (1 << (prefix & 7))) != 0 && g_hash_table_contains (pieces, data + at))
        return TRUE;
    }
  return FALSE;
}

static gint64
file_size (const Ctx *ctx, const char *suffix)
{
  g_autofree char *path = g_strconcat (ctx->dir, "/" DC_STORE_DB_NAME, suffix, NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* ---- one purge, checked against the model ---- */

typedef struct {
  gint64 visits, sessions, verifications, customers;
  gint64 held_visits, held_sessions, held_verifications, held_customers;
  GHashTable *months;   /* "YYYY-MM" → gint64[4]: visits, sessions, verifications, customers */
} Expected;

static void
month_add (const Ctx *ctx, Expected *e, gint64 at, guint field, gint64 n)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (t, ctx->tz);
  g_autofree char *key = g_date_time_format (local, "%Y-%m");
  gint64 *slot = g_hash_table_lookup (e->months, key);

  if (slot == NULL)
    {
      slot = g_new0 (gint64, 4);
      g_hash_table_insert (e->months, g_steal_pointer (&key), slot);
    }
  slot[field] += n;
}

/* What a purge with @cutoff must remove, by the rules (design.md §6), from what the test did;
 * with @apply, mark it gone. */
static void
expect (Ctx *ctx, gint64 cutoff, gboolean apply, Expected *e)
{
  memset (e, 0, sizeof *e);
  e->months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < ctx->people->len; i++)
    {
      Person *p = g_ptr_array_index (ctx->people, i);
      gboolean all_gone = TRUE;
      gint64 last = 0;

      if (p->gone)
        continue;
      for (guint k = 0; k < p->visits->len; k++)
        {
          MVisit *v = &g_array_index (p->visits, MVisit, k);
          gboolean due = !v->gone && v->exited != 0 && v->exited < cutoff;

          if (due && p->held)
            {
              e->held_visits++;
              e->held_sessions += v->sessions;
            }
          if (due && !p->held)
            {
              e->visits++;
              e->sessions += v->sessions;
              month_add (ctx, e, v->exited, 0, 1);
              month_add (ctx, e, v->exited, 1, v->sessions);
              if (apply)
                v->gone = TRUE;
            }
          if (!(v->gone || (due && !p->held)))
            all_gone = FALSE;
          last = MAX (last, v->exited);
        }
      /* the group and the customer go with the last visit; held, they would have */
      if (all_gone || (p->held && last != 0 && last < cutoff))
        {
          gint64 n = p->verifications->len;

          if (p->held)
            {
              e->held_verifications += n;
              e->held_customers++;
              continue;
            }
          e->verifications += n;
          e->customers++;
          month_add (ctx, e, last, 2, n);
          month_add (ctx, e, last, 3, 1);
          if (apply)
            p->gone = TRUE;
        }
    }
}

static void
assert_plan_equal (const DcPurgePlan *a, const DcPurgePlan *b, gboolean closed_one)
{
  g_assert_cmpint (a->now, ==, b->now);
  g_assert_cmpint (a->cutoff, ==, b->cutoff);
  g_assert_cmpint (a->visits, ==, b->visits);
  g_assert_cmpint (a->sessions, ==, b->sessions);
  g_assert_cmpint (a->verifications, ==, b->verifications);
  g_assert_cmpint (a->customers, ==, b->customers);
  g_assert_cmpint (a->held_visits, ==, b->held_visits);
  g_assert_cmpint (a->held_sessions, ==, b->held_sessions);
  g_assert_cmpint (a->held_verifications, ==, b->held_verifications);
  g_assert_cmpint (a->held_customers, ==, b->held_customers);
  /* the run closed the visit left open before it counted */
  g_assert_cmpint (a->open_visits, ==, b->open_visits + (closed_one ? 1 : 0));
  g_assert_cmpint (a->oldest_end, ==, b->oldest_end);
  g_assert_cmpint (a->oldest_purge_from, ==, b->oldest_purge_from);
  g_assert_cmpuint (a->months->len, ==, b->months->len);
  for (guint i = 0; i < a->months->len; i++)
    {
      const DcPurgeMonth *x = &g_array_index (a->months, DcPurgeMonth, i);
      const DcPurgeMonth *y = &g_array_index (b->months, DcPurgeMonth, i);

      g_assert_cmpstr (x->month, ==, y->month);
      g_assert_cmpint (x->visits, ==, y->visits);
      g_assert_cmpint (x->sessions, ==, y->sessions);
      g_assert_cmpint (x->verifications, ==, y->verifications);
      g_assert_cmpint (x->customers, ==, y->customers);
    }
}

static void
assert_expected (const DcPurgePlan *plan, const Expected *e)
{
  g_assert_cmpint (plan->visits, ==, e->visits);
  g_assert_cmpint (plan->sessions, ==, e->sessions);
  g_assert_cmpint (plan->verifications, ==, e->verifications);
  g_assert_cmpint (plan->customers, ==, e->customers);
  g_assert_cmpint (plan->held_visits, ==, e->held_visits);
  g_assert_cmpint (plan->held_sessions, ==, e->held_sessions);
  g_assert_cmpint (plan->held_verifications, ==, e->held_verifications);
  g_assert_cmpint (plan->held_customers, ==, e->held_customers);
  g_assert_cmpuint (plan->months->len, ==, g_hash_table_size (e->months));
  for (guint i = 0; i < plan->months->len; i++)
    {
      const DcPurgeMonth *m = &g_array_index (plan->months, DcPurgeMonth, i);
      const gint64 *want = g_hash_table_lookup (e->months, m->month);

      g_assert_nonnull (want);
      if (i > 0)
        g_assert_cmpstr (g_array_index (plan->months, DcPurgeMonth, i - 1).month, <, m->month);
      g_assert_cmpint (m->visits, ==, want[0]);
      g_assert_cmpint (m->sessions, ==, want[1]);
      g_assert_cmpint (m->verifications, ==, want[2]);
      g_assert_cmpint (m->customers, ==, want[3]);
    }
}

/* The rows left are exactly the model's. */
static void
assert_left (Ctx *ctx)
{
  gint64 visits = 0, sessions = 0, verifications = 0, customers = 0;

  for (guint i = 0; i < ctx->people->len; i++)
    {
      Person *p = g_ptr_array_index (ctx->people, i);

      for (guint k = 0; k < p->visits->len; k++)
        if (!g_array_index (p->visits, MVisit, k).gone)
          {
            visits++;
            sessions += g_array_index (p->visits, MVisit, k).sessions;
          }
      if (!p->gone)
        {
          verifications += p->verifications->len;
          customers++;
        }
    }
  g_assert_cmpint (count_rows (ctx, "visits"), ==, visits);
  g_assert_cmpint (count_rows (ctx, "terminal_sessions"), ==, sessions);
  g_assert_cmpint (count_rows (ctx, "verifications"), ==, verifications);
  g_assert_cmpint (count_rows (ctx, "customers"), ==, customers);
}

static gboolean
customer_exists (Ctx *ctx, const Person *p)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;

  if (!dc_db_customer_member (dc_store_db (ctx->store), p->customer, &member, &error))
    return FALSE;
  return member != NULL;
}

static gboolean
verification_exists (Ctx *ctx, gint64 id)
{
  g_autoptr(GError) error = NULL;
  DcVerificationRow row = { 0 };
  gboolean found = FALSE;

  g_assert_true (dc_db_verification_get (dc_store_db (ctx->store), id, &row, &found, &error));
  g_assert_no_error (error);
  dc_verification_row_clear (&row);
  return found;
}

static gint64
file_size_at (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* A backup taken after a purge, decrypted as a restore would, holds none of what the
 * purge removed: the copy is made from the pages as they are now, not from old ones. */
static void
check_backup_after_purge (Ctx *ctx, GHashTable *gone)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (ctx->root, "backups", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *unpacked = NULL;

  backup = dc_backup_create (ctx->store, dir, &error);
  g_assert_no_error (error);
  g_assert_false (file_holds_any (backup, gone));
  unpacked = dc_backup_unpack (ctx->store, ctx->boss, backup, &error);
  g_assert_no_error (error);
  g_assert_nonnull (unpacked);
  g_assert_cmpint (file_size_at (unpacked), >, 0);
  g_assert_false (file_holds_any (unpacked, gone));
  g_assert_cmpint (g_unlink (unpacked), ==, 0);
  g_assert_cmpint (g_unlink (backup), ==, 0);
  ctx->backup_checked = TRUE;
}

static void
purge (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcPurgePlan) plan = NULL;
  g_autoptr(DcPurgePlan) done = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) gone = NULL;
  g_autoptr(GArray) history = NULL;
  const DcPurgeRecord *newest;
  Expected e;
  gboolean closing = !ctx->open_closed && ctx->now - day_time (ctx, 2, 10, 0) > 24 * G_TIME_SPAN_HOUR;
  gint64 size_before = 0;

  plan = dc_purge_plan (ctx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plan->cutoff, ==, dc_retention_cutoff (ctx->tz, ctx->now));
  expect (ctx, plan->cutoff, FALSE, &e);
  assert_expected (plan, &e);
  g_hash_table_unref (e.months);

  if (plan->verifications > 0)
    {
      guint64 filled = 0;

      /* every verification with its read key, as after a manager's routine fill: the purge
       * must take the keys with their verifications, and leave no copy behind */
      g_assert_true (dc_identity_keys_fill (ctx->store, ctx->boss, NULL, NULL, &filled, &error));
      g_assert_no_error (error);
      g_assert_cmpint (count_rows (ctx, "identity_keys"), ==, count_rows (ctx, "verifications"));
      g_assert_true (dc_db_checkpoint (dc_store_db (ctx->store), TRUE, &error));
      size_before = file_size (ctx, "");
      before = secret_bytes (ctx);
    }

  g_assert_true (dc_purge_run (ctx->store, 0, &done, &error));
  g_assert_no_error (error);
  assert_plan_equal (plan, done, closing);
  expect (ctx, done->cutoff, TRUE, &e);
  g_hash_table_unref (e.months);
  if (closing)
    {
      MVisit *v = &g_array_index (ctx->open->visits, MVisit, 0);
      DcVisitRow row = { 0 };
      gboolean found = FALSE;

      g_assert_true (dc_db_visit_get (dc_store_db (ctx->store), v->id, &row, &found, &error));
      g_assert_true (found);
      g_assert_cmpstr (row.exit_reason, ==, "auto");
      g_assert_cmpint (row.exited_at, ==, ctx->now);
      v->exited = row.exited_at;
      dc_visit_row_clear (&row);
      ctx->open_closed = TRUE;
      ctx->on[6] = NULL;
    }
  assert_left (ctx);

  history = dc_purge_history (ctx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >, 0);
  /* every run leaves a ledger row, an empty one too: the history shows the timer ran */
  ctx->runs++;
  g_assert_cmpuint (history->len, ==, ctx->runs);
  if (done->visits + done->sessions + done->verifications + done->customers > 0)
    ctx->deleting_runs++;
  newest = &g_array_index (history, DcPurgeRecord, 0);
  g_assert_cmpint (newest->at, ==, ctx->now);
  g_assert_cmpint (newest->cutoff, ==, done->cutoff);
  g_assert_cmpint (newest->visits, ==, done->visits);
  g_assert_cmpint (newest->sessions, ==, done->sessions);
  g_assert_cmpint (newest->verifications, ==, done->verifications);
  g_assert_cmpint (newest->customers, ==, done->customers);

  if (before != NULL)
    {
      g_autofree char *db = g_build_filename (ctx->dir, DC_STORE_DB_NAME, NULL);
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);

      after = secret_bytes (ctx);
      /* keys went with their verifications, and only with them */
      g_assert_cmpint (count_rows (ctx, "identity_keys"), ==, count_rows (ctx, "verifications"));
      gone = purged_pieces (before, after);
      g_assert_cmpuint (g_hash_table_size (gone), >, 0);
      g_assert_false (file_holds_any (db, gone));
      g_assert_false (file_holds_any (wal, gone));
      g_assert_cmpint (file_size (ctx, "-wal"), ==, 0);
      g_assert_cmpint (dc_test_sql_int (dc_db_handle (dc_store_db (ctx->store)), "PRAGMA freelist_count"), ==, 0);
      /* a week's purge may free no whole page; months of records do */
      if (done->verifications >= 100)
        {
          g_test_message ("purge of %" G_GINT64_FORMAT " visits: file %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " bytes",
                          done->visits, size_before, file_size (ctx, ""));
          g_assert_cmpint (file_size (ctx, ""), <, size_before);
          ctx->shrunk = TRUE;
          if (!ctx->backup_checked)
            check_backup_after_purge (ctx, gone);
        }
    }
  if (before != NULL || closing)
    dc_test_assert_intact (ctx->store);
}

/* ---- four years ---- */

static void
hold_customer (Ctx *ctx, Person *p)
{
  g_autoptr(GError) error = NULL;
  DcHoldScope scope = { .kind = DC_HOLD_CUSTOMER, .id = p->customer };

  g_assert_true (dc_hold_add (ctx->store, ctx->boss, &scope, "Police inquiry about this customer.",
                              "警視庁 新宿署 第123号", 0, &ctx->hold_id, &error));
  g_assert_no_error (error);
  p->held = TRUE;
}

static void
release_hold (Ctx *ctx, Person *p)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_hold_release (ctx->store, ctx->boss, ctx->hold_id, "The inquiry is closed.", &error));
  g_assert_no_error (error);
  p->held = FALSE;
}

/* The special people's visits of day @day, at 10:00; walk-ins on PC-01 and PC-02. */
static void
morning (Ctx *ctx, guint day)
{
  ctx->now = day_time (ctx, day, 10, 0);
  check_in (ctx, person_new (ctx), 1);
  check_in (ctx, person_new (ctx), 2);

  if (day % 365 == 3)
    {
      if (ctx->yearly == NULL)
        check_in (ctx, ctx->yearly = person_new (ctx), 3);
      else
        check_in_member (ctx, ctx->yearly, 3);
    }
  if (day % 30 == 5 && day <= 305)
    {
      if (ctx->lapsed == NULL)
        check_in (ctx, ctx->lapsed = person_new (ctx), 4);
      else
        check_in_member (ctx, ctx->lapsed, 4);
    }
  if (day == 6)
    check_in (ctx, ctx->held = person_new (ctx), 5);
  if (day == 16)
    check_in_member (ctx, ctx->held, 5);
  if (day == 2)
    check_in (ctx, ctx->open = person_new (ctx), 6);
  if (day == 8)
    check_in (ctx, ctx->corrected = person_new (ctx), 7);
  if (day == 150)
    check_in_member (ctx, ctx->corrected, 7);   /* relies on the correction of day 9 */

  ctx->now = day_time (ctx, day, 11, 0);
  if (day % 10 == 0)
    move (ctx, 2, 8);
  if (day == 9)
    correct (ctx, ctx->corrected);
  if (day == 20)
    hold_customer (ctx, ctx->held);
  if (day == RELEASE_DAY)
    release_hold (ctx, ctx->held);

  ctx->now = day_time (ctx, day, 12, 0);
  check_out_all (ctx);
}

static void
check_people (Ctx *ctx, guint day)
{
  const MVisit *lapsed_first, *corrected_first;

  if (day < 30)
    return;   /* not everyone has come yet */
  lapsed_first = &g_array_index (ctx->lapsed->visits, MVisit, 0);
  corrected_first = &g_array_index (ctx->corrected->visits, MVisit, 0);

  /* the yearly member never goes, only their old visits */
  g_assert_true (customer_exists (ctx, ctx->yearly));
  g_assert_true (verification_exists (ctx, g_array_index (ctx->yearly->verifications, gint64, 0)));
  /* the lapsed member goes three years after their last visit, not their first */
  if (lapsed_first->gone && !ctx->lapsed->gone)
    g_assert_true (customer_exists (ctx, ctx->lapsed));
  g_assert_true (customer_exists (ctx, ctx->lapsed) == (ctx->now < ctx->lapsed_purge_from || ctx->lapsed_purge_from == 0));
  /* held: kept until released */
  if (day < RELEASE_DAY)
    g_assert_true (customer_exists (ctx, ctx->held));
  /* a record and its correction go together, with the last visit relying on either */
  for (guint i = 0; i < ctx->corrected->verifications->len; i++)
    g_assert_true (verification_exists (ctx, g_array_index (ctx->corrected->verifications, gint64, i))
                   == !ctx->corrected->gone);
  if (corrected_first->gone)
    g_assert_true (!ctx->corrected->gone || g_array_index (ctx->corrected->visits, MVisit, 1).gone);
}

static void
build_timeline (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  DcStoreSetup setup = { .name = "Purge test store", .operator_name = "Test Operator KK", .prefecture = "tokyo",
                         .manager = "boss" };
  gboolean checked_lapsed_first = FALSE, checked_held = FALSE;
  sqlite3 *h;

  ctx->root = g_dir_make_tmp ("dc-test-purge-XXXXXX", &error);
  g_assert_no_error (error);
  ctx->dir = g_build_filename (ctx->root, "store", NULL);
  ctx->tz = g_time_zone_new_identifier ("Asia/Tokyo");
  ctx->people = g_ptr_array_new_with_free_func (person_free);
  ctx->store = dc_test_store_create (ctx->dir, &setup, PASSPHRASE, MANAGER_PIN, NULL);
  ctx->boss = dc_store_sign_in_passphrase (ctx->store, "boss", PASSPHRASE, &error);
  g_assert_no_error (error);
  dc_test_add_terminals (ctx->store, ctx->boss, N_TERMINALS, TRUE);
  g_assert_true (dc_store_add_staff (ctx->store, ctx->boss, "clerk", "counter", CLERK_PIN, NULL, NULL, &error));
  ctx->clerk = dc_store_sign_in_pin (ctx->store, "clerk", CLERK_PIN, &error);
  g_assert_no_error (error);
  dc_test_store_use_clock (ctx->store, &ctx->now);
  /* a simulation, not a counter: no fsync per check-in */
  g_assert_true (dc_db_set_bulk (dc_store_db (ctx->store), TRUE, &error));

  /* the file is set up to shrink and to overwrite what it deletes */
  h = plain_open (ctx);
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA auto_vacuum"), ==, 2);
  sqlite3_close (h);
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (dc_store_db (ctx->store)), "PRAGMA secure_delete"), ==, 1);

  for (guint day = 0; day < DAYS; day++)
    {
      /* the lapsed member's last day inside retention ends: a purge a moment before and at it */
      if (ctx->lapsed_purge_from != 0 && day_time (ctx, day, 0, 0) == ctx->lapsed_purge_from)
        {
          ctx->now = ctx->lapsed_purge_from - 1;
          purge (ctx);
          g_assert_true (customer_exists (ctx, ctx->lapsed));
          ctx->now = ctx->lapsed_purge_from;
          purge (ctx);
          g_assert_false (customer_exists (ctx, ctx->lapsed));
          g_assert_true (ctx->lapsed->gone);
        }
      morning (ctx, day);
      if (day == 305)
        ctx->lapsed_purge_from = dc_retention_purge_from (ctx->tz, ctx->now);
      /* weekly; none in between, where nothing is old enough yet, so that the first
       * purge takes months of records at once */
      if (day % 7 == 6 && (day < 60 || day >= FIRST_BIG_PURGE))
        {
          ctx->now = day_time (ctx, day, 23, 0);
          purge (ctx);
          check_people (ctx, day);
          if (g_array_index (ctx->lapsed->visits, MVisit, 0).gone && !ctx->lapsed->gone)
            checked_lapsed_first = TRUE;
          if (ctx->held->visits->len > 1 && day < RELEASE_DAY
              && g_array_index (ctx->held->visits, MVisit, 1).exited < dc_retention_cutoff (ctx->tz, ctx->now))
            checked_held = TRUE;
        }
    }
  /* each rule was met on the way */
  g_assert_true (ctx->open_closed);
  g_assert_true (g_array_index (ctx->open->visits, MVisit, 0).gone);
  g_assert_true (ctx->open->gone);
  g_assert_true (checked_lapsed_first);
  g_assert_true (ctx->lapsed->gone);
  g_assert_true (checked_held);
  g_assert_true (ctx->held->gone);
  g_assert_true (ctx->corrected->gone);
  g_assert_false (ctx->yearly->gone);
  g_assert_true (g_array_index (ctx->yearly->visits, MVisit, 0).gone);
  g_assert_false (g_array_index (ctx->yearly->visits, MVisit, 1).gone);
  g_assert_cmpuint (ctx->deleting_runs, >, 35);
  g_assert_true (ctx->shrunk);
  g_assert_true (ctx->backup_checked);
  dc_test_assert_intact (ctx->store);
  g_assert_true (dc_db_set_bulk (dc_store_db (ctx->store), FALSE, &error));
  ctx->built = TRUE;
}

static void
test_four_years (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;

  if (!ctx->built)
    build_timeline (ctx);
}

/* ---- after the four years: copies of the store ---- */

static char *
store_copy (Ctx *ctx, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *to = g_build_filename (ctx->root, name, NULL);

  if (!ctx->built)
    build_timeline (ctx);
  /* everything in the file, the WAL empty: a copy of the file is the whole store */
  g_assert_true (dc_db_checkpoint (dc_store_db (ctx->store), TRUE, &error));
  g_assert_no_error (error);
  dc_test_copy_dir (ctx->dir, to);
  return g_steal_pointer (&to);
}

/* The careful attacker: drop the guard, delete, put the guard back. */
static void
delete_outside (const char *dir, const char *table, gint64 id)
{
  g_autofree char *path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  g_autofree char *query = g_strdup_printf ("SELECT sql FROM sqlite_master WHERE name = '%s_no_delete'", table);
  g_autofree char *trigger = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *h = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &h, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  trigger = dc_test_sql_text (h, query);
  sql = g_strdup_printf ("BEGIN; DROP TRIGGER %s_no_delete; DELETE FROM %s WHERE %s = %" G_GINT64_FORMAT ";"
                         " %s; COMMIT;", table, table, g_str_equal (table, "terminal_sessions") ? "visit_id" : "id",
                         id, trigger);
  dc_test_sql_exec (h, sql);
  g_assert_cmpint (sqlite3_close (h), ==, SQLITE_OK);
}

static gboolean
report_names (DcVerifyReport *report, const char *what)
{
  for (guint i = 0; i < report->problems->len; i++)
    if (strstr (g_ptr_array_index (report->problems, i), what) != NULL)
      return TRUE;
  return FALSE;
}

/* A visit still within retention deleted with plain sqlite3, after many purges: named. */
static void
test_deleted_recent (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx, "recent");
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  g_autofree char *name = NULL;
  const Person *p = g_ptr_array_index (ctx->people, ctx->people->len - 100);
  gint64 visit = g_array_index (p->visits, MVisit, 0).id;

  delete_outside (dir, "terminal_sessions", visit);
  delete_outside (dir, "visits", visit);
  store = dc_test_store_open (dir);
  report = dc_test_verify (store);
  name = g_strdup_printf ("Visit #%" G_GINT64_FORMAT " was deleted outside Daicho", visit);
  g_assert_true (report_names (report, name));
  g_assert_true (report_names (report, "Terminal session #"));
}

/* A visit old enough to be purged, deleted outside Daicho: named while no purge has run
 * since; after a purge, which could have taken it, the numbers no longer add up. */
static void
test_deleted_old (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_copy (ctx, "old");
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  g_autoptr(DcVerifyReport) later = NULL;
  g_autoptr(DcPurgePlan) done = NULL;
  g_autofree char *name = NULL;
  gint64 now = ctx->now + 60 * G_TIME_SPAN_DAY;
  gint64 visit = 0;

  /* the oldest visit left: past retention two months on */
  for (guint i = 0; i < ctx->people->len && visit == 0; i++)
    {
      const Person *p = g_ptr_array_index (ctx->people, i);

      for (guint k = 0; k < p->visits->len && visit == 0; k++)
        if (!g_array_index (p->visits, MVisit, k).gone && !p->held)
          visit = g_array_index (p->visits, MVisit, k).id;
    }
  g_assert_cmpint (visit, >, 0);
  delete_outside (dir, "terminal_sessions", visit);
  delete_outside (dir, "visits", visit);
  store = dc_test_store_open (dir);
  dc_test_store_use_clock (store, &now);
  report = dc_test_verify (store);
  name = g_strdup_printf ("Visit #%" G_GINT64_FORMAT " was deleted outside Daicho", visit);
  g_assert_true (report_names (report, name));

  g_assert_true (dc_purge_run (store, 0, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpint (done->visits, >, 0);
  later = dc_test_verify (store);
  g_assert_false (report_names (later, name));
  g_assert_true (report_names (later, "Visit: "));
  g_assert_true (report_names (later, "Terminal session: "));
  g_assert_true (report_names (later, " rows are missing, but the purges removed only"));
}

/* A store made before the purge and the police ledger existed (schema 1) is migrated when
 * opened, and verifies. */
static void
test_migration (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autofree char *dir = store_copy (ctx, "schema-1");
  g_autofree char *path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  g_autoptr(DcStore) store = NULL;
  sqlite3 *h = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &h, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  /* rows of the newer tables are kept aside (their audit entries stay in the chain) and put
   * back once the migration has made the tables again */
  dc_test_sql_exec (h, "CREATE TABLE keep_cards AS SELECT * FROM cards;"
                       " CREATE TABLE keep_filings AS SELECT * FROM filings;"
                       " CREATE TABLE keep_self_checks AS SELECT * FROM self_checks;"
                       " DROP INDEX verifications_supersedes; DROP INDEX sessions_length;"
                       " DROP TABLE disclosure_exports; DROP TABLE queries; DROP TABLE cards; DROP TABLE filings;"
                       " DROP TABLE self_checks; DROP TABLE identity_keys; PRAGMA user_version = 1;");
  g_assert_cmpint (sqlite3_close (h), ==, SQLITE_OK);

  store = dc_test_store_open (dir);
  dc_test_sql_exec (dc_db_handle (dc_store_db (store)),
                    "INSERT INTO cards SELECT * FROM keep_cards; DROP TABLE keep_cards;"
                    " INSERT INTO filings SELECT * FROM keep_filings; DROP TABLE keep_filings;"
                    " INSERT INTO self_checks SELECT * FROM keep_self_checks; DROP TABLE keep_self_checks;");
  g_assert_cmpint (dc_db_schema_version (dc_store_db (store)), ==, DC_DB_SCHEMA_VERSION);
  g_assert_cmpint (DC_DB_SCHEMA_VERSION, ==, 5);
  h = dc_db_handle (dc_store_db (store));
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA user_version"), ==, 5);
  g_assert_cmpint (dc_test_sql_int (h, "SELECT count (*) FROM sqlite_master WHERE name IN"
                                       " ('verifications_supersedes', 'sessions_length', 'queries',"
                                       "  'disclosure_exports', 'queries_no_update', 'disclosure_exports_no_delete',"
                                       "  'cards', 'cards_end_once', 'filings', 'self_checks', 'identity_keys',"
                                       "  'identity_keys_no_delete', 'identity_keys_no_update')"),
                   ==, 13);
  dc_test_assert_intact (store);
}

/* The scrub on its own, whatever SQLite's rebalancing happens to leave: bytes planted in the
 * unused gap of a leaf page of verifications are gone after it, and nothing else changed. */
static void
test_scrub_planted (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  static const guint8 marker[NEEDLE] = "stale-cell-copy";
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) pieces = g_hash_table_new (needle_hash, needle_equal);
  g_autoptr(GError) error = NULL;
  sqlite3 *h;
  sqlite3_stmt *stmt;
  gint64 planted_page = 0, verifications;
  guint scrubbed = 0;
  guint8 page[4096];
  int fd;

  if (!ctx->built)
    build_timeline (ctx);
  path = g_build_filename (ctx->dir, DC_STORE_DB_NAME, NULL);
  g_assert_true (dc_db_checkpoint (dc_store_db (ctx->store), TRUE, &error));
  g_assert_no_error (error);
  verifications = count_rows (ctx, "verifications");
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (dc_store_db (ctx->store)), "PRAGMA page_size"), ==, sizeof page);

  /* the first leaf page of verifications with room for the marker in its gap */
  h = plain_open (ctx);
  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT pageno FROM dbstat WHERE name = 'verifications'"
                                          " AND pagetype = 'leaf' ORDER BY pageno", -1, &stmt, NULL), ==, SQLITE_OK);
  fd = g_open (path, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  while (planted_page == 0 && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 number = sqlite3_column_int64 (stmt, 0);
      guint cells, content, gap_start;

      g_assert_cmpint (pread (fd, page, sizeof page, (number - 1) * (off_t) sizeof page), ==, sizeof page);
      g_assert_cmpuint (page[0], ==, 13);
      cells = (guint) page[3] << 8 | page[4];
      content = (guint) page[5] << 8 | page[6];
      gap_start = 8 + 2 * cells;
      if (content < gap_start + NEEDLE + 8)
        continue;
      memcpy (page + gap_start + 4, marker, NEEDLE);
      g_assert_cmpint (pwrite (fd, page, sizeof page, (number - 1) * (off_t) sizeof page), ==, sizeof page);
      planted_page = number;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (h);
  close (fd);
  g_assert_cmpint (planted_page, >, 0);
  g_hash_table_add (pieces, (gpointer) marker);
  g_assert_true (file_holds_any (path, pieces));

  g_assert_true (dc_db_purge_scrub (dc_store_db (ctx->store), &scrubbed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scrubbed, >=, 1);
  g_assert_false (file_holds_any (path, pieces));
  /* nothing a cell uses was touched, and a second pass finds nothing left */
  g_assert_cmpint (count_rows (ctx, "verifications"), ==, verifications);
  dc_test_assert_intact (ctx->store);
  g_assert_true (dc_db_purge_scrub (dc_store_db (ctx->store), &scrubbed, &error));
  g_assert_cmpuint (scrubbed, ==, 0);
}

static void
ctx_clear (Ctx *ctx)
{
  g_clear_pointer (&ctx->clerk, dc_actor_free);
  g_clear_pointer (&ctx->boss, dc_actor_free);
  g_clear_pointer (&ctx->store, dc_store_free);
  if (ctx->root != NULL)
    dc_test_remove_tree (ctx->root);
  g_clear_pointer (&ctx->root, g_free);
  g_clear_pointer (&ctx->dir, g_free);
  g_clear_pointer (&ctx->people, g_ptr_array_unref);
  g_clear_pointer (&ctx->tz, g_time_zone_unref);
}

int
main (int argc, char **argv)
{
  Ctx ctx = { 0 };
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/purge/four-years", &ctx, test_four_years);
  g_test_add_data_func ("/purge/verify/deleted-within-retention", &ctx, test_deleted_recent);
  g_test_add_data_func ("/purge/verify/deleted-old-then-purged", &ctx, test_deleted_old);
  g_test_add_data_func ("/purge/scrub/planted-gap", &ctx, test_scrub_planted);
  g_test_add_data_func ("/purge/migration-from-schema-1", &ctx, test_migration);
  status = g_test_run ();
  ctx_clear (&ctx);
  return status;
}
