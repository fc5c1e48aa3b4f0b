/* app/dc-police-query.c — police queries: scopes, finding the records, decrypting them once, the query log. */
#include "dc-police.h"
#include "dc-audit.h"
#include "dc-checkin-private.h"
#include "dc-date.h"
#include "dc-db-police.h"
#include "dc-db-records.h"
#include "dc-member.h"
#include "dc-normalize.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#define DOC_NUMBER_MAX_CHARS 40

/* ---- scopes ---- */

static const char *const kind_codes[] = { "time", "person", "name", "document", "member" };

void
dc_query_scope_init (DcQueryScope *scope)
{
  memset (scope, 0, sizeof *scope);
  scope->kind = DC_QUERY_TIME;
  g_date_clear (&scope->dob, 1);
}

/* What was searched for may name a person: wipe it, not only free it. */
static void
wipe_free (char **text)
{
  if (*text == NULL)
    return;
  sodium_memzero (*text, strlen (*text));
  g_clear_pointer (text, g_free);
}

void
dc_query_scope_clear (DcQueryScope *scope)
{
  g_clear_pointer (&scope->terminals, g_ptr_array_unref);
  wipe_free (&scope->name);
  wipe_free (&scope->doc_number);
  wipe_free (&scope->member_number);
  g_clear_pointer (&scope->doc_type, g_free);
  dc_query_scope_init (scope);
}

void
dc_query_scope_copy (const DcQueryScope *src, DcQueryScope *dest)
{
  dc_query_scope_init (dest);
  dest->kind = src->kind;
  dest->from = src->from;
  dest->to = src->to;
  if (src->terminals != NULL)
    {
      dest->terminals = g_ptr_array_new_full (src->terminals->len, g_free);
      for (guint i = 0; i < src->terminals->len; i++)
        g_ptr_array_add (dest->terminals, g_strdup (g_ptr_array_index (src->terminals, i)));
    }
  dest->name = g_strdup (src->name);
  dest->dob = src->dob;
  dest->doc_type = g_strdup (src->doc_type);
  dest->doc_number = g_strdup (src->doc_number);
  dest->member_number = g_strdup (src->member_number);
}

static gboolean
has_terminals (const DcQueryScope *scope)
{
  return scope->terminals != NULL && scope->terminals->len > 0;
}

/* "2026-03-04 14:32:10" in @tz: a police question names the second. */
static char *
format_second (gint64 utc_us, GTimeZone *tz)
{
  gint64 seconds = utc_us / G_USEC_PER_SEC - (utc_us % G_USEC_PER_SEC < 0);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;

  if (local == NULL)
    return g_strdup_printf ("@%" G_GINT64_FORMAT, utc_us);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static char *
join_labels (GPtrArray *terminals)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < terminals->len; i++)
    {
      const char *label = g_ptr_array_index (terminals, i);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", label != NULL ? label : "");
    }
  return g_string_free (text, FALSE);
}

static char *
describe_time (DcStore *store, const DcQueryScope *scope)
{
  GTimeZone *tz = dc_store_timezone (store);
  g_autofree char *from = format_second (scope->from, tz);
  g_autofree char *to = format_second (scope->to, tz);
  g_autofree char *when = NULL;
  g_autofree char *labels = NULL;

  if (scope->from == scope->to || g_str_equal (from, to))
    when = g_strdup (from);
  else if (strlen (from) > 11 && strncmp (from, to, 11) == 0)
    when = g_strdup_printf ("%s – %s", from, to + 11);   /* the date once within one day */
  else
    when = g_strdup_printf ("%s – %s", from, to);
  if (!has_terminals (scope))
    return g_steal_pointer (&when);
  labels = join_labels (scope->terminals);
  return g_strdup_printf ("%s (%s)", when, labels);
}

static const char *
doc_label (const char *code)
{
  const DcDocType *doc = code != NULL ? dc_doc_type_lookup (code) : NULL;

  return doc != NULL ? _(doc->label) : (code != NULL ? code : "");
}


static char *
describe (DcStore *store, const DcQueryScope *scope, gboolean full)
{
  g_autofree char *name = dc_normalize_trim (scope->name);
  g_autofree char *number = dc_normalize_trim (scope->doc_number);
  g_autofree char *member = dc_normalize_trim (scope->member_number);
  g_autofree char *dob = g_date_valid (&scope->dob) ? dc_date_to_iso (&scope->dob) : g_strdup ("");
  char *text = NULL;

  switch (scope->kind)
    {
    case DC_QUERY_TIME:
      text = describe_time (store, scope);
      break;
    case DC_QUERY_PERSON:
      text = full ? g_strdup_printf (_("name and date of birth: %s, %s"), name, dob)
                  : g_strdup (_("name and date of birth"));
      break;
    case DC_QUERY_NAME:
      text = full ? g_strdup_printf (_("name: %s"), name) : g_strdup (_("name"));
      break;
    case DC_QUERY_DOCUMENT:
      text = full ? g_strdup_printf (_("document: %s, number %s"), doc_label (scope->doc_type), number)
                  : g_strdup_printf (_("document: %s"), doc_label (scope->doc_type));
      break;
    case DC_QUERY_MEMBER:
      text = g_strdup_printf (_("member %s"), member);
      break;
    }
  sodium_memzero (name, strlen (name));
  sodium_memzero (number, strlen (number));
  sodium_memzero (dob, strlen (dob));
  return text != NULL ? text : g_strdup ("");
}

char *
dc_query_scope_describe (DcStore *store, const DcQueryScope *scope)
{
  return describe (store, scope, FALSE);
}

