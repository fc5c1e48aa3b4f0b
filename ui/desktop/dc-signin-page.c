/* ui/desktop/dc-signin-page.c — counter sign-in: pick a name, type the PIN on the pad or the keyboard. */
#include "dc-signin-page.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* A PIN is 4 to 8 digits (app/dc-vault.c); the field takes no more. */
#define PIN_MAX_DIGITS 8
/* Long enough for the disabled pad to be drawn before Argon2 blocks the main loop. */
#define SIGN_IN_DELAY_MS 30

struct _DcSigninPage
{
  GtkWidget  parent_instance;

  DcSession *session;
  guint      clock_source;
  guint      sign_in_source;
  guint      ready_source;
  gboolean   busy;
  gboolean   refocus;

  GtkWidget *content;   /* the template's only direct child: bound so dispose_template unparents it */
  GtkWidget *pad;
  GtkWidget *ok_button;
  GtkLabel  *store_label;
  GtkWidget *demo_badge;
  GtkLabel  *clock_label;
  GtkListBox *staff_list;
  GtkWidget *pin_entry;
  GtkLabel  *error_label;
};

G_DEFINE_FINAL_TYPE (DcSigninPage, dc_signin_page, GTK_TYPE_WIDGET)

/* ---- the clock ---- */

static void
update_clock (DcSigninPage *self)
{
  DcStore *store = dc_session_get_store (self->session);
  gint64 now = dc_session_now (self->session);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, dc_store_timezone (store));
  /* Translators: the sign-in page's clock, a g_date_time_format () pattern (%a: short weekday) */
  g_autofree char *text = g_date_time_format (local, _("%Y-%m-%d (%a) %H:%M"));

  gtk_label_set_text (self->clock_label, text);
}

static gboolean
on_clock_tick (gpointer user_data)
{
  update_clock (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- the PIN field ---- */

static void
show_error (DcSigninPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_add_css_class (self->pin_entry, "error");
}

static void
hide_error (DcSigninPage *self)
{
  gtk_label_set_text (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (self->pin_entry, "error");
}

static void
on_pin_changed (DcSigninPage *self)
{
  /* the message stays after the field is cleared, until the next try begins */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)) != '\0')
    hide_error (self);
}

/* Only digits, of any width: a Japanese input method may send "１２３４". */
static char *
digits_only (const char *text, int length)
{
  const char *end = length < 0 ? text + strlen (text) : text + length;
  GString *digits = g_string_new (NULL);

  for (const char *p = text; p < end && *p != '\0'; p = g_utf8_next_char (p))
    {
      int value = g_unichar_digit_value (g_utf8_get_char (p));

      if (value >= 0)
        g_string_append_c (digits, (char) ('0' + value));
    }
  return g_string_free (digits, FALSE);
}

static void
on_pin_insert_text (GtkEditable *editable, const char *text, int length, int *position, DcSigninPage *self)
{
  g_autofree char *digits = digits_only (text, length);
  gsize n = length < 0 ? strlen (text) : (gsize) length;

  if (strlen (digits) == n && strncmp (digits, text, n) == 0)
    return;
  g_signal_handlers_block_by_func (editable, on_pin_insert_text, self);
  gtk_editable_insert_text (editable, digits, -1, position);
  g_signal_handlers_unblock_by_func (editable, on_pin_insert_text, self);
  g_signal_stop_emission_by_name (editable, "insert-text");
}

static GtkText *
pin_text (DcSigninPage *self)
{
  return GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->pin_entry)));
}

/* Focus the field without selecting its digits: the next key must add, not replace. */
static void
focus_pin (DcSigninPage *self)
{
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  gtk_text_grab_focus_without_selecting (pin_text (self));
  gtk_editable_set_position (GTK_EDITABLE (self->pin_entry), -1);
}

static void
append_digit (DcSigninPage *self, const char *digit)
{
  GtkEditable *editable = GTK_EDITABLE (self->pin_entry);
  int position = (int) strlen (gtk_editable_get_text (editable));

  gtk_editable_insert_text (editable, digit, -1, &position);
  gtk_editable_set_position (editable, -1);
}

