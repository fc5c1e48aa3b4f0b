/* ui/desktop/dc-manager-police-private.h — the police page's state, shared by its two files (the ledger and query; the handing over). */
#pragma once

#include "dc-manager-police.h"
#include "dc-manager-police-form.h"
#include "dc-police.h"

G_BEGIN_DECLS

struct _DcManagerPolice
{
  GtkWidget             parent_instance;

  GtkStack             *page_stack;
  GtkListBox           *request_list;
  GtkLabel             *for_label;
  GtkWidget            *clear_request_button;
  DcPoliceForm         *form;
  GtkLabel             *status_label;
  GtkStack             *result_stack;
  GtkColumnView        *preview;
  GtkEditable          *folder_entry;
  GtkSwitch            *hold_switch;
  GtkProgressBar       *progress;

  DcSession            *session;
  GArray               *requests;        /* DcRequest, as listed */
  gboolean              loaded;
  GListStore           *rows;            /* the preview's rows as text */
  DcQueryResult        *result;          /* the last query's rows (decrypted): printed as they are */
  DcQueryScope          scope;           /* its scope: an export hands over exactly that */
  gint64                result_request;  /* the request it ran for, 0 = none */
  char                 *folder_default;  /* the folder name we suggested, replaced unless edited */
  GtkWindow            *request_dialog;  /* weak */
  GtkNativeDialog      *chooser;         /* the file chooser shown, if any */
  GtkPrintOperation    *print_op;        /* the print in progress, if any */
  GPtrArray            *blocked;         /* windows made insensitive while an export runs */
  gint64                last_pump;       /* when the export's progress last let the main loop turn */
  gboolean              busy;
};

/* dc-manager-police.c */
gint64   dc_manager_police_selected_request (DcManagerPolice *self);
const DcRequest *dc_manager_police_find_request (DcManagerPolice *self, gint64 id);
void     dc_manager_police_show_status (DcManagerPolice *self, const char *message, gboolean problem);
void     dc_manager_police_update_actions (DcManagerPolice *self);
gboolean dc_manager_police_allowed (DcManagerPolice *self, DcActor *actor);
void     dc_manager_police_load_requests (DcManagerPolice *self, DcActor *actor, gint64 select);

/* dc-manager-police-output.c: export, print, the inspection report */
void     dc_manager_police_output_class_init (GtkWidgetClass *widget_class);
void     dc_manager_police_output_dispose (DcManagerPolice *self);

G_END_DECLS
