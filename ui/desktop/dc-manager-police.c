/* ui/desktop/dc-manager-police.c — the police requests page: the request ledger, the query and its preview; handing over is in dc-manager-police-output.c. */
#include "dc-manager-police-private.h"
#include "dc-date.h"
#include "dc-manager-police-request.h"
#include "dc-manager-window.h"
#include "dc-step-up-dialog.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (DcManagerPolice, dc_manager_police, GTK_TYPE_WIDGET)

/* ---- one preview row: its cells as text ---- */

enum { COL_TERMINAL, COL_START, COL_END, COL_VISIT, COL_NAME, COL_DOB, COL_ADDRESS, COL_DOCUMENT, COL_MEMBER, N_COLUMNS };

#define DC_TYPE_POLICE_CELLS (dc_police_cells_get_type ())
G_DECLARE_FINAL_TYPE (DcPoliceCells, dc_police_cells, DC, POLICE_CELLS, GObject)

struct _DcPoliceCells
{
  GObject  parent_instance;
  char    *text[N_COLUMNS];
};

G_DEFINE_FINAL_TYPE (DcPoliceCells, dc_police_cells, G_TYPE_OBJECT)

static void
dc_police_cells_finalize (GObject *object)
{
  DcPoliceCells *self = DC_POLICE_CELLS (object);

  /* names and addresses do not linger in freed memory */
  for (guint i = 0; i < N_COLUMNS; i++)
    if (self->text[i] != NULL)
      {
        memset (self->text[i], 0, strlen (self->text[i]));
        g_free (self->text[i]);
      }
  G_OBJECT_CLASS (dc_police_cells_parent_class)->finalize (object);
}

static void
dc_police_cells_class_init (DcPoliceCellsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dc_police_cells_finalize;
}

static void
dc_police_cells_init (DcPoliceCells *self)
{
}

/* ---- words ---- */

static GTimeZone *
store_tz (DcManagerPolice *self)
{
  return dc_store_timezone (dc_session_get_store (self->session));
}

/* To the second: an officer's question often is. An end shows only what differs from its
 * start ("18:47:29", "11-20 01:59:18"), so the addresses keep the room. */
static char *
when_text (DcManagerPolice *self, gint64 at, gint64 start)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, store_tz (self));
  GDate day, other;

  if (start != 0)
    {
      dc_date_from_instant (at, store_tz (self), &day);
      dc_date_from_instant (start, store_tz (self), &other);
      if (g_date_compare (&day, &other) == 0)
        return g_date_time_format (local, "%H:%M:%S");
      if (g_date_get_year (&day) == g_date_get_year (&other))
        return g_date_time_format (local, "%m-%d %H:%M:%S");
    }
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

const DcRequest *
dc_manager_police_find_request (DcManagerPolice *self, gint64 id)
{
  for (guint i = 0; self->requests != NULL && i < self->requests->len; i++)
    if (g_array_index (self->requests, DcRequest, i).id == id)
      return &g_array_index (self->requests, DcRequest, i);
  return NULL;
}

gint64
dc_manager_police_selected_request (DcManagerPolice *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->request_list);
  gint64 *id = row != NULL ? g_object_get_data (G_OBJECT (row), "request-id") : NULL;

  return id != NULL ? *id : 0;
}

void
dc_manager_police_show_status (DcManagerPolice *self, const char *message, gboolean problem)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  if (problem)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "field-error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "field-error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
}

/* ---- what can be done now ---- */

void
dc_manager_police_update_actions (DcManagerPolice *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean idle = !self->busy;
  gint64 request = dc_manager_police_selected_request (self);

  gtk_widget_action_set_enabled (widget, "police.new-request", idle);
  gtk_widget_action_set_enabled (widget, "police.inspection", idle);
  gtk_widget_action_set_enabled (widget, "police.print-ledger", idle && self->requests != NULL);
  /* a bundle is always for a request: the ledger must say who it went to */
  gtk_widget_action_set_enabled (widget, "police.export", idle && self->result != NULL && request != 0);
  gtk_widget_action_set_enabled (widget, "police.print", idle && self->result != NULL && self->result->rows->len > 0);
  gtk_widget_set_sensitive (self->clear_request_button, request != 0);
}

