/* tests/test-identity.c — the document table, the identity checks (ordinance.md §1.2, §2) and the sealed format. */
#include "dc-identity.h"
#include "dc-vault.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TODAY "2026-03-15"

static void
set_date (GDate *date, const char *iso)
{
  guint y, m, d;

  g_date_clear (date, 1);
  if (iso == NULL || iso[0] == '\0')
    return;
  g_assert_cmpint (sscanf (iso, "%u-%u-%u", &y, &m, &d), ==, 3);
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* A My Number with a correct check digit, computed here independently of the code. */
static char *
make_my_number (const char *first_eleven)
{
  guint sum = 0;
  guint remainder;

  g_assert_cmpuint (strlen (first_eleven), ==, 11);
  for (guint n = 1; n <= 11; n++)
    sum += (guint) (first_eleven[11 - n] - '0') * (n <= 6 ? n + 1 : n - 5);
  remainder = sum % 11;
  return g_strdup_printf ("%s%u", first_eleven, remainder <= 1 ? 0 : 11 - remainder);
}

/* A resident with a driver's licence: every check passes on TODAY. */
static void
base_identity (DcIdentity *id)
{
  dc_identity_init (id);
  id->doc_type = "drivers_license";
  id->doc_number = "301234567890";
  set_date (&id->doc_expiry, "2027-01-01");
  id->name = "山田 太郎";
  id->kana = "ヤマダ タロウ";
  set_date (&id->dob, "1990-04-01");
  id->address = "東京都新宿区西新宿2-8-1";
}

/* ---- Table ---- */

static void
test_table (void)
{
  static const char *const expected[] = {
    "drivers_license", "driving_history_cert", "qualification_cert", "residence_card",
    "special_permanent_resident_cert", "basic_resident_card", "my_number_card", "passport",
    "crew_handbook", "family_register_copy", "resident_record_copy", "student_id",
    "other_public_document", "health_insurance_card",
  };
  gsize n = 0;
  const DcDocType *types = dc_doc_types (&n);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpstr (types[i].code, ==, expected[i]);
      g_assert_nonnull (types[i].label);
      g_assert_true (dc_doc_type_lookup (types[i].code) == &types[i]);
      /* A law is named exactly when the number is forbidden. */
      g_assert_true (types[i].number_allowed == (types[i].number_law == NULL));
    }

  g_assert_false (dc_doc_type_lookup ("my_number_card")->number_allowed);
  g_assert_nonnull (strstr (dc_doc_type_lookup ("my_number_card")->number_law, "articles 15 and 20"));
  g_assert_false (dc_doc_type_lookup ("qualification_cert")->number_allowed);
  g_assert_false (dc_doc_type_lookup ("health_insurance_card")->number_allowed);
  g_assert_nonnull (strstr (dc_doc_type_lookup ("health_insurance_card")->number_law, "194-2"));
  g_assert_true (dc_doc_type_lookup ("health_insurance_card")->needs_profile_permission);
  g_assert_true (dc_doc_type_lookup ("passport")->proves_non_resident);
  g_assert_true (dc_doc_type_lookup ("crew_handbook")->proves_non_resident);
  g_assert_false (dc_doc_type_lookup ("drivers_license")->proves_non_resident);
  g_assert_cmpint (dc_doc_type_lookup ("driving_history_cert")->date_kind, ==, DC_DOC_DATE_EXPIRY_OPTIONAL);
  g_assert_cmpint (dc_doc_type_lookup ("family_register_copy")->date_kind, ==, DC_DOC_DATE_ISSUED);
  g_assert_null (dc_doc_type_lookup ("notification_card"));
  g_assert_null (dc_doc_type_lookup (NULL));
  g_assert_null (dc_doc_type_lookup (""));
}

static void
test_supplementary_table (void)
{
  static const char *const expected[] = {
    "tax_receipt", "social_insurance_receipt", "utility_bill", "tax_certificate",
    "other_public_receipt",
  };
  gsize n = 0;
  const DcSupplementaryType *types = dc_supplementary_types (&n);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpstr (types[i].code, ==, expected[i]);
      g_assert_nonnull (types[i].label);
      g_assert_true (dc_supplementary_type_lookup (expected[i]) == &types[i]);
    }
  g_assert_null (dc_supplementary_type_lookup ("bank_statement"));
  g_assert_null (dc_supplementary_type_lookup (NULL));
}

static void
test_init (void)
{
  DcIdentity id;

  memset (&id, 0xAA, sizeof id);
  dc_identity_init (&id);
  g_assert_null (id.doc_type);
  g_assert_null (id.name);
  g_assert_false (g_date_valid (&id.doc_expiry));
  g_assert_false (g_date_valid (&id.doc_issued));
  g_assert_false (g_date_valid (&id.dob));
  g_assert_false (g_date_valid (&id.supplementary_date));
  g_assert_false (id.non_resident);
  g_assert_false (id.address_differs);
}

/* ---- Checks, table-driven ---- */

#define KEEP NULL /* keep the base identity's value; "" clears it */
#define OK (-1)

typedef struct {
  const char *path;
  const char *today;
  gboolean    allow_hic;
  const char *doc_type, *doc_number, *expiry, *issued;
  const char *name, *kana, *dob, *address;
  gboolean    differs;
  const char *supp_type, *supp_date;
  gboolean    non_resident;
  const char *nationality, *passport;
  int         code;
  DcField     field;
} CheckCase;

