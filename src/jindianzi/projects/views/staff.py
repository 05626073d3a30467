"""Staff pages: the list of projects, and merging shortlisted ideas into a new project."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import areas_where
from jindianzi.areas.models import Area, AreaKind

from ..forms import IdeaPickerForm, MergeForm, StaffFilterForm, parse_ids
from ..selectors import (
    default_edition, ideas_by_ids, ideas_to_integrate, projects_for_staff, staff_editions,
)
from ..services import merge_problems, projects_merge
from .common import apply_errors

PAGE_SIZE = 20
PICKER_PAGE_SIZE = 30


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def project_list(request):
    if not request.user.has_perm("projects.view_project_list"):
        raise PermissionDenied
    form = StaffFilterForm(request.GET or None, editions=staff_editions(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    projects = projects_for_staff(request.user, edition=filters.get("edition"), state=filters.get("state", ""),
                                  text=filters.get("q", ""))
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/staff_list.html", {
        "form": form, "page": page, "query": _query_without_page(request),
        "can_merge": request.user.has_perm("projects.create_project"),
    })


def _communities_of(user):
    query = Area.objects.none()
    for area in areas_where(user, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER):
        query |= Area.objects.filter(path__startswith=area.path, kind=AreaKind.COMMUNITY)
    return query.select_related("parent").order_by("parent__name", "name")


def _picker(request):
    """No ideas chosen yet: the shortlisted ideas of the user's area, to tick and merge."""
    editions = list(staff_editions(request.user))
    slug = request.GET.get("edition")
    edition = next((e for e in editions if e.slug == slug), None) or default_edition(editions)
    if edition is None:
        return render(request, "projects/merge_pick.html", {"edition": None})
    form = IdeaPickerForm(request.GET or None, edition=edition, communities=_communities_of(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    ideas = ideas_to_integrate(request.user, edition=edition, community=filters.get("community"),
                               category=filters.get("category"), text=filters.get("q", ""))
    page = Paginator(ideas, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/merge_pick.html", {
        "edition": edition, "editions": editions, "form": form, "page": page,
        "query": _query_without_page(request),
    })


@login_required
def merge(request):
    if not request.user.has_perm("projects.create_project"):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    ids, bad = parse_ids(source.getlist("ideas"))
    if bad:
        messages.error(request, _("These are not idea numbers and were left out: %(values)s")
                       % {"values": ", ".join(bad[:10])})
    ideas = ideas_by_ids(ids)
    if len(ideas) < len(ids):
        messages.error(request, _("Some of the chosen ideas do not exist and were left out."))
    if not ideas:
        if request.method == "POST":
            messages.error(request, _("Choose at least one idea to merge."))
        return _picker(request)

    edition = ideas[0].edition
    problems = merge_problems(actor=request.user, ideas=ideas, edition=edition)
    streets = list(dict.fromkeys(idea.community.parent for idea in ideas))
    category = Counter(idea.category for idea in ideas).most_common(1)[0][0]
    form = MergeForm(request.POST or None, edition=edition, streets=streets,
                     initial={"title": ideas[0].title, "category": category.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = projects_merge(actor=request.user, ideas=[i.pk for i in ideas], title=data["title"],
                                     category=data["category"], summary=data["summary"],
                                     street=data.get("street"))
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, ngettext(
                "Project %(code)s was created from %(n)s idea. Next: find an organisation and write the plan.",
                "Project %(code)s was created from %(n)s ideas. Next: find an organisation and write the plan.",
                len(ideas)) % {"code": project.code, "n": len(ideas)})
            return redirect("projects:manage", code=project.code)
    for idea in ideas:
        idea.problem = problems.get(idea.pk, "")
    mergeable = [idea.pk for idea in ideas if idea.pk not in problems]
    return render(request, "projects/merge.html", {
        "edition": edition, "ideas": ideas, "problems": problems, "form": form,
        "ids": ",".join(str(idea.pk) for idea in ideas),
        "mergeable_ids": ",".join(str(pk) for pk in mergeable) if problems and mergeable else "",
        "several_streets": len(streets) > 1,
    })
