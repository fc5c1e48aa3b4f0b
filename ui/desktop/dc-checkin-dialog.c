/* ui/desktop/dc-checkin-dialog.c — the check-in form: document first, inline checks as the clerk types, one save. */
#include "dc-checkin-dialog.h"
#include "dc-checkin.h"
#include "dc-date.h"

#include <glib/gi18n-lib.h>

#define N_FIELDS (DC_FIELD_PASSPORT + 1)

/* Each identity field has its row and, just below it, a note row that shows the problem
 * with it, or the date as the parser read it. */
typedef struct {
  DcField     field;
  const char *row;
  const char *note;
  const char *label;
  gboolean    date;
} FieldInfo;

#define FIELD(f, key, is_date) { f, key "_row", key "_note", key "_note_label", is_date }

static const FieldInfo field_info[] = {
  FIELD (DC_FIELD_DOC_TYPE, "doc_type", FALSE),
  FIELD (DC_FIELD_DOC_NUMBER, "doc_number", FALSE),
  FIELD (DC_FIELD_DOC_EXPIRY, "expiry", TRUE),
  FIELD (DC_FIELD_DOC_ISSUED, "issued", TRUE),
  FIELD (DC_FIELD_NAME, "name", FALSE),
  FIELD (DC_FIELD_KANA, "kana", FALSE),
  FIELD (DC_FIELD_DOB, "dob", TRUE),
  FIELD (DC_FIELD_ADDRESS, "address", FALSE),
  FIELD (DC_FIELD_SUPPLEMENTARY_TYPE, "supplementary", FALSE),
  FIELD (DC_FIELD_SUPPLEMENTARY_DATE, "supplementary_date", TRUE),
  FIELD (DC_FIELD_NATIONALITY, "nationality", FALSE),
  FIELD (DC_FIELD_PASSPORT, "passport", FALSE),
};

struct _DcCheckinDialog
{
  AdwWindow          parent_instance;

  AdwWindowTitle    *window_title;
  GtkWidget         *save_button;
  GtkWidget         *find_button;
  GtkStack          *stack;
  GtkScrolledWindow *form_scroller;
  GtkLabel          *refusal_label;
  GtkLabel          *found_label;
  GtkWidget         *no_number_row;
  GtkWidget         *minor_badge;
  GtkWidget         *differs_row;
  GtkSwitch         *differs_switch;
  GtkSwitch         *non_resident_switch;
  AdwComboRow       *terminal_row;
  GtkWidget         *find_name_row;
  GtkWidget         *find_dob_row;
  GtkWidget         *find_dob_note;
  GtkLabel          *find_dob_note_label;
  GtkLabel          *find_status_label;
  GtkWidget         *find_new_button;
  GtkWidget         *rows[N_FIELDS];
  GtkWidget         *notes[N_FIELDS];
  GtkLabel          *note_labels[N_FIELDS];

  DcSession         *session;          /* NULL once disposed: late signals are ignored */
  DcBoard           *board;
  GPtrArray         *doc_types;        /* const DcDocType *, as listed in doc_type_row */
  GPtrArray         *terminals;        /* labels (char *), as listed in terminal_row */
  char              *chosen_terminal;  /* picked by the clerk (or the caller): no more suggesting */
  gboolean           minor;
  gboolean           new_customer;     /* the last check-in made a new member */
  gboolean           reveal_all;       /* after a save attempt every problem shows */
  gboolean           updating;         /* the code, not the clerk, is changing a widget */
  guint              touched;          /* bit (1 << DcField) per field the clerk has edited */
};

G_DEFINE_FINAL_TYPE (DcCheckinDialog, dc_checkin_dialog, ADW_TYPE_WINDOW)

enum { CHECKED_IN, N_SIGNALS };
static guint signals[N_SIGNALS];

/* What the form holds: strings borrowed from the widgets. */
typedef struct {
  DcIdentity identity;
  char      *errors[N_FIELDS];
  char      *readings[N_FIELDS];
} Form;

