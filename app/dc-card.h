/* app/dc-card.h — member cards: the QR payload a scanner types, its MAC, and issuing, reissuing, losing and revoking cards. */
#pragma once

#include "dc-checkin.h"
#include "dc-store.h"

G_BEGIN_DECLS

/* The payload, ASCII in QR alphanumeric mode so a keyboard-wedge scanner types it as is:
 *
 *   DC1:<PREFECTURE>:<OPERATOR>:<STORE>:<MEMBER>:<GENERATION>:<MAC>
 *
 * PREFECTURE: the issuing store's prefecture (its rule profile's, never "CUSTOM") in upper case ("TOKYO");
 * OPERATOR:   8 Crockford base32 characters of BLAKE2b ("daicho-operator\0" + normalized
 *             operator name + "\0" + profile id): the same legal entity under the same
 *             rules gives the same id in every store;
 * STORE:      8 characters of BLAKE2b of the store's uuid;
 * MEMBER:     the member number (digits with its check digit);
 * GENERATION: the card's generation, 1 for the first card, +1 at each reissue;
 * MAC:        16 characters (80 bits) of keyed BLAKE2b over everything before it (colon
 *             included), under a key derived from the store's index key (the blind index
 *             in domain "card"), so a staff PIN vault can check a card but nobody without
 *             a key can make one. */
#define DC_CARD_PREFIX "DC1:"

/* What a scanned text is. Every value but DC_CARD_VALID comes with a GError saying what
 * to do (re-verify from a document, reissue …). */
typedef enum {
  DC_CARD_VALID,
  DC_CARD_FAILED,           /* the store could not be read: the GError says why */
  DC_CARD_NOT_DAICHO,       /* some other QR code or text (DC_ERROR_INVALID) */
  DC_CARD_GARBAGE,          /* starts like a card but cannot be read (DC_ERROR_INVALID) */
  DC_CARD_OTHER_PREFECTURE, /* issued under another prefecture's rules (DC_ERROR_DOC_NOT_ACCEPTED) */
  DC_CARD_OTHER_OPERATOR,   /* issued by another legal entity (DC_ERROR_DOC_NOT_ACCEPTED) */
  DC_CARD_OTHER_STORE,      /* the same operator, another store (DC_ERROR_DOC_NOT_ACCEPTED) */
  DC_CARD_FORGED,           /* the MAC does not match: altered or made up (DC_ERROR_CRYPTO) */
  DC_CARD_UNKNOWN,          /* no such member or no such card here (DC_ERROR_NOT_FOUND) */
  DC_CARD_REPLACED,         /* an old card: a newer one was issued (DC_ERROR_DOC_NOT_ACCEPTED) */
  DC_CARD_LOST,             /* reported lost (DC_ERROR_DOC_NOT_ACCEPTED) */
  DC_CARD_REVOKED,          /* revoked by a manager (DC_ERROR_DOC_NOT_ACCEPTED) */
} DcCardCheck;

/* Does @text look like a Daicho card at all (the prefix, any case)? For a keystroke
 * recogniser: nothing is checked beyond the prefix. */
gboolean     dc_card_is_payload (const char *text);

/* The payload of card @generation of @member_number in this store (newly allocated).
 * Needs the index key (any signed-in vault). Writes nothing. */
char        *dc_card_payload (DcStore *store, const DcVault *vault, const char *member_number, gint64 generation);

/* Check a scanned payload: its form, the prefecture, the operator, the store, the MAC, then
 * the card's state in the database. Surrounding white space and a lower-case scan are
 * accepted. On DC_CARD_VALID, *@out_member_number (may be NULL) gets the member number and
 * *@out_generation (may be NULL) the generation. Reads only; no personal data. */
DcCardCheck  dc_card_check (DcStore *store, const DcVault *vault, const char *payload, char **out_member_number,
                            GError **error);
DcCardCheck  dc_card_check_full (DcStore *store, const DcVault *vault, const char *payload,
                                 char **out_member_number, gint64 *out_generation, GError **error);

/* Check a member in from a scanned card: dc_card_check, then dc_checkin_member, in one
 * transaction (a card ended by someone else a moment earlier is refused). */
gboolean     dc_checkin_card (DcStore *store, DcActor *actor, const char *payload, const char *terminal,
                              DcCheckinResult *result, GError **error);

/* The payload of the member's current card, for printing or showing on screen. A customer
 * who never had one (registered before cards existed) is issued generation 1 (audited,
 * any counter role). A card that was ended (lost, revoked) is refused with
 * DC_ERROR_DOC_NOT_ACCEPTED: a manager reissues it. *@out_generation may be NULL. */
gboolean     dc_card_current (DcStore *store, DcActor *actor, const char *member_number, char **out_payload,
                              gint64 *out_generation, GError **error);

/* Manager actions, each one audited transaction. Reissue ends the valid card (if any) as
 * "reissued" and issues the next generation: the old card stops working. Lost and revoke
 * end the valid card (DC_ERROR_NOT_FOUND when there is none). */
gboolean     dc_card_reissue (DcStore *store, DcActor *manager, const char *member_number, gint64 *out_generation,
                              GError **error);
gboolean     dc_card_report_lost (DcStore *store, DcActor *manager, const char *member_number, GError **error);
gboolean     dc_card_revoke (DcStore *store, DcActor *manager, const char *member_number, GError **error);

/* Inside the caller's write transaction: issue card generation 1 to a new customer, with
 * its audit entry (the check-in of a customer's first verification calls this). */
gboolean     dc_card_issue_first (DcStore *store, gint64 staff_id, gint64 customer_id, gint64 now, GError **error);

G_END_DECLS
