/* app/dc-hold.c — holds: what police asked to preserve, kept past retention until a manager releases it. */
#include "dc-hold.h"
#include "dc-audit.h"
#include "dc-db-records.h"
#include "dc-normalize.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#define REASON_MAX_CHARS    500
#define REFERENCE_MAX_CHARS 200

/* ---- scopes ---- */

/* holds.scope is machine text, read back by the purge long after it was written:
 *   "visit:ID", "customer:ID", "verification:ID", "range:FROM:TO" or
 *   "range:FROM:TO:T1,T2,…" with FROM and TO in UTC µs and terminal ids ascending. */
static const char *const kind_names[] = { "visit", "customer", "verification", "range" };

void
dc_hold_scope_clear (DcHoldScope *scope)
{
  g_clear_pointer (&scope->terminals, g_array_unref);
}

static gboolean
has_terminals (const DcHoldScope *scope)
{
  return scope->terminals != NULL && scope->terminals->len > 0;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static char *
scope_encode (const DcHoldScope *scope)
{
  g_autoptr(GArray) ids = NULL;
  GString *text;

  if (scope->kind != DC_HOLD_RANGE)
    return g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind_names[scope->kind], scope->id);
  text = g_string_new (NULL);
  g_string_printf (text, "range:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, scope->from, scope->to);
  if (has_terminals (scope))
    {
      ids = g_array_copy (scope->terminals);
      g_array_sort (ids, compare_ids);
      for (guint i = 0; i < ids->len; i++)
        if (i == 0 || g_array_index (ids, gint64, i) != g_array_index (ids, gint64, i - 1))
          g_string_append_printf (text, "%c%" G_GINT64_FORMAT, i == 0 ? ':' : ',', g_array_index (ids, gint64, i));
    }
  return g_string_free (text, FALSE);
}

static gboolean
parse_id (const char *text, gint64 min, gint64 *out)
{
  return g_ascii_string_to_signed (text, 10, min, G_MAXINT64, out, NULL);
}

static gboolean
decode_terminals (const char *text, DcHoldScope *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  out->terminals = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!parse_id (parts[i], 1, &id))
        return FALSE;
      g_array_append_val (out->terminals, id);
    }
  return TRUE;
}

/* FALSE for text this build cannot read: a purge must then stop, not guess. */
static gboolean
scope_decode (const char *text, DcHoldScope *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  gboolean ok = FALSE;

  memset (out, 0, sizeof *out);
  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    if (n > 0 && g_str_equal (parts[0], kind_names[k]))
      out->kind = (DcHoldKind) k;
  if (out->kind != DC_HOLD_RANGE)
    ok = n == 2 && g_str_equal (parts[0], kind_names[out->kind]) && parse_id (parts[1], 1, &out->id);
  else
    ok = (n == 3 || n == 4) && parse_id (parts[1], G_MININT64, &out->from) && parse_id (parts[2], G_MININT64, &out->to)
         && out->from < out->to && (n == 3 || decode_terminals (parts[3], out));
  if (!ok)
    dc_hold_scope_clear (out);
  return ok;
}

/* ---- readable scopes: no personal data, only numbers, times and terminal labels ---- */

static char *
describe_customer (DcStore *store, gint64 customer_id)
{
  g_autofree char *member = NULL;

  /* the customer may have been purged since the hold was released */
  if (dc_db_customer_member (dc_store_db (store), customer_id, &member, NULL) && member != NULL)
    return g_strdup_printf (_("member %s"), member);
  return g_strdup_printf (_("customer %" PRId64), customer_id);
}

static char *
terminal_labels (DcStore *store, GArray *terminals)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < terminals->len; i++)
    {
      gint64 id = g_array_index (terminals, gint64, i);
      char *label = dc_db_hold_terminal_label (dc_store_db (store), id, NULL);

      g_ptr_array_add (labels, label != NULL ? label : g_strdup_printf ("#%" G_GINT64_FORMAT, id));
    }
  g_ptr_array_add (labels, NULL);
  return g_strjoinv (", ", (char **) labels->pdata);
}

