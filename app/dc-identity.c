/* app/dc-identity.c — the accepted identity documents, the checks on what a clerk records, and its sealed form. */
#include "dc-identity.h"
#include "dc-vault.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#define NAME_MAX_CHARS 100
#define KANA_MAX_CHARS 200 /* half-width kana with separate sound marks runs long */
#define ADDRESS_MAX_CHARS 300
#define NATIONALITY_MAX_CHARS 100
#define NUMBER_MAX_CHARS 40
#define MY_NUMBER_DIGITS 12
#define EARLIEST_BIRTH_YEAR 1868 /* the first year of 明治: older dates are typing errors */

#define LAW_MY_NUMBER N_("The law forbids recording the My Number (My Number Act, articles 15 and 20).")
#define LAW_INSURANCE N_("The law forbids recording health insurance numbers (Health Insurance Act, article 194-2).")

/* Licences and certificates of driving history carry 12-digit numbers of their own, which
 * must not be taken for a My Number. */
static gboolean
twelve_digit_numbers (const char *code)
{
  return strcmp (code, "drivers_license") == 0 || strcmp (code, "driving_history_cert") == 0;
}

/* ordinance.md §1.2 and §2: the one place this table lives. */
static const DcDocType doc_types[] = {
  { "drivers_license", N_("Driver's licence"), TRUE, NULL, DC_DOC_DATE_EXPIRY, FALSE, FALSE },
  /* Issued since 2012 without an expiry date. */
  { "driving_history_cert", N_("Certificate of driving history"), TRUE, NULL, DC_DOC_DATE_EXPIRY_OPTIONAL, FALSE, FALSE },
  { "qualification_cert", N_("Health insurance qualification certificate"), FALSE, LAW_INSURANCE, DC_DOC_DATE_EXPIRY_OR_ISSUED, FALSE, FALSE },
  { "residence_card", N_("Residence card"), TRUE, NULL, DC_DOC_DATE_EXPIRY, FALSE, FALSE },
  { "special_permanent_resident_cert", N_("Special permanent resident certificate"), TRUE, NULL, DC_DOC_DATE_EXPIRY, FALSE, FALSE },
  { "basic_resident_card", N_("Basic resident register card"), TRUE, NULL, DC_DOC_DATE_EXPIRY, FALSE, FALSE },
  { "my_number_card", N_("My Number card"), FALSE, LAW_MY_NUMBER, DC_DOC_DATE_EXPIRY, FALSE, FALSE },
  { "passport", N_("Passport"), TRUE, NULL, DC_DOC_DATE_EXPIRY, FALSE, TRUE },
  { "crew_handbook", N_("Crew handbook"), TRUE, NULL, DC_DOC_DATE_EXPIRY, FALSE, TRUE },
  { "family_register_copy", N_("Copy of family register"), TRUE, NULL, DC_DOC_DATE_ISSUED, FALSE, FALSE },
  { "resident_record_copy", N_("Copy of resident record"), TRUE, NULL, DC_DOC_DATE_ISSUED, FALSE, FALSE },
  { "student_id", N_("Student ID card"), TRUE, NULL, DC_DOC_DATE_EXPIRY_OR_ISSUED, FALSE, FALSE },
  { "other_public_document", N_("Other document issued by a public office"), TRUE, NULL, DC_DOC_DATE_EXPIRY_OR_ISSUED, FALSE, FALSE },
  /* Phased out by 2025-12: a store's rule profile decides whether it is still taken. */
  { "health_insurance_card", N_("Health insurance card (old)"), FALSE, LAW_INSURANCE, DC_DOC_DATE_EXPIRY_OR_ISSUED, TRUE, FALSE },
};

static const DcSupplementaryType supplementary_types[] = {
  { "tax_receipt", N_("Tax receipt") },
  { "social_insurance_receipt", N_("Social insurance receipt") },
  { "utility_bill", N_("Utility bill") },
  { "tax_certificate", N_("Tax certificate") },
  { "other_public_receipt", N_("Other receipt from a public office") },
};

const DcDocType *
dc_doc_types (gsize *n_types)
{
  if (n_types != NULL)
    *n_types = G_N_ELEMENTS (doc_types);
  return doc_types;
}

const DcDocType *
dc_doc_type_lookup (const char *code)
{
  if (code == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (doc_types); i++)
    if (strcmp (doc_types[i].code, code) == 0)
      return &doc_types[i];
  return NULL;
}

const DcSupplementaryType *
dc_supplementary_types (gsize *n_types)
{
  if (n_types != NULL)
    *n_types = G_N_ELEMENTS (supplementary_types);
  return supplementary_types;
}

