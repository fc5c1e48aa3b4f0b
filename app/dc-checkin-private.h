/* app/dc-checkin-private.h — what the two halves of a check-in share: the prepared identity and the counter tier. */
#pragma once

#include "dc-checkin.h"

G_BEGIN_DECLS

struct _DcCheckinPrepared
{
  DcStore    *store;
  GDate       day;             /* the documents were checked as of this day */
  const char *doc_type;        /* the document table's own code (static) */
  GDate       dob;
  GBytes     *payload;         /* the identity sealed to the store's public key */
  GBytes     *person_index;
  GBytes     *document_index;  /* NULL when the number may not be recorded */
  guint32     name_index;
  guint       age;
  gboolean    minor;
  gboolean    used;            /* committed once already */
};

/* Fill @p (zeroed by the caller) from @identity, checked on @day. Pure computation on the
 * inputs, the vault and the store's constant parts (profile, public key): thread-safe. */
gboolean dc_checkin_prepare_into (DcStore *store, const DcVault *vault, const DcIdentity *identity, const GDate *day,
                                  DcCheckinPrepared *p, DcField *bad_field, GError **error);
void     dc_checkin_prepared_clear (DcCheckinPrepared *p);

/* The person index: name and date of birth, normalised, under the index key. */
GBytes  *dc_checkin_person_index (const DcVault *vault, const char *name, const GDate *dob);
/* The document index: the document type's code and its number as dc_normalize_number ()
 * gives it, under the index key. */
GBytes  *dc_checkin_document_index (const DcVault *vault, const char *doc_code, const char *normalized_number);

/* The counter tier of verification @verification_id of customer @customer_id: the dates on
 * which the customer turns 18 and 16, sealed under the tier key and bound to both ids. */
GBytes  *dc_checkin_tier_seal (const DcVault *vault, gint64 customer_id, gint64 verification_id, const GDate *dob);
gboolean dc_checkin_tier_open (const DcVault *vault, gint64 customer_id, gint64 verification_id, GBytes *tier,
                               GDate *adult_on, GDate *sixteen_on, GError **error);

G_END_DECLS
