/* ui/desktop/dc-manager-police-form.c — the police query form: the kind of query, a time to the second or a range, the terminals, a person; the scope it names. */
#include "dc-manager-police-form.h"
#include "dc-date.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>

struct _DcPoliceForm
{
  GtkWidget       parent_instance;

  GtkWidget      *grid;
  GtkDropDown    *find_dropdown;
  GtkWidget      *run_button;
  GtkLabel       *from_label;
  GtkWidget      *from_box;
  GtkEditable    *from_date;
  GtkSpinButton  *from_hour;
  GtkSpinButton  *from_minute;
  GtkSpinButton  *from_second;
  GtkWidget      *to_label;
  GtkWidget      *to_box;
  GtkEditable    *to_date;
  GtkSpinButton  *to_hour;
  GtkSpinButton  *to_minute;
  GtkSpinButton  *to_second;
  GtkWidget      *terminals_label;
  GtkMenuButton  *terminals_button;
  GtkBox         *terminal_checks;
  GtkCheckButton *all_terminals;
  GtkWidget      *name_label;
  GtkEditable    *name_entry;
  GtkWidget      *dob_label;
  GtkEditable    *dob_entry;
  GtkWidget      *doc_type_label;
  GtkDropDown    *doc_type_dropdown;
  GtkWidget      *doc_number_label;
  GtkEditable    *doc_number_entry;
  GtkWidget      *member_label;
  GtkEditable    *member_entry;

  DcSession      *session;
  GPtrArray      *terminals;   /* GtkCheckButton, one per terminal */
  GPtrArray      *doc_codes;   /* the codes of doc_type_dropdown's items */
  gboolean        syncing;     /* the "all" box and the terminal boxes follow each other */
};

G_DEFINE_FINAL_TYPE (DcPoliceForm, dc_police_form, GTK_TYPE_WIDGET)

enum { RUN, N_SIGNALS };
static guint signals[N_SIGNALS];

static DcPoliceFind
current_find (DcPoliceForm *self)
{
  return (DcPoliceFind) gtk_drop_down_get_selected (self->find_dropdown);
}

static void
on_run (DcPoliceForm *self)
{
  g_signal_emit (self, signals[RUN], 0);
}

/* "07", as a clock shows it. */
static gboolean
on_two_digits (GtkSpinButton *spin, gpointer user_data)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* ---- which fields show ---- */

static void
show_pair (GtkWidget *label, GtkWidget *field, gboolean visible)
{
  gtk_widget_set_visible (label, visible);
  gtk_widget_set_visible (field, visible);
}

static void
on_find_changed (DcPoliceForm *self)
{
  DcPoliceFind find = current_find (self);
  gboolean time = find == DC_POLICE_FIND_POINT || find == DC_POLICE_FIND_RANGE;

  gtk_label_set_text_with_mnemonic (self->from_label, find == DC_POLICE_FIND_RANGE ? _("_From") : _("_At"));
  show_pair (GTK_WIDGET (self->from_label), self->from_box, time);
  show_pair (self->to_label, self->to_box, find == DC_POLICE_FIND_RANGE);
  show_pair (self->terminals_label, GTK_WIDGET (self->terminals_button), time);
  show_pair (self->name_label, GTK_WIDGET (self->name_entry),
             find == DC_POLICE_FIND_PERSON || find == DC_POLICE_FIND_NAME);
  show_pair (self->dob_label, GTK_WIDGET (self->dob_entry), find == DC_POLICE_FIND_PERSON);
  show_pair (self->doc_type_label, GTK_WIDGET (self->doc_type_dropdown), find == DC_POLICE_FIND_DOCUMENT);
  show_pair (self->doc_number_label, GTK_WIDGET (self->doc_number_entry), find == DC_POLICE_FIND_DOCUMENT);
  show_pair (self->member_label, GTK_WIDGET (self->member_entry), find == DC_POLICE_FIND_MEMBER);
}

void
dc_police_form_set_find (DcPoliceForm *self, DcPoliceFind find)
{
  g_return_if_fail (DC_IS_POLICE_FORM (self));
  gtk_drop_down_set_selected (self->find_dropdown, find);
}

