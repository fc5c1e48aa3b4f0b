/* tests/test-filing.c — filings (変更届): due dates, the hooks at set-up and on terminals, marking filed; self-inspections; the reminder; the summary PDF; daicho-ctl filing and selfcheck. */
#include "dc-checkin.h"
#include "dc-counter.h"
#include "dc-filing-report.h"
#include "dc-filing.h"
#include "dc-inspection.h"
#include "dc-test-util.h"

#include <locale.h>
#include <string.h>

#define PASSPHRASE  "correct horse battery"
#define PIN         "4321"
#define COUNTER_PIN "1111"

/* One Tokyo store (no terminals), copied for each case. It is made on the real clock (a
 * store's clock is set once it exists), so its adoption filing is dated today; the cases
 * then run on 2026-03-04 12:00. */
typedef struct {
  DcTestTemplate base;
  gint64         now;
  gint64         made_after, made_before;   /* real time around the store's creation */
} World;

static void
world_ensure (World *w)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DcStoreSetup setup = { .name = "届出テスト店", .operator_name = "株式会社テスト", .prefecture = "tokyo",
                         .manager = "Hana" };

  if (!dc_test_template_start (&w->base, "filing"))
    return;
  w->now = dc_test_tokyo (2026, 3, 4, 10, 0);
  w->made_after = g_get_real_time ();
  store = dc_test_store_create (w->base.dir, &setup, PASSPHRASE, PIN, NULL);
  w->made_before = g_get_real_time ();
  dc_test_store_use_clock (store, &w->now);
  w->base.manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, w->base.manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_no_error (error);
  w->base.counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
}

static DcStore *
fresh_store (World *w)
{
  world_ensure (w);
  w->now = dc_test_tokyo (2026, 3, 4, 12, 0);
  return dc_test_template_open (&w->base, &w->now);
}

static GArray *
list (DcStore *store, gboolean pending_only)
{
  g_autoptr(GError) error = NULL;
  GArray *filings = dc_filing_list (store, pending_only, &error);

  g_assert_no_error (error);
  g_assert_nonnull (filings);
  return filings;
}

/* The filing with the highest id (the newest change). */
static const DcFiling *
newest (GArray *filings)
{
  const DcFiling *best = NULL;

  for (guint i = 0; i < filings->len; i++)
    if (best == NULL || g_array_index (filings, DcFiling, i).id > best->id)
      best = &g_array_index (filings, DcFiling, i);
  g_assert_nonnull (best);
  return best;
}

static guint
pending_count (DcStore *store)
{
  g_autoptr(GArray) filings = list (store, TRUE);

  return filings->len;
}

static void
add_terminal (DcStore *store, DcActor *actor, const char *label, const char *booth)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_store_add_terminal (store, actor, label, booth, TRUE, NULL, &error));
  g_assert_no_error (error);
}

/* ---- due dates ---- */

typedef struct {
  int at[5];      /* local y, m, d, h, min */
  int due[3];     /* the due day: its end is the deadline */
} DueCase;

static void
check_due (DcStore *store, const char *zone, const DueCase *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      const DueCase *c = &cases[i];
      gint64 at = dc_test_local_time (zone, c->at[0], c->at[1], c->at[2], c->at[3], c->at[4]);
      gint64 next = dc_test_local_time (zone, c->due[0], c->due[1], c->due[2] + 1, 0, 0);
      gint64 due = dc_filing_due (store, at);
      GDate day;

      g_test_message ("%s case %" G_GSIZE_FORMAT, zone, i);
      g_assert_cmpint (due, ==, next - 1);
      dc_filing_due_day (store, due, &day);
      g_assert_cmpint (g_date_get_year (&day), ==, c->due[0]);
      g_assert_cmpint (g_date_get_month (&day), ==, c->due[1]);
      g_assert_cmpint (g_date_get_day (&day), ==, c->due[2]);
    }
}

static void
test_due (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) tokyo = fresh_store (w);
  /* the day of the change does not count: ten days after it, to the end of the tenth */
  static const DueCase tokyo_cases[] = {
    { { 2026, 3, 4, 0, 0 }, { 2026, 3, 14 } },
    { { 2026, 3, 4, 10, 0 }, { 2026, 3, 14 } },
    { { 2026, 3, 4, 23, 59 }, { 2026, 3, 14 } },
    { { 2026, 3, 5, 8, 59 }, { 2026, 3, 15 } },     /* 23:59 UTC the day before: Tokyo's day counts */
    { { 2026, 12, 25, 12, 0 }, { 2027, 1, 4 } },
    { { 2028, 2, 20, 12, 0 }, { 2028, 3, 1 } },     /* a leap year */
  };

  check_due (tokyo, "Asia/Tokyo", tokyo_cases, G_N_ELEMENTS (tokyo_cases));
}

