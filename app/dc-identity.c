/* app/dc-identity.c — the accepted identity documents, the checks on what a clerk records, and its sealed form. */
#include "dc-identity.h"
#include "dc-vault.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#define DC_IDENTITY_FORMAT_VERSION 1
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

/* The sealed bytes: one format-version byte, then a GVariant a{sv} in normal form with
 * only string and boolean values, so no byte order enters the format (framing offsets
 * are little-endian by the GVariant specification). */

static void
add_string (GVariantBuilder *builder, const char *key, const char *value)
{
  g_autofree char *valid = NULL;
  g_autofree char *trim = NULL;

  if (value == NULL)
    return;
  valid = g_utf8_make_valid (value, -1);
  trim = dc_normalize_trim (valid);
  if (trim[0] != '\0')
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (trim));
}

static void
add_date (GVariantBuilder *builder, const char *key, const GDate *date)
{
  g_autofree char *iso = NULL;

  if (!date_given (date))
    return;
  iso = date_to_iso (date);
  g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (iso));
}

static void
add_flag (GVariantBuilder *builder, const char *key, gboolean value)
{
  if (value)
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_boolean (TRUE));
}

GBytes *
dc_identity_serialize (const DcIdentity *identity)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const DcDocType *type;
  g_autoptr(GVariant) dict = NULL;
  gsize size;
  guint8 *data;

  g_return_val_if_fail (identity != NULL, NULL);

  /* An unknown type may be one whose number is forbidden: keep no number then either. */
  type = dc_doc_type_lookup (identity->doc_type);
  add_string (&builder, "doc_type", identity->doc_type);
  if (type != NULL && type->number_allowed)
    add_string (&builder, "doc_number", identity->doc_number);
  add_date (&builder, "doc_expiry", &identity->doc_expiry);
  add_date (&builder, "doc_issued", &identity->doc_issued);
  add_string (&builder, "name", identity->name);
  add_string (&builder, "kana", identity->kana);
  add_date (&builder, "dob", &identity->dob);
  add_string (&builder, "address", identity->address);
  add_flag (&builder, "address_differs", identity->address_differs);
  add_string (&builder, "supp_type", identity->supplementary_type);
  add_date (&builder, "supp_date", &identity->supplementary_date);
  add_flag (&builder, "non_resident", identity->non_resident);
  add_string (&builder, "nationality", identity->nationality);
  add_string (&builder, "passport", identity->non_resident ? passport_number_of (identity) : identity->passport_number);

  dict = g_variant_ref_sink (g_variant_builder_end (&builder));
  size = g_variant_get_size (dict);
  data = g_malloc (size + 1);
  data[0] = DC_IDENTITY_FORMAT_VERSION;
  /* g_variant_store() wants aligned memory, so copy the variant's own serialisation. */
  if (size > 0)
    memcpy (data + 1, g_variant_get_data (dict), size);
  return g_bytes_new_take (data, size + 1);
}

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

typedef enum { FIELD_STRING, FIELD_DATE, FIELD_FLAG } FieldKind;

/* Where each key lands in @identity, and its place in the table (to find duplicates);
 * NULL when the key is unknown. */
static gpointer
field_slot (DcIdentity *identity, const char *key, FieldKind *kind, guint *index)
{
  static const struct { const char *key; FieldKind kind; gsize offset; } slots[] = {
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

  for (gsize i = 0; i < G_N_ELEMENTS (slots); i++)
    if (strcmp (slots[i].key, key) == 0)
      {
        *kind = slots[i].kind;
        *index = (guint) i;
        return G_STRUCT_MEMBER_P (identity, slots[i].offset);
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

DcIdentityRecord *
dc_identity_record_new_from_bytes (GBytes *bytes, GError **error)
{
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autoptr(GBytes) body = NULL;
  guint32 seen = 0;
  gsize size, rounded, n;
  const guint8 *data;
  guint8 *secure;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size < 1 || data[0] != DC_IDENTITY_FORMAT_VERSION)
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                           _("The identity record has an unknown format."));
      return NULL;
    }

  record = g_new0 (DcIdentityRecord, 1);
  dc_identity_init (&record->identity);
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
    goto malformed;

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
        goto malformed;
    }
  return g_steal_pointer (&record);

malformed:
  g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                       _("The identity record is damaged and cannot be read."));
  return NULL;
}

void
dc_identity_record_free (DcIdentityRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->variant, g_variant_unref);
  g_free (record);
}