static const CheckCase check_cases[] = {
  { "base" , .code = OK },
  /* document type */
  { "type/missing", .doc_type = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_DOC_TYPE },
  { "type/unknown", .doc_type = "library_card", .code = DC_ERROR_DOC_NOT_ACCEPTED, .field = DC_FIELD_DOC_TYPE },
  { "type/notification-card", .doc_type = "notification_card", .code = DC_ERROR_DOC_NOT_ACCEPTED, .field = DC_FIELD_DOC_TYPE },
  { "type/insurance-card-refused", .doc_type = "health_insurance_card", .doc_number = "", .code = DC_ERROR_DOC_NOT_ACCEPTED, .field = DC_FIELD_DOC_TYPE },
  { "type/insurance-card-allowed", .allow_hic = TRUE, .doc_type = "health_insurance_card", .doc_number = "", .code = OK },
  /* forbidden numbers */
  { "forbidden/my-number-card", .doc_type = "my_number_card", .doc_number = "123456789018", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_DOC_NUMBER },
  { "forbidden/my-number-card-any-text", .doc_type = "my_number_card", .doc_number = "AB 12", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_DOC_NUMBER },
  { "forbidden/my-number-card-empty", .doc_type = "my_number_card", .doc_number = "", .code = OK },
  { "forbidden/my-number-card-blank", .doc_type = "my_number_card", .doc_number = " 　-", .code = OK },
  { "forbidden/qualification", .doc_type = "qualification_cert", .doc_number = "12345678", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_DOC_NUMBER },
  { "forbidden/qualification-empty", .doc_type = "qualification_cert", .doc_number = "", .expiry = "", .issued = "2026-03-01", .code = OK },
  { "forbidden/insurance-card", .allow_hic = TRUE, .doc_type = "health_insurance_card", .doc_number = "1234", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_DOC_NUMBER },
  /* required numbers */
  { "number/missing", .doc_number = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_DOC_NUMBER },
  { "number/only-hyphens", .doc_number = " - - ", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_DOC_NUMBER },
  { "number/bad-character", .doc_number = "AB#123", .code = DC_ERROR_INVALID, .field = DC_FIELD_DOC_NUMBER },
  { "number/kanji", .doc_number = "第123号", .code = DC_ERROR_INVALID, .field = DC_FIELD_DOC_NUMBER },
  { "number/40", .doc_type = "passport", .doc_number = "1234567890123456789012345678901234567890", .code = OK },
  { "number/41", .doc_type = "passport", .doc_number = "12345678901234567890123456789012345678901", .code = DC_ERROR_INVALID, .field = DC_FIELD_DOC_NUMBER },
  { "number/full-width-and-hyphens", .doc_type = "residence_card", .doc_number = "ＡＢ１２－３４５６　７８ＣＤ", .code = OK },
  /* My Number look-alikes */
  { "my-number/licence-exempt", .doc_number = "123456789018", .code = OK },
  /* certificates of driving history carry licence-style 12-digit numbers too */
  { "my-number/driving-history-exempt", .doc_type = "driving_history_cert", .doc_number = "123456789018", .expiry = "", .code = OK },
  { "my-number/student-id", .doc_type = "student_id", .doc_number = "1234 5678 9018", .expiry = "2027-03-31", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_DOC_NUMBER },
  { "my-number/student-id-wrong-check", .doc_type = "student_id", .doc_number = "123456789019", .expiry = "2027-03-31", .code = OK },
  { "my-number/address", .address = "東京都新宿区1-2-3 123456789018", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_ADDRESS },
  { "my-number/address-grouped", .address = "東京都新宿区1-2-3 １２３４－５６７８－９０１８", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_ADDRESS },
  { "my-number/address-13-digits", .address = "東京都新宿区 1234567890185", .code = OK },
  { "my-number/name", .name = "山田 123456789018", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_NAME },
  { "my-number/passport", .doc_type = "passport", .non_resident = TRUE, .address = "", .kana = "", .nationality = "USA", .passport = "123456789018", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_PASSPORT },
  { "my-number/nationality", .doc_type = "passport", .non_resident = TRUE, .address = "", .nationality = "123456789018", .passport = "TK1234567", .code = DC_ERROR_FORBIDDEN_NUMBER, .field = DC_FIELD_NATIONALITY },
  /* expiry */
  { "expiry/today", .expiry = TODAY, .code = OK },
  { "expiry/yesterday", .expiry = "2026-03-14", .code = DC_ERROR_DOC_EXPIRED, .field = DC_FIELD_DOC_EXPIRY },
  { "expiry/missing", .expiry = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_DOC_EXPIRY },
  { "expiry/optional-absent", .doc_type = "driving_history_cert", .expiry = "", .code = OK },
  { "expiry/optional-passed", .doc_type = "driving_history_cert", .expiry = "2020-01-01", .code = DC_ERROR_DOC_EXPIRED, .field = DC_FIELD_DOC_EXPIRY },
  { "expiry/issued-future-beside-expiry", .issued = "2026-03-16", .code = DC_ERROR_INVALID_DATE, .field = DC_FIELD_DOC_ISSUED },
  /* issue date */
  { "issued/missing", .doc_type = "family_register_copy", .expiry = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_DOC_ISSUED },
  { "issued/today", .doc_type = "family_register_copy", .expiry = "", .issued = TODAY, .code = OK },
  { "issued/tomorrow", .doc_type = "family_register_copy", .expiry = "", .issued = "2026-03-16", .code = DC_ERROR_INVALID_DATE, .field = DC_FIELD_DOC_ISSUED },
  { "issued/six-months", .doc_type = "resident_record_copy", .expiry = "", .issued = "2025-09-15", .code = OK },
  { "issued/six-months-and-a-day", .doc_type = "resident_record_copy", .expiry = "", .issued = "2025-09-14", .code = DC_ERROR_DOC_TOO_OLD, .field = DC_FIELD_DOC_ISSUED },
  { "issued/clamped-end-of-month", .today = "2026-08-31", .doc_type = "resident_record_copy", .expiry = "", .issued = "2026-02-28", .code = OK },
  { "issued/clamped-end-of-month-too-old", .today = "2026-08-31", .doc_type = "resident_record_copy", .expiry = "", .issued = "2026-02-27", .code = DC_ERROR_DOC_TOO_OLD, .field = DC_FIELD_DOC_ISSUED },
  { "either/none", .doc_type = "student_id", .expiry = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_DOC_EXPIRY },
  { "either/old-issue-valid-expiry", .doc_type = "student_id", .expiry = "2027-03-31", .issued = "2023-04-01", .code = OK },
  { "either/old-issue-alone", .doc_type = "other_public_document", .expiry = "", .issued = "2023-04-01", .code = DC_ERROR_DOC_TOO_OLD, .field = DC_FIELD_DOC_ISSUED },
  { "either/expired", .doc_type = "student_id", .expiry = "2026-03-14", .issued = "2026-03-01", .code = DC_ERROR_DOC_EXPIRED, .field = DC_FIELD_DOC_EXPIRY },
  /* person */
  { "name/missing", .name = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_NAME },
  { "name/blank", .name = " 　\t", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_NAME },
  { "name/control", .name = "山田\n太郎", .code = DC_ERROR_INVALID, .field = DC_FIELD_NAME },
  { "name/invalid-utf8", .name = "山田\xff", .code = DC_ERROR_INVALID, .field = DC_FIELD_NAME },
  { "kana/missing", .kana = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_KANA },
  { "kana/latin", .kana = "yamada", .code = DC_ERROR_INVALID, .field = DC_FIELD_KANA },
  { "kana/kanji", .kana = "山田 タロウ", .code = DC_ERROR_INVALID, .field = DC_FIELD_KANA },
  { "kana/hiragana", .kana = "やまだ　たろう", .code = OK },
  { "kana/half-width", .kana = "ﾔﾏﾀﾞ ﾀﾛｳ", .code = OK },
  { "kana/marks", .kana = "ジョン・スミス　ヱヴァー", .code = OK },
  { "dob/missing", .dob = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_DOB },
  { "dob/today", .dob = TODAY, .code = OK },
  { "dob/future", .dob = "2026-03-16", .code = DC_ERROR_INVALID_DATE, .field = DC_FIELD_DOB },
  { "dob/1868", .dob = "1868-01-01", .code = OK },
  { "dob/1867", .dob = "1867-12-31", .code = DC_ERROR_INVALID_DATE, .field = DC_FIELD_DOB },
  { "address/missing", .address = "", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_ADDRESS },
  { "address/blank", .address = "　", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_ADDRESS },
  /* non-residents */
  { "non-resident/passport", .doc_type = "passport", .doc_number = "TK1234567", .non_resident = TRUE, .kana = "", .address = "", .nationality = "United States", .passport = "TK1234567", .code = OK },
  { "non-resident/crew-handbook", .doc_type = "crew_handbook", .doc_number = "C123", .non_resident = TRUE, .address = "", .nationality = "PHL", .passport = "P1234567A", .code = OK },
  { "non-resident/licence", .non_resident = TRUE, .address = "", .nationality = "USA", .passport = "TK1234567", .code = DC_ERROR_DOC_NOT_ACCEPTED, .field = DC_FIELD_DOC_TYPE },
  { "non-resident/no-nationality", .doc_type = "passport", .non_resident = TRUE, .address = "", .passport = "TK1234567", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_NATIONALITY },
  { "non-resident/no-passport", .doc_type = "crew_handbook", .doc_number = "C123", .non_resident = TRUE, .address = "", .nationality = "USA", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_PASSPORT },
  /* the passport itself: its document number is the passport number, typed once */
  { "non-resident/passport-typed-once", .doc_type = "passport", .doc_number = "TK1234567", .non_resident = TRUE, .kana = "", .address = "", .nationality = "USA", .code = OK },
  { "non-resident/bad-passport", .doc_type = "passport", .non_resident = TRUE, .address = "", .nationality = "USA", .passport = "TK/1234", .code = DC_ERROR_INVALID, .field = DC_FIELD_PASSPORT },
  { "non-resident/bad-kana", .doc_type = "passport", .non_resident = TRUE, .kana = "Smith", .address = "", .nationality = "USA", .passport = "TK1234567", .code = DC_ERROR_INVALID, .field = DC_FIELD_KANA },
  /* supplementary documents */
  { "supp/ok", .differs = TRUE, .supp_type = "utility_bill", .supp_date = "2026-01-10", .code = OK },
  { "supp/ignored-when-same-address", .supp_type = "nonsense", .code = OK },
  { "supp/missing-type", .differs = TRUE, .supp_date = "2026-01-10", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_SUPPLEMENTARY_TYPE },
  { "supp/unknown-type", .differs = TRUE, .supp_type = "bank_statement", .supp_date = "2026-01-10", .code = DC_ERROR_DOC_NOT_ACCEPTED, .field = DC_FIELD_SUPPLEMENTARY_TYPE },
  { "supp/missing-date", .differs = TRUE, .supp_type = "tax_receipt", .code = DC_ERROR_MISSING_FIELD, .field = DC_FIELD_SUPPLEMENTARY_DATE },
  { "supp/too-old", .differs = TRUE, .supp_type = "tax_receipt", .supp_date = "2025-09-14", .code = DC_ERROR_DOC_TOO_OLD, .field = DC_FIELD_SUPPLEMENTARY_DATE },
  { "supp/six-months", .differs = TRUE, .supp_type = "tax_receipt", .supp_date = "2025-09-15", .code = OK },
  { "supp/future", .differs = TRUE, .supp_type = "tax_receipt", .supp_date = "2026-03-16", .code = DC_ERROR_INVALID_DATE, .field = DC_FIELD_SUPPLEMENTARY_DATE },
};

