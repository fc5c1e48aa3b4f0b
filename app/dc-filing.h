/* app/dc-filing.h — notifications the store owes the police (変更届, ordinance.md §1.1) and the self-inspection of §1.5 measures. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

/* ---- filings: a change that must be notified within 10 days ---- */

typedef enum {
  DC_FILING_ADOPTION,   /* the store started keeping its records with Daicho */
  DC_FILING_TERMINALS,  /* the number of terminals changed */
  DC_FILING_BOOTHS,     /* the number of booths (個室等) changed (terminals may have too) */
  DC_FILING_METHOD,     /* the method of making and keeping the records changed */
  DC_FILING_OTHER,
} DcFilingKind;

/* Days after the change (the change's own day not counted, Civil Code Art. 140). */
#define DC_FILING_DAYS 10

typedef struct {
  gint64        id;
  gint64        at;           /* when the change was made */
  DcFilingKind  kind;
  char         *what;         /* translated: "Terminal PC-05 added: terminals 4 → 5, booths 4 → 5." */
  gint64        due;          /* the last instant of the due day (store zone) */
  char         *recorded_by;  /* staff name, NULL when the program recorded it at set-up */
  gint64        filed_at;     /* 0 while pending */
  char         *filed_by;
  char         *filed_note;
  /* a change of terminals or booths (else all 0 / NULL), for reports in a fixed language */
  gint64        terminals_before, terminals_after;
  gint64        booths_before, booths_after;
  char         *change;       /* "added", "removed", "changed" */
  char         *label;        /* the terminal */
} DcFiling;

void         dc_filing_clear (DcFiling *filing);
/* "adoption", "terminals" … as stored; and the translated name ("Change of terminals"). */
const char  *dc_filing_kind_id (DcFilingKind kind);
const char  *dc_filing_kind_label (DcFilingKind kind);

/* The due instant for a change at @at: the end of the DC_FILING_DAYS-th day after it, in
 * the store's zone (one microsecond before the next day starts). */
gint64       dc_filing_due (DcStore *store, gint64 at);
/* The local day that instant falls on (for "due 2026-03-14"). */
void         dc_filing_due_day (DcStore *store, gint64 due, GDate *out);

/* What the notification counts now: active terminals and booths (個室等). */
typedef struct {
  gint64 terminals;
  gint64 booths;
} DcFacilityCount;

gboolean     dc_filing_count (DcStore *store, DcFacilityCount *out, GError **error);

/* ---- hooks: call inside the write transaction that made the change ---- */

/* The store starts using Daicho (dc_store_create): a filing for the new record-keeping method. */
gboolean     dc_filing_record_adoption (DcStore *store, gint64 staff_id, GError **error);
/* After a change to terminal @label (@change: "added", "removed", "changed"), compare the
 * counts with @before and record a filing if either differs; nothing otherwise. Audited. */
gboolean     dc_filing_after_terminal_change (DcStore *store, gint64 staff_id, const DcFacilityCount *before,
                                              const char *change, const char *label, GError **error);

/* ---- reading and closing ---- */

/* Pending first (by due date), then filed (newest first); with @pending_only only those
 * still to file. An array of DcFiling. */
GArray      *dc_filing_list (DcStore *store, gboolean pending_only, GError **error);
/* Mark filing @id filed (a manager), with a note (where and when it was handed in, the
 * receipt number): required. DC_ERROR_NOT_FOUND when there is no such pending filing.
 * Audited. */
gboolean     dc_filing_mark_filed (DcStore *store, DcActor *manager, gint64 id, const char *note, GError **error);
/* Every pending filing at once, one note (one 変更届 covers them all); *@out_count how many. */
gboolean     dc_filing_mark_all_filed (DcStore *store, DcActor *manager, const char *note, guint *out_count,
                                       GError **error);

/* ---- the store's own notification (届出) on file ---- */

/* What the police were notified of when the store opened: the station, the date, the
 * receipt number, as the manager writes it (at most DC_NOTIFICATION_MAX_CHARS). The
 * inspection report prints it. *@out is NULL when none is on file. */
#define DC_NOTIFICATION_MAX_CHARS 500
gboolean     dc_filing_get_notification (DcStore *store, char **out, GError **error);
/* Replace it (a manager; blank text clears it). Audited. */
gboolean     dc_filing_set_notification (DcStore *store, DcActor *manager, const char *text, GError **error);

/* ---- self-inspection of the §1.5 measures ---- */

typedef enum {
  DC_CHECK_SECURITY_SOFTWARE,   /* security or recovery software on the terminals */
  DC_CHECK_CCTV,
  DC_CHECK_LIGHTING,
  DC_CHECK_ADULT_SHELVES,       /* adult manga shelved apart */
  DC_CHECK_MINOR_FILTERING,     /* filtering on terminals given to minors */
  DC_CHECK_WARNINGS,            /* warnings to users posted */
  DC_CHECK_N_ITEMS
} DcCheckItem;

/* Days after which a new self-inspection is asked for. */
#define DC_SELF_CHECK_INTERVAL_DAYS 30

const char  *dc_check_item_id (DcCheckItem item);      /* "security-software", "cctv" … */
const char  *dc_check_item_label (DcCheckItem item);   /* translated question */
/* -1 for an unknown id. */
gint         dc_check_item_from_id (const char *id);

typedef struct {
  gboolean  answered;
  gboolean  ok;
  char     *note;    /* NULL if none */
} DcCheckAnswer;

typedef struct {
  gint64         id;
  gint64         at;
  char          *by;
  DcCheckAnswer  items[DC_CHECK_N_ITEMS];
  char          *note;
} DcSelfCheck;

void         dc_self_check_clear (DcSelfCheck *check);
/* Record a self-inspection by a manager: every item answered yes or no (@ok), each with an
 * optional note (@notes may be NULL, or hold NULLs), and an overall note. Audited. */
gboolean     dc_self_check_add (DcStore *store, DcActor *manager, const gboolean ok[DC_CHECK_N_ITEMS],
                                const char *const *notes, const char *note, gint64 *out_id, GError **error);
/* The newest; *@found FALSE when none was made. */
gboolean     dc_self_check_latest (DcStore *store, DcSelfCheck *out, gboolean *found, GError **error);
/* Newest first, at most @limit (0: all); an array of DcSelfCheck. */
GArray      *dc_self_check_list (DcStore *store, guint limit, GError **error);
/* How many items are "no". */
guint        dc_self_check_failures (const DcSelfCheck *check);

/* ---- the reminder a manager sees ---- */

typedef struct {
  gint64   pending;           /* filings not yet marked filed */
  gint64   first_due;         /* the earliest due among them, 0 when none */
  gboolean overdue;           /* that due has passed */
  gint64   last_check;        /* the newest self-inspection, 0 when none */
  gboolean check_due;         /* none, or older than DC_SELF_CHECK_INTERVAL_DAYS */
} DcFilingReminder;

gboolean     dc_filing_reminder (DcStore *store, DcFilingReminder *out, GError **error);
/* One or two translated sentences for a banner or a toast; NULL when nothing is owed. */
char        *dc_filing_reminder_text (DcStore *store, const DcFilingReminder *reminder);

G_END_DECLS
