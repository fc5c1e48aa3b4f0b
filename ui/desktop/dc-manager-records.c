/* ui/desktop/dc-manager-records.c — the records page: find visits, see one, show and correct its identity record. */
#include "dc-manager-records.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-manager-correct.h"
#include "dc-manager-identity.h"
#include "dc-manager-window.h"
#include "dc-records.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#define VISIT_LIMIT 200

struct _DcManagerRecords
{
  GtkWidget          parent_instance;

  GtkWidget         *content;
  GtkEditable       *search_entry;
  GtkLabel          *search_status;
  GtkListBox        *visit_list;
  GtkStack          *detail_stack;
  GtkScrolledWindow *detail_scroller;
  GtkLabel          *detail_title;
  AdwActionRow      *member_row;
  AdwActionRow      *entered_row;
  AdwActionRow      *exited_row;
  AdwActionRow      *terminals_row;
  GtkListBox        *versions_list;
  GtkWidget         *identity_box;
  GtkLabel          *identity_title;
  GtkGrid           *identity_grid;

  DcSession         *session;
  DcVisitDetail     *detail;
  char              *query;          /* the last search, run again on a step-up */
  gint64             pending;        /* the verification an action waits for a step-up with */
  guint              reveal_tick;    /* scrolls to the identity once it is laid out */
  gboolean           can_manage;
};

G_DEFINE_FINAL_TYPE (DcManagerRecords, dc_manager_records, GTK_TYPE_WIDGET)

static char *
when (DcManagerRecords *self, gint64 at)
{
  return dc_time_to_display (at, dc_store_timezone (dc_session_get_store (self->session)));
}

static void
show_status (DcManagerRecords *self, const char *message, gboolean problem)
{
  gtk_label_set_text (self->search_status, message);
  if (problem)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->search_status), "field-error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_status), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_status), "field-error");
      gtk_widget_add_css_class (GTK_WIDGET (self->search_status), "dim-label");
    }
}

/* ---- the identity shown ---- */

static void
forget_identity (DcManagerRecords *self)
{
  /* the decrypted values go with their labels, not just out of sight */
  dc_manager_identity_clear (self->identity_grid);
  gtk_widget_set_visible (self->identity_box, FALSE);
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
  self->reveal_tick = 0;
}

void
dc_manager_records_forget (DcManagerRecords *self)
{
  g_return_if_fail (DC_IS_MANAGER_RECORDS (self));
  forget_identity (self);
}

/* The identity is the last thing on the page and may be below the fold: scroll to it in
 * the frame after the one that laid it out. */
static gboolean
reveal_identity (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  DcManagerRecords *self = DC_MANAGER_RECORDS (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->detail_scroller);
  GtkWidget *page = gtk_scrolled_window_get_child (self->detail_scroller);
  graphene_rect_t box;
  double top;

  if (!gtk_widget_compute_bounds (self->identity_box, page, &box) || box.size.height <= 0
      || gtk_adjustment_get_upper (adjustment) < box.origin.y + box.size.height)
    return G_SOURCE_CONTINUE;
  /* the whole of it if it fits, else its top */
  top = MIN (box.origin.y - 12, box.origin.y + box.size.height - gtk_adjustment_get_page_size (adjustment));
  if (top > gtk_adjustment_get_value (adjustment))
    gtk_adjustment_set_value (adjustment, top);
  self->reveal_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
show_identity (DcManagerRecords *self, gint64 verification_id, const DcIdentityRecord *record)
{
  const DcVersionRecord *current = self->detail != NULL ? dc_visit_detail_current (self->detail) : NULL;
  gboolean is_current = current != NULL && current->verification_id == verification_id;
  g_autofree char *title = is_current ? g_strdup_printf (_("Identity record #%" PRId64 " (in force)"), verification_id)
                                      : g_strdup_printf (_("Identity record #%" PRId64 " (corrected since)"),
                                                         verification_id);

  forget_identity (self);
  gtk_label_set_text (self->identity_title, title);
  dc_manager_identity_fill (self->identity_grid, &record->identity);
  gtk_widget_set_visible (self->identity_box, TRUE);
  self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_identity, NULL, NULL);
}

static void
do_show (GtkWidget *widget, DcActor *manager)
{
  DcManagerRecords *self = DC_MANAGER_RECORDS (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;

  /* the read is written to the audit chain before anything shows */
  record = dc_read_identity (dc_session_get_store (self->session), manager, self->pending, &error);
  if (record == NULL)
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  show_identity (self, self->pending, record);
}

static void
show_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerRecords *self = DC_MANAGER_RECORDS (widget);

  self->pending = g_variant_get_int64 (parameter);
  dc_step_up_then (widget, self->session, do_show);
}