static void
apply_case (DcIdentity *id, const CheckCase *c)
{
  base_identity (id);
#define OVERRIDE(member, value) if ((value) != KEEP) id->member = (value)
#define OVERRIDE_DATE(member, value) if ((value) != KEEP) set_date (&id->member, (value))
  OVERRIDE (doc_type, c->doc_type);
  OVERRIDE (doc_number, c->doc_number);
  OVERRIDE_DATE (doc_expiry, c->expiry);
  OVERRIDE_DATE (doc_issued, c->issued);
  OVERRIDE (name, c->name);
  OVERRIDE (kana, c->kana);
  OVERRIDE_DATE (dob, c->dob);
  OVERRIDE (address, c->address);
  OVERRIDE (supplementary_type, c->supp_type);
  OVERRIDE_DATE (supplementary_date, c->supp_date);
  OVERRIDE (nationality, c->nationality);
  OVERRIDE (passport_number, c->passport);
#undef OVERRIDE
#undef OVERRIDE_DATE
  id->address_differs = c->differs;
  id->non_resident = c->non_resident;
}

static void
test_check_case (gconstpointer data)
{
  const CheckCase *c = data;
  DcIdentity id;
  GDate today;
  DcField field = DC_FIELD_PASSPORT; /* must be overwritten */
  g_autoptr(GError) error = NULL;
  gboolean ok;

  apply_case (&id, c);
  set_date (&today, c->today != NULL ? c->today : TODAY);
  ok = dc_identity_check (&id, &today, c->allow_hic, &field, &error);

  if (c->code == OK)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpint (field, ==, DC_FIELD_NONE);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, DC_ERROR, c->code);
  g_assert_cmpint (field, ==, c->field);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
}

/* ---- Checks that need more than the table ---- */

static void
check_fails (const DcIdentity *id, int code, DcField expected_field, GError **error)
{
  GDate today;
  DcField field = DC_FIELD_NONE;

  set_date (&today, TODAY);
  g_assert_false (dc_identity_check (id, &today, FALSE, &field, error));
  g_assert_error (*error, DC_ERROR, code);
  g_assert_cmpint (field, ==, expected_field);
}

static void
test_forbidden_message_hides_number (void)
{
  DcIdentity id;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autofree char *my_number = make_my_number ("98765432109");

  base_identity (&id);
  id.doc_type = "my_number_card";
  id.doc_number = my_number;
  check_fails (&id, DC_ERROR_FORBIDDEN_NUMBER, DC_FIELD_DOC_NUMBER, &error);
  g_assert_null (strstr (error->message, my_number));
  g_assert_null (strstr (error->message, "98765"));
  g_assert_nonnull (strstr (error->message, "My Number Act"));

  base_identity (&id);
  id.doc_type = "qualification_cert";
  id.doc_number = "87654321";
  check_fails (&id, DC_ERROR_FORBIDDEN_NUMBER, DC_FIELD_DOC_NUMBER, &error2);
  g_assert_null (strstr (error2->message, "87654321"));
  g_assert_nonnull (strstr (error2->message, "194-2"));
}

static void
test_my_number_in_address (void)
{
  DcIdentity id;
  g_autoptr(GError) error = NULL;
  g_autofree char *my_number = make_my_number ("98765432109");
  g_autofree char *address = g_strconcat ("東京都豊島区池袋1-1 ", my_number, NULL);
  GDate today;

  g_assert_cmpstr (my_number, ==, "987654321093");
  base_identity (&id);
  id.address = address;
  check_fails (&id, DC_ERROR_FORBIDDEN_NUMBER, DC_FIELD_ADDRESS, &error);
  g_assert_null (strstr (error->message, my_number));
  g_assert_nonnull (strstr (error->message, "My Number"));

  /* One digit off, the same address is fine: the check digit decides. */
  address[strlen (address) - 1] = '4';
  set_date (&today, TODAY);
  g_assert_true (dc_identity_check (&id, &today, FALSE, NULL, NULL));
}

/* Every remainder of the check-digit sum (0 and 1 give check digit 0): exactly the right
 * twelfth digit is refused, the nine others are accepted. */
static void
test_my_number_check_digit (void)
{
  static const char *const first_eleven[] = {
    "10000000008", "10000000003", "10000000009", "10000000004", "10000000013", "10000000005",
    "10000000000", "10000000006", "10000000001", "10000000007", "10000000002",
  };
  GDate today;

  set_date (&today, TODAY);
  for (gsize i = 0; i < G_N_ELEMENTS (first_eleven); i++)
    {
      g_autofree char *valid = make_my_number (first_eleven[i]);

      for (char last = '0'; last <= '9'; last++)
        {
          g_autofree char *address = g_strdup_printf ("東京都 %s%c", first_eleven[i], last);
          g_autoptr(GError) error = NULL;
          DcIdentity id;
          gboolean is_my_number = last == valid[11];

          base_identity (&id);
          id.address = address;
          g_assert_true (dc_identity_check (&id, &today, FALSE, NULL, &error) == !is_my_number);
          if (is_my_number)
            g_assert_error (error, DC_ERROR, DC_ERROR_FORBIDDEN_NUMBER);
        }
    }
}

static void
test_expired_message (void)
{
  DcIdentity id;
  g_autoptr(GError) error = NULL;

  base_identity (&id);
  set_date (&id.doc_expiry, "2026-02-01");
  check_fails (&id, DC_ERROR_DOC_EXPIRED, DC_FIELD_DOC_EXPIRY, &error);
  g_assert_nonnull (strstr (error->message, "2026-02-01"));
}