const DcSupplementaryType *
dc_supplementary_type_lookup (const char *code)
{
  if (code == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (supplementary_types); i++)
    if (strcmp (supplementary_types[i].code, code) == 0)
      return &supplementary_types[i];
  return NULL;
}

void
dc_identity_init (DcIdentity *identity)
{
  g_return_if_fail (identity != NULL);

  memset (identity, 0, sizeof *identity);
  g_date_clear (&identity->doc_expiry, 1);
  g_date_clear (&identity->doc_issued, 1);
  g_date_clear (&identity->dob, 1);
  g_date_clear (&identity->supplementary_date, 1);
}

/* ---- My Number detection ---------------------------------------------------------- */

/* The 個人番号 check digit (総務省令 on the My Number check digit): P_n are the first
 * eleven digits counted from the right, Q_n = n + 1 (n ≤ 6) or n − 5 (n ≥ 7). */
static gboolean
my_number_check_digit_ok (const char digits[MY_NUMBER_DIGITS])
{
  guint sum = 0;
  guint remainder;
  guint check;

  for (guint n = 1; n <= 11; n++)
    {
      guint p = (guint) (digits[11 - n] - '0');
      guint q = n <= 6 ? n + 1 : n - 5;

      sum += p * q;
    }
  remainder = sum % 11;
  check = remainder <= 1 ? 0 : 11 - remainder;
  return (guint) (digits[11] - '0') == check;
}

/* Whether the chains of digit groups that end just before @end (the last @n_groups
 * groups, lengths in @group_len) hold exactly 12 digits that pass the check digit. */
static gboolean
chain_ends_in_my_number (const guint *group_len, guint n_groups, const char *end)
{
  char digits[MY_NUMBER_DIGITS];
  guint total = 0;
  guint i = n_groups;
  guint k = MY_NUMBER_DIGITS;

  while (i > 0 && total < MY_NUMBER_DIGITS)
    total += group_len[--i];
  if (total != MY_NUMBER_DIGITS)
    return FALSE;
  /* Only digits and separators lie between the chain's start and @end. */
  for (const char *q = end; k > 0;)
    {
      q = g_utf8_prev_char (q);
      if (*q >= '0' && *q <= '9')
        digits[--k] = *q;
    }
  return my_number_check_digit_ok (digits);
}

/* TRUE when @text holds a My Number: exactly 12 digits made of whole digit groups that
 * are split at most by spaces or hyphens ("1234 5678 9018", "1234-5678-9018"). Groups,
 * not single digits, so that "1-2-3 123456789018" in an address is still found; a group
 * longer than 12 digits is some other number. */
static gboolean
contains_my_number (const char *text)
{
  g_autofree char *compat = dc_normalize_nfkc (text);
  guint group_len[MY_NUMBER_DIGITS]; /* a 12-digit chain has at most 12 groups */
  guint n_groups = 0;
  guint current = 0;

  for (const char *p = compat;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean is_digit = c >= '0' && c <= '9';

      if (is_digit)
        {
          current++;
          continue;
        }
      if (current > 0)
        {
          if (n_groups == G_N_ELEMENTS (group_len))
            {
              memmove (group_len, group_len + 1, sizeof group_len - sizeof group_len[0]);
              n_groups--;
            }
          group_len[n_groups++] = current;
          current = 0;
          if (chain_ends_in_my_number (group_len, n_groups, p))
            return TRUE;
        }
      if (c == 0)
        return FALSE;
      if (!dc_normalize_is_number_separator (c))
        n_groups = 0; /* any other character ends the chain */
    }
}

/* ---- Checks ----------------------------------------------------------------------- */

static gboolean
fail (DcField *bad_field, DcField field, GError **error, DcErrorCode code, const char *message)
{
  if (bad_field != NULL)
    *bad_field = field;
  g_set_error_literal (error, DC_ERROR, code, message);
  return FALSE;
}

