/* app/dc-counter.c — the counter's board: terminals and visits joined, minors judged for today. */
#include "dc-counter.h"
#include "dc-checkin.h"
#include "dc-checkin-private.h"
#include "dc-date.h"
#include "dc-db-records.h"
#include "dc-member.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static void
board_terminal_clear (DcBoardTerminal *t)
{
  g_clear_pointer (&t->label, g_free);
  g_clear_pointer (&t->booth, g_free);
  g_clear_pointer (&t->kind, g_free);
  g_clear_pointer (&t->member_number, g_free);
}

static void
board_visit_clear (DcBoardVisit *v)
{
  g_clear_pointer (&v->member_number, g_free);
  g_clear_pointer (&v->terminal, g_free);
}

void
dc_board_free (DcBoard *board)
{
  if (board == NULL)
    return;
  g_clear_pointer (&board->terminals, g_array_unref);
  g_clear_pointer (&board->visits, g_array_unref);
  g_free (board);
}

DcBoard *
dc_board_copy (const DcBoard *board)
{
  DcBoard *copy = g_memdup2 (board, sizeof *board);

  copy->terminals = g_array_copy (board->terminals);
  g_array_set_clear_func (copy->terminals, (GDestroyNotify) board_terminal_clear);
  for (guint i = 0; i < copy->terminals->len; i++)
    {
      DcBoardTerminal *t = &g_array_index (copy->terminals, DcBoardTerminal, i);

      t->label = g_strdup (t->label);
      t->booth = g_strdup (t->booth);
      t->kind = g_strdup (t->kind);
      t->member_number = g_strdup (t->member_number);
    }
  copy->visits = g_array_copy (board->visits);
  g_array_set_clear_func (copy->visits, (GDestroyNotify) board_visit_clear);
  for (guint i = 0; i < copy->visits->len; i++)
    {
      DcBoardVisit *v = &g_array_index (copy->visits, DcBoardVisit, i);

      v->member_number = g_strdup (v->member_number);
      v->terminal = g_strdup (v->terminal);
    }
  return copy;
}

/* Minor today, and minutes left before the curfew applies to them. The tier comes with the
 * presence row and its verification's customer: no look-up per person in. */
static void
judge (DcStore *store, const DcVault *vault, const DcPresenceRow *p, const GDate *today, guint minute,
       gboolean *minor, gint *minutes)
{
  const DcProfile *profile = dc_store_profile (store);
  GDate adult, sixteen;
  guint age = p->minor ? 17 : 18;

  if (vault != NULL && p->tier != NULL
      && dc_checkin_tier_open (vault, p->tier_customer_id, p->verification_id, p->tier, &adult, &sixteen, NULL))
    age = g_date_compare (today, &adult) >= 0 ? 18 : g_date_compare (today, &sixteen) >= 0 ? 17 : 15;
  *minor = dc_profile_is_minor (profile, age);
  *minutes = *minor ? dc_profile_minutes_to_curfew (profile, age, minute) : -1;
}

DcBoard *
dc_board_read (DcStore *store, const DcVault *vault, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autoptr(DcBoard) board = g_new0 (DcBoard, 1);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GHashTable) by_visit = g_hash_table_new (g_int64_hash, g_int64_equal);
  GDate today;
  guint minute;

  board->at = dc_store_now (store);
  dc_date_from_instant (board->at, dc_store_timezone (store), &today);
  minute = dc_time_minute_of_day (board->at, dc_store_timezone (store));

  /* one read transaction: terminals and visits from the same moment */
  if (!dc_db_read_begin (db, NULL, error))
    return NULL;
  rows = dc_db_terminal_list (db, error);
  in = rows != NULL ? dc_db_presence_list (db, error) : NULL;
  dc_db_read_end (db);
  if (in == NULL)
    return NULL;

  board->terminals = g_array_sized_new (FALSE, TRUE, sizeof (DcBoardTerminal), rows->len);
  g_array_set_clear_func (board->terminals, (GDestroyNotify) board_terminal_clear);
  board->visits = g_array_sized_new (FALSE, TRUE, sizeof (DcBoardVisit), in->len);
  g_array_set_clear_func (board->visits, (GDestroyNotify) board_visit_clear);

  for (guint i = 0; i < in->len; i++)
    {
      DcPresenceRow *p = &g_array_index (in, DcPresenceRow, i);
      DcBoardVisit v = { 0 };

      v.visit_id = p->visit_id;
      v.member_number = g_strdup (p->member_number);
      v.terminal = g_strdup (p->terminal);
      v.entered_at = p->entered_at;
      judge (store, vault, p, &today, minute, &v.minor, &v.minutes_to_curfew);
      board->minors += v.minor ? 1 : 0;
      g_array_append_val (board->visits, v);
    }
  for (guint i = 0; i < board->visits->len; i++)
    {
      DcBoardVisit *v = &g_array_index (board->visits, DcBoardVisit, i);
      g_hash_table_insert (by_visit, &v->visit_id, v);
    }

  for (guint i = 0; i < rows->len; i++)
    {
      DcTerminalRow *r = &g_array_index (rows, DcTerminalRow, i);
      DcBoardTerminal t = { 0 };
      DcBoardVisit *v = r->open_visit != 0 ? g_hash_table_lookup (by_visit, &r->open_visit) : NULL;

      t.id = r->id;
      t.label = g_strdup (r->label);
      t.booth = g_strdup (r->booth);
      t.kind = g_strdup (r->kind);
      t.filtered = r->filtered;
      t.minutes_to_curfew = -1;
      t.retired = !r->active;
      if (!r->active || r->out_of_order)
        t.state = DC_TERMINAL_OUT_OF_ORDER;
      else if (r->open_session != 0)
        t.state = DC_TERMINAL_IN_USE;
      else
        {
          t.state = DC_TERMINAL_FREE;
          board->free_terminals++;
        }
      if (r->open_session != 0 && v != NULL)
        {
          t.visit_id = v->visit_id;
          t.member_number = g_strdup (v->member_number);
          t.entered_at = v->entered_at;
          t.session_started = r->session_started;
          t.minor = v->minor;
          t.minutes_to_curfew = v->minutes_to_curfew;
        }
      g_array_append_val (board->terminals, t);
    }
  return g_steal_pointer (&board);
}

