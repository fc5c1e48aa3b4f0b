/* ui/desktop/dc-setup-assistant.c — the first-run assistant: store, manager, recovery key, terminals, staff. */
#include "dc-setup-assistant.h"
#include "dc-qr.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef enum
{
  STEP_STORE,
  STEP_MANAGER,
  STEP_RECOVERY,
  STEP_TERMINALS,
  STEP_STAFF,
  N_STEPS
} Step;

static const char *const step_names[N_STEPS] = { "store", "manager", "recovery", "terminals", "staff" };

/* In the order of the role chooser in the .ui. */
static const char *const role_ids[] = { "counter", "manager", "auditor" };
static const char *const role_labels[] = { N_("Counter staff"), N_("Manager"), N_("Auditor") };

#define MIN_PASSPHRASE_CHARS 10   /* the vault refuses shorter ones */
#define QR_PRINT_POINTS      170  /* 60 mm */
#define MAX_TERMINALS        999

typedef enum
{
  STRENGTH_NONE,
  STRENGTH_WEAK,
  STRENGTH_FAIR,
  STRENGTH_STRONG
} Strength;

struct _DcSetupAssistant
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *toasts;
  AdwWindowTitle      *title;
  GtkWidget           *cancel_button;
  GtkWidget           *back_button;
  GtkWidget           *next_button;
  GtkWidget           *steps;
  GtkStack            *pages;
  AdwEntryRow         *store_name;
  AdwEntryRow         *operator_name;
  AdwEntryRow         *address;
  AdwComboRow         *profile;
  AdwEntryRow         *manager_name;
  AdwEntryRow         *passphrase;
  AdwEntryRow         *passphrase_again;
  AdwEntryRow         *pin;
  AdwEntryRow         *pin_again;
  GtkLevelBar         *strength_bar;
  GtkLabel            *strength_hint;
  GtkLabel            *passphrase_error;
  GtkLabel            *pin_error;
  GtkLabel            *create_error;
  GtkStack            *recovery_stack;
  GtkSpinner          *spinner;
  GtkDrawingArea      *qr;
  GtkLabel            *recovery_code;
  AdwEntryRow         *recovery_confirm;
  GtkLabel            *recovery_error;
  AdwEntryRow         *prefix;
  GtkSpinButton       *first;
  GtkSpinButton       *last;
  GtkSwitch           *booths;
  AdwEntryRow         *filtered;
  GtkLabel            *terminals_error;
  GtkLabel            *terminals_preview;
  AdwEntryRow         *staff_name;
  AdwComboRow         *staff_role;
  AdwEntryRow         *staff_pin;
  AdwEntryRow         *staff_pin_again;
  AdwEntryRow         *staff_passphrase;
  AdwEntryRow         *staff_passphrase_again;
  GtkLabel            *staff_hint;
  GtkLabel            *staff_error;
  AdwPreferencesGroup *staff_list;

  char                *store_dir;
  char                *print_export;
  Step                 step;
  gboolean             created;     /* the store exists: no way back, no cancel */
  gboolean             busy;        /* a worker thread holds the store */
  gboolean             finished;
  GCancellable        *cancellable;
  DcStore             *store;       /* until "finished" hands it over */
  DcActor             *manager;     /* the first manager, signed in for the set-up */
  char                *code;        /* the recovery key (a DcSecret) while step 3 shows */
  int                  qr_modules;  /* across the key's QR code; 0: it could not be made */
  GHashTable          *terminals_added;
};

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

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static char *
trimmed (gpointer editable)
{
  return g_strstrip (g_strdup (text_of (editable)));
}

static gboolean
is_blank (gpointer editable)
{
  g_autofree char *text = trimmed (editable);

  return *text == '\0';
}