static char *
date_to_iso (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

static gboolean
date_given (const GDate *date)
{
  return g_date_valid (date);
}


/* Every free-text field: valid UTF-8, no control characters, at most @max characters,
 * and no My Number hidden inside (unless @allow_12_digits). Empty is not checked here. */
static gboolean
check_text (const char *text, guint max, gboolean allow_12_digits, DcField field,
            DcField *bad_field, GError **error)
{
  g_autofree char *message = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return fail (bad_field, field, error, DC_ERROR_INVALID,
                 _("This field contains characters that cannot be read."));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return fail (bad_field, field, error, DC_ERROR_INVALID,
                   _("This field contains a control character."));
  if (g_utf8_strlen (text, -1) > max)
    {
      message = g_strdup_printf (_("This field is too long: at most %u characters."), max);
      return fail (bad_field, field, error, DC_ERROR_INVALID, message);
    }
  if (!allow_12_digits && contains_my_number (text))
    return fail (bad_field, field, error, DC_ERROR_FORBIDDEN_NUMBER,
                 _("This looks like a My Number. The law forbids recording it "
                   "(My Number Act, articles 15 and 20)."));
  return TRUE;
}

/* A document or passport number: required, 1–40 letters and digits once normalised. */
static gboolean
check_number (const char *text, gboolean allow_12_digits, DcField field,
              const char *missing_message, DcField *bad_field, GError **error)
{
  g_autofree char *trim = dc_normalize_trim (text);
  g_autofree char *norm = NULL;

  if (!check_text (trim, G_MAXUINT, allow_12_digits, field, bad_field, error))
    return FALSE;
  norm = dc_normalize_number (trim);
  if (norm[0] == '\0')
    return fail (bad_field, field, error, DC_ERROR_MISSING_FIELD, missing_message);
  if (strlen (norm) > NUMBER_MAX_CHARS)
    return fail (bad_field, field, error, DC_ERROR_INVALID,
                 _("The number is too long: at most 40 letters and digits."));
  for (const char *p = norm; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return fail (bad_field, field, error, DC_ERROR_INVALID,
                   _("The number may contain only letters, digits and hyphens."));
  return TRUE;
}

static gboolean
check_doc_type (const DcIdentity *identity, gboolean allow_health_insurance_card,
                const DcDocType **type, DcField *bad_field, GError **error)
{
  if (identity->doc_type == NULL || identity->doc_type[0] == '\0')
    return fail (bad_field, DC_FIELD_DOC_TYPE, error, DC_ERROR_MISSING_FIELD,
                 _("Choose the identity document."));
  *type = dc_doc_type_lookup (identity->doc_type);
  if (*type == NULL && strcmp (identity->doc_type, "notification_card") == 0)
    return fail (bad_field, DC_FIELD_DOC_TYPE, error, DC_ERROR_DOC_NOT_ACCEPTED,
                 _("The My Number notification card is not accepted as proof of identity."));
  if (*type == NULL)
    return fail (bad_field, DC_FIELD_DOC_TYPE, error, DC_ERROR_DOC_NOT_ACCEPTED,
                 _("This document is not accepted as proof of identity."));
  if ((*type)->needs_profile_permission && !allow_health_insurance_card)
    return fail (bad_field, DC_FIELD_DOC_TYPE, error, DC_ERROR_DOC_NOT_ACCEPTED,
                 _("This store's rules no longer accept this document."));
  return TRUE;
}

static gboolean
check_doc_number (const DcIdentity *identity, const DcDocType *type,
                  DcField *bad_field, GError **error)
{
  g_autofree char *message = NULL;

  if (!type->number_allowed)
    {
      g_autofree char *norm = dc_normalize_number (identity->doc_number);

      if (norm[0] == '\0')
        return TRUE;
      /* Never echo what was typed: it is the very number the law forbids. */
      message = g_strdup_printf ("%s %s", _("Do not enter a number for this document."),
                                 _(type->number_law));
      return fail (bad_field, DC_FIELD_DOC_NUMBER, error, DC_ERROR_FORBIDDEN_NUMBER, message);
    }
  /* Licence numbers are 12 digits with their own check digit: not a My Number. */
  return check_number (identity->doc_number, twelve_digit_numbers (type->code),
                       DC_FIELD_DOC_NUMBER, _("Enter the document number."),
                       bad_field, error);
}

static gboolean
check_not_expired (const GDate *expiry, const GDate *today, DcField *bad_field, GError **error)
{
  g_autofree char *iso = NULL;
  g_autofree char *message = NULL;

  if (g_date_compare (expiry, today) >= 0)
    return TRUE;
  iso = date_to_iso (expiry);
  message = g_strdup_printf (_("This document expired on %s. Ask for a valid one."), iso);
  return fail (bad_field, DC_FIELD_DOC_EXPIRY, error, DC_ERROR_DOC_EXPIRED, message);
}

/* Issued today or earlier and, when @six_months, no earlier than six months before
 * @today (g_date_subtract_months clamps 31 August to 28/29 February: that day is fine). */
static gboolean
check_issued (const GDate *issued, const GDate *today, gboolean six_months,
              DcField field, DcField *bad_field, GError **error)
{
  GDate earliest = *today;
  g_autofree char *iso = NULL;
  g_autofree char *earliest_iso = NULL;
  g_autofree char *message = NULL;

  if (g_date_compare (issued, today) > 0)
    return fail (bad_field, field, error, DC_ERROR_INVALID_DATE,
                 _("The date of issue is in the future."));
  if (!six_months)
    return TRUE;
  g_date_subtract_months (&earliest, 6);
  if (g_date_compare (issued, &earliest) >= 0)
    return TRUE;
  iso = date_to_iso (issued);
  earliest_iso = date_to_iso (&earliest);
  message = g_strdup_printf (_("This document was issued on %s, more than six months ago. "
                               "Ask for one issued on or after %s."), iso, earliest_iso);
  return fail (bad_field, field, error, DC_ERROR_DOC_TOO_OLD, message);
}

/* ordinance.md §1.2: documents with an expiry must be unexpired; documents without one
 * must be issued within six months. A document that has an expiry is judged by it, so
 * an issue date given beside one is only checked for not being in the future. */
static gboolean
check_doc_dates (const DcIdentity *identity, const DcDocType *type, const GDate *today,
                 DcField *bad_field, GError **error)
{
  gboolean has_expiry = date_given (&identity->doc_expiry);
  gboolean has_issued = date_given (&identity->doc_issued);
  gboolean issue_rule = FALSE;

  switch (type->date_kind)
    {
    case DC_DOC_DATE_EXPIRY:
      if (!has_expiry)
        return fail (bad_field, DC_FIELD_DOC_EXPIRY, error, DC_ERROR_MISSING_FIELD,
                     _("Enter the expiry date of the document."));
      break;
    case DC_DOC_DATE_ISSUED:
      if (!has_issued)
        return fail (bad_field, DC_FIELD_DOC_ISSUED, error, DC_ERROR_MISSING_FIELD,
                     _("Enter the date of issue of the document."));
      issue_rule = TRUE;
      break;
    case DC_DOC_DATE_EXPIRY_OR_ISSUED:
      if (!has_expiry && !has_issued)
        return fail (bad_field, DC_FIELD_DOC_EXPIRY, error, DC_ERROR_MISSING_FIELD,
                     _("Enter the expiry date of the document, or its date of issue if it has none."));
      issue_rule = !has_expiry;
      break;
    case DC_DOC_DATE_EXPIRY_OPTIONAL:
      break;
    default:
      g_assert_not_reached ();
    }

  if (has_expiry && !check_not_expired (&identity->doc_expiry, today, bad_field, error))
    return FALSE;
  if (has_issued && !check_issued (&identity->doc_issued, today, issue_rule,
                                   DC_FIELD_DOC_ISSUED, bad_field, error))
    return FALSE;
  return TRUE;
}

static gboolean
is_kana_char (gunichar c)
{
  return (c >= 0x3041 && c <= 0x3096)    /* hiragana */
         || (c >= 0x3099 && c <= 0x309E) /* sound marks, ゝゞ */
         || (c >= 0x30A1 && c <= 0x30FE) /* katakana, ・, ー, ヽヾ */
         || (c >= 0xFF65 && c <= 0xFF9F) /* half-width katakana, ･, ｰ, ﾞﾟ */
         || c == ' ' || c == 0x3000;
}

static gboolean
check_person (const DcIdentity *identity, const GDate *today, DcField *bad_field, GError **error)
{
  g_autofree char *name = dc_normalize_trim (identity->name);
  g_autofree char *kana = dc_normalize_trim (identity->kana);

  if (name[0] == '\0')
    return fail (bad_field, DC_FIELD_NAME, error, DC_ERROR_MISSING_FIELD,
                 _("Enter the name as written on the document."));
  if (!check_text (name, NAME_MAX_CHARS, FALSE, DC_FIELD_NAME, bad_field, error))
    return FALSE;

  if (kana[0] == '\0' && !identity->non_resident)
    return fail (bad_field, DC_FIELD_KANA, error, DC_ERROR_MISSING_FIELD,
                 _("Enter the reading of the name in kana."));
  if (!check_text (kana, KANA_MAX_CHARS, FALSE, DC_FIELD_KANA, bad_field, error))
    return FALSE;
  for (const char *p = kana; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_kana_char (g_utf8_get_char (p)))
      return fail (bad_field, DC_FIELD_KANA, error, DC_ERROR_INVALID,
                   _("Write the reading in katakana or hiragana only."));

  if (!date_given (&identity->dob))
    return fail (bad_field, DC_FIELD_DOB, error, DC_ERROR_MISSING_FIELD,
                 _("Enter the date of birth."));
  if (g_date_compare (&identity->dob, today) > 0)
    return fail (bad_field, DC_FIELD_DOB, error, DC_ERROR_INVALID_DATE,
                 _("The date of birth is in the future."));
  if (g_date_get_year (&identity->dob) < EARLIEST_BIRTH_YEAR)
    return fail (bad_field, DC_FIELD_DOB, error, DC_ERROR_INVALID_DATE,
                 _("The date of birth is before 1868. Check the year."));
  return TRUE;
}

/* The passport number of a non-resident: the document's number when the document is the
 * passport itself, so the clerk types it once. */
static const char *
passport_number_of (const DcIdentity *identity)
{
  g_autofree char *given = dc_normalize_number (identity->passport_number);

  if (given[0] == '\0' && g_strcmp0 (identity->doc_type, "passport") == 0)
    return identity->doc_number;
  return identity->passport_number;
}

static gboolean
check_residence (const DcIdentity *identity, const DcDocType *type,
                 DcField *bad_field, GError **error)
{
  g_autofree char *address = dc_normalize_trim (identity->address);
  g_autofree char *nationality = dc_normalize_trim (identity->nationality);

  if (address[0] == '\0' && !identity->non_resident)
    return fail (bad_field, DC_FIELD_ADDRESS, error, DC_ERROR_MISSING_FIELD,
                 _("Enter the current address."));
  if (!check_text (address, ADDRESS_MAX_CHARS, FALSE, DC_FIELD_ADDRESS, bad_field, error))
    return FALSE;
  if (!check_text (nationality, NATIONALITY_MAX_CHARS, FALSE, DC_FIELD_NATIONALITY,
                   bad_field, error))
    return FALSE;

  if (!identity->non_resident)
    {
      g_autofree char *passport = dc_normalize_number (identity->passport_number);

      if (passport[0] == '\0')
        return TRUE; /* optional for residents, but checked when given */
    }
  else if (!type->proves_non_resident)
    {
      return fail (bad_field, DC_FIELD_DOC_TYPE, error, DC_ERROR_DOC_NOT_ACCEPTED,
                   _("A visitor without an address in Japan must show a passport or a crew handbook."));
    }
  else if (nationality[0] == '\0')
    {
      return fail (bad_field, DC_FIELD_NATIONALITY, error, DC_ERROR_MISSING_FIELD,
                   _("Enter the nationality."));
    }
  return check_number (passport_number_of (identity), FALSE, DC_FIELD_PASSPORT,
                       _("Enter the passport number."), bad_field, error);
}

static gboolean
check_supplementary (const DcIdentity *identity, const GDate *today,
                     DcField *bad_field, GError **error)
{
  if (!identity->address_differs)
    return TRUE;
  if (identity->supplementary_type == NULL || identity->supplementary_type[0] == '\0')
    return fail (bad_field, DC_FIELD_SUPPLEMENTARY_TYPE, error, DC_ERROR_MISSING_FIELD,
                 _("The address differs from the document: choose the supplementary document."));
  if (dc_supplementary_type_lookup (identity->supplementary_type) == NULL)
    return fail (bad_field, DC_FIELD_SUPPLEMENTARY_TYPE, error, DC_ERROR_DOC_NOT_ACCEPTED,
                 _("This supplementary document is not accepted."));
  if (!date_given (&identity->supplementary_date))
    return fail (bad_field, DC_FIELD_SUPPLEMENTARY_DATE, error, DC_ERROR_MISSING_FIELD,
                 _("Enter the date of the supplementary document."));
  return check_issued (&identity->supplementary_date, today, TRUE,
                       DC_FIELD_SUPPLEMENTARY_DATE, bad_field, error);
}

gboolean
dc_identity_check (const DcIdentity *identity,
                   const GDate      *today,
                   gboolean          allow_health_insurance_card,
                   DcField          *bad_field,
                   GError          **error)
{
  const DcDocType *type = NULL;

  g_return_val_if_fail (identity != NULL, FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (bad_field != NULL)
    *bad_field = DC_FIELD_NONE;

  return check_doc_type (identity, allow_health_insurance_card, &type, bad_field, error)
         && check_doc_number (identity, type, bad_field, error)
         && check_doc_dates (identity, type, today, bad_field, error)
         && check_person (identity, today, bad_field, error)
         && check_residence (identity, type, bad_field, error)
         && check_supplementary (identity, today, bad_field, error);
}

/* ---- Serialisation ---------------------------------------------------------------- */

/* Format 1, still read (stores hold millions of such records): a GVariant a{sv} in normal
 * form with only string and boolean values. Format 2, written since: flat fields that a
 * police query, opening hundreds of records, parses in one pass in place, where building
 * and walking GVariants cost more than the decryption itself. */
#define FORMAT_GVARIANT 1
#define FORMAT_FLAT 2

#define FLAT_END 0            /* the id that ends the fields: truncation cannot go unseen */
#define FLAT_HEADER 3         /* [u8 id][u16 LE length] */
#define FLAT_DATE_LENGTH 4    /* [u16 LE year][u8 month][u8 day] */
#define FLAT_MAX_YEAR 9999    /* what format 1's "YYYY-MM-DD" can hold: both read the same days */

typedef enum { FIELD_STRING, FIELD_DATE, FIELD_FLAG } FieldKind;

/* Every field, in the order of its format 2 id (index + 1): never reorder, only append. */
static const struct {
  const char *key;            /* format 1 */
  FieldKind   kind;
  gsize       offset;
} fields[] = {
  { "doc_type", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, doc_type) },
  { "doc_number", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, doc_number) },
  { "doc_expiry", FIELD_DATE, G_STRUCT_OFFSET (DcIdentity, doc_expiry) },
  { "doc_issued", FIELD_DATE, G_STRUCT_OFFSET (DcIdentity, doc_issued) },
  { "name", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, name) },
  { "kana", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, kana) },
  { "dob", FIELD_DATE, G_STRUCT_OFFSET (DcIdentity, dob) },
  { "address", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, address) },
  { "address_differs", FIELD_FLAG, G_STRUCT_OFFSET (DcIdentity, address_differs) },
  { "supp_type", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, supplementary_type) },
  { "supp_date", FIELD_DATE, G_STRUCT_OFFSET (DcIdentity, supplementary_date) },
  { "non_resident", FIELD_FLAG, G_STRUCT_OFFSET (DcIdentity, non_resident) },
  { "nationality", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, nationality) },
  { "passport", FIELD_STRING, G_STRUCT_OFFSET (DcIdentity, passport_number) },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) < 32); /* the format 1 parser's bit set of seen keys */