const DcBoardTerminal *
dc_board_suggest (const DcBoard *board, gboolean minor)
{
  const DcBoardTerminal *fallback = NULL;

  for (guint i = 0; i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);

      if (t->state != DC_TERMINAL_FREE || (minor && !t->filtered))
        continue;
      if (minor || !t->filtered)
        return t;
      if (fallback == NULL)
        fallback = t;
    }
  return fallback;
}

/* ---- one member, scanned ---- */

/* The member's customer id and the counter tier of their latest verification. */
static gboolean
read_tier (DcStore *store, const char *member, gint64 *customer_id, gint64 *verification_id, GBytes **tier,
           GError **error)
{
  DcDb *db = dc_store_db (store);
  gboolean found;

  if (!dc_db_customer_find_by_member (db, member, customer_id, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no member %s."), member);
      return FALSE;
    }
  if (!dc_db_verification_latest_tier (db, *customer_id, verification_id, tier, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("Member %s has no identity record: verify a document."),
                   member);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_counter_member_today (DcStore *store, const DcVault *vault, const char *member_number, DcMemberToday *out,
                         GError **error)
{
  const DcProfile *profile = dc_store_profile (store);
  g_autofree char *member = NULL;
  g_autoptr(GBytes) tier = NULL;
  gint64 customer_id = 0, verification_id = 0, now = dc_store_now (store);
  GDate today, sixteen;
  guint minute = dc_time_minute_of_day (now, dc_store_timezone (store));

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  out->minutes_to_curfew = -1;
  if (!dc_member_number_check (member_number, &member))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("This is not a valid member number: check the digits."));
      return FALSE;
    }
  if (!read_tier (store, member, &customer_id, &verification_id, &tier, error)
      || !dc_checkin_tier_open (vault, customer_id, verification_id, tier, &out->adult_on, &sixteen, error))
    return FALSE;

  /* the day in the store's zone: at midnight in Tokyo they turn 18, wherever the PC's clock is */
  dc_date_from_instant (now, dc_store_timezone (store), &today);
  out->age = g_date_compare (&today, &out->adult_on) >= 0 ? 18 : g_date_compare (&today, &sixteen) >= 0 ? 17 : 15;
  out->minor = dc_profile_is_minor (profile, out->age);
  if (!out->minor)
    return TRUE;
  out->band = dc_profile_next_band (profile, out->age, minute);
  out->minutes_to_curfew = dc_profile_minutes_to_curfew (profile, out->age, minute);
  if (out->minutes_to_curfew > 0)
    out->curfew_minute = (minute + (guint) out->minutes_to_curfew) % (24 * 60);
  return dc_profile_check_curfew (profile, out->age, minute, error);
}

GPtrArray *
dc_store_staff_names (DcStore *store, GError **error)
{
  g_autoptr(GArray) rows = dc_db_staff_list (dc_store_db (store), error);
  GPtrArray *names;

  if (rows == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      DcStaffRow *r = &g_array_index (rows, DcStaffRow, i);
      if (r->active)
        g_ptr_array_add (names, g_strdup (r->name));
    }
  return names;
}