static void
test_lengths (void)
{
  static const struct { guint n; const char *unit; DcField field; gboolean ok; } cases[] = {
    { 100, "名", DC_FIELD_NAME, TRUE },
    { 101, "名", DC_FIELD_NAME, FALSE },
    { 300, "町", DC_FIELD_ADDRESS, TRUE },
    { 301, "町", DC_FIELD_ADDRESS, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new ("　 "); /* trimmed: does not count */
      g_autoptr(GError) error = NULL;
      DcIdentity id;
      GDate today;
      DcField field = DC_FIELD_NONE;
      gboolean ok;

      for (guint k = 0; k < cases[i].n; k++)
        g_string_append (text, cases[i].unit);
      g_string_append (text, " 　");
      base_identity (&id);
      if (cases[i].field == DC_FIELD_NAME)
        id.name = text->str;
      else
        id.address = text->str;
      set_date (&today, TODAY);
      ok = dc_identity_check (&id, &today, FALSE, &field, &error);
      g_assert_true (ok == cases[i].ok);
      if (!ok)
        {
          g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
          g_assert_cmpint (field, ==, cases[i].field);
        }
    }
}

static void
test_null_bad_field (void)
{
  DcIdentity id;
  GDate today;
  g_autoptr(GError) error = NULL;

  base_identity (&id);
  id.name = NULL;
  set_date (&today, TODAY);
  g_assert_false (dc_identity_check (&id, &today, FALSE, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD);
}

/* ---- Serialisation ---- */

/* Every serialisation test runs on both formats: 2, which dc_identity_serialize() writes,
 * and 1, which it wrote before and which stores still hold. */
typedef enum { FORMAT_1 = 1, FORMAT_2 = 2 } Format;

/* A copy of dc_identity_serialize() as it was for format 1, kept here so that the tests
 * prove old records still read (test_known_answer_format_1 pins its output). */
static void
v1_add_string (GVariantBuilder *builder, const char *key, const char *value)
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
v1_add_date (GVariantBuilder *builder, const char *key, const GDate *date)
{
  g_autofree char *iso = NULL;

  if (!g_date_valid (date))
    return;
  iso = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                         g_date_get_month (date), g_date_get_day (date));
  g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (iso));
}

static void
v1_add_flag (GVariantBuilder *builder, const char *key, gboolean value)
{
  if (value)
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_boolean (TRUE));
}

static const char *
v1_passport_number_of (const DcIdentity *identity)
{
  g_autofree char *given = dc_normalize_number (identity->passport_number);

  if (given[0] == '\0' && g_strcmp0 (identity->doc_type, "passport") == 0)
    return identity->doc_number;
  return identity->passport_number;
}

static GBytes *
serialize_v1 (const DcIdentity *identity)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const DcDocType *type;
  g_autoptr(GVariant) dict = NULL;
  gsize size;
  guint8 *data;

  type = dc_doc_type_lookup (identity->doc_type);
  v1_add_string (&builder, "doc_type", identity->doc_type);
  if (type != NULL && type->number_allowed)
    v1_add_string (&builder, "doc_number", identity->doc_number);
  v1_add_date (&builder, "doc_expiry", &identity->doc_expiry);
  v1_add_date (&builder, "doc_issued", &identity->doc_issued);
  v1_add_string (&builder, "name", identity->name);
  v1_add_string (&builder, "kana", identity->kana);
  v1_add_date (&builder, "dob", &identity->dob);
  v1_add_string (&builder, "address", identity->address);
  v1_add_flag (&builder, "address_differs", identity->address_differs);
  v1_add_string (&builder, "supp_type", identity->supplementary_type);
  v1_add_date (&builder, "supp_date", &identity->supplementary_date);
  v1_add_flag (&builder, "non_resident", identity->non_resident);
  v1_add_string (&builder, "nationality", identity->nationality);
  v1_add_string (&builder, "passport", identity->non_resident ? v1_passport_number_of (identity) : identity->passport_number);

  dict = g_variant_ref_sink (g_variant_builder_end (&builder));
  size = g_variant_get_size (dict);
  data = g_malloc (size + 1);
  data[0] = 1;
  if (size > 0)
    memcpy (data + 1, g_variant_get_data (dict), size);
  return g_bytes_new_take (data, size + 1);
}

static GBytes *
serialize_as (Format format, const DcIdentity *id)
{
  GBytes *bytes = format == FORMAT_1 ? serialize_v1 (id) : dc_identity_serialize (id);

  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (bytes, NULL))[0], ==, format);
  return bytes;
}

static void
full_identity (DcIdentity *id)
{
  base_identity (id);
  set_date (&id->doc_issued, "2021-05-06");
  id->address_differs = TRUE;
  id->supplementary_type = "utility_bill";
  set_date (&id->supplementary_date, "2026-02-01");
  id->non_resident = TRUE;
  id->nationality = "Japan";
  id->passport_number = "TK1234567";
}

static void
assert_date_equal (const GDate *a, const GDate *b)
{
  g_assert_true (g_date_valid (a) == g_date_valid (b));
  if (g_date_valid (a))
    g_assert_cmpint (g_date_compare (a, b), ==, 0);
}

static void
assert_identity_equal (const DcIdentity *got, const DcIdentity *want)
{
  g_assert_cmpstr (got->doc_type, ==, want->doc_type);
  g_assert_cmpstr (got->doc_number, ==, want->doc_number);
  assert_date_equal (&got->doc_expiry, &want->doc_expiry);
  assert_date_equal (&got->doc_issued, &want->doc_issued);
  g_assert_cmpstr (got->name, ==, want->name);
  g_assert_cmpstr (got->kana, ==, want->kana);
  assert_date_equal (&got->dob, &want->dob);
  g_assert_cmpstr (got->address, ==, want->address);
  g_assert_true (!got->address_differs == !want->address_differs);
  g_assert_cmpstr (got->supplementary_type, ==, want->supplementary_type);
  assert_date_equal (&got->supplementary_date, &want->supplementary_date);
  g_assert_true (!got->non_resident == !want->non_resident);
  g_assert_cmpstr (got->nationality, ==, want->nationality);
  g_assert_cmpstr (got->passport_number, ==, want->passport_number);
}

static gboolean
points_into (const char *text, const guint8 *data, gsize size)
{
  return text == NULL || ((const guint8 *) text >= data && (const guint8 *) text < data + size);
}

/* Every string of @record lies in @data: the record reads its bytes in place. */
static void
assert_strings_in (const DcIdentityRecord *record, const guint8 *data, gsize size)
{
  const DcIdentity *got = &record->identity;
  const char *strings[] = { got->doc_type, got->doc_number, got->name, got->kana, got->address,
                            got->supplementary_type, got->nationality, got->passport_number };

  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    g_assert_true (points_into (strings[i], data, size));
}

/* A decrypted format 1 record stays in sodium_malloc memory: GVariant reads it in place (it
 * copies data that is not aligned into ordinary heap memory, which is never wiped). A
 * sodium_malloc buffer ends against its guard page: the variant's data must end there too. */
static void
test_record_stays_secure_format_1 (void)
{
  DcIdentity id;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize size, page = (gsize) sysconf (_SC_PAGESIZE);

  full_identity (&id);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("山田 %.*s", (int) i, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

      id.name = name;
      g_clear_pointer (&bytes, g_bytes_unref);
      g_clear_pointer (&record, dc_identity_record_free);
      bytes = serialize_v1 (&id);
      record = dc_identity_record_new_from_bytes (bytes, &error);
      g_assert_no_error (error);
      g_assert_nonnull (record->variant);
      g_assert_null (record->bytes);
      data = dc_identity_record_get_data (record, &size);
      g_assert_true (data == g_variant_get_data (record->variant));
      assert_strings_in (record, data, size);
      g_assert_cmpstr (record->identity.name, ==, g_strchomp (name)); /* "山田 " when i is 0 */
      g_assert_cmpuint (((guintptr) data + ((size + 15) & ~(gsize) 15)) % page, ==, 0);
    }
}

/* A format 2 record keeps the caller's bytes (sodium_malloc memory when they are decrypted)
 * and points into them, wherever they lie: nothing is copied anywhere. */
