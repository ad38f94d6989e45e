from django import template

from workspaces.models import role_in_sentence as _role_in_sentence

register = template.Library()


@register.filter
def role_in_sentence(role: str) -> str:
    """A role inside a sentence ("You are {{ membership.role|role_in_sentence }} here")."""
    return _role_in_sentence(role)