static void
form_clear (Form *form)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_free (form->errors[i]);
      g_free (form->readings[i]);
    }
}

static void
set_class (GtkWidget *widget, const char *css_class, gboolean on)
{
  if (on)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static const DcDocType *
selected_doc_type (DcCheckinDialog *self)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->rows[DC_FIELD_DOC_TYPE]));

  return i < self->doc_types->len ? g_ptr_array_index (self->doc_types, i) : NULL;
}

static const char *
selected_supplementary (DcCheckinDialog *self)
{
  gsize n;
  const DcSupplementaryType *types = dc_supplementary_types (&n);
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE]));

  return i < n ? types[i].code : NULL;
}

static const char *
selected_terminal (DcCheckinDialog *self)
{
  guint i = adw_combo_row_get_selected (self->terminal_row);

  return i < self->terminals->len ? g_ptr_array_index (self->terminals, i) : NULL;
}

/* A hidden row counts as not given: the type or a switch has ruled that field out. */
static const char *
shown_text (DcCheckinDialog *self, DcField field)
{
  GtkWidget *row = self->rows[field];

  return gtk_widget_get_visible (row) ? gtk_editable_get_text (GTK_EDITABLE (row)) : NULL;
}

static char *
date_reading (DcCheckinDialog *self, DcField field, const GDate *date)
{
  g_autofree char *wareki = dc_date_to_wareki (date);
  g_autofree char *iso = dc_date_to_iso (date);
  GDate today;

  dc_store_today (dc_session_get_store (self->session), &today);
  if (field == DC_FIELD_DOB && g_date_compare (date, &today) <= 0)
    /* Translators: a date of birth as read from what the clerk typed: 和暦 (ISO), age. */
    return g_strdup_printf (_("%s (%s), age %u"), wareki, iso, dc_date_age_on (date, &today));
  /* Translators: a date as read from what the clerk typed: 和暦 (ISO). */
  return g_strdup_printf (_("%s (%s)"), wareki, iso);
}

static void
read_date (DcCheckinDialog *self, DcField field, GDate *out, Form *form)
{
  const char *text = shown_text (self, field);
  g_autoptr(GError) error = NULL;

  if (text == NULL || *text == '\0')
    return;
  if (dc_date_parse (text, out, &error))
    form->readings[field] = date_reading (self, field, out);
  else
    form->errors[field] = g_strdup (error->message);
}

/* The identity as typed; an unreadable date stays unset with the parser's message. */
static void
read_form (DcCheckinDialog *self, Form *form)
{
  DcIdentity *id = &form->identity;
  const DcDocType *type = selected_doc_type (self);
  gboolean non_resident = gtk_switch_get_active (self->non_resident_switch);
  gboolean differs = !non_resident && gtk_switch_get_active (self->differs_switch);

  dc_identity_init (id);
  id->doc_type = type != NULL ? type->code : NULL;
  id->doc_number = shown_text (self, DC_FIELD_DOC_NUMBER);
  read_date (self, DC_FIELD_DOC_EXPIRY, &id->doc_expiry, form);
  read_date (self, DC_FIELD_DOC_ISSUED, &id->doc_issued, form);
  id->name = shown_text (self, DC_FIELD_NAME);
  id->kana = shown_text (self, DC_FIELD_KANA);
  read_date (self, DC_FIELD_DOB, &id->dob, form);
  id->address = shown_text (self, DC_FIELD_ADDRESS);
  id->address_differs = differs;
  id->supplementary_type = differs ? selected_supplementary (self) : NULL;
  read_date (self, DC_FIELD_SUPPLEMENTARY_DATE, &id->supplementary_date, form);
  id->non_resident = non_resident;
  id->nationality = shown_text (self, DC_FIELD_NATIONALITY);
  id->passport_number = shown_text (self, DC_FIELD_PASSPORT);
}

/* Give @field a stand-in value that passes, so that the check goes on to the fields after
 * it: the clerk then sees the problem of every field typed so far, not just the first. */
