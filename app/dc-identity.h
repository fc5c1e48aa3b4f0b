/* app/dc-identity.h — identity documents (ordinance.md §1.2) and the identity a clerk records from one. */
#pragma once

#include <glib.h>
#include "dc-error.h"
#include "dc-normalize.h"

G_BEGIN_DECLS

/* What date a document carries and how it is checked. */
typedef enum {
  DC_DOC_DATE_EXPIRY,            /* expiry required; must not have passed */
  DC_DOC_DATE_ISSUED,            /* issue date required; within the last 6 months */
  DC_DOC_DATE_EXPIRY_OR_ISSUED,  /* either; each checked by its own rule */
  DC_DOC_DATE_EXPIRY_OPTIONAL,   /* valid without one (e.g. 運転経歴証明書 since 2012); checked if given */
} DcDocDate;

typedef struct {
  const char *code;             /* "drivers_license" … stored in the database */
  const char *label;            /* English, for _(): "Driver's licence" */
  gboolean    number_allowed;   /* FALSE: the law forbids recording its number */
  const char *number_law;       /* why not, for the UI line (English, for _()); NULL when allowed */
  DcDocDate   date_kind;
  gboolean    needs_profile_permission; /* health_insurance_card: only if the profile allows */
  gboolean    proves_non_resident;      /* passport, crew_handbook: may stand in for an address */
} DcDocType;

/* The whole table, in the order a chooser shows it. */
const DcDocType *dc_doc_types (gsize *n_types);
/* NULL when @code is not an accepted document (e.g. the 通知カード). */
const DcDocType *dc_doc_type_lookup (const char *code);

/* Supplementary documents (補完書類) for an address that differs from the main document. */
typedef struct {
  const char *code;   /* "tax_receipt", "social_insurance_receipt", "utility_bill", "tax_certificate", "other_public_receipt" */
  const char *label;  /* English, for _() */
} DcSupplementaryType;

const DcSupplementaryType *dc_supplementary_types (gsize *n_types);
const DcSupplementaryType *dc_supplementary_type_lookup (const char *code);

/* What a clerk records at check-in. Strings are borrowed (NULL or "" = not given);
 * a GDate that is not valid (g_date_clear) = not given. */
typedef struct {
  const char *doc_type;
  const char *doc_number;
  GDate       doc_expiry;
  GDate       doc_issued;
  const char *name;            /* 氏名, as on the document */
  const char *kana;            /* フリガナ */
  GDate       dob;
  const char *address;         /* 住居 */
  gboolean    address_differs; /* current address differs from the document's */
  const char *supplementary_type;
  GDate       supplementary_date;
  gboolean    non_resident;    /* foreign visitor without an address in Japan */
  const char *nationality;
  const char *passport_number;
} DcIdentity;

/* Set every field to "not given". */
void dc_identity_init (DcIdentity *identity);

/* Check @identity against the document rules on local day @today.
 * On failure sets @error (domain DC_ERROR) with a translated message that never contains
 * the refused number, and, when @bad_field is not NULL, the field it concerns.
 * Rules: document accepted (health_insurance_card only with @allow_health_insurance_card);
 * a number given for a document whose number is forbidden → DC_ERROR_FORBIDDEN_NUMBER;
 * required number given otherwise (forbidden documents: none); expiry not passed; issue
 * date not in the future and not more than 6 months before @today; name, date of birth
 * required, date of birth not in the future; kana required (kana only) unless non-resident;
 * address required unless non-resident; non-resident: document proves_non_resident,
 * nationality and passport number required (the passport's own document number when the
 * document is the passport, so it is typed once); address_differs: supplementary type and a
 * date within 6 months required. Lengths are bounded (name 100, address 300, numbers 40).
 * In detail:
 * - "notification_card" (通知カード) and unknown codes → DC_ERROR_DOC_NOT_ACCEPTED.
 * - Allowed numbers are 1–40 ASCII letters and digits after dc_normalize_number().
 * - "Within 6 months": on or after the date six months before @today, the day clamped to
 *   the end of a shorter month (31 Aug → 28/29 Feb). An expiry equal to @today is valid.
 * - A document judged by an expiry (one is given) only has its issue date checked for
 *   not being in the future; the 6-month rule applies when the issue date is the basis.
 * - Date of birth not before 1868; kana: hiragana, katakana (both widths), ー, ・, spaces,
 *   at most 200 characters; nationality at most 100.
 * - Every free-text field must be valid UTF-8 without control characters, and must not
 *   hold a 12-digit My Number with a valid check digit (→ DC_ERROR_FORBIDDEN_NUMBER),
 *   except the number of a drivers_license, whose 12 digits carry their own check digit.
 * - Leading and trailing white space of any width is ignored. */
gboolean dc_identity_check (const DcIdentity *identity,
                            const GDate      *today,
                            gboolean          allow_health_insurance_card,
                            DcField          *bad_field,
                            GError          **error);

/* Serialise @identity into the bytes that are sealed (format 2): a format byte (2), then
 * the given fields in ascending field id, each [u8 id][u16 little-endian length][value],
 * then an end byte (0). A string's value is its bytes followed by a NUL that the length
 * does not count; a date is [u16 LE year][u8 month][u8 day]; a flag is present, with length
 * 0, only when TRUE. Strings are trimmed and those left empty are not written. The number
 * of a document whose number is forbidden, or of an unknown type, is never serialised.
 * One identity gives exactly one byte string. */
GBytes *dc_identity_serialize (const DcIdentity *identity);

/* The decrypted form, for managers and police queries: owns its strings. */
typedef struct {
  DcIdentity  identity;     /* points into the bytes below */
  GVariant   *variant;      /* format 1: keeps them alive; NULL otherwise */
  GBytes     *bytes;        /* format 2: the parsed bytes themselves, kept; NULL otherwise */
} DcIdentityRecord;

/* Parse bytes made by dc_identity_serialize() (format 2) or by its predecessor (format 1:
 * a format byte, then a GVariant a{sv} in normal form with dates as "YYYY-MM-DD" strings).
 * NULL with DC_ERROR_CRYPTO on another format or malformed data: for format 1 not a
 * normal-form a{sv}, an unknown or repeated key, a value of the wrong type; for format 2
 * an unknown, repeated or out-of-order field id, a length past the end, a string that is
 * empty, lacks its NUL, holds a NUL or has white space at either end (never written), a
 * date of another length, a flag with a length, a missing end byte or bytes after it; for
 * both invalid UTF-8 and a date that does not exist (years 1–9999). The record's strings
 * point into @bytes (format 2: referenced, never copied) or into @bytes or a copy in
 * sodium_malloc memory (format 1). Neither the identity nor the document table is
 * consulted: a change to the table never makes a stored record unreadable. */
DcIdentityRecord *dc_identity_record_new_from_bytes (GBytes *bytes, GError **error);
void              dc_identity_record_free (DcIdentityRecord *record);
/* The serialised fields (after the format byte) that @record's strings point into. */
const guint8     *dc_identity_record_get_data (const DcIdentityRecord *record, gsize *size);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcIdentityRecord, dc_identity_record_free)

G_END_DECLS