static void
test_due_new_york (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("dc-test-filing-ny-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (root, "store", NULL);
  DcStoreSetup setup = { .name = "NY", .operator_name = "NY KK", .timezone = "America/New_York", .manager = "M" };
  /* across the spring-forward night: local days, not 240 hours */
  static const DueCase cases[] = {
    { { 2026, 3, 1, 12, 0 }, { 2026, 3, 11 } },
    { { 2026, 3, 1, 23, 30 }, { 2026, 3, 11 } },
    { { 2026, 10, 30, 0, 30 }, { 2026, 11, 9 } },
  };
  DcStore *store;

  g_assert_no_error (error);
  store = dc_test_store_create (dir, &setup, PASSPHRASE, PIN, NULL);
  check_due (store, "America/New_York", cases, G_N_ELEMENTS (cases));
  dc_store_free (store);
  dc_test_remove_tree (root);
}

/* ---- the hooks ---- */

static void
test_adoption (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GArray) filings = list (store, FALSE);
  const DcFiling *f;

  g_assert_cmpuint (filings->len, ==, 1);
  f = &g_array_index (filings, DcFiling, 0);
  g_assert_cmpint (f->kind, ==, DC_FILING_ADOPTION);
  g_assert_cmpint (f->at, >=, w->made_after);
  g_assert_cmpint (f->at, <=, w->made_before);
  g_assert_cmpint (f->due, ==, dc_filing_due (store, f->at));
  g_assert_null (f->recorded_by);
  g_assert_cmpint (f->filed_at, ==, 0);
  g_assert_null (f->change);
  dc_test_assert_has (f->what, "Daicho");
  dc_test_assert_intact (store);
}