static gboolean
stand_in (DcIdentity *id, DcField field, const GDate *today)
{
  switch (field)
    {
    case DC_FIELD_DOC_NUMBER:
      id->doc_number = dc_doc_type_lookup (id->doc_type)->number_allowed ? "A1" : NULL;
      return TRUE;
    case DC_FIELD_DOC_EXPIRY:
      id->doc_expiry = *today;
      return TRUE;
    case DC_FIELD_DOC_ISSUED:
      id->doc_issued = *today;
      return TRUE;
    case DC_FIELD_NAME:
      id->name = "A";
      return TRUE;
    case DC_FIELD_KANA:
      id->kana = "ア";
      return TRUE;
    case DC_FIELD_DOB:
      g_date_set_dmy (&id->dob, 1, G_DATE_JANUARY, 1970);
      return TRUE;
    case DC_FIELD_ADDRESS:
      id->address = "A";
      return TRUE;
    case DC_FIELD_SUPPLEMENTARY_TYPE:
      id->supplementary_type = dc_supplementary_types (NULL)[0].code;
      return TRUE;
    case DC_FIELD_SUPPLEMENTARY_DATE:
      id->supplementary_date = *today;
      return TRUE;
    case DC_FIELD_NATIONALITY:
      id->nationality = "A";
      return TRUE;
    case DC_FIELD_PASSPORT:
      id->passport_number = "A1";
      return TRUE;
    case DC_FIELD_NONE:
    case DC_FIELD_DOC_TYPE:
    default:
      return FALSE;
    }
}

/* The rules are app/'s: ask dc_identity_check, field by field. Changes form->identity. */
static void
collect_errors (DcCheckinDialog *self, Form *form)
{
  DcStore *store = dc_session_get_store (self->session);
  gboolean allow = dc_store_profile (store)->allow_health_insurance_card;
  GDate today;

  dc_store_today (store, &today);
  for (guint round = 0; round < N_FIELDS; round++)
    {
      g_autoptr(GError) error = NULL;
      DcField field = DC_FIELD_NONE;

      if (dc_identity_check (&form->identity, &today, allow, &field, &error))
        return;
      if (form->errors[field] == NULL)
        form->errors[field] = g_strdup (error->message);
      if (!stand_in (&form->identity, field, &today))
        return;
    }
}

static void
select_terminal (DcCheckinDialog *self, const char *label)
{
  guint position = GTK_INVALID_LIST_POSITION;

  if (label != NULL && !g_ptr_array_find_with_equal_func (self->terminals, label, g_str_equal, &position))
    position = GTK_INVALID_LIST_POSITION;
  self->updating = TRUE;
  adw_combo_row_set_selected (self->terminal_row, position);
  self->updating = FALSE;
}

static void
suggest_terminal (DcCheckinDialog *self)
{
  const DcBoardTerminal *suggestion = self->board != NULL ? dc_board_suggest (self->board, self->minor) : NULL;

  if (self->chosen_terminal != NULL)
    select_terminal (self, self->chosen_terminal);
  else if (suggestion != NULL)
    select_terminal (self, suggestion->label);
}

static void
show_refusal (DcCheckinDialog *self, const char *message)
{
  gtk_label_set_text (self->refusal_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), message != NULL);
  if (message != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->form_scroller), 0);
}

static void
load_terminals (DcCheckinDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  DcBoard *board = dc_session_read_board (self->session, &error);

  if (board == NULL)
    show_refusal (self, error->message);
  g_clear_pointer (&self->board, dc_board_free);
  self->board = board;
  g_ptr_array_set_size (self->terminals, 0);
  for (guint i = 0; board != NULL && i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);
      g_autofree char *shown = NULL;

      if (t->state != DC_TERMINAL_FREE)
        continue;
      /* Translators: a terminal in the chooser that has filtering software (minors may use it). */
      shown = t->filtered ? g_strdup_printf (_("%s (filtered)"), t->label) : g_strdup (t->label);
      g_ptr_array_add (self->terminals, g_strdup (t->label));
      gtk_string_list_append (model, shown);
    }
  self->updating = TRUE;
  adw_combo_row_set_model (self->terminal_row, G_LIST_MODEL (model));
  self->updating = FALSE;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->terminal_row),
                               self->terminals->len == 0 ? _("No terminal is free.") : NULL);
  if (self->chosen_terminal != NULL
      && !g_ptr_array_find_with_equal_func (self->terminals, self->chosen_terminal, g_str_equal, NULL))
    g_clear_pointer (&self->chosen_terminal, g_free);
  select_terminal (self, NULL);
  suggest_terminal (self);
}

