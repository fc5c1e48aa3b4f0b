/* app/dc-police.c — the police request ledger: requests as entered, their sealed free text, what was handed over and held. */
#include "dc-police.h"
#include "dc-audit.h"
#include "dc-db-police.h"
#include "dc-hold.h"
#include "dc-normalize.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#define LINE_MAX_CHARS      200
#define REFERENCE_MAX_CHARS 100
#define TEXT_MAX_CHARS      1000
#define SHA256_HEX_CHARS    64

/* ---- legal bases ---- */

static const struct {
  const char *code;
  const char *label;
} bases[] = {
  [DC_BASIS_INSPECTION] = { "inspection", N_("Ordinance inspection") },
  [DC_BASIS_INQUIRY] = { "inquiry", N_("Inquiry (Code of Criminal Procedure art. 197(2))") },
  [DC_BASIS_WARRANT] = { "warrant", N_("Warrant") },
  [DC_BASIS_OTHER] = { "other", N_("Other") },
};

const char *
dc_legal_basis_code (DcLegalBasis basis)
{
  g_return_val_if_fail ((guint) basis < G_N_ELEMENTS (bases), NULL);
  return bases[basis].code;
}

gboolean
dc_legal_basis_from_code (const char *code, DcLegalBasis *out)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (bases); i++)
    if (g_str_equal (code, bases[i].code))
      {
        if (out != NULL)
          *out = (DcLegalBasis) i;
        return TRUE;
      }
  return FALSE;
}

const char *
dc_legal_basis_label (DcLegalBasis basis)
{
  g_return_val_if_fail ((guint) basis < G_N_ELEMENTS (bases), NULL);
  return _(bases[basis].label);
}

/* What may name a person is wiped, not only freed. */
static void
wipe_free (char **text)
{
  if (*text == NULL)
    return;
  sodium_memzero (*text, strlen (*text));
  g_clear_pointer (text, g_free);
}

/* ---- permission ---- */

static gboolean
may_handle_requests (DcActor *actor, GError **error)
{
  if (actor != NULL && dc_actor_can_read_identity (actor))
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
               _("Police requests need a manager or an auditor signed in with a passphrase."));
  return FALSE;
}

/* ---- entering a request ---- */

/* One field of the form: its limits and what to say when it is wrong. */
typedef struct {
  guint       max_chars;
  gboolean    required;
  gboolean    multiline;   /* free text may keep line breaks and tabs */
  const char *missing;
  const char *too_long;
  const char *bad;
} Field;

static const Field agency_field = {
  LINE_MAX_CHARS, TRUE, FALSE, N_("Give the agency: the police station and section."),
  N_("The agency is too long."), N_("The agency contains characters that cannot be kept."),
};
static const Field officer_field = {
  LINE_MAX_CHARS, TRUE, FALSE, N_("Give the officer's name and contact."),
  N_("The officer's name and contact are too long."),
  N_("The officer's name and contact contain characters that cannot be kept."),
};
static const Field reference_field = {
  REFERENCE_MAX_CHARS, TRUE, FALSE, N_("Give the reference number of the request."),
  N_("The reference number is too long."),
  N_("The reference number contains characters that cannot be kept."),
};
static const Field scope_field = {
  TEXT_MAX_CHARS, FALSE, TRUE, NULL, N_("The scope as asked is too long."),
  N_("The scope as asked contains characters that cannot be kept."),
};
static const Field note_field = {
  TEXT_MAX_CHARS, FALSE, TRUE, NULL, N_("The note is too long."),
  N_("The note contains characters that cannot be kept."),
};


static gboolean
has_control (const char *text, gboolean multiline)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (multiline && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return TRUE;
    }
  return FALSE;
}

/* @text checked against @field and trimmed; NULL with no error when an optional field is
 * empty. */
static gboolean
check_field (const char *text, const Field *field, char **out, GError **error)
{
  g_autofree char *value = NULL;

  *out = NULL;
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID, _(field->bad));
      return FALSE;
    }
  value = dc_normalize_trim (text != NULL ? text : "");
  if (*value == '\0')
    {
      if (!field->required)
        return TRUE;
      g_set_error_literal (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _(field->missing));
      return FALSE;
    }
  if (g_utf8_strlen (value, -1) > field->max_chars)
    {
      g_autofree char *limit = g_strdup_printf (ngettext ("At most %u character is kept.",
                                                          "At most %u characters are kept.", field->max_chars),
                                                field->max_chars);

      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, "%s %s", _(field->too_long), limit);
      return FALSE;
    }
  if (has_control (value, field->multiline))
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID, _(field->bad));
      return FALSE;
    }
  *out = g_steal_pointer (&value);
  return TRUE;
}

