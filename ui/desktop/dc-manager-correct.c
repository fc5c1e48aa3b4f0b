/* ui/desktop/dc-manager-correct.c — the correction form: the identity as on record, checked as at check-in, and a reason. */
#include "dc-manager-correct.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

/* One slot per identity field (indexed by DcField), and one for the reason. */
#define REASON  (DC_FIELD_PASSPORT + 1)
#define N_SLOTS (REASON + 1)

typedef struct {
  guint       slot;
  const char *row;
  const char *note;
  const char *label;
  gboolean    date;
} SlotInfo;

#define SLOT(s, key, is_date) { s, key "_row", key "_note", key "_note_label", is_date }

static const SlotInfo slot_info[] = {
  SLOT (REASON, "reason", FALSE),
  SLOT (DC_FIELD_DOC_TYPE, "doc_type", FALSE),
  SLOT (DC_FIELD_DOC_NUMBER, "doc_number", FALSE),
  SLOT (DC_FIELD_DOC_EXPIRY, "expiry", TRUE),
  SLOT (DC_FIELD_DOC_ISSUED, "issued", TRUE),
  SLOT (DC_FIELD_NAME, "name", FALSE),
  SLOT (DC_FIELD_KANA, "kana", FALSE),
  SLOT (DC_FIELD_DOB, "dob", TRUE),
  SLOT (DC_FIELD_ADDRESS, "address", FALSE),
  SLOT (DC_FIELD_SUPPLEMENTARY_TYPE, "supplementary", FALSE),
  SLOT (DC_FIELD_SUPPLEMENTARY_DATE, "supplementary_date", TRUE),
  SLOT (DC_FIELD_NATIONALITY, "nationality", FALSE),
  SLOT (DC_FIELD_PASSPORT, "passport", FALSE),
};

struct _DcManagerCorrect
{
  AdwWindow          parent_instance;

  AdwWindowTitle    *window_title;
  GtkWidget         *save_button;
  GtkScrolledWindow *scroller;
  GtkLabel          *refusal_label;
  GtkWidget         *no_number_row;
  GtkWidget         *differs_row;
  GtkSwitch         *differs_switch;
  GtkSwitch         *non_resident_switch;
  GtkWidget         *rows[N_SLOTS];
  GtkWidget         *notes[N_SLOTS];
  GtkLabel          *note_labels[N_SLOTS];

  DcSession         *session;        /* NULL once disposed */
  GPtrArray         *doc_types;      /* const DcDocType *, as listed */
  gint64             verification_id;
  GDate              day;            /* the document's rules are those of this day */
  gboolean           updating;       /* the code, not the manager, changes a widget */
  gboolean           reveal_all;     /* after a save attempt the reason's problem shows too */
  guint              touched;
};

G_DEFINE_FINAL_TYPE (DcManagerCorrect, dc_manager_correct, ADW_TYPE_WINDOW)

enum { CORRECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  DcIdentity identity;    /* strings borrowed from the widgets */
  char      *errors[N_SLOTS];
} Form;

static void
form_clear (Form *form)
{
  for (guint i = 0; i < N_SLOTS; i++)
    g_free (form->errors[i]);
}

static const DcDocType *
selected_doc_type (DcManagerCorrect *self)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->rows[DC_FIELD_DOC_TYPE]));

  return i < self->doc_types->len ? g_ptr_array_index (self->doc_types, i) : NULL;
}

static const char *
selected_supplementary (DcManagerCorrect *self)
{
  gsize n;
  const DcSupplementaryType *types = dc_supplementary_types (&n);
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE]));

  return i < n ? types[i].code : NULL;
}

/* A hidden row counts as not given: the type or a switch rules that field out. */
static const char *
shown_text (DcManagerCorrect *self, guint slot)
{
  GtkWidget *row = self->rows[slot];

  return gtk_widget_get_visible (row) ? gtk_editable_get_text (GTK_EDITABLE (row)) : NULL;
}

static void
read_date (DcManagerCorrect *self, guint slot, GDate *out, Form *form)
{
  const char *text = shown_text (self, slot);
  g_autoptr(GError) error = NULL;

  if (text != NULL && *text != '\0' && !dc_date_parse (text, out, &error))
    form->errors[slot] = g_strdup (error->message);
}