/* A name no file system refuses: "daicho-生安第123号-2026-03-04". */
static char *
default_folder_name (DcManagerPolice *self, const DcRequest *request)
{
  GDate today;
  g_autofree char *day = NULL;
  GString *name = g_string_new ("daicho-");

  dc_store_today (dc_session_get_store (self->session), &today);
  day = dc_date_to_iso (&today);
  for (const char *p = request->reference; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || strchr ("/\\:*?\"<>| ", (int) c) != NULL || g_unichar_isspace (c))
        g_string_append_c (name, '-');
      else
        g_string_append_unichar (name, c);
    }
  g_string_append_printf (name, "-%s", day);
  return g_string_free (name, FALSE);
}

static void
on_request_selected (DcManagerPolice *self, GtkListBoxRow *row)
{
  const DcRequest *request;
  const char *typed;
  g_autofree char *title = NULL;

  /* rows go when the page is disposed, the session first */
  if (self->session == NULL)
    return;
  request = dc_manager_police_find_request (self, dc_manager_police_selected_request (self));
  typed = gtk_editable_get_text (self->folder_entry);
  if (request != NULL)
    {
      g_autofree char *folder = default_folder_name (self, request);

      /* Translators: above the query: the police request it is for (its reference number, the agency). */
      title = g_strdup_printf (_("For request %s (%s)"), request->reference, request->agency);
      /* a name the manager typed is theirs; ours follows the request */
      if (*typed == '\0' || g_strcmp0 (typed, self->folder_default) == 0)
        gtk_editable_set_text (self->folder_entry, folder);
      g_free (self->folder_default);
      self->folder_default = g_steal_pointer (&folder);
    }
  gtk_label_set_text (self->for_label, title != NULL ? title
                                                     : _("Not for a request: choose one in the list to export"));
  dc_manager_police_update_actions (self);
}

static void
on_clear_request (DcManagerPolice *self)
{
  gtk_list_box_unselect_all (self->request_list);
}

/* ---- the ledger ---- */

static GtkWidget *
line (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static char *
export_text (DcManagerPolice *self, const DcExportRecord *e)
{
  g_autofree char *at = dc_time_to_display (e->at, store_tz (self));
  g_autofree char *sessions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " session",
                                                            "%" PRId64 " sessions", (gulong) CLAMP (e->sessions, 0, G_MAXLONG)),
                                               e->sessions);
  g_autofree char *visits = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " visit", "%" PRId64 " visits",
                                                          (gulong) CLAMP (e->visits, 0, G_MAXLONG)),
                                             e->visits);
  g_autofree char *records = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " identity record",
                                                           "%" PRId64 " identity records",
                                                           (gulong) CLAMP (e->verifications, 0, G_MAXLONG)),
                                              e->verifications);
  g_autofree char *digest = g_strndup (e->manifest_sha256 != NULL ? e->manifest_sha256 : "", 16);
  GString *s = g_string_new (NULL);

  /* Translators: one bundle handed over: when, by whom, its counts, the start of its manifest's SHA-256. */
  g_string_append_printf (s, _("Handed over %s by %s: %s, %s, %s · manifest %s…"), at,
                          e->staff != NULL ? e->staff : "", sessions, visits, records, digest);
  if (e->holds > 0)
    {
      g_string_append (s, " · ");
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " hold", "%" PRId64 " holds",
                                              (gulong) CLAMP (e->holds, 0, G_MAXLONG)), e->holds);
    }
  return g_string_free (s, FALSE);
}

static GtkWidget *
request_row (DcManagerPolice *self, const DcRequest *r)
{
  g_autofree char *received = dc_time_to_display (r->received_at, store_tz (self));
  /* Translators: a request in the ledger: its reference number and legal basis. */
  g_autofree char *title = g_strdup_printf (_("%s · %s"), r->reference, dc_legal_basis_label (r->basis));
  g_autofree char *who = g_strdup_printf (_("%s, %s"), r->agency, r->officer);
  g_autofree char *when = g_strdup_printf (_("Received %s, entered by %s"), received, r->staff != NULL ? r->staff : "");
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GString *description = g_string_new (NULL);

  g_string_append_printf (description, "%s. %s. %s.", title, who, when);
  gtk_box_append (GTK_BOX (box), line (title, "heading"));
  gtk_box_append (GTK_BOX (box), line (who, NULL));
  gtk_box_append (GTK_BOX (box), line (when, "dim-label"));
  if (r->exports == NULL || r->exports->len == 0)
    gtk_box_append (GTK_BOX (box), line (_("Nothing handed over yet"), "dim-label"));
  for (guint i = 0; r->exports != NULL && i < r->exports->len; i++)
    {
      const DcExportRecord *e = &g_array_index (r->exports, DcExportRecord, i);
      g_autofree char *text = export_text (self, e);
      GtkWidget *label = line (text, "caption");

      if (e->manifest_sha256 != NULL)
        gtk_widget_set_tooltip_text (label, e->manifest_sha256);
      gtk_box_append (GTK_BOX (box), label);
      g_string_append_printf (description, " %s.", text);
    }
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, description->str, -1);
  g_string_free (description, TRUE);
  g_object_set_data_full (G_OBJECT (row), "request-id", g_memdup2 (&r->id, sizeof r->id), g_free);
  return row;
}

