from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import is_staff


class StaffWritesOthersRead(BasePermission):
    """Configuration objects (teams, services): any signed-in user reads, staff write."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or is_staff(request.user)
