/* db/dc-db-terminals.c — changing a terminal after it was added: retiring it, its booth, kind and filtering. */
#include "dc-db-terminals.h"

gboolean
dc_db_terminal_retire (DcDb *db, gint64 id, GError **error)
{
  return dc_db_run (db, error, "UPDATE terminals SET active = 0 WHERE id = ?", "i", id);
}

gboolean
dc_db_terminal_update (DcDb *db, gint64 id, const char *booth, const char *kind, gboolean filtered, GError **error)
{
  return dc_db_run (db, error, "UPDATE terminals SET booth = ?, kind = ?, filtered = ? WHERE id = ?", "ttbi", booth,
                    kind, filtered, id);
}
