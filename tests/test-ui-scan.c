/* tests/test-ui-scan.c — a member card scanned at the counter: the keystroke recogniser, then scan-to-check-in under Xvfb. */
#include "dc-card.h"
#include "dc-checkin.h"
#include "dc-checkin-dialog.h"
#include "dc-counter-page.h"
#include "dc-error.h"
#include "dc-scan.h"
#include "dc-ui-test.h"
#include "dc-window.h"

#include <glib/gstdio.h>
#include <string.h>

/* ---- the recogniser alone ---- */

/* One key: its character ('\n' for Enter), the time it comes, and the step expected. */
typedef struct {
  char       ch;
  gint64     at_ms;
  DcScanStep step;
} Key;

typedef struct {
  const char *name;
  Key         keys[12];
  gint64      idle_at_ms;   /* 0: no idle check */
  DcScanStep  idle_step;
  const char *taken;        /* what dc_scan_burst_take () gives after the last step */
} BurstCase;

#define H DC_SCAN_HOLD
#define C DC_SCAN_CONTINUE
static const BurstCase burst_cases[] = {
  { "scanner", { { 'D', 0, H }, { 'C', 5, H }, { '1', 10, H }, { ':', 15, C }, { 'A', 20, C }, { '7', 25, C },
                 { '\n', 30, DC_SCAN_DONE } }, 0, 0, "DC1:A7" },
  { "keys-at-the-gap", { { 'D', 0, H }, { 'C', 30, H }, { '1', 60, H }, { ':', 90, C }, { 'Z', 120, C },
                         { '\n', 150, DC_SCAN_DONE } }, 0, 0, "DC1:Z" },
  { "person-types-d", { { 'D', 0, H }, { 'a', 120, DC_SCAN_REPLAY } }, 0, 0, "D" },
  { "person-types-dc-slowly", { { 'D', 0, H }, { 'C', 31, DC_SCAN_REPLAY } }, 0, 0, "D" },
  { "fast-but-not-a-card", { { 'D', 0, H }, { 'C', 5, H }, { '2', 10, DC_SCAN_REPLAY } }, 0, 0, "DC" },
  { "enter-in-the-prefix", { { 'D', 0, H }, { '\n', 5, DC_SCAN_REPLAY } }, 0, 0, "D" },
  { "caps-lock-scanner", { { 'd', 0, H }, { 'c', 5, H }, { '1', 10, H }, { ':', 15, C }, { 'a', 20, C },
                           { '\n', 25, DC_SCAN_DONE } }, 0, 0, "dc1:a" },
  { "other-keys-pass", { { 'a', 0, DC_SCAN_PASS }, { '\n', 5, DC_SCAN_PASS }, { 'x', 10, DC_SCAN_PASS } },
    0, 0, "" },
  { "held-d-replayed-when-idle", { { 'D', 0, H } }, 31, DC_SCAN_REPLAY, "D" },
  { "held-d-kept-within-the-gap", { { 'D', 0, H } }, 30, DC_SCAN_PASS, "D" },
  { "scan-stops-half-way", { { 'D', 0, H }, { 'C', 5, H }, { '1', 10, H }, { ':', 15, C }, { 'A', 20, C } },
    100, DC_SCAN_BROKEN, "DC1:A" },
  { "scan-pauses-then-key", { { 'D', 0, H }, { 'C', 5, H }, { '1', 10, H }, { ':', 15, C },
                              { 'A', 80, DC_SCAN_BROKEN } }, 0, 0, "DC1:" },
  { "control-char-in-scan", { { 'D', 0, H }, { 'C', 5, H }, { '1', 10, H }, { ':', 15, C },
                              { '\t', 20, DC_SCAN_BROKEN } }, 0, 0, "DC1:" },
};
#undef H
#undef C