static void
test_record_stays_secure_format_2 (void)
{
  DcIdentity id;
  g_autoptr(GError) error = NULL;

  full_identity (&id);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("山田 %.*s", (int) i, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(DcIdentityRecord) record = NULL;
      const guint8 *caller, *data;
      gsize caller_size, size;

      id.name = name;
      bytes = dc_identity_serialize (&id);
      caller = g_bytes_get_data (bytes, &caller_size);
      record = dc_identity_record_new_from_bytes (bytes, &error);
      g_assert_no_error (error);
      g_assert_null (record->variant);
      g_assert_true (record->bytes == bytes);
      data = dc_identity_record_get_data (record, &size);
      g_assert_true (data == caller + 1);
      g_assert_cmpuint (size, ==, caller_size - 1);
      assert_strings_in (record, caller, caller_size);
      g_assert_cmpstr (record->identity.name, ==, g_strchomp (name)); /* "山田 " when i is 0 */
    }
}

/* As the police query and dc_read_identity hand them over: decrypted into sodium_malloc
 * memory at an offset (for format 1 one that aligns byte 1, as the query lays them out).
 * The record's strings stay in that memory, and the record outlives the caller's reference. */
static void
test_record_in_caller_secure_memory (gconstpointer data)
{
  Format format = GPOINTER_TO_INT (data);
  DcIdentity id;
  g_autoptr(GBytes) plain = NULL;
  const guint8 *plain_data;
  gsize plain_size;

  full_identity (&id);
  plain = serialize_as (format, &id);
  plain_data = g_bytes_get_data (plain, &plain_size);
  for (gsize offset = 0; offset < 16; offset++)
    {
      gsize size = plain_size + 32;
      guint8 *secure = dc_secure_alloc (size);
      g_autoptr(GBytes) block = g_bytes_new_with_free_func (secure, size, (GDestroyNotify) sodium_free, secure);
      g_autoptr(GBytes) slice = NULL;
      g_autoptr(DcIdentityRecord) record = NULL;
      g_autoptr(GError) error = NULL;
      gsize at = offset + (16 - ((guintptr) secure + offset + 1) % 16) % 16;

      if (format == FORMAT_2)
        at = offset; /* no alignment needed */
      memcpy (secure + at, plain_data, plain_size);
      slice = g_bytes_new_from_bytes (block, at, plain_size);
      g_clear_pointer (&block, g_bytes_unref);
      record = dc_identity_record_new_from_bytes (slice, &error);
      g_assert_no_error (error);
      g_clear_pointer (&slice, g_bytes_unref);
      assert_strings_in (record, secure + at + 1, plain_size - 1);
      assert_identity_equal (&record->identity, &id);
    }
}

static void
test_round_trip (gconstpointer data)
{
  Format format = GPOINTER_TO_INT (data);
  DcIdentity id, want;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  full_identity (&id);
  id.name = " 山田 太郎　"; /* stored trimmed */
  bytes = serialize_as (format, &id);
  record = dc_identity_record_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  want = id;
  want.name = "山田 太郎";
  assert_identity_equal (&record->identity, &want);
  g_assert_true (record->identity.address_differs);
  g_assert_true (record->identity.non_resident);
}

static void
test_round_trip_sparse (gconstpointer data)
{
  Format format = GPOINTER_TO_INT (data);
  DcIdentity id;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;

  base_identity (&id);
  id.address = "   "; /* nothing to keep */
  bytes = serialize_as (format, &id);
  record = dc_identity_record_new_from_bytes (bytes, NULL);
  g_assert_nonnull (record);
  g_assert_null (record->identity.address);
  g_assert_null (record->identity.nationality);
  g_assert_false (g_date_valid (&record->identity.doc_issued));
  g_assert_false (record->identity.non_resident);
  g_assert_cmpstr (record->identity.name, ==, id.name);
}

/* A non-resident's passport typed once, as the document number, is kept as the passport number. */
static void
test_round_trip_passport_once (gconstpointer data)
{
  Format format = GPOINTER_TO_INT (data);
  DcIdentity id;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;

  base_identity (&id);
  id.doc_type = "passport";
  id.doc_number = "TK1234567";
  id.non_resident = TRUE;
  id.address = NULL;
  id.nationality = "USA";
  id.passport_number = NULL;
  bytes = serialize_as (format, &id);
  record = dc_identity_record_new_from_bytes (bytes, NULL);
  g_assert_nonnull (record);
  g_assert_cmpstr (record->identity.passport_number, ==, "TK1234567");
  g_assert_cmpstr (record->identity.doc_number, ==, "TK1234567");
}

/* The identity made only of the fields in @mask (bit i: the i-th field of DcIdentity) of
 * full_identity(), with a passport so that a number may be kept. */
static void
masked_identity (DcIdentity *id, guint mask)
{
  DcIdentity full;

  full_identity (&full);
  full.doc_type = "passport";
  dc_identity_init (id);
#define TAKE(bit, field) if (mask & (1u << (bit))) id->field = full.field
  TAKE (0, doc_type);
  TAKE (1, doc_number);
  TAKE (2, doc_expiry);
  TAKE (3, doc_issued);
  TAKE (4, name);
  TAKE (5, kana);
  TAKE (6, dob);
  TAKE (7, address);
  TAKE (8, address_differs);
  TAKE (9, supplementary_type);
  TAKE (10, supplementary_date);
  TAKE (11, non_resident);
  TAKE (12, nationality);
  TAKE (13, passport_number);
#undef TAKE
}

/* Every combination of given fields reads back as given in both formats, the two formats
 * read the same, and serialising what was read gives the same bytes again (canonical). */
static void
test_every_combination (void)
{
  for (guint mask = 0; mask < 1u << 14; mask++)
    {
      DcIdentity id, want;
      g_autoptr(GBytes) v1 = NULL;
      g_autoptr(GBytes) v2 = NULL;
      g_autoptr(GBytes) again = NULL;
      g_autoptr(DcIdentityRecord) r1 = NULL;
      g_autoptr(DcIdentityRecord) r2 = NULL;
      g_autoptr(GError) error = NULL;

      masked_identity (&id, mask);
      want = id;
      if (id.doc_type == NULL)
        want.doc_number = NULL; /* an unknown type keeps no number */
      else if (id.non_resident && id.passport_number == NULL)
        want.passport_number = id.doc_number; /* the passport's own number */
      v1 = serialize_v1 (&id);
      v2 = dc_identity_serialize (&id);
      r1 = dc_identity_record_new_from_bytes (v1, &error);
      g_assert_no_error (error);
      r2 = dc_identity_record_new_from_bytes (v2, &error);
      g_assert_no_error (error);
      assert_identity_equal (&r1->identity, &want);
      assert_identity_equal (&r2->identity, &want);
      again = dc_identity_serialize (&r2->identity);
      g_assert_true (g_bytes_equal (again, v2));
      g_clear_pointer (&again, g_bytes_unref);
      again = dc_identity_serialize (&r1->identity);
      g_assert_true (g_bytes_equal (again, v2));
    }
}

static gboolean
bytes_contain (GBytes *bytes, const char *needle)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  gsize len = strlen (needle);

  for (gsize i = 0; i + len <= size; i++)
    if (memcmp (data + i, needle, len) == 0)
      return TRUE;
  return FALSE;
}

