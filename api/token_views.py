"""Personal API tokens on the account page (signed-in browsers, CSRF-protected forms).

The list and the form are on /accounts/ (``{% api_token_section %}``, api/templatetags);
creating one shows the token once, on its own page; revoking takes effect at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import services
from .access import token_for_owner


@require_POST
def create_token(request):
    try:
        new = services.create_token(
            user=request.user,
            name=request.POST.get("name", ""),
            read_only=request.POST.get("read_only") == "on",
        )
    except services.TokenError as error:
        messages.error(request, str(error))
        return redirect("account")
    response = render(request, "api/token_created.html", {"new": new}, status=201)
    response["Cache-Control"] = "no-store"  # the token must not stay in any cache
    return response


@require_POST
def revoke_token(request, pk: int):
    token = token_for_owner(user=request.user, pk=pk)
    services.revoke_token(token=token)
    messages.success(
        request, gettext("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("account")
