/* tests/test-identity.c — the document table, the identity checks (ordinance.md §1.2, §2) and the sealed format. */
#include "dc-identity.h"

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

/* A decrypted record stays in sodium_malloc memory: GVariant reads it in place (it copies
 * data that is not aligned into ordinary heap memory, which is never wiped). A sodium_malloc
 * buffer ends against its guard page: the variant's data must end there too. */
static void
test_record_stays_secure (void)
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
      bytes = dc_identity_serialize (&id);
      record = dc_identity_record_new_from_bytes (bytes, &error);
      g_assert_no_error (error);
      data = g_variant_get_data (record->variant);
      size = g_variant_get_size (record->variant);
      g_assert_true ((const char *) record->identity.name >= (const char *) data
                     && (const char *) record->identity.name < (const char *) data + size);
      g_assert_cmpuint (((guintptr) data + ((size + 15) & ~(gsize) 15)) % page, ==, 0);
    }
}

static void
test_round_trip (void)
{
  DcIdentity id;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const DcIdentity *got;

  full_identity (&id);
  id.name = " 山田 太郎　"; /* stored trimmed */
  bytes = dc_identity_serialize (&id);
  record = dc_identity_record_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  got = &record->identity;

  g_assert_cmpstr (got->doc_type, ==, id.doc_type);
  g_assert_cmpstr (got->doc_number, ==, id.doc_number);
  assert_date_equal (&got->doc_expiry, &id.doc_expiry);
  assert_date_equal (&got->doc_issued, &id.doc_issued);
  g_assert_cmpstr (got->name, ==, "山田 太郎");
  g_assert_cmpstr (got->kana, ==, id.kana);
  assert_date_equal (&got->dob, &id.dob);
  g_assert_cmpstr (got->address, ==, id.address);
  g_assert_true (got->address_differs);
  g_assert_cmpstr (got->supplementary_type, ==, id.supplementary_type);
  assert_date_equal (&got->supplementary_date, &id.supplementary_date);
  g_assert_true (got->non_resident);
  g_assert_cmpstr (got->nationality, ==, id.nationality);
  g_assert_cmpstr (got->passport_number, ==, id.passport_number);
}

static void
test_round_trip_sparse (void)
{
  DcIdentity id;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;

  base_identity (&id);
  id.address = "   "; /* nothing to keep */
  bytes = dc_identity_serialize (&id);
  record = dc_identity_record_new_from_bytes (bytes, NULL);
  g_assert_nonnull (record);
  g_assert_null (record->identity.address);
  g_assert_null (record->identity.nationality);
  g_assert_false (g_date_valid (&record->identity.doc_issued));
  g_assert_false (record->identity.non_resident);
}

/* A non-resident's passport typed once, as the document number, is kept as the passport number. */
static void
test_round_trip_passport_once (void)
{
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
  bytes = dc_identity_serialize (&id);
  record = dc_identity_record_new_from_bytes (bytes, NULL);
  g_assert_nonnull (record);
  g_assert_cmpstr (record->identity.passport_number, ==, "TK1234567");
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
test_forbidden_number_never_serialised (void)
{
  static const char *const types[] = { "my_number_card", "qualification_cert",
                                       "health_insurance_card", "notification_card",
                                       "unknown" };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      DcIdentity id;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(DcIdentityRecord) record = NULL;

      base_identity (&id);
      id.doc_type = types[i];
      id.doc_number = "123456789018";
      bytes = dc_identity_serialize (&id);
      g_assert_false (bytes_contain (bytes, "123456789018"));
      g_assert_false (bytes_contain (bytes, "doc_number"));
      record = dc_identity_record_new_from_bytes (bytes, NULL);
      g_assert_nonnull (record);
      g_assert_null (record->identity.doc_number);
      g_assert_cmpstr (record->identity.doc_type, ==, types[i]);
    }
}

/* Pins format version 1: changing it breaks every sealed record in every store. */
static void
test_known_answer (void)
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
  g_autofree char *hex = NULL;
  gsize size;
  const guint8 *data;
  GString *s;

  dc_identity_init (&id);
  id.doc_type = "passport";
  id.doc_number = "TK1234567";
  set_date (&id.doc_expiry, "2030-01-02");
  id.name = "Jane Doe";
  set_date (&id.dob, "1985-07-08");
  id.non_resident = TRUE;
  id.nationality = "USA";
  id.passport_number = "TK1234567";
  bytes = dc_identity_serialize (&id);

  data = g_bytes_get_data (bytes, &size);
  s = g_string_new (NULL);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (s, "%02x", data[i]);
  hex = g_string_free (s, FALSE);
  g_test_message ("serialised: %s", hex);
  g_assert_cmpstr (hex, ==, expected_hex);
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

static void
assert_refused (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcIdentityRecord) record = dc_identity_record_new_from_bytes (bytes, &error);

  g_assert_null (record);
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_bytes_unref (bytes);
}

static void
test_malformed (void)
{
  DcIdentity id;
  g_autoptr(GBytes) good = NULL;
  gsize size;
  const guint8 *data;
  guint8 *copy;

  assert_refused (g_bytes_new (NULL, 0));
  assert_refused (g_bytes_new ("\x02", 1));
  /* wrong version */
  base_identity (&id);
  good = dc_identity_serialize (&id);
  data = g_bytes_get_data (good, &size);
  copy = g_memdup2 (data, size);
  copy[0] = 2;
  assert_refused (g_bytes_new_take (copy, size));
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

static gboolean
try_parse (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcIdentityRecord) record = dc_identity_record_new_from_bytes (bytes, &error);

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
  return TRUE;
}

static void
test_fuzz (void)
{
  DcIdentity id;
  g_autoptr(GBytes) good = NULL;
  gsize good_size;
  const guint8 *good_data;
  guint n = 50000;
  guint accepted = 0;

  full_identity (&id);
  good = dc_identity_serialize (&id);
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
            buffer[0] = 1;
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
        g_autoptr(GBytes) bytes = g_bytes_new (buffer, size);

        accepted += try_parse (bytes);
      }
    }
  /* Both paths ran: mutations that keep the form valid, and refusals. */
  g_test_message ("fuzz: %u of %u accepted", accepted, n);
  g_assert_cmpuint (accepted, >, 0);
  g_assert_cmpuint (accepted, <, n);
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
  g_test_add_func ("/identity/serialize/round-trip", test_round_trip);
  g_test_add_func ("/identity/serialize/round-trip-sparse", test_round_trip_sparse);
  g_test_add_func ("/identity/serialize/passport-typed-once", test_round_trip_passport_once);
  g_test_add_func ("/identity/serialize/no-forbidden-number", test_forbidden_number_never_serialised);
  g_test_add_func ("/identity/serialize/known-answer", test_known_answer);
  g_test_add_func ("/identity/serialize/record-stays-in-secure-memory", test_record_stays_secure);
  g_test_add_func ("/identity/serialize/malformed", test_malformed);
  g_test_add_func ("/identity/serialize/fuzz", test_fuzz);

  return g_test_run ();
}