static GtkWidget *
first_field (DcPoliceForm *self)
{
  switch (current_find (self))
    {
    case DC_POLICE_FIND_PERSON:
    case DC_POLICE_FIND_NAME:
      return GTK_WIDGET (self->name_entry);
    case DC_POLICE_FIND_DOCUMENT:
      return GTK_WIDGET (self->doc_number_entry);
    case DC_POLICE_FIND_MEMBER:
      return GTK_WIDGET (self->member_entry);
    case DC_POLICE_FIND_POINT:
    case DC_POLICE_FIND_RANGE:
    default:
      return GTK_WIDGET (self->from_date);
    }
}

void
dc_police_form_focus (DcPoliceForm *self)
{
  g_return_if_fail (DC_IS_POLICE_FORM (self));
  gtk_widget_grab_focus (first_field (self));
}

/* ---- terminals ---- */

static void
update_terminals_label (DcPoliceForm *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; i < self->terminals->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->terminals, i)))
      g_ptr_array_add (names, (gpointer) gtk_check_button_get_label (g_ptr_array_index (self->terminals, i)));
  if (names->len == 0)
    text = g_strdup (_("All terminals"));
  else if (names->len <= 3)
    {
      g_ptr_array_add (names, NULL);
      text = g_strjoinv (", ", (char **) names->pdata);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u terminal", "%u terminals", names->len), names->len);
  gtk_menu_button_set_label (self->terminals_button, text);
}

static gboolean
any_terminal_ticked (DcPoliceForm *self)
{
  for (guint i = 0; i < self->terminals->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->terminals, i)))
      return TRUE;
  return FALSE;
}

static void
on_all_toggled (DcPoliceForm *self)
{
  if (self->syncing)
    return;
  self->syncing = TRUE;
  if (gtk_check_button_get_active (self->all_terminals))
    for (guint i = 0; i < self->terminals->len; i++)
      gtk_check_button_set_active (g_ptr_array_index (self->terminals, i), FALSE);
  else if (!any_terminal_ticked (self))
    /* nothing ticked means every terminal: the box says so */
    gtk_check_button_set_active (self->all_terminals, TRUE);
  self->syncing = FALSE;
  update_terminals_label (self);
}

static void
on_terminal_toggled (DcPoliceForm *self)
{
  if (self->syncing)
    return;
  self->syncing = TRUE;
  gtk_check_button_set_active (self->all_terminals, !any_terminal_ticked (self));
  self->syncing = FALSE;
  update_terminals_label (self);
}

static void
fill_terminals (DcPoliceForm *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcBoard) board = dc_session_read_board (self->session, &error);

  for (guint i = 0; i < self->terminals->len; i++)
    gtk_box_remove (self->terminal_checks, g_ptr_array_index (self->terminals, i));
  g_ptr_array_set_size (self->terminals, 0);
  for (guint i = 0; board != NULL && i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);
      GtkWidget *check = gtk_check_button_new_with_label (t->label);

      g_signal_connect_object (check, "toggled", G_CALLBACK (on_terminal_toggled), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->terminal_checks, check);
      g_ptr_array_add (self->terminals, check);
    }
  gtk_check_button_set_active (self->all_terminals, TRUE);
  update_terminals_label (self);
}

static GPtrArray *
ticked_terminals (DcPoliceForm *self)
{
  GPtrArray *labels;

  if (!any_terminal_ticked (self))
    return NULL;
  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->terminals->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->terminals, i)))
      g_ptr_array_add (labels, g_strdup (gtk_check_button_get_label (g_ptr_array_index (self->terminals, i))));
  return labels;
}

/* ---- times ---- */

static void
set_time (GtkEditable *date, GtkSpinButton *hour, GtkSpinButton *minute, GtkSpinButton *second, GDateTime *at)
{
  g_autofree char *day = g_date_time_format (at, "%Y-%m-%d");

  gtk_editable_set_text (date, day);
  gtk_spin_button_set_value (hour, g_date_time_get_hour (at));
  gtk_spin_button_set_value (minute, g_date_time_get_minute (at));
  gtk_spin_button_set_value (second, g_date_time_get_second (at));
}

/* Both ends start at the current minute, store time: the officer's question is usually
 * about today or a day close to it. */
