/* ui/cli/dc-ctl-police.c — daicho-ctl commands for police requests: request, query, export, verify-export, report. */
#include "dc-ctl.h"
#include "dc-date.h"
#include "dc-export.h"
#include "dc-inspection.h"
#include "dc-police.h"
#include "dc-records-report.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SCOPE_HELP \
  N_("SCOPE is one of: --at TIME (that instant: 14:32 means 14:32:00); --from TIME --to TIME (both " \
     "inclusive; a date alone as --to means to the last moment of that day), each optionally with " \
     "--terminal LABEL (repeatable); " \
     "--person NAME --dob DATE; --name NAME; --doc TYPE --doc-number N; --member N. TIME is in " \
     "store time unless it has an offset: 2026-03-04 14:32, 2026-03-04 14:32:10, " \
     "2026-03-04T14:32:10+09:00.")

#define SCOPE_KINDS \
  N_("--at TIME; --from TIME with --to TIME; --person NAME with --dob DATE; --name NAME; " \
     "--doc TYPE with --doc-number N; or --member N")

/* ---- output helpers ---- */


/* "2026-03-04 14:32:10" in store time: police ask to the second. */
static char *
time_text (DcStore *store, gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC - (at % G_USEC_PER_SEC < 0));
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, dc_store_timezone (store)) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

/* Rows of @n_columns strings (the first row the titles), each column as wide as its
 * widest cell; the last is not padded. */
