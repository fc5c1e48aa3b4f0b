/* tests/test-ui-checkin.c — the check-in dialog: fields that follow the document, inline checks, refusals, Ctrl+F. */
#include "dc-ui-test.h"
#include "dc-card.h"
#include "dc-card-dialog.h"
#include "dc-checkin-dialog.h"
#include "dc-counter-page.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

/* One store for the whole program (creating one costs about a second): each case uses
 * its own customers and terminals, so the cases do not depend on their order. */
typedef struct {
  gint64     clock;
  DcWindow  *window;
  DcSession *session;
} Fixture;

typedef struct {
  guint  count;
  gint64 visit;
  char  *member;
  char  *terminal;
} CheckedIn;

static void
on_checked_in (DcCheckinDialog *dialog, gint64 visit, const char *member, const char *terminal, CheckedIn *seen)
{
  seen->count++;
  seen->visit = visit;
  g_free (seen->member);
  g_free (seen->terminal);
  seen->member = g_strdup (member);
  seen->terminal = g_strdup (terminal);
}

static void
checked_in_clear (CheckedIn *seen)
{
  g_free (seen->member);
  g_free (seen->terminal);
}

static DcCheckinDialog *
open_dialog (Fixture *fx, const char *terminal, CheckedIn *seen)
{
  DcCheckinDialog *dialog = dc_checkin_dialog_new (GTK_WINDOW (fx->window), fx->session, terminal);

  if (seen != NULL)
    g_signal_connect (dialog, "checked-in", G_CALLBACK (on_checked_in), seen);
  gtk_window_present (GTK_WINDOW (dialog));
  /* slow runs (valgrind) take a while to map and lay out a new window */
  for (guint i = 0; i < 100 && (!gtk_widget_get_mapped (GTK_WIDGET (dialog))
                                || gtk_widget_get_width (GTK_WIDGET (dialog)) == 0); i++)
    dc_ui_test_pump (50);
  dc_ui_test_pump (50);
  return dialog;
}

static GtkWidget *
child (DcCheckinDialog *dialog, const char *id)
{
  GtkWidget *widget = dc_ui_test_find_by_name (GTK_WIDGET (dialog), id);

  g_assert_nonnull (widget);
  return widget;
}

static void
type (DcCheckinDialog *dialog, const char *id, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, id)), text);
}

static const char *
text_of (DcCheckinDialog *dialog, const char *id)
{
  GtkWidget *widget = child (dialog, id);

  return GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : gtk_editable_get_text (GTK_EDITABLE (widget));
}

/* Pick the item of a combo row whose shown text starts with @shown. */
static void
choose (DcCheckinDialog *dialog, const char *id, const char *shown)
{
  AdwComboRow *row = ADW_COMBO_ROW (child (dialog, id));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_has_prefix (gtk_string_object_get_string (item), shown))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("no item “%s” in %s", shown, id);
}

static void
choose_doc (DcCheckinDialog *dialog, const char *code)
{
  choose (dialog, "doc_type_row", _(dc_doc_type_lookup (code)->label));
}

/* The terminal label now selected (the shown text may carry a "filtered" mark). */
static char *
chosen_terminal (DcCheckinDialog *dialog)
{
  AdwComboRow *row = ADW_COMBO_ROW (child (dialog, "terminal_row"));
  GtkStringObject *item = adw_combo_row_get_selected_item (row);
  const char *shown;

  if (item == NULL)
    return NULL;
  shown = gtk_string_object_get_string (item);
  return g_strndup (shown, strcspn (shown, " （("));
}

/* Under valgrind the renderer is too slow to be waited for: DAICHO_TEST_NO_SCREENSHOTS=1. */
static void
shoot (DcCheckinDialog *dialog, const char *name)
{
  if (g_getenv ("DAICHO_TEST_NO_SCREENSHOTS") == NULL)
    g_free (dc_ui_test_screenshot (GTK_WIDGET (dialog), name));
}

