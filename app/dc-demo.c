/* app/dc-demo.c — the demo store: a simulated counter driving the real workflows (its people: dc-demo-people). */
#include "dc-demo.h"
#include "dc-demo-private.h"
#include "dc-date.h"
#include "dc-db-records.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MINUTE G_GINT64_CONSTANT (60000000)
#define HOUR   (60 * MINUTE)

/* Arrivals by local hour: quiet mornings, busy evenings, night packs from 21:00. */
static const guint hour_weights[24] = { 4, 3, 2, 1, 1, 1, 1, 2, 3, 3, 4, 5, 6, 6, 6, 6, 7, 8, 9, 10, 10, 10, 9, 7 };
/* Monday … Sunday: the week averages to one. */
static const double weekday_factor[7] = { 0.90, 0.90, 0.93, 0.95, 1.10, 1.17, 1.05 };

/* ---- the simulation ----
 * Two halves on this thread and a helper thread. The plan walks the simulated time and
 * decides everything: who comes, where they sit, when they move and leave. It keeps its own
 * picture of the store (free terminals, who is in, who has a card) and never waits for the
 * database, so it runs a day ahead. Each decision becomes a step; the commit half
 * (dc-demo-commit.c) then runs a day's steps in order through the real workflows, a week per
 * transaction. Meanwhile a helper thread prepares the identity of every document check-in
 * (the rules, the sealing, the indexes).
 * A refusal the plan did not foresee is counted, and what depended on it (that visit's seat
 * change and check-out, a card never issued) is skipped. */

static gint64
sim_clock (gpointer user_data)
{
  return ((Sim *) user_data)->clock;
}

static double
uniform (Sim *sim)
{
  return g_rand_double (sim->rand);
}

static guint
below (Sim *sim, guint n)
{
  return (guint) g_rand_int_range (sim->rand, 0, (gint32) n);
}

/* ---- departures and seat changes, in time order ---- */

static gboolean
event_before (const Event *a, const Event *b)
{
  return a->at < b->at || (a->at == b->at && a->order < b->order);
}

static void
schedule (Sim *sim, Visit *visit, gint64 at, gboolean move)
{
  Event ev = { .at = at, .order = sim->order++, .visit = visit, .move = move };
  Event *e;
  guint i;

  g_array_append_val (sim->events, ev);
  e = (Event *) sim->events->data;
  for (i = sim->events->len - 1; i > 0 && event_before (&ev, &e[(i - 1) / 2]); i = (i - 1) / 2)
    e[i] = e[(i - 1) / 2];
  e[i] = ev;
}

static Event
next_event (Sim *sim)
{
  Event *e = (Event *) sim->events->data;
  Event top = e[0], last = e[sim->events->len - 1];
  guint n = sim->events->len - 1, i = 0;

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= n)
        break;
      if (child + 1 < n && event_before (&e[child + 1], &e[child]))
        child++;
      if (!event_before (&e[child], &last))
        break;
      e[i] = e[child];
      i = child;
    }
  e[i] = last;
  g_array_set_size (sim->events, n);
  return top;
}

/* ---- terminals ---- */

static GArray *
free_list (Sim *sim, gboolean filtered)
{
  return filtered ? sim->free_filtered : sim->free_open;
}

static void
release_terminal (Sim *sim, guint index)
{
  g_array_append_val (free_list (sim, g_array_index (sim->terminals, Terminal, index).filtered), index);
}

/* A random free terminal this customer may use: minors need a filtered one, adults are
 * shown to an unfiltered one while there is one. -1 when the store is full for them. */
static gint
take_terminal (Sim *sim, gboolean minor)
{
  GArray *list = minor || sim->free_open->len == 0 ? sim->free_filtered : sim->free_open;
  guint pick, index;

  if (list->len == 0)
    return -1;
  pick = below (sim, list->len);
  index = g_array_index (list, guint, pick);
  g_array_index (list, guint, pick) = g_array_index (list, guint, list->len - 1);
  g_array_set_size (list, list->len - 1);
  return (gint) index;
}