static void
set_times_now (DcPoliceForm *self)
{
  gint64 now = dc_session_now (self->session);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, dc_store_timezone (dc_session_get_store (self->session)));
  g_autoptr(GDateTime) minute = g_date_time_add_seconds (local, -g_date_time_get_second (local));

  set_time (self->from_date, self->from_hour, self->from_minute, self->from_second, minute);
  set_time (self->to_date, self->to_hour, self->to_minute, self->to_second, minute);
}

static gboolean
read_time (DcPoliceForm *self, GtkEditable *date, GtkSpinButton *hour, GtkSpinButton *minute, GtkSpinButton *second,
           gint64 *out, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (date)));
  g_autofree char *iso = NULL;
  g_autofree char *when = NULL;
  GDate day;

  /* a value typed but not yet taken (Enter pressed in the field) counts */
  gtk_spin_button_update (hour);
  gtk_spin_button_update (minute);
  gtk_spin_button_update (second);
  if (!dc_date_parse (text, &day, error))
    return FALSE;
  iso = dc_date_to_iso (&day);
  when = g_strdup_printf ("%s %02d:%02d:%02d", iso, gtk_spin_button_get_value_as_int (hour),
                          gtk_spin_button_get_value_as_int (minute), gtk_spin_button_get_value_as_int (second));
  return dc_time_parse (when, dc_store_timezone (dc_session_get_store (self->session)), out, error);
}

/* ---- the scope ---- */

static char *
field_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static gboolean
person_scope (DcPoliceForm *self, DcQueryScope *scope, gboolean with_dob, GError **error)
{
  g_autofree char *dob = field_text (self->dob_entry);

  scope->kind = with_dob ? DC_QUERY_PERSON : DC_QUERY_NAME;
  scope->name = field_text (self->name_entry);
  if (!with_dob)
    return TRUE;
  if (*dob == '\0')
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Type the date of birth."));
      gtk_widget_grab_focus (GTK_WIDGET (self->dob_entry));
      return FALSE;
    }
  if (!dc_date_parse (dob, &scope->dob, error))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->dob_entry));
      return FALSE;
    }
  return TRUE;
}

static gboolean
time_scope (DcPoliceForm *self, DcQueryScope *scope, gboolean range, GError **error)
{
  scope->kind = DC_QUERY_TIME;
  if (!read_time (self, self->from_date, self->from_hour, self->from_minute, self->from_second, &scope->from, error))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->from_date));
      return FALSE;
    }
  scope->to = scope->from;
  if (range && !read_time (self, self->to_date, self->to_hour, self->to_minute, self->to_second, &scope->to, error))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->to_date));
      return FALSE;
    }
  scope->terminals = ticked_terminals (self);
  return TRUE;
}

