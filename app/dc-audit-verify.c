/* app/dc-audit-verify.c — verify: walk the audit chain, recompute every live row's hash, check signatures. */
#include "dc-audit.h"
#include "dc-audit-private.h"
#include "dc-db-records.h"
#include "dc-schema.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

void
dc_verify_report_free (DcVerifyReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->problems);
  g_free (report);
}

typedef struct {
  DcStore        *store;
  DcVerifyReport *report;
  gint64          expected_seq;
  guint8          prev[32];
  GHashTable     *checkpoint_heads;   /* seq → GBytes head hash found in the chain */
  const char     *table;              /* during the row pass */
  GArray         *purges;             /* DcPurgeRow with the seq of its entry, in chain order */
  GArray         *later_cutoff;       /* gint64: the latest cutoff of purges[i] and those after it */
} VerifyState;

#define MAX_PROBLEMS 200

static void
problem (DcVerifyReport *report, char *sentence)
{
  if (report->problems->len < MAX_PROBLEMS)
    g_ptr_array_add (report->problems, sentence);
  else
    g_free (sentence);
}

static gboolean
bytes_equal (GBytes *bytes, const guint8 *expected, gsize len)
{
  gsize n = 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &n) : NULL;

  return n == len && (len == 0 || memcmp (data, expected, len) == 0);
}

static gboolean
walk_entry (const DcAuditRow *row, gpointer user_data, GError **error)
{
  VerifyState *st = user_data;
  guint8 hash[32];

  st->report->entries++;
  if (row->seq == st->expected_seq + 1)
    problem (st->report,
             g_strdup_printf (_("Audit entry %" PRId64 " is missing: it was deleted."), st->expected_seq));
  else if (row->seq != st->expected_seq)
    problem (st->report,
             g_strdup_printf (_("Audit entries %" PRId64 "–%" PRId64 " are missing: they were deleted."),
                              st->expected_seq, row->seq - 1));
  dc_audit_entry_hash (row, hash);
  if (!bytes_equal (row->hash, hash, 32))
    problem (st->report, g_strdup_printf (_("Audit entry %" PRId64 " was altered."), row->seq));
  else if (!bytes_equal (row->prev_hash, st->prev, 32) && row->seq == st->expected_seq)
    problem (st->report,
             g_strdup_printf (_("Audit entry %" PRId64 " does not follow the entry before it: the chain was rewritten."),
                              row->seq));
  if (g_hash_table_contains (st->checkpoint_heads, &row->seq))
    g_hash_table_replace (st->checkpoint_heads, g_memdup2 (&row->seq, sizeof row->seq), g_bytes_ref (row->hash));

  /* continue from what is stored, so one bad entry is reported once */
  if (row->hash != NULL && g_bytes_get_size (row->hash) == 32)
    memcpy (st->prev, g_bytes_get_data (row->hash, NULL), 32);
  st->expected_seq = row->seq + 1;
  st->report->head_seq = row->seq;
  memcpy (st->report->head_hash, st->prev, 32);
  return TRUE;
}

/* What a manager calls a row of @table, for the problems verify reports. */
static const char *
table_label (const char *table)
{
  static const struct { const char *table, *label; } labels[] = {
    { "store", N_("Store details") },
    { "settings", N_("Setting") },
    { "store_keys", N_("Store key") },
    { "staff", N_("Staff member") },
    { "keyslots", N_("Key slot") },
    { "terminals", N_("Terminal") },
    { "customers", N_("Customer") },
    { "verifications", N_("Identity record") },
    { "visits", N_("Visit") },
    { "terminal_sessions", N_("Terminal session") },
    { "holds", N_("Hold") },
    { "disclosures", N_("Disclosure") },
    { "purges", N_("Purge") },
    { "queries", N_("Query") },
    { "disclosure_exports", N_("Export") },
    { "cards", N_("Member card") },
    { "filings", N_("Filing") },
    { "self_checks", N_("Self-inspection") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].table, table))
      return _(labels[i].label);
  return table;
}

