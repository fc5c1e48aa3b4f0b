/* app/dc-checkin.c — check-in, seat change and check-out: rules first, then one transaction with its audit entries. */
#include "dc-checkin.h"
#include "dc-police.h"
#include "dc-checkin-private.h"
#include "dc-audit.h"
#include "dc-card.h"
#include "dc-date.h"
#include "dc-db-records.h"
#include "dc-member.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

static const char *const exit_codes[] = { "staff", "customer", "curfew", "auto", "recovered" };

const char *
dc_exit_reason_code (DcExitReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (exit_codes), "staff");
  return exit_codes[reason];
}

gboolean
dc_exit_reason_parse (const char *code, DcExitReason *out)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (exit_codes); i++)
    if (g_str_equal (code, exit_codes[i]))
      {
        *out = (DcExitReason) i;
        return TRUE;
      }
  return FALSE;
}

void
dc_checkin_result_clear (DcCheckinResult *result)
{
  g_clear_pointer (&result->member_number, g_free);
}

static gboolean
require_counter (DcActor *actor, GError **error)
{
  if (actor != NULL && !g_str_equal (dc_actor_role (actor), "auditor"))
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Auditors cannot check customers in or out."));
  return FALSE;
}

/* ---- the counter tier (sealed in dc-checkin-prepare.c) ---- */

gboolean
dc_tier_dates (DcStore *store, const DcVault *vault, gint64 verification_id, GBytes *tier, GDate *adult_on,
               GDate *sixteen_on, GError **error)
{
  DcVerificationRow row = { 0 };
  gboolean found, ok;

  if (!dc_db_verification_get (dc_store_db (store), verification_id, &row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no verification #%" PRId64 "."),
                   verification_id);
      return FALSE;
    }
  ok = dc_checkin_tier_open (vault, row.customer_id, row.id, tier != NULL ? tier : row.tier, adult_on, sixteen_on,
                             error);
  dc_verification_row_clear (&row);
  return ok;
}

/* One workflow, one transaction (a savepoint when nested); in a batch, the caller's. */
static gboolean
workflow_begin (DcDb *db, gboolean batch, GError **error)
{
  if (batch)
    {
      g_return_val_if_fail (dc_db_in_transaction (db), FALSE);
      return TRUE;
    }
  return dc_db_begin (db, error);
}

static gboolean
workflow_end (DcDb *db, gboolean batch, gboolean ok, GError **error)
{
  if (batch)
    return ok;
  ok = ok && dc_db_commit (db, error);
  if (!ok)
    dc_db_rollback (db);
  return ok;
}

/* ---- shared steps ---- */

static gboolean
check_curfew (DcStore *store, guint age, GError **error)
{
  return dc_profile_check_curfew (dc_store_profile (store), age,
                                  dc_time_minute_of_day (dc_store_now (store), dc_store_timezone (store)), error);
}

/* The terminal @label, free and usable by this customer. */
static gboolean
take_terminal (DcStore *store, const char *label, gboolean minor, DcTerminalRow *row, GError **error)
{
  gboolean found;

  if (label == NULL || *label == '\0')
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Choose a terminal."));
      return FALSE;
    }
  if (!dc_db_terminal_find (dc_store_db (store), label, row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no terminal “%s”."), label);
      return FALSE;
    }
  if (!row->active || row->out_of_order)
    g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE, _("Terminal %s is out of service."), label);
  else if (row->open_session != 0)
    g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY, _("Terminal %s is in use. Choose a free one."), label);
  else if (minor && !row->filtered)
    g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_NOT_FILTERED,
                 _("Terminal %s has no filtering software: a minor may only use a filtered terminal."), label);
  else
    return TRUE;
  dc_terminal_row_clear (row);
  return FALSE;
}