/* The text field @index is serialised from: an unknown type may be one whose number is
 * forbidden, so no number is kept then either; a non-resident's passport number may be
 * the passport's own document number. */
static const char *
source_string (const DcIdentity *identity, gsize index)
{
  const DcDocType *type;

  switch (fields[index].offset)
    {
    case G_STRUCT_OFFSET (DcIdentity, doc_number):
      type = dc_doc_type_lookup (identity->doc_type);
      return type != NULL && type->number_allowed ? identity->doc_number : NULL;
    case G_STRUCT_OFFSET (DcIdentity, passport_number):
      return identity->non_resident ? passport_number_of (identity) : identity->passport_number;
    default:
      return G_STRUCT_MEMBER (const char *, identity, fields[index].offset);
    }
}

/* Valid UTF-8, trimmed; NULL when nothing is left to keep. */
static char *
kept_string (const char *value)
{
  g_autofree char *valid = NULL;
  g_autofree char *trim = NULL;

  if (value == NULL)
    return NULL;
  valid = g_utf8_make_valid (value, -1);
  trim = dc_normalize_trim (valid);
  return trim[0] != '\0' ? g_steal_pointer (&trim) : NULL;
}

/* dc_identity_check() bounds every field far below 64 KiB; longer text can only come from
 * unchecked input, and is cut at a character boundary so that serialising cannot fail. */