char *
dc_query_scope_describe_full (DcStore *store, const DcQueryScope *scope)
{
  return describe (store, scope, TRUE);
}

/* ---- results ---- */

void
dc_query_row_clear (DcQueryRow *row)
{
  g_clear_pointer (&row->terminal, g_free);
  g_clear_pointer (&row->exit_reason, g_free);
  g_clear_pointer (&row->staff_in, g_free);
  g_clear_pointer (&row->staff_out, g_free);
  g_clear_pointer (&row->member_number, g_free);
  g_clear_pointer (&row->verifier, g_free);
  g_clear_pointer (&row->doc_type, g_free);
  g_clear_pointer (&row->identity, dc_identity_record_free);
}

DcQueryResult *
dc_query_result_new (void)
{
  DcQueryResult *result = g_new0 (DcQueryResult, 1);

  result->rows = g_array_new (FALSE, TRUE, sizeof (DcQueryRow));
  g_array_set_clear_func (result->rows, (GDestroyNotify) dc_query_row_clear);
  return result;
}

void
dc_query_result_free (DcQueryResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->rows, g_array_unref);
  g_free (result);
}

/* ---- checking a scope ---- */

/* What a checked scope searches by. */
typedef struct {
  GArray *terminal_ids;   /* TIME: gint64, NULL = every terminal */
  char   *name;           /* PERSON, NAME: normalised */
  GBytes *index;          /* PERSON: person index; DOCUMENT: document index */
  gint64  customer_id;    /* MEMBER: 0 = nobody has it */
} Search;

static void
search_clear (Search *search)
{
  g_clear_pointer (&search->terminal_ids, g_array_unref);
  wipe_free (&search->name);
  g_clear_pointer (&search->index, g_bytes_unref);
}

static gboolean
check_terminals (DcDb *db, const DcQueryScope *scope, Search *search, GError **error)
{
  if (!has_terminals (scope))
    return TRUE;
  search->terminal_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < scope->terminals->len; i++)
    {
      const char *label = g_ptr_array_index (scope->terminals, i);
      DcTerminalRow row = { 0 };
      gboolean found = FALSE;

      if (label != NULL && !dc_db_terminal_find (db, label, &row, &found, error))
        return FALSE;
      if (!found)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no terminal “%s”."),
                       label != NULL ? label : "");
          return FALSE;
        }
      g_array_append_val (search->terminal_ids, row.id);
      dc_terminal_row_clear (&row);
    }
  return TRUE;
}

static gboolean
check_name (const DcQueryScope *scope, Search *search, GError **error)
{
  search->name = dc_normalize_name (scope->name);
  if (*search->name != '\0')
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the name to search for."));
  return FALSE;
}

/* The document index as dc_checkin_prepare_into () computes it: its document code and the
 * normalised number under domain "document". */
static gboolean
is_document_number (const char *number)
{
  gsize len = strlen (number);

  if (len == 0 || len > DOC_NUMBER_MAX_CHARS)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (number[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_document (const DcVault *vault, const DcQueryScope *scope, Search *search, GError **error)
{
  const DcDocType *doc;
  g_autofree char *number = NULL;

  if (scope->doc_type == NULL || *scope->doc_type == '\0')
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Choose the type of document to search for."));
      return FALSE;
    }
  doc = dc_doc_type_lookup (scope->doc_type);
  if (doc == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED, _("“%s” is not a type of document Daicho records."),
                   scope->doc_type);
      return FALSE;
    }
  /* refused whatever was typed, and the number never repeated */
  if (!doc->number_allowed)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_FORBIDDEN_NUMBER,
                   _("The law forbids recording the number of a %s, so no record can be found by it."),
                   _(doc->label));
      return FALSE;
    }
  number = dc_normalize_number (scope->doc_number);
  if (*number == '\0')
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the document number to search for."));
      return FALSE;
    }
  if (!is_document_number (number))
    {
      sodium_memzero (number, strlen (number));
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("A document number is 1 to %d letters and digits."), DOC_NUMBER_MAX_CHARS);
      return FALSE;
    }
  search->index = dc_checkin_document_index (vault, doc->code, number);
  sodium_memzero (number, strlen (number));
  return TRUE;
}

static gboolean
check_member (DcDb *db, const DcQueryScope *scope, Search *search, GError **error)
{
  g_autofree char *number = NULL;
  gboolean found = FALSE;

  g_autofree char *text = dc_normalize_trim (scope->member_number);

  if (*text == '\0')
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the member number to search for."));
      return FALSE;
    }
  if (!dc_member_number_check (scope->member_number, &number))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("This member number is mistyped: its check digit does not match."));
      return FALSE;
    }
  /* nobody with that number is no error: the answer is that there is no record */
  return dc_db_customer_find_by_member (db, number, &search->customer_id, &found, error);
}

static gboolean
check_scope (DcStore *store, DcActor *actor, const DcQueryScope *scope, Search *search, GError **error)
{
  DcDb *db = dc_store_db (store);
  const DcVault *vault = dc_actor_vault (actor);

  switch (scope->kind)
    {
    case DC_QUERY_TIME:
      if (scope->from > scope->to)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The end of the time range is before its start."));
          return FALSE;
        }
      return check_terminals (db, scope, search, error);
    case DC_QUERY_PERSON:
      if (!check_name (scope, search, error))
        return FALSE;
      if (!g_date_valid (&scope->dob))
        {
          g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the date of birth to search for."));
          return FALSE;
        }
      search->index = dc_checkin_person_index (vault, scope->name, &scope->dob);
      return TRUE;
    case DC_QUERY_NAME:
      return check_name (scope, search, error);
    case DC_QUERY_DOCUMENT:
      return check_document (vault, scope, search, error);
    case DC_QUERY_MEMBER:
      return check_member (db, scope, search, error);
    }
  g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Say what to search for."));
  return FALSE;
}

