/* reports/dc-records-report.h — the records of a police query as paper (records.pdf) and data (records.csv). */
#pragma once

#include "dc-pdf.h"
#include "dc-police.h"

G_BEGIN_DECLS

/* What heads the paper: borrowed strings. */
typedef struct {
  const DcRequest *request;       /* NULL for a query without a request */
  const char      *scope;         /* dc_query_scope_describe_full () */
  gint64           exported_at;
  const char      *staff;         /* who exported */
  const char      *csv_sha256;    /* hex, printed in every footer: the signed manifest lists it */
  gint64           checkpoint_seq;        /* the audit chain checkpoint, printed on the last page */
  const char      *checkpoint_hash;       /* hex */
  const char      *checkpoint_signature;  /* hex */
  const char      *key_id;                /* dc_minisign_key_id_text () of the store key */
  const char      *public_key;            /* the key line of store.pub ("RW…"), NULL = not printed: the
                                             id alone can be copied by a forger, the key cannot */
} DcRecordsHeader;

/* records.csv: UTF-8 with a BOM, RFC 4180, CRLF, Japanese column headers, one row per
 * session (a visit without one: one row with empty terminal columns), times ISO 8601 with
 * the store's offset. */
GBytes   *dc_records_csv (DcStore *store, const DcQueryResult *result);
/* The CSV column headers, in order (translated is not wanted here: always Japanese, the
 * ordinance's language). */
const char *const *dc_records_csv_columns (gsize *n_columns);

/* records.pdf as a document (A4 landscape): the header block (store, operator, request
 * reference and legal basis, scope, export time and staff), the table, the checkpoint on
 * the last page, "n / N" and the CSV digest in every footer. Write it with
 * dc_pdf_doc_write, or print it page by page. */
DcPdfDoc *dc_records_pdf (DcStore *store, const DcRecordsHeader *header, const DcQueryResult *result);

/* The legal basis as the ordinance's paper names it (Japanese, not translated). */
const char *dc_records_basis_ja (DcLegalBasis basis);
/* "2026-03-04 14:32:10" in @tz (seconds: police ask to the second). */
char       *dc_records_display_time (gint64 utc_us, GTimeZone *tz);

/* The request ledger on paper (A4 landscape, Japanese): every request of @requests
 * (DcRequest, as dc_request_list gives them) with what was handed over for it: when,
 * by whom, the counts, the manifest's SHA-256 and the holds placed. */
DcPdfDoc   *dc_ledger_pdf (DcStore *store, const GArray *requests);

G_END_DECLS
