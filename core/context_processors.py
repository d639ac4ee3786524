from core import roles as role_checks

# The bell counts unread messages up to here and then says "99+": counting a backlog of thousands on
# every page costs more than the number is worth.
UNREAD_BADGE_MAX = 99


def roles(request):
    """Role flags for templates: navigation shows only what the user may use."""
    user = getattr(request, "user", None)
    unread = 0
    if user is None:  # e.g. an error page rendered before authentication ran
        return {
            "is_agent": False,
            "is_manager": False,
            "is_cab": False,
            "is_staff_user": False,
            "unread_notifications": 0,
        }
    if user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True)[: UNREAD_BADGE_MAX + 1].count()
    return {
        "is_agent": role_checks.is_agent(user),
        "is_manager": role_checks.is_manager(user),
        "is_cab": role_checks.is_cab(user),
        "is_staff_user": role_checks.is_staff(user),
        "unread_notifications": unread,
        "unread_more": unread > UNREAD_BADGE_MAX,
    }