static gsize
flat_string_length (const char *text)
{
  gsize len = strlen (text);

  if (len <= G_MAXUINT16)
    return len;
  len = G_MAXUINT16;
  while ((text[len] & 0xC0) == 0x80)
    len--;
  return len;
}

static guint8 *
put_header (guint8 *out, gsize index, gsize length)
{
  out[0] = (guint8) (index + 1);
  out[1] = (guint8) (length & 0xFF);
  out[2] = (guint8) (length >> 8);
  return out + FLAT_HEADER;
}

static guint8 *
put_field (guint8 *out, const DcIdentity *identity, gsize index, const char *text)
{
  gconstpointer slot = G_STRUCT_MEMBER_P (identity, fields[index].offset);
  const GDate *date = slot;
  gsize len;
  guint year;

  switch (fields[index].kind)
    {
    case FIELD_STRING:
      if (text == NULL)
        return out;
      len = flat_string_length (text);
      out = put_header (out, index, len);
      memcpy (out, text, len);
      out[len] = '\0';
      return out + len + 1;
    case FIELD_DATE:
      if (!date_given (date))
        return out;
      year = g_date_get_year (date);
      out = put_header (out, index, FLAT_DATE_LENGTH);
      out[0] = (guint8) (year & 0xFF);
      out[1] = (guint8) (year >> 8);
      out[2] = (guint8) g_date_get_month (date);
      out[3] = (guint8) g_date_get_day (date);
      return out + FLAT_DATE_LENGTH;
    case FIELD_FLAG:
      return *(const gboolean *) slot ? put_header (out, index, 0) : out;
    default:
      g_assert_not_reached ();
    }
}