static gboolean
refuse_if_inside (DcStore *store, gint64 customer_id, const char *member, GError **error)
{
  gint64 visit = 0;
  gboolean found;

  if (!dc_db_visit_open_for_customer (dc_store_db (store), customer_id, &visit, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_ALREADY_IN,
               _("Member %s is already in the store (visit #%" PRId64 "). Check them out first, or move them."),
               member != NULL ? member : "?", visit);
  return FALSE;
}

/* ---- the audit entries of the rows written here ---- */

#define CANONICAL_SIZE 1024   /* a verification's row is the largest, well under this */

/* From the canonical bytes made of the values written (@made), else by reading the row back. */
static gboolean
audit_written (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id, gboolean made,
               const GByteArray *canonical, GError **error)
{
  if (made)
    return dc_audit_row_canonical (store, staff_id, action, table, id, canonical, error);
  return dc_audit_row (store, staff_id, action, table, id, error);
}

static gboolean
audit_visit (DcStore *store, gint64 staff_id, const char *action, const DcVisitRow *row, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (CANONICAL_SIZE);
  gboolean made = dc_db_visit_canonical (dc_store_db (store), row, bytes);

  return audit_written (store, staff_id, action, "visits", row->id, made, bytes, error);
}

static gboolean
audit_session (DcStore *store, gint64 staff_id, const char *action, const DcSessionRow *row, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (CANONICAL_SIZE);
  gboolean made = dc_db_session_canonical (dc_store_db (store), row, bytes);

  return audit_written (store, staff_id, action, "terminal_sessions", row->id, made, bytes, error);
}

/* Open the visit and its first session, with their audit entries. */
static gboolean
open_visit (DcStore *store, DcActor *actor, gint64 customer_id, gint64 verification_id, gint64 terminal_id,
            gboolean minor, gboolean internet, const char *action, DcCheckinResult *result, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcVisitRow visit = {
    .customer_id = customer_id,
    .verification_id = verification_id,
    .entered_at = dc_store_now (store),
    .staff_in = dc_actor_staff_id (actor),
    .minor = minor,
    .internet = internet,
  };

  DcSessionRow session = { .terminal_id = terminal_id, .started_at = visit.entered_at };

  if (!dc_db_visit_insert (db, &visit, &visit.id, error)
      || !audit_visit (store, visit.staff_in, action, &visit, error)
      || !dc_db_session_insert (db, visit.id, terminal_id, visit.entered_at, &session.id, error))
    return FALSE;
  result->visit_id = session.visit_id = visit.id;
  result->session_id = session.id;
  return audit_session (store, visit.staff_in, action, &session, error);
}

/* ---- check-in from a document ---- */

static gboolean
checkin_locked (DcStore *store, DcActor *actor, const DcCheckinPrepared *p, const char *label, gboolean internet,
                DcCheckinResult *result, GError **error)
{
  DcDb *db = dc_store_db (store);
  const DcVault *vault = dc_actor_vault (actor);
  gint64 staff_id = dc_actor_staff_id (actor);
  gint64 now = dc_store_now (store);
  DcTerminalRow terminal = { 0 };
  DcVerificationRow ver = { 0 };
  gboolean found, ok;

  /* every refusal comes before the first write: a batch relies on it */
  if (!take_terminal (store, label, p->minor, &terminal, error))
    return FALSE;

  ok = dc_db_customer_find_by_person (db, p->person_index, &result->customer_id, &result->member_number, &found,
                                      error);
  if (ok && found)
    ok = refuse_if_inside (store, result->customer_id, result->member_number, error);
  else if (ok)
    {
      result->new_customer = TRUE;
      ok = dc_db_next_id (db, "customers", &result->customer_id, error);
      if (ok)
        {
          g_autoptr(GByteArray) bytes = g_byte_array_sized_new (CANONICAL_SIZE);

          result->member_number = dc_member_number_for_id (result->customer_id);
          ok = dc_db_customer_insert (db, result->customer_id, result->member_number, p->person_index, now, error)
               && audit_written (store, staff_id, "checkin", "customers", result->customer_id,
                                 dc_db_customer_canonical (db, result->customer_id, result->member_number,
                                                           p->person_index, now, bytes),
                                 bytes, error)
               && dc_card_issue_first (store, staff_id, result->customer_id, now, error);
        }
    }

  ok = ok && dc_db_next_id (db, "verifications", &ver.id, error);
  if (ok)
    {
      ver.customer_id = result->customer_id;
      ver.verified_at = now;
      ver.verifier_id = staff_id;
      ver.recorder_id = staff_id;
      ver.doc_type = (char *) p->doc_type;
      ver.payload = p->payload;
      ver.person_index = p->person_index;
      ver.document_index = p->document_index;
      ver.name_index = p->name_index;
      ver.tier = dc_checkin_tier_seal (vault, ver.customer_id, ver.id, &p->dob);
      ok = dc_db_verification_insert (db, &ver, &result->verification_id, error);
      if (ok)
        {
          g_autoptr(GByteArray) bytes = g_byte_array_sized_new (CANONICAL_SIZE);

          ver.id = result->verification_id;
          ok = audit_written (store, staff_id, "checkin", "verifications", ver.id,
                              dc_db_verification_canonical (db, &ver, bytes), bytes, error);
        }
      g_bytes_unref (ver.tier);
    }

  ok = ok && open_visit (store, actor, result->customer_id, result->verification_id, terminal.id, p->minor,
                         internet, "checkin", result, error);
  result->minor = p->minor;
  dc_terminal_row_clear (&terminal);
  return ok;
}

static gboolean
commit_checkin (DcStore *store, DcActor *actor, DcCheckinPrepared *p, const char *terminal, gboolean internet,
                gboolean batch, DcCheckinResult *result, GError **error)
{
  DcDb *db = dc_store_db (store);
  gboolean ok;

  memset (result, 0, sizeof *result);
  if (!require_counter (actor, error))
    return FALSE;
  if (!check_curfew (store, p->age, error))
    {
      result->bad_field = DC_FIELD_DOB;
      return FALSE;
    }

  ok = workflow_begin (db, batch, error)
       && workflow_end (db, batch, checkin_locked (store, actor, p, terminal, internet, result, error), error);
  if (!ok)
    {
      dc_checkin_result_clear (result);
      memset (result, 0, sizeof *result);
    }
  p->used = ok;
  return ok;
}

/* A preparation made elsewhere: for this store, for today, not used yet. */
static gboolean
prepared_usable (DcStore *store, const DcCheckinPrepared *p, DcCheckinResult *result, GError **error)
{
  GDate today;

  g_return_val_if_fail (p != NULL && p->store == store, FALSE);

  memset (result, 0, sizeof *result);
  dc_store_today (store, &today);
  if (p->used)
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("This identity check was used for a check-in already: check the document again."));
  else if (g_date_compare (&today, &p->day) != 0)
    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("This identity was checked on another day: check the document again."));
  else
    return TRUE;
  return FALSE;
}

