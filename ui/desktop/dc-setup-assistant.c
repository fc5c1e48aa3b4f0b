/* ui/desktop/dc-setup-assistant.c — the first-run assistant: store, manager, recovery key, terminals, staff. */
#include "dc-setup-assistant-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static const char *const step_names[N_STEPS] = { "store", "manager", "recovery", "terminals", "staff" };

/* In the order of the role chooser in the .ui. */
static const char *const role_ids[] = { "counter", "manager", "auditor" };
static const char *const role_labels[] = { N_("Counter staff"), N_("Manager"), N_("Auditor") };

#define MIN_PASSPHRASE_CHARS 10   /* the vault refuses shorter ones */

typedef enum
{
  STRENGTH_NONE,
  STRENGTH_WEAK,
  STRENGTH_FAIR,
  STRENGTH_STRONG
} Strength;


G_DEFINE_FINAL_TYPE (DcSetupAssistant, dc_setup_assistant, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_FINISHED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (DcSetupAssistant *self);

/* ---- small helpers ---- */

static gboolean
is_blank (gpointer editable)
{
  g_autofree char *text = trimmed (editable);

  return *text == '\0';
}

static const char *
profile_id (DcSetupAssistant *self)
{
  gsize n;
  const DcProfile *profiles = dc_profile_list (&n);
  guint selected = adw_combo_row_get_selected (self->profile);

  return selected < n ? profiles[selected].id : NULL;
}

static const char *
staff_role_id (DcSetupAssistant *self)
{
  guint selected = adw_combo_row_get_selected (self->staff_role);

  return selected < G_N_ELEMENTS (role_ids) ? role_ids[selected] : role_ids[0];
}

/* ---- what makes a step complete ---- */

/* A hint, not a rule: the vault's only rule is the minimum length. */
static Strength
passphrase_strength (const char *text)
{
  glong n = g_utf8_strlen (text, -1);
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE, wide = FALSE;
  guint classes;

  if (n == 0)
    return STRENGTH_NONE;
  if (n < MIN_PASSPHRASE_CHARS)
    return STRENGTH_WEAK;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x80)
        wide = TRUE;
      else if (g_ascii_islower (c))
        lower = TRUE;
      else if (g_ascii_isupper (c))
        upper = TRUE;
      else if (g_ascii_isdigit (c))
        digit = TRUE;
      else
        other = TRUE;
    }
  classes = lower + upper + digit + other + wide;
  if ((n >= 16 && classes >= 2) || (n >= 12 && classes >= 3))
    return STRENGTH_STRONG;
  return STRENGTH_FAIR;
}

/* The vault's PIN rule, checked here only to say so before Next is pressed. */
static gboolean
pin_is_valid (const char *pin)
{
  gsize len = strlen (pin);

  if (len < 4 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

static gboolean
secrets_ok (gpointer pass, gpointer pass_again, gpointer pin, gpointer pin_again, gboolean need_pass)
{
  if (need_pass && (passphrase_strength (text_of (pass)) < STRENGTH_FAIR
                    || !g_str_equal (text_of (pass), text_of (pass_again))))
    return FALSE;
  return pin_is_valid (text_of (pin)) && g_str_equal (text_of (pin), text_of (pin_again));
}

/* ---- work in a thread: Argon2id takes about a second ---- */

typedef struct
{
  char     *dir;
  char     *name;
  char     *operator_name;
  char     *address;
  char     *prefecture;
  char     *manager_name;
  DcSecret *passphrase;
  DcSecret *pin;
  char     *staff_name;
  char     *staff_role;
  DcSecret *staff_pin;
  DcSecret *staff_passphrase;
  gboolean  finish_after;
  /* the store and the manager travel with the job while a thread uses them */
  DcStore  *store;
  DcActor  *manager;
  char     *code;
} Job;

static void
job_free (Job *job)
{
  g_free (job->dir);
  g_free (job->name);
  g_free (job->operator_name);
  g_free (job->address);
  g_free (job->prefecture);
  g_free (job->manager_name);
  dc_secret_free (job->passphrase);
  dc_secret_free (job->pin);
  g_free (job->staff_name);
  g_free (job->staff_role);
  dc_secret_free (job->staff_pin);
  dc_secret_free (job->staff_passphrase);
  dc_secret_free (job->code);
  g_clear_pointer (&job->manager, dc_actor_free);
  g_clear_pointer (&job->store, dc_store_free);
  g_free (job);
}

static void
set_busy (DcSetupAssistant *self, gboolean busy)
{
  self->busy = busy;
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  update (self);
}

static void
run_job (DcSetupAssistant *self, Job *job, GTaskThreadFunc func, GAsyncReadyCallback done)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, done, NULL);

  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, func);
}

