/* app/dc-purge.c — the purge (design.md §6): what is past retention and not held goes, in one transaction, then its bytes go too. */
#include "dc-retention.h"
#include "dc-audit.h"
#include "dc-db-records.h"
#include "dc-hold.h"

#include <glib/gi18n-lib.h>
#include <string.h>

void
dc_purge_plan_free (DcPurgePlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->months, g_array_unref);
  g_free (plan);
}

/* ---- counting what goes, by month of service end in store time ---- */

typedef struct {
  GTimeZone     *tz;
  DcPurgePlan   *plan;
  GHashTable    *slots;      /* month number (year × 12 + month) → index + 1 in plan->months */
  DcDbPurgeKind  kind;
  gint64         lo, hi;     /* the last month looked up, [lo, hi) in UTC µs */
  guint          cached;
} Tally;

static gint64
local_month_start (GTimeZone *tz, int year, int month)
{
  g_autoptr(GDateTime) start = NULL;

  if (month > 12)
    {
      year++;
      month = 1;
    }
  start = g_date_time_new (tz, year, month, 1, 0, 0, 0);
  return g_date_time_to_unix (start) * G_USEC_PER_SEC;
}

/* The slot of the month of @at; rows come roughly in time order, so the last month is kept. */
static DcPurgeMonth *
month_slot (Tally *t, gint64 at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  int year, month, key;
  guint index;

  if (t->hi > t->lo && at >= t->lo && at < t->hi)
    return &g_array_index (t->plan->months, DcPurgeMonth, t->cached);

  utc = g_date_time_new_from_unix_utc (at >= 0 ? at / G_USEC_PER_SEC : -((-at + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  local = g_date_time_to_timezone (utc, t->tz);
  g_date_time_get_ymd (local, &year, &month, NULL);
  key = year * 12 + month - 1;
  index = GPOINTER_TO_UINT (g_hash_table_lookup (t->slots, GINT_TO_POINTER (key)));
  if (index == 0)
    {
      DcPurgeMonth empty = { 0 };

      g_snprintf (empty.month, sizeof empty.month, "%04d-%02d", year, month);
      g_array_append_val (t->plan->months, empty);
      index = t->plan->months->len;
      g_hash_table_insert (t->slots, GINT_TO_POINTER (key), GUINT_TO_POINTER (index));
    }
  t->cached = index - 1;
  t->lo = local_month_start (t->tz, year, month);
  t->hi = local_month_start (t->tz, year, month + 1);
  return &g_array_index (t->plan->months, DcPurgeMonth, t->cached);
}

static gboolean
tally_row (gint64 ended, gint64 count, gpointer user_data, GError **error)
{
  Tally *t = user_data;
  DcPurgeMonth *m = month_slot (t, ended);

  switch (t->kind)
    {
    case DC_DB_PURGE_VISITS:
      m->visits += count;
      t->plan->visits += count;
      break;
    case DC_DB_PURGE_SESSIONS:
      m->sessions += count;
      t->plan->sessions += count;
      break;
    case DC_DB_PURGE_VERIFICATIONS:
      m->verifications += count;
      t->plan->verifications += count;
      break;
    case DC_DB_PURGE_CUSTOMERS:
      m->customers += count;
      t->plan->customers += count;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gint
compare_months (gconstpointer a, gconstpointer b)
{
  return strcmp (((const DcPurgeMonth *) a)->month, ((const DcPurgeMonth *) b)->month);
}

/* Count the prepared rows into @plan (its months and totals). */
static gboolean
tally (DcStore *store, DcPurgePlan *plan, GError **error)
{
  g_autoptr(GHashTable) slots = g_hash_table_new (NULL, NULL);
  Tally t = { .tz = dc_store_timezone (store), .plan = plan, .slots = slots };
  static const DcDbPurgeKind kinds[] = {
    DC_DB_PURGE_VISITS, DC_DB_PURGE_SESSIONS, DC_DB_PURGE_VERIFICATIONS, DC_DB_PURGE_CUSTOMERS,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      t.kind = kinds[i];
      if (!dc_db_purge_foreach (dc_store_db (store), kinds[i], tally_row, &t, error))
        return FALSE;
    }
  g_array_sort (plan->months, compare_months);
  return TRUE;
}

static gboolean
held_any (const DcHeldSet *held)
{
  GHashTable *sets[] = { held->visits, held->verifications, held->customers };

  for (gsize i = 0; i < G_N_ELEMENTS (sets); i++)
    if (sets[i] != NULL && g_hash_table_size (sets[i]) > 0)
      return TRUE;
  return FALSE;
}

static DcPurgePlan *
plan_new (gint64 now, gint64 cutoff)
{
  DcPurgePlan *plan = g_new0 (DcPurgePlan, 1);

  plan->now = now;
  plan->cutoff = cutoff;
  plan->months = g_array_new (FALSE, TRUE, sizeof (DcPurgeMonth));
  return plan;
}

/* Work out what goes at @now and leave it prepared (dc_db_purge_*) for a run to delete.
 * What holds keep back is the difference to the same purge without holds: holds only
 * ever keep more. Call inside a transaction. */
static DcPurgePlan *
compute (DcStore *store, const DcHeldSet *held, gint64 now, GError **error)
{
  DcDb *db = dc_store_db (store);
  GTimeZone *tz = dc_store_timezone (store);
  g_autoptr(DcPurgePlan) plan = plan_new (now, dc_retention_cutoff (tz, now));
  g_autoptr(DcPurgePlan) unheld = NULL;

  if (held_any (held))
    {
      unheld = plan_new (now, plan->cutoff);

      if (!dc_db_purge_prepare (db, plan->cutoff, NULL, NULL, NULL, error) || !tally (store, unheld, error))
        return NULL;
    }
  if (!dc_db_purge_prepare (db, plan->cutoff, held->visits, held->verifications, held->customers, error)
      || !tally (store, plan, error))
    return NULL;
  if (unheld != NULL)
    {
      plan->held_visits = unheld->visits - plan->visits;
      plan->held_sessions = unheld->sessions - plan->sessions;
      plan->held_verifications = unheld->verifications - plan->verifications;
      plan->held_customers = unheld->customers - plan->customers;
    }

  if (!dc_db_purge_stats (db, &plan->open_visits, &plan->oldest_end, error))
    return NULL;
  if (plan->oldest_end != 0)
    plan->oldest_purge_from = dc_retention_purge_from (tz, plan->oldest_end);
  return g_steal_pointer (&plan);
}

DcPurgePlan *
dc_purge_plan (DcStore *store, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcHeldSet held = { 0 };
  DcPurgePlan *plan = NULL;

  g_return_val_if_fail (!dc_db_in_transaction (db), NULL);

  /* a read transaction: the counter keeps working while the plan is made */
  if (dc_hold_collect (store, &held, error) && dc_db_read_begin (db, NULL, error))
    {
      plan = compute (store, &held, dc_store_now (store), error);
      dc_db_read_end (db);
    }
  dc_held_set_clear (&held);
  return plan;
}

/* ---- the run ---- */

static gboolean
delete_prepared (DcStore *store, gint64 staff_id, const DcPurgePlan *plan, GError **error)
{
  DcDb *db = dc_store_db (store);
  gint64 counts[4] = { 0 };
  DcPurgeRow row = { 0 };
  gboolean ok;

  dc_db_allow_purge (db, TRUE);
  ok = dc_db_purge_delete (db, counts, error);
  dc_db_allow_purge (db, FALSE);
  if (!ok)
    return FALSE;

  /* the transaction holds the write lock, so nothing can differ from the plan */
  if (counts[DC_DB_PURGE_VISITS] != plan->visits || counts[DC_DB_PURGE_SESSIONS] != plan->sessions
      || counts[DC_DB_PURGE_VERIFICATIONS] != plan->verifications || counts[DC_DB_PURGE_CUSTOMERS] != plan->customers)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("The purge would have deleted other records than it counted: nothing was purged."));
      return FALSE;
    }

  row.at = plan->now;
  row.cutoff = plan->cutoff;
  row.customers = plan->customers;
  row.verifications = plan->verifications;
  row.visits = plan->visits;
  row.sessions = plan->sessions;
  return dc_db_purge_insert (db, &row, &row.id, error)
         && dc_audit_row (store, staff_id, "purge", "purges", row.id, error);
}

static gboolean
purge_locked (DcStore *store, gint64 staff_id, DcPurgePlan **out_plan, GError **error)
{
  DcHeldSet held = { 0 };
  g_autoptr(DcPurgePlan) plan = NULL;

  /* holds are read inside the transaction: one placed a moment ago is honoured */
  if (dc_hold_collect (store, &held, error))
    plan = compute (store, &held, dc_store_now (store), error);
  dc_held_set_clear (&held);
  if (plan == NULL)
    return FALSE;
  /* every run leaves its ledger row and audit entry, an empty one too: the manager sees that
   * the daily timer ran, and when */
  if (!delete_prepared (store, staff_id, plan, error))
    return FALSE;
  if (!dc_db_purge_clear (dc_store_db (store), error))
    return FALSE;
  *out_plan = g_steal_pointer (&plan);
  return TRUE;
}

/* Make the deleted bytes unrecoverable: secure_delete already zeroed them in the pages
 * the transaction wrote to the WAL; the checkpoint copies those pages over the old ones in
 * the file and empties the WAL (whose older frames still held the rows), the incremental
 * vacuum hands the freed pages back, and a second checkpoint writes that into the file so
 * it shrinks. Run after every purge, even an empty one, so a wipe that failed is redone. */
static gboolean
wipe (DcDb *db, GError **error)
{
  guint scrubbed = 0;

  /* and pages SQLite rebuilt while rebalancing keep old copies of moved cells in their
   * unused gap: the scrub zeroes it (dc_db_purge_scrub) */
  return dc_db_checkpoint (db, TRUE, error) && dc_db_purge_vacuum (db, error) && dc_db_checkpoint (db, TRUE, error)
         && dc_db_purge_scrub (db, &scrubbed, error);
}

gboolean
dc_purge_run (DcStore *store, gint64 staff_id, DcPurgePlan **out_done, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(DcPurgePlan) plan = NULL;
  guint closed = 0;

  g_return_val_if_fail (!dc_db_in_transaction (db), FALSE);

  /* a visit left open cannot age: close those open too long first (their own transaction) */
  if (!dc_retention_close_stale (store, &closed, error))
    return FALSE;

  if (!dc_db_begin (db, error))
    return FALSE;
  if (!purge_locked (store, staff_id, &plan, error) || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  if (!wipe (db, error))
    {
      g_prefix_error (error, _("The records were purged, but their space could not be wiped yet (the next purge "
                               "tries again): "));
      return FALSE;
    }
  if (out_done != NULL)
    *out_done = g_steal_pointer (&plan);
  return TRUE;
}

GArray *
dc_purge_history (DcStore *store, GError **error)
{
  g_autoptr(GArray) rows = dc_db_purge_list (dc_store_db (store), error);
  GArray *out;

  if (rows == NULL)
    return NULL;
  out = g_array_sized_new (FALSE, TRUE, sizeof (DcPurgeRecord), rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const DcPurgeRow *r = &g_array_index (rows, DcPurgeRow, i);
      DcPurgeRecord rec = {
        .id = r->id, .at = r->at, .cutoff = r->cutoff, .customers = r->customers,
        .verifications = r->verifications, .visits = r->visits, .sessions = r->sessions,
      };

      g_array_append_val (out, rec);
    }
  return out;
}