static void
delete_digit (DcSigninPage *self)
{
  GtkEditable *editable = GTK_EDITABLE (self->pin_entry);
  int length = (int) strlen (gtk_editable_get_text (editable));

  if (length > 0)
    gtk_editable_delete_text (editable, length - 1, length);
}

static void
clear_pin (DcSigninPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
}

/* ---- the staff list ---- */

static const char *
selected_name (DcSigninPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->staff_list);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "staff-name") : NULL;
}

static GtkWidget *
staff_row_new (const char *name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("avatar-default-symbolic");
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "staff-name");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "staff-name", g_strdup (name), g_free);
  return row;
}

/* The last person picked stays picked (the clerk who locked the counter is usually the one
 * who comes back); otherwise the first name. */
static void
load_staff (DcSigninPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = dc_store_staff_names (dc_session_get_store (self->session), &error);
  g_autofree char *previous = g_strdup (selected_name (self));
  GtkWidget *select = NULL;
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->staff_list, 0)) != NULL)
    gtk_list_box_remove (self->staff_list, GTK_WIDGET (row));
  if (names == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < names->len; i++)
    {
      GtkWidget *new_row = staff_row_new (g_ptr_array_index (names, i));

      gtk_list_box_append (self->staff_list, new_row);
      if (select == NULL || g_strcmp0 (previous, g_ptr_array_index (names, i)) == 0)
        select = new_row;
    }
  if (select != NULL)
    gtk_list_box_select_row (self->staff_list, GTK_LIST_BOX_ROW (select));
}

static void
focus_start (DcSigninPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->staff_list);

  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
  else
    focus_pin (self);
}

/* ---- signing in ---- */

static void
set_busy (DcSigninPage *self, gboolean busy)
{
  /* the field stays sensitive: taking it away from under the focus upsets GtkText's cursor
   * blink (a GTK warning); it only stops taking keys */
  self->busy = busy;
  gtk_widget_set_sensitive (self->pad, !busy);
  gtk_widget_set_sensitive (self->ok_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->staff_list), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->pin_entry), !busy);
}

static gboolean
on_ready (gpointer user_data)
{
  DcSigninPage *self = user_data;

  self->ready_source = 0;
  set_busy (self, FALSE);
  if (self->refocus)
    focus_pin (self);
  return G_SOURCE_REMOVE;
}

static gboolean
run_sign_in (gpointer user_data)
{
  DcSigninPage *self = user_data;
  g_autofree char *name = g_strdup (selected_name (self));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->sign_in_source = 0;
  if (name == NULL)   /* nobody picked: cannot happen while the list is disabled, but try nothing */
    {
      set_busy (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  /* the text lives in the password buffer's wiped memory: no copy of the PIN is made */
  ok = dc_session_sign_in (self->session, name, gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)), &error);
  clear_pin (self);
  if (ok)
    hide_error (self);
  else
    show_error (self, error->message);
  self->refocus = !ok;
  /* low priority: clicks queued while Argon2 ran reach a disabled pad and are dropped */
  self->ready_source = g_idle_add_full (G_PRIORITY_LOW, on_ready, self, NULL);
  return G_SOURCE_REMOVE;
}

static void
start_sign_in (DcSigninPage *self)
{
  if (self->busy)
    return;
  if (selected_name (self) == NULL)
    {
      show_error (self, _("Choose your name first."));
      return;
    }
  if (*gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)) == '\0')
    {
      show_error (self, _("Enter your PIN."));
      focus_pin (self);
      return;
    }
  set_busy (self, TRUE);
  self->sign_in_source = g_timeout_add (SIGN_IN_DELAY_MS, run_sign_in, self);
}

static void
on_pin_activate (DcSigninPage *self)
{
  start_sign_in (self);
}

static void
on_staff_activated (DcSigninPage *self, GtkListBoxRow *row)
{
  gtk_list_box_select_row (self->staff_list, row);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)) != '\0')
    start_sign_in (self);
  else
    focus_pin (self);
}

/* ---- actions and keys ---- */

static void
digit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSigninPage *self = DC_SIGNIN_PAGE (widget);

  if (!self->busy)
    append_digit (self, g_variant_get_string (parameter, NULL));
}

static void
clear_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSigninPage *self = DC_SIGNIN_PAGE (widget);

  if (!self->busy)
    {
      clear_pin (self);
      hide_error (self);
    }
}

