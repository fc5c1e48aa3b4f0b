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
                                st->table, id));
      return TRUE;
    }
  dc_hash256 (bytes, len, hash);
  if (!bytes_equal (entry.row_hash, hash, 32))
    problem (st->report,
             g_strdup_printf (_("%s #%" PRId64 " was changed outside Daicho (it no longer matches audit entry %" PRId64 ")."),
                              st->table, id, entry.seq));
  dc_audit_row_clear (&entry);
  return TRUE;
}

static gboolean
check_deleted_rows (VerifyState *st, const char *table, GError **error)
{
  DcDb *db = dc_store_db (st->store);
  /* a row is missing by right when its newest entry records the deletion (no row hash) */
  g_autofree char *sql = g_strdup_printf ("SELECT a.subject_id, a.id FROM audit a"
                                          " WHERE a.subject_table = ?1 AND a.row_hash IS NOT NULL"
                                          " AND a.id = (SELECT max (b.id) FROM audit b"
                                          "             WHERE b.subject_table = ?1 AND b.subject_id = a.subject_id)"
                                          " AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.id = a.subject_id)"
                                          " ORDER BY a.subject_id", table);
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, sql, "t", table);

  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    problem (st->report,
             g_strdup_printf (_("%s #%" PRId64 " was deleted outside Daicho (last recorded in audit entry %" PRId64 ")."),
                              table, dc_db_col_int (stmt, 0), dc_db_col_int (stmt, 1)));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
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
      dc_audit_checkpoint_message (st->store, cp->seq, head, cp->at, msg);
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
  ok = ok && dc_db_audit_foreach (db, walk_entry, &st, error);
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
  if (!ok)
    return NULL;
  return g_steal_pointer (&report);
}
