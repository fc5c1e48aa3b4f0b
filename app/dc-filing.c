/* app/dc-filing.c — notifications the store owes the police (変更届) and the self-inspection of the §1.5 measures. */
#include "dc-filing.h"
#include "dc-audit.h"
#include "dc-date.h"
#include "dc-db-filings.h"
#include "dc-db-report.h"
#include "dc-normalize.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define NOTE_MAX_CHARS 500

static const char *const kind_ids[] = { "adoption", "terminals", "booths", "method", "other" };
G_STATIC_ASSERT (G_N_ELEMENTS (kind_ids) == DC_FILING_OTHER + 1);

const char *
dc_filing_kind_id (DcFilingKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_ids), "other");
  return kind_ids[kind];
}

const char *
dc_filing_kind_label (DcFilingKind kind)
{
  switch (kind)
    {
    case DC_FILING_ADOPTION:
      return _("Record-keeping method: started using Daicho");
    case DC_FILING_TERMINALS:
      return _("Number of terminals");
    case DC_FILING_BOOTHS:
      return _("Number of booths");
    case DC_FILING_METHOD:
      return _("Record-keeping method");
    case DC_FILING_OTHER:
    default:
      return _("Other change");
    }
}

static DcFilingKind
kind_from_id (const char *id)
{
  for (guint k = 0; k < G_N_ELEMENTS (kind_ids); k++)
    if (g_strcmp0 (id, kind_ids[k]) == 0)
      return (DcFilingKind) k;
  return DC_FILING_OTHER;
}

void
dc_filing_clear (DcFiling *filing)
{
  g_clear_pointer (&filing->what, g_free);
  g_clear_pointer (&filing->recorded_by, g_free);
  g_clear_pointer (&filing->filed_by, g_free);
  g_clear_pointer (&filing->filed_note, g_free);
  g_clear_pointer (&filing->change, g_free);
  g_clear_pointer (&filing->label, g_free);
}

/* ---- the due date ---- */

gint64
dc_filing_due (DcStore *store, gint64 at)
{
  GTimeZone *tz = dc_store_timezone (store);
  GDate day;

  /* the day of the change is not counted (Civil Code Art. 140): the period ends with the
   * 10th day after it, so the deadline is the start of the 11th day, less a microsecond */
  dc_date_from_instant (at, tz, &day);
  g_date_add_days (&day, DC_FILING_DAYS + 1);
  return dc_date_start_instant (&day, tz) - 1;
}

void
dc_filing_due_day (DcStore *store, gint64 due, GDate *out)
{
  dc_date_from_instant (due, dc_store_timezone (store), out);
}

gboolean
dc_filing_count (DcStore *store, DcFacilityCount *out, GError **error)
{
  return dc_db_facility_counts (dc_store_db (store), &out->terminals, &out->booths, error);
}

/* ---- recording ---- */

/* filings.summary is machine text, rendered in the reader's language when shown:
 *   "adoption", or "terminals:T0:T1:B0:B1:CHANGE:LABEL" (counts before and after; the
 *   label last, so that it may contain any character). */
static gboolean
record (DcStore *store, gint64 staff_id, DcFilingKind kind, const char *summary, GError **error)
{
  gint64 now = dc_store_now (store);
  gint64 id = 0;

  return dc_db_filing_insert (dc_store_db (store), now, dc_filing_kind_id (kind), summary,
                              dc_filing_due (store, now), staff_id, &id, error)
         && dc_audit_row (store, staff_id, "filing-due", "filings", id, error);
}

gboolean
dc_filing_record_adoption (DcStore *store, gint64 staff_id, GError **error)
{
  return record (store, staff_id, DC_FILING_ADOPTION, "adoption", error);
}

gboolean
dc_filing_after_terminal_change (DcStore *store, gint64 staff_id, const DcFacilityCount *before,
                                 const char *change, const char *label, GError **error)
{
  g_autofree char *summary = NULL;
  DcFacilityCount after;

  if (!dc_filing_count (store, &after, error))
    return FALSE;
  if (after.terminals == before->terminals && after.booths == before->booths)
    return TRUE;
  summary = g_strdup_printf ("terminals:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
                             ":%" G_GINT64_FORMAT ":%s:%s",
                             before->terminals, after.terminals, before->booths, after.booths, change, label);
  return record (store, staff_id, after.booths != before->booths ? DC_FILING_BOOTHS : DC_FILING_TERMINALS, summary,
                 error);
}