static void
backspace_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSigninPage *self = DC_SIGNIN_PAGE (widget);

  if (!self->busy)
    delete_digit (self);
}

static void
sign_in_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  start_sign_in (DC_SIGNIN_PAGE (widget));
}

/* Keys the focused widget left alone: a digit typed anywhere on the page goes into the PIN. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
                DcSigninPage *self)
{
  int digit = g_unichar_digit_value (gdk_keyval_to_unicode (keyval));

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return GDK_EVENT_PROPAGATE;
  if (self->busy)
    return GDK_EVENT_STOP;
  if (digit >= 0)
    {
      char text[2] = { (char) ('0' + digit), '\0' };

      append_digit (self, text);
      focus_pin (self);
      return GDK_EVENT_STOP;
    }
  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      delete_digit (self);
      return GDK_EVENT_STOP;
    case GDK_KEY_Escape:
      clear_pin (self);
      hide_error (self);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
dc_signin_page_map (GtkWidget *widget)
{
  DcSigninPage *self = DC_SIGNIN_PAGE (widget);
  GtkRoot *root;
  GtkWidget *focus;

  GTK_WIDGET_CLASS (dc_signin_page_parent_class)->map (widget);
  root = gtk_widget_get_root (widget);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  update_clock (self);
  if (self->clock_source == 0)
    self->clock_source = g_timeout_add_seconds (1, on_clock_tick, self);
  /* Grab again even when the focus is already here: GtkWindow moves the focus on its next
   * frame when the widget holding it was hidden (the page it was on, during the stack's
   * switch), and only a grab on a widget that is visible by then cancels that move; left
   * alone it tabs from the picked name to the next one and picks that. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, widget))
    gtk_widget_grab_focus (focus);
  else
    focus_start (self);
}

static void
dc_signin_page_unmap (GtkWidget *widget)
{
  DcSigninPage *self = DC_SIGNIN_PAGE (widget);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  GTK_WIDGET_CLASS (dc_signin_page_parent_class)->unmap (widget);
}

/* ---- the object ---- */

static void
dc_signin_page_dispose (GObject *object)
{
  DcSigninPage *self = DC_SIGNIN_PAGE (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_handle_id (&self->sign_in_source, g_source_remove);
  g_clear_handle_id (&self->ready_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_SIGNIN_PAGE);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (dc_signin_page_parent_class)->dispose (object);
}

static void
dc_signin_page_class_init (DcSigninPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dc_signin_page_dispose;
  widget_class->map = dc_signin_page_map;
  widget_class->unmap = dc_signin_page_unmap;
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-signin-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, content);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, pad);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, ok_button);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, store_label);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, demo_badge);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, clock_label);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, staff_list);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, DcSigninPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_pin_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_pin_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_staff_activated);

  gtk_widget_class_install_action (widget_class, "pin.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "pin.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "pin.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "pin.sign-in", NULL, sign_in_action);
}

static void
dc_signin_page_init (DcSigninPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkText *text;

  gtk_widget_init_template (GTK_WIDGET (self));

  text = pin_text (self);
  gtk_text_set_max_length (text, PIN_MAX_DIGITS);
  gtk_text_set_input_purpose (text, GTK_INPUT_PURPOSE_PIN);
  g_signal_connect (text, "insert-text", G_CALLBACK (on_pin_insert_text), self);

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
dc_signin_page_new (DcSession *session)
{
  DcSigninPage *self = g_object_new (DC_TYPE_SIGNIN_PAGE, NULL);
  DcStore *store = dc_session_get_store (session);

  self->session = g_object_ref (session);
  gtk_label_set_text (self->store_label, dc_store_name (store));
  gtk_widget_set_visible (self->demo_badge, dc_store_is_demo (store));
  update_clock (self);
  dc_signin_page_reset (self);
  return GTK_WIDGET (self);
}

void
dc_signin_page_reset (DcSigninPage *self)
{
  g_return_if_fail (DC_IS_SIGNIN_PAGE (self));

  g_clear_handle_id (&self->sign_in_source, g_source_remove);
  g_clear_handle_id (&self->ready_source, g_source_remove);
  set_busy (self, FALSE);
  clear_pin (self);
  hide_error (self);
  load_staff (self);
  focus_start (self);
}