gboolean
dc_police_form_get_scope (DcPoliceForm *self, DcQueryScope *scope, GError **error)
{
  guint doc = gtk_drop_down_get_selected (self->doc_type_dropdown);
  gboolean ok = TRUE;

  g_return_val_if_fail (DC_IS_POLICE_FORM (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  switch (current_find (self))
    {
    case DC_POLICE_FIND_POINT:
      ok = time_scope (self, scope, FALSE, error);
      break;
    case DC_POLICE_FIND_RANGE:
      ok = time_scope (self, scope, TRUE, error);
      break;
    case DC_POLICE_FIND_PERSON:
      ok = person_scope (self, scope, TRUE, error);
      break;
    case DC_POLICE_FIND_NAME:
      ok = person_scope (self, scope, FALSE, error);
      break;
    case DC_POLICE_FIND_DOCUMENT:
      scope->kind = DC_QUERY_DOCUMENT;
      scope->doc_type = doc < self->doc_codes->len ? g_strdup (g_ptr_array_index (self->doc_codes, doc)) : NULL;
      scope->doc_number = field_text (self->doc_number_entry);
      break;
    case DC_POLICE_FIND_MEMBER:
      scope->kind = DC_QUERY_MEMBER;
      scope->member_number = field_text (self->member_entry);
      break;
    default:
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Choose what to look for."));
      ok = FALSE;
      break;
    }
  if (!ok)
    dc_query_scope_clear (scope);
  return ok;
}

void
dc_police_form_focus_error (DcPoliceForm *self, const GError *error)
{
  GtkWidget *focus = first_field (self);

  g_return_if_fail (DC_IS_POLICE_FORM (self));

  if (error != NULL && error->domain == DC_ERROR)
    switch (current_find (self))
      {
      case DC_POLICE_FIND_POINT:
      case DC_POLICE_FIND_RANGE:
        if (error->code == DC_ERROR_NOT_FOUND)
          focus = GTK_WIDGET (self->terminals_button);
        else if (error->code == DC_ERROR_INVALID && current_find (self) == DC_POLICE_FIND_RANGE)
          focus = GTK_WIDGET (self->to_date);
        break;
      case DC_POLICE_FIND_PERSON:
        if (error->code == DC_ERROR_INVALID_DATE)
          focus = GTK_WIDGET (self->dob_entry);
        break;
      case DC_POLICE_FIND_DOCUMENT:
        if (error->code == DC_ERROR_FORBIDDEN_NUMBER || error->code == DC_ERROR_DOC_NOT_ACCEPTED)
          focus = GTK_WIDGET (self->doc_type_dropdown);
        break;
      case DC_POLICE_FIND_NAME:
      case DC_POLICE_FIND_MEMBER:
      default:
        break;
      }
  gtk_widget_grab_focus (focus);
}

/* ---- set-up ---- */

/* Only documents whose number may be recorded can be searched by number. */
static void
fill_doc_types (DcPoliceForm *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  gsize n = 0;
  const DcDocType *types = dc_doc_types (&n);

  for (gsize i = 0; i < n; i++)
    if (types[i].number_allowed)
      {
        gtk_string_list_append (labels, _(types[i].label));
        g_ptr_array_add (self->doc_codes, (gpointer) types[i].code);
      }
  gtk_drop_down_set_model (self->doc_type_dropdown, G_LIST_MODEL (labels));
}

void
dc_police_form_set_session (DcPoliceForm *self, DcSession *session)
{
  g_return_if_fail (DC_IS_POLICE_FORM (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  fill_terminals (self);
  set_times_now (self);
}

static void
dc_police_form_dispose (GObject *object)
{
  DcPoliceForm *self = DC_POLICE_FORM (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_POLICE_FORM);
  G_OBJECT_CLASS (dc_police_form_parent_class)->dispose (object);
}

static void
dc_police_form_finalize (GObject *object)
{
  DcPoliceForm *self = DC_POLICE_FORM (object);

  g_ptr_array_unref (self->terminals);
  g_ptr_array_unref (self->doc_codes);
  G_OBJECT_CLASS (dc_police_form_parent_class)->finalize (object);
}

static void
dc_police_form_class_init (DcPoliceFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_police_form_dispose;
  object_class->finalize = dc_police_form_finalize;

  signals[RUN] = g_signal_new ("run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                               G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-police-form.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, grid);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, find_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, run_button);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, from_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, from_box);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, from_date);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, from_hour);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, from_minute);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, from_second);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, to_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, to_box);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, to_date);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, to_hour);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, to_minute);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, to_second);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, terminals_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, terminals_button);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, terminal_checks);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, all_terminals);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, name_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, name_entry);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, dob_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, dob_entry);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, doc_type_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, doc_type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, doc_number_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, doc_number_entry);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, member_label);
  gtk_widget_class_bind_template_child (widget_class, DcPoliceForm, member_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_run);
  gtk_widget_class_bind_template_callback (widget_class, on_two_digits);
  gtk_widget_class_bind_template_callback (widget_class, on_find_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_all_toggled);
}

static void
dc_police_form_init (DcPoliceForm *self)
{
  GtkSpinButton *spins[6];

  self->terminals = g_ptr_array_new ();
  self->doc_codes = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  spins[0] = self->from_hour;
  spins[1] = self->from_minute;
  spins[2] = self->from_second;
  spins[3] = self->to_hour;
  spins[4] = self->to_minute;
  spins[5] = self->to_second;
  /* Enter in a spin button runs the query too: its text field (which takes the value on
   * Enter first) says when */
  for (gsize i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (spins[i])), "activate", G_CALLBACK (on_run),
                             self, G_CONNECT_SWAPPED);
  fill_doc_types (self);
  on_find_changed (self);
}
