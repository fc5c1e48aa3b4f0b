/* app/dc-checkin.h — the counter's workflows: check-in, seat change, check-out, who is in. Each is one transaction. */
#pragma once

#include "dc-identity.h"
#include "dc-store.h"

G_BEGIN_DECLS

typedef enum {
  DC_EXIT_STAFF,      /* checked out at the counter */
  DC_EXIT_CUSTOMER,   /* the customer checked out themselves */
  DC_EXIT_CURFEW,     /* a minor sent home at the curfew */
  DC_EXIT_AUTO,       /* closed automatically after the open-visit limit */
  DC_EXIT_RECOVERED,  /* closed when recovering from a crash or power loss */
} DcExitReason;

const char *dc_exit_reason_code (DcExitReason reason);
gboolean    dc_exit_reason_parse (const char *code, DcExitReason *out);

typedef struct {
  DcIdentity  identity;
  const char *terminal;   /* label */
  gboolean    internet;   /* the customer uses the internet (normally TRUE) */
} DcCheckinRequest;

typedef struct {
  gint64   visit_id;
  gint64   customer_id;
  gint64   verification_id;
  gint64   session_id;
  char    *member_number;
  gboolean new_customer;
  gboolean minor;
  DcField  bad_field;      /* on a refusal of the identity: the field concerned */
} DcCheckinResult;

void     dc_checkin_result_clear (DcCheckinResult *result);

/* Check a customer in from an identity document. A person already known by name and date
 * of birth (the person index) is the same customer with a fresh verification; a new one
 * becomes a customer with a member number. Refuses, with a clear message and nothing
 * written: an identity that breaks the document rules, a minor during the curfew or on an
 * unfiltered terminal, a busy or unknown terminal, a person already in the store. */
gboolean dc_checkin (DcStore *store, DcActor *actor, const DcCheckinRequest *request, DcCheckinResult *result,
                     GError **error);

/* ---- a check-in in two steps ----
 * dc_checkin is dc_checkin_prepare then dc_checkin_commit. Preparing applies the document
 * rules as of @day (the check-in day in the store's time zone) and does the cryptography: the
 * identity sealed to the store's public key with a fresh ephemeral key, the blind indexes.
 * It reads no database and no clock, only the store's profile and public key, which never
 * change: it may run on another thread while the store is used on this one (@vault must
 * outlive the call). On a refusal, *@bad_field (may be NULL) names the field concerned. */
typedef struct _DcCheckinPrepared DcCheckinPrepared;

DcCheckinPrepared *dc_checkin_prepare (DcStore *store, const DcVault *vault, const DcIdentity *identity,
                                       const GDate *day, DcField *bad_field, GError **error);
void               dc_checkin_prepared_free (DcCheckinPrepared *prepared);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcCheckinPrepared, dc_checkin_prepared_free)

/* The rest of dc_checkin: the curfew, the terminal, the person already in, then one
 * transaction with its audit entries. Refused when @prepared was made for another day than
 * the store's today. A preparation serves one check-in: each verification gets its own sealed
 * payload, so a second use is refused. */
gboolean dc_checkin_commit (DcStore *store, DcActor *actor, DcCheckinPrepared *prepared, const char *terminal,
                            gboolean internet, DcCheckinResult *result, GError **error);

/* Check a known customer in on an existing verification (member card): no new identity
 * record, the visit relies on the customer's newest verification. */
gboolean dc_checkin_member (DcStore *store, DcActor *actor, const char *member_number, const char *terminal,
                            DcCheckinResult *result, GError **error);

/* A returning customer without a card: is someone with this name and date of birth known
 * (the person index)? On TRUE, *@out_member gets their member number and *@out_inside
 * whether they are in the store now. No personal data is decrypted. */
gboolean dc_find_person (DcStore *store, DcActor *actor, const char *name, const GDate *dob, gboolean *found,
                         char **out_member, gboolean *out_inside, GError **error);

/* Move the customer on terminal @from to the free terminal @to. */
gboolean dc_move (DcStore *store, DcActor *actor, const char *from, const char *to, GError **error);

/* Check out the visit on terminal @terminal, or visit @visit_id when @terminal is NULL. */
gboolean dc_checkout (DcStore *store, DcActor *actor, const char *terminal, gint64 visit_id, DcExitReason reason,
                      GError **error);

/* ---- many workflows in one transaction (the demo) ----
 * For a caller that holds a write transaction (dc_db_begin) around many workflows. Each
 * applies the same rules and writes the same rows and audit entries as dc_checkin_commit,
 * dc_checkin_member, dc_move and dc_checkout, but opens no savepoint of its own (a savepoint
 * costs a copy of every page the workflow touches). Every rule is checked before anything is
 * written, so a refusal by the rules (DC_ERROR_CURFEW, _TERMINAL_BUSY, _TERMINAL_NOT_FILTERED,
 * _TERMINAL_UNAVAILABLE, _ALREADY_IN, the document errors) leaves the transaction as it was;
 * after any other error the caller must roll the whole transaction back. */
gboolean dc_batch_checkin (DcStore *store, DcActor *actor, DcCheckinPrepared *prepared, const char *terminal,
                           gboolean internet, DcCheckinResult *result, GError **error);
gboolean dc_batch_checkin_member (DcStore *store, DcActor *actor, const char *member_number, const char *terminal,
                                  DcCheckinResult *result, GError **error);
gboolean dc_batch_move (DcStore *store, DcActor *actor, const char *from, const char *to, GError **error);
gboolean dc_batch_checkout (DcStore *store, DcActor *actor, const char *terminal, gint64 visit_id,
                            DcExitReason reason, GError **error);

/* The dates on which the customer of a verification turns 18 and 16, from the counter
 * tier (no personal data is decrypted; @tier NULL reads the stored one; @sixteen_on may be NULL). */
gboolean dc_tier_dates (DcStore *store, const DcVault *vault, gint64 verification_id, GBytes *tier,
                        GDate *adult_on, GDate *sixteen_on, GError **error);

/* Correct an identity record by appending a new one that supersedes it, with the reason
 * (a manager; nothing is edited). The correction is checked against the document rules as
 * of the day the document was checked. Only the newest version can be corrected. */
gboolean dc_correct_identity (DcStore *store, DcActor *manager, gint64 verification_id, const DcIdentity *corrected,
                              const char *reason, gint64 *out_id, DcField *bad_field, GError **error);

/* Read a verification's identity (manager or auditor; the read is audited). */
DcIdentityRecord *dc_read_identity (DcStore *store, DcActor *actor, gint64 verification_id, GError **error);

G_END_DECLS