static void
read_form (DcManagerCorrect *self, Form *form)
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

static const char *
reason_text (DcManagerCorrect *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->rows[REASON]));
}

/* The rules are app/'s: the same check as at check-in, on the day of the check. */
static void
check_form (DcManagerCorrect *self, Form *form)
{
  DcStore *store = dc_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = g_strstrip (g_strdup (reason_text (self)));
  DcField field = DC_FIELD_NONE;

  if (!dc_identity_check (&form->identity, &self->day, dc_store_profile (store)->allow_health_insurance_card,
                          &field, &error)
      && form->errors[field] == NULL)
    form->errors[field] = g_strdup (error->message);
  if (g_utf8_strlen (reason, -1) < 2 || g_utf8_strlen (reason, -1) > 500)
    form->errors[REASON] = g_strdup (_("Say why the record is corrected (2 to 500 characters)."));
}

static void
show_note (DcManagerCorrect *self, guint slot, const char *error)
{
  gboolean shout = error != NULL && (slot != REASON || self->reveal_all || (self->touched & (1u << REASON)));
  GtkWidget *row = self->rows[slot];

  gtk_label_set_text (self->note_labels[slot], shout ? error : "");
  gtk_widget_set_visible (self->notes[slot], shout && gtk_widget_get_visible (row));
  if (shout)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  if (gtk_widget_get_visible (self->notes[slot]))
    gtk_widget_add_css_class (row, "checkin-has-note");
  else
    gtk_widget_remove_css_class (row, "checkin-has-note");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               shout ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  if (shout)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Check everything and show it; TRUE when the correction may be saved. */
static gboolean
refresh (DcManagerCorrect *self)
{
  Form form = { 0 };
  gboolean valid = TRUE;

  read_form (self, &form);
  check_form (self, &form);
  for (guint i = 0; i < G_N_ELEMENTS (slot_info); i++)
    {
      guint slot = slot_info[i].slot;

      valid = valid && form.errors[slot] == NULL;
      show_note (self, slot, form.errors[slot]);
    }
  valid = valid && form.errors[DC_FIELD_NONE] == NULL;
  if (form.errors[DC_FIELD_NONE] != NULL && self->reveal_all)
    {
      gtk_label_set_text (self->refusal_label, form.errors[DC_FIELD_NONE]);
      gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), TRUE);
    }
  form_clear (&form);
  return valid;
}

static void
apply_doc_type (DcManagerCorrect *self)
{
  const DcDocType *type = selected_doc_type (self);
  gboolean number = type == NULL || type->number_allowed;
  DcDocDate kind = type != NULL ? type->date_kind : DC_DOC_DATE_EXPIRY;

  /* a number the law forbids to record is not even kept in a hidden field */
  if (!number)
    {
      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->rows[DC_FIELD_DOC_NUMBER]), "");
      self->updating = FALSE;
    }
  gtk_widget_set_visible (self->rows[DC_FIELD_DOC_NUMBER], number);
  gtk_widget_set_visible (self->no_number_row, !number);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_number_row),
                                 type != NULL && type->number_law != NULL ? _(type->number_law) : "");
  gtk_widget_set_visible (self->rows[DC_FIELD_DOC_EXPIRY], kind != DC_DOC_DATE_ISSUED);
  gtk_widget_set_visible (self->rows[DC_FIELD_DOC_ISSUED],
                          kind == DC_DOC_DATE_ISSUED || kind == DC_DOC_DATE_EXPIRY_OR_ISSUED);
}

static void
apply_switches (DcManagerCorrect *self)
{
  gboolean non_resident = gtk_switch_get_active (self->non_resident_switch);
  gboolean differs = !non_resident && gtk_switch_get_active (self->differs_switch);

  gtk_widget_set_visible (self->rows[DC_FIELD_ADDRESS], !non_resident);
  gtk_widget_set_visible (self->differs_row, !non_resident);
  gtk_widget_set_visible (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE], differs);
  gtk_widget_set_visible (self->rows[DC_FIELD_SUPPLEMENTARY_DATE], differs);
  gtk_widget_set_visible (self->rows[DC_FIELD_NATIONALITY], non_resident);
  gtk_widget_set_visible (self->rows[DC_FIELD_PASSPORT], non_resident);
}

