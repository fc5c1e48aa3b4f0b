/* reports/dc-export.h — the bundle handed to police: records.pdf, records.csv, manifest.json, its minisign signature, store.pub, README.txt; and checking one. */
#pragma once

#include "dc-police.h"

G_BEGIN_DECLS

/* The files of a bundle. The manifest lists the digests of the PDF and the CSV; SHA256SUMS
 * (`sha256sum`'s format) those of the CSV, the PDF, the manifest and README.txt; each of the
 * two is signed in minisign's format with the store key, whose public key is store.pub. So
 * an officer checks everything with `minisign -Vm manifest.json -p store.pub`,
 * `minisign -Vm SHA256SUMS -p store.pub` and `sha256sum -c SHA256SUMS`. */
#define DC_EXPORT_PDF        "records.pdf"
#define DC_EXPORT_CSV        "records.csv"
#define DC_EXPORT_MANIFEST   "manifest.json"
#define DC_EXPORT_SIGNATURE  "manifest.json.minisig"
#define DC_EXPORT_SUMS       "SHA256SUMS"
#define DC_EXPORT_SUMS_SIG   "SHA256SUMS.minisig"
#define DC_EXPORT_PUBKEY     "store.pub"
#define DC_EXPORT_README     "README.txt"

/* manifest.json's "format". Its "checkpoint" is {"seq", "at" (UTC µs), "head_hash",
 * "signature", "public_key"} (hex): "at" and the store's "uuid" are signed with the rest,
 * so the checkpoint's signature can be checked from the manifest alone. */
#define DC_EXPORT_FORMAT     "daicho-export/1"

/* Progress: @fraction 0…1 and what is being done (translated). Called on the caller's thread. */
typedef void (*DcExportProgress) (double fraction, const char *what, gpointer user_data);

typedef struct {
  gint64   export_id;
  gint64   query_id;
  guint    sessions, visits, verifications, customers;
  char    *manifest_sha256;   /* hex */
  char    *dir;               /* the bundle's folder */
} DcExportSummary;

void     dc_export_summary_clear (DcExportSummary *summary);

/* Query @scope for request @request_id and write the bundle into the new folder @out_dir
 * (which must not exist; its parent must). A manager or an auditor signed in with a
 * passphrase (the master key signs). Order: the query (logged and audited), a fresh signed
 * checkpoint of the chain, every file under a temporary folder next to @out_dir, then the
 * ledger entry (and holds when @hold) committed, then the folder renamed into place: the
 * bundle appears only when complete, and never before the ledger records it. On failure
 * nothing is left behind but what the ledger already says. @out_dir existing or its parent
 * missing → DC_ERROR_INVALID before anything is done; @request_id must name a request
 * (DC_ERROR_NOT_FOUND): the ledger ties every bundle to one. */
gboolean dc_export_bundle (DcStore *store, DcActor *actor, gint64 request_id, const DcQueryScope *scope,
                           gboolean hold, const char *out_dir, DcExportProgress progress, gpointer progress_data,
                           DcExportSummary *out, GError **error);

/* What checking a bundle found. */
typedef struct {
  GPtrArray *problems;        /* translated sentences naming what is wrong; empty = intact */
  GPtrArray *notes;           /* what was checked, for people ("records.csv: SHA-256 matches") */
  char      *store_name;      /* from the manifest, when readable */
  char      *reference;       /* the request's reference number */
  char      *key_id;          /* the signing key's id (minisign's form) */
  gint64     sessions;
} DcExportCheck;

void dc_export_check_free (DcExportCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcExportCheck, dc_export_check_free)

/* Check the bundle in @dir needing no secret: every file present, the manifest's signature
 * with store.pub (and, when @expected_sign_pk is not NULL, that store.pub is that key:
 * a bundle re-signed with another key is caught), every file's SHA-256, the CSV parses and
 * has as many session rows as the manifest says, the manifest's checkpoint signature.
 * NULL only when @dir cannot be read at all. */
DcExportCheck *dc_export_verify (const char *dir, const guint8 *expected_sign_pk, GError **error);

G_END_DECLS