static char *
describe_range (DcStore *store, const DcHoldScope *scope)
{
  GTimeZone *tz = dc_store_timezone (store);
  g_autofree char *from = dc_time_to_display (scope->from, tz);
  g_autofree char *to = dc_time_to_display (scope->to, tz);
  g_autofree char *labels = NULL;
  const char *to_shown = to;

  /* "2026-03-04 14:00 – 15:00" within one day; the date again when it ends on another */
  if (strlen (from) > 11 && strncmp (from, to, 11) == 0)
    to_shown = to + 11;
  if (!has_terminals (scope))
    return g_strdup_printf ("%s – %s", from, to_shown);
  labels = terminal_labels (store, scope->terminals);
  return g_strdup_printf ("%s – %s (%s)", from, to_shown, labels);
}

static char *
scope_describe (DcStore *store, const char *text)
{
  DcHoldScope scope;
  char *readable = NULL;

  if (!scope_decode (text, &scope))
    return g_strdup (text);
  switch (scope.kind)
    {
    case DC_HOLD_VISIT:
      readable = g_strdup_printf (_("visit %" PRId64), scope.id);
      break;
    case DC_HOLD_CUSTOMER:
      readable = describe_customer (store, scope.id);
      break;
    case DC_HOLD_VERIFICATION:
      readable = g_strdup_printf (_("verification %" PRId64), scope.id);
      break;
    case DC_HOLD_RANGE:
      readable = describe_range (store, &scope);
      break;
    }
  dc_hold_scope_clear (&scope);
  return readable;
}

gboolean
dc_hold_scope_for_member (DcStore *store, const char *member_number, DcHoldScope *out, GError **error)
{
  gboolean found = FALSE;
  gint64 id = 0;

  if (member_number != NULL
      && !dc_db_customer_find_by_member (dc_store_db (store), member_number, &id, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no member %s."),
                   member_number != NULL ? member_number : "");
      return FALSE;
    }
  memset (out, 0, sizeof *out);
  out->kind = DC_HOLD_CUSTOMER;
  out->id = id;
  return TRUE;
}

gboolean
dc_hold_scope_add_terminal (DcStore *store, DcHoldScope *scope, const char *label, GError **error)
{
  DcTerminalRow row = { 0 };
  gboolean found = FALSE;

  if (label != NULL && !dc_db_terminal_find (dc_store_db (store), label, &row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no terminal “%s”."), label != NULL ? label : "");
      return FALSE;
    }
  if (scope->terminals == NULL)
    scope->terminals = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (scope->terminals, row.id);
  dc_terminal_row_clear (&row);
  return TRUE;
}

/* ---- placing and releasing ---- */

void
dc_hold_clear (DcHold *hold)
{
  g_clear_pointer (&hold->created_by, g_free);
  g_clear_pointer (&hold->scope, g_free);
  g_clear_pointer (&hold->reason, g_free);
  g_clear_pointer (&hold->reference, g_free);
  g_clear_pointer (&hold->released_by, g_free);
  g_clear_pointer (&hold->release_reason, g_free);
}

/* @text trimmed; "" for text that is not valid UTF-8, refused then as missing. */
static char *
trim (const char *text)
{
  return text != NULL && g_utf8_validate (text, -1, NULL) ? dc_normalize_trim (text) : g_strdup ("");
}

/* @text trimmed, or NULL with an error when it is empty or too long. */
static char *
required_text (const char *text, guint max_chars, GError **error)
{
  g_autofree char *trimmed = trim (text);

  if (*trimmed == '\0')
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give a reason: it is kept with the hold."));
      return NULL;
    }
  if (g_utf8_strlen (trimmed, -1) > max_chars)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The reason is too long (at most %u characters)."),
                   max_chars);
      return NULL;
    }
  return g_steal_pointer (&trimmed);
}