static void
create_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  DcStoreSetup setup = {
    .name = job->name,
    .operator_name = job->operator_name,
    .address = job->address,
    .prefecture = job->prefecture,
    .manager = job->manager_name,
  };

  job->store = dc_store_create (job->dir, &setup, job->passphrase, job->pin, &job->code, &error);
  if (job->store != NULL)
    job->manager = dc_store_sign_in_passphrase (job->store, job->manager_name, job->passphrase, &error);
  if (job->manager == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void go_to (DcSetupAssistant *self, Step step);

static void
on_create_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self->create_error, error->message);
      toast (self, error->message);
      go_to (self, STEP_MANAGER);
      return;
    }
  self->store = g_steal_pointer (&job->store);
  self->manager = g_steal_pointer (&job->manager);
  self->code = g_steal_pointer (&job->code);
  self->created = TRUE;
  /* the secrets now live in the vault's slots and the manager's unlocked actor only */
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_again), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_again), "");
  dc_setup_assistant_show_recovery (self);
  set_busy (self, FALSE);
}

static void
start_create (DcSetupAssistant *self)
{
  Job *job = g_new0 (Job, 1);

  job->dir = g_strdup (self->store_dir);
  job->name = trimmed (self->store_name);
  job->operator_name = trimmed (self->operator_name);
  job->address = is_blank (self->address) ? NULL : trimmed (self->address);
  job->prefecture = g_strdup (profile_id (self));
  job->manager_name = trimmed (self->manager_name);
  job->passphrase = dc_secret_dup (text_of (self->passphrase));
  job->pin = dc_secret_dup (text_of (self->pin));
  show_error (self->create_error, NULL);
  gtk_stack_set_visible_child_name (self->recovery_stack, "creating");
  go_to (self, STEP_RECOVERY);
  run_job (self, job, create_thread, on_create_done);
}

static void
staff_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (dc_store_add_staff (job->store, job->manager, job->staff_name, job->staff_role, job->staff_pin,
                          job->staff_passphrase, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void finish (DcSetupAssistant *self);

static void
list_staff (DcSetupAssistant *self, const char *name, const char *role)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  for (gsize i = 0; i < G_N_ELEMENTS (role_ids); i++)
    if (g_str_equal (role, role_ids[i]))
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(role_labels[i]));
  adw_preferences_group_add (self->staff_list, row);
}

static void
on_staff_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->store = g_steal_pointer (&job->store);
  self->manager = g_steal_pointer (&job->manager);
  set_busy (self, FALSE);
  if (error != NULL)
    {
      show_error (self->staff_error, error->message);
      return;
    }
  list_staff (self, job->staff_name, job->staff_role);
  adw_combo_row_set_selected (self->staff_role, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->staff_name), "");
  gtk_editable_set_text (GTK_EDITABLE (self->staff_pin), "");
  gtk_editable_set_text (GTK_EDITABLE (self->staff_pin_again), "");
  gtk_editable_set_text (GTK_EDITABLE (self->staff_passphrase), "");
  gtk_editable_set_text (GTK_EDITABLE (self->staff_passphrase_again), "");
  if (job->finish_after)
    finish (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->staff_name));
}

static void
start_add_staff (DcSetupAssistant *self, gboolean finish_after)
{
  Job *job = g_new0 (Job, 1);

  job->staff_name = trimmed (self->staff_name);
  job->staff_role = g_strdup (staff_role_id (self));
  job->staff_pin = dc_secret_dup (text_of (self->staff_pin));
  if (!g_str_equal (job->staff_role, "counter"))
    job->staff_passphrase = dc_secret_dup (text_of (self->staff_passphrase));
  job->finish_after = finish_after;
  job->store = g_steal_pointer (&self->store);
  job->manager = g_steal_pointer (&self->manager);
  show_error (self->staff_error, NULL);
  run_job (self, job, staff_thread, on_staff_done);
}