static void
scroll_to_end (DcCheckinDialog *dialog)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child (dialog, "form_scroller")));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  dc_ui_test_pump (50);
}

static gboolean
save_enabled (DcCheckinDialog *dialog)
{
  return gtk_widget_get_sensitive (child (dialog, "save_button"));
}

static void
click_save (DcCheckinDialog *dialog)
{
  g_assert_true (save_enabled (dialog));
  g_signal_emit_by_name (child (dialog, "save_button"), "clicked");
  dc_ui_test_pump (50);
}

static void
press_enter (DcCheckinDialog *dialog, const char *id)
{
  g_signal_emit_by_name (child (dialog, id), "entry-activated");
  dc_ui_test_pump (50);
}

/* The terminal @label on the board now (caller frees the board). */
static const DcBoardTerminal *
board_terminal (DcBoard *board, const char *label)
{
  for (guint i = 0; i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);

      if (g_strcmp0 (t->label, label) == 0)
        return t;
    }
  g_error ("no terminal %s", label);
}

static DcBoard *
read_board (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  DcBoard *board = dc_session_read_board (fx->session, &error);

  g_assert_no_error (error);
  return board;
}

static guint
n_visits (Fixture *fx)
{
  g_autoptr(DcBoard) board = read_board (fx);

  return board->visits->len;
}

static gboolean
shown (DcCheckinDialog *dialog, const char *id)
{
  return gtk_widget_is_visible (child (dialog, id));
}

static void
assert_error_shown (DcCheckinDialog *dialog, const char *field, const char *contains)
{
  g_autofree char *note = g_strconcat (field, "_note", NULL);
  g_autofree char *label = g_strconcat (field, "_note_label", NULL);
  g_autofree char *row = g_strconcat (field, "_row", NULL);

  g_assert_true (shown (dialog, note));
  g_assert_true (gtk_widget_has_css_class (child (dialog, label), "field-error"));
  g_assert_true (gtk_widget_has_css_class (child (dialog, row), "error"));
  if (contains != NULL && strstr (text_of (dialog, label), contains) == NULL)
    g_error ("%s says “%s”, without “%s”", label, text_of (dialog, label), contains);
}

/* A licence holder's form, everything but the terminal. */
static void
fill_licence (DcCheckinDialog *dialog, const char *name, const char *kana, const char *dob)
{
  choose_doc (dialog, "drivers_license");
  type (dialog, "doc_number_row", "012345678901");
  type (dialog, "expiry_row", "R10.5.1");
  type (dialog, "name_row", name);
  type (dialog, "kana_row", kana);
  type (dialog, "dob_row", dob);
  type (dialog, "address_row", "東京都新宿区西新宿2-8-1");
}

/* Check someone in (or out) behind the dialog's back, as another clerk would. */
static char *
checkin_directly (Fixture *fx, const char *name, const char *dob, const char *terminal)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  char *member;

  dc_identity_init (&request.identity);
  request.identity.doc_type = "passport";
  request.identity.doc_number = "TK1234567";
  g_date_set_dmy (&request.identity.doc_expiry, 1, 1, 2030);
  request.identity.name = name;
  request.identity.kana = "テスト";
  g_assert_true (dc_date_parse (dob, &request.identity.dob, NULL));
  request.identity.address = "東京都渋谷区1-1";
  g_assert_true (dc_checkin (dc_session_get_store (fx->session), dc_session_get_actor (fx->session), &request,
                             &result, &error));
  g_assert_no_error (error);
  member = g_steal_pointer (&result.member_number);
  dc_checkin_result_clear (&result);
  return member;
}

