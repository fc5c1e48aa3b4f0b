/* db/dc-db-records-private.h — what the files behind dc-db-records.h share. */
#pragma once

#include "dc-db-records.h"

G_BEGIN_DECLS

/* Finish a single-row lookup: TRUE when the statement ran (found or not). */
gboolean dc_db_finish_lookup (DcDb *db, sqlite3_stmt *stmt, gboolean *found, GError *local, GError **error);

G_END_DECLS
