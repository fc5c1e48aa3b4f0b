/* db/dc-db-cards.h — the member cards' SQL: one row per card generation, ended once. */
#pragma once

#include "dc-db.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  customer_id;
  gint64  generation;
  gint64  issued_at;
  gint64  staff_id;
  gint64  ended_at;      /* 0 while the card is valid */
  gint64  ended_by;
  char   *end_reason;    /* "reissued", "lost", "revoked"; NULL while valid */
} DcCardRow;

void     dc_card_row_clear (DcCardRow *row);

gboolean dc_db_card_insert (DcDb *db, gint64 customer_id, gint64 generation, gint64 issued_at, gint64 staff_id,
                            gint64 *out_id, GError **error);
/* The customer's card of @generation, or with @generation 0 their newest one. */
gboolean dc_db_card_get (DcDb *db, gint64 customer_id, gint64 generation, DcCardRow *row, gboolean *found,
                         GError **error);
/* The card of @generation of the customer with member number @member_number (one indexed
 * lookup: the counter's hot path). */
gboolean dc_db_card_find (DcDb *db, const char *member_number, gint64 generation, DcCardRow *row,
                          gboolean *found, GError **error);
/* End a valid card (once: the schema refuses a second end). */
gboolean dc_db_card_end (DcDb *db, gint64 card_id, gint64 at, gint64 staff_id, const char *reason,
                         GError **error);

G_END_DECLS