/* ---- moving between steps ---- */

static gboolean
step_complete (DcSetupAssistant *self)
{
  if (self->busy || self->finished)
    return FALSE;
  switch (self->step)
    {
    case STEP_STORE:
      return !is_blank (self->store_name) && !is_blank (self->operator_name) && profile_id (self) != NULL;
    case STEP_MANAGER:
      return !is_blank (self->manager_name)
             && secrets_ok (self->passphrase, self->passphrase_again, self->pin, self->pin_again, TRUE);
    case STEP_RECOVERY:
      return dc_setup_assistant_recovery_confirmed (self);
    case STEP_TERMINALS:
      return dc_setup_assistant_terminals_valid (self);
    case STEP_STAFF:
      return is_blank (self->staff_name)
             || secrets_ok (self->staff_passphrase, self->staff_passphrase_again, self->staff_pin,
                            self->staff_pin_again, !g_str_equal (staff_role_id (self), "counter"));
    case N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

static void
focus_step (DcSetupAssistant *self)
{
  GtkWidget *first[N_STEPS] = {
    GTK_WIDGET (self->store_name), GTK_WIDGET (self->manager_name), GTK_WIDGET (self->recovery_confirm),
    GTK_WIDGET (self->prefix), GTK_WIDGET (self->staff_name),
  };

  gtk_widget_grab_focus (first[self->step]);
}

static void
go_to (DcSetupAssistant *self, Step step)
{
  self->step = step;
  gtk_stack_set_visible_child_name (self->pages, step_names[step]);
  update (self);
  focus_step (self);
}

static void
finish (DcSetupAssistant *self)
{
  DcStore *store = g_steal_pointer (&self->store);

  g_clear_pointer (&self->manager, dc_actor_free);
  self->finished = TRUE;
  update (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, store);
}

static void
next_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (widget);

  if (!step_complete (self))
    return;
  switch (self->step)
    {
    case STEP_STORE:
      go_to (self, STEP_MANAGER);
      break;
    case STEP_MANAGER:
      start_create (self);
      break;
    case STEP_RECOVERY:
      dc_setup_assistant_forget_recovery (self);
      go_to (self, STEP_TERMINALS);
      break;
    case STEP_TERMINALS:
      if (dc_setup_assistant_add_terminals (self))
        {
          list_staff (self, dc_actor_name (self->manager), "manager");
          go_to (self, STEP_STAFF);
        }
      break;
    case STEP_STAFF:
      if (is_blank (self->staff_name))
        finish (self);
      else
        start_add_staff (self, TRUE);
      break;
    case N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (widget);

  if (!self->created && !self->busy && self->step == STEP_MANAGER)
    go_to (self, STEP_STORE);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (widget);

  if (!self->created && !self->busy)
    g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
add_staff_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (widget);

  if (self->step == STEP_STAFF && !self->busy && !is_blank (self->staff_name) && step_complete (self))
    start_add_staff (self, FALSE);
}

/* ---- keeping hints, buttons and the step indicator current ---- */

static void
update_manager_hints (DcSetupAssistant *self)
{
  static const char *const classes[] = { NULL, "weak", "fair", "strong" };
  Strength strength = passphrase_strength (text_of (self->passphrase));
  const char *hint = NULL;
  const char *pin = text_of (self->pin);

  switch (strength)
    {
    case STRENGTH_NONE:
      hint = "";
      break;
    case STRENGTH_WEAK:
      hint = _("Weak: use at least 10 characters.");
      break;
    case STRENGTH_FAIR:
      hint = _("Fair: longer, or with digits, capitals or symbols, is stronger.");
      break;
    case STRENGTH_STRONG:
      hint = _("Strong.");
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_level_bar_set_value (self->strength_bar, strength);
  gtk_label_set_text (self->strength_hint, hint);
  for (gsize i = 1; i < G_N_ELEMENTS (classes); i++)
    if (i == strength)
      gtk_widget_add_css_class (GTK_WIDGET (self->strength_hint), classes[i]);
    else
      gtk_widget_remove_css_class (GTK_WIDGET (self->strength_hint), classes[i]);

  show_error (self->passphrase_error,
              *text_of (self->passphrase_again) != '\0'
                && !g_str_equal (text_of (self->passphrase), text_of (self->passphrase_again))
              ? _("The two passphrases differ.") : NULL);
  if (*pin != '\0' && !pin_is_valid (pin))
    show_error (self->pin_error, _("A PIN is 4 to 8 digits."));
  else if (*text_of (self->pin_again) != '\0' && !g_str_equal (pin, text_of (self->pin_again)))
    show_error (self->pin_error, _("The two PINs differ."));
  else
    show_error (self->pin_error, NULL);
}

static void
update_staff_hints (DcSetupAssistant *self)
{
  gboolean needs_pass = !g_str_equal (staff_role_id (self), "counter");
  const char *pin = text_of (self->staff_pin);

  gtk_widget_set_visible (GTK_WIDGET (self->staff_passphrase), needs_pass);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_passphrase_again), needs_pass);
  if (*pin != '\0' && !pin_is_valid (pin))
    show_error (self->staff_error, _("A PIN is 4 to 8 digits."));
  else if (*text_of (self->staff_pin_again) != '\0' && !g_str_equal (pin, text_of (self->staff_pin_again)))
    show_error (self->staff_error, _("The two PINs differ."));
  else if (needs_pass && *text_of (self->staff_passphrase) != '\0'
           && passphrase_strength (text_of (self->staff_passphrase)) < STRENGTH_FAIR)
    show_error (self->staff_error, _("Weak: use at least 10 characters."));
  else if (needs_pass && *text_of (self->staff_passphrase_again) != '\0'
           && !g_str_equal (text_of (self->staff_passphrase), text_of (self->staff_passphrase_again)))
    show_error (self->staff_error, _("The two passphrases differ."));
  else
    show_error (self->staff_error, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_hint),
                          !is_blank (self->staff_name) && !gtk_widget_get_visible (GTK_WIDGET (self->staff_error))
                          && !secrets_ok (self->staff_passphrase, self->staff_passphrase_again, self->staff_pin,
                                          self->staff_pin_again, needs_pass));
}

