/* app/dc-hold.h — holds: records police asked to preserve outlive the normal purge until released. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

typedef enum {
  DC_HOLD_VISIT,          /* one visit: it, its sessions, its verification, its customer */
  DC_HOLD_CUSTOMER,       /* a customer (by member number): everything of theirs */
  DC_HOLD_VERIFICATION,   /* one verification, the visits that relied on it, its customer */
  DC_HOLD_RANGE,          /* every session overlapping [from, to) (on the terminals, if given),
                             with their visits, verifications and customers */
} DcHoldKind;

typedef struct {
  DcHoldKind  kind;
  gint64      id;             /* visit, customer or verification id */
  gint64      from, to;       /* DC_HOLD_RANGE: UTC µs, from < to */
  GArray     *terminals;      /* DC_HOLD_RANGE: terminal ids (gint64), NULL or empty = all */
} DcHoldScope;

typedef struct {
  gint64  id;
  gint64  created_at;
  char   *created_by;         /* staff name */
  char   *scope;              /* readable, no personal data: "visit 12", "member 1234567",
                                 "2026-03-04 14:00 – 15:00 (PC-12, PC-13)" */
  char   *reason;
  char   *reference;          /* NULL if none */
  gint64  disclosure_id;      /* 0 if none */
  gint64  released_at;        /* 0 while in force */
  char   *released_by;
  char   *release_reason;
} DcHold;

void       dc_hold_clear (DcHold *hold);

/* Free what a scope holds (its terminals), leaving it empty. */
void       dc_hold_scope_clear (DcHoldScope *scope);
/* A customer scope for member number @member_number (DC_ERROR_NOT_FOUND if nobody has it). */
gboolean   dc_hold_scope_for_member (DcStore *store, const char *member_number, DcHoldScope *out, GError **error);
/* Limit a range scope to terminal @label too (DC_ERROR_NOT_FOUND if there is none). */
gboolean   dc_hold_scope_add_terminal (DcStore *store, DcHoldScope *scope, const char *label, GError **error);

/* Place a hold (a manager or an auditor). The scope must name something that exists
 * (DC_ERROR_NOT_FOUND) and a reason is required. Audited. */
gboolean   dc_hold_add (DcStore *store, DcActor *actor, const DcHoldScope *scope, const char *reason,
                        const char *reference, gint64 disclosure_id, gint64 *out_id, GError **error);
/* The same inside the caller's write transaction (dc_db_begin), with its own audit entry but
 * no transaction of its own: for a hold placed together with other records (a police export).
 * After an error the caller rolls the transaction back. */
gboolean   dc_hold_add_in_transaction (DcStore *store, DcActor *actor, const DcHoldScope *scope,
                                       const char *reason, const char *reference, gint64 disclosure_id,
                                       gint64 *out_id, GError **error);
/* Holds newest first (released ones too when @include_released); an array of DcHold. */
GArray    *dc_hold_list (DcStore *store, gboolean include_released, GError **error);
/* Release a hold (managers only), with a reason. Audited. */
gboolean   dc_hold_release (DcStore *store, DcActor *manager, gint64 hold_id, const char *reason,
                            GError **error);

/* Everything the holds in force keep, expanded to row ids (for the purge and its plan). */
typedef struct {
  GHashTable *visits;         /* gint64* set */
  GHashTable *verifications;
  GHashTable *customers;
} DcHeldSet;

void       dc_held_set_clear (DcHeldSet *set);
gboolean   dc_hold_collect (DcStore *store, DcHeldSet *out, GError **error);

G_END_DECLS