static void
test_terminals (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GError) error = NULL;
  struct {
    const char  *label, *booth;
    DcFilingKind kind;
    gint64       t0, t1, b0, b1;
  } steps[] = {
    { "PC-01", "A", DC_FILING_BOOTHS, 0, 1, 0, 1 },
    { "PC-02", "A", DC_FILING_TERMINALS, 1, 2, 1, 1 },   /* a second terminal in the same booth */
    { "PC-03", NULL, DC_FILING_BOOTHS, 2, 3, 1, 2 },     /* no booth name: a booth of its own */
    { "PC-04", "", DC_FILING_BOOTHS, 3, 4, 2, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GArray) filings = NULL;
      const DcFiling *f;

      w->now += G_TIME_SPAN_HOUR;
      add_terminal (store, w->base.manager, steps[i].label, steps[i].booth);
      filings = list (store, TRUE);
      g_assert_cmpuint (filings->len, ==, i + 2);
      f = newest (filings);
      g_assert_cmpint (f->kind, ==, steps[i].kind);
      g_assert_cmpint (f->terminals_before, ==, steps[i].t0);
      g_assert_cmpint (f->terminals_after, ==, steps[i].t1);
      g_assert_cmpint (f->booths_before, ==, steps[i].b0);
      g_assert_cmpint (f->booths_after, ==, steps[i].b1);
      g_assert_cmpstr (f->change, ==, "added");
      g_assert_cmpstr (f->label, ==, steps[i].label);
      g_assert_cmpstr (f->recorded_by, ==, "Hana");
      g_assert_cmpint (f->at, ==, w->now);
      g_assert_cmpint (f->due, ==, dc_filing_due (store, w->now));
      dc_test_assert_has (f->what, steps[i].label);
    }
  {
    g_autoptr(GArray) filings = list (store, TRUE);
    const DcFiling *f = newest (filings);

    g_assert_cmpstr (f->what, ==, "Terminal PC-04 added: terminals 3 → 4, booths 2 → 3.");
  }

  /* refused changes leave no filing behind; out of order is no change of the count */
  g_assert_false (dc_store_add_terminal (store, w->base.manager, "PC-01", NULL, TRUE, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (dc_store_add_terminal (store, w->base.counter, "PC-09", NULL, TRUE, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (dc_store_set_terminal_out_of_order (store, w->base.manager, "PC-02", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pending_count (store), ==, 5);
  dc_test_assert_intact (store);
}


/* ---- retiring and changing terminals ---- */

static gint64
audit_count (DcStore *store, const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = '%s'", action);

  return dc_test_sql_int (dc_db_handle (dc_store_db (store)), sql);
}

static void
change_terminal (DcStore *store, DcActor *actor, const char *label, const char *booth, const char *kind,
                 gint filtered, GError **error)
{
  DcTerminalChange change = { .booth = booth, .kind = kind, .filtered = filtered };

  dc_store_change_terminal (store, actor, label, &change, error);
}

static void
checkin_on (DcStore *store, DcActor *counter, const char *terminal, GError **error)
{
  DcCheckinRequest req = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult res = { 0 };

  dc_test_identity_fill (&req.identity, 2035);
  dc_checkin (store, counter, &req, &res, error);
  dc_checkin_result_clear (&res);
}

/* Each step changes one terminal, and a filing follows exactly when a count moved. */
static void
test_retire_and_change (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcBoard) board = NULL;
  DcActor *manager = w->base.manager;
  struct {
    const char  *label;
    gboolean     retire;
    const char  *booth, *kind;
    gint         filtered;
    gboolean     filing;
    DcFilingKind kind_filed;
    gint64       t0, t1, b0, b1;
  } steps[] = {
    /* PC-01 A, PC-02 A, PC-03 B */
    { "PC-03", FALSE, NULL, NULL, 0, FALSE },                              /* filtering: no filing */
    { "PC-03", FALSE, NULL, NULL, 1, FALSE },
    { "PC-02", FALSE, "B", NULL, -1, FALSE },                              /* still two booths */
    { "PC-02", FALSE, "C", NULL, -1, TRUE, DC_FILING_BOOTHS, 3, 3, 2, 3 },
    { "PC-03", FALSE, NULL, "open_seat", -1, TRUE, DC_FILING_BOOTHS, 3, 3, 3, 2 },   /* an open seat is no booth */
    { "PC-03", FALSE, NULL, "booth", -1, TRUE, DC_FILING_BOOTHS, 3, 3, 2, 3 },
    { "PC-03", FALSE, "", NULL, -1, FALSE },                               /* unnamed: a booth of its own */
    { "PC-01", TRUE, NULL, NULL, -1, TRUE, DC_FILING_BOOTHS, 3, 2, 3, 2 },
    { "PC-02", TRUE, NULL, NULL, -1, TRUE, DC_FILING_BOOTHS, 2, 1, 2, 1 },
  };
  gint64 sessions;

  add_terminal (store, manager, "PC-01", "A");
  add_terminal (store, manager, "PC-02", "A");
  add_terminal (store, manager, "PC-03", "B");
  /* a visit on PC-02 first: its history must outlive the terminal */
  checkin_on (store, w->base.counter, "PC-02", &error);
  g_assert_no_error (error);

  /* refused while in use: retiring, and turning filtering off (a minor may be on it) */
  g_assert_false (dc_store_retire_terminal (store, manager, "PC-02", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY);
  dc_test_assert_human ("busy", error->message);
  g_clear_error (&error);
  change_terminal (store, manager, "PC-02", NULL, NULL, 0, &error);
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY);
  g_clear_error (&error);
  g_assert_true (dc_checkout (store, w->base.counter, "PC-02", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  sessions = dc_test_sql_int (dc_db_handle (dc_store_db (store)),
                              "SELECT count (*) FROM terminal_sessions s JOIN terminals t ON t.id = s.terminal_id"
                              " WHERE t.label = 'PC-02'");
  g_assert_cmpint (sessions, ==, 1);

  /* only managers; only known kinds and terminals */
  g_assert_false (dc_store_retire_terminal (store, w->base.counter, "PC-01", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  change_terminal (store, manager, "PC-01", NULL, "sofa", -1, &error);
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dc_store_retire_terminal (store, manager, "PC-99", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (pending_count (store), ==, 4);   /* adoption and three additions */

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GArray) filings = NULL;
      const char *action = steps[i].retire ? "terminal-retire" : "terminal-change";
      guint before = pending_count (store);
      gint64 audited = audit_count (store, action);

      g_test_message ("step %u: %s", i, steps[i].label);
      w->now += G_TIME_SPAN_HOUR;
      if (steps[i].retire)
        dc_store_retire_terminal (store, manager, steps[i].label, &error);
      else
        change_terminal (store, manager, steps[i].label, steps[i].booth, steps[i].kind, steps[i].filtered, &error);
      g_assert_no_error (error);
      g_assert_cmpint (audit_count (store, action), ==, audited + 1);
      filings = list (store, TRUE);
      g_assert_cmpuint (filings->len, ==, before + (steps[i].filing ? 1 : 0));
      if (!steps[i].filing)
        continue;
      {
        const DcFiling *f = newest (filings);

        g_assert_cmpint (f->kind, ==, steps[i].kind_filed);
        g_assert_cmpint (f->terminals_before, ==, steps[i].t0);
        g_assert_cmpint (f->terminals_after, ==, steps[i].t1);
        g_assert_cmpint (f->booths_before, ==, steps[i].b0);
        g_assert_cmpint (f->booths_after, ==, steps[i].b1);
        g_assert_cmpstr (f->change, ==, steps[i].retire ? "removed" : "changed");
        g_assert_cmpstr (f->label, ==, steps[i].label);
        g_assert_cmpint (f->at, ==, w->now);
      }
    }
  {
    g_autoptr(GArray) filings = list (store, TRUE);

    g_assert_cmpstr (newest (filings)->what, ==, "Terminal PC-02 removed: terminals 2 → 1, booths 2 → 1.");
  }

  /* a retired terminal: nobody is given it, it cannot be changed, its label is not reused */
  checkin_on (store, w->base.counter, "PC-02", &error);
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_false (dc_store_retire_terminal (store, manager, "PC-02", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE);
  g_clear_error (&error);
  change_terminal (store, manager, "PC-02", NULL, NULL, 1, &error);
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_false (dc_store_set_terminal_out_of_order (store, manager, "PC-02", FALSE, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_false (dc_store_add_terminal (store, manager, "PC-02", "A", TRUE, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_EXISTS);
  dc_test_assert_has (error->message, "retired");
  g_clear_error (&error);
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (dc_store_db (store)),
                                    "SELECT count (*) FROM terminal_sessions s JOIN terminals t ON t.id = s.terminal_id"
                                    " WHERE t.label = 'PC-02'"), ==, sessions);

  /* the board keeps them for the records, marked, and never suggests them */
  board = dc_board_read (store, dc_actor_vault (w->base.counter), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (board->terminals->len, ==, 3);
  for (guint i = 0; i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);

      g_assert_cmpint (t->retired, ==, g_str_equal (t->label, "PC-01") || g_str_equal (t->label, "PC-02"));
      if (t->retired)
        g_assert_cmpint (t->state, ==, DC_TERMINAL_OUT_OF_ORDER);
    }
  g_assert_cmpuint (board->free_terminals, ==, 1);
  g_assert_cmpstr (dc_board_suggest (board, FALSE)->label, ==, "PC-03");
  dc_test_assert_intact (store);
}

/* daicho-ctl terminal add, set, retire and list, and the filings they leave. */
static void
test_cli_terminals (gconstpointer data)
{
  World *w = (World *) data;
  const char *ctl = g_getenv ("DAICHO_CTL");
  g_autofree char *dir = NULL;
  DcTestRun run = { 0 };
  char *out;

  if (ctl == NULL)
    {
      g_test_fail_printf ("DAICHO_CTL is not set: run the tests through meson");
      return;
    }
  world_ensure (w);
  dir = dc_test_template_copy (&w->base);
#define MANAGER_ARGS "--store", dir, "--staff", "Hana", "--passphrase-fd", "3"
  {
    const char *a[] = { "terminal", "add", MANAGER_ARGS, "--label", "PC-01", "--booth", "A", NULL };
    const char *b[] = { "terminal", "add", MANAGER_ARGS, "--label", "PC-02", "--booth", "B", NULL };

    g_free (dc_test_ctl_ok (ctl, a, NULL, PASSPHRASE, NULL, NULL));
    g_free (dc_test_ctl_ok (ctl, b, NULL, PASSPHRASE, NULL, NULL));
  }
  {
    const char *no_change[] = { "terminal", "set", MANAGER_ARGS, "--label", "PC-01", NULL };
    const char *bad_yes[] = { "terminal", "set", MANAGER_ARGS, "--label", "PC-01", "--filtered", "maybe", NULL };
    const char *bad_kind[] = { "terminal", "set", MANAGER_ARGS, "--label", "PC-01", "--kind", "sofa", NULL };
    const char *no_label[] = { "terminal", "retire", MANAGER_ARGS, NULL };

    dc_test_ctl (ctl, no_change, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 2);
    dc_test_run_clear (&run);
    dc_test_ctl (ctl, bad_yes, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 2);
    dc_test_assert_has (run.err, "yes or no");
    dc_test_run_clear (&run);
    dc_test_ctl (ctl, bad_kind, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_assert_has (run.err, "open_seat");
    dc_test_run_clear (&run);
    dc_test_ctl (ctl, no_label, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 2);
    dc_test_run_clear (&run);
  }
  {
    const char *filtered[] = { "terminal", "set", MANAGER_ARGS, "--label", "PC-01", "--filtered", "yes", NULL };
    const char *booth[] = { "terminal", "set", MANAGER_ARGS, "--label", "PC-02", "--booth", "A", "--kind", "flat",
                            NULL };
    const char *retire[] = { "terminal", "retire", MANAGER_ARGS, "--label", "PC-02", NULL };
    const char *list_args[] = { "terminal", "list", "--store", dir, NULL };
    const char *filings[] = { "filing", "list", "--store", dir, NULL };

    out = dc_test_ctl_ok (ctl, filtered, NULL, PASSPHRASE, NULL, NULL);
    dc_test_assert_has (out, "Changed terminal PC-01.");
    g_free (out);
    out = dc_test_ctl_ok (ctl, booth, NULL, PASSPHRASE, NULL, NULL);
    g_free (out);
    out = dc_test_ctl_ok (ctl, retire, NULL, PASSPHRASE, NULL, NULL);
    dc_test_assert_has (out, "Retired terminal PC-02.");
    g_free (out);
    dc_test_ctl (ctl, retire, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_assert_has (run.err, "retired");
    dc_test_run_clear (&run);
    out = dc_test_ctl_ok (ctl, list_args, NULL, NULL, NULL, NULL);
    dc_test_assert_has (out, "PC-01\tA\tfiltered\tfree");
    dc_test_assert_has (out, "PC-02\tA\t-\tretired");
    g_free (out);
    /* adoption, two additions, PC-02 into booth A (2 → 1 booths), its retirement (2 → 1 terminals) */
    out = dc_test_ctl_ok (ctl, filings, NULL, NULL, NULL, NULL);
    dc_test_assert_has (out, "Terminal PC-02 changed: terminals 2 → 2, booths 2 → 1.");
    dc_test_assert_has (out, "Terminal PC-02 removed: terminals 2 → 1, booths 1 → 1.");
    dc_test_assert_has (out, "Filing 5");
    g_assert_null (strstr (out, "Filing 6"));
    g_free (out);
  }
#undef MANAGER_ARGS
}

/* ---- marking filed ---- */

static void
test_filed (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = NULL;
  guint n = 0;
  gint64 id;

  add_terminal (store, w->base.manager, "PC-01", NULL);
  add_terminal (store, w->base.manager, "PC-02", NULL);
  {
    g_autoptr(GArray) pending = list (store, TRUE);
    id = g_array_index (pending, DcFiling, 0).id;
  }

  g_assert_false (dc_filing_mark_filed (store, w->base.counter, id, "新宿署", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_filing_mark_filed (store, w->base.manager, id, "　 ", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD);
  g_clear_error (&error);
  g_assert_false (dc_filing_mark_filed (store, w->base.manager, 999, "新宿署", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (pending_count (store), ==, 3);

  w->now = dc_test_tokyo (2026, 3, 6, 15, 0);
  g_assert_true (dc_filing_mark_filed (store, w->base.manager, id, "新宿警察署 生活安全課に提出 受理番号 12", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pending_count (store), ==, 2);
  g_assert_false (dc_filing_mark_filed (store, w->base.manager, id, "again", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a filed record cannot be rewritten, even by SQL on the program's own connection */
  g_assert_false (dc_db_run (dc_store_db (store), &error, "UPDATE filings SET filed_note = 'x' WHERE id = ?", "i", id));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (dc_filing_mark_all_filed (store, w->base.manager, "まとめて提出", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (pending_count (store), ==, 0);

  all = list (store, FALSE);
  g_assert_cmpuint (all->len, ==, 3);
  for (guint i = 0; i < all->len; i++)
    {
      const DcFiling *f = &g_array_index (all, DcFiling, i);

      g_assert_cmpint (f->filed_at, ==, w->now);
      g_assert_cmpstr (f->filed_by, ==, "Hana");
      g_assert_cmpstr (f->filed_note, ==, f->id == id ? "新宿警察署 生活安全課に提出 受理番号 12" : "まとめて提出");
    }
  dc_test_assert_intact (store);
}

/* ---- self-inspection ---- */

static void
test_self_check (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) checks = NULL;
  g_autofree char *long_note = NULL;
  gboolean ok[DC_CHECK_N_ITEMS] = { TRUE, FALSE, TRUE, TRUE, TRUE, TRUE };
  const char *notes[DC_CHECK_N_ITEMS] = { NULL, "3番カメラ故障、修理手配済み", NULL, NULL, "", NULL };
  DcSelfCheck check = { 0 };
  gboolean found = TRUE;
  gint64 first = 0, second = 0;

  g_assert_true (dc_self_check_latest (store, &check, &found, &error));
  g_assert_false (found);

  g_assert_false (dc_self_check_add (store, w->base.counter, ok, notes, NULL, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  long_note = g_strnfill (501, 'x');
  g_assert_false (dc_self_check_add (store, w->base.manager, ok, notes, long_note, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (dc_self_check_add (store, w->base.manager, ok, notes, "月例点検", &first, &error));
  g_assert_no_error (error);
  g_assert_true (dc_self_check_latest (store, &check, &found, &error));
  g_assert_true (found);
  g_assert_cmpint (check.id, ==, first);
  g_assert_cmpint (check.at, ==, w->now);
  g_assert_cmpstr (check.by, ==, "Hana");
  g_assert_cmpstr (check.note, ==, "月例点検");
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    {
      g_assert_true (check.items[i].answered);
      g_assert_cmpint (check.items[i].ok, ==, ok[i]);
    }
  g_assert_cmpstr (check.items[DC_CHECK_CCTV].note, ==, "3番カメラ故障、修理手配済み");
  g_assert_null (check.items[DC_CHECK_MINOR_FILTERING].note);   /* an empty note is no note */
  g_assert_cmpuint (dc_self_check_failures (&check), ==, 1);
  dc_self_check_clear (&check);

  w->now += 7 * G_TIME_SPAN_DAY;
  ok[DC_CHECK_CCTV] = TRUE;
  g_assert_true (dc_self_check_add (store, w->base.manager, ok, NULL, NULL, &second, &error));
  g_assert_no_error (error);
  checks = dc_self_check_list (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, 2);
  g_assert_cmpint (g_array_index (checks, DcSelfCheck, 0).id, ==, second);
  g_assert_cmpuint (dc_self_check_failures (&g_array_index (checks, DcSelfCheck, 0)), ==, 0);
  g_assert_null (g_array_index (checks, DcSelfCheck, 0).note);
  g_assert_cmpint (g_array_index (checks, DcSelfCheck, 1).id, ==, first);

  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    {
      g_assert_cmpint (dc_check_item_from_id (dc_check_item_id (i)), ==, (gint) i);
      g_assert_cmpstr (dc_check_item_label (i), !=, "");
    }
  g_assert_cmpint (dc_check_item_from_id ("nothing"), ==, -1);
  dc_test_assert_intact (store);
}

/* ---- the reminder ---- */

static DcFilingReminder
remind (DcStore *store, char **text)
{
  g_autoptr(GError) error = NULL;
  DcFilingReminder r;

  g_assert_true (dc_filing_reminder (store, &r, &error));
  g_assert_no_error (error);
  *text = dc_filing_reminder_text (store, &r);
  return r;
}

static void
test_reminder (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GError) error = NULL;
  const gboolean all_ok[DC_CHECK_N_ITEMS] = { TRUE, TRUE, TRUE, TRUE, TRUE, TRUE };
  char *text = NULL;
  DcFilingReminder r;

  g_assert_true (dc_filing_mark_all_filed (store, w->base.manager, "導入時に提出", NULL, &error));
  g_assert_no_error (error);
  r = remind (store, &text);
  g_assert_cmpint (r.pending, ==, 0);
  g_assert_true (r.check_due);
  g_assert_cmpstr (text, ==, "No self-inspection of the anti-misuse measures yet.");
  g_clear_pointer (&text, g_free);

  w->now = dc_test_tokyo (2026, 3, 4, 10, 0);
  add_terminal (store, w->base.manager, "PC-01", NULL);
  add_terminal (store, w->base.manager, "PC-02", NULL);
  r = remind (store, &text);
  g_assert_cmpint (r.pending, ==, 2);
  g_assert_cmpint (r.first_due, ==, dc_test_tokyo (2026, 3, 15, 0, 0) - 1);
  g_assert_false (r.overdue);
  g_assert_true (r.check_due);
  dc_test_assert_has (text, "2 changes must be notified");
  dc_test_assert_has (text, "the first by 2026-03-14");
  dc_test_assert_has (text, "No self-inspection");
  g_clear_pointer (&text, g_free);

  w->now = dc_test_tokyo (2026, 3, 14, 23, 59);
  r = remind (store, &text);
  g_assert_false (r.overdue);
  g_clear_pointer (&text, g_free);
  w->now = dc_test_tokyo (2026, 3, 15, 0, 0);
  r = remind (store, &text);
  g_assert_true (r.overdue);
  dc_test_assert_has (text, "was due on 2026-03-14");
  g_clear_pointer (&text, g_free);

  g_assert_true (dc_filing_mark_all_filed (store, w->base.manager, "提出済み", NULL, &error));
  g_assert_true (dc_self_check_add (store, w->base.manager, all_ok, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  r = remind (store, &text);
  g_assert_cmpint (r.pending, ==, 0);
  g_assert_false (r.check_due);
  g_assert_null (text);

  w->now += (DC_SELF_CHECK_INTERVAL_DAYS + 1) * G_TIME_SPAN_DAY;
  r = remind (store, &text);
  g_assert_true (r.check_due);
  dc_test_assert_has (text, "self-inspection of the anti-misuse measures is due");
  g_clear_pointer (&text, g_free);
}

/* ---- the printed summary and the inspection report ---- */

static char *
pdf_text (const char *pdf)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  const char *argv[] = { tool, "-enc", "UTF-8", pdf, "-", NULL };
  DcTestRun run = { 0 };
  GString *out = g_string_new (NULL);

  g_assert_nonnull (tool);
  dc_test_run (argv, NULL, NULL, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  /* without white space: pdftotext may break a line anywhere */
  for (const char *p = run.out; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));
  dc_test_run_clear (&run);
  return g_string_free (out, FALSE);
}

static void
test_report (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (dc_store_dir (store), "filings.pdf", NULL);
  g_autofree char *inspection = g_build_filename (dc_store_dir (store), "inspection.pdf", NULL);
  g_autofree char *text = NULL;
  const gboolean ok[DC_CHECK_N_ITEMS] = { TRUE, FALSE, TRUE, TRUE, TRUE, TRUE };
  g_autofree char *tool = g_find_program_in_path ("pdftotext");

  if (tool == NULL)
    {
      g_test_fail_printf ("pdftotext is not installed: make deps installs it");
      return;
    }
  add_terminal (store, w->base.manager, "PC-07", "B-3");
  g_assert_true (dc_filing_report_write (store, FALSE, pdf, &error));
  g_assert_no_error (error);
  text = pdf_text (pdf);
  dc_test_assert_has (text, "届出事項の変更の記録");
  dc_test_assert_has (text, "端末PC-07を追加（端末数0→1、個室");   /* the cell wraps */
  dc_test_assert_has (text, "個室等の数");
  dc_test_assert_has (text, "2026年3月14日");
  dc_test_assert_has (text, "未届出");
  dc_test_assert_has (text, "自主点検の記録はない");
  g_clear_pointer (&text, g_free);

  g_assert_true (dc_self_check_add (store, w->base.manager, ok, NULL, "定期点検", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dc_inspection_report_write (store, inspection, &error));
  g_assert_no_error (error);
  text = pdf_text (inspection);
  dc_test_assert_has (text, "未届出の変更");
  dc_test_assert_has (text, "PC-07");
  dc_test_assert_has (text, "不正利用防止措置の自主点検（最新）");
  dc_test_assert_has (text, "防犯カメラの設置及び作動不適");
  dc_test_assert_has (text, "定期点検");
  dc_test_assert_intact (store);
}

/* ---- the store's notification on file ---- */

static void
test_notification (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(DcStore) store = fresh_store (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) clerk = NULL;
  g_autofree char *inspection = g_build_filename (dc_store_dir (store), "inspection.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *on_file = NULL;
  g_autofree char *too_long = NULL;
  GString *long_text = g_string_new (NULL);

  g_assert_true (dc_filing_get_notification (store, &on_file, &error));
  g_assert_no_error (error);
  g_assert_null (on_file);
  g_assert_true (dc_inspection_report_write (store, inspection, &error));
  g_assert_no_error (error);
  text = pdf_text (inspection);
  dc_test_assert_has (text, "本システムに登録されていない");
  g_clear_pointer (&text, g_free);

  /* a clerk may not; too long is refused; neither changes anything */
  clerk = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
  g_assert_false (dc_filing_set_notification (store, clerk, "新宿警察署", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  for (guint i = 0; i <= DC_NOTIFICATION_MAX_CHARS; i++)
    g_string_append (long_text, "届");
  too_long = g_string_free (long_text, FALSE);
  g_assert_false (dc_filing_set_notification (store, w->base.manager, too_long, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (dc_filing_get_notification (store, &on_file, &error));
  g_assert_null (on_file);

  /* the manager's, trimmed, printed by the inspection report */
  g_assert_true (dc_filing_set_notification (store, w->base.manager, "\u3000新宿警察署 生活安全課 2026年3月1日届出 受理番号 第4567号 ",
                                             &error));
  g_assert_no_error (error);
  g_assert_true (dc_filing_get_notification (store, &on_file, &error));
  g_assert_cmpstr (on_file, ==, "新宿警察署 生活安全課 2026年3月1日届出 受理番号 第4567号");
  g_assert_true (dc_inspection_report_write (store, inspection, &error));
  g_assert_no_error (error);
  text = pdf_text (inspection);
  dc_test_assert_has (text, "受理番号第4567号");
  g_assert_null (strstr (text, "本システムに登録されていない"));
  dc_test_assert_intact (store);

  /* blank clears it */
  g_clear_pointer (&on_file, g_free);
  g_assert_true (dc_filing_set_notification (store, w->base.manager, " ", &error));
  g_assert_true (dc_filing_get_notification (store, &on_file, &error));
  g_assert_null (on_file);
  dc_test_assert_intact (store);
}

/* ---- tampering ---- */

/* A due date pushed back by hand, the trigger put back as it was: verify still sees it. */
static void
test_tampered (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *trigger = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  DcStore *store;
  sqlite3 *h = NULL;

  world_ensure (w);
  dir = dc_test_template_copy (&w->base);
  db_path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  g_assert_cmpint (sqlite3_open (db_path, &h), ==, SQLITE_OK);
  trigger = dc_test_sql_text (h, "SELECT sql FROM sqlite_master WHERE name = 'filings_no_update'");
  dc_test_sql_exec (h, "DROP TRIGGER filings_no_update");
  dc_test_sql_exec (h, "UPDATE filings SET due = due + 30 * 86400000000 WHERE id = 1");
  dc_test_sql_exec (h, trigger);
  sqlite3_close (h);

  store = dc_test_store_open (dir);
  report = dc_test_verify (store);
  g_assert_cmpuint (report->problems->len, >, 0);
  dc_store_free (store);
}

/* ---- daicho-ctl ---- */

static void
test_cli (gconstpointer data)
{
  World *w = (World *) data;
  const char *ctl = g_getenv ("DAICHO_CTL");
  g_autofree char *dir = NULL;
  g_autofree char *pdf = NULL;
  char *out;
  DcTestRun run = { 0 };

  if (ctl == NULL)
    {
      g_test_fail_printf ("DAICHO_CTL is not set: run the tests through meson");
      return;
    }
  world_ensure (w);
  dir = dc_test_template_copy (&w->base);
  pdf = g_build_filename (dir, "summary.pdf", NULL);
  {
    const char *args[] = { "filing", "list", "--store", dir, NULL };

    GDate day;
    g_autofree char *due = NULL;
    g_autofree char *expect = NULL;

    /* the program runs on the real clock, as the store's creation did */
    dc_test_tokyo_today (&day);
    g_date_add_days (&day, DC_FILING_DAYS);
    due = dc_test_iso_date (&day);
    expect = g_strdup_printf ("Filing 1 (due %s)", due);
    out = dc_test_ctl_ok (ctl, args, NULL, NULL, NULL, NULL);
    dc_test_assert_human ("filing list", out);
    dc_test_assert_has (out, expect);
    dc_test_assert_has (out, "at set-up");
    g_free (out);
  }
  {
    const char *show[] = { "filing", "notification", "--store", dir, NULL };
    const char *set[] = { "filing", "notification", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3", "--set",
                          "新宿警察署 受理番号 第4567号", NULL };
    const char *both[] = { "filing", "notification", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3",
                           "--set", "x", "--clear", NULL };

    out = dc_test_ctl_ok (ctl, show, NULL, NULL, NULL, NULL);
    dc_test_assert_has (out, "No notification details are on file.");
    g_free (out);
    dc_test_ctl (ctl, both, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 2);
    dc_test_run_clear (&run);
    out = dc_test_ctl_ok (ctl, set, NULL, PASSPHRASE, NULL, NULL);
    dc_test_assert_has (out, "新宿警察署 受理番号 第4567号");
    g_free (out);
    out = dc_test_ctl_ok (ctl, show, NULL, NULL, NULL, NULL);
    dc_test_assert_has (out, "第4567号");
    g_free (out);
  }
  {
    const char *args[] = { "filing", "filed", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3", "--filing",
                           "1", NULL };

    dc_test_ctl (ctl, args, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 2);   /* no --note */
    dc_test_run_clear (&run);
  }
  {
    const char *args[] = { "filing", "filed", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3", "--filing",
                           "1", "--note", "新宿署に提出", NULL };

    out = dc_test_ctl_ok (ctl, args, NULL, PASSPHRASE, NULL, NULL);
    dc_test_assert_has (out, "Filing 1 marked filed.");
    g_free (out);
  }
  {
    const char *args[] = { "filing", "list", "--store", dir, NULL };
    const char *all[] = { "filing", "list", "--store", dir, "--all", NULL };

    out = dc_test_ctl_ok (ctl, args, NULL, NULL, NULL, NULL);
    dc_test_assert_has (out, "No notification is pending.");
    g_free (out);
    out = dc_test_ctl_ok (ctl, all, NULL, NULL, NULL, NULL);
    dc_test_assert_has (out, "Filing 1 (filed)");
    dc_test_assert_has (out, "新宿署に提出");
    g_free (out);
  }
  {
    const char *missing[] = { "selfcheck", "add", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3", "--yes",
                              "cctv", NULL };
    const char *args[] = { "selfcheck", "add", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3", "--yes",
                           "all", "--no", "lighting", "--item-note", "lighting=B列の照明が暗い", "--note", "月例",
                           NULL };
    const char *show[] = { "selfcheck", "show", "--store", dir, NULL };

    dc_test_ctl (ctl, missing, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 2);
    dc_test_assert_has (run.err, "lighting");
    dc_test_run_clear (&run);
    out = dc_test_ctl_ok (ctl, args, NULL, PASSPHRASE, NULL, NULL);
    dc_test_assert_has (out, "Self-inspection 1 recorded.");
    g_free (out);
    out = dc_test_ctl_ok (ctl, show, NULL, NULL, NULL, NULL);
    dc_test_assert_human ("selfcheck show", out);
    dc_test_assert_has (out, "by Hana");
    dc_test_assert_has (out, "[NO] The floor and booths are adequately lit — B列の照明が暗い");
    dc_test_assert_has (out, "[yes] Security cameras work");
    g_free (out);
  }
  {
    const char *args[] = { "filing", "print", "--store", dir, "--all", "--out", pdf, NULL };

    out = dc_test_ctl_ok (ctl, args, NULL, NULL, NULL, NULL);
    g_free (out);
    g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  }
}

int
main (int argc, char **argv)
{
  World w = { 0 };
  int rc;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "America/New_York", TRUE);   /* the store's zone decides, never the machine's */
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/filing/due/tokyo", &w, test_due);
  g_test_add_func ("/filing/due/new-york", test_due_new_york);
  g_test_add_data_func ("/filing/hook/adoption", &w, test_adoption);
  g_test_add_data_func ("/filing/hook/terminals", &w, test_terminals);
  g_test_add_data_func ("/filing/hook/retire-and-change", &w, test_retire_and_change);
  g_test_add_data_func ("/filing/cli/terminals", &w, test_cli_terminals);
  g_test_add_data_func ("/filing/filed", &w, test_filed);
  g_test_add_data_func ("/filing/self-check", &w, test_self_check);
  g_test_add_data_func ("/filing/reminder", &w, test_reminder);
  g_test_add_data_func ("/filing/report", &w, test_report);
  g_test_add_data_func ("/filing/notification", &w, test_notification);
  g_test_add_data_func ("/filing/tampered", &w, test_tampered);
  g_test_add_data_func ("/filing/cli", &w, test_cli);

  rc = g_test_run ();
  dc_test_template_clear (&w.base);
  return rc;
}
