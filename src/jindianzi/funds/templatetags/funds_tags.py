"""Template tags other stages' pages use to show the money of a project, without importing the funds stage."""

from django import template

from ..selectors import money_movements_public

register = template.Library()


@register.inclusion_tag("funds/_money_movements.html")
def money_movements(project):
    """The public money movements of a contracted project (nothing before its agreement is in force)."""
    return {"movements": money_movements_public(project)}