static void
update_minor (DcCheckinDialog *self, const DcIdentity *id)
{
  DcStore *store = dc_session_get_store (self->session);
  gboolean minor = FALSE;
  GDate today;

  dc_store_today (store, &today);
  if (g_date_valid (&id->dob) && g_date_compare (&id->dob, &today) <= 0)
    minor = dc_profile_is_minor (dc_store_profile (store), dc_date_age_on (&id->dob, &today));
  gtk_widget_set_visible (self->minor_badge, minor);
  if (minor == self->minor)
    return;
  self->minor = minor;
  suggest_terminal (self);
}

static gboolean
field_shouts (DcCheckinDialog *self, DcField field)
{
  /* A wrong type comes from a choice the clerk made (the non-resident switch): say so at once. */
  return self->reveal_all || field == DC_FIELD_DOC_TYPE || (self->touched & (1u << field)) != 0;
}

static void
show_note (DcCheckinDialog *self, DcField field, const char *error, const char *reading)
{
  gboolean shout = error != NULL && field_shouts (self, field);
  const char *text = shout ? error : reading;
  GtkWidget *row = self->rows[field];
  GtkWidget *label = GTK_WIDGET (self->note_labels[field]);
  gboolean badge = field == DC_FIELD_DOB && self->minor;

  gtk_label_set_text (self->note_labels[field], text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL);
  set_class (label, "field-error", shout);
  set_class (label, "dim-label", !shout);
  set_class (row, "error", shout);
  gtk_widget_set_visible (self->notes[field], (text != NULL || badge) && gtk_widget_get_visible (row));
  /* the note reads as part of its field: no separator between them */
  set_class (row, "checkin-has-note", gtk_widget_get_visible (self->notes[field]));
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               shout ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  if (shout)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* The terminal row may be scrolled away: the title always says where the customer goes. */
static void
update_subtitle (DcCheckinDialog *self)
{
  const char *terminal = selected_terminal (self);
  gboolean find = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "find") == 0;
  g_autofree char *subtitle = terminal != NULL && !find ? g_strdup_printf (_("Terminal %s"), terminal) : NULL;

  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
}

/* Re-check everything and show it; TRUE when the form may be saved. */
static gboolean
refresh (DcCheckinDialog *self)
{
  const char *terminal;
  Form form = { 0 };
  gboolean valid = TRUE;

  read_form (self, &form);
  update_minor (self, &form.identity);
  terminal = selected_terminal (self);
  collect_errors (self, &form);
  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    {
      DcField field = field_info[i].field;

      valid = valid && form.errors[field] == NULL;
      show_note (self, field, form.errors[field], form.readings[field]);
    }
  valid = valid && form.errors[DC_FIELD_NONE] == NULL && terminal != NULL;
  update_subtitle (self);
  if (self->reveal_all && form.errors[DC_FIELD_NONE] != NULL)
    show_refusal (self, form.errors[DC_FIELD_NONE]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.save", valid);
  form_clear (&form);
  return valid;
}

static void
apply_doc_type (DcCheckinDialog *self)
{
  const DcDocType *type = selected_doc_type (self);
  gboolean number = type == NULL || type->number_allowed;
  DcDocDate kind = type != NULL ? type->date_kind : DC_DOC_DATE_EXPIRY;

  /* A number the law forbids to record is not even kept in a hidden field. */
  if (!number)
    {
      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->rows[DC_FIELD_DOC_NUMBER]), "");
      self->updating = FALSE;
      self->touched &= ~(1u << DC_FIELD_DOC_NUMBER);
    }
  gtk_widget_set_visible (self->rows[DC_FIELD_DOC_NUMBER], number);
  gtk_widget_set_visible (self->no_number_row, !number);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_number_row),
                                 type != NULL && type->number_law != NULL ? _(type->number_law) : "");

  gtk_widget_set_visible (self->rows[DC_FIELD_DOC_EXPIRY], kind != DC_DOC_DATE_ISSUED);
  gtk_widget_set_visible (self->rows[DC_FIELD_DOC_ISSUED],
                          kind == DC_DOC_DATE_ISSUED || kind == DC_DOC_DATE_EXPIRY_OR_ISSUED);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[DC_FIELD_DOC_EXPIRY]),
                                 kind == DC_DOC_DATE_EXPIRY ? _("Expiry date") : _("Expiry date (if any)"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[DC_FIELD_DOC_ISSUED]),
                                 kind == DC_DOC_DATE_ISSUED ? _("Date of issue")
                                                            : _("Date of issue (if there is no expiry date)"));
}

