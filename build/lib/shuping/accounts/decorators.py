from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .permissions import PERMISSIONS


def requires(permission: str | None):
    """Declare the named permission a view needs; `None` means any signed-in user.

    The permission is stored on the view (`view.required_permission`) so the
    permission-matrix test can list what every URL declares.
    """
    if permission is not None and permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if permission is not None and not request.scope.has(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def public(view):
    """Mark a view as reachable without signing in (login page, ballot pages)."""
    view.required_permission = "public"
    return view