/* ---- decrypting each identity record once ---- */

typedef struct {
  gint64            customer_id;
  gint64            verified_at;
  char             *verifier;
  char             *doc_type;
  DcIdentityRecord *record;
} Opened;

static void
opened_free (Opened *opened)
{
  g_free (opened->verifier);
  g_free (opened->doc_type);
  dc_identity_record_free (opened->record);
  g_free (opened);
}

/* verification id → Opened */
static GHashTable *
opened_table_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) opened_free);
}

/* What one payload became: its record, or why it did not open; and how. */
typedef struct {
  gsize             offset;   /* of its plain bytes in the batch's block */
  DcIdentityRecord *record;
  GError           *error;
  gboolean          cached;   /* opened with its cached read key */
  gboolean          refused;  /* it had one, which did not open it */
  gboolean          fresh;    /* opened with X25519, no key cached: @wrapped is to be stored */
  guint8            wrapped[DC_READ_KEY_WRAPPED_BYTES];
} Outcome;

/* A read key computed by the query, to store with its log entry. */
typedef struct {
  gint64 id;
  guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES];
} FreshKey;

/* The read keys of one query: those it computed, and how the cached ones fared. */
typedef struct {
  GArray *fresh;     /* FreshKey */
  guint   used;
  guint   refused;
} ReadKeys;

/* ---- helper threads ---- */

/* Threads in the pool at most; a batch of payloads takes one fewer, so that a seal's helper
 * never queues behind it. */
#define HELPERS_MAX 16

/* Work handed to a thread of a pool the queries share: starting a thread for each piece of
 * work took 60–150 µs on a 2-core virtual machine, waking an idle one about half that. */
typedef struct {
  GThreadFunc func;
  gpointer    data;
  GMutex      lock;
  GCond       cond;
  gboolean    done;
} Helper;

static void
helper_run (gpointer task, gpointer unused)
{
  Helper *helper = task;

  helper->func (helper->data);
  g_mutex_lock (&helper->lock);
  helper->done = TRUE;
  g_cond_signal (&helper->cond);
  g_mutex_unlock (&helper->lock);
}

/* Start @func (@data) on a pooled thread. FALSE: no thread could be had; the caller does the
 * work itself, and does not join @helper. */
static gboolean
helper_start (Helper *helper, GThreadFunc func, gpointer data)
{
  static GThreadPool *pool = NULL;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (helper_run, NULL, HELPERS_MAX, FALSE, NULL));
  helper->func = func;
  helper->data = data;
  helper->done = FALSE;
  g_mutex_init (&helper->lock);
  g_cond_init (&helper->cond);
  if (g_thread_pool_push (pool, helper, NULL))
    return TRUE;
  g_mutex_clear (&helper->lock);
  g_cond_clear (&helper->cond);
  return FALSE;
}

/* Wait until @helper's work is done. */
static void
helper_join (Helper *helper)
{
  g_mutex_lock (&helper->lock);
  while (!helper->done)
    g_cond_wait (&helper->cond, &helper->lock);
  g_mutex_unlock (&helper->lock);
  g_mutex_clear (&helper->lock);
  g_cond_clear (&helper->cond);
}

/* A batch of payloads opened by several threads. The payloads are only read, and each
 * thread writes only the outcomes and block slots of the payloads it claimed, so the
 * threads share nothing else; the database stays with the calling thread. */
typedef struct {
  const DcVault *vault;
  GArray        *found;      /* DcPoliceVerification, read only */
  Outcome       *outcomes;   /* beside @found */
  GBytes        *block;      /* every plain payload, in one sodium_malloc block */
  gint           next;       /* atomic: the next payload to claim */
  gint           failed;     /* atomic: stop claiming */
} Batch;

/* Fewer payloads than this are opened on the calling thread: a thread costs more than
 * it saves. */
#define PARALLEL_MIN_PAYLOADS 8
/* Each plain payload is placed so that its byte 1, where the record's variant starts, is
 * aligned: GVariant reads data in place only when aligned (and copies it otherwise). */
#define SLOT_ALIGN 16

static gsize
plain_length (GBytes *sealed)
{
  gsize len = g_bytes_get_size (sealed);

  return len >= crypto_box_SEALBYTES ? len - crypto_box_SEALBYTES : 0;
}

static void
block_free (gpointer data)
{
  sodium_free (data);
}

/* One secure block for the whole batch: a sodium_malloc costs a handful of system calls
 * (mmap, mprotect, mlock and back) that threads would also queue on. The block is wiped
 * when its last slice is gone. */
static void
batch_place (Batch *batch)
{
  gsize size = SLOT_ALIGN, offset;
  guint8 *data;

  for (guint i = 0; i < batch->found->len; i++)
    size += plain_length (g_array_index (batch->found, DcPoliceVerification, i).payload) + SLOT_ALIGN;
  data = dc_secure_alloc (size);
  offset = 0;
  for (guint i = 0; i < batch->found->len; i++)
    {
      offset += (SLOT_ALIGN - ((guintptr) data + offset + 1) % SLOT_ALIGN) % SLOT_ALIGN;
      batch->outcomes[i].offset = offset;
      offset += plain_length (g_array_index (batch->found, DcPoliceVerification, i).payload);
    }
  g_assert (offset <= size);
  batch->block = g_bytes_new_with_free_func (data, size, block_free, data);
}