static void
on_input_changed (DcManagerCorrect *self, GtkEditable *row)
{
  if (self->session == NULL || self->updating)
    return;
  if (GTK_WIDGET (row) == self->rows[REASON])
    self->touched |= 1u << REASON;
  gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), FALSE);
  refresh (self);
}

static void
on_choice_changed (DcManagerCorrect *self)
{
  if (self->session == NULL || self->updating)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), FALSE);
  apply_doc_type (self);
  apply_switches (self);
  refresh (self);
}

static void
focus_first_problem (DcManagerCorrect *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (slot_info); i++)
    {
      GtkWidget *row = self->rows[slot_info[i].slot];

      if (gtk_widget_get_visible (row) && gtk_widget_has_css_class (row, "error"))
        {
          gtk_widget_grab_focus (row);
          return;
        }
    }
}

static void
do_save (GtkWidget *widget, DcActor *manager)
{
  DcManagerCorrect *self = DC_MANAGER_CORRECT (widget);
  g_autoptr(DcManagerCorrect) hold = g_object_ref (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = g_strstrip (g_strdup (reason_text (self)));
  DcField field = DC_FIELD_NONE;
  Form form = { 0 };
  gint64 new_id = 0;
  gboolean ok;

  read_form (self, &form);
  ok = dc_correct_identity (dc_session_get_store (self->session), manager, self->verification_id, &form.identity,
                            reason, &new_id, &field, &error);
  form_clear (&form);
  if (!ok)
    {
      if (field != DC_FIELD_NONE)
        {
          show_note (self, field, error->message);
          gtk_widget_grab_focus (self->rows[field]);
          return;
        }
      gtk_label_set_text (self->refusal_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), TRUE);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
      return;
    }
  g_signal_emit (self, signals[CORRECTED], 0, new_id, self->verification_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerCorrect *self = DC_MANAGER_CORRECT (widget);

  if (self->session == NULL)
    return;
  self->reveal_all = TRUE;
  if (!refresh (self))
    {
      focus_first_problem (self);
      return;
    }
  /* the step-up may have ended while the form was filled in */
  dc_step_up_then (widget, self->session, do_save);
}

static void
on_entry_activated (DcManagerCorrect *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "correct.save", NULL);
}

/* ---- filling in ---- */

static void
set_text (DcManagerCorrect *self, guint slot, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->rows[slot]), text != NULL ? text : "");
}

static void
set_date (DcManagerCorrect *self, guint slot, const GDate *date)
{
  g_autofree char *iso = g_date_valid (date) ? dc_date_to_iso (date) : NULL;

  set_text (self, slot, iso);
}

static void
fill_choosers (DcManagerCorrect *self, const char *doc_type)
{
  const DcProfile *profile = dc_store_profile (dc_session_get_store (self->session));
  g_autoptr(GtkStringList) docs = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) supplementary = gtk_string_list_new (NULL);
  const DcDocType *types;
  const DcSupplementaryType *supp;
  gsize n;

  types = dc_doc_types (&n);
  for (gsize i = 0; i < n; i++)
    /* the record's own type stays choosable even where the profile no longer takes it */
    if (!types[i].needs_profile_permission || profile->allow_health_insurance_card
        || g_strcmp0 (types[i].code, doc_type) == 0)
      {
        g_ptr_array_add (self->doc_types, (gpointer) &types[i]);
        gtk_string_list_append (docs, _(types[i].label));
      }
  supp = dc_supplementary_types (&n);
  for (gsize i = 0; i < n; i++)
    gtk_string_list_append (supplementary, _(supp[i].label));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->rows[DC_FIELD_DOC_TYPE]), G_LIST_MODEL (docs));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE]), G_LIST_MODEL (supplementary));
}

