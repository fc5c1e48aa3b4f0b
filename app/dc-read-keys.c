/* app/dc-read-keys.c — the fill pass of the police read-key cache: a wrapped shared key for every sealed identity payload. */
#include "dc-police.h"
#include "dc-audit.h"
#include "dc-db-police.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sodium.h>

/* One batch shared among threads: each claims payloads in order and writes only its own
 * slots of @wrapped and @errors; the database stays with the calling thread. */
typedef struct {
  const DcVault *vault;
  GArray        *rows;      /* DcPoliceVerification: id and payload */
  guint8        *wrapped;   /* rows->len × DC_READ_KEY_WRAPPED_BYTES */
  GError       **errors;    /* beside @rows */
  gint           next;      /* atomic */
} FillBatch;

/* Fewer than this many payloads are not worth a thread. */
#define PARALLEL_MIN 16

static gpointer
fill_work (gpointer data)
{
  FillBatch *batch = data;
  guint i;

  while ((i = (guint) g_atomic_int_add (&batch->next, 1)) < batch->rows->len)
    {
      const DcPoliceVerification *row = &g_array_index (batch->rows, DcPoliceVerification, i);

      dc_vault_wrap_sealed_key (batch->vault, row->payload, row->id,
                                batch->wrapped + (gsize) i * DC_READ_KEY_WRAPPED_BYTES, &batch->errors[i]);
    }
  return NULL;
}

static void
fill_run (FillBatch *batch)
{
  guint helpers = batch->rows->len < PARALLEL_MIN ? 0 : g_get_num_processors () - 1;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  for (guint i = 0; i < helpers; i++)
    {
      GThread *thread = g_thread_try_new ("dc-read-keys", fill_work, batch, NULL);

      if (thread == NULL)
        break;
      g_ptr_array_add (threads, thread);
    }
  fill_work (batch);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
}

/* Store one computed batch: one transaction, one audit entry for all of it. */
static gboolean
fill_store (DcStore *store, gint64 staff_id, FillBatch *batch, guint64 *filled, GError **error)
{
  DcDb *db = dc_store_db (store);

  for (guint i = 0; i < batch->rows->len; i++)
    if (batch->errors[i] != NULL)
      {
        const DcPoliceVerification *row = &g_array_index (batch->rows, DcPoliceVerification, i);

        g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                     _("The identity record of verification #%" PRId64 " is damaged: %s"), row->id,
                     batch->errors[i]->message);
        return FALSE;
      }
  if (!dc_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < batch->rows->len; i++)
    {
      const DcPoliceVerification *row = &g_array_index (batch->rows, DcPoliceVerification, i);

      if (!dc_db_identity_key_insert (db, row->id, batch->wrapped + (gsize) i * DC_READ_KEY_WRAPPED_BYTES,
                                      DC_READ_KEY_WRAPPED_BYTES, error))
        {
          dc_db_rollback (db);
          return FALSE;
        }
    }
  if (!dc_audit_event (store, staff_id, "cache-read-keys", error) || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  *filled += batch->rows->len;
  return TRUE;
}

static gboolean
fill_batch (DcStore *store, DcActor *actor, GArray *rows, guint64 *filled, GError **error)
{
  FillBatch batch = {
    .vault = dc_actor_vault (actor),
    .rows = rows,
    .wrapped = g_malloc ((gsize) rows->len * DC_READ_KEY_WRAPPED_BYTES),
    .errors = g_new0 (GError *, rows->len),
  };
  gboolean ok;

  fill_run (&batch);
  ok = fill_store (store, dc_actor_staff_id (actor), &batch, filled, error);
  for (guint i = 0; i < rows->len; i++)
    g_clear_error (&batch.errors[i]);
  g_free (batch.errors);
  g_free (batch.wrapped);
  return ok;
}