static void
show_error (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
toast (DcSetupAssistant *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
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

/* The last two groups of the key, hyphens dropped: what the user types back. */
#define TAIL_CHARS 8

static void
recovery_tail (const char *code, char out[TAIL_CHARS])
{
  gsize n = TAIL_CHARS;

  memset (out, 0, TAIL_CHARS);
  for (const char *p = code + strlen (code); p > code && n > 0; p--)
    if (p[-1] != '-')
      out[--n] = p[-1];
}

/* How many key characters were typed back (hyphens and spaces do not count). */
static gsize
typed_tail (DcSetupAssistant *self, char out[TAIL_CHARS])
{
  gsize n = 0;

  memset (out, 0, TAIL_CHARS);
  for (const char *p = text_of (self->recovery_confirm); *p != '\0'; p++)
    if (*p != '-' && *p != ' ')
      {
        if (n < TAIL_CHARS)
          out[n] = g_ascii_toupper (*p);
        n++;
      }
  return n;
}

static gboolean
recovery_confirmed (DcSetupAssistant *self)
{
  char expected[TAIL_CHARS];
  char typed[TAIL_CHARS];
  gboolean ok;

  if (self->code == NULL)
    return FALSE;
  recovery_tail (self->code, expected);
  ok = typed_tail (self, typed) == TAIL_CHARS && memcmp (typed, expected, TAIL_CHARS) == 0;
  explicit_bzero (expected, sizeof expected);
  explicit_bzero (typed, sizeof typed);
  return ok;
}

/* ---- the terminal range ---- */

typedef struct
{
  guint    first;
  guint    last;
  int      width;      /* digits: numbers are zero-padded to the width of the last one */
  guint8  *filtered;   /* one flag per number from first to last */
  guint    n_filtered;
} TerminalPlan;

static void
terminal_plan_clear (TerminalPlan *plan)
{
  g_clear_pointer (&plan->filtered, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TerminalPlan, terminal_plan_clear)

static char *
terminal_label (const char *prefix, const TerminalPlan *plan, guint number)
{
  return g_strdup_printf ("%s%0*u", prefix, plan->width, number);
}

static gboolean
parse_number (const char *text, guint *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, MAX_TERMINALS, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* One item of the filtered list: "7" or "1-4". */
static gboolean
mark_filtered (TerminalPlan *plan, const char *item, GError **error)
{
  g_auto(GStrv) ends = g_strsplit_set (item, "-~", 2);
  guint from, to;

  if (!parse_number (g_strstrip (ends[0]), &from)
      || (ends[1] != NULL && !parse_number (g_strstrip (ends[1]), &to)))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("Cannot read “%s”: write numbers and ranges such as 1-4, 10."), item);
      return FALSE;
    }
  if (ends[1] == NULL)
    to = from;
  if (from > to || from < plan->first || to > plan->last)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("Filtered numbers must lie between %u and %u: “%s” does not."), plan->first, plan->last, item);
      return FALSE;
    }
  for (guint n = from; n <= to; n++)
    plan->filtered[n - plan->first] = TRUE;
  return TRUE;
}

static gboolean
terminal_plan_read (DcSetupAssistant *self, TerminalPlan *plan, GError **error)
{
  /* NFKC turns full-width digits and punctuation from a Japanese input method into ASCII */
  g_autofree char *normal = g_utf8_normalize (text_of (self->filtered), -1, G_NORMALIZE_NFKC);
  g_autoptr(GString) spec = g_string_new (normal);
  g_autofree char *digits = NULL;
  g_auto(GStrv) items = NULL;

  plan->first = gtk_spin_button_get_value_as_int (self->first);
  plan->last = gtk_spin_button_get_value_as_int (self->last);
  if (plan->first > plan->last)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The last number must not be below the first."));
      return FALSE;
    }
  digits = g_strdup_printf ("%u", plan->last);
  plan->width = strlen (digits);
  plan->filtered = g_new0 (guint8, plan->last - plan->first + 1);
  g_string_replace (spec, "、", ",", 0);
  g_string_replace (spec, "〜", "-", 0);
  g_string_replace (spec, "–", "-", 0);
  items = g_strsplit_set (spec->str, ",;", -1);
  for (guint i = 0; items[i] != NULL; i++)
    if (*g_strstrip (items[i]) != '\0' && !mark_filtered (plan, items[i], error))
      return FALSE;
  for (guint n = plan->first; n <= plan->last; n++)
    plan->n_filtered += plan->filtered[n - plan->first];
  return TRUE;
}