static void
test_new_customer (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  CheckedIn seen = { 0 };
  DcCheckinDialog *dialog;
  g_autoptr(DcBoard) board = NULL;
  const DcBoardTerminal *pc01;

  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  dialog = open_dialog (fx, NULL, &seen);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  /* an empty form: nothing to save, and nobody is shouted at */
  g_assert_false (save_enabled (dialog));
  for (const char *const *f = (const char *const[]) { "name_note", "kana_note", "dob_note", "address_note", NULL };
       *f != NULL; f++)
    g_assert_false (shown (dialog, *f));
  shoot (dialog, "checkin");

  fill_licence (dialog, "山田 太郎", "ヤマダ タロウ", "H2.4.1");
  /* the date of birth as the parser read it, with the age */
  g_assert_true (shown (dialog, "dob_note"));
  g_assert_nonnull (strstr (text_of (dialog, "dob_note_label"), "平成2年4月1日"));
  g_assert_nonnull (strstr (text_of (dialog, "dob_note_label"), "1990-04-01"));
  g_assert_nonnull (strstr (text_of (dialog, "dob_note_label"), "36"));
  g_assert_false (shown (dialog, "minor_badge"));
  choose (dialog, "terminal_row", "PC-01");
  g_assert_true (save_enabled (dialog));
  shoot (dialog, "checkin-filled");
  scroll_to_end (dialog);
  shoot (dialog, "checkin-filled-end");

  /* Enter in any field saves a valid form */
  press_enter (dialog, "address_row");
  g_assert_null (dialog);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpstr (seen.terminal, ==, "PC-01");
  g_assert_nonnull (seen.member);
  g_assert_cmpint (seen.visit, >, 0);

  board = read_board (fx);
  pc01 = board_terminal (board, "PC-01");
  g_assert_cmpint (pc01->state, ==, DC_TERMINAL_IN_USE);
  g_assert_cmpint (pc01->visit_id, ==, seen.visit);
  g_assert_cmpstr (pc01->member_number, ==, seen.member);
  g_assert_false (pc01->minor);
  checked_in_clear (&seen);
}

static void
test_no_number_field (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  CheckedIn seen = { 0 };
  DcCheckinDialog *dialog;
  const char *law = _(dc_doc_type_lookup ("my_number_card")->number_law);
  const char *insurance_law = _(dc_doc_type_lookup ("qualification_cert")->number_law);
  GtkWidget *note;

  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  dialog = open_dialog (fx, NULL, &seen);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  /* a number typed for a licence is dropped when the clerk switches to the My Number card */
  choose_doc (dialog, "drivers_license");
  g_assert_true (shown (dialog, "doc_number_row"));
  g_assert_null (dc_ui_test_find_label (GTK_WIDGET (dialog), law));
  type (dialog, "doc_number_row", "123456789018");
  choose_doc (dialog, "my_number_card");
  dc_ui_test_pump (20);
  g_assert_false (gtk_widget_get_visible (child (dialog, "doc_number_row")));
  g_assert_false (gtk_widget_get_mapped (child (dialog, "doc_number_row")));
  g_assert_cmpstr (text_of (dialog, "doc_number_row"), ==, "");
  note = dc_ui_test_find_label (GTK_WIDGET (dialog), law);
  g_assert_nonnull (note);
  g_assert_true (gtk_widget_is_visible (note));
  g_assert_true (gtk_widget_has_css_class (child (dialog, "no_number_row"), "no-number-note"));
  g_assert_true (shown (dialog, "expiry_row"));
  g_assert_false (shown (dialog, "issued_row"));

  type (dialog, "expiry_row", "2031-08-31");
  type (dialog, "name_row", "佐藤 花子");
  type (dialog, "kana_row", "サトウ ハナコ");
  type (dialog, "dob_row", "S60.10.10");
  type (dialog, "address_row", "東京都中野区中野4-1-1");
  choose (dialog, "terminal_row", "PC-02");
  g_assert_true (save_enabled (dialog));
  shoot (dialog, "checkin-mynumber");

  /* the insurance certificate: no number either, and an expiry or an issue date */
  choose_doc (dialog, "qualification_cert");
  g_assert_false (shown (dialog, "doc_number_row"));
  g_assert_nonnull (dc_ui_test_find_label (GTK_WIDGET (dialog), insurance_law));
  g_assert_true (shown (dialog, "expiry_row"));
  g_assert_true (shown (dialog, "issued_row"));
  /* a copy of the resident record: a number, and an issue date only */
  choose_doc (dialog, "resident_record_copy");
  g_assert_true (shown (dialog, "doc_number_row"));
  g_assert_false (shown (dialog, "no_number_row"));
  g_assert_false (shown (dialog, "expiry_row"));
  g_assert_true (shown (dialog, "issued_row"));

  choose_doc (dialog, "my_number_card");
  click_save (dialog);
  g_assert_null (dialog);
  g_assert_cmpstr (seen.terminal, ==, "PC-02");
  checked_in_clear (&seen);
}

