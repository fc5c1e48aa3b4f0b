/* tests/dc-ui-test.h — helpers for UI tests: real widgets under Xvfb, a store on a fixed clock, PNG screenshots. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"
#include "dc-store.h"
#include "dc-window.h"

G_BEGIN_DECLS

#define DC_UI_TEST_PASSPHRASE "correct horse battery"
#define DC_UI_TEST_MANAGER    "店長 山田"
#define DC_UI_TEST_MANAGER_PIN "1234"
#define DC_UI_TEST_CLERK      "受付 佐藤"
#define DC_UI_TEST_CLERK_PIN  "1111"

/* g_test_init, Japanese locale (unless DAICHO_TEST_LANG says otherwise), the cairo
 * renderer, gtk_init and adw_init. */
void      dc_ui_test_init (int *argc, char ***argv);

/* A fresh store in a new temporary directory, on a clock the test sets through *@clock
 * (UTC microseconds; start: 2026-11-21 16:00 Tokyo): the manager and a clerk above,
 * terminals PC-01 … PC-@n_terminals, every fourth filtered. */
DcStore  *dc_ui_test_store (guint n_terminals, gint64 *clock);
gint64    dc_ui_test_tokyo (int year, int month, int day, int hour, int minute);

/* The counter window on @store at 1366×768, shown, the clerk signed in; its session in
 * *@out_session. */
DcWindow *dc_ui_test_counter_window (DcStore *store, DcSession **out_session);
/* A customer checked in at @terminal with a driving licence and checked out again: their
 * member number (and the card's payload in *@out_card). */
char     *dc_ui_test_register_member (DcStore *store, DcActor *actor, const char *name, int birth_year,
                                      const char *terminal, char **out_card);
/* Destroy every toplevel window. */
void      dc_ui_test_close_windows (void);

/* Remove a temporary directory and everything in it (no links followed). */
void      dc_ui_test_remove_tree (const char *path);

/* Run the main loop for @ms milliseconds (lets timeouts, idles and layout happen). */
void      dc_ui_test_pump (guint ms);
/* Run until @done becomes TRUE or @timeout_ms passes; returns *done. */
gboolean  dc_ui_test_wait (gboolean *done, guint timeout_ms);

/* Render @widget (mapped) to $G_TEST_BUILDDIR/screenshots/@name.png and return the path. */
char     *dc_ui_test_screenshot (GtkWidget *widget, const char *name);

/* Find a descendant of @root by its GtkBuildable id / widget name, or by type. */
GtkWidget *dc_ui_test_find_by_name (GtkWidget *root, const char *name);
GtkWidget *dc_ui_test_find_by_type (GtkWidget *root, GType type);
/* Find a descendant GtkLabel / GtkButton whose text contains @text. */
GtkWidget *dc_ui_test_find_label (GtkWidget *root, const char *text);
/* The text a label or an inscription shows; NULL for other widgets. */
const char *dc_ui_test_widget_text (GtkWidget *w);
GtkWidget *dc_ui_test_find_button (GtkWidget *root, const char *text);

G_END_DECLS
