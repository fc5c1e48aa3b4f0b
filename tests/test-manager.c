/* tests/test-manager.c — manager actions: corrections by appending, staff off duty, terminals out of order. */
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-db-records.h"
#include "dc-date.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>

#define PASS "correct horse battery"

typedef struct {
  char    *dir;
  DcStore *store;
  DcActor *manager;
  DcActor *clerk;
  gint64   now;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  DcStoreSetup setup = { .name = "テスト店", .operator_name = "株式会社テスト", .prefecture = "tokyo",
                         .manager = "店長" };
  g_autofree char *store_dir = NULL;

  fx->dir = g_dir_make_tmp ("daicho-manager-XXXXXX", &error);
  g_assert_no_error (error);
  store_dir = g_build_filename (fx->dir, "store", NULL);
  fx->now = dc_test_tokyo (2026, 11, 21, 15, 0);
  fx->store = dc_test_store_create (store_dir, &setup, PASS, "1234", NULL);
  dc_test_store_use_clock (fx->store, &fx->now);
  fx->manager = dc_store_sign_in_passphrase (fx->store, "店長", PASS, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (fx->store, fx->manager, "佐藤", "counter", "1111", NULL, NULL, &error));
  g_assert_true (dc_store_add_terminal (fx->store, fx->manager, "PC-01", NULL, FALSE, NULL, &error));
  g_assert_true (dc_store_add_terminal (fx->store, fx->manager, "PC-02", NULL, TRUE, NULL, &error));
  g_assert_no_error (error);
  fx->clerk = dc_store_sign_in_pin (fx->store, "佐藤", "1111", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_pointer (&fx->clerk, dc_actor_free);
  g_clear_pointer (&fx->manager, dc_actor_free);
  g_clear_pointer (&fx->store, dc_store_free);
  dc_test_remove_tree (fx->dir);
  g_free (fx->dir);
}

static void
identity (DcIdentity *id, const char *name)
{
  dc_identity_init (id);
  id->doc_type = "drivers_license";
  id->doc_number = "123456789012";
  id->name = name;
  id->kana = "ヤマダ タロウ";
  id->address = "東京都新宿区西新宿2-8-1";
  g_date_set_dmy (&id->dob, 1, 4, 1990);
  g_date_set_dmy (&id->doc_expiry, 1, 5, 2028);
}

static gint64
check_in (Fixture *fx, const char *name, char **member)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest req = { .terminal = "PC-01", .internet = TRUE };
  DcCheckinResult result = { 0 };
  gint64 verification;

  identity (&req.identity, name);
  g_assert_true (dc_checkin (fx->store, fx->clerk, &req, &result, &error));
  g_assert_no_error (error);
  verification = result.verification_id;
  if (member != NULL)
    *member = g_strdup (result.member_number);
  dc_checkin_result_clear (&result);
  return verification;
}

