/* ui/desktop/dc-setup-assistant-private.h — the first-run assistant's state and helpers, shared by its files (the steps; the recovery key; the terminals). */
#pragma once

#include "dc-setup-assistant.h"

G_BEGIN_DECLS

typedef enum
{
  STEP_STORE,
  STEP_MANAGER,
  STEP_RECOVERY,
  STEP_TERMINALS,
  STEP_STAFF,
  N_STEPS
} Step;

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

/* ---- small helpers ---- */

static inline const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static inline char *
trimmed (gpointer editable)
{
  return g_strstrip (g_strdup (text_of (editable)));
}

static inline void
show_error (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static inline void
toast (DcSetupAssistant *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

/* dc-setup-assistant-recovery.c: the recovery key — shown as text and QR, printed, typed back. */
gboolean dc_setup_assistant_recovery_confirmed (DcSetupAssistant *self);
void     dc_setup_assistant_show_recovery (DcSetupAssistant *self);
void     dc_setup_assistant_forget_recovery (DcSetupAssistant *self);
void     dc_setup_assistant_update_recovery_hint (DcSetupAssistant *self);
void     dc_setup_assistant_draw_qr (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data);
void     dc_setup_assistant_print_action (GtkWidget *widget, const char *action_name, GVariant *parameter);

/* dc-setup-assistant-terminals.c: the terminal range, its preview and adding it. */
gboolean dc_setup_assistant_terminals_valid (DcSetupAssistant *self);
void     dc_setup_assistant_update_terminal_preview (DcSetupAssistant *self);
gboolean dc_setup_assistant_add_terminals (DcSetupAssistant *self);

G_END_DECLS