/* TRUE when row @id of @table exists; else FALSE with DC_ERROR_NOT_FOUND saying so. */
static gboolean
target_exists (DcDb *db, const char *table, gint64 id, GError **error)
{
  gboolean found = FALSE;

  if (!dc_db_hold_target_exists (db, table, id, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  if (g_str_equal (table, "visits"))
    g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no visit #%" PRId64 "."), id);
  else if (g_str_equal (table, "customers"))
    g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no customer #%" PRId64 "."), id);
  else if (g_str_equal (table, "verifications"))
    g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no verification #%" PRId64 "."), id);
  else if (g_str_equal (table, "terminals"))
    g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no terminal #%" PRId64 "."), id);
  else
    g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no disclosure #%" PRId64 "."), id);
  return FALSE;
}

static gboolean
scope_check (DcDb *db, const DcHoldScope *scope, GError **error)
{
  switch (scope->kind)
    {
    case DC_HOLD_VISIT:
      return target_exists (db, "visits", scope->id, error);
    case DC_HOLD_CUSTOMER:
      return target_exists (db, "customers", scope->id, error);
    case DC_HOLD_VERIFICATION:
      return target_exists (db, "verifications", scope->id, error);
    case DC_HOLD_RANGE:
      if (scope->from >= scope->to)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The end of the time range must be after its start."));
          return FALSE;
        }
      for (guint i = 0; has_terminals (scope) && i < scope->terminals->len; i++)
        if (!target_exists (db, "terminals", g_array_index (scope->terminals, gint64, i), error))
          return FALSE;
      return TRUE;
    }
  g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Say what the hold keeps."));
  return FALSE;
}

static gboolean
optional_reference (const char *reference, char **out, GError **error)
{
  g_autofree char *trimmed = trim (reference);

  if (g_utf8_strlen (trimmed, -1) > REFERENCE_MAX_CHARS)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The reference is too long (at most %u characters)."),
                   REFERENCE_MAX_CHARS);
      return FALSE;
    }
  *out = *trimmed != '\0' ? g_steal_pointer (&trimmed) : NULL;
  return TRUE;
}

static gboolean
add_locked (DcStore *store, DcActor *actor, DcHoldRow *row, const DcHoldScope *scope, gint64 *out_id,
            GError **error)
{
  DcDb *db = dc_store_db (store);

  if (!scope_check (db, scope, error))
    return FALSE;
  if (row->disclosure_id != 0 && !target_exists (db, "disclosures", row->disclosure_id, error))
    return FALSE;
  return dc_db_hold_insert (db, row, out_id, error)
         && dc_audit_row (store, dc_actor_staff_id (actor), "hold-add", "holds", *out_id, error);
}

static gboolean
may_hold (DcActor *actor, GError **error)
{
  if (actor != NULL && dc_actor_can_read_identity (actor))
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
               _("Placing a hold needs a manager or an auditor signed in with a passphrase."));
  return FALSE;
}

gboolean
dc_hold_add_in_transaction (DcStore *store, DcActor *actor, const DcHoldScope *scope, const char *reason,
                            const char *reference, gint64 disclosure_id, gint64 *out_id, GError **error)
{
  DcHoldRow row = { 0 };
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (scope != NULL && (guint) scope->kind < G_N_ELEMENTS (kind_names), FALSE);
  g_return_val_if_fail (dc_db_in_transaction (dc_store_db (store)), FALSE);
  if (!may_hold (actor, error))
    return FALSE;
  row.reason = required_text (reason, REASON_MAX_CHARS, error);
  if (row.reason == NULL || !optional_reference (reference, &row.reference, error))
    {
      dc_hold_row_clear (&row);
      return FALSE;
    }
  row.created_at = dc_store_now (store);
  row.staff_id = dc_actor_staff_id (actor);
  row.scope = scope_encode (scope);
  row.disclosure_id = disclosure_id;
  ok = add_locked (store, actor, &row, scope, &id, error);
  dc_hold_row_clear (&row);
  if (ok && out_id != NULL)
    *out_id = id;
  return ok;
}

gboolean
dc_hold_add (DcStore *store, DcActor *actor, const DcHoldScope *scope, const char *reason, const char *reference,
             gint64 disclosure_id, gint64 *out_id, GError **error)
{
  DcDb *db = dc_store_db (store);

  g_return_val_if_fail (scope != NULL && (guint) scope->kind < G_N_ELEMENTS (kind_names), FALSE);
  /* refused before the write lock is taken */
  if (!may_hold (actor, error) || !dc_db_begin (db, error))
    return FALSE;
  if (!dc_hold_add_in_transaction (store, actor, scope, reason, reference, disclosure_id, out_id, error)
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
release_locked (DcStore *store, DcActor *manager, gint64 hold_id, const char *reason, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcHoldRow row = { 0 };
  gboolean found = FALSE, released = FALSE;

  if (!dc_db_hold_get (db, hold_id, &row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no hold #%" PRId64 "."), hold_id);
      return FALSE;
    }
  released = row.released_at != 0;
  dc_hold_row_clear (&row);
  if (released)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Hold #%" PRId64 " has already been released."), hold_id);
      return FALSE;
    }
  if (!dc_db_hold_release (db, hold_id, dc_store_now (store), dc_actor_staff_id (manager), reason, &released,
                           error))
    return FALSE;
  g_assert (released);   /* inside the write transaction nothing else releases it */
  return dc_audit_row (store, dc_actor_staff_id (manager), "hold-release", "holds", hold_id, error);
}

gboolean
dc_hold_release (DcStore *store, DcActor *manager, gint64 hold_id, const char *reason, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *why = NULL;
  gboolean ok;

  if (manager == NULL || !dc_actor_is_manager (manager))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
                   _("Only a manager signed in with a passphrase may release a hold."));
      return FALSE;
    }
  why = required_text (reason, REASON_MAX_CHARS, error);
  if (why == NULL || !dc_db_begin (db, error))
    return FALSE;
  ok = release_locked (store, manager, hold_id, why, error) && dc_db_commit (db, error);
  if (!ok)
    dc_db_rollback (db);
  return ok;
}