static void
test_forbidden_number_never_serialised (gconstpointer data)
{
  static const char *const types[] = { "my_number_card", "qualification_cert",
                                       "health_insurance_card", "notification_card",
                                       "unknown" };
  Format format = GPOINTER_TO_INT (data);

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      DcIdentity id;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) without = NULL;
      g_autoptr(DcIdentityRecord) record = NULL;

      base_identity (&id);
      id.doc_type = types[i];
      id.doc_number = "123456789018";
      bytes = serialize_as (format, &id);
      g_assert_false (bytes_contain (bytes, "123456789018"));
      g_assert_false (bytes_contain (bytes, "doc_number"));
      /* nothing of the number is kept, not even its field */
      id.doc_number = NULL;
      without = serialize_as (format, &id);
      g_assert_true (g_bytes_equal (bytes, without));
      record = dc_identity_record_new_from_bytes (bytes, NULL);
      g_assert_nonnull (record);
      g_assert_null (record->identity.doc_number);
      g_assert_cmpstr (record->identity.doc_type, ==, types[i]);
    }
}

/* A string longer than a format 2 length can say (only unchecked input can be) is cut at a
 * character boundary, so serialising never fails and what is kept is valid UTF-8. */
static void
test_overlong_string (void)
{
  DcIdentity id;
  GString *text = g_string_new ("A");
  g_autofree char *long_text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  while (text->len < 70000)
    g_string_append (text, "山");
  long_text = g_string_free (text, FALSE);
  base_identity (&id);
  id.address = long_text;
  bytes = dc_identity_serialize (&id);
  record = dc_identity_record_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (record->identity.address), ==, 1 + 3 * ((G_MAXUINT16 - 1) / 3));
  g_assert_true (strncmp (record->identity.address, long_text, strlen (record->identity.address)) == 0);
  g_assert_cmpstr (record->identity.name, ==, id.name);
}

static char *
hex_of (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (s, "%02x", data[i]);
  return g_string_free (s, FALSE);
}

static GBytes *
bytes_of_hex (const char *hex)
{
  gsize size = strlen (hex) / 2;
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, size);
}

static void
known_identity (DcIdentity *id)
{
  dc_identity_init (id);
  id->doc_type = "passport";
  id->doc_number = "TK1234567";
  set_date (&id->doc_expiry, "2030-01-02");
  id->name = "Jane Doe";
  set_date (&id->dob, "1985-07-08");
  id->non_resident = TRUE;
  id->nationality = "USA";
  id->passport_number = "TK1234567";
}

/* Pins format 1 as stores hold it: the copy of its serialiser above still writes it, and
 * these very bytes still read. */
static void
test_known_answer_format_1 (void)
{
  static const char expected_hex[] =
    "01646f635f74797065000000000000000070617373706f727400007309000000"
    "00646f635f6e756d626572000000000000544b313233343536370000730b0000"
    "00646f635f657870697279000000000000323033302d30312d30320000730b00"
    "006e616d65000000004a616e6520446f650000730500000000646f6200000000"
    "00313938352d30372d30380000730400006e6f6e5f7265736964656e74000000"
    "000100620d000000006e6174696f6e616c69747900000000005553410000730c"
    "0070617373706f72740000000000000000544b31323334353637000073091c3d"
    "5e748ea4bfdd";
  DcIdentity id;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) stored = bytes_of_hex (expected_hex);
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;

  known_identity (&id);
  bytes = serialize_v1 (&id);
  hex = hex_of (bytes);
  g_assert_cmpstr (hex, ==, expected_hex);
  record = dc_identity_record_new_from_bytes (stored, &error);
  g_assert_no_error (error);
  assert_identity_equal (&record->identity, &id);
}

/* Pins format 2: changing it breaks every record sealed since. */
static void
test_known_answer_format_2 (void)
{
  static const char expected_hex[] =
    "02"
    "010800" "70617373706f7274" "00"      /* 1 doc_type "passport" */
    "020900" "544b31323334353637" "00"    /* 2 doc_number "TK1234567" */
    "030400" "ee07" "01" "02"             /* 3 doc_expiry 2030-01-02 */
    "050800" "4a616e6520446f65" "00"      /* 5 name "Jane Doe" */
    "070400" "c107" "07" "08"             /* 7 dob 1985-07-08 */
    "0c0000"                              /* 12 non_resident */
    "0d0300" "555341" "00"                /* 13 nationality "USA" */
    "0e0900" "544b31323334353637" "00"    /* 14 passport "TK1234567" */
    "00";                                 /* end */
  DcIdentity id;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;

  known_identity (&id);
  bytes = dc_identity_serialize (&id);
  hex = hex_of (bytes);
  g_test_message ("serialised: %s", hex);
  g_assert_cmpstr (hex, ==, expected_hex);
  record = dc_identity_record_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  assert_identity_equal (&record->identity, &id);
}

static GBytes *
with_version (guint8 version, GVariant *dict)
{
  gsize size = g_variant_get_size (dict);
  guint8 *data = g_malloc (size + 1);

  data[0] = version;
  if (size > 0)
    memcpy (data + 1, g_variant_get_data (dict), size);
  return g_bytes_new_take (data, size + 1);
}

static GBytes *
vardict_bytes (const char *key, GVariant *value, const char *key2, GVariant *value2)
{
  GVariantBuilder builder;
  g_autoptr(GVariant) dict = NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", key, value);
  if (key2 != NULL)
    g_variant_builder_add (&builder, "{sv}", key2, value2);
  dict = g_variant_ref_sink (g_variant_builder_end (&builder));
  return with_version (1, dict);
}

#define DAMAGED "The identity record is damaged and cannot be read."
#define UNKNOWN_FORMAT "The identity record has an unknown format."

static void
assert_refused_with (GBytes *bytes, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcIdentityRecord) record = dc_identity_record_new_from_bytes (bytes, &error);

  g_assert_null (record);
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_assert_cmpstr (error->message, ==, message);
  g_bytes_unref (bytes);
}

static void
assert_refused (GBytes *bytes)
{
  assert_refused_with (bytes, DAMAGED);
}

/* Neither format: refused before anything is read. */
static void
test_unknown_format (void)
{
  static const guint8 versions[] = { 0, 3, 0x7f, 0xff };
  DcIdentity id;
  g_autoptr(GBytes) good = NULL;
  gsize size;
  const guint8 *data;

  assert_refused_with (g_bytes_new (NULL, 0), UNKNOWN_FORMAT);
  base_identity (&id);
  good = dc_identity_serialize (&id);
  data = g_bytes_get_data (good, &size);
  for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      guint8 *copy = g_memdup2 (data, size);

      copy[0] = versions[i];
      assert_refused_with (g_bytes_new_take (copy, size), UNKNOWN_FORMAT);
    }
}

static void
test_malformed_format_1 (void)
{
  DcIdentity id;
  g_autoptr(GBytes) good = NULL;
  gsize size;
  const guint8 *data;

  base_identity (&id);
  good = serialize_v1 (&id);
  data = g_bytes_get_data (good, &size);
  /* truncated */
  assert_refused (g_bytes_new (data, size - 1));
  /* wrong value type, unknown key, duplicate key, impossible date, sloppy date */
  assert_refused (vardict_bytes ("name", g_variant_new_int32 (7), NULL, NULL));
  assert_refused (vardict_bytes ("non_resident", g_variant_new_string ("yes"), NULL, NULL));
  assert_refused (vardict_bytes ("dob", g_variant_new_boolean (TRUE), NULL, NULL));
  assert_refused (vardict_bytes ("my_number", g_variant_new_string ("123456789018"), NULL, NULL));
  assert_refused (vardict_bytes ("name", g_variant_new_string ("A"), "name", g_variant_new_string ("B")));
  assert_refused (vardict_bytes ("dob", g_variant_new_string ("2023-02-29"), NULL, NULL));
  assert_refused (vardict_bytes ("dob", g_variant_new_string ("1990-4-1"), NULL, NULL));
  assert_refused (vardict_bytes ("dob", g_variant_new_string ("1990-04-01x"), NULL, NULL));
  /* not a dictionary at all */
  {
    g_autoptr(GVariant) s = g_variant_ref_sink (g_variant_new_string ("hello world"));
    assert_refused (with_version (1, s));
  }
}

