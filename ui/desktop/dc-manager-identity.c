/* ui/desktop/dc-manager-identity.c — a decrypted identity record laid out as label and value, for the manager's eyes. */
#include "dc-manager-identity.h"
#include "dc-date.h"

#include <glib/gi18n-lib.h>

static void
add_field (GtkGrid *grid, int *row, const char *label, const char *value)
{
  GtkWidget *name, *text;

  if (value == NULL || *value == '\0')
    return;
  name = gtk_label_new (label);
  text = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_yalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (text, "manager-identity-value");
  gtk_grid_attach (grid, name, 0, *row, 1, 1);
  gtk_grid_attach (grid, text, 1, *row, 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL, -1);
  (*row)++;
}

static char *
date_text (const GDate *date)
{
  g_autofree char *wareki = NULL;
  g_autofree char *iso = NULL;

  if (!g_date_valid (date))
    return NULL;
  wareki = dc_date_to_wareki (date);
  iso = dc_date_to_iso (date);
  return g_strdup_printf (_("%s (%s)"), wareki, iso);
}

static void
add_date (GtkGrid *grid, int *row, const char *label, const GDate *date)
{
  g_autofree char *text = date_text (date);

  add_field (grid, row, label, text);
}

static void
add_document (GtkGrid *grid, int *row, const DcIdentity *id)
{
  const DcDocType *type = dc_doc_type_lookup (id->doc_type);

  add_field (grid, row, _("Document type"), type != NULL ? _(type->label) : id->doc_type);
  if (type != NULL && !type->number_allowed)
    add_field (grid, row, _("Document number"), _("Not recorded: the law forbids it"));
  else
    add_field (grid, row, _("Document number"), id->doc_number);
  add_date (grid, row, _("Expiry date"), &id->doc_expiry);
  add_date (grid, row, _("Date of issue"), &id->doc_issued);
}

static void
add_person (GtkGrid *grid, int *row, const DcIdentity *id)
{
  const DcSupplementaryType *supp = dc_supplementary_type_lookup (id->supplementary_type);

  add_field (grid, row, _("Name"), id->name);
  add_field (grid, row, _("Name in kana"), id->kana);
  add_date (grid, row, _("Date of birth"), &id->dob);
  add_field (grid, row, _("Address"), id->address);
  if (id->address_differs)
    {
      add_field (grid, row, _("Address proved by"), supp != NULL ? _(supp->label) : id->supplementary_type);
      add_date (grid, row, _("Date on that document"), &id->supplementary_date);
    }
  if (id->non_resident)
    {
      add_field (grid, row, _("Visitor from abroad"), _("Yes: no address in Japan"));
      add_field (grid, row, _("Nationality"), id->nationality);
      add_field (grid, row, _("Passport number"), id->passport_number);
    }
}

void
dc_manager_identity_fill (GtkGrid *grid, const DcIdentity *identity)
{
  int row = 0;

  dc_manager_identity_clear (grid);
  add_document (grid, &row, identity);
  add_person (grid, &row, identity);
}

void
dc_manager_identity_clear (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}