/* The plain bytes are only ever in the block (the record keeps a copy in secure memory or
 * a slice of the block). A cached read key saves the X25519; one that does not open the
 * payload (altered, or moved from another record) is passed over: the payload itself is
 * the record, and X25519 opens it as if no key had been cached. */
static void
open_one (Batch *batch, guint i)
{
  DcPoliceVerification *row = &g_array_index (batch->found, DcPoliceVerification, i);
  Outcome *outcome = &batch->outcomes[i];
  gsize len = plain_length (row->payload);
  guint8 *out = (guint8 *) g_bytes_get_data (batch->block, NULL) + outcome->offset;
  g_autoptr(GBytes) plain = NULL;

  if (row->read_key != NULL)
    {
      outcome->cached = dc_vault_open_sealed_cached_to (batch->vault, row->payload, row->id, row->read_key, out,
                                                        len, NULL);
      outcome->refused = !outcome->cached;
    }
  if (!outcome->cached)
    {
      if (!dc_vault_open_sealed_wrap_to (batch->vault, row->payload, row->id, out, len, outcome->wrapped,
                                         &outcome->error))
        return;
      outcome->fresh = row->read_key == NULL;
    }
  plain = g_bytes_new_from_bytes (batch->block, outcome->offset, len);
  outcome->record = dc_identity_record_new_from_bytes (plain, &outcome->error);
}

/* Payloads are claimed in order, so when one fails every earlier one has been claimed
 * and finishes: the first failure in order is among those seen, as if opened one by one. */
static gpointer
batch_work (gpointer data)
{
  Batch *batch = data;

  while (!g_atomic_int_get (&batch->failed))
    {
      guint i = (guint) g_atomic_int_add (&batch->next, 1);

      if (i >= batch->found->len)
        break;
      open_one (batch, i);
      if (batch->outcomes[i].record == NULL)
        g_atomic_int_set (&batch->failed, 1);
    }
  return NULL;
}

/* One X25519 per payload dominates a query: share them among the processors. The helpers
 * start on the batch at once; the calling thread joins in with batch_join (), when it is
 * done with what it does meanwhile. */
static GArray *
batch_start (Batch *batch)
{
  guint len = batch->found->len;
  guint wanted = len < PARALLEL_MIN_PAYLOADS ? 0 : MIN (MIN (g_get_num_processors (), len / 4) - 1, HELPERS_MAX - 1);
  GArray *helpers = g_array_sized_new (FALSE, FALSE, sizeof (Helper), wanted);

  /* sized once: the pool holds pointers into the array */
  for (guint i = 0; i < wanted; i++)
    {
      g_array_set_size (helpers, i + 1);
      if (!helper_start (&g_array_index (helpers, Helper, i), batch_work, batch))
        {
          g_array_set_size (helpers, i);
          break;   /* fewer helpers: the calling thread does the rest */
        }
    }
  return helpers;
}

static void
batch_join (Batch *batch, GArray *helpers)
{
  batch_work (batch);
  for (guint i = 0; i < helpers->len; i++)
    helper_join (&g_array_index (helpers, Helper, i));
  g_array_unref (helpers);
}

static Opened *
opened_new (DcPoliceVerification *row, DcIdentityRecord *record)
{
  Opened *opened = g_new0 (Opened, 1);

  opened->customer_id = row->customer_id;
  opened->verified_at = row->verified_at;
  opened->verifier = g_steal_pointer (&row->verifier);
  opened->doc_type = g_steal_pointer (&row->doc_type);
  opened->record = record;
  return opened;
}

static void
keys_note (ReadKeys *keys, const DcPoliceVerification *row, const Outcome *outcome)
{
  keys->used += outcome->cached;
  keys->refused += outcome->refused;
  if (outcome->fresh)
    {
      FreshKey key = { .id = row->id };

      memcpy (key.wrapped, outcome->wrapped, sizeof key.wrapped);
      g_array_append_val (keys->fresh, key);
    }
}

/* Payloads being opened: started by open_start (), which returns at once, and always
 * ended by open_finish (). */
typedef struct {
  Batch   batch;
  GArray *helpers;   /* Helper; NULL: nothing to open */
} Opening;

/* Start opening every payload of @found (DcPoliceVerification, taken) on helper threads. */
static void
open_start (const DcVault *vault, GArray *found, Opening *opening)
{
  memset (opening, 0, sizeof *opening);
  opening->batch.vault = vault;
  opening->batch.found = found;
  opening->batch.outcomes = g_new0 (Outcome, found->len);
  if (found->len == 0)
    return;
  batch_place (&opening->batch);
  opening->helpers = batch_start (&opening->batch);
}

/* Open what is left of @opening on this thread, wait for the helpers, and put every record
 * into @cache (id → Opened), noting the read keys in @keys. On failure, the error of the
 * first payload in @found's order that did not open. */
