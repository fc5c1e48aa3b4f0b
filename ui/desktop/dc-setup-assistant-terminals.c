/* ui/desktop/dc-setup-assistant-terminals.c — the first-run assistant's terminals step: a numbered range, the filtered ones, its preview; adding them. */
#include "dc-setup-assistant-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_TERMINALS 999

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

gboolean
dc_setup_assistant_terminals_valid (DcSetupAssistant *self)
{
  g_auto(TerminalPlan) plan = { 0 };

  return terminal_plan_read (self, &plan, NULL);
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

/* ---- terminals ---- */

gboolean
dc_setup_assistant_add_terminals (DcSetupAssistant *self)
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

void
dc_setup_assistant_update_terminal_preview (DcSetupAssistant *self)
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
