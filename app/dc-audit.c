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
void
dc_audit_entry_hash (const DcAuditRow *row, guint8 out[32])
{
  g_autoptr(GByteArray) buf = g_byte_array_sized_new (256);

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
  dc_audit_entry_hash (&row, hash);
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
dc_audit_row_canonical (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id,
                        const GByteArray *canonical, GError **error)
{
  g_autoptr(GBytes) row_hash = NULL;
  guint8 hash[32];

  dc_hash256 (canonical->data, canonical->len, hash);
  row_hash = g_bytes_new (hash, 32);
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
