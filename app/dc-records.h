/* app/dc-records.h — what the manager's pages look up: visit history, a visit's details and record versions, staff. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

/* ---- visits ---- */

typedef struct {
  gint64   visit_id;
  gint64   customer_id;
  char    *member_number;
  gint64   verification_id;  /* the verification the visit relied on */
  gint64   entered_at;
  gint64   exited_at;        /* 0 = still in */
  char    *exit_reason;      /* dc_exit_reason_code (); NULL while in */
  gboolean minor;            /* as judged at check-in */
  char    *staff_in;         /* names */
  char    *staff_out;        /* NULL while in */
  char    *terminals;        /* labels in the order used, "PC-01 → PC-03"; NULL if none */
} DcVisitRecord;

void    dc_visit_record_clear (DcVisitRecord *record);

/* Visits newest first, for a manager or an auditor signed in with a passphrase
 * (DC_ERROR_PERMISSION otherwise). @query is a member number (its check digit must be
 * right), a visit number ("123", "#123"; full-width digits too), or empty for the newest
 * visits of all. At most @limit. A member number nobody has, a visit that does not exist
 * → DC_ERROR_NOT_FOUND; anything else → DC_ERROR_INVALID. An array of DcVisitRecord. */
GArray *dc_records_find_visits (DcStore *store, DcActor *actor, const char *query, guint limit, GError **error);

typedef struct {
  char   *terminal;
  gint64  started_at;
  gint64  ended_at;          /* 0 = still on it */
} DcSessionRecord;

/* One version of an identity record. Records are corrected by appending a version that
 * supersedes the one before, with a reason; nothing is edited. */
typedef struct {
  gint64  verification_id;
  gint64  verified_at;       /* when the document was checked */
  gint64  recorded_at;       /* when this version was written */
  char   *doc_type;
  char   *verifier;          /* who checked the document */
  char   *recorder;          /* who wrote this version */
  gint64  supersedes;        /* 0 = the original */
  gint64  superseded_by;     /* 0 = the current version */
  char   *reason;            /* why this version replaced the one before; NULL for the original */
} DcVersionRecord;

typedef struct {
  DcVisitRecord visit;
  GArray       *sessions;    /* DcSessionRecord, in the order used */
  GArray       *versions;    /* DcVersionRecord, oldest first: every version of the visit's record */
} DcVisitDetail;

/* One visit with its terminal sessions and every version of its identity record (no
 * personal data is decrypted). Same permission as dc_records_find_visits. */
DcVisitDetail         *dc_records_visit_detail (DcStore *store, DcActor *actor, gint64 visit_id, GError **error);
void                   dc_visit_detail_free (DcVisitDetail *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcVisitDetail, dc_visit_detail_free)
/* The version in force (the one nothing supersedes); NULL when the record is gone. */
const DcVersionRecord *dc_visit_detail_current (const DcVisitDetail *detail);
/* The version @verification_id, or NULL. */
const DcVersionRecord *dc_visit_detail_version (const DcVisitDetail *detail, gint64 verification_id);

/* ---- staff ---- */

typedef enum {
  DC_STAFF_ON_DUTY,
  DC_STAFF_OFF_DUTY,         /* taken off duty: cannot sign in */
  DC_STAFF_LOCKED,           /* on duty, but locked out by wrong PINs until a manager unlocks */
} DcStaffState;

typedef struct {
  gint64       id;
  char        *name;
  char        *role;         /* "counter", "manager", "auditor" */
  DcStaffState state;
  gboolean     passphrase;   /* managers and auditors: may step up with a passphrase */
} DcStaffRecord;

void    dc_staff_record_clear (DcStaffRecord *record);
/* Every staff member by name (no secret is needed to list them); an array of DcStaffRecord. */
GArray *dc_records_staff (DcStore *store, GError **error);

/* ---- labels, translated ---- */

const char *dc_records_role_label (const char *role);
const char *dc_records_state_label (DcStaffState state);
/* What a visit's exit reason code means ("checked out at the counter" …); @code if unknown. */
const char *dc_records_exit_label (const char *code);

G_END_DECLS
