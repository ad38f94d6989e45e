"""{% blind_bar article %}: the reading page's notice and buttons for a blind round (or, for
an owner, the way to start one). A tag, so the reading view needs no change to show it."""

from __future__ import annotations

from django import template

from workspaces.models import Role

from ..selectors import blind_state

register = template.Library()


@register.inclusion_tag("annotations/blind_bar.html", takes_context=True)
def blind_bar(context, article) -> dict:
    request = context["request"]
    membership = getattr(article, "viewer_membership", None)
    is_owner = membership is not None and membership.role == Role.OWNER
    return {
        "article": article,
        # The reading page knows whether there is a round (reading/access.py): no query then.
        "state": blind_state(article_id=article.pk, user=request.user)
        if getattr(article, "has_blind_round", True)
        else None,
        "is_owner": is_owner,
        "csrf_token": context.get("csrf_token"),
    }