static void
test_minor (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  CheckedIn seen = { 0 };
  DcCheckinDialog *dialog;
  g_autoptr(DcBoard) board = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint visits;

  /* 23:30: a 17-year-old is refused with the curfew, and nothing is written */
  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 23, 30);
  visits = n_visits (fx);
  dialog = open_dialog (fx, NULL, &seen);
  choose_doc (dialog, "student_id");
  type (dialog, "doc_number_row", "S2024-0815");
  type (dialog, "issued_row", "R8.9.1");
  type (dialog, "name_row", "鈴木 一郎");
  type (dialog, "kana_row", "すずき いちろう");
  type (dialog, "dob_row", "2009-06-01");
  type (dialog, "address_row", "東京都杉並区高円寺南3-1");
  g_assert_true (shown (dialog, "minor_badge"));
  click_save (dialog);
  g_assert_true (shown (dialog, "refusal_label"));
  g_assert_nonnull (strstr (text_of (dialog, "refusal_label"), "23:00–04:00"));
  g_assert_cmpuint (seen.count, ==, 0);
  g_assert_cmpuint (n_visits (fx), ==, visits);
  /* everything typed is kept */
  g_assert_cmpstr (text_of (dialog, "name_row"), ==, "鈴木 一郎");
  g_assert_cmpstr (text_of (dialog, "dob_row"), ==, "2009-06-01");
  shoot (dialog, "checkin-error");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  shoot (dialog, "checkin-error-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* 16:00: the suggestion moves to a filtered terminal once the date of birth says minor */
  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  dialog = open_dialog (fx, NULL, &seen);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  board = read_board (fx);
  before = chosen_terminal (dialog);
  g_assert_nonnull (before);
  g_assert_false (board_terminal (board, before)->filtered);
  choose_doc (dialog, "student_id");
  type (dialog, "doc_number_row", "S2024-0815");
  type (dialog, "issued_row", "R8.9.1");
  type (dialog, "name_row", "鈴木 一郎");
  type (dialog, "kana_row", "すずき いちろう");
  type (dialog, "dob_row", "H21.6.1");
  type (dialog, "address_row", "東京都杉並区高円寺南3-1");
  g_assert_true (shown (dialog, "minor_badge"));
  after = chosen_terminal (dialog);
  g_assert_cmpstr (after, ==, "PC-04");
  click_save (dialog);
  g_assert_null (dialog);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpstr (seen.terminal, ==, "PC-04");
  g_clear_pointer (&board, dc_board_free);
  board = read_board (fx);
  g_assert_cmpint (board_terminal (board, "PC-04")->state, ==, DC_TERMINAL_IN_USE);
  g_assert_true (board_terminal (board, "PC-04")->minor);
  checked_in_clear (&seen);
}

