/* app/dc-counter.h — what the counter sees: terminals, who is in, minors and their curfew, no personal data. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

typedef enum {
  DC_TERMINAL_FREE,
  DC_TERMINAL_IN_USE,
  DC_TERMINAL_OUT_OF_ORDER,
} DcTerminalState;

typedef struct {
  gint64          id;
  char           *label;
  char           *booth;
  gboolean        filtered;
  DcTerminalState state;
  /* when in use */
  gint64          visit_id;
  char           *member_number;
  gint64          entered_at;        /* the visit */
  gint64          session_started;   /* on this terminal */
  gboolean        minor;             /* under 18 today (from the counter tier) */
  gint            minutes_to_curfew; /* for minors: minutes until they must leave, 0 in curfew; -1 otherwise */
} DcBoardTerminal;

typedef struct {
  gint64    visit_id;
  char     *member_number;
  char     *terminal;          /* NULL between sessions */
  gint64    entered_at;
  gboolean  minor;
  gint      minutes_to_curfew; /* as above */
} DcBoardVisit;

typedef struct {
  GArray *terminals;   /* DcBoardTerminal, in label order */
  GArray *visits;      /* DcBoardVisit, by entry time */
  gint64  at;          /* the store time the board was read */
  guint   free_terminals;
  guint   minors;
} DcBoard;

void     dc_board_free (DcBoard *board);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcBoard, dc_board_free)

/* Read the board now. With @vault (any signed-in staff's), minors are judged for today from
 * the counter tier — someone who turns 18 today is no longer a minor — otherwise from the
 * flag set at check-in. */
DcBoard *dc_board_read (DcStore *store, const DcVault *vault, GError **error);

/* The first free terminal suitable for a customer: filtered ones only for minors, and
 * for adults an unfiltered one first so filtered terminals stay available. NULL if none. */
const DcBoardTerminal *dc_board_suggest (const DcBoard *board, gboolean minor);

/* Staff who may sign in at the counter, by name (an array of char *). */
GPtrArray *dc_store_staff_names (DcStore *store, GError **error);

G_END_DECLS