static gboolean
load_terminals (Sim *sim, GError **error)
{
  g_autoptr(GArray) rows = dc_db_terminal_list (dc_store_db (sim->store), error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      DcTerminalRow *row = &g_array_index (rows, DcTerminalRow, i);
      Terminal t = { .filtered = row->filtered };

      /* one in use already belongs to someone this simulation does not know */
      if (row->active && !row->out_of_order && row->open_session == 0)
        {
          t.label = g_strdup (row->label);
          g_array_append_val (sim->terminals, t);
          release_terminal (sim, sim->terminals->len - 1);
        }
      dc_terminal_row_clear (row);
    }
  if (sim->terminals->len == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The store has no free terminal to fill a demo history with."));
      return FALSE;
    }
  return TRUE;
}

/* A new person nobody in this simulation shares a name and birthday with. */
static guint
new_person (Sim *sim, gboolean minor)
{
  DcDemoPerson p;
  char key[160];

  for (;;)
    {
      dc_demo_person_invent (&p, sim->rand, &sim->today, minor);
      dc_demo_person_full_name (&p, key, sizeof key - 16, NULL, 0);
      g_snprintf (key + strlen (key), 16, "\x1f%u", p.dob);
      if (!g_hash_table_contains (sim->known, key))
        break;
    }
  g_hash_table_add (sim->known, g_strdup (key));
  g_array_append_val (sim->people, p);
  g_byte_array_set_size (sim->enrolled, sim->people->len);
  sim->enrolled->data[sim->people->len - 1] = FALSE;
  return sim->people->len - 1;
}


/* ---- the plan: departures and seat changes ---- */

static void
add_step (Sim *sim, const Step *step)
{
  g_array_append_val (sim->steps, *step);
}

static void
plan_checkout (Sim *sim, Visit *visit)
{
  Step step = { .kind = STEP_CHECKOUT, .at = sim->now, .visit = visit };

  step.reason = uniform (sim) < 0.25 ? DC_EXIT_CUSTOMER : DC_EXIT_STAFF;
  add_step (sim, &step);
  release_terminal (sim, visit->terminal);
  person (sim, visit->person)->inside = FALSE;
}

static void
plan_move (Sim *sim, Visit *visit)
{
  gint to = take_terminal (sim, visit->minor);
  Step step = { .kind = STEP_MOVE, .at = sim->now, .visit = visit, .from = visit->terminal, .to = (guint) to };

  if (to < 0)
    return;   /* nowhere to go: they stay */
  add_step (sim, &step);
  release_terminal (sim, visit->terminal);
  visit->terminal = (guint) to;
}

/* Everything that happens before @until: check-outs and seat changes. */
static void
run_events (Sim *sim, gint64 until)
{
  while (sim->events->len > 0 && g_array_index (sim->events, Event, 0).at < until)
    {
      Event ev = next_event (sim);

      sim->now = ev.at;
      if (ev.move)
        plan_move (sim, ev.visit);
      else
        plan_checkout (sim, ev.visit);
    }
}

/* ---- the plan: arrivals ---- */

/* Minutes a minor of @age may still stay after @minute before the curfew, or -1 when none applies. */
static gint
minutes_left (Sim *sim, guint age, guint minute)
{
  return dc_profile_minutes_to_curfew (sim->profile, age, minute);
}

static gboolean
minor_may_come (Sim *sim, guint age, guint minute)
{
  gint left = minutes_left (sim, age, minute);

  return minute >= 13 * 60 && minute < 21 * 60 && (left < 0 || left >= 90);
}

static gint64
stay_length (Sim *sim, gboolean minor, guint age, guint minute)
{
  gint64 stay;

  if (minor)
    {
      gint left = minutes_left (sim, age, minute);
      guint most = left < 0 ? 300 : MIN (300, (guint) left - 20);

      stay = (60 + below (sim, most - 60 + 1)) * MINUTE;
    }
  else if ((minute >= 21 * 60 || minute < 2 * 60) && uniform (sim) < 0.5)
    stay = 6 * HOUR + (gint64) (uniform (sim) * 6 * HOUR);   /* a night pack */
  else
    stay = HOUR + (gint64) (pow (uniform (sim), 2.5) * 8 * HOUR);
  return stay + below (sim, 60) * G_USEC_PER_SEC;
}

