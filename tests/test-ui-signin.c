/* tests/test-ui-signin.c — the sign-in page: name and PIN pad, wrong PINs, lock-out and unlock, nothing shown when locked. */
#include "dc-checkin.h"
#include "dc-signin-page.h"
#include "dc-ui-test.h"
#include "dc-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#define WRONG_PIN "9999"

typedef struct {
  gint64     clock;
  char      *tmp_dir;   /* holds the store; removed at the end */
  DcWindow  *window;
  DcSession *session;
  GtkWidget *page;
} Fixture;

static void
fixture_open (Fixture *f, DcStore *store)
{
  f->tmp_dir = g_path_get_dirname (dc_store_dir (store));
  f->window = dc_window_new (NULL, "/nonexistent", store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1366, 768);
  f->session = dc_window_get_session (f->window);
  f->page = dc_ui_test_find_by_type (GTK_WIDGET (f->window), DC_TYPE_SIGNIN_PAGE);
  g_assert_nonnull (f->page);
  gtk_window_present (GTK_WINDOW (f->window));
  dc_ui_test_pump (100);
  g_assert_cmpstr (dc_window_get_page (f->window), ==, "signin");
}

static void
fixture_setup (Fixture *f)
{
  fixture_open (f, dc_ui_test_store (4, &f->clock));
}

static void
fixture_teardown (Fixture *f)
{
  GtkWidget *page = f->page;
  DcSession *session = f->session;

  /* the page and the session it holds go with the window: nothing keeps the store open */
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  gtk_window_destroy (GTK_WINDOW (f->window));
  dc_ui_test_pump (10);
  g_assert_null (page);
  g_assert_null (session);
  dc_ui_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
}

static GtkWidget *
find (Fixture *f, const char *id)
{
  GtkWidget *widget = dc_ui_test_find_by_name (f->page, id);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
pin_text (Fixture *f)
{
  return gtk_editable_get_text (GTK_EDITABLE (find (f, "pin_entry")));
}

static GtkLabel *
error_label (Fixture *f)
{
  return GTK_LABEL (find (f, "error_label"));
}

static GtkWidget *
staff_row (Fixture *f, const char *name)
{
  GtkWidget *label = dc_ui_test_find_label (find (f, "staff_list"), name);

  g_assert_nonnull (label);
  return gtk_widget_get_ancestor (label, GTK_TYPE_LIST_BOX_ROW);
}

static void
pick (Fixture *f, const char *name)
{
  GtkWidget *row = staff_row (f, name);

  g_assert_true (gtk_widget_activate (row));
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
}

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkWidget *
pad_button (Fixture *f, char digit)
{
  char label[2] = { digit, '\0' };
  GtkWidget *button = dc_ui_test_find_button (f->page, label);

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, label);
  return button;
}

static void
press_pad (Fixture *f, const char *digits)
{
  for (const char *d = digits; *d != '\0'; d++)
    click (pad_button (f, *d));
}

/* Sign-in runs from a short timeout and re-enables the pad from an idle: wait for both. */
static void
wait_ready (Fixture *f)
{
  GtkWidget *ok = find (f, "ok_button");
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;   /* Argon2 is slow under valgrind */

  dc_ui_test_pump (10);
  while (!gtk_widget_is_sensitive (ok) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_is_sensitive (ok));
  dc_ui_test_pump (20);
}

static void
press_ok (Fixture *f)
{
  click (find (f, "ok_button"));
  /* disabled while Argon2 runs */
  g_assert_false (gtk_widget_is_sensitive (find (f, "ok_button")));
  g_assert_false (gtk_widget_is_sensitive (find (f, "pad")));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (find (f, "pin_entry"))));
  wait_ready (f);
}