GBytes *
dc_identity_serialize (const DcIdentity *identity)
{
  char *texts[G_N_ELEMENTS (fields)] = { NULL };
  gsize size = 2; /* the format byte and the end byte */
  guint8 *data, *out;

  g_return_val_if_fail (identity != NULL, NULL);

  /* every field's size first, so the plain bytes are written once, in one buffer */
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    switch (fields[i].kind)
      {
      case FIELD_STRING:
        texts[i] = kept_string (source_string (identity, i));
        size += texts[i] != NULL ? FLAT_HEADER + flat_string_length (texts[i]) + 1 : 0;
        break;
      case FIELD_DATE:
        size += date_given (G_STRUCT_MEMBER_P (identity, fields[i].offset)) ? FLAT_HEADER + FLAT_DATE_LENGTH : 0;
        break;
      case FIELD_FLAG:
        size += G_STRUCT_MEMBER (gboolean, identity, fields[i].offset) ? FLAT_HEADER : 0;
        break;
      default:
        g_assert_not_reached ();
      }

  data = g_malloc (size);
  data[0] = FORMAT_FLAT;
  out = data + 1;
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      out = put_field (out, identity, i, texts[i]);
      g_free (texts[i]);
    }
  *out++ = FLAT_END;
  g_assert (out == data + size);
  return g_bytes_new_take (data, size);
}

