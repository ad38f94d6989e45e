from django.conf import settings

from .selectors import all_memberships, current_membership, pending_invitation_count


def current_workspace(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        # The sign-in page offers "Create an account" only when anyone may sign up.
        return {"open_signup": settings.OPEN_SIGNUP}
    membership = current_membership(request=request)
    return {
        "current_membership": membership,
        "current_workspace": membership.workspace if membership else None,
        "user_memberships": all_memberships(request=request),
        "pending_invitation_count": lambda: pending_invitation_count(request=request),
    }