static void
type_and_enter (Fixture *f, const char *pin)
{
  GtkWidget *entry = find (f, "pin_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), pin);
  g_signal_emit_by_name (entry, "activate");
  wait_ready (f);
}

static void
assert_error_shown (Fixture *f, const char *expected)
{
  GtkLabel *label = error_label (f);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_cmpstr (gtk_label_get_text (label), !=, "");
  if (expected != NULL)
    g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
}

/* The same lookup app/dc-store.c makes, so the test holds in any language. */
#define STORE_MESSAGE(msgid) g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, msgid), DC_PIN_ATTEMPTS)

static void
test_layout (void)
{
  Fixture f = { 0 };
  GtkWidget *focus, *clock_label;
  GListModel *rows;

  fixture_setup (&f);
  g_assert_nonnull (dc_ui_test_find_label (f.page, "新宿東口店"));
  g_assert_false (gtk_widget_get_visible (find (&f, "demo_badge")));
  clock_label = find (&f, "clock_label");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (clock_label)), "16:00"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (clock_label)), "2026"));

  /* both staff listed, the first one selected and focused */
  g_assert_nonnull (staff_row (&f, DC_UI_TEST_MANAGER));
  g_assert_nonnull (staff_row (&f, DC_UI_TEST_CLERK));
  rows = G_LIST_MODEL (gtk_widget_observe_children (find (&f, "staff_list")));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  g_object_unref (rows);
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
  g_assert_true (gtk_widget_is_ancestor (focus, f.page));
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (focus)));
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus)), ==, 0);

  /* twelve pad keys and the OK button */
  for (char d = '0'; d <= '9'; d++)
    g_assert_nonnull (pad_button (&f, d));
  g_assert_nonnull (find (&f, "clear_button"));
  g_assert_nonnull (find (&f, "backspace_button"));
  g_assert_true (gtk_widget_has_css_class (find (&f, "ok_button"), "suggested-action"));

  pick (&f, DC_UI_TEST_CLERK);
  press_pad (&f, "12");
  g_free (dc_ui_test_screenshot (GTK_WIDGET (f.window), "signin"));
  fixture_teardown (&f);
}

static gint64
read_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
test_clock_and_demo (void)
{
  Fixture f = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("daicho-ui-demo-XXXXXX", NULL);
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  g_autoptr(GError) error = NULL;
  char *code = NULL;
  DcStoreSetup setup = {
    .name = "デモ店",
    .operator_name = "株式会社サンプル",
    .prefecture = "tokyo",
    .timezone = "America/New_York",
    .manager = DC_UI_TEST_MANAGER,
    .demo = TRUE,
  };
  DcStore *store = dc_store_create (store_dir, &setup, DC_UI_TEST_PASSPHRASE, DC_UI_TEST_MANAGER_PIN, &code, &error);
  GtkLabel *clock_label;

  g_assert_no_error (error);
  dc_secret_free (code);
  f.clock = dc_ui_test_tokyo (2026, 11, 21, 16, 0);   /* 02:00 in New York */
  dc_store_set_clock (store, read_clock, &f.clock);
  fixture_open (&f, store);
  g_assert_true (gtk_widget_get_visible (find (&f, "demo_badge")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (&f, "demo_badge"))), !=, "");

  /* the clock shows store time, not the machine's (TZ is Asia/Tokyo), and keeps going */
  clock_label = GTK_LABEL (find (&f, "clock_label"));
  g_assert_nonnull (strstr (gtk_label_get_text (clock_label), "02:00"));
  g_assert_null (strstr (gtk_label_get_text (clock_label), "16:00"));
  f.clock += 61 * G_USEC_PER_SEC;
  dc_ui_test_pump (2100);   /* a seconds timeout fires within 1–2 s */
  g_assert_nonnull (strstr (gtk_label_get_text (clock_label), "02:01"));
  g_free (dc_ui_test_screenshot (GTK_WIDGET (f.window), "signin-demo"));
  fixture_teardown (&f);
}

static void
test_wrong_then_right (void)
{
  Fixture f = { 0 };
  g_autofree char *wrong = NULL;

  fixture_setup (&f);
  pick (&f, DC_UI_TEST_CLERK);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label (&f))));

  /* a wrong PIN on the pad: refused with the store's message, the field cleared */
  press_pad (&f, WRONG_PIN);
  g_assert_cmpstr (pin_text (&f), ==, WRONG_PIN);
  press_ok (&f);
  g_assert_false (dc_session_get_signed_in (f.session));
  g_assert_cmpstr (dc_window_get_page (f.window), ==, "signin");
  assert_error_shown (&f, NULL);
  g_assert_cmpstr (pin_text (&f), ==, "");
  g_assert_true (gtk_widget_has_css_class (find (&f, "pin_entry"), "error"));
  /* ready for the next try: the field has the focus */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f.window)), find (&f, "pin_entry")));
  wrong = g_strdup (gtk_label_get_text (error_label (&f)));
  g_free (dc_ui_test_screenshot (GTK_WIDGET (f.window), "signin-wrong-pin"));

  /* typing again hides the message */
  press_pad (&f, "1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label (&f))));

  /* the right PIN typed into the field, Enter: signed in as the clerk, the counter shows */
  type_and_enter (&f, DC_UI_TEST_CLERK_PIN);
  g_assert_true (dc_session_get_signed_in (f.session));
  g_assert_cmpstr (dc_session_get_staff_name (f.session), ==, DC_UI_TEST_CLERK);
  g_assert_cmpstr (dc_window_get_page (f.window), ==, "counter");
  g_assert_cmpstr (pin_text (&f), ==, "");
  fixture_teardown (&f);
}