static const char *
doc_code (DcCheckinDialog *self)
{
  const DcDocType *type = selected_doc_type (self);

  return type != NULL ? type->code : NULL;
}

static void
apply_switches (DcCheckinDialog *self)
{
  gboolean non_resident = gtk_switch_get_active (self->non_resident_switch);
  gboolean differs = !non_resident && gtk_switch_get_active (self->differs_switch);

  gtk_widget_set_visible (self->rows[DC_FIELD_ADDRESS], !non_resident);
  gtk_widget_set_visible (self->differs_row, !non_resident);
  gtk_widget_set_visible (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE], differs);
  gtk_widget_set_visible (self->rows[DC_FIELD_SUPPLEMENTARY_DATE], differs);
  gtk_widget_set_visible (self->rows[DC_FIELD_NATIONALITY], non_resident);
  /* the passport's own number is the passport number: it is not asked twice */
  gtk_widget_set_visible (self->rows[DC_FIELD_PASSPORT],
                          non_resident && g_strcmp0 (doc_code (self), "passport") != 0);
}

static void
touch (DcCheckinDialog *self, DcField field)
{
  if (self->updating)
    return;
  self->touched |= 1u << field;
  show_refusal (self, NULL);
}

static DcField
field_of_row (DcCheckinDialog *self, GtkWidget *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    if (self->rows[field_info[i].field] == row)
      return field_info[i].field;
  return DC_FIELD_NONE;
}

static void
on_entry_changed (DcCheckinDialog *self, GtkEditable *row)
{
  if (self->session == NULL)
    return;
  touch (self, field_of_row (self, GTK_WIDGET (row)));
  refresh (self);
}

static void
on_doc_type_selected (DcCheckinDialog *self)
{
  if (self->session == NULL)
    return;
  touch (self, DC_FIELD_DOC_TYPE);
  apply_doc_type (self);
  apply_switches (self);
  refresh (self);
}

static void
on_supplementary_selected (DcCheckinDialog *self)
{
  if (self->session == NULL)
    return;
  touch (self, DC_FIELD_SUPPLEMENTARY_TYPE);
  refresh (self);
}

static void
on_switch_toggled (DcCheckinDialog *self)
{
  if (self->session == NULL)
    return;
  show_refusal (self, NULL);
  apply_switches (self);
  refresh (self);
}

static void
on_terminal_selected (DcCheckinDialog *self)
{
  /* a suggestion made by the code is followed by a refresh of its own */
  if (self->session == NULL || self->updating)
    return;
  g_free (self->chosen_terminal);
  self->chosen_terminal = g_strdup (selected_terminal (self));
  show_refusal (self, NULL);
  refresh (self);
}