static void
test_busy_terminal (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  CheckedIn seen = { 0 };
  DcCheckinDialog *dialog;
  g_autofree char *other = NULL;
  g_autofree char *now = NULL;
  guint visits;

  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  dialog = open_dialog (fx, "PC-03", &seen);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  now = chosen_terminal (dialog);
  g_assert_cmpstr (now, ==, "PC-03");
  fill_licence (dialog, "高橋 次郎", "タカハシ ジロウ", "1988-02-29");

  /* another clerk gives PC-03 away while this form is open */
  other = checkin_directly (fx, "伊藤 三郎", "1979-12-01", "PC-03");
  visits = n_visits (fx);
  click_save (dialog);
  g_assert_nonnull (dialog);
  g_assert_cmpuint (seen.count, ==, 0);
  g_assert_cmpuint (n_visits (fx), ==, visits);
  g_assert_true (shown (dialog, "refusal_label"));
  g_assert_nonnull (strstr (text_of (dialog, "refusal_label"), "PC-03"));
  g_assert_cmpstr (text_of (dialog, "name_row"), ==, "高橋 次郎");
  /* the list is read again: PC-03 is gone and a free terminal is offered */
  g_clear_pointer (&now, g_free);
  now = chosen_terminal (dialog);
  g_assert_nonnull (now);
  g_assert_cmpstr (now, !=, "PC-03");
  click_save (dialog);
  g_assert_null (dialog);
  g_assert_cmpstr (seen.terminal, ==, now);

  /* the person on PC-03 cannot be checked in a second time */
  dialog = open_dialog (fx, NULL, &seen);
  choose_doc (dialog, "passport");
  type (dialog, "doc_number_row", "TK1234567");
  type (dialog, "expiry_row", "2030-01-01");
  type (dialog, "name_row", "伊藤　三郎");
  type (dialog, "kana_row", "イトウ サブロウ");
  type (dialog, "dob_row", "S54.12.1");
  type (dialog, "address_row", "東京都渋谷区1-1");
  visits = n_visits (fx);
  click_save (dialog);
  g_assert_true (shown (dialog, "refusal_label"));
  g_assert_nonnull (strstr (text_of (dialog, "refusal_label"), other));
  g_assert_cmpuint (n_visits (fx), ==, visits);
  g_assert_cmpuint (seen.count, ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
  checked_in_clear (&seen);
}

static void
test_inline_errors (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  DcCheckinDialog *dialog;
  guint visits;

  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  visits = n_visits (fx);
  dialog = open_dialog (fx, NULL, NULL);
  choose_doc (dialog, "drivers_license");
  g_assert_false (shown (dialog, "expiry_note"));

  /* an expired licence is said under its expiry date as soon as it is typed */
  type (dialog, "expiry_row", "R7.1.1");
  assert_error_shown (dialog, "expiry", "2025-01-01");
  g_assert_false (save_enabled (dialog));
  /* the fields not yet touched stay quiet */
  g_assert_false (shown (dialog, "name_note"));
  g_assert_false (gtk_widget_has_css_class (child (dialog, "name_row"), "error"));

  /* later fields are checked too, whatever comes before them */
  type (dialog, "kana_row", "Yamada");
  assert_error_shown (dialog, "kana", NULL);
  type (dialog, "dob_row", "H2.13.1");
  assert_error_shown (dialog, "dob", NULL);
  type (dialog, "dob_row", "H2.4.1");
  g_assert_false (gtk_widget_has_css_class (child (dialog, "dob_note_label"), "field-error"));
  g_assert_nonnull (strstr (text_of (dialog, "dob_note_label"), "1990-04-01"));

  /* a valid date shows as read */
  type (dialog, "expiry_row", "R10.1.1");
  g_assert_true (shown (dialog, "expiry_note"));
  g_assert_false (gtk_widget_has_css_class (child (dialog, "expiry_note_label"), "field-error"));
  g_assert_nonnull (strstr (text_of (dialog, "expiry_note_label"), "2028-01-01"));

  /* a number that is forbidden anywhere is refused inline, e.g. a My Number in the address */
  type (dialog, "address_row", "東京都新宿区 123456789018");
  assert_error_shown (dialog, "address", NULL);

  /* the address differs: the supplementary document is asked for */
  g_assert_false (shown (dialog, "supplementary_row"));
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "differs_switch")), TRUE);
  g_assert_true (shown (dialog, "supplementary_row"));
  g_assert_true (shown (dialog, "supplementary_date_row"));
  /* a foreign visitor: nationality and passport, no address, and a passport is needed */
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "non_resident_switch")), TRUE);
  g_assert_false (shown (dialog, "address_row"));
  g_assert_false (shown (dialog, "supplementary_row"));
  g_assert_true (shown (dialog, "nationality_row"));
  g_assert_true (shown (dialog, "passport_row"));
  assert_error_shown (dialog, "doc_type", NULL);
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "non_resident_switch")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "differs_switch")), FALSE);
  type (dialog, "address_row", "東京都新宿区西新宿2-8-1");

  /* Enter on an incomplete form writes nothing and shows every problem */
  g_assert_false (shown (dialog, "name_note"));
  press_enter (dialog, "expiry_row");
  assert_error_shown (dialog, "name", NULL);
  assert_error_shown (dialog, "kana", NULL);
  g_assert_cmpuint (n_visits (fx), ==, visits);
  shoot (dialog, "checkin-inline");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_find (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  CheckedIn seen = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;
  DcCheckinDialog *dialog;
  GtkStack *stack;

  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);
  member = checkin_directly (fx, "中村 健", "1985-07-07", "PC-06");

  dialog = open_dialog (fx, NULL, &seen);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  stack = GTK_STACK (child (dialog, "stack"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "checkin.find", NULL));
  dc_ui_test_pump (20);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "find");

  /* other spacing, the date in 和暦: still the same person, who is inside now */
  type (dialog, "find_name_row", "中村健");
  type (dialog, "find_dob_row", "昭和60年7月7日");
  g_assert_nonnull (strstr (text_of (dialog, "find_dob_note_label"), "1985-07-07"));
  shoot (dialog, "checkin-find");
  press_enter (dialog, "find_dob_row");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "find");
  g_assert_nonnull (strstr (text_of (dialog, "find_status_label"), member));

  /* once they have left, they are found and the form follows for a fresh document check */
  g_assert_true (dc_checkout (dc_session_get_store (fx->session), dc_session_get_actor (fx->session), "PC-06", 0,
                              DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "checkin.search", NULL));
  dc_ui_test_pump (20);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "form");
  g_assert_true (shown (dialog, "found_label"));
  g_assert_nonnull (strstr (text_of (dialog, "found_label"), member));
  g_assert_cmpstr (text_of (dialog, "name_row"), ==, "中村健");
  g_assert_cmpstr (text_of (dialog, "dob_row"), ==, "昭和60年7月7日");
  g_assert_false (save_enabled (dialog));

  choose_doc (dialog, "drivers_license");
  type (dialog, "doc_number_row", "301234567890");
  type (dialog, "expiry_row", "R9.7.7");
  type (dialog, "kana_row", "ナカムラ ケン");
  type (dialog, "address_row", "東京都豊島区南池袋1-1");
  choose (dialog, "terminal_row", "PC-07");
  shoot (dialog, "checkin-found");
  click_save (dialog);
  g_assert_null (dialog);
  g_assert_cmpstr (seen.member, ==, member);
  g_assert_cmpstr (seen.terminal, ==, "PC-07");

  /* nobody on record: a new check-in with what was typed */
  dialog = open_dialog (fx, NULL, &seen);
  dc_checkin_dialog_set_find_mode (dialog, TRUE);
  type (dialog, "find_name_row", "小林 未登録");
  type (dialog, "find_dob_row", "H5.5.5");
  press_enter (dialog, "find_name_row");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (dialog, "stack"))), ==, "find");
  g_assert_true (shown (dialog, "find_status_label"));
  g_assert_true (shown (dialog, "find_new_button"));
  g_signal_emit_by_name (child (dialog, "find_new_button"), "clicked");
  dc_ui_test_pump (20);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (dialog, "stack"))), ==, "form");
  g_assert_cmpstr (text_of (dialog, "name_row"), ==, "小林 未登録");
  g_assert_cmpstr (text_of (dialog, "dob_row"), ==, "H5.5.5");
  gtk_window_destroy (GTK_WINDOW (dialog));
  checked_in_clear (&seen);
}

