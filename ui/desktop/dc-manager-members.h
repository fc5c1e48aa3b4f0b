/* ui/desktop/dc-manager-members.h — DcManagerMembers: the manager window's members page: a member's card, its state, showing, printing, reissuing, losing and revoking it. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_MEMBERS (dc_manager_members_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerMembers, dc_manager_members, DC, MANAGER_MEMBERS, GtkWidget)

void     dc_manager_members_set_session (DcManagerMembers *self, DcSession *session);
/* FALSE for an auditor: the card's state is shown, nothing can be changed or printed. */
void     dc_manager_members_set_can_manage (DcManagerMembers *self, gboolean can_manage);
/* Look @text up as if typed and confirmed (a member number, or a scanned card). */
void     dc_manager_members_look_up (DcManagerMembers *self, const char *text);

G_END_DECLS