static gboolean
check_row (gint64 id, const guint8 *bytes, gsize len, gpointer user_data, GError **error)
{
  VerifyState *st = user_data;
  DcAuditRow entry = { 0 };
  gboolean found;
  guint8 hash[32];

  st->report->rows++;
  if (!dc_db_audit_latest_for (dc_store_db (st->store), st->table, id, &entry, &found, error))
    return FALSE;
  if (!found)
    {
      problem (st->report,
               g_strdup_printf (_("%s #%" PRId64 " has no audit entry: it was added outside Daicho."),
                                table_label (st->table), id));
      return TRUE;
    }
  dc_hash256 (bytes, len, hash);
  if (!bytes_equal (entry.row_hash, hash, 32))
    problem (st->report,
             g_strdup_printf (_("%s #%" PRId64 " was changed outside Daicho (it no longer matches audit entry %" PRId64 ")."),
                              table_label (st->table), id, entry.seq));
  dc_audit_row_clear (&entry);
  return TRUE;
}

/* ---- rows that are gone: deleted by Daicho, purged, or deleted outside it ----
 *
 * A purge leaves no ids behind (design.md §6), so verify cannot look a purged row up: it
 * asks instead whether the row could have been purged, and whether the numbers add up.
 * A row missing from customers, verifications, visits or terminal_sessions is taken as
 * purged when some purge entry comes later in the chain than the row's newest entry (a
 * purge deletes only rows that exist, and nothing is recorded about a row after it has
 * gone) and that purge's cutoff is later than a time the row's own entries prove:
 *  - a visit or a session: its newest entry that is not a read. Every write to one is at
 *    the moment it happens (check-in, move, check-out, auto-close all stamp the time the
 *    entry records), so that entry is at its end; a purge deletes only ends before its
 *    cutoff.
 *  - a customer, or a verification made at a check-in: its first entry. It was written
 *    with a visit that started then, and it can only go after all its visits ended before
 *    a cutoff. Reads come later at any time and prove nothing.
 *  - a correction ("correct") can be made long after its visits and goes with its group:
 *    its entries bound nothing, so only the count below covers it.
 * The times are compared with PURGE_SLACK of tolerance: an entry is written a moment
 * after the end it records, which may fall on the other side of a cutoff (midnight).
 * Then, per table, the rows taken as purged must be exactly as many as the purges say
 * they deleted (the purges rows are in the chain, so their counts cannot be changed
 * unseen). A row deleted outside Daicho is thus named when it was still within retention
 * at every later purge or no purge came after it, and otherwise shows as one surplus.
 *
 * What verify cannot tell: which rows make up a surplus, when each of them was old enough
 * to be purged; a row deleted outside Daicho together with an equal number of purged rows
 * put back with their exact old bytes (from an old backup); and whether a hold was honoured
 * (holds do not name rows; the count catches a held row deleted outside, not one a purge
 * should not have taken, which the run itself prevents). All these need write access to
 * the file, which the append-only triggers, the chain and its signed checkpoints answer. */
#define PURGE_SLACK (10 * 60 * G_USEC_PER_SEC)

typedef enum {
  GONE_NEVER,                       /* no purge deletes this table's rows */
  GONE_BY_LAST_WRITE,
  GONE_BY_FIRST,
  GONE_BY_FIRST_UNLESS_CORRECTION,
} GoneRule;

static const struct {
  const char *table;
  GoneRule    rule;
  glong       count;                /* offset of the table's count in DcPurgeRow */
} purged_tables[] = {
  { "customers", GONE_BY_FIRST, G_STRUCT_OFFSET (DcPurgeRow, customers) },
  { "verifications", GONE_BY_FIRST_UNLESS_CORRECTION, G_STRUCT_OFFSET (DcPurgeRow, verifications) },
  { "visits", GONE_BY_LAST_WRITE, G_STRUCT_OFFSET (DcPurgeRow, visits) },
  { "terminal_sessions", GONE_BY_LAST_WRITE, G_STRUCT_OFFSET (DcPurgeRow, sessions) },
  /* a card goes with its customer, who goes only when the card's last event (issue or
   * end) is before the purge's cutoff; purges do not count cards (-1: no count to match) */
  { "cards", GONE_BY_LAST_WRITE, -1 },
};

typedef struct {
  VerifyState *st;
  const char  *table;
  GoneRule     rule;
  gint64       purged;              /* rows taken as purged */
} GoneState;