static void
test_lockout_and_unlock (void)
{
  Fixture f = { 0 };
  g_autofree char *now_locked = STORE_MESSAGE ("Wrong PIN, %d times in a row: this account is now locked. "
                                               "A manager must unlock it.");
  g_autofree char *still_locked = STORE_MESSAGE ("This account is locked after %d wrong PINs. A manager must unlock it.");
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(GError) error = NULL;

  fixture_setup (&f);
  pick (&f, DC_UI_TEST_CLERK);
  for (int i = 1; i <= DC_PIN_ATTEMPTS; i++)
    {
      press_pad (&f, WRONG_PIN);
      press_ok (&f);
      g_assert_false (dc_session_get_signed_in (f.session));
      g_assert_cmpstr (pin_text (&f), ==, "");
      assert_error_shown (&f, NULL);
      if (i < DC_PIN_ATTEMPTS)
        g_assert_cmpstr (gtk_label_get_text (error_label (&f)), !=, now_locked);
    }
  assert_error_shown (&f, now_locked);
  g_free (dc_ui_test_screenshot (GTK_WIDGET (f.window), "signin-locked"));

  /* locked: the right PIN is refused too */
  type_and_enter (&f, DC_UI_TEST_CLERK_PIN);
  g_assert_false (dc_session_get_signed_in (f.session));
  assert_error_shown (&f, still_locked);
  g_assert_cmpstr (dc_window_get_page (f.window), ==, "signin");

  /* the other staff are not affected */
  pick (&f, DC_UI_TEST_MANAGER);
  press_pad (&f, DC_UI_TEST_MANAGER_PIN);
  press_ok (&f);
  g_assert_true (dc_session_get_signed_in (f.session));
  g_assert_cmpstr (dc_session_get_staff_name (f.session), ==, DC_UI_TEST_MANAGER);
  dc_session_lock (f.session);   /* at once, while the stack is still switching */
  dc_ui_test_pump (300);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (staff_row (&f, DC_UI_TEST_MANAGER))));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f.window)) == staff_row (&f, DC_UI_TEST_MANAGER));

  /* a manager unlocks the account: the right PIN works again */
  manager = dc_store_sign_in_passphrase (dc_session_get_store (f.session), DC_UI_TEST_MANAGER,
                                         DC_UI_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_unlock_staff (dc_session_get_store (f.session), manager, DC_UI_TEST_CLERK, &error));
  g_assert_no_error (error);
  pick (&f, DC_UI_TEST_CLERK);
  type_and_enter (&f, DC_UI_TEST_CLERK_PIN);
  g_assert_true (dc_session_get_signed_in (f.session));
  g_assert_cmpstr (dc_session_get_staff_name (f.session), ==, DC_UI_TEST_CLERK);
  fixture_teardown (&f);
}

static GtkEventController *
key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        return c;
    }
  g_assert_not_reached ();
}

static gboolean
press_key (Fixture *f, guint keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (key_controller (f->page), "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
  return handled;
}

static void
test_keyboard (void)
{
  Fixture f = { 0 };
  GtkWidget *entry;

  fixture_setup (&f);
  entry = find (&f, "pin_entry");

  /* digits typed while the name list has the focus go into the PIN field, which takes the focus */
  g_assert_true (GTK_IS_LIST_BOX_ROW (gtk_root_get_focus (GTK_ROOT (f.window))));
  g_assert_true (press_key (&f, GDK_KEY_1));
  g_assert_true (press_key (&f, GDK_KEY_KP_2));
  g_assert_true (press_key (&f, gdk_unicode_to_keyval (0xFF13)));   /* full-width ３ */
  g_assert_cmpstr (pin_text (&f), ==, "123");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f.window)), entry));
  g_assert_false (press_key (&f, GDK_KEY_a));   /* other keys are left to the window */
  g_assert_cmpstr (pin_text (&f), ==, "123");
  g_assert_true (press_key (&f, GDK_KEY_BackSpace));
  g_assert_cmpstr (pin_text (&f), ==, "12");
  g_assert_true (press_key (&f, GDK_KEY_Escape));
  g_assert_cmpstr (pin_text (&f), ==, "");

  /* the field keeps digits only (any width), at most eight */
  gtk_editable_set_text (GTK_EDITABLE (entry), "1a2 ３-4");
  g_assert_cmpstr (pin_text (&f), ==, "1234");
  gtk_editable_set_text (GTK_EDITABLE (entry), "1234567890");
  g_assert_cmpstr (pin_text (&f), ==, "12345678");

  /* the pad's clear and backspace keys */
  click (find (&f, "backspace_button"));
  g_assert_cmpstr (pin_text (&f), ==, "1234567");
  click (find (&f, "clear_button"));
  g_assert_cmpstr (pin_text (&f), ==, "");

  /* OK with nothing typed asks for the PIN and tries nothing */
  click (find (&f, "ok_button"));
  g_assert_true (gtk_widget_is_sensitive (find (&f, "ok_button")));
  assert_error_shown (&f, NULL);
  g_assert_false (dc_session_get_signed_in (f.session));

  /* Enter on a name with a PIN typed signs in as that person */
  press_pad (&f, DC_UI_TEST_CLERK_PIN);
  g_assert_true (gtk_widget_activate (staff_row (&f, DC_UI_TEST_CLERK)));
  wait_ready (&f);
  g_assert_cmpstr (dc_session_get_staff_name (f.session), ==, DC_UI_TEST_CLERK);
  fixture_teardown (&f);
}

