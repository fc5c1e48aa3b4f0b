/* app/dc-police.h — police requests (design.md §7): the request ledger, queries over the records, what was handed over. */
#pragma once

#include "dc-identity.h"
#include "dc-store.h"

G_BEGIN_DECLS

/* ---- the request ledger ---- */

typedef enum {
  DC_BASIS_INSPECTION,   /* 条例に基づく立入検査 */
  DC_BASIS_INQUIRY,      /* 刑事訴訟法第197条第2項 捜査関係事項照会 */
  DC_BASIS_WARRANT,      /* 令状 (差押許可状など) */
  DC_BASIS_OTHER,
} DcLegalBasis;

/* "inspection", "inquiry", "warrant", "other": as stored and as daicho-ctl takes it. */
const char *dc_legal_basis_code (DcLegalBasis basis);
gboolean    dc_legal_basis_from_code (const char *code, DcLegalBasis *out);
/* Translated, for people: "Ordinance inspection", "Inquiry (Code of Criminal Procedure art. 197(2))",
 * "Warrant", "Other". */
const char *dc_legal_basis_label (DcLegalBasis basis);

/* A request as entered. Strings are borrowed. */
typedef struct {
  gint64        received_at;   /* UTC µs; 0 = now */
  const char   *agency;        /* police station and section: required, ≤ 200 characters */
  const char   *officer;       /* officer's name and contact: required, ≤ 200 */
  const char   *reference;     /* the request's reference number: required, ≤ 100 */
  DcLegalBasis  basis;
  const char   *scope;         /* the scope as asked, free text: optional, ≤ 1000; sealed (it may name a person) */
  const char   *note;          /* optional, ≤ 1000; sealed */
} DcRequestInput;

/* One bundle handed over. */
typedef struct {
  gint64  id;
  gint64  at;
  char   *staff;               /* who exported it */
  char   *scope;               /* the query's readable scope, no personal data (dc_query_scope_describe) */
  gint64  sessions, visits, verifications;
  char   *manifest_sha256;     /* hex SHA-256 of manifest.json */
  gint64  holds;               /* holds placed with it */
} DcExportRecord;

typedef struct {
  gint64        id;
  gint64        received_at;
  char         *agency;
  char         *officer;
  char         *reference;
  DcLegalBasis  basis;
  char         *scope;         /* decrypted; NULL if none was given */
  char         *note;          /* decrypted; NULL if none */
  char         *staff;         /* who entered the request */
  GArray       *exports;       /* DcExportRecord, oldest first */
} DcRequest;

void       dc_request_clear (DcRequest *request);
void       dc_export_record_clear (DcExportRecord *record);

/* Enter a request (a manager or an auditor signed in with a passphrase; DC_ERROR_PERMISSION
 * otherwise). Required fields missing → DC_ERROR_MISSING_FIELD; too long, control
 * characters, a received_at in the future → DC_ERROR_INVALID. Audited. */
gboolean   dc_request_add (DcStore *store, DcActor *actor, const DcRequestInput *input, gint64 *out_id,
                           GError **error);
/* Every request, newest first, with its exports (same permission; the sealed scope and note
 * are opened, so the listing is audited as a read). An array of DcRequest. */
GArray    *dc_request_list (DcStore *store, DcActor *actor, GError **error);
/* One request (DC_ERROR_NOT_FOUND if there is none). Free with dc_request_free. */
DcRequest *dc_request_get (DcStore *store, DcActor *actor, gint64 request_id, GError **error);
void       dc_request_free (DcRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcRequest, dc_request_free)

/* ---- queries ---- */

typedef enum {
  DC_QUERY_TIME,       /* every session overlapping [from, to] (a point when from == to), open ones too */
  DC_QUERY_PERSON,     /* name + date of birth: the person index, exact */
  DC_QUERY_NAME,       /* name alone: the coarse name index, then the candidates decrypted and matched */
  DC_QUERY_DOCUMENT,   /* document type + number: the document index */
  DC_QUERY_MEMBER,     /* member number */
} DcQueryKind;