/* Index of the first purge after audit entry @seq, or -1. */
static gint
first_purge_after (const GArray *purges, gint64 seq)
{
  guint lo = 0, hi = purges->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (purges, DcPurgeRow, mid).seq > seq)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo < purges->len ? (gint) lo : -1;
}

static gboolean
could_be_purged (const GoneState *g, const DcMissingRow *row)
{
  gint j = first_purge_after (g->st->purges, row->last_seq);
  gint64 proven;

  if (j < 0)
    return FALSE;
  switch (g->rule)
    {
    case GONE_BY_LAST_WRITE:
      proven = row->last_write_at;
      break;
    case GONE_BY_FIRST_UNLESS_CORRECTION:
      if (row->first_correct)
        return TRUE;
      proven = row->first_at;
      break;
    case GONE_BY_FIRST:
      proven = row->first_at;
      break;
    case GONE_NEVER:
    default:
      return FALSE;
    }
  /* some purge from j on must have had a cutoff late enough: the latest of them decides */
  return proven < g_array_index (g->st->later_cutoff, gint64, j) + PURGE_SLACK;
}

static gboolean
check_missing_row (const DcMissingRow *row, gpointer user_data, GError **error)
{
  GoneState *g = user_data;

  /* gone by right: the newest entry records that Daicho itself removed it */
  if (row->removed)
    return TRUE;
  if (could_be_purged (g, row))
    g->purged++;
  else
    problem (g->st->report,
             g_strdup_printf (_("%s #%" PRId64 " was deleted outside Daicho (last recorded in audit entry %" PRId64 ")."),
                              table_label (g->table), row->id, row->last_seq));
  return TRUE;
}

static gboolean
check_deleted_rows (VerifyState *st, const char *table, GError **error)
{
  GoneState g = { .st = st, .table = table, .rule = GONE_NEVER };
  gint64 removed = 0;
  glong count = -1;

  for (gsize i = 0; i < G_N_ELEMENTS (purged_tables); i++)
    if (g_str_equal (purged_tables[i].table, table))
      {
        g.rule = purged_tables[i].rule;
        count = purged_tables[i].count;
      }
  if (!dc_db_audit_missing_rows (dc_store_db (st->store), table, check_missing_row, &g, error))
    return FALSE;
  if (count < 0)
    return TRUE;

  for (guint i = 0; i < st->purges->len; i++)
    removed += G_STRUCT_MEMBER (gint64, &g_array_index (st->purges, DcPurgeRow, i), count);
  if (g.purged > removed)
    problem (st->report,
             g_strdup_printf (_("%s: %" PRId64 " rows are missing, but the purges removed only %" PRId64 ": the others were deleted outside Daicho."),
                              table_label (table), g.purged, removed));
  else if (g.purged < removed)
    problem (st->report,
             g_strdup_printf (_("%s: the purges removed %" PRId64 " rows, but only %" PRId64 " are missing: purged rows were put back outside Daicho."),
                              table_label (table), removed, g.purged));
  return TRUE;
}

/* Every purge in chain order, and for each the latest cutoff of it and the purges after it. */
static gboolean
load_purges (VerifyState *st, GError **error)
{
  st->purges = dc_db_purge_entries (dc_store_db (st->store), error);
  if (st->purges == NULL)
    return FALSE;
  st->later_cutoff = g_array_sized_new (FALSE, TRUE, sizeof (gint64), st->purges->len);
  g_array_set_size (st->later_cutoff, st->purges->len);
  for (guint i = st->purges->len; i-- > 0;)
    {
      gint64 cutoff = g_array_index (st->purges, DcPurgeRow, i).cutoff;

      if (i + 1 < st->purges->len)
        cutoff = MAX (cutoff, g_array_index (st->later_cutoff, gint64, i + 1));
      g_array_index (st->later_cutoff, gint64, i) = cutoff;
    }
  return TRUE;
}

static void
check_triggers (DcStore *store, DcVerifyReport *report, GError **error)
{
  g_autoptr(GPtrArray) names = dc_db_trigger_names (dc_store_db (store), error);

  if (names == NULL)
    return;
  for (const char *const *t = dc_schema_triggers (); *t != NULL; t++)
    {
      gboolean present = FALSE;

      for (guint i = 0; i < names->len && !present; i++)
        present = g_str_equal (g_ptr_array_index (names, i), *t);
      if (!present)
        problem (report, g_strdup_printf (_("The append-only rule %s is missing: the schema was changed outside Daicho."),
                                          *t));
    }
}

