/* app/dc-audit.h — the tamper-evident audit chain (design.md §5): append, sign checkpoints, verify. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

/* Append an entry about one row, hashing the row as it is now. Call inside the
 * transaction that changed (or read) it. @staff_id 0 = the system. */
gboolean dc_audit_row (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id,
                       GError **error);
/* The same for a row the caller has just written, from its canonical bytes
 * (dc_db_row_canonical) made from the values written (dc_db_visit_canonical …), which saves
 * reading it back. */
gboolean dc_audit_row_canonical (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id,
                                 const GByteArray *canonical, GError **error);
/* Append an entry about no particular row (a failed sign-in, a purge summary). */
gboolean dc_audit_event (DcStore *store, gint64 staff_id, const char *action, GError **error);

/* Append an entry recording that the program itself deleted row @id of @table (no row
 * hash): verify then accepts that the row is missing. */
gboolean dc_audit_removed (DcStore *store, gint64 staff_id, const char *action, const char *table, gint64 id,
                           GError **error);

/* Sign the current head of the chain with the store key (needs a master-key vault). */
gboolean dc_audit_checkpoint (DcStore *store, const DcVault *vault, GError **error);

typedef struct {
  GPtrArray *problems;       /* translated sentences naming what is wrong; empty when intact */
  gint64     entries;
  gint64     rows;
  gint64     checkpoints;
  gint64     head_seq;
  guint8     head_hash[32];
  gint64     checkpoint_seq; /* the newest signed checkpoint, 0 if none */
} DcVerifyReport;

void     dc_verify_report_free (DcVerifyReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcVerifyReport, dc_verify_report_free)

/* Walk the whole chain, recompute every live row's hash, check every signature, the
 * append-only triggers and the file itself. Needs no secret. NULL only when the store
 * cannot be read at all. */
DcVerifyReport *dc_audit_verify (DcStore *store, GError **error);

/* Hex of a 32-byte hash (newly allocated). */
char    *dc_hex (const guint8 *bytes, gsize len);

G_END_DECLS