gboolean
dc_identity_keys_fill (DcStore *store, DcActor *actor, DcReadKeysProgress progress, gpointer user_data,
                       guint64 *out_filled, GError **error)
{
  DcDb *db = dc_store_db (store);
  gint64 total = 0, after = 0;
  guint64 filled = 0;
  gboolean ok = TRUE, more = TRUE;

  g_return_val_if_fail (store != NULL, FALSE);
  if (out_filled != NULL)
    *out_filled = 0;
  if (actor == NULL || !dc_actor_can_read_identity (actor))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
                   _("Caching the keys that open identity records needs a manager or an auditor signed in with a passphrase."));
      return FALSE;
    }
  if (!dc_db_identity_keys_count_missing (db, &total, error))
    return FALSE;
  /* by id from where the last batch ended: a verification added meanwhile is taken if it
   * comes later, and one the query wrote a key for is simply skipped */
  while (ok && more)
    {
      g_autoptr(GArray) rows = dc_db_identity_keys_missing (db, after, DC_READ_KEYS_BATCH, error);

      if (rows == NULL)
        return FALSE;
      if (rows->len == 0)
        break;
      after = g_array_index (rows, DcPoliceVerification, rows->len - 1).id;
      ok = fill_batch (store, actor, rows, &filled, error);
      if (ok && progress != NULL)
        more = progress (filled, MAX ((guint64) total, filled), user_data);
    }
  if (out_filled != NULL)
    *out_filled = filled;
  return ok;
}

static gboolean
stop_after_one (guint64 done, guint64 total, gpointer user_data)
{
  return FALSE;
}

gboolean
dc_identity_keys_fill_step (DcStore *store, DcActor *actor, gboolean *out_more, GError **error)
{
  guint64 filled = 0;

  g_return_val_if_fail (out_more != NULL, FALSE);
  *out_more = FALSE;
  if (!dc_identity_keys_fill (store, actor, stop_after_one, NULL, &filled, error))
    return FALSE;
  /* a full batch may have left more behind; a short one found the end */
  *out_more = filled == DC_READ_KEYS_BATCH;
  return TRUE;
}

/* ---- one record ---- */

static void
secure_free (gpointer data)
{
  sodium_free (data);
}

GBytes *
dc_identity_keys_open (DcStore *store, const DcVault *vault, gint64 id, GBytes *payload, DcReadKey *key,
                       GError **error)
{
  g_autoptr(GBytes) cached = NULL;
  GError *local = NULL;
  gsize len = g_bytes_get_size (payload);
  gsize plain_len = len >= crypto_box_SEALBYTES ? len - crypto_box_SEALBYTES : 0;
  guint8 *plain;

  g_return_val_if_fail (store != NULL && vault != NULL && payload != NULL && key != NULL, NULL);

  key->fresh = FALSE;
  if (!dc_vault_has_master (vault))
    return dc_vault_open_sealed (vault, payload, error);   /* its refusal */
  cached = dc_db_identity_key_get (dc_store_db (store), id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  /* at least one byte: sodium_malloc (0) is not worth relying on */
  plain = dc_secure_alloc (MAX (plain_len, 1));
  /* a key that does not open it is passed over, as in a police query */
  if (cached == NULL || !dc_vault_open_sealed_cached_to (vault, payload, id, cached, plain, plain_len, NULL))
    {
      if (!dc_vault_open_sealed_wrap_to (vault, payload, id, plain, plain_len, key->wrapped, error))
        {
          sodium_free (plain);
          return NULL;
        }
      key->fresh = cached == NULL;
    }
  return g_bytes_new_with_free_func (plain, plain_len, secure_free, plain);
}

gboolean
dc_identity_keys_keep (DcStore *store, gint64 id, const DcReadKey *key, GError **error)
{
  g_return_val_if_fail (store != NULL && key != NULL, FALSE);

  return !key->fresh
         || dc_db_identity_key_insert (dc_store_db (store), id, key->wrapped, sizeof key->wrapped, error);
}