static void
clear_requests (DcManagerPolice *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->request_list))) != NULL)
    gtk_list_box_remove (self->request_list, child);
  g_clear_pointer (&self->requests, g_array_unref);
}

/* Read the ledger again and select @select (0: none). */
void
dc_manager_police_load_requests (DcManagerPolice *self, DcActor *actor, gint64 select)
{
  g_autoptr(GError) error = NULL;
  GArray *requests = dc_request_list (dc_session_get_store (self->session), actor, &error);

  if (requests == NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  clear_requests (self);
  self->requests = requests;
  self->loaded = TRUE;
  for (guint i = 0; i < requests->len; i++)
    {
      const DcRequest *r = &g_array_index (requests, DcRequest, i);
      GtkWidget *row = request_row (self, r);

      gtk_list_box_append (self->request_list, row);
      if (r->id == select)
        gtk_list_box_select_row (self->request_list, GTK_LIST_BOX_ROW (row));
    }
  on_request_selected (self, gtk_list_box_get_selected_row (self->request_list));
}

/* ---- who may ---- */

/* The manager window only opens after a step-up, but the page still checks: counter staff
 * must never see this, whatever the way in. */
gboolean
dc_manager_police_allowed (DcManagerPolice *self, DcActor *actor)
{
  gboolean allowed = actor != NULL && dc_actor_can_read_identity (actor);

  gtk_stack_set_visible_child_name (self->page_stack, allowed ? "main" : "denied");
  return allowed;
}

static void
do_load (GtkWidget *widget, DcActor *actor)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (dc_manager_police_allowed (self, actor))
    {
      dc_manager_police_load_requests (self, actor, dc_manager_police_selected_request (self));
      dc_police_form_focus (self->form);
    }
}

static void
confirm_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (self->session != NULL)
    dc_step_up_then (widget, self->session, do_load);
}

/* ---- new request ---- */

static void
on_request_added (DcManagerPolice *self, gint64 id)
{
  DcActor *actor = dc_session_get_manager (self->session);

  if (actor != NULL)
    dc_manager_police_load_requests (self, actor, id);
  dc_manager_window_toast (GTK_WIDGET (self), _("The request is in the ledger. Queries and exports now go with it."));
  dc_police_form_focus (self->form);
}

static void
do_new_request (GtkWidget *widget, DcActor *actor)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);
  DcPoliceRequestDialog *dialog;

  if (!dc_manager_police_allowed (self, actor))
    return;
  if (self->request_dialog != NULL)
    {
      gtk_window_present (self->request_dialog);
      return;
    }
  dialog = dc_police_request_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->session);
  g_signal_connect_object (dialog, "added", G_CALLBACK (on_request_added), self, G_CONNECT_SWAPPED);
  self->request_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->request_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_request_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (self->session != NULL && !self->busy)
    dc_step_up_then (widget, self->session, do_new_request);
}

/* ---- the query and its preview ---- */

static char *
document_text (const DcQueryRow *row, const DcIdentity *id)
{
  const DcDocType *type = dc_doc_type_lookup (row->doc_type);
  const char *label = type != NULL ? _(type->label) : row->doc_type;

  if (id != NULL && id->doc_number != NULL && *id->doc_number != '\0')
    return g_strdup_printf ("%s %s", label != NULL ? label : "", id->doc_number);
  return g_strdup (label);
}