static void
test_burst (gconstpointer data)
{
  const BurstCase *c = data;
  DcScanBurst burst;
  g_autofree char *taken = NULL;

  dc_scan_burst_init (&burst);
  for (guint i = 0; i < G_N_ELEMENTS (c->keys) && c->keys[i].ch != '\0'; i++)
    {
      const Key *k = &c->keys[i];
      gboolean enter = k->ch == '\n';

      g_test_message ("key %u '%c'", i, k->ch);
      g_assert_cmpint (dc_scan_burst_feed (&burst, enter ? 0 : (gunichar) k->ch, enter, k->at_ms), ==, k->step);
    }
  if (c->idle_at_ms > 0)
    g_assert_cmpint (dc_scan_burst_idle (&burst, c->idle_at_ms), ==, c->idle_step);
  taken = dc_scan_burst_take (&burst);
  g_assert_cmpstr (taken, ==, c->taken);
  dc_scan_burst_clear (&burst);
}

/* Nothing longer than a card is taken for one. */
static void
test_burst_too_long (void)
{
  DcScanBurst burst;
  DcScanStep step = DC_SCAN_HOLD;
  guint i;

  dc_scan_burst_init (&burst);
  for (i = 0; i < 4; i++)
    dc_scan_burst_feed (&burst, (gunichar) DC_SCAN_PREFIX[i], FALSE, i);
  for (; step == DC_SCAN_CONTINUE || step == DC_SCAN_HOLD; i++)
    step = dc_scan_burst_feed (&burst, 'A', FALSE, i);
  g_assert_cmpint (step, ==, DC_SCAN_BROKEN);
  g_assert_cmpuint (i, ==, DC_SCAN_MAX_LENGTH + 1);
  dc_scan_burst_clear (&burst);
}

/* ---- the counter ---- */

typedef struct {
  gint64     clock;
  char      *tmp_dir;
  DcStore   *store;     /* owned by the window's session */
  DcWindow  *window;
  DcSession *session;
  char      *adult;     /* member numbers of returning customers, not in the store */
  char      *minor;
  char      *adult_card;
  char      *minor_card;
} Fixture;

/* Eight terminals (PC-04 and PC-08 filtered), the clerk signed in at 16:00, an adult and a
 * minor member known, neither in the store. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->store = dc_ui_test_store (8, &f->clock);
  f->tmp_dir = g_path_get_dirname (dc_store_dir (f->store));
  f->window = dc_ui_test_counter_window (f->store, &f->session);
  f->adult = dc_ui_test_register_member (f->store, dc_session_get_actor (f->session), "山田 太郎", 1990, "PC-01",
                                         &f->adult_card);
  /* a minor sits on a filtered terminal */
  f->minor = dc_ui_test_register_member (f->store, dc_session_get_actor (f->session), "佐藤 次郎", 2010, "PC-04",
                                         &f->minor_card);
  dc_session_changed (f->session);
  dc_ui_test_pump (100);
  g_assert_cmpstr (dc_window_get_page (f->window), ==, "counter");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  dc_ui_test_close_windows ();
  dc_ui_test_remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
  g_free (f->adult);
  g_free (f->minor);
  g_free (f->adult_card);
  g_free (f->minor_card);
}

/* The newest visible window over the counter of type @type (or any type but the counter's). */
static GtkWindow *
top_window (Fixture *f, GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (w != GTK_WINDOW (f->window) && gtk_widget_get_visible (GTK_WIDGET (w))
          && G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        return w;
    }
  return NULL;
}

/* The check-in picker a scan opens: a plain AdwWindow with a list of terminals. */
static GtkWindow *
picker (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_OBJECT_TYPE (w) == ADW_TYPE_WINDOW && gtk_widget_get_visible (GTK_WIDGET (w))
          && dc_ui_test_find_by_type (GTK_WIDGET (w), GTK_TYPE_LIST_BOX) != NULL)
        return w;
    }
  return NULL;
}

/* One key press on @window as it really goes: first the window's capture-phase scan
 * controller; a key it does not take is typed into the focused text field. */
static void
press (GtkWindow *window, guint keyval, GdkModifierType state)
{
  GtkEventController *controller = dc_scan_get_controller (window);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  gboolean handled = FALSE;
  gunichar ch = gdk_keyval_to_unicode (keyval);

  g_assert_nonnull (controller);
  g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
  if (!handled && ch >= 0x20 && GTK_IS_EDITABLE (focus))
    {
      char utf8[8] = { 0 };
      int position = gtk_editable_get_position (GTK_EDITABLE (focus));

      g_unichar_to_utf8 (ch, utf8);
      gtk_editable_insert_text (GTK_EDITABLE (focus), utf8, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (focus), position);
    }
}