/* A returning person who is not in the store and may come in now; -1 when none is found quickly. */
static gint
pick_returning (Sim *sim, guint minute)
{
  guint n = sim->people->len;

  for (int tries = 0; tries < 8; tries++)
    {
      /* regulars: earlier customers come back more often */
      guint index = MIN ((guint) (n * pow (uniform (sim), 1.6)), n - 1);
      DcDemoPerson *p = person (sim, index);
      guint age = dc_demo_person_age_on (p, &sim->today);

      if (p->inside || !sim->enrolled->data[index] || p->kind == DC_DEMO_KIND_VISITOR)
        continue;
      if (age < 18 && !minor_may_come (sim, age, minute))
        continue;
      return (gint) index;
    }
  return -1;
}

/* @p's identity as shown today, for the helper. */
static Job *
new_job (Sim *sim, const DcDemoPerson *p)
{
  Job *job = g_new0 (Job, 1);

  dc_demo_person_identity (p, &job->text, &job->identity);
  job->day = sim->today;
  return job;
}

/* Add @step, and hand its identity to the helper (the step owns the job). */
static gboolean
add_identity_step (Sim *sim, const Step *step, GError **error)
{
  add_step (sim, step);
  return g_thread_pool_push (sim->helper, step->job, error);
}

typedef enum {
  COME_NEW,
  COME_CARD,
  COME_DOCUMENT,
} Coming;

static gboolean
plan_arrival (Sim *sim, guint minute, GError **error)
{
  double u = uniform (sim);
  Coming how = u < 0.25 || sim->people->len < 50 ? COME_NEW : u < 0.80 ? COME_CARD : COME_DOCUMENT;
  gint index = how == COME_NEW ? -1 : pick_returning (sim, minute);
  Step step = { .at = sim->now };
  DcDemoPerson *p;
  gboolean minor;
  gint terminal;
  Visit *visit;
  gint64 stay;

  if (index < 0)
    {
      /* minors come only in the afternoon and early evening */
      how = COME_NEW;
      minor = minor_may_come (sim, 17, minute) && minor_may_come (sim, 15, minute) && uniform (sim) < 0.08;
    }
  else
    minor = dc_demo_person_age_on (person (sim, (guint) index), &sim->today) < 18;

  terminal = take_terminal (sim, minor);
  if (terminal < 0)
    {
      sim->stats->refused++;   /* full: turned away at the door */
      return TRUE;
    }
  if (index < 0)
    index = (gint) new_person (sim, minor);
  p = person (sim, (guint) index);
  if (how == COME_DOCUMENT)
    dc_demo_person_renew_papers (p, sim->rand, &sim->today);
  step.kind = how == COME_CARD ? STEP_CARD : STEP_CHECKIN;
  step.job = how == COME_CARD ? NULL : new_job (sim, p);
  p->inside = TRUE;
  sim->enrolled->data[index] = TRUE;

  visit = g_new0 (Visit, 1);
  visit->person = (guint) index;
  visit->terminal = (guint) terminal;
  visit->minor = minor;
  step.visit = visit;
  step.to = (guint) terminal;
  stay = stay_length (sim, minor, dc_demo_person_age_on (p, &sim->today), minute);
  schedule (sim, visit, sim->now + stay, FALSE);
  if (uniform (sim) < 0.03)
    schedule (sim, visit, sim->now + (gint64) ((0.2 + 0.6 * uniform (sim)) * stay), TRUE);

  if (step.job == NULL)
    {
      add_step (sim, &step);
      return TRUE;
    }
  return add_identity_step (sim, &step, error);
}

/* Now and then someone the rules turn away: a teenager after the curfew, an expired
 * licence, a notification card (通知カード), which is no proof of identity. */
