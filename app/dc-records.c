/* app/dc-records.c — the lookups behind the manager's pages: visit history, record versions, staff. */
#include "dc-records.h"
#include "dc-db-records.h"
#include "dc-member.h"
#include "dc-normalize.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

/* ---- labels ---- */

const char *
dc_records_role_label (const char *role)
{
  if (g_strcmp0 (role, "manager") == 0)
    return _("manager");
  if (g_strcmp0 (role, "auditor") == 0)
    return _("auditor");
  return _("counter staff");
}

const char *
dc_records_state_label (DcStaffState state)
{
  switch (state)
    {
    case DC_STAFF_OFF_DUTY:
      return _("Off duty");
    case DC_STAFF_LOCKED:
      return _("Locked");
    case DC_STAFF_ON_DUTY:
    default:
      return _("On duty");
    }
}

const char *
dc_records_exit_label (const char *code)
{
  static const struct { const char *code, *label; } labels[] = {
    { "staff", N_("checked out at the counter") },
    { "customer", N_("left by themselves") },
    { "curfew", N_("sent home at the curfew") },
    { "auto", N_("closed automatically") },
    { "recovered", N_("closed after a crash") },
  };

  for (gsize i = 0; code != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (code, labels[i].code))
      return _(labels[i].label);
  return code;
}

/* ---- visits ---- */

static gboolean
may_read_history (DcActor *actor, GError **error)
{
  if (actor != NULL && dc_actor_can_read_identity (actor))
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
               _("Visit history needs a manager or an auditor signed in with a passphrase."));
  return FALSE;
}

void
dc_visit_record_clear (DcVisitRecord *record)
{
  g_clear_pointer (&record->member_number, g_free);
  g_clear_pointer (&record->exit_reason, g_free);
  g_clear_pointer (&record->staff_in, g_free);
  g_clear_pointer (&record->staff_out, g_free);
  g_clear_pointer (&record->terminals, g_free);
}

static void
take_visit (DcVisitRecord *out, DcVisitHistoryRow *row)
{
  out->visit_id = row->id;
  out->customer_id = row->customer_id;
  out->member_number = g_steal_pointer (&row->member_number);
  out->verification_id = row->verification_id;
  out->entered_at = row->entered_at;
  out->exited_at = row->exited_at;
  out->exit_reason = g_steal_pointer (&row->exit_reason);
  out->minor = row->minor;
  out->staff_in = g_steal_pointer (&row->staff_in);
  out->staff_out = g_steal_pointer (&row->staff_out);
  out->terminals = g_steal_pointer (&row->terminals);
}

static GArray *
visit_list (DcStore *store, gint64 customer_id, gint64 visit_id, guint limit, GError **error)
{
  g_autoptr(GArray) rows = dc_db_visit_history (dc_store_db (store), customer_id, visit_id, limit, error);
  GArray *records;

  if (rows == NULL)
    return NULL;
  records = g_array_sized_new (FALSE, TRUE, sizeof (DcVisitRecord), rows->len);
  g_array_set_clear_func (records, (GDestroyNotify) dc_visit_record_clear);
  g_array_set_size (records, rows->len);
  for (guint i = 0; i < rows->len; i++)
    take_visit (&g_array_index (records, DcVisitRecord, i), &g_array_index (rows, DcVisitHistoryRow, i));
  return records;
}

/* The digits of a visit number as typed: "123", "#123", "＃１２３", white space around. */
static char *
visit_digits (const char *query, gboolean *marked)
{
  g_autofree char *nfkc = dc_normalize_nfkc (query);
  char *text = g_strstrip (nfkc);

  *marked = *text == '#';
  if (*marked)
    text = g_strchug (text + 1);
  if (*text == '\0' || strlen (text) > 18 || strspn (text, "0123456789") != strlen (text))
    return NULL;
  return g_strdup (text);
}

static gboolean
lookup_member (DcStore *store, const char *query, gint64 *customer_id, GError **error)
{
  g_autofree char *member = NULL;
  gboolean found = FALSE;

  *customer_id = 0;
  if (!dc_member_number_check (query, &member))
    return TRUE;
  if (!dc_db_customer_find_by_member (dc_store_db (store), member, customer_id, &found, error))
    return FALSE;
  if (!found)
    *customer_id = 0;
  return TRUE;
}

GArray *
dc_records_find_visits (DcStore *store, DcActor *actor, const char *query, guint limit, GError **error)
{
  g_autofree char *digits = NULL;
  g_autofree char *blank = NULL;
  g_autoptr(GArray) visits = NULL;
  gint64 customer_id = 0;
  gboolean marked = FALSE;

  if (!may_read_history (actor, error))
    return NULL;
  /* an empty query lists the newest visits of all */
  blank = g_strstrip (dc_normalize_nfkc (query != NULL ? query : ""));
  if (*blank == '\0')
    return visit_list (store, 0, 0, limit, error);
  digits = visit_digits (blank, &marked);
  if (!marked && !lookup_member (store, blank, &customer_id, error))
    return NULL;
  if (customer_id != 0)
    return visit_list (store, customer_id, 0, limit, error);
  if (digits == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Type a member number or a visit number."));
      return NULL;
    }
  visits = visit_list (store, 0, g_ascii_strtoll (digits, NULL, 10), limit, error);
  if (visits != NULL && visits->len == 0)
    {
      /* a long number was most likely a member number with a typo */
      if (!marked && strlen (digits) >= 8)
        g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND,
                     _("No member and no visit has the number %s: check the digits."), digits);
      else
        g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no visit #%s."), digits);
      return NULL;
    }
  return g_steal_pointer (&visits);
}

/* ---- one visit ---- */

static void
session_record_clear (DcSessionRecord *record)
{
  g_clear_pointer (&record->terminal, g_free);
}