/* ---- Parsing ---------------------------------------------------------------------- */

/* Strict "YYYY-MM-DD" of an existing day. */
static gboolean
date_from_iso (const char *text, GDate *out)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/* Where each format 1 key lands in @identity, and its place in the table (to find
 * duplicates); NULL when the key is unknown. */
static gpointer
field_slot (DcIdentity *identity, const char *key, FieldKind *kind, guint *index)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (strcmp (fields[i].key, key) == 0)
      {
        *kind = fields[i].kind;
        *index = (guint) i;
        return G_STRUCT_MEMBER_P (identity, fields[i].offset);
      }
  return NULL;
}

/* Strings point into @value's data: the record keeps the whole dictionary, which in
 * normal form holds every child as a slice of the same bytes. */
static gboolean
read_field (DcIdentity *identity, const char *key, GVariant *value, guint32 *seen)
{
  FieldKind kind;
  guint index = 0;
  gpointer slot = field_slot (identity, key, &kind, &index);

  if (slot == NULL)
    return FALSE;
  if (*seen & (1u << index))
    return FALSE; /* a duplicate key */
  *seen |= 1u << index;

  switch (kind)
    {
    case FIELD_STRING:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        return FALSE;
      *(const char **) slot = g_variant_get_string (value, NULL);
      return TRUE;
    case FIELD_DATE:
      return g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
             && date_from_iso (g_variant_get_string (value, NULL), slot);
    case FIELD_FLAG:
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        return FALSE;
      *(gboolean *) slot = g_variant_get_boolean (value);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* Format 1, the whole of @data (@size bytes, the format byte included) of @bytes. */
static gboolean
parse_gvariant (DcIdentityRecord *record, GBytes *bytes, const guint8 *data, gsize size)
{
  g_autoptr(GBytes) body = NULL;
  guint32 seen = 0;
  gsize rounded, n;
  guint8 *secure;

  /* The decrypted body stays where it is, or in sodium_malloc memory (locked, wiped on free):
   * GVariant reads serialised data in place only when it is aligned, and copies it into
   * ordinary heap memory otherwise. A body already aligned (the police queries lay their
   * payloads out so) is used in place; any other is copied into a secure buffer whose size
   * is rounded up to 16 bytes, which sodium_malloc puts against its guard page, aligned. */
  if (((guintptr) (data + 1)) % 8 == 0)
    body = g_bytes_new_from_bytes (bytes, 1, size - 1);
  else
    {
      rounded = MAX (((size - 1) + 15) & ~(gsize) 15, 16);
      secure = dc_secure_alloc (rounded);
      memset (secure, 0, rounded);
      memcpy (secure, data + 1, size - 1);
      body = g_bytes_new_with_free_func (secure, size - 1, (GDestroyNotify) sodium_free, secure);
    }
  record->variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT,
                                                                  body, FALSE));
  if (!g_variant_is_normal_form (record->variant))
    return FALSE;

  /* child by child rather than with a format string: a police query reads hundreds of
   * records, and parsing "{&sv}" for every field was most of the time spent on each */
  n = g_variant_n_children (record->variant);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (record->variant, i);
      g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
      g_autoptr(GVariant) boxed = g_variant_get_child_value (entry, 1);
      g_autoptr(GVariant) value = g_variant_get_variant (boxed);

      if (!read_field (&record->identity, g_variant_get_string (key, NULL), value, &seen))
        return FALSE;
    }
  return TRUE;
}