static gboolean
plan_turned_away (Sim *sim, guint minute, GError **error)
{
  Step step = { .kind = STEP_TURNED_AWAY, .at = sim->now, .to = 0 };
  gboolean night = dc_profile_in_curfew (sim->profile, 16, minute);
  DcDemoPerson p;

  dc_demo_person_invent (&p, sim->rand, &sim->today, night);
  if (p.kind == DC_DEMO_KIND_VISITOR)
    dc_demo_person_place (&p, sim->rand);
  if (night)
    step.expected = DC_ERROR_CURFEW;
  else if (uniform (sim) < 0.5)
    {
      GDate expired = sim->today;

      p.kind = DC_DEMO_KIND_JAPANESE;
      p.doc = DC_DEMO_DOC_LICENSE;
      g_date_subtract_days (&expired, 1 + below (sim, 200));
      p.doc_date = g_date_get_julian (&expired);
      step.expected = DC_ERROR_DOC_EXPIRED;
    }
  else
    step.expected = DC_ERROR_DOC_NOT_ACCEPTED;
  step.job = new_job (sim, &p);
  if (step.expected == DC_ERROR_DOC_NOT_ACCEPTED)
    {
      step.job->identity.doc_type = "notification_card";
      step.job->identity.doc_number = NULL;
    }
  return add_identity_step (sim, &step, error);
}

static gint
compare_instants (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The day's arrivals, in order, within [@from, @to). */
static GArray *
arrivals (Sim *sim, gint64 day_start, gint64 from, gint64 to)
{
  guint total = 0, count;
  double factor = weekday_factor[g_date_get_weekday (&sim->today) - 1] * (0.9 + 0.2 * uniform (sim));
  GArray *times;

  for (guint h = 0; h < 24; h++)
    total += hour_weights[h];
  count = (guint) (sim->options->visits_per_day * factor + 0.5);
  times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), count);
  for (guint i = 0; i < count; i++)
    {
      guint r = below (sim, total), h = 0;
      gint64 at;

      while (r >= hour_weights[h])
        r -= hour_weights[h++];
      at = day_start + h * HOUR + (gint64) (uniform (sim) * HOUR);
      if (at >= from && at < to)
        g_array_append_val (times, at);
    }
  g_array_sort (times, compare_instants);
  return times;
}

/* The steps of the simulated day @sim->today, from @from on. */
static gboolean
plan_day (Sim *sim, gint64 from, GError **error)
{
  GTimeZone *tz = sim->tz;
  GDate next = sim->today;
  gint64 day_start = dc_date_start_instant (&sim->today, tz);
  gint64 day_end;
  g_autoptr(GArray) times = NULL;

  g_date_add_days (&next, 1);
  day_end = MIN (dc_date_start_instant (&next, tz), sim->end);
  times = arrivals (sim, day_start, MAX (from, day_start), day_end);
  for (guint i = 0; i < times->len; i++)
    {
      gint64 at = g_array_index (times, gint64, i);
      guint minute;
      gboolean ok;

      run_events (sim, at);
      sim->now = at;
      minute = dc_time_minute_of_day (at, tz);
      if (uniform (sim) < (dc_profile_in_curfew (sim->profile, 16, minute) ? 0.01 : 0.002))
        ok = plan_turned_away (sim, minute, error);
      else
        ok = plan_arrival (sim, minute, error);
      if (!ok)
        return FALSE;
    }
  run_events (sim, day_end);
  return TRUE;
}

static void
sim_clear (Sim *sim)
{
  /* the helper first: it may hold a job */
  if (sim->helper != NULL)
    g_thread_pool_free (g_steal_pointer (&sim->helper), TRUE, TRUE);
  /* stopped between two days of a week: that week goes */
  if (sim->in_transaction)
    dc_db_rollback (dc_store_db (sim->store));
  sim->in_transaction = FALSE;
  for (guint i = 0; sim->steps != NULL && i < sim->steps->len; i++)
    dc_demo_step_clear (&g_array_index (sim->steps, Step, i));
  for (guint i = 0; sim->events != NULL && i < sim->events->len; i++)
    if (!g_array_index (sim->events, Event, i).move)
      g_free (g_array_index (sim->events, Event, i).visit);
  for (guint i = 0; sim->people != NULL && i < sim->people->len; i++)
    g_free (g_array_index (sim->people, DcDemoPerson, i).member);
  for (guint i = 0; sim->terminals != NULL && i < sim->terminals->len; i++)
    g_free (g_array_index (sim->terminals, Terminal, i).label);
  g_clear_pointer (&sim->steps, g_array_unref);
  g_clear_pointer (&sim->events, g_array_unref);
  g_clear_pointer (&sim->people, g_array_unref);
  g_clear_pointer (&sim->enrolled, g_byte_array_unref);
  g_clear_pointer (&sim->terminals, g_array_unref);
  g_clear_pointer (&sim->free_open, g_array_unref);
  g_clear_pointer (&sim->free_filtered, g_array_unref);
  g_clear_pointer (&sim->known, g_hash_table_unref);
  g_clear_pointer (&sim->rand, g_rand_free);
  g_mutex_clear (&sim->lock);
  g_cond_clear (&sim->ready);
}