static void
test_address_cases (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  CheckedIn seen = { 0 };
  DcCheckinDialog *dialog;

  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);

  /* moved since the licence was issued: a recent utility bill shows the new address */
  dialog = open_dialog (fx, NULL, &seen);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  fill_licence (dialog, "渡辺 四郎", "ワタナベ シロウ", "1992-03-03");
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "differs_switch")), TRUE);
  g_assert_false (save_enabled (dialog));
  choose (dialog, "supplementary_row", _(dc_supplementary_type_lookup ("utility_bill")->label));
  type (dialog, "supplementary_date_row", "R8.3.1");
  assert_error_shown (dialog, "supplementary_date", NULL);
  type (dialog, "supplementary_date_row", "R8.10.1");
  g_assert_true (save_enabled (dialog));
  click_save (dialog);
  g_assert_null (dialog);
  g_assert_cmpuint (seen.count, ==, 1);

  /* a tourist: passport, nationality and passport number, no address and no kana needed */
  dialog = open_dialog (fx, NULL, &seen);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  choose_doc (dialog, "passport");
  type (dialog, "doc_number_row", "X12345678");
  type (dialog, "expiry_row", "2032-05-05");
  type (dialog, "name_row", "SMITH JOHN");
  type (dialog, "dob_row", "1980-05-05");
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "non_resident_switch")), TRUE);
  g_assert_false (save_enabled (dialog));
  /* the passport's own number is its passport number: not asked twice */
  g_assert_false (shown (dialog, "passport_row"));
  type (dialog, "nationality_row", "アメリカ合衆国");
  g_assert_true (save_enabled (dialog));
  shoot (dialog, "checkin-nonresident");
  click_save (dialog);
  g_assert_null (dialog);
  g_assert_cmpuint (seen.count, ==, 2);
  checked_in_clear (&seen);
}