/* A format 2 string of @len bytes at @p, its NUL at @p[@len]: valid UTF-8 without a NUL
 * inside (g_utf8_validate_len refuses one), and as kept_string() leaves it: not empty, no
 * white space at either end (dc_normalize_trim). So what is read is what would be written. */
static gboolean
flat_string (const guint8 *p, gsize len, const char **slot)
{
  const char *text = (const char *) p;

  if (len == 0 || p[len] != '\0' || !g_utf8_validate_len (text, len, NULL))
    return FALSE;
  if (g_unichar_isspace (g_utf8_get_char (text))
      || g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + len))))
    return FALSE;
  *slot = text;
  return TRUE;
}

static gboolean
flat_date (const guint8 *p, gsize len, GDate *slot)
{
  guint year, month, day;

  if (len != FLAT_DATE_LENGTH)
    return FALSE;
  year = p[0] | (guint) p[1] << 8;
  month = p[2];
  day = p[3];
  if (year > FLAT_MAX_YEAR
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_set_dmy (slot, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/* Format 2, after the format byte: from @p to @end. One pass, in place, nothing allocated:
 * the strings point into the bytes. Every length is checked against what is left before
 * anything is read under it. */
static gboolean
parse_flat (DcIdentity *identity, const guint8 *p, const guint8 *end)
{
  guint last = FLAT_END;

  while (p < end)
    {
      guint id = *p++;
      gsize len, left;
      gpointer slot;

      if (id == FLAT_END)
        return p == end;
      /* ascending ids: no duplicate, one byte string per identity */
      if (id <= last || id > G_N_ELEMENTS (fields) || (gsize) (end - p) < FLAT_HEADER - 1)
        return FALSE;
      last = id;
      len = p[0] | (gsize) p[1] << 8;
      p += FLAT_HEADER - 1;
      left = (gsize) (end - p);
      slot = G_STRUCT_MEMBER_P (identity, fields[id - 1].offset);
      switch (fields[id - 1].kind)
        {
        case FIELD_STRING:
          if (len >= left || !flat_string (p, len, slot))
            return FALSE;
          p += len + 1;
          break;
        case FIELD_DATE:
          if (len > left || !flat_date (p, len, slot))
            return FALSE;
          p += len;
          break;
        case FIELD_FLAG:
          if (len != 0)
            return FALSE;
          *(gboolean *) slot = TRUE;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return FALSE; /* no end byte */
}

DcIdentityRecord *
dc_identity_record_new_from_bytes (GBytes *bytes, GError **error)
{
  g_autoptr(DcIdentityRecord) record = NULL;
  gsize size;
  const guint8 *data;
  gboolean ok;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size < 1 || (data[0] != FORMAT_GVARIANT && data[0] != FORMAT_FLAT))
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                           _("The identity record has an unknown format."));
      return NULL;
    }

  record = g_new0 (DcIdentityRecord, 1);
  dc_identity_init (&record->identity);
  if (data[0] == FORMAT_FLAT)
    {
      /* The caller's bytes are decrypted into sodium_malloc memory (the police query's
       * block, dc_read_identity's buffer): keeping them, rather than a copy, keeps the
       * personal data there. Nothing needs aligning. */
      record->bytes = g_bytes_ref (bytes);
      ok = parse_flat (&record->identity, data + 1, data + size);
    }
  else
    ok = parse_gvariant (record, bytes, data, size);
  if (!ok)
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                           _("The identity record is damaged and cannot be read."));
      return NULL;
    }
  return g_steal_pointer (&record);
}

const guint8 *
dc_identity_record_get_data (const DcIdentityRecord *record, gsize *size)
{
  const guint8 *data;

  g_return_val_if_fail (record != NULL && size != NULL, NULL);

  if (record->variant != NULL)
    {
      *size = g_variant_get_size (record->variant);
      return g_variant_get_data (record->variant);
    }
  data = g_bytes_get_data (record->bytes, size);
  *size -= 1;
  return data + 1;
}

void
dc_identity_record_free (DcIdentityRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->variant, g_variant_unref);
  g_clear_pointer (&record->bytes, g_bytes_unref);
  g_free (record);
}