/* Walk the days: each is committed while the next is planned and its identities prepared. */
static gboolean
simulate (Sim *sim, GError **error)
{
  DcDb *db = dc_store_db (sim->store);
  gint64 start = sim->end - (gint64) sim->options->days * 24 * HOUR;
  GDate last;
  guint n_days, day = 0, planned;
  gboolean more = TRUE, week_ends;

  dc_date_from_instant (start, sim->tz, &sim->today);
  dc_date_from_instant (sim->end - 1, sim->tz, &last);
  n_days = g_date_days_between (&sim->today, &last) + 1;
  sim->clock = start;
  sim->helper = g_thread_pool_new (dc_demo_prepare_identity, sim, 1, TRUE, error);
  if (sim->helper == NULL || !plan_day (sim, start, error))
    return FALSE;
  while (more)
    {
      planned = sim->steps->len;
      more = g_date_compare (&sim->today, &last) < 0;
      if (more)
        {
          g_date_add_days (&sim->today, 1);
          if (!plan_day (sim, start, error))
            return FALSE;
        }
      /* a week per transaction: a page written on many days goes to the WAL once */
      week_ends = !more || ++day % 7 == 0;
      if (!dc_demo_commit_steps (sim, planned, week_ends, error))
        return FALSE;
      /* automatic checkpoints are off: keep the WAL to about a week */
      if (week_ends && !dc_db_checkpoint (db, FALSE, error))
        return FALSE;
      if (sim->options->progress != NULL)
        sim->options->progress (day, n_days, sim->options->progress_data);
    }
  return TRUE;
}

/* Indexes no statement of the check-in, seat change and check-out workflows reads (their
 * lookups go by id, member number, person index, customer and the open-visit and
 * open-session indexes): the fill builds them once at its end instead of updating them for
 * every row. Keeping them was a third of each visit's inserts and updates; building them
 * costs less than half of that. audit_subject stays: sorting it costs as much as keeping it. */
static const char *const unread_indexes[] = {
  "customers_person",
  "verifications_document", "verifications_name", "verifications_supersedes",
  "visits_customer", "visits_verification", "visits_exited",
  "sessions_visit", "sessions_start", "sessions_length",
  NULL
};

gboolean
dc_demo_fill (DcStore *store, DcActor *actor, const DcDemoOptions *options, DcDemoStats *stats, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcDemoStats local_stats = { 0 };
  DcClockFunc saved_clock;
  gpointer saved_data;
  Sim sim;
  gboolean ok;

  g_return_val_if_fail (store != NULL && actor != NULL && options != NULL, FALSE);
  g_return_val_if_fail (options->days > 0 && options->visits_per_day > 0, FALSE);

  sim = (Sim) {
    .store = store,
    .actor = actor,
    .vault = dc_actor_vault (actor),
    .options = options,
    .stats = stats != NULL ? stats : &local_stats,
    .profile = dc_store_profile (store),
    .tz = dc_store_timezone (store),
    .rand = g_rand_new_with_seed (options->seed),
    .people = g_array_new (FALSE, FALSE, sizeof (DcDemoPerson)),
    .enrolled = g_byte_array_new (),
    .known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .terminals = g_array_new (FALSE, FALSE, sizeof (Terminal)),
    .free_open = g_array_new (FALSE, FALSE, sizeof (guint)),
    .free_filtered = g_array_new (FALSE, FALSE, sizeof (guint)),
    .events = g_array_new (FALSE, FALSE, sizeof (Event)),
    .steps = g_array_new (FALSE, FALSE, sizeof (Step)),
  };
  g_mutex_init (&sim.lock);
  g_cond_init (&sim.ready);
  memset (sim.stats, 0, sizeof *sim.stats);
  dc_store_get_clock (store, &saved_clock, &saved_data);
  sim.end = saved_clock (saved_data);
  ok = load_terminals (&sim, error) && dc_db_set_bulk (db, TRUE, error);
  if (ok)
    {
      dc_store_set_clock (store, sim_clock, &sim);
      ok = dc_db_bulk_defer_indexes (db, unread_indexes, error) && simulate (&sim, error);
      /* the helper stops before the store is handed back */
      sim_clear (&sim);
      dc_store_set_clock (store, saved_clock, saved_data);
      /* durable again before anyone relies on it */
      ok = dc_db_set_bulk (db, FALSE, ok ? error : NULL) && ok;
    }
  else
    sim_clear (&sim);
  return ok;
}

