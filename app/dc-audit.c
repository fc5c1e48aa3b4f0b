/* app/dc-audit.c — the audit chain: every change and read appends a hashed, linked entry; verify walks it. */
#include "dc-audit.h"
#include "dc-audit-private.h"
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


#define MAGIC "daicho-audit-v1"

/* The entry hash covers every column but itself; pinned by a known-answer test (test-audit):
 * BLAKE2b-256 over chunk("daicho-audit-v1") u64(seq) u64(at) u64(staff_id or 0) chunk(action)
 * chunk(subject_table or "") u64(subject_id or 0) chunk(row_hash or empty) chunk(prev_hash),
 * where u64 is big-endian and chunk is a u64 length then the bytes. The first entry's
 * prev_hash is 32 zero bytes; row_hash is BLAKE2b-256 of the row's canonical bytes
 * (dc_db_row_canonical). Written into one buffer on the stack when it fits: every check-in
 * appends four or more. */
static void
entry_hash (gint64 seq, gint64 at, gint64 staff_id, const char *action, const char *table, gint64 subject_id,
            gconstpointer row_hash, gsize row_hash_len, gconstpointer prev_hash, gsize prev_hash_len, guint8 out[32])
{
  gsize action_len = action != NULL ? strlen (action) : 0;
  gsize table_len = table != NULL ? strlen (table) : 0;
  gsize size = 8 * 9 + strlen (MAGIC) + action_len + table_len + row_hash_len + prev_hash_len;
  guint8 stack[512];
  g_autofree guint8 *heap = size > sizeof stack ? g_malloc (size) : NULL;
  guint8 *buf = heap != NULL ? heap : stack, *p = buf;

  p = dc_db_write_chunk (p, MAGIC, strlen (MAGIC));
  p = dc_db_write_u64 (p, (guint64) seq);
  p = dc_db_write_u64 (p, (guint64) at);
  p = dc_db_write_u64 (p, (guint64) staff_id);
  p = dc_db_write_chunk (p, action, action_len);
  p = dc_db_write_chunk (p, table, table_len);
  p = dc_db_write_u64 (p, (guint64) subject_id);
  p = dc_db_write_chunk (p, row_hash, row_hash_len);
  p = dc_db_write_chunk (p, prev_hash, prev_hash_len);
  g_assert ((gsize) (p - buf) == size);
  dc_hash256 (buf, size, out);
}

void
dc_audit_entry_hash (const DcAuditRow *row, guint8 out[32])
{
  gsize row_len = 0, prev_len = 0;
  gconstpointer row_hash = row->row_hash != NULL ? g_bytes_get_data (row->row_hash, &row_len) : NULL;
  gconstpointer prev_hash = row->prev_hash != NULL ? g_bytes_get_data (row->prev_hash, &prev_len) : NULL;

  entry_hash (row->seq, row->at, row->staff_id, row->action, row->subject_table, row->subject_id, row_hash, row_len,
              prev_hash, prev_len, out);
}

/* @row_hash NULL or 32 bytes. */
static gboolean
append (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id,
        const guint8 *row_hash, GError **error)
{
  DcDb *db = dc_store_db (store);
  guint8 prev[32], hash[32];
  gint64 head = 0, seq = 0, at;
  gboolean found, ok;
  DcAuditHeadCache *cache = dc_store_audit_head_cache (store);
  guint64 state = dc_db_write_state (db);

  g_return_val_if_fail (dc_db_in_transaction (db), FALSE);

  if (cache->state == state)
    {
      /* this transaction wrote the head itself: no need to read it back */
      memcpy (prev, cache->hash, 32);
      seq = cache->seq + 1;
    }
  else
    {
      if (!dc_db_audit_head (db, &head, prev, &found, error))
        return FALSE;
      if (!found)
        memcpy (prev, zero_hash, 32);
      /* continue after the high-water mark, so deleted tail entries leave a visible gap */
      if (!dc_db_audit_high_water (db, &seq, error))
        return FALSE;
      seq = MAX (seq, head) + 1;
    }
  at = dc_store_now (store);
  entry_hash (seq, at, staff_id, action, table, id, row_hash, row_hash != NULL ? 32 : 0, prev, 32, hash);
  if (dc_db_is_bulk (db))
    ok = dc_db_audit_defer (db, seq, at, staff_id, action, table, id, row_hash, prev, hash, error);
  else
    {
      g_autoptr(GBytes) row_bytes = row_hash != NULL ? g_bytes_new (row_hash, 32) : NULL;
      g_autoptr(GBytes) prev_bytes = g_bytes_new (prev, 32);
      g_autoptr(GBytes) hash_bytes = g_bytes_new (hash, 32);
      DcAuditRow row = {
        .seq = seq,
        .at = at,
        .staff_id = staff_id,
        .action = (char *) action,
        .subject_table = (char *) table,
        .subject_id = id,
        .row_hash = row_bytes,
        .prev_hash = prev_bytes,
        .hash = hash_bytes,
      };

      ok = dc_db_audit_insert (db, &row, error);
    }
  if (!ok)
    {
      cache->state = 0;
      return FALSE;
    }
  cache->state = state;
  cache->seq = seq;
  memcpy (cache->hash, hash, 32);
  return TRUE;
}

gboolean
dc_audit_row_canonical (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id,
                        const GByteArray *canonical, GError **error)
{
  guint8 row_hash[32];

  dc_hash256 (canonical->data, canonical->len, row_hash);
  return append (store, staff_id, action, table, id, row_hash, error);
}

gboolean
dc_audit_row (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id, GError **error)
{
  /* most rows fit: no growing on the way */
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (1024);
  gboolean found;

  if (!dc_db_row_canonical (dc_store_db (store), table, id, bytes, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, "audit: %s #%" G_GINT64_FORMAT " does not exist", table, id);
      return FALSE;
    }
  return dc_audit_row_canonical (store, staff_id, action, table, id, bytes, error);
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

void
dc_audit_checkpoint_message (const char *store_uuid, gint64 seq, const guint8 head[32], gint64 at, GByteArray *out)
{
  put_str (out, "daicho-checkpoint-v1");
  put_str (out, store_uuid);
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
  dc_audit_checkpoint_message (dc_store_uuid (store), row.seq, head, row.at, msg);
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
