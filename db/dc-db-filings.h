/* db/dc-db-filings.h — the SQL of notifications to the police (filings), self-inspections and the facility counts they follow. */
#pragma once

#include "dc-db.h"

G_BEGIN_DECLS

/* ---- filings (届出): one row per change that must be notified ---- */

typedef struct {
  gint64  id;
  gint64  at;
  char   *kind;         /* "adoption", "terminals", "booths", "method", "other" */
  char   *summary;      /* machine text, see app/dc-filing.c */
  gint64  due;          /* UTC µs, the last instant of the due day */
  gint64  staff_id;     /* 0: the system */
  char   *staff;        /* name, NULL for the system (read only) */
  gint64  filed_at;     /* 0 while pending */
  gint64  filed_by;
  char   *filed_by_name; /* (read only) */
  char   *filed_note;
} DcFilingRow;

void     dc_filing_row_clear (DcFilingRow *row);
/* @staff_id 0 is stored as NULL (the system). */
gboolean dc_db_filing_insert (DcDb *db, gint64 at, const char *kind, const char *summary, gint64 due,
                              gint64 staff_id, gint64 *out_id, GError **error);
/* Mark a pending filing filed; *@done is FALSE when there is no such pending filing. */
gboolean dc_db_filing_mark_filed (DcDb *db, gint64 id, gint64 at, gint64 staff_id, const char *note,
                                  gboolean *done, GError **error);
gboolean dc_db_filing_get (DcDb *db, gint64 id, DcFilingRow *row, gboolean *found, GError **error);
/* Pending ones first, by due date; then filed ones, newest first (@pending_only: only the
 * pending). An array of DcFilingRow. */
GArray  *dc_db_filing_list (DcDb *db, gboolean pending_only, GError **error);
/* How many are pending, and the earliest due among them (0 when none). */
gboolean dc_db_filing_pending (DcDb *db, gint64 *out_count, gint64 *out_first_due, GError **error);

/* What the notification counts: active terminals, and booths (個室等): distinct booth names
 * of active terminals that are not open seats, a terminal with no booth name being a booth
 * of its own. */
gboolean dc_db_facility_counts (DcDb *db, gint64 *out_terminals, gint64 *out_booths, GError **error);

/* ---- self-inspections (§1.5 measures) ---- */

typedef struct {
  gint64  id;
  gint64  at;
  gint64  staff_id;
  char   *staff;        /* name (read only) */
  char   *items;        /* JSON, see app/dc-filing.c */
  char   *note;
} DcSelfCheckRow;

void     dc_self_check_row_clear (DcSelfCheckRow *row);
gboolean dc_db_self_check_insert (DcDb *db, gint64 at, gint64 staff_id, const char *items, const char *note,
                                  gint64 *out_id, GError **error);
/* The newest; *@found FALSE when there is none. */
gboolean dc_db_self_check_latest (DcDb *db, DcSelfCheckRow *row, gboolean *found, GError **error);
/* Newest first, at most @limit (0: all); an array of DcSelfCheckRow. */
GArray  *dc_db_self_check_list (DcDb *db, guint limit, GError **error);

G_END_DECLS