/* Free text that may name a person: sealed to the store's key, the clear copy wiped. */
static GBytes *
seal_text (DcStore *store, char *text)
{
  g_autoptr(GBytes) plain = NULL;
  GBytes *sealed;

  if (text == NULL)
    return NULL;
  plain = g_bytes_new (text, strlen (text));
  sealed = dc_seal (dc_store_box_pk (store), plain);
  sodium_memzero (text, strlen (text));
  g_free (text);
  return sealed;
}

static gboolean
request_row (DcStore *store, DcActor *actor, const DcRequestInput *input, DcDisclosureRow *row, GError **error)
{
  gint64 now = dc_store_now (store);
  char *scope = NULL, *note = NULL;

  if ((guint) input->basis >= G_N_ELEMENTS (bases))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Choose the legal basis of the request."));
      return FALSE;
    }
  if (input->received_at < 0 || input->received_at > now)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The request cannot have been received in the future."));
      return FALSE;
    }
  if (!check_field (input->agency, &agency_field, &row->agency, error)
      || !check_field (input->officer, &officer_field, &row->officer, error)
      || !check_field (input->reference, &reference_field, &row->reference, error)
      || !check_field (input->scope, &scope_field, &scope, error))
    return FALSE;
  if (!check_field (input->note, &note_field, &note, error))
    {
      wipe_free (&scope);
      return FALSE;
    }
  row->received_at = input->received_at != 0 ? input->received_at : now;
  row->basis = g_strdup (bases[input->basis].code);
  row->scope = seal_text (store, scope);
  row->note = seal_text (store, note);
  row->staff_id = dc_actor_staff_id (actor);
  return TRUE;
}

gboolean
dc_request_add (DcStore *store, DcActor *actor, const DcRequestInput *input, gint64 *out_id, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcDisclosureRow row = { 0 };
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (store != NULL && input != NULL, FALSE);
  if (!may_handle_requests (actor, error))
    return FALSE;
  ok = request_row (store, actor, input, &row, error) && dc_db_begin (db, error);
  if (ok)
    {
      ok = dc_db_disclosure_insert (db, &row, &id, error)
           && dc_audit_row (store, row.staff_id, "request-add", "disclosures", id, error)
           && dc_db_commit (db, error);
      if (!ok)
        dc_db_rollback (db);
    }
  dc_disclosure_row_clear (&row);
  if (ok && out_id != NULL)
    *out_id = id;
  return ok;
}

/* ---- reading the ledger ---- */

void
dc_export_record_clear (DcExportRecord *record)
{
  g_clear_pointer (&record->staff, g_free);
  g_clear_pointer (&record->scope, g_free);
  g_clear_pointer (&record->manifest_sha256, g_free);
}

void
dc_request_clear (DcRequest *request)
{
  g_clear_pointer (&request->agency, g_free);
  g_clear_pointer (&request->officer, g_free);
  g_clear_pointer (&request->reference, g_free);
  wipe_free (&request->scope);
  wipe_free (&request->note);
  g_clear_pointer (&request->staff, g_free);
  g_clear_pointer (&request->exports, g_array_unref);
}

void
dc_request_free (DcRequest *request)
{
  if (request == NULL)
    return;
  dc_request_clear (request);
  g_free (request);
}

/* The text of sealed @bytes (NULL stays NULL). */
static gboolean
open_text (const DcVault *vault, GBytes *sealed, char **out, GError **error)
{
  g_autoptr(GBytes) plain = NULL;
  gsize len;
  const char *data;

  *out = NULL;
  if (sealed == NULL)
    return TRUE;
  plain = dc_vault_open_sealed (vault, sealed, error);
  if (plain == NULL)
    return FALSE;
  data = g_bytes_get_data (plain, &len);
  *out = g_strndup (data, len);
  return TRUE;
}

static GArray *
exports_new (void)
{
  GArray *exports = g_array_new (FALSE, TRUE, sizeof (DcExportRecord));

  g_array_set_clear_func (exports, (GDestroyNotify) dc_export_record_clear);
  return exports;
}

static void
export_from_row (DcDisclosureExportRow *row, DcExportRecord *record)
{
  record->id = row->id;
  record->at = row->at;
  record->staff = g_steal_pointer (&row->staff);
  record->scope = g_steal_pointer (&row->scope);
  record->sessions = row->sessions;
  record->visits = row->visits;
  record->verifications = row->verifications;
  record->manifest_sha256 = g_steal_pointer (&row->manifest_sha256);
  record->holds = row->holds;
}