/* ---- reading ---- */

static char *
describe_change (const char *change, const char *label)
{
  if (g_str_equal (change, "added"))
    return g_strdup_printf (_("Terminal %s added"), label);
  if (g_str_equal (change, "removed"))
    return g_strdup_printf (_("Terminal %s removed"), label);
  return g_strdup_printf (_("Terminal %s changed"), label);
}

/* Read a "terminals:…" summary into @out; FALSE for any other text. */
static gboolean
parse_change (const char *summary, DcFiling *out)
{
  g_auto(GStrv) parts = g_strsplit (summary != NULL ? summary : "", ":", 7);
  gint64 v[4];

  if (g_strv_length (parts) != 7 || !g_str_equal (parts[0], "terminals"))
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_string_to_signed (parts[i + 1], 10, 0, G_MAXINT64, &v[i], NULL))
      return FALSE;
  out->terminals_before = v[0];
  out->terminals_after = v[1];
  out->booths_before = v[2];
  out->booths_after = v[3];
  out->change = g_strdup (parts[5]);
  out->label = g_strdup (parts[6]);
  return TRUE;
}

/* The summary in the reader's language; text this build does not know is shown as it is. */
static char *
describe (const char *summary, const DcFiling *f)
{
  g_autofree char *head = NULL;

  if (g_strcmp0 (summary, "adoption") == 0)
    return g_strdup (_("The store started making and keeping its identity and terminal records with Daicho."));
  if (f->change == NULL)
    return g_strdup (summary != NULL ? summary : "");
  head = describe_change (f->change, f->label);
  /* TRANSLATORS: "Terminal PC-05 added: terminals 4 → 5, booths 4 → 5." */
  return g_strdup_printf (_("%s: terminals %" PRId64 " → %" PRId64 ", booths %" PRId64
                            " → %" PRId64 "."),
                          head, f->terminals_before, f->terminals_after, f->booths_before, f->booths_after);
}

static void
filing_from_row (DcFilingRow *row, DcFiling *out)
{
  out->id = row->id;
  out->at = row->at;
  out->kind = kind_from_id (row->kind);
  parse_change (row->summary, out);
  out->what = describe (row->summary, out);
  out->due = row->due;
  out->recorded_by = g_steal_pointer (&row->staff);
  out->filed_at = row->filed_at;
  out->filed_by = g_steal_pointer (&row->filed_by_name);
  out->filed_note = g_steal_pointer (&row->filed_note);
}

GArray *
dc_filing_list (DcStore *store, gboolean pending_only, GError **error)
{
  g_autoptr(GArray) rows = dc_db_filing_list (dc_store_db (store), pending_only, error);
  GArray *out;

  if (rows == NULL)
    return NULL;
  out = g_array_sized_new (FALSE, TRUE, sizeof (DcFiling), rows->len);
  g_array_set_clear_func (out, (GDestroyNotify) dc_filing_clear);
  g_array_set_size (out, rows->len);
  for (guint i = 0; i < rows->len; i++)
    filing_from_row (&g_array_index (rows, DcFilingRow, i), &g_array_index (out, DcFiling, i));
  return out;
}

/* Empty or only spaces, full-width ones included. */
static gboolean
is_blank (const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
check_note (const char *note, gboolean required, GError **error)
{
  if (required && is_blank (note))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD,
                   _("Add a note: where and when the notification was handed in."));
      return FALSE;
    }
  if (note != NULL && (!g_utf8_validate (note, -1, NULL) || g_utf8_strlen (note, -1) > NOTE_MAX_CHARS))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("A note may have at most %d characters."), NOTE_MAX_CHARS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_manager (DcActor *actor, GError **error)
{
  if (actor != NULL && dc_actor_is_manager (actor))
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Only a manager signed in with a passphrase may do this."));
  return FALSE;
}

static gboolean
mark_one (DcStore *store, DcActor *manager, gint64 id, const char *note, GError **error)
{
  gboolean done = FALSE;

  if (!dc_db_filing_mark_filed (dc_store_db (store), id, dc_store_now (store), dc_actor_staff_id (manager), note,
                                &done, error))
    return FALSE;
  if (!done)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no pending notification number %" PRId64 "."),
                   id);
      return FALSE;
    }
  return dc_audit_row (store, dc_actor_staff_id (manager), "filing-filed", "filings", id, error);
}