static guint
doc_position (DcManagerCorrect *self, const char *code)
{
  for (guint i = 0; i < self->doc_types->len; i++)
    if (g_strcmp0 (((const DcDocType *) g_ptr_array_index (self->doc_types, i))->code, code) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static guint
supplementary_position (const char *code)
{
  gsize n;
  const DcSupplementaryType *types = dc_supplementary_types (&n);

  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (types[i].code, code) == 0)
      return (guint) i;
  return GTK_INVALID_LIST_POSITION;
}

static void
fill_in (DcManagerCorrect *self, const DcIdentity *id)
{
  self->updating = TRUE;
  fill_choosers (self, id->doc_type);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->rows[DC_FIELD_DOC_TYPE]), doc_position (self, id->doc_type));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->rows[DC_FIELD_SUPPLEMENTARY_TYPE]),
                              supplementary_position (id->supplementary_type));
  set_text (self, DC_FIELD_DOC_NUMBER, id->doc_number);
  set_date (self, DC_FIELD_DOC_EXPIRY, &id->doc_expiry);
  set_date (self, DC_FIELD_DOC_ISSUED, &id->doc_issued);
  set_text (self, DC_FIELD_NAME, id->name);
  set_text (self, DC_FIELD_KANA, id->kana);
  set_date (self, DC_FIELD_DOB, &id->dob);
  set_text (self, DC_FIELD_ADDRESS, id->address);
  gtk_switch_set_active (self->differs_switch, id->address_differs);
  set_date (self, DC_FIELD_SUPPLEMENTARY_DATE, &id->supplementary_date);
  gtk_switch_set_active (self->non_resident_switch, id->non_resident);
  set_text (self, DC_FIELD_NATIONALITY, id->nationality);
  set_text (self, DC_FIELD_PASSPORT, id->passport_number);
  self->updating = FALSE;
  apply_doc_type (self);
  apply_switches (self);
}

static void
dc_manager_correct_dispose (GObject *object)
{
  DcManagerCorrect *self = DC_MANAGER_CORRECT (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_CORRECT);
  G_OBJECT_CLASS (dc_manager_correct_parent_class)->dispose (object);
}

static void
dc_manager_correct_finalize (GObject *object)
{
  g_ptr_array_unref (DC_MANAGER_CORRECT (object)->doc_types);
  G_OBJECT_CLASS (dc_manager_correct_parent_class)->finalize (object);
}

static void
bind_slots (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (slot_info); i++)
    {
      const SlotInfo *info = &slot_info[i];
      gssize offset = (gssize) info->slot * (gssize) sizeof (gpointer);

      gtk_widget_class_bind_template_child_full (widget_class, info->row, FALSE,
                                                 G_STRUCT_OFFSET (DcManagerCorrect, rows) + offset);
      gtk_widget_class_bind_template_child_full (widget_class, info->note, FALSE,
                                                 G_STRUCT_OFFSET (DcManagerCorrect, notes) + offset);
      gtk_widget_class_bind_template_child_full (widget_class, info->label, FALSE,
                                                 G_STRUCT_OFFSET (DcManagerCorrect, note_labels) + offset);
    }
}

static void
dc_manager_correct_class_init (DcManagerCorrectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_correct_dispose;
  object_class->finalize = dc_manager_correct_finalize;

  signals[CORRECTED] = g_signal_new ("corrected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-correct.ui");
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, window_title);
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, save_button);
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, scroller);
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, no_number_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, differs_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, differs_switch);
  gtk_widget_class_bind_template_child (widget_class, DcManagerCorrect, non_resident_switch);
  bind_slots (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "correct.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dc_manager_correct_init (DcManagerCorrect *self)
{
  self->doc_types = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

DcManagerCorrect *
dc_manager_correct_new (GtkWindow *parent, DcSession *session, gint64 verification_id, gint64 verified_at,
                        const DcIdentityRecord *record)
{
  DcManagerCorrect *self = g_object_new (DC_TYPE_MANAGER_CORRECT, "transient-for", parent, NULL);
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (DC_IS_SESSION (session), self);

  self->session = g_object_ref (session);
  self->verification_id = verification_id;
  dc_date_from_instant (verified_at, dc_store_timezone (dc_session_get_store (session)), &self->day);
  /* Translators: the correction form's subtitle: which record is corrected. */
  subtitle = g_strdup_printf (_("Record #%" PRId64), verification_id);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  fill_in (self, &record->identity);
  refresh (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  gtk_window_set_focus (GTK_WINDOW (self), self->rows[REASON]);
  return self;
}