/* ---- listing ---- */

static void
hold_from_row (DcStore *store, DcHoldRow *row, DcHold *hold)
{
  hold->id = row->id;
  hold->created_at = row->created_at;
  hold->created_by = g_steal_pointer (&row->created_by);
  hold->scope = scope_describe (store, row->scope);
  hold->reason = g_steal_pointer (&row->reason);
  hold->reference = g_steal_pointer (&row->reference);
  hold->disclosure_id = row->disclosure_id;
  hold->released_at = row->released_at;
  hold->released_by = g_steal_pointer (&row->released_by);
  hold->release_reason = g_steal_pointer (&row->release_reason);
}

GArray *
dc_hold_list (DcStore *store, gboolean include_released, GError **error)
{
  g_autoptr(GArray) rows = dc_db_hold_list (dc_store_db (store), include_released, error);
  GArray *holds;

  if (rows == NULL)
    return NULL;
  holds = g_array_sized_new (FALSE, TRUE, sizeof (DcHold), rows->len);
  g_array_set_clear_func (holds, (GDestroyNotify) dc_hold_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      DcHold hold = { 0 };

      hold_from_row (store, &g_array_index (rows, DcHoldRow, i), &hold);
      g_array_append_val (holds, hold);
    }
  return holds;
}

/* ---- what the holds keep ---- */

void
dc_held_set_clear (DcHeldSet *set)
{
  g_clear_pointer (&set->visits, g_hash_table_unref);
  g_clear_pointer (&set->verifications, g_hash_table_unref);
  g_clear_pointer (&set->customers, g_hash_table_unref);
}

static GHashTable *
id_set_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static gboolean
collect_one (DcDb *db, const DcHoldRow *row, DcHeldSet *set, GError **error)
{
  DcHoldScope scope;
  gboolean ok = FALSE;

  if (!scope_decode (row->scope, &scope))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("Hold #%" PRId64 " cannot be read by this version of Daicho: nothing is purged."), row->id);
      return FALSE;
    }
  switch (scope.kind)
    {
    case DC_HOLD_VISIT:
      ok = dc_db_held_by_visit (db, scope.id, set->visits, set->verifications, set->customers, error);
      break;
    case DC_HOLD_CUSTOMER:
      ok = dc_db_held_by_customer (db, scope.id, set->visits, set->verifications, set->customers, error);
      break;
    case DC_HOLD_VERIFICATION:
      ok = dc_db_held_by_verification (db, scope.id, set->visits, set->verifications, set->customers, error);
      break;
    case DC_HOLD_RANGE:
      ok = dc_db_held_by_range (db, scope.from, scope.to, scope.terminals, set->visits, set->verifications,
                                set->customers, error);
      break;
    }
  dc_hold_scope_clear (&scope);
  return ok;
}

gboolean
dc_hold_collect (DcStore *store, DcHeldSet *out, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(GArray) rows = dc_db_hold_list (db, FALSE, error);
  DcHeldSet set = { id_set_new (), id_set_new (), id_set_new () };

  if (rows == NULL)
    {
      dc_held_set_clear (&set);
      return FALSE;
    }
  for (guint i = 0; i < rows->len; i++)
    if (!collect_one (db, &g_array_index (rows, DcHoldRow, i), &set, error))
      {
        dc_held_set_clear (&set);
        return FALSE;
      }
  /* every version of a held identity record stays: a correction does not free the original */
  if (!dc_db_held_chains (db, set.verifications, error))
    {
      dc_held_set_clear (&set);
      return FALSE;
    }
  *out = set;
  return TRUE;
}