static void
focus_first_problem (DcCheckinDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    {
      GtkWidget *row = self->rows[field_info[i].field];

      if (gtk_widget_get_visible (row) && gtk_widget_has_css_class (row, "error"))
        {
          gtk_widget_grab_focus (row);
          return;
        }
    }
  if (selected_terminal (self) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->terminal_row));
}

static gboolean
is_terminal_error (const GError *error)
{
  return g_error_matches (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY)
         || g_error_matches (error, DC_ERROR, DC_ERROR_TERMINAL_NOT_FILTERED)
         || g_error_matches (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE)
         || g_error_matches (error, DC_ERROR, DC_ERROR_NOT_FOUND);
}

static void
checked_in (DcCheckinDialog *self, const DcCheckinResult *result, const char *terminal)
{
  g_autoptr(DcCheckinDialog) hold = g_object_ref (self);

  dc_session_changed (self->session);
  self->new_customer = result->new_customer;
  g_signal_emit (self, signals[CHECKED_IN], 0, result->visit_id, result->member_number, terminal);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
try_save (DcCheckinDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *terminal = NULL;
  DcActor *actor = dc_session_get_actor (self->session);
  DcCheckinRequest request = { .internet = TRUE };
  DcCheckinResult result = { 0 };
  Form form = { 0 };

  if (actor == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (!refresh (self))
    {
      self->reveal_all = TRUE;
      refresh (self);
      focus_first_problem (self);
      return;
    }
  terminal = g_strdup (selected_terminal (self));
  read_form (self, &form);
  request.identity = form.identity;
  request.terminal = terminal;
  if (dc_checkin (dc_session_get_store (self->session), actor, &request, &result, &error))
    checked_in (self, &result, terminal);
  else
    {
      show_refusal (self, error->message);
      if (is_terminal_error (error))
        {
          g_clear_pointer (&self->chosen_terminal, g_free);
          load_terminals (self);
          refresh (self);
        }
    }
  dc_checkin_result_clear (&result);
  form_clear (&form);
}

static void
on_entry_activated (DcCheckinDialog *self)
{
  if (self->session != NULL)
    try_save (self);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  try_save (DC_CHECKIN_DIALOG (widget));
}

/* ---- find a returning customer (Ctrl+F) ---- */

static void
show_find_status (DcCheckinDialog *self, const char *message, gboolean problem)
{
  GtkWidget *label = GTK_WIDGET (self->find_status_label);

  gtk_label_set_text (self->find_status_label, message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  set_class (label, "field-error", problem);
  set_class (label, "checkin-found", !problem);
}

static void
on_find_changed (DcCheckinDialog *self)
{
  const char *name, *text;
  g_autoptr(GError) error = NULL;
  g_autofree char *reading = NULL;
  GDate dob;
  gboolean dob_ok;

  if (self->session == NULL)
    return;
  name = gtk_editable_get_text (GTK_EDITABLE (self->find_name_row));
  text = gtk_editable_get_text (GTK_EDITABLE (self->find_dob_row));
  dob_ok = *text != '\0' && dc_date_parse (text, &dob, &error);
  if (dob_ok)
    reading = date_reading (self, DC_FIELD_DOB, &dob);
  gtk_label_set_text (self->find_dob_note_label, dob_ok ? reading : error != NULL ? error->message : "");
  set_class (GTK_WIDGET (self->find_dob_note_label), "field-error", !dob_ok);
  set_class (GTK_WIDGET (self->find_dob_note_label), "dim-label", dob_ok);
  gtk_widget_set_visible (self->find_dob_note, *text != '\0');
  set_class (self->find_dob_row, "checkin-has-note", *text != '\0');
  set_class (self->find_dob_row, "error", *text != '\0' && !dob_ok);
  show_find_status (self, NULL, FALSE);
  gtk_widget_set_visible (self->find_new_button, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.search", dob_ok && *name != '\0');
}

/* Continue to the form with the name and date of birth found: the document is checked
 * again, so the customer gets a new verification. */
static void
continue_to_form (DcCheckinDialog *self, const char *member)
{
  g_autofree char *message = NULL;

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->rows[DC_FIELD_NAME]),
                         gtk_editable_get_text (GTK_EDITABLE (self->find_name_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->rows[DC_FIELD_DOB]),
                         gtk_editable_get_text (GTK_EDITABLE (self->find_dob_row)));
  self->updating = FALSE;
  self->touched |= (1u << DC_FIELD_NAME) | (1u << DC_FIELD_DOB);
  message = member != NULL ? g_strdup_printf (_("Member %s: check their identity document again."), member)
                           : g_strdup (_("Not on record: a new customer. Check their identity document."));
  gtk_label_set_text (self->found_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->found_label), TRUE);
  dc_checkin_dialog_set_find_mode (self, FALSE);
  refresh (self);
}

static void
search (DcCheckinDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;
  g_autofree char *message = NULL;
  DcActor *actor = dc_session_get_actor (self->session);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->find_name_row));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_dob_row));
  gboolean found = FALSE, inside = FALSE;
  GDate dob;

  if (actor == NULL)
    return;
  g_date_clear (&dob, 1);
  if ((*text != '\0' && !dc_date_parse (text, &dob, &error))
      || !dc_find_person (dc_session_get_store (self->session), actor, name, &dob, &found, &member, &inside, &error))
    {
      show_find_status (self, error->message, TRUE);
      return;
    }
  if (found && inside)
    {
      message = g_strdup_printf (_("Member %s is already in the store."), member);
      show_find_status (self, message, TRUE);
    }
  else if (found)
    continue_to_form (self, member);
  else
    {
      show_find_status (self, _("Nobody with this name and date of birth is on record."), FALSE);
      gtk_widget_set_visible (self->find_new_button, TRUE);
    }
}

