/* app/dc-demo.h — a demo store with realistic synthetic history, made through the real workflows. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

/* The demo store's well-known secrets: it holds no real person, and says so everywhere. */
#define DC_DEMO_PASSPHRASE "demo-passphrase"
#define DC_DEMO_PIN        "0000"
#define DC_DEMO_MANAGER    "店長 デモ"

typedef struct {
  guint    days;            /* history length, ending today (store time) */
  guint    visits_per_day;
  guint32  seed;
  guint    terminals;       /* 0: dc_demo_default_terminals (); every fourth is filtered */
  /* progress, called about once per simulated day (may be NULL) */
  void   (*progress) (guint day, guint days, gpointer user_data);
  gpointer progress_data;
} DcDemoOptions;

typedef struct {
  guint64 visits;
  guint64 new_customers;
  guint64 returning_by_document;
  guint64 returning_by_card;
  guint64 seat_changes;
  guint64 minors;
  guint64 refused;          /* turned away, as at a real counter: by the rules (curfew, a bad document) or a full store */
} DcDemoStats;

/* Terminals a demo store gets for @visits_per_day: 60, more when the load needs them
 * (a visit lasts about four hours), so that few arrivals find the store full. */
guint    dc_demo_default_terminals (guint visits_per_day);

/* Create a demo store in @dir (which must not hold a store) and fill it; on failure nothing
 * is left behind. The recovery key is printed nowhere: a demo store needs none. */
DcStore *dc_demo_create (const char *dir, const DcDemoOptions *options, DcDemoStats *stats, GError **error);

/* Add @options->days of history ending at the store's current time to an existing store,
 * acting as @actor (counter staff signed in with a PIN is enough), on its free terminals.
 * Used by dc_demo_create and by the benchmarks. Each simulated week is one transaction,
 * the workflows in it without savepoints of their own (dc_batch_checkin …); it runs in bulk
 * mode (dc_db_set_bulk: no sync, CHECK constraints checked once at the end, audit entries
 * written many to a statement), which ends with a synced checkpoint before it returns, so
 * the store is durable and checked when it is handed back. Identities are prepared
 * (sealed, indexed) on a helper thread a day ahead. Refusals by the rules are counted in @stats->refused; any other
 * failure stops it with @error (the weeks before it stay). Leaves the store's clock as it
 * found it. */
gboolean dc_demo_fill (DcStore *store, DcActor *actor, const DcDemoOptions *options, DcDemoStats *stats,
                       GError **error);

G_END_DECLS
