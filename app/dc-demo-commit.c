/* app/dc-demo-commit.c — the demo's commit half: its steps through the real workflows, and the helper thread preparing identities. */
#include "dc-demo-private.h"

/* ---- the helper thread ---- */

void
dc_demo_prepare_identity (gpointer data, gpointer user_data)
{
  Job *job = data;
  Sim *sim = user_data;
  GError *local = NULL;
  DcCheckinPrepared *prepared = dc_checkin_prepare (sim->store, sim->vault, &job->identity, &job->day, NULL, &local);

  g_mutex_lock (&sim->lock);
  job->prepared = prepared;
  job->error = local;
  job->ready = TRUE;
  g_cond_signal (&sim->ready);
  g_mutex_unlock (&sim->lock);
}

static void
wait_for (Sim *sim, Job *job)
{
  g_mutex_lock (&sim->lock);
  while (!job->ready)
    g_cond_wait (&sim->ready, &sim->lock);
  g_mutex_unlock (&sim->lock);
}

static void
job_free (Job *job)
{
  dc_checkin_prepared_free (job->prepared);
  g_clear_error (&job->error);
  g_free (job);
}

/* ---- the commit: the steps through the real workflows ---- */

static gboolean
is_refusal (const GError *error)
{
  if (error->domain != DC_ERROR)
    return FALSE;
  switch ((DcErrorCode) error->code)
    {
    case DC_ERROR_CURFEW:
    case DC_ERROR_DOC_EXPIRED:
    case DC_ERROR_DOC_TOO_OLD:
    case DC_ERROR_DOC_NOT_ACCEPTED:
    case DC_ERROR_TERMINAL_BUSY:
    case DC_ERROR_TERMINAL_NOT_FILTERED:
    case DC_ERROR_TERMINAL_UNAVAILABLE:
    case DC_ERROR_ALREADY_IN:
      return TRUE;
    case DC_ERROR_INVALID:
    case DC_ERROR_INVALID_DATE:
    case DC_ERROR_MISSING_FIELD:
    case DC_ERROR_FORBIDDEN_NUMBER:
    case DC_ERROR_NOT_FOUND:
    case DC_ERROR_EXISTS:
    case DC_ERROR_WRONG_SECRET:
    case DC_ERROR_LOCKED:
    case DC_ERROR_PERMISSION:
    case DC_ERROR_WEAK_SECRET:
    case DC_ERROR_CRYPTO:
    case DC_ERROR_TAMPERED:
    case DC_ERROR_IO:
    default:
      return FALSE;
    }
}

/* A rule refused it: count it as a counter would, and carry on (a batch workflow refused
 * by a rule has written nothing). */
static gboolean
refused (Sim *sim, GError **local, GError **error)
{
  if (!is_refusal (*local))
    {
      g_propagate_error (error, g_steal_pointer (local));
      return FALSE;
    }
  g_clear_error (local);
  sim->stats->refused++;
  return TRUE;
}

/* A check-in with a document, its identity as the helper prepared it. */
static gboolean
checkin_with (Sim *sim, Step *step, DcCheckinResult *result, GError **error)
{
  wait_for (sim, step->job);
  if (step->job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&step->job->error));
      return FALSE;
    }
  return dc_batch_checkin (sim->store, sim->actor, step->job->prepared, terminal_label (sim, step->to), TRUE, result,
                           error);
}

static gboolean
commit_checkin (Sim *sim, Step *step, GError **error)
{
  DcDemoPerson *p = person (sim, step->visit->person);
  DcCheckinResult result = { 0 };
  GError *local = NULL;
  gboolean ok;

  if (step->kind == STEP_CARD && p->member == NULL)
    {
      sim->stats->refused++;   /* their first visit was refused: no card */
      return TRUE;
    }
  if (step->kind == STEP_CARD)
    ok = dc_batch_checkin_member (sim->store, sim->actor, p->member, terminal_label (sim, step->to), &result, &local);
  else
    ok = checkin_with (sim, step, &result, &local);
  if (!ok)
    return refused (sim, &local, error);

  sim->stats->visits++;
  if (result.minor)
    sim->stats->minors++;
  if (step->kind == STEP_CARD)
    sim->stats->returning_by_card++;
  else if (result.new_customer)
    sim->stats->new_customers++;
  else
    sim->stats->returning_by_document++;
  if (p->member == NULL)
    p->member = g_steal_pointer (&result.member_number);
  step->visit->visit_id = result.visit_id;
  dc_checkin_result_clear (&result);
  return TRUE;
}

static gboolean
commit_turned_away (Sim *sim, Step *step, GError **error)
{
  DcCheckinResult result = { 0 };
  GError *local = NULL;

  if (checkin_with (sim, step, &result, &local))
    {
      dc_checkin_result_clear (&result);
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, "demo: a check-in the rules should refuse was accepted");
      return FALSE;
    }
  if (!g_error_matches (local, DC_ERROR, step->expected))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  g_clear_error (&local);
  sim->stats->refused++;
  return TRUE;
}

static gboolean
commit_step (Sim *sim, Step *step, GError **error)
{
  GError *local = NULL;

  sim->clock = step->at;
  switch (step->kind)
    {
    case STEP_CHECKIN:
    case STEP_CARD:
      return commit_checkin (sim, step, error);
    case STEP_TURNED_AWAY:
      return commit_turned_away (sim, step, error);
    case STEP_MOVE:
      if (step->visit->visit_id == 0)
        return TRUE;   /* their check-in was refused */
      if (!dc_batch_move (sim->store, sim->actor, terminal_label (sim, step->from), terminal_label (sim, step->to),
                          &local))
        return refused (sim, &local, error);
      sim->stats->seat_changes++;
      return TRUE;
    case STEP_CHECKOUT:
      if (step->visit->visit_id != 0
          && !dc_batch_checkout (sim->store, sim->actor, NULL, step->visit->visit_id, step->reason, error))
        return FALSE;
      g_clear_pointer (&step->visit, g_free);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

void
dc_demo_step_clear (Step *step)
{
  g_clear_pointer (&step->job, job_free);
  if (step->kind == STEP_CHECKOUT)
    g_clear_pointer (&step->visit, g_free);
}

gboolean
dc_demo_commit_steps (Sim *sim, guint n, gboolean close, GError **error)
{
  DcDb *db = dc_store_db (sim->store);
  gboolean ok = TRUE;

  if (!sim->in_transaction && !dc_db_begin (db, error))
    return FALSE;
  sim->in_transaction = TRUE;
  for (guint i = 0; i < n; i++)
    {
      Step *step = &g_array_index (sim->steps, Step, i);

      ok = ok && commit_step (sim, step, error);
      dc_demo_step_clear (step);
    }
  g_array_remove_range (sim->steps, 0, n);
  if (ok && !close)
    return TRUE;
  sim->in_transaction = FALSE;
  if (ok && dc_db_commit (db, error))
    return TRUE;
  dc_db_rollback (db);
  return FALSE;
}