static DcPoliceCells *
cells_new (DcManagerPolice *self, const DcQueryRow *row)
{
  DcPoliceCells *cells = g_object_new (DC_TYPE_POLICE_CELLS, NULL);
  const DcIdentity *id = row->identity != NULL ? &row->identity->identity : NULL;
  gboolean session = row->session_id != 0;
  gint64 start = session ? row->started_at : row->entered_at;
  gint64 end = session ? row->ended_at : row->exited_at;

  cells->text[COL_TERMINAL] = g_strdup (session ? row->terminal : _("(no terminal)"));
  cells->text[COL_START] = when_text (self, start, 0);
  cells->text[COL_END] = end != 0 ? when_text (self, end, start) : g_strdup (session ? _("still on it") : _("still in"));
  cells->text[COL_VISIT] = g_strdup_printf ("#%" PRId64, row->visit_id);
  cells->text[COL_NAME] = g_strdup (id != NULL ? id->name : NULL);
  cells->text[COL_DOB] = id != NULL && g_date_valid (&id->dob) ? dc_date_to_iso (&id->dob) : NULL;
  cells->text[COL_ADDRESS] = g_strdup (id != NULL ? id->address : NULL);
  cells->text[COL_DOCUMENT] = document_text (row, id);
  cells->text[COL_MEMBER] = g_strdup (row->member_number);
  return cells;
}

static char *
counts_text (const DcQueryResult *r)
{
  g_autofree char *s = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u terminal session", "%u terminal sessions",
                                                     r->sessions), r->sessions);
  g_autofree char *v = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u visit", "%u visits", r->visits), r->visits);
  g_autofree char *i = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u identity record", "%u identity records",
                                                     r->verifications), r->verifications);
  g_autofree char *c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u customer", "%u customers", r->customers),
                                        r->customers);

  /* Translators: what a query found: sessions, visits, identity records, customers. */
  return g_strdup_printf (_("Found %s, %s, %s and %s."), s, v, i, c);
}

static void
forget_result (DcManagerPolice *self)
{
  g_list_store_remove_all (self->rows);
  g_clear_pointer (&self->result, dc_query_result_free);
  dc_query_scope_clear (&self->scope);
  self->result_request = 0;
}

void
dc_manager_police_forget (DcManagerPolice *self)
{
  g_return_if_fail (DC_IS_MANAGER_POLICE (self));

  if (self->result == NULL)
    return;
  forget_result (self);
  gtk_stack_set_visible_child_name (self->result_stack, "none");
  dc_manager_police_show_status (self, _("The confirmation expired, so the rows were hidden. Run the query again to see them."),
                                 FALSE);
  dc_manager_police_update_actions (self);
}

static void
show_result (DcManagerPolice *self)
{
  g_autofree char *counts = counts_text (self->result);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->result->rows->len; i++)
    g_ptr_array_add (items, cells_new (self, &g_array_index (self->result->rows, DcQueryRow, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->result_stack, self->result->rows->len > 0 ? "rows" : "empty");
  dc_manager_police_show_status (self, counts, FALSE);
}

static void
do_query (GtkWidget *widget, DcActor *actor)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);
  g_autoptr(GError) error = NULL;
  DcQueryScope scope;
  DcQueryResult *result;
  gint64 request = dc_manager_police_selected_request (self);

  if (!dc_manager_police_allowed (self, actor))
    return;
  dc_query_scope_init (&scope);
  if (!dc_police_form_get_scope (self->form, &scope, &error))
    {
      dc_manager_police_show_status (self, error->message, TRUE);
      return;
    }
  /* written to the query log and the audit chain before any row comes back */
  result = dc_police_query (dc_session_get_store (self->session), actor, &scope, request, &error);
  if (result == NULL)
    {
      dc_query_scope_clear (&scope);
      dc_manager_police_show_status (self, error->message, TRUE);
      dc_police_form_focus_error (self->form, error);
      return;
    }
  forget_result (self);
  self->scope = scope;   /* the export hands over exactly what was previewed */
  self->result = result;
  self->result_request = request;
  show_result (self);
  dc_manager_police_update_actions (self);
}

static void
on_run (DcManagerPolice *self)
{
  if (self->session != NULL && !self->busy)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_query);
}

/* Names, addresses and documents may be long: cut, whole in the tooltip. Times, labels and
 * numbers are short and always whole. */
static gboolean
long_column (guint column)
{
  return column == COL_NAME || column == COL_ADDRESS || column == COL_DOCUMENT;
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (long_column (GPOINTER_TO_UINT (column)))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  else
    gtk_widget_add_css_class (label, "numeric");
  /* an address gets two lines */
  if (GPOINTER_TO_UINT (column) == COL_ADDRESS)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 2);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer column)
{
  DcPoliceCells *cells = gtk_list_item_get_item (item);
  const char *text = cells->text[GPOINTER_TO_UINT (column)];
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (label, long_column (GPOINTER_TO_UINT (column)) ? text : NULL);
}