static void
check_checkpoints (VerifyState *st, GArray *checkpoints)
{
  for (guint i = 0; i < checkpoints->len; i++)
    {
      DcCheckpointRow *cp = &g_array_index (checkpoints, DcCheckpointRow, i);
      g_autoptr(GByteArray) msg = g_byte_array_new ();
      GBytes *in_chain = g_hash_table_lookup (st->checkpoint_heads, &cp->seq);
      gsize head_len = 0, sig_len = 0;
      const guint8 *head = g_bytes_get_data (cp->head_hash, &head_len);
      const guint8 *sig = g_bytes_get_data (cp->signature, &sig_len);

      st->report->checkpoints++;
      if (head_len != 32 || sig_len != DC_SIGNATURE_BYTES)
        {
          problem (st->report, g_strdup_printf (_("Checkpoint %" PRId64 " is malformed."), cp->id));
          continue;
        }
      dc_audit_checkpoint_message (dc_store_uuid (st->store), cp->seq, head, cp->at, msg);
      if (!dc_signature_check (dc_store_sign_pk (st->store), msg->data, msg->len, sig))
        problem (st->report,
                 g_strdup_printf (_("Checkpoint %" PRId64 " does not carry a valid signature of this store."),
                                  cp->id));
      else if (in_chain == NULL || !bytes_equal (in_chain, head, 32))
        problem (st->report,
                 g_strdup_printf (_("Checkpoint %" PRId64 " signed audit entry %" PRId64 ", which is now missing or different: the chain was cut or rewritten."),
                                  cp->id, cp->seq));
      st->report->checkpoint_seq = MAX (st->report->checkpoint_seq, cp->seq);
    }
}

DcVerifyReport *
dc_audit_verify (DcStore *store, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(DcVerifyReport) report = g_new0 (DcVerifyReport, 1);
  g_autoptr(GArray) checkpoints = NULL;
  g_autoptr(GHashTable) heads = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) g_bytes_unref);
  g_autofree char *damage = NULL;
  VerifyState st = { .store = store, .expected_seq = 1, .checkpoint_heads = heads };
  gint64 high = 0;
  GError *local = NULL;
  gboolean ok;

  report->problems = g_ptr_array_new_with_free_func (g_free);
  st.report = report;

  damage = dc_db_quick_check (db, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (damage != NULL)
    problem (report, g_strdup_printf (_("The database file is damaged: %s"), damage));
  check_triggers (store, report, error);

  /* one read transaction: a consistent picture even while the counter works */
  if (!dc_db_exec (db, "BEGIN", error))
    return NULL;
  checkpoints = dc_db_checkpoint_list (db, error);
  ok = checkpoints != NULL;
  for (guint i = 0; ok && i < checkpoints->len; i++)
    {
      gint64 seq = g_array_index (checkpoints, DcCheckpointRow, i).seq;
      g_hash_table_insert (heads, g_memdup2 (&seq, sizeof seq), NULL);
    }
  ok = ok && dc_db_audit_foreach (db, walk_entry, &st, error) && load_purges (&st, error);
  ok = ok && dc_db_audit_high_water (db, &high, error);
  if (ok && high > report->head_seq)
    problem (report,
             g_strdup_printf (_("The last audit entries (%" PRId64 "–%" PRId64 ") were deleted."),
                              report->head_seq + 1, high));
  for (const char *const *t = dc_schema_audited_tables (); ok && *t != NULL; t++)
    {
      st.table = *t;
      ok = dc_db_foreach_canonical (db, *t, check_row, &st, error) && check_deleted_rows (&st, *t, error);
    }
  if (ok)
    check_checkpoints (&st, checkpoints);
  dc_db_exec (db, "COMMIT", NULL);
  g_clear_pointer (&st.purges, g_array_unref);
  g_clear_pointer (&st.later_cutoff, g_array_unref);
  if (!ok)
    return NULL;
  return g_steal_pointer (&report);
}