static void
hide_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  forget_identity (DC_MANAGER_RECORDS (widget));
}

/* ---- the chosen visit ---- */

static char *
version_subtitle (DcManagerRecords *self, const DcVersionRecord *v)
{
  g_autofree char *checked = when (self, v->verified_at);
  g_autofree char *recorded = when (self, v->recorded_at);
  const DcVersionRecord *newer = v->superseded_by != 0 ? dc_visit_detail_version (self->detail, v->superseded_by)
                                                        : NULL;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, _("Document checked %s by %s"), checked, v->verifier != NULL ? v->verifier : "");
  if (v->supersedes != 0)
    {
      g_string_append_c (s, '\n');
      g_string_append_printf (s, _("Correction of #%" PRId64 ", %s by %s: %s"), v->supersedes, recorded,
                              v->recorder != NULL ? v->recorder : "", v->reason != NULL ? v->reason : "");
    }
  if (newer != NULL)
    {
      g_string_append_c (s, '\n');
      g_string_append_printf (s, _("Corrected (reason: %s)"), newer->reason != NULL ? newer->reason : "");
    }
  return g_string_free (s, FALSE);
}

static GtkWidget *
action_button (const char *label, const char *action, gint64 verification_id, gboolean suggested)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (verification_id));
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static GtkWidget *
version_row (DcManagerRecords *self, const DcVersionRecord *v)
{
  const DcDocType *type = dc_doc_type_lookup (v->doc_type);
  gboolean current = v->superseded_by == 0;
  g_autofree char *title = g_strdup_printf (current ? _("#%" PRId64 " · %s · in force") : _("#%" PRId64 " · %s"),
                                            v->verification_id, type != NULL ? _(type->label) : v->doc_type);
  g_autofree char *subtitle = version_subtitle (self, v);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *correct;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, current ? "manager-current" : "manager-superseded");
  if (!current)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 action_button (_("Show"), "records.show", v->verification_id, FALSE));
      return row;
    }
  correct = action_button (_("Correct…"), "records.correct", v->verification_id, FALSE);
  gtk_widget_set_sensitive (correct, self->can_manage);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), correct);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), action_button (_("Show Identity Record"), "records.show",
                                                                  v->verification_id, TRUE));
  return row;
}

static void
render_versions (DcManagerRecords *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->versions_list))) != NULL)
    gtk_list_box_remove (self->versions_list, child);
  /* newest first: the one in force leads */
  for (guint i = self->detail->versions->len; i > 0; i--)
    gtk_list_box_append (self->versions_list,
                         version_row (self, &g_array_index (self->detail->versions, DcVersionRecord, i - 1)));
}