gboolean
dc_checkin_commit (DcStore *store, DcActor *actor, DcCheckinPrepared *prepared, const char *terminal,
                   gboolean internet, DcCheckinResult *result, GError **error)
{
  return prepared_usable (store, prepared, result, error)
         && commit_checkin (store, actor, prepared, terminal, internet, FALSE, result, error);
}

gboolean
dc_batch_checkin (DcStore *store, DcActor *actor, DcCheckinPrepared *prepared, const char *terminal,
                  gboolean internet, DcCheckinResult *result, GError **error)
{
  return prepared_usable (store, prepared, result, error)
         && commit_checkin (store, actor, prepared, terminal, internet, TRUE, result, error);
}

gboolean
dc_checkin (DcStore *store, DcActor *actor, const DcCheckinRequest *request, DcCheckinResult *result,
            GError **error)
{
  DcCheckinPrepared p = { 0 };
  GDate today;
  gboolean ok;

  memset (result, 0, sizeof *result);
  if (!require_counter (actor, error))
    return FALSE;
  dc_store_today (store, &today);
  ok = dc_checkin_prepare_into (store, dc_actor_vault (actor), &request->identity, &today, &p, &result->bad_field,
                                error)
       && commit_checkin (store, actor, &p, request->terminal, request->internet, FALSE, result, error);
  dc_checkin_prepared_clear (&p);
  return ok;
}

/* ---- check-in of a member on an existing verification ---- */

