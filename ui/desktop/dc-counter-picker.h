/* ui/desktop/dc-counter-picker.h — the counter's small modal list of terminals: Enter takes the first, or type or scan a label or member number. */
#pragma once

#include <adwaita.h>
#include "dc-terminal-item.h"

G_BEGIN_DECLS

/* A terminal was picked: @user_data is the callee's from now on. */
typedef void (*DcPickFunc) (DcTerminalItem *picked, gpointer user_data);

/* Open a modal window titled @title over @parent: @banner (may be NULL) and @prompt above the
 * rows of @items (DcTerminalItem). The first row has the focus, so Enter takes it; with
 * @with_entry an entry has it instead, for a typed or scanned label or member number. On a
 * pick the window closes and @func gets the item and @user_data; when it is closed without
 * one, @destroy (may be NULL) frees @user_data. */
GtkWindow *dc_counter_picker_open (GtkWindow *parent, const char *title, GtkWidget *banner, const char *prompt,
                                   GPtrArray *items, gboolean with_entry, DcPickFunc func, gpointer user_data,
                                   GDestroyNotify destroy);

/* The items of @terminals (DcTerminalItem) in @state, a new array. */
GPtrArray *dc_counter_terminals_in (GListModel *terminals, DcTerminalState state);
/* The free terminals for a customer, in the order dc_board_suggest () prefers: a minor only
 * filtered ones; an adult unfiltered ones first, so that filtered terminals stay free for
 * minors. */
GPtrArray *dc_counter_destinations (GListModel *terminals, gboolean minor);

/* "1:05": time in the store. */
char      *dc_counter_format_elapsed (gint minutes);
/* "2 h 05 min left", "Curfew now", "" for -1: a minor's time before the curfew. */
char      *dc_counter_format_curfew (gint minutes);

G_END_DECLS