static char *
sessions_text (DcManagerRecords *self)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < self->detail->sessions->len; i++)
    {
      const DcSessionRecord *r = &g_array_index (self->detail->sessions, DcSessionRecord, i);
      g_autofree char *from = when (self, r->started_at);
      g_autofree char *to = r->ended_at != 0 ? when (self, r->ended_at) : g_strdup (_("now"));

      /* Translators: one terminal session: PC-01, 2026-11-21 16:00 – 2026-11-21 17:00. */
      g_string_append_printf (s, _("%s, %s – %s"), r->terminal, from, to);
      if (i + 1 < self->detail->sessions->len)
        g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

static void
render_detail (DcManagerRecords *self)
{
  const DcVisitRecord *v = &self->detail->visit;
  g_autofree char *title = g_strdup_printf (_("Visit #%" PRId64), v->visit_id);
  g_autofree char *entered = when (self, v->entered_at);
  g_autofree char *in = g_strdup_printf (_("%s, checked in by %s"), entered, v->staff_in != NULL ? v->staff_in : "");
  g_autofree char *exited = v->exited_at != 0 ? when (self, v->exited_at) : NULL;
  g_autofree char *out = exited != NULL ? g_strdup_printf (_("%s, %s (%s)"), exited, dc_records_exit_label (v->exit_reason),
                                                           v->staff_out != NULL ? v->staff_out : "—")
                                        : g_strdup (_("In the store now"));
  g_autofree char *sessions = sessions_text (self);
  g_autofree char *member = v->minor ? g_strdup_printf (_("%s (a minor at check-in)"), v->member_number)
                                     : g_strdup (v->member_number);

  gtk_label_set_text (self->detail_title, title);
  adw_action_row_set_subtitle (self->member_row, member);
  adw_action_row_set_subtitle (self->entered_row, in);
  adw_action_row_set_subtitle (self->exited_row, out);
  adw_action_row_set_subtitle (self->terminals_row, *sessions != '\0' ? sessions : _("None"));
  render_versions (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

static void
load_detail (DcManagerRecords *self, gint64 visit_id)
{
  g_autoptr(GError) error = NULL;
  DcActor *manager = dc_session_get_manager (self->session);
  DcVisitDetail *detail;

  forget_identity (self);
  g_clear_pointer (&self->detail, dc_visit_detail_free);
  if (manager == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
  detail = dc_records_visit_detail (dc_session_get_store (self->session), manager, visit_id, &error);
  if (detail == NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
  self->detail = detail;
  render_detail (self);
}

static void
on_visit_selected (DcManagerRecords *self, GtkListBoxRow *row)
{
  gint64 *visit_id = row != NULL ? g_object_get_data (G_OBJECT (row), "visit-id") : NULL;

  if (self->session == NULL)
    return;
  if (visit_id == NULL)
    {
      forget_identity (self);
      g_clear_pointer (&self->detail, dc_visit_detail_free);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
  if (self->detail != NULL && self->detail->visit.visit_id == *visit_id)
    return;
  load_detail (self, *visit_id);
}

/* ---- correcting ---- */

static void
on_corrected (DcManagerRecords *self, gint64 new_id, gint64 old_id)
{
  g_autofree char *message = g_strdup_printf (_("Corrected: record #%" PRId64 " now supersedes #%" PRId64 "."),
                                              new_id, old_id);

  if (self->detail != NULL)
    load_detail (self, self->detail->visit.visit_id);
  dc_manager_window_toast (GTK_WIDGET (self), message);
  dc_session_changed (self->session);
}

static void
do_correct (GtkWidget *widget, DcActor *manager)
{
  DcManagerRecords *self = DC_MANAGER_RECORDS (widget);
  const DcVersionRecord *version = self->detail != NULL ? dc_visit_detail_version (self->detail, self->pending) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  DcManagerCorrect *dialog;

  if (version == NULL)
    return;
  if (!dc_actor_is_manager (manager))
    {
      dc_manager_window_toast (widget, _("Only a manager may correct records."));
      return;
    }
  /* the form starts from what is on record: reading it is audited like any view */
  record = dc_read_identity (dc_session_get_store (self->session), manager, version->verification_id, &error);
  if (record == NULL)
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  dialog = dc_manager_correct_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->session,
                                   version->verification_id, version->verified_at, record);
  g_signal_connect_object (dialog, "corrected", G_CALLBACK (on_corrected), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
correct_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerRecords *self = DC_MANAGER_RECORDS (widget);

  self->pending = g_variant_get_int64 (parameter);
  dc_step_up_then (widget, self->session, do_correct);
}

/* ---- searching ---- */

static GtkWidget *
visit_line (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
visit_row (DcManagerRecords *self, const DcVisitRecord *v)
{
  g_autofree char *entered = when (self, v->entered_at);
  g_autofree char *exited = v->exited_at != 0 ? when (self, v->exited_at) : NULL;
  /* the same day: the time of leaving is enough */
  const char *until = exited != NULL ? (strncmp (entered, exited, 10) == 0 ? exited + 11 : exited) : "";
  g_autofree char *times = exited != NULL ? g_strdup_printf (_("%s – %s"), entered, until) : g_strdup (entered);
  g_autofree char *id = g_strdup_printf ("#%" PRId64, v->visit_id);
  g_autofree char *where = v->terminals != NULL
                             ? g_strdup_printf (_("Member %s · Terminal %s"), v->member_number, v->terminals)
                             : g_strdup_printf (_("Member %s · no terminal"), v->member_number);
  const char *how = v->exited_at != 0 ? dc_records_exit_label (v->exit_reason) : _("In the store now");
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *first = visit_line (times, "heading");
  g_autofree char *description = g_strdup_printf ("%s %s, %s, %s", id, times, where, how);

  gtk_widget_set_hexpand (first, TRUE);
  gtk_box_append (GTK_BOX (top), first);
  gtk_box_append (GTK_BOX (top), visit_line (id, "dim-label"));
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), visit_line (where, NULL));
  gtk_box_append (GTK_BOX (box), visit_line (how, "dim-label"));
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  g_object_set_data_full (G_OBJECT (row), "visit-id", g_memdup2 (&v->visit_id, sizeof v->visit_id), g_free);
  return row;
}

static void
do_search (GtkWidget *widget, DcActor *manager)
{
  DcManagerRecords *self = DC_MANAGER_RECORDS (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) visits = NULL;
  g_autofree char *status = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->visit_list))) != NULL)
    gtk_list_box_remove (self->visit_list, child);
  visits = dc_records_find_visits (dc_session_get_store (self->session), manager, self->query, VISIT_LIMIT, &error);
  if (visits == NULL)
    {
      show_status (self, error->message, TRUE);
      return;
    }
  for (guint i = 0; i < visits->len; i++)
    gtk_list_box_append (self->visit_list, visit_row (self, &g_array_index (visits, DcVisitRecord, i)));
  if (*self->query == '\0')
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The newest visit", "The newest %u visits", visits->len),
                              visits->len);
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u visit, newest first", "%u visits, newest first",
                                           visits->len), visits->len);
  show_status (self, status, FALSE);
  /* one visit found by its number: show it straight away */
  if (visits->len == 1 && *self->query != '\0')
    gtk_list_box_select_row (self->visit_list, gtk_list_box_get_row_at_index (self->visit_list, 0));
}