static gboolean
request_from_row (const DcVault *vault, DcDisclosureRow *row, DcRequest *request, GError **error)
{
  DcLegalBasis basis = DC_BASIS_OTHER;

  dc_legal_basis_from_code (row->basis, &basis);
  request->id = row->id;
  request->received_at = row->received_at;
  request->agency = g_steal_pointer (&row->agency);
  request->officer = g_steal_pointer (&row->officer);
  request->reference = g_steal_pointer (&row->reference);
  request->basis = basis;
  request->staff = g_steal_pointer (&row->staff);
  request->exports = exports_new ();
  return open_text (vault, row->scope, &request->scope, error) && open_text (vault, row->note, &request->note, error);
}

/* Attach @exports (of every request, oldest first) to their requests. */
static void
attach_exports (GArray *requests, GArray *exports)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < requests->len; i++)
    {
      DcRequest *request = &g_array_index (requests, DcRequest, i);

      g_hash_table_insert (by_id, &request->id, request);
    }
  for (guint i = 0; i < exports->len; i++)
    {
      DcDisclosureExportRow *row = &g_array_index (exports, DcDisclosureExportRow, i);
      DcRequest *request = g_hash_table_lookup (by_id, &row->disclosure_id);
      DcExportRecord record = { 0 };

      if (request == NULL)
        continue;
      export_from_row (row, &record);
      g_array_append_val (request->exports, record);
    }
}

/* The read is on record before anything is shown. */
static gboolean
audit_read (DcStore *store, DcActor *actor, gint64 request_id, GError **error)
{
  DcDb *db = dc_store_db (store);
  gint64 staff = dc_actor_staff_id (actor);

  if (!dc_db_begin (db, error))
    return FALSE;
  if (!(request_id != 0 ? dc_audit_row (store, staff, "read", "disclosures", request_id, error)
                        : dc_audit_event (store, staff, "request-list", error))
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

GArray *
dc_request_list (DcStore *store, DcActor *actor, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) exports = NULL;
  g_autoptr(GArray) requests = NULL;

  if (!may_handle_requests (actor, error))
    return NULL;
  rows = dc_db_disclosure_list (db, error);
  if (rows == NULL)
    return NULL;
  exports = dc_db_disclosure_exports (db, 0, error);
  if (exports == NULL)
    return NULL;
  requests = g_array_sized_new (FALSE, TRUE, sizeof (DcRequest), rows->len);
  g_array_set_clear_func (requests, (GDestroyNotify) dc_request_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      g_array_set_size (requests, i + 1);
      if (!request_from_row (dc_actor_vault (actor), &g_array_index (rows, DcDisclosureRow, i),
                             &g_array_index (requests, DcRequest, i), error))
        return NULL;
    }
  attach_exports (requests, exports);
  if (!audit_read (store, actor, 0, error))
    return NULL;
  return g_steal_pointer (&requests);
}

DcRequest *
dc_request_get (DcStore *store, DcActor *actor, gint64 request_id, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcDisclosureRow row = { 0 };
  g_autoptr(DcRequest) request = NULL;
  g_autoptr(GArray) exports = NULL;
  gboolean found = FALSE, ok;

  if (!may_handle_requests (actor, error))
    return NULL;
  if (!dc_db_disclosure_get (db, request_id, &row, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no request #%" PRId64 "."), request_id);
      return NULL;
    }
  request = g_new0 (DcRequest, 1);
  ok = request_from_row (dc_actor_vault (actor), &row, request, error);
  dc_disclosure_row_clear (&row);
  if (!ok)
    return NULL;
  exports = dc_db_disclosure_exports (db, request_id, error);
  if (exports == NULL)
    return NULL;
  for (guint i = 0; i < exports->len; i++)
    {
      DcExportRecord record = { 0 };

      export_from_row (&g_array_index (exports, DcDisclosureExportRow, i), &record);
      g_array_append_val (request->exports, record);
    }
  if (!audit_read (store, actor, request_id, error))
    return NULL;
  return g_steal_pointer (&request);
}

/* ---- what was handed over ---- */

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != SHA256_HEX_CHARS)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* TIME: one hold on the range (a hold's range excludes its end, the query's includes it). */
static gboolean
hold_range (DcStore *store, DcActor *actor, const DcQueryScope *scope, const char *reason,
            const DcDisclosureRow *request, gint64 *holds, GError **error)
{
  DcHoldScope hold = { .kind = DC_HOLD_RANGE, .from = scope->from };
  gboolean ok = TRUE;

  hold.to = scope->to < G_MAXINT64 ? scope->to + 1 : G_MAXINT64;
  for (guint i = 0; ok && scope->terminals != NULL && i < scope->terminals->len; i++)
    ok = dc_hold_scope_add_terminal (store, &hold, g_ptr_array_index (scope->terminals, i), error);
  ok = ok && dc_hold_add_in_transaction (store, actor, &hold, reason, request->reference, request->id, NULL, error);
  dc_hold_scope_clear (&hold);
  if (ok)
    (*holds)++;
  return ok;
}

/* A person: one hold per customer found, everything of theirs. */
static gboolean
hold_customers (DcStore *store, DcActor *actor, const DcQueryResult *result, const char *reason,
                const DcDisclosureRow *request, gint64 *holds, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; result != NULL && i < result->rows->len; i++)
    {
      DcQueryRow *row = &g_array_index (result->rows, DcQueryRow, i);
      DcHoldScope hold = { .kind = DC_HOLD_CUSTOMER, .id = row->customer_id };

      if (g_hash_table_contains (seen, &row->customer_id))
        continue;
      g_hash_table_add (seen, &row->customer_id);
      if (!dc_hold_add_in_transaction (store, actor, &hold, reason, request->reference, request->id, NULL, error))
        return FALSE;
      (*holds)++;
    }
  return TRUE;
}

