/* app/dc-audit-private.h — what the chain's writer and its verifier must compute the same way. */
#pragma once

#include "dc-store.h"
#include "dc-db-records.h"

G_BEGIN_DECLS

/* The hash of one entry over every column but itself (the layout is in dc-audit.c). */
void dc_audit_entry_hash (const DcAuditRow *row, guint8 out[32]);
/* The bytes a checkpoint's signature covers (also checked in police bundles, with no store
 * open: hence the store's uuid, not the store). */
void dc_audit_checkpoint_message (const char *store_uuid, gint64 seq, const guint8 head[32], gint64 at, GByteArray *out);

G_END_DECLS
