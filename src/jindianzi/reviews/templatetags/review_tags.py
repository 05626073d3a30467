"""Template tags other stages' pages use to show what the street review decided."""

from django import template

from jindianzi.projects.workflow import ProjectState

from ..selectors import project_decision

# A project still being put together or waiting for its review has no published decision: no query for it.
UNDECIDED_STATES = (ProjectState.DRAFT, ProjectState.SUBMITTED, ProjectState.DISSOLVED)

register = template.Library()


@register.inclusion_tag("reviews/_project_decision.html")
def review_decision(project):
    """The published decision on ``project`` with its reason and a link to the round's results (or nothing)."""
    decision = None if project.state in UNDECIDED_STATES else project_decision(project)
    return {"decision": decision, "project": project}
