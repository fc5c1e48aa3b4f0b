/* app/dc-audit.c — the audit chain: every change and read appends a hashed, linked entry; verify walks it. */
#include "dc-audit.h"
#include "dc-db-records.h"
#include "dc-schema.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

static const guint8 zero_hash[32];

static void
put_str (GByteArray *out, const char *s)
{
  dc_db_put_chunk (out, s != NULL ? s : "", s != NULL ? strlen (s) : 0);
}

static void
put_bytes (GByteArray *out, GBytes *bytes)
{
  gsize len = 0;
  const void *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  dc_db_put_chunk (out, data, len);
}

/* The entry hash covers every column but itself; pinned by a known-answer test (test-audit):
 * BLAKE2b-256 over chunk("daicho-audit-v1") u64(seq) u64(at) u64(staff_id or 0) chunk(action)
 * chunk(subject_table or "") u64(subject_id or 0) chunk(row_hash or empty) chunk(prev_hash),
 * where u64 is big-endian and chunk is a u64 length then the bytes. The first entry's
 * prev_hash is 32 zero bytes; row_hash is BLAKE2b-256 of the row's canonical bytes
 * (dc_db_row_canonical). */
static void
entry_hash (const DcAuditRow *row, guint8 out[32])
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();

  put_str (buf, "daicho-audit-v1");
  dc_db_put_u64 (buf, (guint64) row->seq);
  dc_db_put_u64 (buf, (guint64) row->at);
  dc_db_put_u64 (buf, (guint64) row->staff_id);
  put_str (buf, row->action);
  put_str (buf, row->subject_table);
  dc_db_put_u64 (buf, (guint64) row->subject_id);
  put_bytes (buf, row->row_hash);
  put_bytes (buf, row->prev_hash);
  dc_hash256 (buf->data, buf->len, out);
}

static gboolean
append (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id, GBytes *row_hash,
        GError **error)
{
  DcDb *db = dc_store_db (store);
  guint8 prev[32], hash[32];
  gint64 head = 0;
  gboolean found;
  g_autoptr(GBytes) prev_bytes = NULL;
  g_autoptr(GBytes) hash_bytes = NULL;
  DcAuditRow row = { 0 };

  DcAuditHeadCache *cache = dc_store_audit_head_cache (store);
  guint64 state = dc_db_write_state (db);

  g_return_val_if_fail (dc_db_in_transaction (db), FALSE);

  if (cache->state == state)
    {
      /* this transaction wrote the head itself: no need to read it back */
      memcpy (prev, cache->hash, 32);
      row.seq = cache->seq + 1;
    }
  else
    {
      if (!dc_db_audit_head (db, &head, prev, &found, error))
        return FALSE;
      if (!found)
        memcpy (prev, zero_hash, 32);
      /* continue after the high-water mark, so deleted tail entries leave a visible gap */
      if (!dc_db_audit_high_water (db, &row.seq, error))
        return FALSE;
      row.seq = MAX (row.seq, head) + 1;
    }
  row.at = dc_store_now (store);
  row.staff_id = staff_id;
  row.action = (char *) action;
  row.subject_table = (char *) table;
  row.subject_id = id;
  row.row_hash = row_hash;
  prev_bytes = g_bytes_new (prev, 32);
  row.prev_hash = prev_bytes;
  entry_hash (&row, hash);
  hash_bytes = g_bytes_new (hash, 32);
  row.hash = hash_bytes;
  if (!dc_db_audit_insert (db, &row, error))
    {
      cache->state = 0;
      return FALSE;
    }
  cache->state = state;
  cache->seq = row.seq;
  memcpy (cache->hash, hash, 32);
  return TRUE;
}

gboolean
dc_audit_row (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GBytes) row_hash = NULL;
  guint8 hash[32];
  gboolean found;

  if (!dc_db_row_canonical (dc_store_db (store), table, id, bytes, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, "audit: %s #%" G_GINT64_FORMAT " does not exist", table, id);
      return FALSE;
    }
  dc_hash256 (bytes->data, bytes->len, hash);
  row_hash = g_bytes_new (hash, 32);
  return append (store, staff_id, action, table, id, row_hash, error);
}

gboolean
dc_audit_event (DcStore *store, gint64 staff_id, const char *action, GError **error)
{
  return append (store, staff_id, action, NULL, 0, NULL, error);
}

gboolean
dc_audit_removed (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id,
                  GError **error)
{
  return append (store, staff_id, action, table, id, NULL, error);
}

static void
checkpoint_message (DcStore *store, gint64 seq, const guint8 head[32], gint64 at, GByteArray *out)
{
  put_str (out, "daicho-checkpoint-v1");
  put_str (out, dc_store_uuid (store));
  dc_db_put_u64 (out, (guint64) seq);
  dc_db_put_chunk (out, head, 32);
  dc_db_put_u64 (out, (guint64) at);
}

gboolean
dc_audit_checkpoint (DcStore *store, const DcVault *vault, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  g_autoptr(GBytes) head_bytes = NULL;
  g_autoptr(GBytes) sig_bytes = NULL;
  guint8 head[32], sig[DC_SIGNATURE_BYTES];
  DcCheckpointRow row = { 0 };
  gboolean found;

  if (!dc_db_audit_head (db, &row.seq, head, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  row.at = dc_store_now (store);
  checkpoint_message (store, row.seq, head, row.at, msg);
  if (!dc_vault_sign (vault, msg->data, msg->len, sig, error))
    return FALSE;
  head_bytes = g_bytes_new (head, 32);
  sig_bytes = g_bytes_new (sig, sizeof sig);
  row.head_hash = head_bytes;
  row.signature = sig_bytes;
  return dc_db_checkpoint_insert (db, &row, error);
}

char *
dc_hex (const guint8 *bytes, gsize len)
{
  GString *s = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02x", bytes[i]);
  return g_string_free (s, FALSE);
}

/* ---- verify ---- */

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
  entry_hash (row, hash);
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
      checkpoint_message (st->store, cp->seq, head, cp->at, msg);
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
