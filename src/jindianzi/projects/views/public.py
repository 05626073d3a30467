"""The project's public page: its plan, its budget and where it comes from (every original idea)."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render

from ..selectors import project_by_code
from ..services import budget_rule_text
from .common import revisions_url


def detail(request, code):
    project = project_by_code(code)
    if project is None:
        raise Http404
    ideas = list(project.ideas.all())
    for idea in ideas:
        idea.revisions_url = revisions_url(idea)
    lines = list(project.budget_lines.all())
    return render(request, "projects/detail.html", {
        "project": project,
        "ideas": ideas,
        "lines": lines,
        "budget_total": sum((line.amount for line in lines), Decimal("0.00")),
        "budget_rule": budget_rule_text(project, len(ideas)),
        "history": project.transitions.all(),
        "can_manage": request.user.is_authenticated
        and request.user.has_perm("projects.view_project_workspace", project),
    })