static void
update_header (DcSetupAssistant *self)
{
  g_autofree char *subtitle = g_strdup_printf (_("Step %u of %u"), self->step + 1, (guint) N_STEPS);
  const char *next = self->step == STEP_MANAGER ? _("_Create Store")
                     : self->step == STEP_STAFF ? _("_Finish") : _("_Next");
  guint i = 0;

  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_button_set_label (GTK_BUTTON (self->next_button), next);
  gtk_widget_set_visible (self->cancel_button, !self->created && self->step < STEP_RECOVERY);
  gtk_widget_set_visible (self->back_button, !self->created && self->step == STEP_MANAGER);
  for (GtkWidget *child = gtk_widget_get_first_child (self->steps); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_has_css_class (child, "setup-step"))
        continue;
      if (i == self->step)
        gtk_widget_add_css_class (child, "current");
      else
        gtk_widget_remove_css_class (child, "current");
      if (i < self->step)
        gtk_widget_add_css_class (child, "done");
      else
        gtk_widget_remove_css_class (child, "done");
      i++;
    }
}

static void
update (DcSetupAssistant *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean complete = step_complete (self);

  switch (self->step)
    {
    case STEP_MANAGER:
      update_manager_hints (self);
      break;
    case STEP_TERMINALS:
      dc_setup_assistant_update_terminal_preview (self);
      break;
    case STEP_STAFF:
      update_staff_hints (self);
      gtk_widget_action_set_enabled (widget, "setup.add-staff", complete && !is_blank (self->staff_name));
      break;
    case STEP_RECOVERY:
      dc_setup_assistant_update_recovery_hint (self);
      break;
    case STEP_STORE:
    case N_STEPS:
    default:
      break;
    }
  if (self->step != STEP_STAFF)
    gtk_widget_action_set_enabled (widget, "setup.add-staff", FALSE);
  gtk_widget_action_set_enabled (widget, "setup.next", complete);
  gtk_widget_action_set_enabled (widget, "setup.back", !self->created && !self->busy && self->step == STEP_MANAGER);
  gtk_widget_action_set_enabled (widget, "setup.cancel", !self->created && !self->busy);
  gtk_widget_action_set_enabled (widget, "setup.print", self->code != NULL && self->qr_modules != 0);
  update_header (self);
}

