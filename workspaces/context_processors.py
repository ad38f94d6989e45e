from .selectors import all_memberships, current_membership


def current_workspace(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = current_membership(request=request)
    return {
        "current_membership": membership,
        "current_workspace": membership.workspace if membership else None,
        "user_memberships": all_memberships(request=request),
    }