void
dc_manager_records_search (DcManagerRecords *self, const char *query)
{
  g_return_if_fail (DC_IS_MANAGER_RECORDS (self));

  g_free (self->query);
  self->query = g_strdup (query != NULL ? query : "");
  if (self->session != NULL)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_search);
}

static void
on_search_activate (DcManagerRecords *self)
{
  dc_manager_records_search (self, gtk_editable_get_text (self->search_entry));
}

/* Typing only searches on Enter (a half-typed number would name a wrong visit); clearing
 * the field goes back to the newest visits. */
static void
on_search_changed (DcManagerRecords *self)
{
  if (*gtk_editable_get_text (self->search_entry) == '\0' && self->query != NULL && *self->query != '\0')
    dc_manager_records_search (self, "");
}

/* ---- set-up ---- */

void
dc_manager_records_set_can_manage (DcManagerRecords *self, gboolean can_manage)
{
  g_return_if_fail (DC_IS_MANAGER_RECORDS (self));

  self->can_manage = can_manage;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "records.correct", can_manage);
  if (self->detail != NULL)
    render_versions (self);
}

static void
on_session_changed (DcManagerRecords *self)
{
  /* a check-out at the counter changes the visit shown */
  if (self->detail != NULL && dc_session_get_manager (self->session) != NULL)
    {
      DcVisitDetail *detail = dc_records_visit_detail (dc_session_get_store (self->session),
                                                       dc_session_get_manager (self->session),
                                                       self->detail->visit.visit_id, NULL);
      if (detail != NULL)
        {
          dc_visit_detail_free (self->detail);
          self->detail = detail;
          render_detail (self);
        }
    }
}

void
dc_manager_records_set_session (DcManagerRecords *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_RECORDS (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
  if (dc_session_get_manager (session) != NULL)
    dc_manager_records_search (self, "");
}

/* Keyboard first: the page opens ready for a member number from the card reader. */
static void
dc_manager_records_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dc_manager_records_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (DC_MANAGER_RECORDS (widget)->search_entry));
}

static void
dc_manager_records_dispose (GObject *object)
{
  DcManagerRecords *self = DC_MANAGER_RECORDS (object);

  g_clear_pointer (&self->detail, dc_visit_detail_free);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_RECORDS);
  G_OBJECT_CLASS (dc_manager_records_parent_class)->dispose (object);
}

static void
dc_manager_records_finalize (GObject *object)
{
  g_free (DC_MANAGER_RECORDS (object)->query);
  G_OBJECT_CLASS (dc_manager_records_parent_class)->finalize (object);
}

static void
dc_manager_records_class_init (DcManagerRecordsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_records_dispose;
  object_class->finalize = dc_manager_records_finalize;
  widget_class->map = dc_manager_records_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-records.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, content);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, search_status);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, visit_list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, detail_title);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, member_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, entered_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, exited_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, terminals_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, versions_list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, identity_box);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, identity_title);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRecords, identity_grid);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_visit_selected);

  gtk_widget_class_install_action (widget_class, "records.show", "x", show_action);
  gtk_widget_class_install_action (widget_class, "records.correct", "x", correct_action);
  gtk_widget_class_install_action (widget_class, "records.hide", NULL, hide_action);
}

static void
dc_manager_records_init (DcManagerRecords *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