static void
on_find_activated (DcCheckinDialog *self)
{
  if (self->session != NULL)
    search (self);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  search (DC_CHECKIN_DIALOG (widget));
}

static void
find_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dc_checkin_dialog_set_find_mode (DC_CHECKIN_DIALOG (widget), TRUE);
}

static void
new_from_find_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  continue_to_form (DC_CHECKIN_DIALOG (widget), NULL);
}

void
dc_checkin_dialog_set_find_mode (DcCheckinDialog *self, gboolean find)
{
  GtkEditable *name = GTK_EDITABLE (self->find_name_row);
  GtkEditable *dob = GTK_EDITABLE (self->find_dob_row);

  g_return_if_fail (DC_IS_CHECKIN_DIALOG (self));

  /* what the clerk already typed in the form is what they will search for */
  if (find && *gtk_editable_get_text (name) == '\0' && *gtk_editable_get_text (dob) == '\0')
    {
      gtk_editable_set_text (name, gtk_editable_get_text (GTK_EDITABLE (self->rows[DC_FIELD_NAME])));
      gtk_editable_set_text (dob, gtk_editable_get_text (GTK_EDITABLE (self->rows[DC_FIELD_DOB])));
    }
  gtk_stack_set_visible_child_name (self->stack, find ? "find" : "form");
  adw_window_title_set_title (self->window_title, find ? _("Find a Customer") : _("Check-in"));
  update_subtitle (self);
  gtk_widget_set_visible (self->save_button, !find);
  gtk_widget_set_visible (self->find_button, find);
  gtk_window_set_default_widget (GTK_WINDOW (self), find ? self->find_button : self->save_button);
  gtk_window_set_focus (GTK_WINDOW (self), find ? self->find_name_row : self->rows[DC_FIELD_DOC_TYPE]);
}

/* ---- set-up ---- */