typedef struct {
  DcQueryKind  kind;
  gint64       from, to;       /* TIME: UTC µs, from ≤ to, both inclusive */
  GPtrArray   *terminals;      /* TIME: terminal labels (char *); NULL or empty = every terminal */
  char        *name;           /* PERSON, NAME */
  GDate        dob;            /* PERSON */
  char        *doc_type;       /* DOCUMENT: a dc_doc_types () code whose number may be recorded */
  char        *doc_number;     /* DOCUMENT */
  char        *member_number;  /* MEMBER */
} DcQueryScope;

/* An empty scope (kind TIME, nothing set, dob cleared). */
void  dc_query_scope_init (DcQueryScope *scope);
/* Free what it holds (the name and numbers wiped first) and leave it empty. */
void  dc_query_scope_clear (DcQueryScope *scope);
void  dc_query_scope_copy (const DcQueryScope *src, DcQueryScope *dest);
/* What the scope is, with no personal data: for the query log, the audit trail, the ledger
 * and file names. "2026-03-04 14:32:00 (PC-12)", "2026-03-04 14:00:00 – 15:00:00",
 * "name and date of birth", "name", "document: Driver's licence", "member 1234567". */
char *dc_query_scope_describe (DcStore *store, const DcQueryScope *scope);
/* The same with the values searched for ("name and date of birth: 山田 太郎, 1990-04-01"),
 * for the bundle's own header and the sealed copy in the query log. */
char *dc_query_scope_describe_full (DcStore *store, const DcQueryScope *scope);

/* One terminal session (or a visit without one) with its visit, customer and the identity
 * record it relied on, decrypted. */
typedef struct {
  gint64            session_id;       /* 0 for a visit that used no terminal */
  char             *terminal;         /* label; NULL when session_id is 0 */
  gboolean          terminal_filtered;
  gint64            started_at;
  gint64            ended_at;         /* 0 = still on it */
  gint64            visit_id;
  gint64            entered_at;
  gint64            exited_at;        /* 0 = still in */
  char             *exit_reason;      /* code; NULL while in */
  gboolean          minor;            /* as judged at check-in */
  char             *staff_in;
  char             *staff_out;
  gint64            customer_id;
  char             *member_number;    /* NULL if not a member */
  gint64            verification_id;  /* the version in force of the record the visit relied on */
  gboolean          corrected;        /* that version is a correction of the one the visit recorded */
  gint64            verified_at;
  char             *verifier;
  char             *doc_type;         /* code */
  DcIdentityRecord *identity;         /* decrypted payload of verification_id (owned by the row) */
} DcQueryRow;

/* Free what a row holds (its identity record included). */
void dc_query_row_clear (DcQueryRow *row);

typedef struct {
  GArray *rows;            /* DcQueryRow, cleared with dc_query_row_clear. TIME: by start, then terminal label. Others: visits
                              newest first, each visit's sessions in the order used. */
  guint   sessions;        /* rows with a session */
  guint   visits;          /* distinct visits */
  guint   verifications;   /* distinct verifications */
  guint   customers;       /* distinct customers */
  gint64  query_id;        /* its row in the query log */
  guint   read_keys_used;     /* records opened with their cached read key (no X25519) */
  guint   read_keys_refused;  /* cached read keys that did not open their record (altered or moved): opened
                                 with X25519 instead, and an audit entry says so */
  guint   read_keys_stored;   /* read keys this query computed and cached with its log entry */
  gboolean read_in_halves;    /* TIME over every terminal: read on two connections at once */
} DcQueryResult;

/* An empty result whose rows array clears each row with dc_query_row_clear (for code that
 * builds rows itself, as tests do). */
DcQueryResult *dc_query_result_new (void);
void dc_query_result_free (DcQueryResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcQueryResult, dc_query_result_free)