static void
add_columns (DcManagerPolice *self)
{
  const char *titles[N_COLUMNS] = {
    [COL_TERMINAL] = N_("Terminal"), [COL_START] = N_("Start"), [COL_END] = N_("End"), [COL_VISIT] = N_("Visit"),
    [COL_NAME] = N_("Name"), [COL_DOB] = N_("Date of birth"), [COL_ADDRESS] = N_("Address"),
    [COL_DOCUMENT] = N_("Document"), [COL_MEMBER] = N_("Member"),
  };
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));

  gtk_column_view_set_model (self->preview, GTK_SELECTION_MODEL (selection));
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(titles[i]), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      /* the address takes what room there is; a name or document cut short shows whole in its tooltip */
      gtk_column_view_column_set_expand (column, i == COL_ADDRESS);
      if (i == COL_NAME || i == COL_DOCUMENT)
        gtk_column_view_column_set_fixed_width (column, i == COL_NAME ? 110 : 150);
      gtk_column_view_append_column (self->preview, column);
    }
}

/* ---- set-up ---- */

static void show_page (DcManagerPolice *self);

void
dc_manager_police_set_session (DcManagerPolice *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_POLICE (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  dc_police_form_set_session (self->form, session);
  on_request_selected (self, NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    show_page (self);
}

gboolean
dc_manager_police_is_busy (DcManagerPolice *self)
{
  g_return_val_if_fail (DC_IS_MANAGER_POLICE (self), FALSE);
  return self->busy;
}

/* The ledger is read (an audited read) when the page is first shown, not whenever the
 * manager window opens; keyboard first: the query's first field takes the focus. Without
 * a step-up in force nothing shows until a passphrase is given. */
static void
show_page (DcManagerPolice *self)
{
  DcActor *actor = dc_session_get_manager (self->session);

  if (!dc_manager_police_allowed (self, actor))
    return;
  if (!self->loaded)
    dc_manager_police_load_requests (self, actor, 0);
  dc_police_form_focus (self->form);
}

static void
dc_manager_police_map (GtkWidget *widget)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  GTK_WIDGET_CLASS (dc_manager_police_parent_class)->map (widget);
  if (self->session != NULL)
    show_page (self);
}

static void
dc_manager_police_dispose (GObject *object)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (object);

  dc_manager_police_output_dispose (self);
  if (self->request_dialog != NULL)
    {
      GtkWindow *dialog = self->request_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->request_dialog);
      self->request_dialog = NULL;
      gtk_window_destroy (dialog);
    }
  if (self->rows != NULL)
    forget_result (self);
  g_clear_pointer (&self->requests, g_array_unref);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_POLICE);
  G_OBJECT_CLASS (dc_manager_police_parent_class)->dispose (object);
}

static void
dc_manager_police_finalize (GObject *object)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (object);

  g_clear_object (&self->rows);
  g_free (self->folder_default);
  G_OBJECT_CLASS (dc_manager_police_parent_class)->finalize (object);
}

static void
dc_manager_police_class_init (DcManagerPoliceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_police_dispose;
  object_class->finalize = dc_manager_police_finalize;
  widget_class->map = dc_manager_police_map;

  g_type_ensure (DC_TYPE_POLICE_FORM);
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-police.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, page_stack);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, request_list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, for_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, clear_request_button);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, form);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, status_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, result_stack);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, preview);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, folder_entry);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, hold_switch);
  gtk_widget_class_bind_template_child (widget_class, DcManagerPolice, progress);
  gtk_widget_class_bind_template_callback (widget_class, on_request_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_request);
  gtk_widget_class_bind_template_callback (widget_class, on_run);

  gtk_widget_class_install_action (widget_class, "police.new-request", NULL, new_request_action);
  gtk_widget_class_install_action (widget_class, "police.confirm", NULL, confirm_action);
  dc_manager_police_output_class_init (widget_class);
}

static void
dc_manager_police_init (DcManagerPolice *self)
{
  self->rows = g_list_store_new (DC_TYPE_POLICE_CELLS);
  dc_query_scope_init (&self->scope);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->page_stack, "main");
  gtk_stack_set_visible_child_name (self->result_stack, "none");
  add_columns (self);
  dc_manager_police_update_actions (self);
}