static void
version_record_clear (DcVersionRecord *record)
{
  g_clear_pointer (&record->doc_type, g_free);
  g_clear_pointer (&record->verifier, g_free);
  g_clear_pointer (&record->recorder, g_free);
  g_clear_pointer (&record->reason, g_free);
}

void
dc_visit_detail_free (DcVisitDetail *detail)
{
  if (detail == NULL)
    return;
  dc_visit_record_clear (&detail->visit);
  g_clear_pointer (&detail->sessions, g_array_unref);
  g_clear_pointer (&detail->versions, g_array_unref);
  g_free (detail);
}

static GArray *
sessions_of (DcStore *store, gint64 visit_id, GError **error)
{
  g_autoptr(GArray) rows = dc_db_visit_sessions (dc_store_db (store), visit_id, error);
  GArray *records;

  if (rows == NULL)
    return NULL;
  records = g_array_new (FALSE, TRUE, sizeof (DcSessionRecord));
  g_array_set_clear_func (records, (GDestroyNotify) session_record_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      DcSessionHistoryRow *row = &g_array_index (rows, DcSessionHistoryRow, i);
      DcSessionRecord record = { g_steal_pointer (&row->terminal), row->started_at, row->ended_at };

      g_array_append_val (records, record);
    }
  return records;
}

static GArray *
versions_of (DcStore *store, gint64 verification_id, GError **error)
{
  g_autoptr(GArray) rows = dc_db_verification_chain (dc_store_db (store), verification_id, error);
  GArray *records;

  if (rows == NULL)
    return NULL;
  records = g_array_new (FALSE, TRUE, sizeof (DcVersionRecord));
  g_array_set_clear_func (records, (GDestroyNotify) version_record_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      DcVersionRow *row = &g_array_index (rows, DcVersionRow, i);
      DcVersionRecord record = {
        .verification_id = row->id,
        .verified_at = row->verified_at,
        .recorded_at = row->recorded_at,
        .doc_type = g_steal_pointer (&row->doc_type),
        .verifier = g_steal_pointer (&row->verifier),
        .recorder = g_steal_pointer (&row->recorder),
        .supersedes = row->supersedes,
        .reason = g_steal_pointer (&row->reason),
      };

      g_array_append_val (records, record);
    }
  /* a correction is made of the newest version only, so the versions form one line */
  for (guint i = 0; i < records->len; i++)
    for (guint j = 0; j < records->len; j++)
      {
        DcVersionRecord *newer = &g_array_index (records, DcVersionRecord, j);
        DcVersionRecord *older = &g_array_index (records, DcVersionRecord, i);

        if (newer->supersedes == older->verification_id)
          older->superseded_by = MAX (older->superseded_by, newer->verification_id);
      }
  return records;
}

DcVisitDetail *
dc_records_visit_detail (DcStore *store, DcActor *actor, gint64 visit_id, GError **error)
{
  g_autoptr(DcVisitDetail) detail = g_new0 (DcVisitDetail, 1);
  g_autoptr(GArray) visits = NULL;

  if (!may_read_history (actor, error))
    return NULL;
  visits = visit_list (store, 0, visit_id, 1, error);
  if (visits == NULL)
    return NULL;
  if (visits->len == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no visit #%" PRId64 "."), visit_id);
      return NULL;
    }
  detail->visit = g_array_index (visits, DcVisitRecord, 0);
  memset (&g_array_index (visits, DcVisitRecord, 0), 0, sizeof (DcVisitRecord));
  detail->sessions = sessions_of (store, visit_id, error);
  if (detail->sessions == NULL)
    return NULL;
  detail->versions = versions_of (store, detail->visit.verification_id, error);
  if (detail->versions == NULL)
    return NULL;
  return g_steal_pointer (&detail);
}

const DcVersionRecord *
dc_visit_detail_current (const DcVisitDetail *detail)
{
  for (guint i = 0; i < detail->versions->len; i++)
    {
      const DcVersionRecord *v = &g_array_index (detail->versions, DcVersionRecord, i);

      if (v->superseded_by == 0)
        return v;
    }
  return NULL;
}

const DcVersionRecord *
dc_visit_detail_version (const DcVisitDetail *detail, gint64 verification_id)
{
  for (guint i = 0; i < detail->versions->len; i++)
    {
      const DcVersionRecord *v = &g_array_index (detail->versions, DcVersionRecord, i);

      if (v->verification_id == verification_id)
        return v;
    }
  return NULL;
}

/* ---- staff ---- */

void
dc_staff_record_clear (DcStaffRecord *record)
{
  g_clear_pointer (&record->name, g_free);
  g_clear_pointer (&record->role, g_free);
}

GArray *
dc_records_staff (DcStore *store, GError **error)
{
  g_autoptr(GArray) rows = dc_db_staff_list (dc_store_db (store), error);
  GArray *records;

  if (rows == NULL)
    return NULL;
  records = g_array_new (FALSE, TRUE, sizeof (DcStaffRecord));
  g_array_set_clear_func (records, (GDestroyNotify) dc_staff_record_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      DcStaffRow *row = &g_array_index (rows, DcStaffRow, i);
      DcStaffRecord record = {
        .id = row->id,
        .name = g_steal_pointer (&row->name),
        .role = g_steal_pointer (&row->role),
        /* off duty wins: an inactive account cannot sign in, locked or not */
        .state = !row->active ? DC_STAFF_OFF_DUTY : row->locked_at != 0 ? DC_STAFF_LOCKED : DC_STAFF_ON_DUTY,
      };

      record.passphrase = g_str_equal (record.role, "manager") || g_str_equal (record.role, "auditor");
      g_array_append_val (records, record);
    }
  return records;
}
