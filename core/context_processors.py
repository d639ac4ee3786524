from core import roles as role_checks


def roles(request):
    """Role flags for templates: navigation shows only what the user may use."""
    user = request.user
    unread = 0
    if user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "is_agent": role_checks.is_agent(user),
        "is_manager": role_checks.is_manager(user),
        "is_cab": role_checks.is_cab(user),
        "is_staff_user": role_checks.is_staff(user),
        "unread_notifications": unread,
    }