/* A keyboard-wedge scanner: Shift before each capital, keys a few milliseconds apart, Enter. */
static void
scan (GtkWindow *window, const char *payload)
{
  for (const char *p = payload; *p != '\0'; p++)
    {
      gboolean upper = g_ascii_isupper (*p) || *p == ':';

      if (upper)
        press (window, GDK_KEY_Shift_L, 0);
      press (window, gdk_unicode_to_keyval ((guchar) *p), upper ? GDK_SHIFT_MASK : 0);
    }
  press (window, GDK_KEY_Return, 0);
  dc_ui_test_pump (150);
}

/* A person: one key, then a pause longer than any scanner's. */
static void
type_slowly (GtkWindow *window, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      press (window, gdk_unicode_to_keyval ((guchar) *p), g_ascii_isupper (*p) ? GDK_SHIFT_MASK : 0);
      dc_ui_test_pump (120);
    }
}

/* The document check-in open (F2), the clerk typing a name in it. */
static GtkWidget *
name_field_with_text (Fixture *f, GtkWindow **out_dialog)
{
  GtkWidget *name;

  gtk_widget_activate_action (dc_ui_test_find_by_type (GTK_WIDGET (f->window), DC_TYPE_COUNTER_PAGE),
                              "counter.checkin", NULL);
  dc_ui_test_pump (100);
  *out_dialog = top_window (f, DC_TYPE_CHECKIN_DIALOG);
  g_assert_nonnull (*out_dialog);
  name = dc_ui_test_find_by_name (GTK_WIDGET (*out_dialog), "name_row");
  g_assert_nonnull (name);
  g_assert_true (gtk_widget_grab_focus (name));
  gtk_editable_set_text (GTK_EDITABLE (name), "田中");
  gtk_editable_set_position (GTK_EDITABLE (name), -1);
  return name;
}

static const char *
terminal_of (Fixture *f, const char *member)
{
  g_autoptr(DcBoard) board = dc_session_read_board (f->session, NULL);
  static char label[32];

  g_assert_nonnull (board);
  for (guint i = 0; i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);

      if (t->state == DC_TERMINAL_IN_USE && g_strcmp0 (t->member_number, member) == 0)
        {
          g_strlcpy (label, t->label, sizeof label);
          return label;
        }
    }
  return NULL;
}

static guint
count_windows (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      n += G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w));
    }
  return n;
}

static guint
visits (Fixture *f)
{
  g_autoptr(DcBoard) board = dc_session_read_board (f->session, NULL);

  return board->visits->len;
}

/* Enter on the focused row of the picker. */
static void
press_enter_in (GtkWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
  gtk_widget_activate (focus);
  dc_ui_test_pump (100);
}

static const char *
focused_row_title (GtkWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_true (ADW_IS_PREFERENCES_ROW (focus));
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (focus));
}