/* Run a query (a manager or an auditor signed in with a passphrase; DC_ERROR_PERMISSION
 * otherwise), optionally for request @request_id (0 = none; DC_ERROR_NOT_FOUND if there is
 * no such request). The query log row and its audit entry (with the readable scope, never
 * the decrypted data) are committed before any row is returned; the values searched for
 * are kept sealed. A bad scope: from > to, an unknown terminal (DC_ERROR_NOT_FOUND), no
 * name (DC_ERROR_MISSING_FIELD), a document type whose number the law forbids recording
 * (DC_ERROR_FORBIDDEN_NUMBER, the number not echoed), a member number with a wrong check
 * digit (DC_ERROR_INVALID). No match is not an error: an empty result. */
DcQueryResult *dc_police_query (DcStore *store, DcActor *actor, const DcQueryScope *scope, gint64 request_id,
                                GError **error);

/* ---- what was handed over ---- */

typedef struct {
  gint64      request_id;
  gint64      query_id;         /* the query the bundle holds */
  guint       sessions, visits, verifications;
  const char *manifest_sha256;  /* hex */
  gboolean    hold;             /* also hold everything in scope */
  const DcQueryScope  *scope;   /* for the hold */
  const DcQueryResult *result;  /* for the hold: the customers found by a person query */
} DcExportEntry;

/* Record a bundle in the ledger, and its holds when asked (a time scope: one range hold;
 * a person, name, document or member scope: one hold per customer found), with their
 * audit entries, in one transaction. Same permission as the query; a hold needs the
 * same as dc_hold_add. */
gboolean dc_police_record_export (DcStore *store, DcActor *actor, const DcExportEntry *entry,
                                  gint64 *out_export_id, GError **error);

/* ---- read keys (docs/decisions.md, "Police read keys") ---- */

/* Called after each batch: @done of @total verifications that had no read key when the pass
 * began now have one. Return FALSE to stop after that batch (what is cached stays). */
typedef gboolean (*DcReadKeysProgress) (guint64 done, guint64 total, gpointer user_data);

/* Cache the read key of every verification that has none, so that police queries open them
 * without X25519: batches of DC_READ_KEYS_BATCH, their X25519s shared among the processors,
 * each batch one transaction with one audit entry ("cache-read-keys"). Nothing is
 * decrypted. Needs a manager or an auditor signed in with a passphrase (DC_ERROR_PERMISSION
 * otherwise: a PIN unlock has no read key). A payload whose key cannot be computed (not a
 * sealed box) → DC_ERROR_CRYPTO, the batches before it kept. @out_filled: keys written. */
#define DC_READ_KEYS_BATCH 256
/* One batch of the same, for an idle callback in a program that must stay responsive (the
 * desktop app after a manager's sign-in): @out_more says whether keys are still missing. */
gboolean dc_identity_keys_fill_step (DcStore *store, DcActor *actor, gboolean *out_more, GError **error);

/* For reading one identity record (dc_read_identity): open verification @id's sealed
 * @payload with its cached read key when there is one that opens it, else with X25519,
 * filling @key with the key computed then. The plaintext lives in secure memory. Needs a
 * master-key vault (DC_ERROR_PERMISSION); DC_ERROR_CRYPTO when the payload does not open. */
typedef struct {
  gboolean fresh;   /* computed with X25519 while none was cached: dc_identity_keys_keep stores it */
  guint8   wrapped[DC_READ_KEY_WRAPPED_BYTES];
} DcReadKey;
GBytes  *dc_identity_keys_open (DcStore *store, const DcVault *vault, gint64 id, GBytes *payload, DcReadKey *key,
                                GError **error);
/* Store @key if it is fresh: call inside the transaction that writes the read's audit entry. */
gboolean dc_identity_keys_keep (DcStore *store, gint64 id, const DcReadKey *key, GError **error);
gboolean dc_identity_keys_fill (DcStore *store, DcActor *actor, DcReadKeysProgress progress, gpointer user_data,
                                guint64 *out_filled, GError **error);

G_END_DECLS