static gboolean
member_locked (DcStore *store, DcActor *actor, const char *member, const char *label, DcCheckinResult *result,
               GError **error)
{
  DcDb *db = dc_store_db (store);
  GBytes *tier = NULL;
  DcTerminalRow terminal = { 0 };
  GDate adult, sixteen, today;
  gboolean found, ok;

  if (!dc_db_customer_find_by_member (db, member, &result->customer_id, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no member %s."), member);
      return FALSE;
    }
  result->member_number = g_strdup (member);
  if (!refuse_if_inside (store, result->customer_id, member, error)
      || !dc_db_verification_latest_tier (db, result->customer_id, &result->verification_id, &tier, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("Member %s has no identity record: verify a document."),
                   member);
      return FALSE;
    }
  ok = dc_checkin_tier_open (dc_actor_vault (actor), result->customer_id, result->verification_id, tier, &adult,
                             &sixteen, error);
  g_bytes_unref (tier);
  if (!ok)
    return FALSE;

  dc_store_today (store, &today);
  result->minor = g_date_compare (&today, &adult) < 0;
  if (result->minor)
    {
      /* the counter knows no birthday, only the 16th and 18th: enough for every profile */
      if (!check_curfew (store, g_date_compare (&today, &sixteen) < 0 ? 15 : 17, error))
        return FALSE;
    }
  if (!take_terminal (store, label, result->minor, &terminal, error))
    return FALSE;
  ok = open_visit (store, actor, result->customer_id, result->verification_id, terminal.id, result->minor, TRUE,
                   "checkin-member", result, error);
  dc_terminal_row_clear (&terminal);
  return ok;
}

static gboolean
checkin_member (DcStore *store, DcActor *actor, const char *member_number, const char *terminal, gboolean batch,
                DcCheckinResult *result, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *member = NULL;
  gboolean ok;

  memset (result, 0, sizeof *result);
  if (!require_counter (actor, error))
    return FALSE;
  if (!dc_member_number_check (member_number, &member))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("This is not a valid member number: check the digits."));
      return FALSE;
    }
  ok = workflow_begin (db, batch, error)
       && workflow_end (db, batch, member_locked (store, actor, member, terminal, result, error), error);
  if (!ok)
    {
      dc_checkin_result_clear (result);
      memset (result, 0, sizeof *result);
    }
  return ok;
}

gboolean
dc_checkin_member (DcStore *store, DcActor *actor, const char *member_number, const char *terminal,
                   DcCheckinResult *result, GError **error)
{
  return checkin_member (store, actor, member_number, terminal, FALSE, result, error);
}

gboolean
dc_batch_checkin_member (DcStore *store, DcActor *actor, const char *member_number, const char *terminal,
                         DcCheckinResult *result, GError **error)
{
  return checkin_member (store, actor, member_number, terminal, TRUE, result, error);
}

/* ---- finding a returning customer ---- */

gboolean
dc_find_person (DcStore *store, DcActor *actor, const char *name, const GDate *dob, gboolean *found,
                char **out_member, gboolean *out_inside, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(GBytes) index = NULL;
  gint64 customer = 0, visit = 0;

  *found = FALSE;
  if (!require_counter (actor, error))
    return FALSE;
  if (name == NULL || *name == '\0' || dob == NULL || !g_date_valid (dob))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the name and the date of birth."));
      return FALSE;
    }
  index = dc_checkin_person_index (dc_actor_vault (actor), name, dob);
  if (!dc_db_customer_find_by_person (db, index, &customer, out_member, found, error))
    return FALSE;
  if (*found && out_inside != NULL)
    return dc_db_visit_open_for_customer (db, customer, &visit, out_inside, error);
  return TRUE;
}

/* ---- seat change ---- */

static gboolean
move_locked (DcStore *store, DcActor *actor, const char *from, const char *to, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcTerminalRow src = { 0 }, dst = { 0 };
  DcVisitRow visit = { 0 };
  gint64 staff_id = dc_actor_staff_id (actor);
  gint64 now = dc_store_now (store);
  gint64 new_session = 0;
  gboolean found, ok;

  if (!dc_db_terminal_find (db, from, &src, &found, error))
    return FALSE;
  if (!found || src.open_session == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND,
                   found ? _("Nobody is on terminal %s.") : _("There is no terminal “%s”."), from);
      dc_terminal_row_clear (&src);
      return FALSE;
    }
  ok = dc_db_visit_get (db, src.open_visit, &visit, &found, error);
  if (ok && !found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("The visit on terminal %s is missing."), from);
      ok = FALSE;
    }
  ok = ok && take_terminal (store, to, visit.minor, &dst, error);
  ok = ok && dc_db_session_close (db, src.open_session, now, error)
       && dc_audit_row (store, staff_id, "move", "terminal_sessions", src.open_session, error)
       && dc_db_session_insert (db, visit.id, dst.id, now, &new_session, error)
       && dc_audit_row (store, staff_id, "move", "terminal_sessions", new_session, error);
  dc_terminal_row_clear (&src);
  dc_terminal_row_clear (&dst);
  dc_visit_row_clear (&visit);
  return ok;
}

