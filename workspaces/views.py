from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .access import membership_for
from .selectors import SESSION_KEY


@require_POST
def switch(request):
    """Make another of the user's workspaces the current one (404 if not a member)."""
    try:
        workspace_id = int(request.POST.get("workspace", ""))
    except ValueError:
        workspace_id = 0
    membership = membership_for(user=request.user, workspace_id=workspace_id)
    request.session[SESSION_KEY] = membership.workspace_id
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