static gboolean
open_finish (Opening *opening, GHashTable *cache, ReadKeys *keys, GError **error)
{
  /* the helpers share this very Batch: its counter claims each payload once */
  Batch *batch = &opening->batch;
  GArray *found = batch->found;
  Outcome *outcomes = batch->outcomes;
  gboolean ok = TRUE;

  if (opening->helpers != NULL)
    {
      batch_join (batch, g_steal_pointer (&opening->helpers));
      g_bytes_unref (batch->block);
    }
  for (guint i = 0; i < found->len; i++)
    {
      DcPoliceVerification *row = &g_array_index (found, DcPoliceVerification, i);
      Outcome *outcome = &outcomes[i];

      if (!ok)
        {
          g_clear_pointer (&outcome->record, dc_identity_record_free);
          g_clear_error (&outcome->error);
        }
      else if (outcome->record != NULL)
        {
          keys_note (keys, row, outcome);
          g_hash_table_replace (cache, g_memdup2 (&row->id, sizeof row->id), opened_new (row, outcome->record));
        }
      else
        {
          g_propagate_error (error, outcome->error);
          ok = FALSE;
        }
    }
  g_free (outcomes);
  g_array_unref (found);
  memset (opening, 0, sizeof *opening);
  return ok;
}

/* Open every payload of @found (DcPoliceVerification) into @cache, as open_finish () does. */
static gboolean
open_all (const DcVault *vault, GArray *found, GHashTable *cache, ReadKeys *keys, GError **error)
{
  Opening opening;

  open_start (vault, g_array_ref (found), &opening);
  return open_finish (&opening, cache, keys, error);
}

/* A second owner of @record's strings: they live in its variant (format 1) or its bytes
 * (format 2), whichever it holds. */
static DcIdentityRecord *
record_share (const DcIdentityRecord *record)
{
  DcIdentityRecord *copy = g_new0 (DcIdentityRecord, 1);

  copy->identity = record->identity;
  copy->variant = record->variant != NULL ? g_variant_ref (record->variant) : NULL;
  copy->bytes = record->bytes != NULL ? g_bytes_ref (record->bytes) : NULL;
  return copy;
}