/* The dialog over the counter, as the clerk sees them: two renders painted into one PNG. */
static void
screenshot_over (Fixture *f, GtkWindow *dialog, const char *name)
{
  g_autofree char *under_name = g_strconcat (name, "-under", NULL);
  g_autofree char *over_name = g_strconcat (name, "-over", NULL);
  g_autofree char *under_path = dc_ui_test_screenshot (GTK_WIDGET (f->window), under_name);
  g_autofree char *over_path = dc_ui_test_screenshot (GTK_WIDGET (dialog), over_name);
  g_autofree char *dir = g_path_get_dirname (under_path);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  cairo_surface_t *under = cairo_image_surface_create_from_png (under_path);
  cairo_surface_t *over = cairo_image_surface_create_from_png (over_path);
  int w = cairo_image_surface_get_width (under), h = cairo_image_surface_get_height (under);
  cairo_t *cr = cairo_create (under);

  g_assert_cmpint (cairo_surface_status (under), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (over), ==, CAIRO_STATUS_SUCCESS);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
  cairo_paint (cr);
  cairo_set_source_surface (cr, over, (w - cairo_image_surface_get_width (over)) / 2,
                            (h - cairo_image_surface_get_height (over)) / 2);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (under, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (under);
  cairo_surface_destroy (over);
  g_remove (under_path);
  g_remove (over_path);
}

/* Scan, Enter: a returning adult is in on the suggested terminal, and the text field that had
 * the focus got none of the scanner's keys. */
static void
test_scan_checkin (Fixture *f, gconstpointer data)
{
  GtkWindow *dialog, *pick;
  GtkWidget *name = name_field_with_text (f, &dialog);
  g_autofree char *title = NULL;

  scan (dialog, f->adult_card);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中");
  pick = picker (f);
  g_assert_nonnull (pick);
  title = g_strdup_printf ("%s", gtk_window_get_title (pick));
  g_assert_nonnull (strstr (title, f->adult));
  /* PC-01: the first free unfiltered terminal, as dc_board_suggest () would choose */
  g_assert_cmpstr (focused_row_title (pick), ==, "PC-01");
  screenshot_over (f, pick, "scan-checkin");
  g_assert_null (terminal_of (f, f->adult));

  press_enter_in (pick);
  g_assert_cmpstr (terminal_of (f, f->adult), ==, "PC-01");
  g_assert_null (picker (f));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中");
  g_assert_nonnull (dc_ui_test_find_label (GTK_WIDGET (f->window), f->adult));
}

/* With the focus on the board, not in a field, a scan works the same; so does a scanner with
 * Caps Lock on, which types the card in lower case. */
static void
test_scan_on_board (Fixture *f, gconstpointer data)
{
  g_autofree char *lower = g_ascii_strdown (f->adult_card, -1);
  GtkWindow *pick;

  scan (GTK_WINDOW (f->window), lower);
  pick = picker (f);
  g_assert_nonnull (pick);
  press_enter_in (pick);
  g_assert_cmpstr (terminal_of (f, f->adult), ==, "PC-01");

  /* scanned again while in: no second check-in, the clerk is told where they are */
  scan (GTK_WINDOW (f->window), f->adult_card);
  g_assert_null (picker (f));
  g_assert_cmpuint (visits (f), ==, 1);
}

/* A customer born on @y-@m-@d, verified on the filtered PC-04 and checked out: their member number. */
static char *
register_born (Fixture *f, const char *name, int y, int m, int d, char **out_card)
{
  DcActor *actor = dc_session_get_actor (f->session);
  DcCheckinRequest request = { .terminal = "PC-04", .internet = TRUE };
  DcCheckinResult result = { 0 };
  g_autoptr(GError) error = NULL;
  char *member;

  dc_identity_init (&request.identity);
  request.identity.doc_type = "drivers_license";
  request.identity.doc_number = "309876543210";
  g_date_set_dmy (&request.identity.doc_expiry, 31, 12, 2035);
  request.identity.name = name;
  request.identity.kana = "スズキ サブロウ";
  g_date_set_dmy (&request.identity.dob, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  request.identity.address = "東京都新宿区西新宿2-8-1";
  g_assert_true (dc_checkin (f->store, actor, &request, &result, &error));
  g_assert_no_error (error);
  g_assert_true (dc_checkout (f->store, actor, NULL, result.visit_id, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  g_assert_true (dc_card_current (f->store, actor, result.member_number, out_card, NULL, &error));
  g_assert_no_error (error);
  member = g_strdup (result.member_number);
  dc_checkin_result_clear (&result);
  return member;
}

static guint
picker_rows (GtkWindow *pick)
{
  GtkListBox *list = GTK_LIST_BOX (dc_ui_test_find_by_type (GTK_WIDGET (pick), GTK_TYPE_LIST_BOX));
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

/* A minor's card: known as a minor at the scan, from the counter tier — only the filtered
 * terminals, PC-04 focused, the badge and the time before the curfew; scan, Enter. */
static void
test_scan_minor (Fixture *f, gconstpointer data)
{
  GtkWindow *pick;
  GtkWidget *banner;

  scan (GTK_WINDOW (f->window), f->minor_card);
  pick = picker (f);
  g_assert_nonnull (pick);
  g_assert_cmpstr (focused_row_title (pick), ==, "PC-04");
  g_assert_cmpuint (picker_rows (pick), ==, 2);   /* PC-04 and PC-08 only */
  banner = dc_ui_test_find_by_name (GTK_WIDGET (pick), "minor_banner");
  g_assert_nonnull (banner);
  g_assert_nonnull (dc_ui_test_find_label (banner, g_dgettext ("daicho", "Minor")));
  /* 16:00 in Tokyo: seven hours before 23:00 */
  g_assert_nonnull (dc_ui_test_find_label (banner, "23:00"));
  {
    g_autofree char *left = g_strdup_printf (g_dgettext ("daicho", "%d h %02d min left"), 7, 0);

    g_assert_nonnull (dc_ui_test_find_label (banner, left));
  }
  screenshot_over (f, pick, "scan-minor");
  press_enter_in (pick);
  g_assert_cmpstr (terminal_of (f, f->minor), ==, "PC-04");
  g_assert_null (picker (f));
  g_assert_cmpuint (visits (f), ==, 1);
}

/* During the curfew a minor's scan is refused at once, with the rule; an adult's is not. */
static void
test_scan_minor_curfew (Fixture *f, gconstpointer data)
{
  GtkWidget *dialog;
  GtkWindow *pick;
  g_autoptr(GError) expected = NULL;

  f->clock = dc_ui_test_tokyo (2026, 11, 21, 23, 30);
  g_assert_false (dc_profile_check_curfew (dc_store_profile (f->store), 17, 23 * 60 + 30, &expected));
  scan (GTK_WINDOW (f->window), f->minor_card);
  g_assert_null (picker (f));
  dialog = GTK_WIDGET (top_window (f, ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "curfew_refusal");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==, expected->message);
  g_assert_nonnull (strstr (expected->message, "23:00"));
  screenshot_over (f, GTK_WINDOW (dialog), "scan-minor-curfew");
  gtk_window_destroy (GTK_WINDOW (dialog));
  dc_ui_test_pump (50);
  g_assert_cmpuint (visits (f), ==, 0);

  scan (GTK_WINDOW (f->window), f->adult_card);
  pick = picker (f);
  g_assert_nonnull (pick);
  g_assert_null (dc_ui_test_find_by_name (GTK_WIDGET (pick), "minor_banner"));
  press_enter_in (pick);
  g_assert_cmpstr (terminal_of (f, f->adult), ==, "PC-01");
}

/* Born 2008-11-22: a minor on the 21st; at 01:00 on the 22nd, inside the curfew hours, an adult
 * — let in, on an unfiltered terminal first, no badge. The store's zone decides the day. */
static void
test_scan_turns_18 (Fixture *f, gconstpointer data)
{
  g_autofree char *card = NULL;
  g_autofree char *member = register_born (f, "鈴木 三郎", 2008, 11, 22, &card);
  GtkWindow *pick;

  f->clock = dc_ui_test_tokyo (2026, 11, 21, 22, 50);
  scan (GTK_WINDOW (f->window), card);
  pick = picker (f);
  g_assert_nonnull (pick);
  g_assert_nonnull (dc_ui_test_find_by_name (GTK_WIDGET (pick), "minor_banner"));
  g_assert_cmpstr (focused_row_title (pick), ==, "PC-04");
  gtk_window_destroy (pick);
  dc_ui_test_pump (50);

  f->clock = dc_ui_test_tokyo (2026, 11, 22, 1, 0);
  scan (GTK_WINDOW (f->window), card);
  pick = picker (f);
  g_assert_nonnull (pick);
  g_assert_null (dc_ui_test_find_by_name (GTK_WIDGET (pick), "minor_banner"));
  g_assert_cmpstr (focused_row_title (pick), ==, "PC-01");
  press_enter_in (pick);
  g_assert_cmpstr (terminal_of (f, member), ==, "PC-01");
}

/* A forged card (one MAC character changed), or a scan of something else that starts like a
 * card: a clear refusal, nothing typed, nobody checked in. */
static void
test_scan_forged (Fixture *f, gconstpointer data)
{
  GtkWindow *dialog, *refusal;
  GtkWidget *name = name_field_with_text (f, &dialog);
  g_autofree char *forged = g_strdup (f->adult_card);
  char *last = forged + strlen (forged) - 1;

  *last = *last == 'A' ? 'B' : 'A';
  scan (dialog, forged);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中");
  g_assert_null (picker (f));
  refusal = top_window (f, ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (refusal);
  screenshot_over (f, refusal, "scan-refused");
  g_assert_cmpuint (visits (f), ==, 0);
  /* "Check a Document" goes back to the check-in already open, not a second one */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (refusal), "document");
  gtk_window_destroy (refusal);   /* as the button does after the response */
  dc_ui_test_pump (100);
  g_assert_null (top_window (f, ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (top_window (f, DC_TYPE_CHECKIN_DIALOG) == dialog);
  g_assert_cmpuint (count_windows (DC_TYPE_CHECKIN_DIALOG), ==, 1);

  scan (dialog, "DC1:HELLO");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中");
  g_assert_nonnull (top_window (f, ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpuint (visits (f), ==, 0);
}

/* A person typing is not a scan: held keys reach the field, in order. */
static void
test_scan_typing (Fixture *f, gconstpointer data)
{
  GtkWindow *dialog;
  GtkWidget *name = name_field_with_text (f, &dialog);

  type_slowly (dialog, "DC1:Dx");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中DC1:Dx");
  g_assert_null (picker (f));

  /* a "D" typed last is held a moment, then typed */
  press (dialog, GDK_KEY_D, GDK_SHIFT_MASK);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中DC1:Dx");
  dc_ui_test_pump (150);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中DC1:DxD");
}

/* A scan that stops half-way types nothing and says so. */
static void
test_scan_broken (Fixture *f, gconstpointer data)
{
  GtkWindow *dialog;
  GtkWidget *name = name_field_with_text (f, &dialog);

  for (const char *p = "DC1:TOKYO"; *p != '\0'; p++)
    press (dialog, gdk_unicode_to_keyval ((guchar) *p), GDK_SHIFT_MASK);
  dc_ui_test_pump (200);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "田中");
  g_assert_null (picker (f));
  g_assert_null (top_window (f, ADW_TYPE_MESSAGE_DIALOG));
}

/* A window of its own over the counter (the manager area is one) is not the counter: a card
 * scanned into its field is typed there, as into any field. */
static void
test_scan_other_window (Fixture *f, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *entry = gtk_entry_new ();

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (f->window));
  gtk_window_set_child (GTK_WINDOW (window), entry);
  gtk_window_present (GTK_WINDOW (window));
  dc_ui_test_pump (50);
  g_assert_true (gtk_widget_grab_focus (entry));
  scan (GTK_WINDOW (window), f->adult_card);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, f->adult_card);
  g_assert_null (picker (f));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autoptr(GtkCssProvider) css = NULL;

  dc_ui_test_init (&argc, &argv);
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/jp/daicho/Daicho/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (burst_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scan/burst/%s", burst_cases[i].name);

      g_test_add_data_func (path, &burst_cases[i], test_burst);
    }
  g_test_add_func ("/scan/burst/too-long", test_burst_too_long);
  g_test_add ("/scan/ui/checkin", Fixture, NULL, fixture_setup, test_scan_checkin, fixture_teardown);
  g_test_add ("/scan/ui/on-board", Fixture, NULL, fixture_setup, test_scan_on_board, fixture_teardown);
  g_test_add ("/scan/ui/minor", Fixture, NULL, fixture_setup, test_scan_minor, fixture_teardown);
  g_test_add ("/scan/ui/minor-curfew", Fixture, NULL, fixture_setup, test_scan_minor_curfew, fixture_teardown);
  g_test_add ("/scan/ui/turns-18", Fixture, NULL, fixture_setup, test_scan_turns_18, fixture_teardown);
  g_test_add ("/scan/ui/forged", Fixture, NULL, fixture_setup, test_scan_forged, fixture_teardown);
  g_test_add ("/scan/ui/typing", Fixture, NULL, fixture_setup, test_scan_typing, fixture_teardown);
  g_test_add ("/scan/ui/other-window", Fixture, NULL, fixture_setup, test_scan_other_window, fixture_teardown);
  g_test_add ("/scan/ui/broken", Fixture, NULL, fixture_setup, test_scan_broken, fixture_teardown);
  return g_test_run ();
}