static gboolean
move (DcStore *store, DcActor *actor, const char *from, const char *to, gboolean batch, GError **error)
{
  DcDb *db = dc_store_db (store);

  if (!require_counter (actor, error))
    return FALSE;
  if (from == NULL || to == NULL || g_strcmp0 (from, to) == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Choose two different terminals to move between."));
      return FALSE;
    }
  return workflow_begin (db, batch, error)
         && workflow_end (db, batch, move_locked (store, actor, from, to, error), error);
}

gboolean
dc_move (DcStore *store, DcActor *actor, const char *from, const char *to, GError **error)
{
  return move (store, actor, from, to, FALSE, error);
}

gboolean
dc_batch_move (DcStore *store, DcActor *actor, const char *from, const char *to, GError **error)
{
  return move (store, actor, from, to, TRUE, error);
}

/* ---- check-out ---- */

static gboolean
checkout_locked (DcStore *store, DcActor *actor, const char *label, gint64 visit_id, DcExitReason reason,
                 GError **error)
{
  DcDb *db = dc_store_db (store);
  gint64 staff_id = actor != NULL ? dc_actor_staff_id (actor) : 0;
  gint64 now = dc_store_now (store);
  DcSessionRow session = { 0 };
  DcVisitRow visit = { 0 };
  gboolean found, ok;

  if (label != NULL)
    {
      DcTerminalRow t = { 0 };

      if (!dc_db_terminal_find (db, label, &t, &found, error))
        return FALSE;
      visit_id = found ? t.open_visit : 0;
      if (found)
        dc_terminal_row_clear (&t);
      if (visit_id == 0)
        {
          g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND,
                       found ? _("Nobody is on terminal %s.") : _("There is no terminal “%s”."), label);
          return FALSE;
        }
    }
  if (!dc_db_visit_get (db, visit_id, &visit, &found, error))
    return FALSE;
  if (!found || visit.exited_at != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND,
                   found ? _("Visit #%" PRId64 " has already ended.") : _("There is no visit #%" PRId64 "."),
                   visit_id);
      dc_visit_row_clear (&visit);
      return FALSE;
    }

  ok = dc_db_session_open_row (db, visit_id, &session, &found, error);
  if (ok && found)
    {
      ok = dc_db_session_close (db, session.id, now, error);
      session.ended_at = now;
      /* the bytes of the row as closed, unless the close missed it: then as it is */
      ok = ok && (dc_db_changes (db) == 1 ? audit_session (store, staff_id, "checkout", &session, error)
                                          : dc_audit_row (store, staff_id, "checkout", "terminal_sessions",
                                                          session.id, error));
    }
  ok = ok && dc_db_visit_close (db, visit_id, now, staff_id, dc_exit_reason_code (reason), error);
  if (ok)
    {
      visit.exited_at = now;
      visit.staff_out = staff_id;
      g_free (visit.exit_reason);
      visit.exit_reason = g_strdup (dc_exit_reason_code (reason));
      ok = dc_db_changes (db) == 1 ? audit_visit (store, staff_id, "checkout", &visit, error)
                                   : dc_audit_row (store, staff_id, "checkout", "visits", visit_id, error);
    }
  dc_visit_row_clear (&visit);
  return ok;
}

static gboolean
checkout (DcStore *store, DcActor *actor, const char *terminal, gint64 visit_id, DcExitReason reason, gboolean batch,
          GError **error)
{
  DcDb *db = dc_store_db (store);

  if (actor != NULL && !require_counter (actor, error))
    return FALSE;
  return workflow_begin (db, batch, error)
         && workflow_end (db, batch, checkout_locked (store, actor, terminal, visit_id, reason, error), error);
}

gboolean
dc_checkout (DcStore *store, DcActor *actor, const char *terminal, gint64 visit_id, DcExitReason reason,
             GError **error)
{
  return checkout (store, actor, terminal, visit_id, reason, FALSE, error);
}

gboolean
dc_batch_checkout (DcStore *store, DcActor *actor, const char *terminal, gint64 visit_id, DcExitReason reason,
                   GError **error)
{
  return checkout (store, actor, terminal, visit_id, reason, TRUE, error);
}

/* ---- reading an identity ---- */