gboolean
dc_filing_get_notification (DcStore *store, char **out, GError **error)
{
  return dc_db_report_notification (dc_store_db (store), out, error);
}

gboolean
dc_filing_set_notification (DcStore *store, DcActor *manager, const char *text, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *trimmed = NULL;

  if (!require_manager (manager, error))
    return FALSE;
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The notification details are not valid text."));
      return FALSE;
    }
  trimmed = is_blank (text) ? NULL : dc_normalize_trim (text);
  if (trimmed != NULL && g_utf8_strlen (trimmed, -1) > DC_NOTIFICATION_MAX_CHARS)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The notification details may have at most %d characters."),
                   DC_NOTIFICATION_MAX_CHARS);
      return FALSE;
    }
  if (!dc_db_begin (db, error))
    return FALSE;
  if (!dc_db_store_set_notification (db, trimmed, error)
      || !dc_audit_row (store, dc_actor_staff_id (manager), "notification-set", "store", 1, error)
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_filing_mark_filed (DcStore *store, DcActor *manager, gint64 id, const char *note, GError **error)
{
  DcDb *db = dc_store_db (store);

  if (!require_manager (manager, error) || !check_note (note, TRUE, error) || !dc_db_begin (db, error))
    return FALSE;
  if (!mark_one (store, manager, id, note, error) || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_filing_mark_all_filed (DcStore *store, DcActor *manager, const char *note, guint *out_count, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(GArray) rows = NULL;
  gboolean ok = TRUE;

  if (!require_manager (manager, error) || !check_note (note, TRUE, error) || !dc_db_begin (db, error))
    return FALSE;
  rows = dc_db_filing_list (db, TRUE, error);
  ok = rows != NULL;
  for (guint i = 0; ok && i < rows->len; i++)
    ok = mark_one (store, manager, g_array_index (rows, DcFilingRow, i).id, note, error);
  if (!ok || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  if (out_count != NULL)
    *out_count = rows->len;
  return TRUE;
}

/* ---- self-inspection ---- */

static const char *const item_ids[] = {
  "security-software", "cctv", "lighting", "adult-shelves", "minor-filtering", "warnings",
};
G_STATIC_ASSERT (G_N_ELEMENTS (item_ids) == DC_CHECK_N_ITEMS);

const char *
dc_check_item_id (DcCheckItem item)
{
  g_return_val_if_fail ((guint) item < DC_CHECK_N_ITEMS, "");
  return item_ids[item];
}

const char *
dc_check_item_label (DcCheckItem item)
{
  switch (item)
    {
    case DC_CHECK_SECURITY_SOFTWARE:
      return _("Security or recovery software runs on every terminal");
    case DC_CHECK_CCTV:
      return _("Security cameras work and cover the floor");
    case DC_CHECK_LIGHTING:
      return _("The floor and booths are adequately lit");
    case DC_CHECK_ADULT_SHELVES:
      return _("Adult manga and magazines are shelved apart");
    case DC_CHECK_MINOR_FILTERING:
      return _("Filtering software runs on every terminal given to minors");
    case DC_CHECK_WARNINGS:
      return _("Warnings against misuse are posted for customers");
    case DC_CHECK_N_ITEMS:
    default:
      return "";
    }
}

gint
dc_check_item_from_id (const char *id)
{
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    if (g_strcmp0 (id, item_ids[i]) == 0)
      return (gint) i;
  return -1;
}

void
dc_self_check_clear (DcSelfCheck *check)
{
  g_clear_pointer (&check->by, g_free);
  g_clear_pointer (&check->note, g_free);
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    g_clear_pointer (&check->items[i].note, g_free);
}

guint
dc_self_check_failures (const DcSelfCheck *check)
{
  guint n = 0;

  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    n += !check->items[i].answered || !check->items[i].ok;
  return n;
}

/* self_checks.items: a JSON object, one member per item id: {"ok": true, "note": "…"}
 * ("note" only when given). Ids this build does not know are kept in the row but ignored. */
static char *
items_encode (const gboolean ok[DC_CHECK_N_ITEMS], const char *const *notes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    {
      json_builder_set_member_name (b, item_ids[i]);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, ok[i]);
      if (notes != NULL && !is_blank (notes[i]))
        {
          json_builder_set_member_name (b, "note");
          json_builder_add_string_value (b, notes[i]);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
items_decode (const char *text, DcSelfCheck *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  obj = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    {
      JsonNode *node = json_object_get_member (obj, item_ids[i]);
      JsonObject *item;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      out->items[i].answered = json_object_has_member (item, "ok");
      out->items[i].ok = json_object_get_boolean_member_with_default (item, "ok", FALSE);
      out->items[i].note = g_strdup (json_object_get_string_member_with_default (item, "note", NULL));
    }
}

gboolean
dc_self_check_add (DcStore *store, DcActor *manager, const gboolean ok[DC_CHECK_N_ITEMS], const char *const *notes,
                   const char *note, gint64 *out_id, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *items = NULL;
  gint64 id = 0;

  if (!require_manager (manager, error) || !check_note (note, FALSE, error))
    return FALSE;
  for (guint i = 0; notes != NULL && i < DC_CHECK_N_ITEMS; i++)
    if (!check_note (notes[i], FALSE, error))
      return FALSE;
  items = items_encode (ok, notes);
  if (!dc_db_begin (db, error))
    return FALSE;
  if (!dc_db_self_check_insert (db, dc_store_now (store), dc_actor_staff_id (manager), items,
                                is_blank (note) ? NULL : note, &id, error)
      || !dc_audit_row (store, dc_actor_staff_id (manager), "self-check", "self_checks", id, error)
      || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

static void
check_from_row (DcSelfCheckRow *row, DcSelfCheck *out)
{
  memset (out, 0, sizeof *out);
  out->id = row->id;
  out->at = row->at;
  out->by = g_steal_pointer (&row->staff);
  out->note = g_steal_pointer (&row->note);
  items_decode (row->items, out);
}

gboolean
dc_self_check_latest (DcStore *store, DcSelfCheck *out, gboolean *found, GError **error)
{
  DcSelfCheckRow row = { 0 };

  if (!dc_db_self_check_latest (dc_store_db (store), &row, found, error))
    return FALSE;
  if (*found)
    check_from_row (&row, out);
  dc_self_check_row_clear (&row);
  return TRUE;
}

GArray *
dc_self_check_list (DcStore *store, guint limit, GError **error)
{
  g_autoptr(GArray) rows = dc_db_self_check_list (dc_store_db (store), limit, error);
  GArray *out;

  if (rows == NULL)
    return NULL;
  out = g_array_sized_new (FALSE, TRUE, sizeof (DcSelfCheck), rows->len);
  g_array_set_clear_func (out, (GDestroyNotify) dc_self_check_clear);
  g_array_set_size (out, rows->len);
  for (guint i = 0; i < rows->len; i++)
    check_from_row (&g_array_index (rows, DcSelfCheckRow, i), &g_array_index (out, DcSelfCheck, i));
  return out;
}

/* ---- the reminder ---- */

gboolean
dc_filing_reminder (DcStore *store, DcFilingReminder *out, GError **error)
{
  DcDb *db = dc_store_db (store);
  gint64 now = dc_store_now (store);
  gboolean found;

  memset (out, 0, sizeof *out);
  if (!dc_db_filing_pending (db, &out->pending, &out->first_due, error)
      || !dc_db_int (db, &out->last_check, &found, error, "SELECT COALESCE (MAX (at), 0) FROM self_checks", ""))
    return FALSE;
  out->overdue = out->pending > 0 && now > out->first_due;
  out->check_due = out->last_check == 0 || now - out->last_check > DC_SELF_CHECK_INTERVAL_DAYS * G_TIME_SPAN_DAY;
  return TRUE;
}

char *
dc_filing_reminder_text (DcStore *store, const DcFilingReminder *r)
{
  GString *text = g_string_new (NULL);

  if (r->pending > 0)
    {
      GDate day;
      g_autofree char *due = NULL;

      dc_filing_due_day (store, r->first_due, &day);
      due = dc_date_to_iso (&day);
      if (r->overdue)
        g_string_append_printf (text, _("A change notification (変更届) to the police was due on %s: file it now."),
                                due);
      else
        g_string_append_printf (text,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%d change must be notified to the police (変更届) by %s.",
                                             "%d changes must be notified to the police (変更届); the first by %s.",
                                             (gulong) r->pending),
                                (int) r->pending, due);
    }
  if (r->check_due)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, r->last_check == 0 ? _("No self-inspection of the anti-misuse measures yet.")
                                                 : _("The self-inspection of the anti-misuse measures is due."));
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}