static void
add_id (GArray *ids, GHashTable *seen, gint64 id)
{
  if (g_hash_table_contains (seen, &id))
    return;
  g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
  g_array_append_val (ids, id);
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static GHashTable *
id_set_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* ---- finding the customers ---- */

/* NAME: the coarse index gives candidates, each opened and its normalised name compared. */
static gboolean
customers_by_name (DcDb *db, const DcVault *vault, const char *name, GHashTable *cache, ReadKeys *keys,
                   GArray *out, GError **error)
{
  g_autoptr(GArray) candidates = dc_db_police_name_candidates (db, dc_vault_name_index (vault, name), error);
  g_autoptr(GHashTable) seen = id_set_new ();

  if (candidates == NULL || !open_all (vault, candidates, cache, keys, error))
    return FALSE;
  for (guint i = 0; i < candidates->len; i++)
    {
      DcPoliceVerification *row = &g_array_index (candidates, DcPoliceVerification, i);
      const Opened *opened = g_hash_table_lookup (cache, &row->id);
      g_autofree char *norm = NULL;

      g_assert (opened != NULL);
      norm = dc_normalize_name (opened->record->identity.name);
      if (g_str_equal (norm, name))
        add_id (out, seen, opened->customer_id);
      sodium_memzero (norm, strlen (norm));
    }
  g_array_sort (out, compare_ids);
  return TRUE;
}

/* ---- the searched values, sealed for the log ---- */

/* The values searched for, sealed for the log. Its X25519 runs beside the query's own work:
 * on whichever half of a time query is read first, or on a helper of its own. */
typedef struct {
  const guint8 *box_pk;
  char         *full;     /* may name a person: wiped once sealed */
  GBytes       *sealed;
  gboolean      helped;   /* sealed by a helper of its own; else by a half of a time query, or at the end */
  Helper        helper;
  gint          claimed;  /* atomic: a half of a time query took it (seal_claim) */
} ScopeSeal;

static gpointer
seal_scope (gpointer data)
{
  ScopeSeal *seal = data;
  gsize len = strlen (seal->full);
  g_autoptr(GBytes) plain = g_bytes_new_static (seal->full, len);

  seal->sealed = dc_seal (seal->box_pk, plain);
  sodium_memzero (seal->full, len);
  g_clear_pointer (&seal->full, g_free);
  return NULL;
}

/* @own_helper: FALSE when a half of a time query will seal it (time_rows_parallel): a third
 * thread on two processors only makes both halves wait. */
static void
seal_start (DcStore *store, const DcQueryScope *scope, gboolean own_helper, ScopeSeal *seal)
{
  seal->box_pk = dc_store_box_pk (store);
  seal->full = dc_query_scope_describe_full (store, scope);
  seal->helped = own_helper && helper_start (&seal->helper, seal_scope, seal);
}

/* Seal now if nobody has: the first of a time query's two halves to be read does it, while
 * the other is still reading. */
static void
seal_claim (ScopeSeal *seal)
{
  if (!seal->helped && g_atomic_int_compare_and_exchange (&seal->claimed, 0, 1))
    seal_scope (seal);
}

/* The sealed scope (owned by @seal), sealed here if no thread did; every path out of a query
 * comes through here. */
static GBytes *
seal_finish (ScopeSeal *seal)
{
  if (seal->helped)
    {
      helper_join (&seal->helper);
      seal->helped = FALSE;
    }
  if (seal->sealed == NULL && seal->full != NULL)
    seal_scope (seal);
  return seal->sealed;
}

static void
seal_clear (ScopeSeal *seal)
{
  seal_finish (seal);
  g_clear_pointer (&seal->sealed, g_bytes_unref);
}

/* ---- a time point on two connections at once ---- */

/* The two halves are shares of the sessions by id modulo SHARES: the writing connection
 * reads WRITER_SHARE of them, the reader the rest. The reader's page cache is dropped
 * whenever the file changed since its last read, and every query writes its log, so it
 * starts cold: with the rows split evenly it finished about a quarter later. 12 of 20 beat
 * 10, 11 and 13 in alternating runs (p50 2.45-2.66 ms against 2.63-2.75 for an even split). */
#define SHARES       20
#define WRITER_SHARE 12

/* One half of a time query, on a connection of its own. */
typedef struct {
  DcDb      *db;
  gint64     from, to;
  guint      lo, hi;       /* its share: sessions whose id modulo SHARES is in [lo, hi) */
  GArray    *rows;
  gint64     audit_head;   /* the moment it read */
  GError    *error;
  ScopeSeal *seal;         /* to seal once its half is read, unless the other half did */
} TimeHalf;

static gpointer
time_half_run (gpointer data)
{
  TimeHalf *half = data;

  if (dc_db_read_begin (half->db, &half->audit_head, &half->error))
    {
      half->rows = dc_db_police_time_part (half->db, half->from, half->to, NULL, half->lo, half->hi, SHARES,
                                           &half->error);
      dc_db_read_end (half->db);
    }
  /* whether the seal has a helper of its own is settled before the halves start */
  seal_claim (half->seal);
  return NULL;
}

static void
time_half_clear (TimeHalf *half)
{
  g_clear_pointer (&half->rows, g_array_unref);
  g_clear_error (&half->error);
}

/* Every terminal at a time point or over a range: most of a query is SQLite following rows
 * from session to visit, customer, verification and read key, one connection's work on one
 * processor. The sessions are split in two halves read at once (see SHARES): one by the
 * store's writing connection, the other by its reader on a second thread; whichever is done
 * first seals @seal. (Split by terminal, the halves were uneven: the busy booths are not
 * spread evenly over odd and even ids; session ids are handed out in turn.) Each half reads
 * in one transaction; when both saw the same newest audit entry they saw the same records
 * (every change appends one), otherwise the query is read again whole. Called only when
 * reads_in_halves () said so; NULL: no reader or no helper to be had. */
static GArray *
time_rows_parallel (DcStore *store, const DcQueryScope *scope, ScopeSeal *seal, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcDb *reader;
  TimeHalf mine = { .db = db, .from = scope->from, .to = scope->to, .lo = 0, .hi = WRITER_SHARE, .seal = seal };
  TimeHalf other = { .from = scope->from, .to = scope->to, .lo = WRITER_SHARE, .hi = SHARES, .seal = seal };
  Helper helper;
  GArray *rows = NULL;

  if ((reader = dc_store_reader (store, NULL)) == NULL)
    return NULL;
  other.db = reader;
  if (!helper_start (&helper, time_half_run, &other))
    return NULL;
  time_half_run (&mine);
  helper_join (&helper);
  if (mine.error != NULL || other.error != NULL)
    g_propagate_error (error, mine.error != NULL ? g_steal_pointer (&mine.error) : g_steal_pointer (&other.error));
  else if (mine.audit_head == other.audit_head)
    {
      rows = g_steal_pointer (&mine.rows);
      g_array_append_vals (rows, other.rows->data, other.rows->len);
      /* the rows moved: the other array only lets go of its memory */
      g_array_set_clear_func (other.rows, NULL);
      if (dc_db_police_rows_name (db, rows, error))
        dc_db_police_time_sort (rows);
      else
        g_clear_pointer (&rows, g_array_unref);
    }
  time_half_clear (&mine);
  time_half_clear (&other);
  return rows;
}

/* Whether a time query reads in two halves at once (time_rows_parallel () may still fall
 * back to one connection). A few terminals make few rows: one connection reads them sooner
 * than two start. */
static gboolean
reads_in_halves (DcStore *store, const DcQueryScope *scope, const Search *search)
{
  return scope->kind == DC_QUERY_TIME && search->terminal_ids == NULL && g_get_num_processors () >= 2
         && !dc_db_in_transaction (dc_store_db (store));
}

static GArray *
time_rows (DcStore *store, const DcQueryScope *scope, Search *search, ScopeSeal *seal, gboolean *in_halves,
           GError **error)
{
  GError *local = NULL;
  GArray *rows;

  if (reads_in_halves (store, scope, search))
    {
      rows = time_rows_parallel (store, scope, seal, &local);
      *in_halves = rows != NULL;
      if (rows != NULL || local != NULL)
        {
          if (local != NULL)
            g_propagate_error (error, local);
          return rows;
        }
    }
  return dc_db_police_time (dc_store_db (store), scope->from, scope->to, search->terminal_ids, error);
}

static GArray *
find_rows (DcStore *store, DcActor *actor, const DcQueryScope *scope, Search *search, ScopeSeal *seal,
           GHashTable *cache, ReadKeys *keys, gboolean *in_halves, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(GArray) customers = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ok = TRUE;

  switch (scope->kind)
    {
    case DC_QUERY_TIME:
      return time_rows (store, scope, search, seal, in_halves, error);
    case DC_QUERY_PERSON:
      ok = dc_db_police_customers_by_person (db, search->index, customers, error);
      break;
    case DC_QUERY_NAME:
      ok = customers_by_name (db, dc_actor_vault (actor), search->name, cache, keys, customers, error);
      break;
    case DC_QUERY_DOCUMENT:
      ok = dc_db_police_customers_by_document (db, search->index, customers, error);
      break;
    case DC_QUERY_MEMBER:
      if (search->customer_id != 0)
        g_array_append_val (customers, search->customer_id);
      break;
    }
  if (!ok)
    return NULL;
  return dc_db_police_visits_of (db, customers, error);
}

/* ---- the rows ---- */

/* Start opening every record in force that @rows rely on and is not in @cache yet; fill
 * @in_force (recorded id → id in force, for the corrected ones only). A row brings the
 * verification it recorded when nothing supersedes it, which is nearly always: only the
 * corrected ones cost more look-ups. FALSE: a look-up failed, and nothing was started. */
static gboolean
in_force_start (DcDb *db, const DcVault *vault, GArray *rows, GHashTable *in_force, GHashTable *cache,
                Opening *opening, GError **error)
{
  g_autoptr(GArray) corrected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = id_set_new ();
  g_autoptr(GHashTable) seen_wanted = id_set_new ();
  g_autoptr(GArray) found = g_array_new (FALSE, TRUE, sizeof (DcPoliceVerification));
  g_autoptr(GHashTable) corrections = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_array_set_clear_func (found, (GDestroyNotify) dc_police_verification_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      DcPoliceRow *row = &g_array_index (rows, DcPoliceRow, i);
      gint64 id = row->verification_id;

      if (row->superseded)
        {
          add_id (corrected, seen, id);
          continue;
        }
      if (g_hash_table_contains (cache, &id) || g_hash_table_contains (seen_wanted, &id))
        continue;
      g_hash_table_add (seen_wanted, g_memdup2 (&id, sizeof id));
      g_array_append_val (found, row->recorded);
      memset (&row->recorded, 0, sizeof row->recorded);
    }
  if (corrected->len > 0)
    {
      corrections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      if (!dc_db_police_in_force (db, corrected, corrections, error))
        return FALSE;
      g_hash_table_iter_init (&iter, corrections);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (!g_hash_table_contains (cache, value))
            add_id (wanted, seen_wanted, *(gint64 *) value);
          g_hash_table_insert (in_force, g_memdup2 (key, sizeof (gint64)), g_memdup2 (value, sizeof (gint64)));
        }
    }
  if (wanted->len > 0)
    {
      g_autoptr(GArray) more = dc_db_police_verifications (db, wanted, error);

      if (more == NULL)
        return FALSE;
      for (guint i = 0; i < more->len; i++)
        {
          g_array_append_val (found, g_array_index (more, DcPoliceVerification, i));
          memset (&g_array_index (more, DcPoliceVerification, i), 0, sizeof (DcPoliceVerification));
        }
    }
  open_start (vault, g_steal_pointer (&found), opening);
  return TRUE;
}