/* "PC-01–PC-04, PC-10": runs of filtered terminals. */
static char *
filtered_runs (const char *prefix, const TerminalPlan *plan)
{
  GString *text = g_string_new (NULL);

  for (guint n = plan->first; n <= plan->last; n++)
    {
      g_autofree char *from = NULL;
      guint end = n;

      if (!plan->filtered[n - plan->first])
        continue;
      while (end < plan->last && plan->filtered[end + 1 - plan->first])
        end++;
      from = terminal_label (prefix, plan, n);
      if (text->len > 0)
        g_string_append (text, ", ");
      if (end > n)
        {
          g_autofree char *to = terminal_label (prefix, plan, end);
          /* Translators: a run of terminals, such as PC-01–PC-04 */
          g_string_append_printf (text, _("%s–%s"), from, to);
        }
      else
        g_string_append (text, from);
      n = end;
    }
  return g_string_free (text, FALSE);
}

static char *
terminal_preview (DcSetupAssistant *self, const TerminalPlan *plan)
{
  g_autofree char *prefix = trimmed (self->prefix);
  g_autofree char *from = terminal_label (prefix, plan, plan->first);
  g_autofree char *to = terminal_label (prefix, plan, plan->last);
  g_autofree char *range = NULL;
  g_autofree char *runs = NULL;
  g_autofree char *filtered = NULL;

  if (plan->first == plan->last)
    range = g_strdup_printf (_("One terminal: %s."), from);
  else
    range = g_strdup_printf (_("%u terminals: %s to %s."), plan->last - plan->first + 1, from, to);
  if (plan->n_filtered == 0)
    return g_strdup_printf ("%s\n%s", range, _("None is filtered: no terminal can be given to a minor."));
  runs = filtered_runs (prefix, plan);
  filtered = g_strdup_printf (_("Filtered (%u): %s."), plan->n_filtered, runs);
  return g_strdup_printf ("%s\n%s", range, filtered);
}

/* ---- the QR code ---- */

static void
draw_qr (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  DcSetupAssistant *self = user_data;
  int n = self->qr_modules, side;

  if (self->code == NULL || n == 0)
    return;
  side = MAX (1, MIN (width, height) / n) * n;
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  dc_qr_paint (cr, self->code, (width - side) / 2, (height - side) / 2, side, TRUE);
}

/* ---- printing the recovery sheet ---- */

static double
print_text (cairo_t *cr, PangoLayout *layout, const char *font, const char *text, double y)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int height;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  pango_layout_set_text (layout, "", 0);
  return y + (double) height / PANGO_SCALE + 12;
}