/* Hand-made format 2 bytes. Literals are split after every \x escape: a hex escape would
 * swallow a following "A"…"F". */
typedef struct {
  const char *what;
  const char *bytes;
  gsize       size;
} FlatCase;

#define FLAT(what, bytes) { what, bytes, sizeof bytes - 1 }

/* Each refused case has a valid neighbour in flat_valid: the fault alone refuses it. */
static const FlatCase flat_malformed[] = {
  FLAT ("format-byte-only", "\x02"),
  FLAT ("unknown-id-15", "\x02" "\x0f\x00\x00" "\x00"),
  FLAT ("unknown-id-255", "\x02" "\xff\x01\x00" "A\x00" "\x00"),
  FLAT ("duplicate-id", "\x02" "\x05\x01\x00" "A\x00" "\x05\x01\x00" "B\x00" "\x00"),
  FLAT ("duplicate-flag", "\x02" "\x09\x00\x00" "\x09\x00\x00" "\x00"),
  FLAT ("ids-out-of-order", "\x02" "\x06\x01\x00" "A\x00" "\x05\x01\x00" "B\x00" "\x00"),
  FLAT ("header-cut-after-id", "\x02" "\x05"),
  FLAT ("header-cut-in-length", "\x02" "\x05\x01"),
  FLAT ("string-length-past-end", "\x02" "\x05\x09\x00" "AB\x00" "\x00"),
  FLAT ("string-length-high-byte", "\x02" "\x05\x02\x01" "AB\x00" "\x00"),
  FLAT ("string-length-max", "\x02" "\x05\xff\xff" "AB\x00" "\x00"),
  FLAT ("string-nul-is-the-end", "\x02" "\x05\x02\x00" "AB\x00"),
  FLAT ("string-without-nul", "\x02" "\x05\x02\x00" "ABC" "\x00"),
  FLAT ("string-without-nul-at-end", "\x02" "\x05\x02\x00" "AB"),
  FLAT ("string-embedded-nul", "\x02" "\x05\x03\x00" "A\x00" "B\x00" "\x00"),
  FLAT ("string-empty", "\x02" "\x05\x00\x00" "\x00" "\x00"),
  FLAT ("string-space-first", "\x02" "\x05\x02\x00" " A\x00" "\x00"),
  FLAT ("string-newline-last", "\x02" "\x05\x02\x00" "A\n\x00" "\x00"),
  FLAT ("string-ideographic-space-last", "\x02" "\x05\x04\x00" "A\xe3\x80\x80\x00" "\x00"),
  FLAT ("utf8-invalid-byte", "\x02" "\x05\x01\x00" "\xff\x00" "\x00"),
  FLAT ("utf8-overlong-nul", "\x02" "\x05\x02\x00" "\xc0\x80\x00" "\x00"),
  FLAT ("utf8-surrogate", "\x02" "\x05\x03\x00" "\xed\xa0\x80\x00" "\x00"),
  FLAT ("utf8-cut-character", "\x02" "\x05\x02\x00" "\xe5\xb1\x00" "\x00"),
  FLAT ("utf8-above-unicode", "\x02" "\x05\x04\x00" "\xf4\x90\x80\x80\x00" "\x00"),
  FLAT ("date-29-feb-2023", "\x02" "\x07\x04\x00" "\xe7\x07\x02\x1d" "\x00"),
  FLAT ("date-31-apr", "\x02" "\x07\x04\x00" "\xe7\x07\x04\x1f" "\x00"),
  FLAT ("date-month-0", "\x02" "\x07\x04\x00" "\xe7\x07\x00\x01" "\x00"),
  FLAT ("date-month-13", "\x02" "\x07\x04\x00" "\xe7\x07\x0d\x01" "\x00"),
  FLAT ("date-day-0", "\x02" "\x07\x04\x00" "\xe7\x07\x01\x00" "\x00"),
  FLAT ("date-year-0", "\x02" "\x07\x04\x00" "\x00\x00\x01\x01" "\x00"),
  FLAT ("date-year-10000", "\x02" "\x07\x04\x00" "\x10\x27\x01\x01" "\x00"),
  FLAT ("date-length-3", "\x02" "\x07\x03\x00" "\xe7\x07\x02" "\x00"),
  FLAT ("date-length-5", "\x02" "\x07\x05\x00" "\xe7\x07\x02\x01\x00" "\x00"),
  FLAT ("date-as-text", "\x02" "\x07\x0a\x00" "1990-04-01" "\x00"),
  FLAT ("date-past-end", "\x02" "\x07\x04\x00" "\xe7\x07"),
  FLAT ("flag-length-1", "\x02" "\x09\x01\x00" "\x01" "\x00"),
  FLAT ("flag-length-256", "\x02" "\x0c\x00\x01" "\x00"),
  FLAT ("no-end-byte", "\x02" "\x05\x01\x00" "A\x00"),
  FLAT ("trailing-byte-after-end", "\x02" "\x00" "\x00"),
  FLAT ("trailing-field-after-end", "\x02" "\x05\x01\x00" "A\x00" "\x00" "\x06\x01\x00" "B\x00" "\x00"),
};

static const FlatCase flat_valid[] = {
  FLAT ("empty-identity", "\x02" "\x00"),
  FLAT ("one-string", "\x02" "\x05\x01\x00" "A\x00" "\x00"),
  FLAT ("inner-spaces", "\x02" "\x05\x06\x00" "A \xe3\x80\x80" "B\x00" "\x00"),
  FLAT ("two-strings", "\x02" "\x05\x01\x00" "A\x00" "\x06\x01\x00" "B\x00" "\x00"),
  FLAT ("last-id-14", "\x02" "\x0e\x01\x00" "A\x00" "\x00"),
  FLAT ("both-flags", "\x02" "\x09\x00\x00" "\x0c\x00\x00" "\x00"),
  FLAT ("utf8-three-bytes", "\x02" "\x05\x03\x00" "\xe5\xb1\xb1\x00" "\x00"),
  FLAT ("utf8-four-bytes", "\x02" "\x05\x04\x00" "\xf0\x9f\x98\x80\x00" "\x00"),
  FLAT ("date-29-feb-2024", "\x02" "\x07\x04\x00" "\xe8\x07\x02\x1d" "\x00"),
  FLAT ("date-year-1", "\x02" "\x07\x04\x00" "\x01\x00\x01\x01" "\x00"),
  FLAT ("date-year-9999", "\x02" "\x07\x04\x00" "\x0f\x27\x0c\x1f" "\x00"),
};

static void
test_malformed_format_2 (gconstpointer data)
{
  const FlatCase *c = data;

  assert_refused (g_bytes_new (c->bytes, c->size));
}

static void
test_valid_format_2 (gconstpointer data)
{
  const FlatCase *c = data;
  g_autoptr(GBytes) bytes = g_bytes_new (c->bytes, c->size);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcIdentityRecord) record = dc_identity_record_new_from_bytes (bytes, &error);
  g_autoptr(GBytes) again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (record);
  assert_strings_in (record, g_bytes_get_data (bytes, NULL), c->size);
  /* what was read is written back the same */
  again = dc_identity_serialize (&record->identity);
  g_assert_true (g_bytes_equal (again, bytes));
}

/* Every cut of a valid record, and every byte added after it, is refused: the end byte
 * makes truncation at a field boundary visible too. */