static void
test_correct_appends (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;
  g_autofree char *found_member = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  DcVerificationRow row = { 0 };
  DcIdentity fixed;
  DcField field = DC_FIELD_NONE;
  gint64 old = check_in (fx, "山田 太朗", &member);
  gint64 corrected = 0;
  gboolean found = FALSE, inside = FALSE;

  /* a day later the manager fixes the typo in the name */
  fx->now += G_GINT64_CONSTANT (24 * 3600) * G_USEC_PER_SEC;
  identity (&fixed, "山田 太郎");
  g_assert_true (dc_correct_identity (fx->store, fx->manager, old, &fixed, "氏名の誤入力（朗→郎）", &corrected, &field,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (corrected, >, old);

  /* the old record is still there, untouched; the new one says what it supersedes and why */
  g_assert_true (dc_db_verification_get (dc_store_db (fx->store), corrected, &row, &found, &error));
  g_assert_true (found);
  g_assert_cmpint (row.supersedes, ==, old);
  g_assert_cmpstr (row.reason, ==, "氏名の誤入力（朗→郎）");
  g_assert_cmpint (row.recorder_id, ==, dc_actor_staff_id (fx->manager));
  dc_verification_row_clear (&row);
  record = dc_read_identity (fx->store, fx->manager, old, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->identity.name, ==, "山田 太朗");
  g_clear_pointer (&record, dc_identity_record_free);
  record = dc_read_identity (fx->store, fx->manager, corrected, &error);
  g_assert_cmpstr (record->identity.name, ==, "山田 太郎");

  /* the corrected name finds the same customer */
  g_assert_true (dc_find_person (fx->store, fx->clerk, "山田太郎", &fixed.dob, &found, &found_member, &inside, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpstr (found_member, ==, member);
  g_assert_true (inside);

  /* only the newest version can be corrected */
  g_assert_false (dc_correct_identity (fx->store, fx->manager, old, &fixed, "もう一度", &corrected, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  dc_test_assert_intact (fx->store);
}

static void
test_correct_refusals (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 old = check_in (fx, "山田 太郎", NULL);
  gint64 id = 0;
  DcIdentity fixed;
  DcField field = DC_FIELD_NONE;

  identity (&fixed, "山田 太郎");
  /* the counter cannot correct records */
  g_assert_false (dc_correct_identity (fx->store, fx->clerk, old, &fixed, "理由", &id, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  /* a reason is required */
  g_assert_false (dc_correct_identity (fx->store, fx->manager, old, &fixed, "", &id, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD);
  g_clear_error (&error);
  /* the correction obeys the document rules: no My Number, even in a correction */
  fixed.doc_type = "my_number_card";
  fixed.doc_number = "123456789012";
  g_assert_false (dc_correct_identity (fx->store, fx->manager, old, &fixed, "書類の種類の訂正", &id, &field, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_FORBIDDEN_NUMBER);
  g_assert_cmpint (field, ==, DC_FIELD_DOC_NUMBER);
  g_clear_error (&error);
  /* an unknown record */
  identity (&fixed, "山田 太郎");
  g_assert_false (dc_correct_identity (fx->store, fx->manager, 999, &fixed, "理由です", &id, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  dc_test_assert_intact (fx->store);
}

static void
test_staff_off_duty (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  DcActor *again;

  g_assert_true (dc_store_set_staff_active (fx->store, fx->manager, "佐藤", FALSE, &error));
  g_assert_no_error (error);
  again = dc_store_sign_in_pin (fx->store, "佐藤", "1111", &error);
  g_assert_null (again);
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dc_store_set_staff_active (fx->store, fx->manager, "店長", FALSE, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dc_store_set_staff_active (fx->store, fx->clerk, "店長", FALSE, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (dc_store_set_staff_active (fx->store, fx->manager, "佐藤", TRUE, &error));
  again = dc_store_sign_in_pin (fx->store, "佐藤", "1111", &error);
  g_assert_no_error (error);
  dc_actor_free (again);
  dc_test_assert_intact (fx->store);
}

static void
test_terminal_out_of_order (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest req = { .terminal = "PC-02", .internet = TRUE };
  DcCheckinResult result = { 0 };

  g_assert_true (dc_store_set_terminal_out_of_order (fx->store, fx->manager, "PC-02", TRUE, &error));
  g_assert_no_error (error);
  identity (&req.identity, "鈴木 花子");
  g_assert_false (dc_checkin (fx->store, fx->clerk, &req, &result, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE);
  g_clear_error (&error);

  /* a terminal in use cannot be taken out of service */
  check_in (fx, "山田 太郎", NULL);
  g_assert_false (dc_store_set_terminal_out_of_order (fx->store, fx->manager, "PC-01", TRUE, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY);
  g_clear_error (&error);
  g_assert_false (dc_store_set_terminal_out_of_order (fx->store, fx->manager, "PC-99", TRUE, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (dc_store_set_terminal_out_of_order (fx->store, fx->manager, "PC-02", FALSE, &error));
  g_assert_true (dc_checkin (fx->store, fx->clerk, &req, &result, &error));
  g_assert_no_error (error);
  dc_checkin_result_clear (&result);
  dc_test_assert_intact (fx->store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/manager/correct/appends", Fixture, NULL, fixture_set_up, test_correct_appends, fixture_tear_down);
  g_test_add ("/manager/correct/refusals", Fixture, NULL, fixture_set_up, test_correct_refusals, fixture_tear_down);
  g_test_add ("/manager/staff/off-duty", Fixture, NULL, fixture_set_up, test_staff_off_duty, fixture_tear_down);
  g_test_add ("/manager/terminal/out-of-order", Fixture, NULL, fixture_set_up, test_terminal_out_of_order,
              fixture_tear_down);
  return g_test_run ();
}