/* Keyboard first: Ctrl+F finds, Escape cancels. */
static void
test_keys (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  DcCheckinDialog *dialog = open_dialog (fx, NULL, NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (dialog));
  gboolean find = FALSE, escape = FALSE;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      for (guint j = 0; GTK_IS_SHORTCUT_CONTROLLER (controller)
                        && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          find = find || (g_strcmp0 (trigger, "<Control>f") == 0 && g_strcmp0 (action, "action(checkin.find)") == 0);
          escape = escape || (g_strcmp0 (trigger, "Escape") == 0 && g_strcmp0 (action, "action(window.close)") == 0);
        }
    }
  g_assert_true (find);
  g_assert_true (escape);
  /* Enter is the dialog's default: the save button */
  g_assert_true (gtk_widget_has_default (child (dialog, "save_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  dc_ui_test_pump (20);
  g_assert_null (dialog);
}

/* ---- a new member leaves with a card: the counter's toast opens it ---- */

static GtkWindow *
find_toplevel (GType type)
{
  GList *windows = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = windows; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (windows);
  return found;
}

/* Check in through the counter page as F2 does; returns the toast's button, or NULL. */
static GtkWidget *
counter_checkin (Fixture *fx, const char *name, const char *kana, const char *dob)
{
  GtkWidget *page = dc_ui_test_find_by_type (GTK_WIDGET (fx->window), DC_TYPE_COUNTER_PAGE);
  GtkWidget *overlay;
  DcCheckinDialog *dialog;

  g_assert_nonnull (page);
  g_assert_true (gtk_widget_activate_action (page, "counter.checkin", NULL));
  dc_ui_test_pump (100);
  dialog = DC_CHECKIN_DIALOG (find_toplevel (DC_TYPE_CHECKIN_DIALOG));
  g_assert_nonnull (dialog);
  /* the suggested terminal is kept */
  fill_licence (dialog, name, kana, dob);
  press_enter (dialog, "address_row");
  dc_ui_test_pump (100);
  g_assert_null (find_toplevel (DC_TYPE_CHECKIN_DIALOG));
  overlay = dc_ui_test_find_by_name (page, "toasts");
  /* the toast says so, in whatever language: the words after the member number */
  g_assert_nonnull (dc_ui_test_find_label (overlay, g_strrstr (g_dgettext ("daicho", "%s: member %s checked in."), "%s") + 2));
  return dc_ui_test_find_button (overlay, g_dgettext ("daicho", "Member Card"));
}

static void
test_new_member_card (gconstpointer data)
{
  Fixture *fx = (Fixture *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;
  GtkWidget *button;
  GtkWindow *card;
  const char *payload;

  fx->clock = dc_ui_test_tokyo (2026, 11, 21, 17, 0);
  button = counter_checkin (fx, "港 花子", "ミナト ハナコ", "1988-07-07");
  g_assert_nonnull (button);
  if (g_getenv ("DAICHO_TEST_NO_SCREENSHOTS") == NULL)
    g_free (dc_ui_test_screenshot (GTK_WIDGET (fx->window), "counter-new-member-toast"));
  g_signal_emit_by_name (button, "clicked");
  dc_ui_test_pump (200);
  card = find_toplevel (DC_TYPE_CARD_DIALOG);
  g_assert_nonnull (card);
  payload = dc_card_dialog_get_payload (DC_CARD_DIALOG (card));
  g_assert_nonnull (payload);
  g_assert_cmpint (dc_card_check (dc_session_get_store (fx->session), dc_actor_vault (dc_session_get_actor (fx->session)),
                                  payload, &member, &error), ==, DC_CARD_VALID);
  g_assert_no_error (error);
  if (g_getenv ("DAICHO_TEST_NO_SCREENSHOTS") == NULL)
    g_free (dc_ui_test_screenshot (GTK_WIDGET (card), "counter-new-member-card"));
  gtk_window_destroy (card);
  dc_ui_test_pump (50);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  Fixture fx = { 0 };
  DcStore *store;
  int status;

  dc_ui_test_init (&argc, &argv);
  store = dc_ui_test_store (12, &fx.clock);
  tmp = g_path_get_dirname (dc_store_dir (store));
  fx.window = dc_window_new (NULL, "/nonexistent", store);
  fx.session = dc_window_get_session (fx.window);
  gtk_window_present (GTK_WINDOW (fx.window));
  g_assert_true (dc_session_sign_in (fx.session, DC_UI_TEST_CLERK, DC_UI_TEST_CLERK_PIN, &error));
  g_assert_no_error (error);
  dc_ui_test_pump (50);

  g_test_add_data_func ("/ui/checkin/new-customer", &fx, test_new_customer);
  g_test_add_data_func ("/ui/checkin/no-number-field", &fx, test_no_number_field);
  g_test_add_data_func ("/ui/checkin/minor", &fx, test_minor);
  g_test_add_data_func ("/ui/checkin/busy-terminal", &fx, test_busy_terminal);
  g_test_add_data_func ("/ui/checkin/inline-errors", &fx, test_inline_errors);
  g_test_add_data_func ("/ui/checkin/find", &fx, test_find);
  g_test_add_data_func ("/ui/checkin/address-cases", &fx, test_address_cases);
  g_test_add_data_func ("/ui/checkin/keys", &fx, test_keys);
  g_test_add_data_func ("/ui/checkin/new-member-card", &fx, test_new_member_card);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (fx.window));
  dc_ui_test_pump (50);
  dc_ui_test_remove_tree (tmp);
  return status;
}