static gboolean
place_holds (DcStore *store, DcActor *actor, const DcExportEntry *entry, const DcDisclosureRow *request,
             gint64 *holds, GError **error)
{
  g_autofree char *reason = g_strdup_printf (_("Police request %s"), request->reference);

  if (entry->scope == NULL || (entry->scope->kind != DC_QUERY_TIME && entry->result == NULL))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Say what the hold keeps."));
      return FALSE;
    }
  if (entry->scope->kind == DC_QUERY_TIME)
    return hold_range (store, actor, entry->scope, reason, request, holds, error);
  return hold_customers (store, actor, entry->result, reason, request, holds, error);
}

static gboolean
check_query (DcDb *db, const DcExportEntry *entry, GError **error)
{
  gint64 for_request = 0;
  gboolean found = FALSE;

  if (!dc_db_query_log_disclosure (db, entry->query_id, &for_request, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no query #%" PRId64 "."), entry->query_id);
      return FALSE;
    }
  if (for_request != 0 && for_request != entry->request_id)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("Query #%" PRId64 " was made for request #%" PRId64 ", not for this one."), entry->query_id,
                   for_request);
      return FALSE;
    }
  return TRUE;
}

static gboolean
record_locked (DcStore *store, DcActor *actor, const DcExportEntry *entry, gint64 *out_id, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcDisclosureRow request = { 0 };
  g_autofree char *digest = g_ascii_strdown (entry->manifest_sha256, -1);
  DcDisclosureExportRow row = {
    .disclosure_id = entry->request_id,
    .query_id = entry->query_id,
    .at = dc_store_now (store),
    .staff_id = dc_actor_staff_id (actor),
    .sessions = entry->sessions,
    .visits = entry->visits,
    .verifications = entry->verifications,
    .manifest_sha256 = digest,
  };
  gboolean found = FALSE, ok;

  if (!dc_db_disclosure_get (db, entry->request_id, &request, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no request #%" PRId64 "."), entry->request_id);
      return FALSE;
    }
  ok = check_query (db, entry, error)
       && (!entry->hold || place_holds (store, actor, entry, &request, &row.holds, error))
       && dc_db_disclosure_export_insert (db, &row, out_id, error)
       && dc_audit_row (store, row.staff_id, "export", "disclosure_exports", *out_id, error);
  dc_disclosure_row_clear (&request);
  return ok;
}

gboolean
dc_police_record_export (DcStore *store, DcActor *actor, const DcExportEntry *entry, gint64 *out_export_id,
                         GError **error)
{
  DcDb *db = dc_store_db (store);
  gint64 id = 0;

  g_return_val_if_fail (store != NULL && entry != NULL, FALSE);
  if (!may_handle_requests (actor, error))
    return FALSE;
  if (!is_sha256_hex (entry->manifest_sha256))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The manifest digest must be 64 hexadecimal digits."));
      return FALSE;
    }
  if (!dc_db_begin (db, error))
    return FALSE;
  if (!record_locked (store, actor, entry, &id, error) || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  if (out_export_id != NULL)
    *out_export_id = id;
  return TRUE;
}