static void
print_table (GPtrArray *rows, guint n_columns)
{
  g_autofree guint *widths = g_new0 (guint, n_columns);

  for (guint r = 0; r < rows->len; r++)
    for (guint c = 0; c < n_columns; c++)
      widths[c] = MAX (widths[c], dc_ctl_display_width (((char **) g_ptr_array_index (rows, r))[c]));
  for (guint r = 0; r < rows->len; r++)
    {
      char **cells = g_ptr_array_index (rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          g_string_append (line, cells[c]);
          if (c + 1 < n_columns)
            for (guint pad = dc_ctl_display_width (cells[c]); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
    }
}

/* Empty or only spaces, full-width ones included. */
static gboolean
is_blank (const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* ---- the scope ---- */

typedef struct {
  char  *at, *from, *to;
  char **terminals;
  char  *person, *dob, *name, *doc, *doc_number, *member;
} ScopeArgs;

static void
scope_args_clear (ScopeArgs *a)
{
  char **fields[] = { &a->at, &a->from, &a->to, &a->person, &a->dob, &a->name, &a->doc, &a->doc_number,
                      &a->member };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
  g_clear_pointer (&a->terminals, g_strfreev);
}

#define SCOPE_ENTRY_COUNT 10

/* @entries: the command's own options, then the scope's, then the end. Free with g_free. */
static GOptionEntry *
with_scope_entries (const GOptionEntry *own, ScopeArgs *a)
{
  const GOptionEntry scope[SCOPE_ENTRY_COUNT] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &a->at, N_("Every session in use at this instant"), N_("TIME") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &a->from, N_("Every session in use from this time …"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &a->to,
      N_("… to this time, inclusive (a date alone: to the last moment of that day)"), N_("TIME") },
    { "terminal", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->terminals,
      N_("Only sessions on this terminal (may be repeated; default all)"), N_("LABEL") },
    { "person", 0, 0, G_OPTION_ARG_STRING, &a->person, N_("Every visit of the person with this name (with --dob)"),
      N_("NAME") },
    { "dob", 0, 0, G_OPTION_ARG_STRING, &a->dob, N_("The person's date of birth"), N_("DATE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &a->name, N_("Every visit of anyone with this name"), N_("NAME") },
    { "doc", 0, 0, G_OPTION_ARG_STRING, &a->doc, N_("Every visit on this document type (with --doc-number)"),
      N_("TYPE") },
    { "doc-number", 0, 0, G_OPTION_ARG_STRING, &a->doc_number, N_("The document's number"), N_("N") },
    { "member", 0, 0, G_OPTION_ARG_STRING, &a->member, N_("Every visit of this member"), N_("NUMBER") },
  };
  guint n_own = 0;
  GOptionEntry *all;

  while (own[n_own].long_name != NULL)
    n_own++;
  all = g_new0 (GOptionEntry, n_own + SCOPE_ENTRY_COUNT + 1);
  memcpy (all, own, n_own * sizeof *own);
  memcpy (all + n_own, scope, sizeof scope);
  return all;
}

/* What the command line can get wrong before the store is opened: exactly one kind of scope. */
static int
scope_check (const char *command, const ScopeArgs *a)
{
  guint kinds = (a->at != NULL) + (a->from != NULL || a->to != NULL) + (a->person != NULL || a->dob != NULL)
                + (a->name != NULL) + (a->doc != NULL || a->doc_number != NULL) + (a->member != NULL);

  if (kinds == 0)
    return dc_ctl_usage (_("%s needs a scope: %s."), command, _(SCOPE_KINDS));
  if (kinds > 1)
    return dc_ctl_usage (_("Give one scope only: %s."), _(SCOPE_KINDS));
  if ((a->from == NULL) != (a->to == NULL))
    return dc_ctl_usage ("%s", _("A time range needs both --from and --to."));
  if (a->person != NULL && a->dob == NULL)
    return dc_ctl_usage ("%s", _("--person needs --dob; to search by name alone, use --name."));
  if (a->dob != NULL && a->person == NULL)
    return dc_ctl_usage ("%s", _("--dob goes with --person NAME."));
  if ((a->doc == NULL) != (a->doc_number == NULL))
    return dc_ctl_usage ("%s", _("A document search needs both --doc and --doc-number."));
  if (a->terminals != NULL && a->at == NULL && a->from == NULL)
    return dc_ctl_usage ("%s", _("--terminal only narrows a time (--at, or --from with --to)."));
  if (is_blank (a->person) && a->person != NULL)
    return dc_ctl_usage ("%s", _("--person needs a name."));
  if (is_blank (a->name) && a->name != NULL)
    return dc_ctl_usage ("%s", _("--name needs a name."));
  return 0;
}

static gboolean
parse_time (DcStore *store, const char *option, const char *text, gint64 *out)
{
  g_autoptr(GError) error = NULL;

  if (dc_time_parse (text, dc_store_timezone (store), out, &error))
    return TRUE;
  dc_ctl_usage ("%s: %s", option, error->message);
  return FALSE;
}

/* The inclusive end of a range: a time means that instant, a date alone the last
 * microsecond of that day. */
static gboolean
parse_inclusive_end (DcStore *store, const char *option, const char *text, gint64 *out)
{
  g_autoptr(GError) error = NULL;
  GDate day;

  if (!dc_time_parse_end (text, dc_store_timezone (store), out, &error))
    {
      dc_ctl_usage ("%s: %s", option, error->message);
      return FALSE;
    }
  if (dc_date_parse (text, &day, NULL))
    *out -= 1;
  return TRUE;
}

/* The scope from the options (after scope_check); FALSE after a usage error is printed. */
static gboolean
scope_build (DcStore *store, const ScopeArgs *a, DcQueryScope *scope)
{
  g_autoptr(GError) error = NULL;

  dc_query_scope_init (scope);
  if (a->at != NULL || a->from != NULL)
    {
      scope->kind = DC_QUERY_TIME;
      if (a->at != NULL)
        {
          if (!parse_time (store, "--at", a->at, &scope->from))
            return FALSE;
          scope->to = scope->from;
        }
      else if (!parse_time (store, "--from", a->from, &scope->from)
               || !parse_inclusive_end (store, "--to", a->to, &scope->to))
        return FALSE;
      else if (scope->from > scope->to)
        {
          dc_ctl_usage ("%s", _("--from must not be after --to."));
          return FALSE;
        }
      if (a->terminals != NULL)
        {
          scope->terminals = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; a->terminals[i] != NULL; i++)
            g_ptr_array_add (scope->terminals, g_strdup (a->terminals[i]));
        }
    }
  else if (a->person != NULL)
    {
      scope->kind = DC_QUERY_PERSON;
      scope->name = g_strdup (a->person);
      if (!dc_date_parse (a->dob, &scope->dob, &error))
        {
          dc_ctl_usage ("--dob: %s", error->message);
          return FALSE;
        }
    }
  else if (a->name != NULL)
    {
      scope->kind = DC_QUERY_NAME;
      scope->name = g_strdup (a->name);
    }
  else if (a->doc != NULL)
    {
      scope->kind = DC_QUERY_DOCUMENT;
      scope->doc_type = g_strdup (a->doc);
      scope->doc_number = g_strdup (a->doc_number);
    }
  else
    {
      scope->kind = DC_QUERY_MEMBER;
      scope->member_number = g_strdup (a->member);
    }
  return TRUE;
}

/* The store, the scope and the signed-in manager or auditor, in that order: everything the
 * command line can get wrong is said before the passphrase is asked for. Returns the exit
 * code (0 = all three are set). */
static int
open_scope_actor (DcCtlCommon *common, const ScopeArgs *a, DcStore **out_store, DcQueryScope *scope,
                  DcActor **out_actor)
{
  g_autoptr(DcStore) store = dc_ctl_open_store (common);

  dc_query_scope_init (scope);
  if (store == NULL)
    return DC_CTL_EXIT_FAILED;
  if (!scope_build (store, a, scope))
    return DC_CTL_EXIT_USAGE;
  *out_actor = dc_ctl_sign_in_passphrase (store, common);
  if (*out_actor == NULL)
    return DC_CTL_EXIT_FAILED;
  *out_store = g_steal_pointer (&store);
  return 0;
}

/* ---- request ---- */

typedef struct {
  char *agency, *officer, *reference, *basis, *note, *scope, *received;
} RequestArgs;

static void
request_args_clear (RequestArgs *a)
{
  char **fields[] = { &a->agency, &a->officer, &a->reference, &a->basis, &a->note, &a->scope, &a->received };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

static int
request_add_run (DcCtlCommon *common, RequestArgs *a)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  DcRequestInput input = { 0 };
  GError *error = NULL;
  gint64 id = 0;

  if (is_blank (a->agency) || is_blank (a->officer) || is_blank (a->reference) || a->basis == NULL)
    return dc_ctl_usage ("%s", _("request add needs --agency, --officer, --reference and --basis."));
  if (!dc_legal_basis_from_code (a->basis, &input.basis))
    return dc_ctl_usage (_("Unknown legal basis “%s”: use inspection, inquiry, warrant or other."), a->basis);
  store = dc_ctl_open_store (common);
  if (store == NULL)
    return DC_CTL_EXIT_FAILED;
  if (a->received != NULL && !parse_time (store, "--received", a->received, &input.received_at))
    return DC_CTL_EXIT_USAGE;
  actor = dc_ctl_sign_in_passphrase (store, common);
  if (actor == NULL)
    return DC_CTL_EXIT_FAILED;
  input.agency = a->agency;
  input.officer = a->officer;
  input.reference = a->reference;
  input.scope = is_blank (a->scope) ? NULL : a->scope;
  input.note = is_blank (a->note) ? NULL : a->note;
  if (!dc_request_add (store, actor, &input, &id, &error))
    return dc_ctl_fail (error);
  g_print (_("Request %" PRId64 " entered: give --request %" PRId64 " to query and export.\n"), id, id);
  return 0;
}

static int
request_add (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  RequestArgs a = { 0 };
  GOptionEntry entries[] = {
    { "agency", 0, 0, G_OPTION_ARG_STRING, &a.agency, N_("The police station and section that asks (required)"),
      N_("TEXT") },
    { "officer", 0, 0, G_OPTION_ARG_STRING, &a.officer, N_("The officer's name and contact (required)"), N_("TEXT") },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &a.reference, N_("The request's reference number (required)"),
      N_("TEXT") },
    { "basis", 0, 0, G_OPTION_ARG_STRING, &a.basis,
      N_("Legal basis: inspection (ordinance), inquiry (Code of Criminal Procedure 197(2)), warrant or other "
         "(required)"), N_("BASIS") },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &a.scope, N_("The scope as asked, in the request's words (kept encrypted)"),
      N_("TEXT") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &a.note, N_("A note (kept encrypted)"), N_("TEXT") },
    { "received", 0, 0, G_OPTION_ARG_STRING, &a.received, N_("When the request came in (default: now)"), N_("TIME") },
    { NULL }
  };
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("request add", NULL,
                    N_("Enter a police request in the ledger before anything is looked up or handed over. Needs a "
                       "manager's or auditor's passphrase; prints the request's number."),
                    entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    rc = request_add_run (&common, &a);
  request_args_clear (&a);
  dc_ctl_common_clear (&common);
  return rc;
}

static void
print_request (DcStore *store, const DcRequest *r)
{
  g_autofree char *received = time_text (store, r->received_at);

  g_print (_("Request %" PRId64 ": %s\n"), r->id, r->reference);
  dc_ctl_print_field (_("received:"), 12, received);
  dc_ctl_print_field (_("agency:"), 12, r->agency);
  dc_ctl_print_field (_("officer:"), 12, r->officer);
  dc_ctl_print_field (_("basis:"), 12, dc_legal_basis_label (r->basis));
  if (r->scope != NULL)
    dc_ctl_print_field (_("scope:"), 12, r->scope);
  if (r->note != NULL)
    dc_ctl_print_field (_("note:"), 12, r->note);
  dc_ctl_print_field (_("entered by:"), 12, r->staff != NULL ? r->staff : "-");
  if (r->exports == NULL || r->exports->len == 0)
    g_print ("  %s\n", _("Nothing handed over yet."));
  for (guint i = 0; r->exports != NULL && i < r->exports->len; i++)
    {
      const DcExportRecord *e = &g_array_index (r->exports, DcExportRecord, i);
      g_autofree char *at = time_text (store, e->at);

      g_print (_("  Export %" PRId64 " on %s by %s: %s\n"), e->id, at, e->staff != NULL ? e->staff : "-",
               e->scope != NULL ? e->scope : "");
      g_print (_("    sessions: %" PRId64 ", visits: %" PRId64 ", verifications: %" PRId64 "; holds placed: %" PRId64
                 "\n"),
               e->sessions, e->visits, e->verifications, e->holds);
      g_print (_("    manifest SHA-256 %s\n"), e->manifest_sha256 != NULL ? e->manifest_sha256 : "-");
    }
}

/* The ledger as printed paper (PDF). */
static int
write_ledger (DcStore *store, GArray *requests, const char *out)
{
  g_autoptr(DcPdfDoc) doc = dc_ledger_pdf (store, requests);
  GError *error = NULL;

  if (!dc_pdf_doc_write (doc, out, &error))
    return dc_ctl_fail (error);
  g_print (_("Ledger written: %s\n"), out);
  return 0;
}

static int
request_list (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *out = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Write the ledger as a PDF to print instead"), N_("FILE") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  g_autoptr(GArray) requests = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("request list", NULL,
                     N_("The request ledger, newest first: every police request with what was handed over (counts "
                        "and the manifest's SHA-256); with --out, the same as a PDF to print. The scope and note "
                        "are kept encrypted, so this needs a manager's or auditor's passphrase; the reading is "
                        "audited."),
                     entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (out != NULL && *out == '\0')
    rc = dc_ctl_usage ("%s", _("--out needs a file name."));
  else if ((store = dc_ctl_open_store (&common)) != NULL
           && (actor = dc_ctl_sign_in_passphrase (store, &common)) != NULL)
    {
      requests = dc_request_list (store, actor, &error);
      if (requests == NULL)
        rc = dc_ctl_fail (error);
      else if (out != NULL)
        rc = write_ledger (store, requests, out);
      else
        {
          if (requests->len == 0)
            g_print ("%s\n", _("The ledger is empty: no request has been entered."));
          for (guint i = 0; i < requests->len; i++)
            print_request (store, &g_array_index (requests, DcRequest, i));
          rc = 0;
        }
    }
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_request (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = { { "add", request_add }, { "list", request_list }, { NULL } };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl request add|list [OPTION…]"));
}

/* ---- query ---- */

static char *
document_text (const DcQueryRow *row)
{
  const DcIdentity *id = row->identity != NULL ? &row->identity->identity : NULL;
  const char *code = id != NULL && id->doc_type != NULL ? id->doc_type : row->doc_type;
  const DcDocType *doc = dc_doc_type_lookup (code);
  const char *label = doc != NULL ? _(doc->label) : code != NULL ? code : "-";

  if (id != NULL && id->doc_number != NULL && *id->doc_number != '\0')
    return g_strdup_printf ("%s %s", label, id->doc_number);
  return g_strdup (label);
}

static char *
address_text (const DcQueryRow *row)
{
  const DcIdentity *id = row->identity != NULL ? &row->identity->identity : NULL;

  if (id == NULL)
    return g_strdup ("-");
  if (id->address != NULL && *id->address != '\0')
    return g_strdup (id->address);
  if (id->nationality != NULL)
    return g_strdup_printf (_("(no address in Japan: %s, passport %s)"), id->nationality,
                            id->passport_number != NULL ? id->passport_number : "-");
  return g_strdup ("-");
}

static char **
row_cells (DcStore *store, const DcQueryRow *row)
{
  const DcIdentity *id = row->identity != NULL ? &row->identity->identity : NULL;
  char **cells = g_new0 (char *, 9);

  cells[0] = g_strdup (row->terminal != NULL ? row->terminal : "-");
  cells[1] = row->session_id != 0 ? time_text (store, row->started_at) : time_text (store, row->entered_at);
  if (row->session_id != 0)
    cells[2] = row->ended_at != 0 ? time_text (store, row->ended_at) : g_strdup (_("(in use)"));
  else
    cells[2] = row->exited_at != 0 ? time_text (store, row->exited_at) : g_strdup (_("(still in)"));
  cells[3] = g_strdup_printf ("%" PRId64, row->visit_id);
  cells[4] = g_strdup (id != NULL && id->name != NULL ? id->name : "-");
  cells[5] = id != NULL && g_date_valid (&id->dob) ? dc_date_to_iso (&id->dob) : g_strdup ("-");
  cells[6] = address_text (row);
  cells[7] = document_text (row);
  return cells;
}

/* The rows as people read them; sealed values were opened by the query (and audited). */
static void
print_rows (DcStore *store, const DcQueryResult *result)
{
  g_autoptr(GPtrArray) table = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *titles[] = { _("Terminal"), _("Start"), _("End"), _("Visit"), _("Name"), _("Born"), _("Address"),
                           _("Document"), NULL };

  g_ptr_array_add (table, g_strdupv ((char **) titles));
  for (guint i = 0; i < result->rows->len; i++)
    g_ptr_array_add (table, row_cells (store, &g_array_index (result->rows, DcQueryRow, i)));
  if (result->rows->len > 0)
    print_table (table, 8);
}

static void
print_counts (FILE *out, const DcQueryResult *result)
{
  g_autofree char *text = g_strdup_printf (_("Sessions: %u, visits: %u, verifications: %u, customers: %u "
                                             "(query %" PRId64 " in the log)."),
                                           result->sessions, result->visits, result->verifications,
                                           result->customers, result->query_id);

  fprintf (out, "%s\n", text);
}

static int
query_run (DcCtlCommon *common, ScopeArgs *a, gint64 request_id, gboolean csv)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  g_autoptr(DcQueryResult) result = NULL;
  DcQueryScope scope;
  GError *error = NULL;
  int rc;

  if ((rc = scope_check ("query", a)) != 0)
    return rc;
  if (request_id < 0)
    return dc_ctl_usage ("%s", _("--request takes a request number."));
  rc = open_scope_actor (common, a, &store, &scope, &actor);
  if (rc == 0)
    {
      result = dc_police_query (store, actor, &scope, request_id, &error);
      if (result == NULL)
        rc = dc_ctl_fail (error);
      else if (csv)
        {
          g_autoptr(GBytes) bytes = dc_records_csv (store, result);
          gsize len = 0;
          const char *data = g_bytes_get_data (bytes, &len);

          if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
            {
              g_printerr ("daicho-ctl: %s\n", _("The CSV could not be written to the standard output."));
              rc = DC_CTL_EXIT_FAILED;
            }
          print_counts (stderr, result);
        }
      else
        {
          if (result->rows->len == 0)
            g_print ("%s\n", _("No record matches."));
          print_rows (store, result);
          print_counts (stdout, result);
        }
    }
  dc_query_scope_clear (&scope);
  return rc;
}

int
dc_ctl_query (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  ScopeArgs a = { 0 };
  gint64 request_id = 0;
  gboolean csv = FALSE;
  const GOptionEntry own[] = {
    { "request", 0, 0, G_OPTION_ARG_INT64, &request_id, N_("The request this query answers (default: none)"),
      N_("ID") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Write the rows as records.csv would hold them"), NULL },
    { NULL }
  };
  g_autofree GOptionEntry *entries = with_scope_entries (own, &a);
  g_autofree char *summary = g_strdup_printf ("%s\n\n%s",
                                              _("Find the records in SCOPE and print them: terminal, start, end, "
                                                "visit, name, date of birth, address and document. Needs a "
                                                "manager's or auditor's passphrase; the query is written to the "
                                                "query log and the audit chain (never the values found)."),
                                              _(SCOPE_HELP));
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("query", N_("SCOPE"), summary, entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    rc = query_run (&common, &a, request_id, csv);
  scope_args_clear (&a);
  dc_ctl_common_clear (&common);
  return rc;
}

/* ---- export ---- */

static void
export_progress (double fraction, const char *what, gpointer user_data)
{
  g_printerr ("[%3d%%] %s\n", (int) (fraction * 100 + 0.5), what);
}

static int
export_run (DcCtlCommon *common, ScopeArgs *a, gint64 request_id, const char *out_dir, gboolean hold)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  DcExportSummary summary = { 0 };
  DcQueryScope scope;
  GError *error = NULL;
  int rc;

  if (request_id <= 0)
    return dc_ctl_usage ("%s", _("export needs --request ID: enter the request first with request add."));
  if (out_dir == NULL || *out_dir == '\0')
    return dc_ctl_usage ("%s", _("export needs --out DIR, a folder that does not exist yet."));
  if ((rc = scope_check ("export", a)) != 0)
    return rc;
  /* said before the passphrase is asked for and anything is looked up */
  if (g_file_test (out_dir, G_FILE_TEST_EXISTS))
    {
      g_printerr ("daicho-ctl: ");
      g_printerr (_("%s already exists: give a new folder for the bundle."), out_dir);
      g_printerr ("\n");
      return DC_CTL_EXIT_FAILED;
    }
  rc = open_scope_actor (common, a, &store, &scope, &actor);
  if (rc == 0)
    {
      if (!dc_export_bundle (store, actor, request_id, &scope, hold, out_dir, export_progress, NULL, &summary,
                             &error))
        rc = dc_ctl_fail (error);
      else
        {
          g_print (_("Bundle written: %s\n"), summary.dir);
          g_print (_("Sessions: %u, visits: %u, verifications: %u, customers: %u; export %" PRId64
                     " in the ledger of request %" PRId64 "%s\n"),
                   summary.sessions, summary.visits, summary.verifications, summary.customers, summary.export_id,
                   request_id, hold ? _(", held") : "");
          g_print (_("manifest.json SHA-256: %s\n"), summary.manifest_sha256);
        }
      dc_export_summary_clear (&summary);
    }
  dc_query_scope_clear (&scope);
  return rc;
}

int
dc_ctl_export (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  ScopeArgs a = { 0 };
  gint64 request_id = 0;
  g_autofree char *out_dir = NULL;
  gboolean hold = FALSE;
  const GOptionEntry own[] = {
    { "request", 0, 0, G_OPTION_ARG_INT64, &request_id, N_("The request this bundle answers (required)"), N_("ID") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, N_("The bundle's folder: must not exist; its parent must"),
      N_("DIR") },
    { "hold", 0, 0, G_OPTION_ARG_NONE, &hold, N_("Also hold everything in scope past its retention date"), NULL },
    { NULL }
  };
  g_autofree GOptionEntry *entries = with_scope_entries (own, &a);
  g_autofree char *summary = g_strdup_printf ("%s\n\n%s",
                                              _("Write the bundle for police: records.pdf, records.csv, "
                                                "manifest.json signed with the store's key (minisign), store.pub and "
                                                "README.txt. The ledger and the audit chain record it before the "
                                                "folder appears. Needs a manager's or auditor's passphrase."),
                                              _(SCOPE_HELP));
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("export", N_("SCOPE"), summary, entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc,
                    &argv))
    rc = export_run (&common, &a, request_id, out_dir, hold);
  scope_args_clear (&a);
  dc_ctl_common_clear (&common);
  return rc;
}

/* ---- verify-export ---- */

static int
print_check (const DcExportCheck *check)
{
  if (check->store_name != NULL)
    g_print (_("Store: %s\n"), check->store_name);
  if (check->reference != NULL)
    g_print (_("Request reference: %s\n"), check->reference);
  if (check->key_id != NULL)
    g_print (_("Signing key: %s\n"), check->key_id);
  for (guint i = 0; i < check->notes->len; i++)
    g_print ("  %s\n", (char *) g_ptr_array_index (check->notes, i));
  for (guint i = 0; i < check->problems->len; i++)
    g_print ("%s %s\n", _("PROBLEM:"), (char *) g_ptr_array_index (check->problems, i));
  if (check->problems->len > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "NOT INTACT: %u problem found.\n", "NOT INTACT: %u problems found.\n",
                            check->problems->len), check->problems->len);
      return DC_CTL_EXIT_FAILED;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Intact: %" PRId64 " session, signed by the key above.\n",
                        "Intact: %" PRId64 " sessions, signed by the key above.\n", (gulong) check->sessions),
           check->sessions);
  return 0;
}