/* ---- a whole demo store ---- */

guint
dc_demo_default_terminals (guint visits_per_day)
{
  /* 60 booths serve about 200 visits a day; beyond that the store grows with its load */
  guint need = (visits_per_day * 3 + 9) / 10;

  return MAX (60, (need + 3) / 4 * 4);
}

static gboolean
add_terminals (DcStore *store, DcActor *manager, guint n, GError **error)
{
  DcDb *db = dc_store_db (store);
  int width = n > 99 ? 3 : 2;

  if (!dc_db_begin (db, error))
    return FALSE;
  for (guint i = 1; i <= n; i++)
    {
      char label[16], booth[16];

      g_snprintf (label, sizeof label, "PC-%0*u", width, i);
      g_snprintf (booth, sizeof booth, "B%0*u", width, i);
      if (!dc_store_add_terminal (store, manager, label, booth, i % 4 == 0, NULL, error))
        {
          dc_db_rollback (db);
          return FALSE;
        }
    }
  return dc_db_commit (db, error);
}

static gboolean
set_up (DcStore *store, const DcDemoOptions *options, DcDemoStats *stats, GError **error)
{
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcActor) counter = NULL;
  guint terminals = options->terminals != 0 ? options->terminals
                    : dc_demo_default_terminals (options->visits_per_day);

  manager = dc_store_sign_in_passphrase (store, DC_DEMO_MANAGER, DC_DEMO_PASSPHRASE, error);
  if (manager == NULL
      || !dc_store_add_staff (store, manager, "受付 佐藤", "counter", DC_DEMO_PIN, NULL, NULL, error)
      || !dc_store_add_staff (store, manager, "受付 鈴木", "counter", DC_DEMO_PIN, NULL, NULL, error)
      || !add_terminals (store, manager, terminals, error))
    return FALSE;
  counter = dc_store_sign_in_pin (store, "受付 佐藤", DC_DEMO_PIN, error);
  return counter != NULL && dc_demo_fill (store, counter, options, stats, error);
}

static void
remove_demo (const char *dir, gboolean made_dir)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s%s", dir, DC_STORE_DB_NAME, suffixes[i]);
      g_unlink (path);
    }
  if (made_dir)
    g_rmdir (dir);
}

DcStore *
dc_demo_create (const char *dir, const DcDemoOptions *options, DcDemoStats *stats, GError **error)
{
  DcStoreSetup setup = {
    .name = "デモ店 新宿東口",
    .operator_name = "株式会社デモ (デモデータ)",
    .address = "東京都新宿区新宿3-1-1 デモビル5階 (架空)",
    .prefecture = "tokyo",
    .manager = DC_DEMO_MANAGER,
    .demo = TRUE,
  };
  gboolean made_dir = !g_file_test (dir, G_FILE_TEST_EXISTS);
  g_autoptr(DcStore) store = NULL;
  char *recovery = NULL;

  store = dc_store_create (dir, &setup, DC_DEMO_PASSPHRASE, DC_DEMO_PIN, &recovery, error);
  dc_secret_free (recovery);
  if (store == NULL)
    return NULL;
  if (!set_up (store, options, stats, error))
    {
      /* half a demo is no use to anyone */
      g_clear_pointer (&store, dc_store_free);
      remove_demo (dir, made_dir);
      return NULL;
    }
  return g_steal_pointer (&store);
}