static void
make_row (DcPoliceRow *from, gint64 in_force, const Opened *opened, DcQueryRow *row)
{
  row->session_id = from->session_id;
  row->terminal = g_steal_pointer (&from->terminal);
  row->terminal_filtered = from->terminal_filtered;
  row->started_at = from->started_at;
  row->ended_at = from->ended_at;
  row->visit_id = from->visit_id;
  row->entered_at = from->entered_at;
  row->exited_at = from->exited_at;
  row->exit_reason = g_steal_pointer (&from->exit_reason);
  row->minor = from->minor;
  row->staff_in = g_steal_pointer (&from->staff_in);
  row->staff_out = g_steal_pointer (&from->staff_out);
  row->customer_id = from->customer_id;
  row->member_number = g_steal_pointer (&from->member_number);
  row->verification_id = in_force;
  row->corrected = in_force != from->verification_id;
  row->verified_at = opened->verified_at;
  row->verifier = g_strdup (opened->verifier);
  row->doc_type = g_strdup (opened->doc_type);
  row->identity = record_share (opened->record);
}

/* How many different values @ids holds (sorted on the way). */
static guint
count_unique (GArray *ids)
{
  guint n = 0;

  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    n += i == 0 || g_array_index (ids, gint64, i) != g_array_index (ids, gint64, i - 1);
  return n;
}

/* What the query log records of @rows, known before any record is opened. */
static void
count_rows (GArray *rows, DcQueryResult *result)
{
  g_autoptr(GArray) visits = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      const DcPoliceRow *row = &g_array_index (rows, DcPoliceRow, i);

      result->sessions += row->session_id != 0;
      g_array_append_val (visits, row->visit_id);
    }
  result->visits = count_unique (visits);
}

/* The rows of @result from @rows, once every record in force is in @cache. */
static void
build_result (GArray *rows, GHashTable *in_force, GHashTable *cache, DcQueryResult *result)
{
  g_autoptr(GArray) verifications = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);
  g_autoptr(GArray) customers = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);

  g_array_set_size (result->rows, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      DcPoliceRow *from = &g_array_index (rows, DcPoliceRow, i);
      DcQueryRow *row = &g_array_index (result->rows, DcQueryRow, i);
      const gint64 *corrected = g_hash_table_lookup (in_force, &from->verification_id);
      gint64 current = corrected != NULL ? *corrected : from->verification_id;
      const Opened *opened = g_hash_table_lookup (cache, &current);

      g_assert (opened != NULL);
      make_row (from, current, opened, row);
      g_array_append_val (verifications, row->verification_id);
      g_array_append_val (customers, row->customer_id);
    }
  result->verifications = count_unique (verifications);
  result->customers = count_unique (customers);
}

/* ---- the query log ---- */

/* The read keys the query computed, stored under its log entry's audit entry: the next
 * query that needs those records opens them without X25519. A cached key that was refused
 * leaves an entry of its own in the chain: someone with the file changed it. */