int
dc_ctl_verify_export (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_auto(GStrv) dirs = NULL;
  GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, N_("DIR") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcExportCheck) check = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("verify-export", NULL,
                     N_("Check a bundle made by export: every file present, the manifest's signature with store.pub, "
                        "every file's SHA-256, the CSV against the manifest and the audit checkpoint's signature. "
                        "With --store, also that store.pub is that store's key (a bundle re-signed with another "
                        "key is caught). Needs no secret; exit 0 only when the bundle is intact."),
                     entries, 0, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (dirs == NULL || dirs[0] == NULL || dirs[1] != NULL)
    rc = dc_ctl_usage ("%s", _("verify-export needs the bundle's folder: daicho-ctl verify-export DIR."));
  /* only a store named on the command line: a default store may be another shop's */
  else if (common.store_dir != NULL && (store = dc_ctl_open_store (&common)) == NULL)
    rc = DC_CTL_EXIT_FAILED;
  else if ((check = dc_export_verify (dirs[0], store != NULL ? dc_store_sign_pk (store) : NULL, &error)) == NULL)
    rc = dc_ctl_fail (error);
  else
    rc = print_check (check);
  dc_ctl_common_clear (&common);
  return rc;
}

/* ---- report ---- */

static int
report_inspection (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *out = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The PDF file to write"), N_("FILE") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("report inspection", NULL,
                     N_("Write the inspection report (PDF, Japanese): store and notification details, how the "
                        "records are kept, verifications and visits per month, the oldest record, the last purge "
                        "and backup, the audit chain verified, and the terminals. It holds no personal data and "
                        "needs no secret; its making is audited."),
                     entries, 0, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (out == NULL || *out == '\0')
    rc = dc_ctl_usage ("%s", _("report inspection needs --out FILE.pdf."));
  else if ((store = dc_ctl_open_store (&common)) != NULL)
    {
      if (dc_inspection_report_write (store, out, &error))
        {
          g_print (_("Inspection report written: %s\n"), out);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_report (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = { { "inspection", report_inspection }, { NULL } };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl report inspection --out FILE.pdf"));
}

/* ---- read keys ---- */

static gboolean
read_keys_progress (guint64 done, guint64 total, gpointer user_data)
{
  if (isatty (STDERR_FILENO))
    g_printerr ("\r%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, done, total);
  return TRUE;
}

int
dc_ctl_read_keys (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  GError *error = NULL;
  guint64 filled = 0;
  gint64 t0;
  gboolean ok;

  if (!dc_ctl_parse ("read-keys", NULL,
                     N_("Cache the key of every identity record that has none, so that police queries open the "
                        "records quickly. Nothing is decrypted. Needs a manager's or auditor's passphrase; each "
                        "batch is written to the audit chain. Safe to stop and run again."),
                     entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  store = dc_ctl_open_store (&common);
  if (store != NULL)
    actor = dc_ctl_sign_in_passphrase (store, &common);
  dc_ctl_common_clear (&common);
  if (actor == NULL)
    return DC_CTL_EXIT_FAILED;
  t0 = g_get_monotonic_time ();
  ok = dc_identity_keys_fill (store, actor, read_keys_progress, NULL, &filled, &error);
  if (isatty (STDERR_FILENO) && filled > 0)
    g_printerr ("\n");
  if (!ok)
    return dc_ctl_fail (error);
  g_print (_("Keys cached: %" PRIu64 " in %.1f s\n"), filled,
           (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);
  return 0;
}
