/* app/dc-demo-private.h — what the demo's plan (dc-demo.c) and its commit (dc-demo-commit.c) share. */
#pragma once

#include "dc-checkin.h"
#include "dc-demo.h"
#include "dc-demo-people.h"

G_BEGIN_DECLS

typedef struct {
  gint64   visit_id;   /* once its check-in is committed; 0 before, or when it was refused */
  guint    person;
  guint    terminal;   /* the plan's: where they sit now */
  gboolean minor;
} Visit;

typedef struct {
  char    *label;
  gboolean filtered;
} Terminal;

typedef struct {
  gint64   at;
  guint64  order;      /* ties keep insertion order, so runs are reproducible */
  Visit   *visit;
  gboolean move;       /* a seat change; otherwise the check-out */
} Event;

/* An identity for the helper to prepare. */
typedef struct {
  DcDemoIdentityText text;   /* what @identity borrows */
  DcIdentity         identity;
  GDate              day;
  /* the helper's answer, under Sim.lock */
  gboolean           ready;
  DcCheckinPrepared *prepared;
  GError            *error;
} Job;

typedef enum {
  STEP_CHECKIN,        /* with a document: a new customer or a returning one */
  STEP_CARD,           /* with a member card */
  STEP_TURNED_AWAY,    /* someone the rules must refuse */
  STEP_MOVE,
  STEP_CHECKOUT,
} StepKind;

typedef struct {
  StepKind     kind;
  gint64       at;
  Visit       *visit;      /* owned by a check-out, borrowed by the others; NULL when turned away */
  Job         *job;        /* check-ins with a document, the turned away */
  guint        from, to;   /* terminals: a move's; a check-in's is @to */
  DcExitReason reason;     /* check-out */
  gint         expected;   /* turned away: the refusal the rules must give */
} Step;

typedef struct {
  DcStore             *store;
  DcActor             *actor;
  const DcVault       *vault;
  const DcDemoOptions *options;
  DcDemoStats         *stats;
  const DcProfile     *profile;
  GTimeZone           *tz;
  GRand               *rand;
  gint64               now;          /* the plan's clock */
  gint64               clock;        /* the store's clock: the time of the step being committed */
  gint64               end;          /* history ends here */
  GDate                today;        /* the simulated day being planned */
  GArray              *people;       /* DcDemoPerson; the plan keeps .inside, the commit .member */
  GByteArray          *enrolled;     /* per person: the plan has given them a first visit (a card) */
  GHashTable          *known;        /* "name\x1fdob": no two synthetic people share a person index */
  GArray              *terminals;    /* Terminal */
  GArray              *free_open;    /* indexes of free unfiltered terminals */
  GArray              *free_filtered;
  GArray              *events;       /* binary min-heap of Event */
  guint64              order;
  GArray              *steps;        /* Step, in time order: the day being committed, then the next */
  GThreadPool         *helper;       /* one thread running dc_demo_prepare_identity */
  GMutex               lock;
  GCond                ready;
  gboolean             in_transaction;   /* a week's, begun by dc_demo_commit_steps */
} Sim;


static inline const char *
terminal_label (Sim *sim, guint index)
{
  return g_array_index (sim->terminals, Terminal, index).label;
}

static inline DcDemoPerson *
person (Sim *sim, guint index)
{
  return &g_array_index (sim->people, DcDemoPerson, index);
}

/* The helper thread's work (a GFunc: @data a Job, @user_data the Sim): dc_checkin_prepare. */
void     dc_demo_prepare_identity (gpointer data, gpointer user_data);
/* Run the first @n steps through the workflows in the open transaction (begun if none), and
 * drop them; @close: commit the transaction. On failure it is rolled back. */
gboolean dc_demo_commit_steps (Sim *sim, guint n, gboolean close, GError **error);
/* Free what a step owns. */
void     dc_demo_step_clear (Step *step);

G_END_DECLS
