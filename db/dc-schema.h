/* db/dc-schema.h — schema migrations and the names verify checks. */
#pragma once

#include <glib.h>
#include "dc-db.h"

G_BEGIN_DECLS

/* The SQL that brings the schema from @version − 1 to @version. */
const char        *dc_schema_migration (gint version);
/* The append-only triggers every store must have (NULL-terminated). */
const char *const *dc_schema_triggers (void);
/* The tables the audit chain covers row by row (NULL-terminated). */
const char *const *dc_schema_audited_tables (void);

G_END_DECLS
