"""{% api_token_section %}: the account page's list of API tokens and the form for a new one.

The account page belongs to `workspaces`, which knows nothing of this app; the template asks
for the section by name, so the layers stay one-way in code."""

from django import template

from ..models import ApiToken

register = template.Library()


@register.inclusion_tag("api/token_section.html", takes_context=True)
def api_token_section(context):
    user = context["user"]
    return {
        "tokens": list(ApiToken.objects.filter(user=user)) if user.is_authenticated else [],
        "csrf_token": context.get("csrf_token"),
    }