static void
test_lock_shows_nothing (void)
{
  Fixture f = { 0 };
  DcCheckinRequest request = { .terminal = "PC-01", .internet = TRUE };
  DcCheckinResult result = { 0 };
  g_autoptr(GError) error = NULL;
  GtkWidget *focus;

  fixture_setup (&f);
  pick (&f, DC_UI_TEST_CLERK);
  type_and_enter (&f, DC_UI_TEST_CLERK_PIN);
  g_assert_true (dc_session_get_signed_in (f.session));

  /* a customer checks in and the counter shows it */
  dc_identity_init (&request.identity);
  request.identity.doc_type = "drivers_license";
  request.identity.doc_number = "301234567890";
  g_date_set_dmy (&request.identity.doc_expiry, 31, 12, 2035);
  request.identity.name = "山田 太郎";
  request.identity.kana = "ヤマダ タロウ";
  g_date_set_dmy (&request.identity.dob, 1, 4, 1990);
  request.identity.address = "東京都新宿区西新宿2-8-1";
  g_assert_true (dc_checkin (dc_session_get_store (f.session), dc_session_get_actor (f.session), &request, &result,
                             &error));
  g_assert_no_error (error);
  dc_session_changed (f.session);
  dc_ui_test_pump (400);   /* past the stack's transition: the usual case */
  /* the counter shows the visit, so finding nothing below means the lock removed it */
  g_assert_nonnull (dc_ui_test_find_label (GTK_WIDGET (f.window), result.member_number));

  /* Ctrl+L: nothing of the customer anywhere in the window, the sign-in page clean */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.lock", NULL));
  dc_ui_test_pump (100);
  g_assert_cmpstr (dc_window_get_page (f.window), ==, "signin");
  g_assert_null (dc_ui_test_find_label (GTK_WIDGET (f.window), result.member_number));
  g_assert_null (dc_ui_test_find_label (GTK_WIDGET (f.window), "山田 太郎"));
  g_assert_null (dc_ui_test_find_label (GTK_WIDGET (f.window), "PC-01"));
  g_assert_cmpstr (pin_text (&f), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label (&f))));
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, f.page));
  /* the clerk who locked is still picked, ready to come back */
  g_assert_true (focus == staff_row (&f, DC_UI_TEST_CLERK));
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (focus)));

  /* digits half typed, then locked again (Ctrl+L or idle): the field is emptied */
  pick (&f, DC_UI_TEST_CLERK);
  press_pad (&f, "11");
  press_pad (&f, "9");
  g_assert_cmpstr (pin_text (&f), ==, "119");
  dc_session_lock (f.session);
  dc_ui_test_pump (20);
  g_assert_cmpstr (pin_text (&f), ==, "");
  dc_checkin_result_clear (&result);
  fixture_teardown (&f);
}

int
main (int argc, char **argv)
{
  g_autoptr(GtkCssProvider) css = NULL;

  dc_ui_test_init (&argc, &argv);
  /* what AdwApplication loads from the resource base path, for true-to-life screenshots */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/jp/daicho/Daicho/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_test_add_func ("/ui/signin/layout", test_layout);
  g_test_add_func ("/ui/signin/clock-and-demo", test_clock_and_demo);
  g_test_add_func ("/ui/signin/wrong-then-right", test_wrong_then_right);
  g_test_add_func ("/ui/signin/lockout-and-unlock", test_lockout_and_unlock);
  g_test_add_func ("/ui/signin/keyboard", test_keyboard);
  g_test_add_func ("/ui/signin/lock-shows-nothing", test_lock_shows_nothing);
  return g_test_run ();
}
