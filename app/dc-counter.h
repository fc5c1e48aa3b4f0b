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
  char           *kind;              /* as dc_terminal_kinds () lists */
  gboolean        filtered;
  DcTerminalState state;
  /* when in use */
  gint64          visit_id;
  char           *member_number;
  gint64          entered_at;        /* the visit */
  gint64          session_started;   /* on this terminal */
  gboolean        minor;             /* under 18 today (from the counter tier) */
  gint            minutes_to_curfew; /* for minors: minutes until they must leave, 0 in curfew; -1 otherwise */
  gboolean        retired;           /* taken off for good (state OUT_OF_ORDER): kept for its history */
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
/* A deep copy. */
DcBoard *dc_board_copy (const DcBoard *board);

/* Read the board now. Retired terminals are listed too, marked, for choosing past records
 * (the counter leaves them out). With @vault (any signed-in staff's), minors are judged for
 * today from the counter tier — someone who turns 18 today is no longer a minor — otherwise
 * from the flag set at check-in. */
DcBoard *dc_board_read (DcStore *store, const DcVault *vault, GError **error);

/* The first free terminal suitable for a customer: filtered ones only for minors, and
 * for adults an unfiltered one first so filtered terminals stay available. NULL if none. */
const DcBoardTerminal *dc_board_suggest (const DcBoard *board, gboolean minor);

/* A member as the counter knows them today, from the counter tier alone (no identity is
 * decrypted): what a scanned card needs before a terminal is suggested. */
typedef struct {
  gboolean minor;              /* under the profile's minor age today, in the store's zone */
  guint    age;                /* 15 (under 16), 17 (16 or 17) or 18 (adult): all the tier tells */
  GDate    adult_on;           /* the day they turn 18: from then on not flagged */
  gint     minutes_to_curfew;  /* minors: until the curfew applies to them (0: it does now);
                                * -1 for adults and minors no band covers */
  guint    curfew_minute;      /* when minutes_to_curfew > 0: the minute of day it begins */
  const DcCurfewBand *band;    /* the band counted to (in the store's profile), or NULL */
} DcMemberToday;

/* Judge member @member_number now with any signed-in vault (a staff PIN's will do). Fails
 * with DC_ERROR_NOT_FOUND for no such member or no identity record, and with
 * DC_ERROR_CURFEW — the reason, naming whose rule it is — when the curfew forbids letting
 * them in now; *@out is filled then too. */
gboolean dc_counter_member_today (DcStore *store, const DcVault *vault, const char *member_number,
                                  DcMemberToday *out, GError **error);

/* Staff who may sign in at the counter, by name (an array of char *). */
GPtrArray *dc_store_staff_names (DcStore *store, GError **error);

G_END_DECLS