static void
draw_sheet (GtkPrintOperation *operation, GtkPrintContext *context, int page_nr, gpointer user_data)
{
  DcSetupAssistant *self = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (dc_store_now (self->store) / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, dc_store_timezone (self->store));
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *store = g_strdup_printf (_("Store: %s (%s). Made on %s."), dc_store_name (self->store),
                                            dc_store_operator (self->store), date);
  double y = 0;

  if (self->code == NULL || self->qr_modules == 0)
    return;
  pango_layout_set_width (layout, (int) (gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  y = print_text (cr, layout, "Sans Bold 20", _("Daicho recovery key"), y);
  y = print_text (cr, layout, "Sans 11", store, y);
  y = print_text (cr, layout, "Monospace Bold 16", self->code, y + 12);
  y += dc_qr_paint (cr, self->code, 0, y + 6, QR_PRINT_POINTS, FALSE) + 24;
  print_text (cr, layout, "Sans 11",
              _("Without this key, losing every manager passphrase loses three years of legally required "
                "records. Keep this sheet locked away from the counter; anyone holding it can read every "
                "identity record of the store."), y);
}

static void
print_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcSetupAssistant *self = DC_SETUP_ASSISTANT (widget);
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkPrintOperationAction how = GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG;

  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, _("Daicho recovery key"));
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_sheet), self);
  if (self->print_export != NULL)
    {
      gtk_print_operation_set_export_filename (operation, self->print_export);
      how = GTK_PRINT_OPERATION_ACTION_EXPORT;
    }
  if (gtk_print_operation_run (operation, how, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    toast (self, error->message);
}

/* ---- the recovery key ---- */

/* Three groups to a line: easier to copy by hand than one long line. */
static char *
code_in_lines (const char *code)
{
  char *shown = dc_secret_dup (code);
  guint groups = 0;

  for (char *p = shown; *p != '\0'; p++)
    if (*p == '-' && ++groups % 3 == 0)
      *p = '\n';
  return shown;
}

static void
show_recovery (DcSetupAssistant *self)
{
  g_autoptr(DcSecret) shown = code_in_lines (self->code);

  self->qr_modules = dc_qr_modules (self->code);
  if (self->qr_modules == 0)
    toast (self, _("The QR code could not be made: write the key down from the text."));
  gtk_label_set_text (self->recovery_code, shown);
  gtk_widget_queue_draw (GTK_WIDGET (self->qr));
  gtk_stack_set_visible_child_name (self->recovery_stack, "key");
  gtk_widget_grab_focus (GTK_WIDGET (self->recovery_confirm));
}

/* Leaving the step: the key must survive nowhere but on the user's paper. */
static void
forget_recovery (DcSetupAssistant *self)
{
  g_clear_pointer (&self->code, dc_secret_free);
  self->qr_modules = 0;
  gtk_label_set_text (self->recovery_code, "");
  gtk_editable_set_text (GTK_EDITABLE (self->recovery_confirm), "");
  gtk_widget_queue_draw (GTK_WIDGET (self->qr));
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
  show_recovery (self);
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

/* ---- terminals ---- */

static gboolean
add_terminals (DcSetupAssistant *self)
{
  g_auto(TerminalPlan) plan = { 0 };
  g_autofree char *prefix = trimmed (self->prefix);
  g_autoptr(GError) error = NULL;
  gboolean booths = gtk_switch_get_active (self->booths);

  if (!terminal_plan_read (self, &plan, &error))
    {
      show_error (self->terminals_error, error->message);
      return FALSE;
    }
  for (guint n = plan.first; n <= plan.last; n++)
    {
      g_autofree char *label = terminal_label (prefix, &plan, n);
      g_autofree char *booth = booths ? g_strdup_printf ("%0*u", plan.width, n) : NULL;

      /* after a failure part-way, the ones already added stay: do not add them twice */
      if (g_hash_table_contains (self->terminals_added, label))
        continue;
      if (!dc_store_add_terminal (self->store, self->manager, label, booth, plan.filtered[n - plan.first], NULL,
                                  &error))
        {
          show_error (self->terminals_error, error->message);
          return FALSE;
        }
      g_hash_table_add (self->terminals_added, g_steal_pointer (&label));
    }
  return TRUE;
}

/* ---- moving between steps ---- */

static gboolean
step_complete (DcSetupAssistant *self)
{
  g_auto(TerminalPlan) plan = { 0 };

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
      return recovery_confirmed (self);
    case STEP_TERMINALS:
      return terminal_plan_read (self, &plan, NULL);
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
      forget_recovery (self);
      go_to (self, STEP_TERMINALS);
      break;
    case STEP_TERMINALS:
      if (add_terminals (self))
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
update_recovery_hint (DcSetupAssistant *self)
{
  char typed[TAIL_CHARS];
  gsize n = typed_tail (self, typed);

  explicit_bzero (typed, sizeof typed);
  show_error (self->recovery_error, self->code != NULL && n >= TAIL_CHARS && !recovery_confirmed (self)
                                    ? _("That is not how the key ends: check what you wrote down.") : NULL);
}

static void
update_terminal_preview (DcSetupAssistant *self)
{
  g_auto(TerminalPlan) plan = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *preview = NULL;

  if (!terminal_plan_read (self, &plan, &error))
    {
      show_error (self->terminals_error, error->message);
      gtk_label_set_text (self->terminals_preview, "");
      return;
    }
  show_error (self->terminals_error, NULL);
  preview = terminal_preview (self, &plan);
  gtk_label_set_text (self->terminals_preview, preview);
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
      update_terminal_preview (self);
      break;
    case STEP_STAFF:
      update_staff_hints (self);
      gtk_widget_action_set_enabled (widget, "setup.add-staff", complete && !is_blank (self->staff_name));
      break;
    case STEP_RECOVERY:
      update_recovery_hint (self);
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
  gtk_widget_class_install_action (widget_class, "setup.print", NULL, print_action);
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
  gtk_drawing_area_set_draw_func (self->qr, draw_qr, self, NULL);
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