DcIdentityRecord *
dc_read_identity (DcStore *store, DcActor *actor, gint64 verification_id, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcVerificationRow row = { 0 };
  DcReadKey key = { 0 };
  g_autoptr(GBytes) plain = NULL;
  gboolean found;

  if (actor == NULL || !dc_actor_can_read_identity (actor))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
                   _("Reading identity records needs a manager or an auditor signed in with a passphrase."));
      return NULL;
    }
  if (!dc_db_verification_get (db, verification_id, &row, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no verification #%" PRId64 "."),
                   verification_id);
      return NULL;
    }
  plain = dc_identity_keys_open (store, dc_actor_vault (actor), verification_id, row.payload, &key, error);
  dc_verification_row_clear (&row);
  if (plain == NULL)
    return NULL;

  /* the read is recorded before anything is shown */
  if (!dc_db_begin (db, error))
    return NULL;
  if (!dc_audit_row (store, dc_actor_staff_id (actor), "read", "verifications", verification_id, error)
      || !dc_identity_keys_keep (store, verification_id, &key, error)
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return NULL;
    }
  return dc_identity_record_new_from_bytes (plain, error);
}

/* ---- correcting an identity record ---- */

#define REASON_MAX_CHARS 500

static gboolean
correct_locked (DcStore *store, DcActor *manager, const DcVerificationRow *old, const DcIdentity *corrected,
                const DcCheckinPrepared *p, const char *reason, gint64 *out_id, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcVerificationRow ver = { 0 };
  gint64 newer = 0;
  gboolean found, ok;

  /* correct the newest version only: two corrections of one record would fork it */
  if (!dc_db_verification_superseded_by (db, old->id, &newer, &found, error))
    return FALSE;
  if (found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("Verification #%" PRId64 " was already corrected by #%" PRId64 ": correct that one."), old->id,
                   newer);
      return FALSE;
    }
  ok = dc_db_next_id (db, "verifications", &ver.id, error);
  if (ok)
    {
      ver.customer_id = old->customer_id;
      ver.verified_at = old->verified_at;      /* the document was checked then */
      ver.verifier_id = old->verifier_id;
      ver.recorder_id = dc_actor_staff_id (manager);
      ver.doc_type = (char *) corrected->doc_type;
      ver.payload = p->payload;
      ver.person_index = p->person_index;
      ver.document_index = p->document_index;
      ver.name_index = p->name_index;
      ver.tier = dc_checkin_tier_seal (dc_actor_vault (manager), ver.customer_id, ver.id, &p->dob);
      ver.supersedes = old->id;
      ver.reason = (char *) reason;
      ok = dc_db_verification_insert (db, &ver, out_id, error)
           && dc_audit_row (store, dc_actor_staff_id (manager), "correct", "verifications", *out_id, error);
      g_bytes_unref (ver.tier);
    }
  return ok;
}

gboolean
dc_correct_identity (DcStore *store, DcActor *manager, gint64 verification_id, const DcIdentity *corrected,
                     const char *reason, gint64 *out_id, DcField *bad_field, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcVerificationRow old = { 0 };
  DcCheckinPrepared p = { 0 };
  DcField field = DC_FIELD_NONE;
  GDate day;
  gboolean found, ok;

  if (manager == NULL || !dc_actor_is_manager (manager))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Only a manager signed in with a passphrase may do this."));
      return FALSE;
    }
  if (reason == NULL || g_utf8_strlen (reason, -1) < 2 || g_utf8_strlen (reason, -1) > REASON_MAX_CHARS)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD,
                   _("Say why the record is corrected (2 to 500 characters): the reason is kept with it."));
      return FALSE;
    }
  if (!dc_db_verification_get (db, verification_id, &old, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no verification #%" PRId64 "."), verification_id);
      return FALSE;
    }
  /* the document is judged as it was on the day it was checked */
  dc_date_from_instant (old.verified_at, dc_store_timezone (store), &day);
  ok = dc_checkin_prepare_into (store, dc_actor_vault (manager), corrected, &day, &p, &field, error);
  if (bad_field != NULL)
    *bad_field = field;
  if (ok)
    {
      ok = dc_db_begin (db, error);
      if (ok)
        {
          ok = correct_locked (store, manager, &old, corrected, &p, reason, out_id, error)
               && dc_db_commit (db, error);
          if (!ok)
            dc_db_rollback (db);
        }
    }
  dc_checkin_prepared_clear (&p);
  dc_verification_row_clear (&old);
  return ok;
}