static gboolean
store_read_keys (DcStore *store, gint64 staff_id, const ReadKeys *keys, GError **error)
{
  DcDb *db = dc_store_db (store);

  for (guint i = 0; i < keys->fresh->len; i++)
    {
      const FreshKey *key = &g_array_index (keys->fresh, FreshKey, i);

      if (!dc_db_identity_key_insert (db, key->id, key->wrapped, sizeof key->wrapped, error))
        return FALSE;
    }
  return keys->refused == 0 || dc_audit_event (store, staff_id, "read-key-refused", error);
}

/* The query on record, with what it found and the read keys of @keys: committed before
 * anyone sees a row. */
static gboolean
log_query (DcStore *store, DcActor *actor, const DcQueryScope *scope, gint64 request_id, const ReadKeys *keys,
           ScopeSeal *seal, DcQueryResult *result, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *readable = dc_query_scope_describe (store, scope);
  DcQueryLogRow row = {
    .at = dc_store_now (store),
    .staff_id = dc_actor_staff_id (actor),
    .disclosure_id = request_id,
    .kind = kind_codes[scope->kind],
    .scope = readable,
    .sealed_scope = seal_finish (seal),
    .sessions = result->sessions,
    .visits = result->visits,
  };

  if (!dc_db_begin (db, error))
    return FALSE;
  if (!dc_db_query_log_insert (db, &row, &result->query_id, error)
      || !dc_audit_row (store, row.staff_id, "query", "queries", result->query_id, error)
      || !store_read_keys (store, row.staff_id, keys, error)
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      result->query_id = 0;
      return FALSE;
    }
  return TRUE;
}

static gboolean
request_exists (DcStore *store, gint64 request_id, GError **error)
{
  gboolean found = FALSE;

  if (!dc_db_hold_target_exists (dc_store_db (store), "disclosures", request_id, &found, error))
    return FALSE;
  if (!found)
    g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no request #%" PRId64 "."), request_id);
  return found;
}

/* Whether every payload @opening opens has a cached read key: none will need X25519, and
 * none will have a key to store (unless a cached one is refused, which is rare). */
static gboolean
opening_all_cached (const Opening *opening)
{
  for (guint i = 0; i < opening->batch.found->len; i++)
    if (g_array_index (opening->batch.found, DcPoliceVerification, i).read_key == NULL)
      return FALSE;
  return TRUE;
}

/* Open the records @rows rely on, log the query, and make its rows.
 *
 * When every record has its read key cached, as after the fill pass, the log is written
 * while helper threads open the records: its commit waits on the disk, they on the
 * processor. A record that then does not open fails the query after it was logged: it was
 * asked for, and nobody saw a row. A cached key refused on the way is noted in a
 * transaction of its own, after the log.
 *
 * Otherwise the records are opened first, and the read keys computed on the way are stored
 * with the log entry, under its audit entry. */
static gboolean
open_log_build (DcStore *store, DcActor *actor, const DcQueryScope *scope, gint64 request_id, GArray *rows,
                GHashTable *cache, ReadKeys *keys, ScopeSeal *seal, DcQueryResult *result, GError **error)
{
  g_autoptr(GHashTable) in_force = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  Opening opening;

  if (!in_force_start (dc_store_db (store), dc_actor_vault (actor), rows, in_force, cache, &opening, error))
    return FALSE;
  count_rows (rows, result);
  if (keys->fresh->len == 0 && keys->refused == 0 && opening_all_cached (&opening))
    {
      gboolean logged = log_query (store, actor, scope, request_id, keys, seal, result, error);
      DcDb *db = dc_store_db (store);

      if (!open_finish (&opening, cache, keys, logged ? error : NULL) || !logged)
        return FALSE;
      g_assert (keys->fresh->len == 0);
      if (keys->refused > 0
          && !(dc_db_begin (db, error) && store_read_keys (store, dc_actor_staff_id (actor), keys, error)
               && dc_db_commit (db, error)))
        {
          dc_db_rollback (db);
          return FALSE;
        }
    }
  else if (!open_finish (&opening, cache, keys, error)
           || !log_query (store, actor, scope, request_id, keys, seal, result, error))
    return FALSE;
  build_result (rows, in_force, cache, result);
  return TRUE;
}

DcQueryResult *
dc_police_query (DcStore *store, DcActor *actor, const DcQueryScope *scope, gint64 request_id, GError **error)
{
  g_autoptr(DcQueryResult) result = NULL;
  g_autoptr(GHashTable) cache = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (FreshKey));
  ReadKeys keys = { .fresh = fresh };
  Search search = { 0 };
  ScopeSeal seal = { 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL && scope != NULL, NULL);
  g_return_val_if_fail ((guint) scope->kind < G_N_ELEMENTS (kind_codes), NULL);
  if (actor == NULL || !dc_actor_can_read_identity (actor))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
                   _("Searching the records for the police needs a manager or an auditor signed in with a passphrase."));
      return NULL;
    }
  if (request_id != 0 && !request_exists (store, request_id, error))
    return NULL;
  cache = opened_table_new ();
  result = dc_query_result_new ();
  ok = check_scope (store, actor, scope, &search, error);
  if (ok)
    {
      seal_start (store, scope, !reads_in_halves (store, scope, &search), &seal);
      rows = find_rows (store, actor, scope, &search, &seal, cache, &keys, &result->read_in_halves, error);
    }
  search_clear (&search);
  ok = rows != NULL && open_log_build (store, actor, scope, request_id, rows, cache, &keys, &seal, result, error);
  result->read_keys_used = keys.used;
  result->read_keys_refused = keys.refused;
  result->read_keys_stored = keys.fresh->len;
  seal_clear (&seal);
  if (!ok)
    return NULL;
  return g_steal_pointer (&result);
}