static void
on_input_changed (DcSetupAssistant *self)
{
  if (self->step == STEP_MANAGER)
    show_error (self->create_error, NULL);
  update (self);
}

static void
on_entry_activated (DcSetupAssistant *self)
{
  if (gtk_widget_is_sensitive (self->next_button) && step_complete (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "setup.next", NULL);
}

/* In the staff form Enter adds the person typed; an empty form finishes. */
static void
on_staff_entry_activated (DcSetupAssistant *self)
{
  if (is_blank (self->staff_name))
    on_entry_activated (self);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "setup.add-staff", NULL);
}

/* ---- the object ---- */

static void
fill_profiles (DcSetupAssistant *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  gsize n;
  const DcProfile *profiles = dc_profile_list (&n);
  guint tokyo = 0;

  for (gsize i = 0; i < n; i++)
    {
      gtk_string_list_append (labels, _(profiles[i].label));
      if (g_str_equal (profiles[i].id, "tokyo"))
        tokyo = i;
    }
  adw_combo_row_set_model (self->profile, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->profile, tokyo);
}

void
dc_setup_assistant_set_print_export (DcSetupAssistant *self, const char *pdf_path)
{
  g_return_if_fail (DC_IS_SETUP_ASSISTANT (self));

  g_free (self->print_export);
  self->print_export = g_strdup (pdf_path);
}

static void
dc_setup_assistant_dispose (GObject *object)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (object);

  /* a thread still at work sees the cancellation and its job frees what it holds */
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->code, dc_secret_free);
  g_clear_pointer (&self->manager, dc_actor_free);
  g_clear_pointer (&self->store, dc_store_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_SETUP_ASSISTANT);
  G_OBJECT_CLASS (dc_setup_assistant_parent_class)->dispose (object);
}

static void
dc_setup_assistant_finalize (GObject *object)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->terminals_added, g_hash_table_unref);
  g_free (self->store_dir);
  g_free (self->print_export);
  G_OBJECT_CLASS (dc_setup_assistant_parent_class)->finalize (object);
}

static void
dc_setup_assistant_class_init (DcSetupAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_setup_assistant_dispose;
  object_class->finalize = dc_setup_assistant_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-setup-assistant.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, DcSetupAssistant, name)
  BIND (toasts);
  BIND (title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (next_button);
  BIND (steps);
  BIND (pages);
  BIND (store_name);
  BIND (operator_name);
  BIND (address);
  BIND (profile);
  BIND (manager_name);
  BIND (passphrase);
  BIND (passphrase_again);
  BIND (pin);
  BIND (pin_again);
  BIND (strength_bar);
  BIND (strength_hint);
  BIND (passphrase_error);
  BIND (pin_error);
  BIND (create_error);
  BIND (recovery_stack);
  BIND (spinner);
  BIND (qr);
  BIND (recovery_code);
  BIND (recovery_confirm);
  BIND (recovery_error);
  BIND (prefix);
  BIND (first);
  BIND (last);
  BIND (booths);
  BIND (filtered);
  BIND (terminals_error);
  BIND (terminals_preview);
  BIND (staff_name);
  BIND (staff_role);
  BIND (staff_pin);
  BIND (staff_pin_again);
  BIND (staff_passphrase);
  BIND (staff_passphrase_again);
  BIND (staff_hint);
  BIND (staff_error);
  BIND (staff_list);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_staff_entry_activated);

  gtk_widget_class_install_action (widget_class, "setup.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "setup.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "setup.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "setup.print", NULL, dc_setup_assistant_print_action);
  gtk_widget_class_install_action (widget_class, "setup.add-staff", NULL, add_staff_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "setup.cancel", NULL);

  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                            NULL, G_TYPE_NONE, 0);
}

static void
dc_setup_assistant_init (DcSetupAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->terminals_added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_drawing_area_set_draw_func (self->qr, dc_setup_assistant_draw_qr, self, NULL);
  fill_profiles (self);
  go_to (self, STEP_STORE);
}

GtkWidget *
dc_setup_assistant_new (const char *store_dir)
{
  DcSetupAssistant *self = g_object_new (DC_TYPE_SETUP_ASSISTANT, NULL);

  self->store_dir = store_dir != NULL ? g_strdup (store_dir) : dc_store_default_dir ();
  return GTK_WIDGET (self);
}