static void
fill_choosers (DcCheckinDialog *self)
{
  const DcProfile *profile = dc_store_profile (dc_session_get_store (self->session));
  g_autoptr(GtkStringList) docs = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) supplementary = gtk_string_list_new (NULL);
  const DcDocType *types;
  const DcSupplementaryType *supp;
  gsize n;

  types = dc_doc_types (&n);
  for (gsize i = 0; i < n; i++)
    if (!types[i].needs_profile_permission || profile->allow_health_insurance_card)
      {
        g_ptr_array_add (self->doc_types, (gpointer) &types[i]);
        gtk_string_list_append (docs, _(types[i].label));
      }
  supp = dc_supplementary_types (&n);
  for (gsize i = 0; i < n; i++)
    gtk_string_list_append (supplementary, _(supp[i].label));

  self->updating = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->rows[DC_FIELD_DOC_TYPE]), G_LIST_MODEL (docs));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE]), G_LIST_MODEL (supplementary));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE]), GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;
}

static void
dc_checkin_dialog_dispose (GObject *object)
{
  DcCheckinDialog *self = DC_CHECKIN_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->board, dc_board_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_CHECKIN_DIALOG);
  G_OBJECT_CLASS (dc_checkin_dialog_parent_class)->dispose (object);
}

static void
dc_checkin_dialog_finalize (GObject *object)
{
  DcCheckinDialog *self = DC_CHECKIN_DIALOG (object);

  g_ptr_array_unref (self->doc_types);
  g_ptr_array_unref (self->terminals);
  g_free (self->chosen_terminal);
  G_OBJECT_CLASS (dc_checkin_dialog_parent_class)->finalize (object);
}

static void
bind_fields (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    {
      const FieldInfo *info = &field_info[i];
      gssize slot = (gssize) info->field * (gssize) sizeof (gpointer);

      gtk_widget_class_bind_template_child_full (widget_class, info->row, FALSE,
                                                 G_STRUCT_OFFSET (DcCheckinDialog, rows) + slot);
      gtk_widget_class_bind_template_child_full (widget_class, info->note, FALSE,
                                                 G_STRUCT_OFFSET (DcCheckinDialog, notes) + slot);
      gtk_widget_class_bind_template_child_full (widget_class, info->label, FALSE,
                                                 G_STRUCT_OFFSET (DcCheckinDialog, note_labels) + slot);
    }
}

gboolean
dc_checkin_dialog_made_new_member (DcCheckinDialog *self)
{
  g_return_val_if_fail (DC_IS_CHECKIN_DIALOG (self), FALSE);
  return self->new_customer;
}

static void
dc_checkin_dialog_class_init (DcCheckinDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_checkin_dialog_dispose;
  object_class->finalize = dc_checkin_dialog_finalize;

  signals[CHECKED_IN] = g_signal_new ("checked-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-checkin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, find_button);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, form_scroller);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, found_label);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, no_number_row);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, minor_badge);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, differs_row);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, differs_switch);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, non_resident_switch);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, terminal_row);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, find_name_row);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, find_dob_row);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, find_dob_note);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, find_dob_note_label);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, find_status_label);
  gtk_widget_class_bind_template_child (widget_class, DcCheckinDialog, find_new_button);
  bind_fields (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_doc_type_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_supplementary_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_terminal_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_find_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_find_activated);

  gtk_widget_class_install_action (widget_class, "checkin.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "checkin.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "checkin.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "checkin.new-from-find", NULL, new_from_find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "checkin.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dc_checkin_dialog_init (DcCheckinDialog *self)
{
  self->doc_types = g_ptr_array_new ();
  self->terminals = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.save", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.search", FALSE);
}

DcCheckinDialog *
dc_checkin_dialog_new (GtkWindow *parent, DcSession *session, const char *terminal)
{
  DcCheckinDialog *self = g_object_new (DC_TYPE_CHECKIN_DIALOG, "transient-for", parent, "modal", TRUE, NULL);

  g_return_val_if_fail (DC_IS_SESSION (session), self);

  self->session = g_object_ref (session);
  fill_choosers (self);
  /* a terminal the clerk picked on the board is their choice, not a suggestion */
  self->chosen_terminal = g_strdup (terminal);
  load_terminals (self);
  apply_doc_type (self);
  apply_switches (self);
  refresh (self);
  dc_checkin_dialog_set_find_mode (self, FALSE);
  return self;
}
