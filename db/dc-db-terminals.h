/* db/dc-db-terminals.h — changing a terminal after it was added: retiring it, its booth, kind and filtering. */
#pragma once

#include "dc-db.h"

G_BEGIN_DECLS

/* Take terminal @id off for good (active = 0); its row and sessions stay. */
gboolean dc_db_terminal_retire (DcDb *db, gint64 id, GError **error);
/* Set terminal @id's booth (NULL: none), kind ('booth', 'open_seat', 'flat', 'room') and filtering. */
gboolean dc_db_terminal_update (DcDb *db, gint64 id, const char *booth, const char *kind, gboolean filtered,
                                GError **error);

G_END_DECLS