static void
test_truncated_or_extended_format_2 (void)
{
  DcIdentity id;
  g_autoptr(GBytes) good = NULL;
  gsize size;
  const guint8 *data;

  full_identity (&id);
  good = dc_identity_serialize (&id);
  data = g_bytes_get_data (good, &size);
  for (gsize cut = 0; cut < size; cut++)
    {
      if (cut == 0)
        assert_refused_with (g_bytes_new (data, cut), UNKNOWN_FORMAT);
      else
        assert_refused (g_bytes_new (data, cut));
    }
  for (guint extra = 0; extra < 256; extra++)
    {
      guint8 *longer = g_malloc (size + 1);

      memcpy (longer, data, size);
      longer[size] = (guint8) extra;
      assert_refused (g_bytes_new_take (longer, size + 1));
    }
}

/* Whether serialising @id writes every field as it is: the parser does not consult the
 * document table (a change to it must never make stored records unreadable), so a mutated
 * record may hold a number the serialiser would drop, or lack the passport number it would
 * take from the passport's own number. */
static gboolean
serializer_keeps (const DcIdentity *id)
{
  const DcDocType *type = dc_doc_type_lookup (id->doc_type);

  if (id->doc_number != NULL && (type == NULL || !type->number_allowed))
    return FALSE;
  return !(id->non_resident && id->passport_number == NULL && id->doc_number != NULL
           && g_strcmp0 (id->doc_type, "passport") == 0);
}

static gboolean
try_parse (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcIdentityRecord) record = dc_identity_record_new_from_bytes (bytes, &error);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (record == NULL)
    {
      g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
      return FALSE;
    }
  g_assert_no_error (error);
  /* Whatever was accepted must be usable. */
  {
    const DcIdentity *got = &record->identity;
    const char *strings[] = { got->doc_type, got->doc_number, got->name, got->kana, got->address,
                              got->supplementary_type, got->nationality, got->passport_number };

    for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
      if (strings[i] != NULL)
        g_assert_true (g_utf8_validate (strings[i], -1, NULL));
  }
  if (g_date_valid (&record->identity.dob))
    g_assert_cmpuint (g_date_get_year (&record->identity.dob), <=, 9999);
  if (data[0] == FORMAT_2)
    {
      g_autoptr(GBytes) again = dc_identity_serialize (&record->identity);

      /* in place, and canonical: one identity, one byte string */
      assert_strings_in (record, data, size);
      if (serializer_keeps (&record->identity))
        g_assert_true (g_bytes_equal (again, bytes));
    }
  return TRUE;
}

static void
test_fuzz (gconstpointer format_data)
{
  Format format = GPOINTER_TO_INT (format_data);
  DcIdentity id;
  g_autoptr(GBytes) good = NULL;
  gsize good_size;
  const guint8 *good_data;
  guint n = 50000;
  guint accepted = 0;

  full_identity (&id);
  good = serialize_as (format, &id);
  good_data = g_bytes_get_data (good, &good_size);

  for (guint i = 0; i < n; i++)
    {
      guint8 buffer[512];
      gsize size;

      if (i % 2 == 0)
        {
          /* random, mostly with the right version byte to get past the first gate */
          size = (gsize) g_test_rand_int_range (0, 200);
          for (gsize k = 0; k < size; k++)
            buffer[k] = (guint8) g_test_rand_int_range (0, 256);
          if (size > 0 && i % 8 != 0)
            buffer[0] = (guint8) format;
        }
      else
        {
          /* mutations of a valid record: flipped bytes, truncation, insertion */
          guint mutations = (guint) g_test_rand_int_range (1, 6);

          memcpy (buffer, good_data, good_size);
          size = good_size;
          for (guint m = 0; m < mutations; m++)
            {
              gsize at = (gsize) g_test_rand_int_range (0, (gint32) size);

              switch (g_test_rand_int_range (0, 3))
                {
                case 0:
                  buffer[at] ^= (guint8) (1u << g_test_rand_int_range (0, 8));
                  break;
                case 1:
                  size = at + 1;
                  break;
                default:
                  if (size < sizeof buffer)
                    {
                      memmove (buffer + at + 1, buffer + at, size - at);
                      buffer[at] = (guint8) g_test_rand_int_range (0, 256);
                      size++;
                    }
                  break;
                }
            }
        }
      {
        /* an exact-size heap copy, so that valgrind sees any read past the end */
        g_autoptr(GBytes) bytes = g_bytes_new (buffer, size);

        accepted += try_parse (bytes);
      }
    }
  /* Both paths ran: mutations that keep the form valid, and refusals. */
  g_test_message ("fuzz: %u of %u accepted", accepted, n);
  g_assert_cmpuint (accepted, >, 0);
  g_assert_cmpuint (accepted, <, n);
}

static void
add_for_both_formats (const char *path, GTestDataFunc func)
{
  for (Format format = FORMAT_1; format <= FORMAT_2; format++)
    {
      g_autofree char *full = g_strdup_printf ("%s/format-%d", path, format);

      g_test_add_data_func (full, GINT_TO_POINTER (format), func);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/identity/table/documents", test_table);
  g_test_add_func ("/identity/table/supplementary", test_supplementary_table);
  g_test_add_func ("/identity/init", test_init);
  for (gsize i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/identity/check/", check_cases[i].path, NULL);

      g_test_add_data_func (path, &check_cases[i], test_check_case);
    }
  g_test_add_func ("/identity/check/forbidden-message-hides-number", test_forbidden_message_hides_number);
  g_test_add_func ("/identity/check/my-number-in-address", test_my_number_in_address);
  g_test_add_func ("/identity/check/my-number-check-digit", test_my_number_check_digit);
  g_test_add_func ("/identity/check/expired-message", test_expired_message);
  g_test_add_func ("/identity/check/lengths", test_lengths);
  g_test_add_func ("/identity/check/null-bad-field", test_null_bad_field);
  add_for_both_formats ("/identity/serialize/round-trip", test_round_trip);
  add_for_both_formats ("/identity/serialize/round-trip-sparse", test_round_trip_sparse);
  add_for_both_formats ("/identity/serialize/passport-typed-once", test_round_trip_passport_once);
  add_for_both_formats ("/identity/serialize/no-forbidden-number", test_forbidden_number_never_serialised);
  add_for_both_formats ("/identity/serialize/record-in-caller-secure-memory", test_record_in_caller_secure_memory);
  add_for_both_formats ("/identity/serialize/fuzz", test_fuzz);
  g_test_add_func ("/identity/serialize/every-combination", test_every_combination);
  g_test_add_func ("/identity/serialize/overlong-string", test_overlong_string);
  g_test_add_func ("/identity/serialize/known-answer/format-1", test_known_answer_format_1);
  g_test_add_func ("/identity/serialize/known-answer/format-2", test_known_answer_format_2);
  g_test_add_func ("/identity/serialize/record-stays-in-secure-memory/format-1", test_record_stays_secure_format_1);
  g_test_add_func ("/identity/serialize/record-stays-in-place/format-2", test_record_stays_secure_format_2);
  g_test_add_func ("/identity/serialize/unknown-format", test_unknown_format);
  g_test_add_func ("/identity/serialize/malformed/format-1", test_malformed_format_1);
  for (gsize i = 0; i < G_N_ELEMENTS (flat_malformed); i++)
    {
      g_autofree char *path = g_strconcat ("/identity/serialize/malformed/format-2/", flat_malformed[i].what, NULL);

      g_test_add_data_func (path, &flat_malformed[i], test_malformed_format_2);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (flat_valid); i++)
    {
      g_autofree char *path = g_strconcat ("/identity/serialize/valid/format-2/", flat_valid[i].what, NULL);

      g_test_add_data_func (path, &flat_valid[i], test_valid_format_2);
    }
  g_test_add_func ("/identity/serialize/truncated-or-extended/format-2", test_truncated_or_extended_format_2);

  return g_test_run ();
}
