"""Projects through the API: the public record with its provenance, and the optimisation steps staff take.

Merging, matching, planning and submitting call the projects services, which
check the same permissions as the staff pages.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jindianzi.core.money import yuan
from jindianzi.core.errors import PermissionDenied
from jindianzi.editions.models import Edition
from jindianzi.ideas.models import Idea
from jindianzi.organizations.models import Organization
from jindianzi.projects.matching import organizations_suggested_for
from jindianzi.projects.models import MatchOffer
from jindianzi.projects.selectors import project_by_code, projects_public
from jindianzi.projects.services import (
    PlanDraft, match_offer_answer, match_offer_send, project_add_idea, project_plan_update, project_remove_idea,
    project_submit, projects_merge,
)

from ..auth import signed_in
from ..pagination import LimitOffset
from ..schemas import (
    AnswerIn, ErrorOut, IdeaCodeIn, MergeIn, OfferIn, OfferOut, PlanIn, ProjectDetailOut, ProjectFilters,
    ProjectOut, SuggestionOut, ValidationErrorOut,
)

router = Router(tags=["projects"])
REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ValidationErrorOut,
            422: ValidationErrorOut}


def _project_or_404(code: str):
    project = project_by_code(code)
    if project is None:
        raise Http404(_("No project has this code."))
    return project


def _ideas(codes) -> list[Idea]:
    codes = [code.strip().upper() for code in codes]
    found = {idea.tracking_code: idea for idea in Idea.objects.filter(tracking_code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise Http404(_("No idea has the tracking code %(code)s.") % {"code": ", ".join(missing)})
    return [found[code] for code in codes]


@router.get("/projects", response=list[ProjectOut], summary="Projects, filtered")
@paginate(LimitOffset)
def list_projects(request, filters: Query[ProjectFilters]):
    edition = Edition.objects.filter(slug=filters.edition).first() if filters.edition else None
    if filters.edition and edition is None:
        return projects_public().none()
    return projects_public(edition=edition, street=filters.street, state=filters.state or "",
                           category=filters.category or "")


@router.get("/projects/{code}", response={200: ProjectDetailOut, 404: ErrorOut},
            summary="One project with its plan, budget, original ideas and history")
def get_project(request, code: str):
    return _project_or_404(code)


@router.post("/projects", auth=signed_in, response={201: ProjectDetailOut, **REFUSALS},
             summary="Merge shortlisted ideas into a new project (staff)")
def merge_ideas(request, payload: MergeIn):
    ideas = _ideas(payload.ideas)
    category = ideas[0].edition.categories.filter(code=payload.category).first() if payload.category else None
    project = projects_merge(actor=request.auth, ideas=ideas, title=payload.title, category=category,
                             summary=payload.summary)
    return Status(201, _project_or_404(project.code))


@router.post("/projects/{code}/ideas", auth=signed_in, response={200: ProjectDetailOut, **REFUSALS},
             summary="Add a shortlisted idea to a draft project (staff)")
def add_project_idea(request, code: str, payload: IdeaCodeIn):
    project_add_idea(actor=request.auth, project=_project_or_404(code), tracking_code=payload.idea)
    return _project_or_404(code)


@router.delete("/projects/{code}/ideas/{idea}", auth=signed_in, response={200: ProjectDetailOut, **REFUSALS},
               summary="Take an idea out of a draft project (undo the merge)")
def remove_project_idea(request, code: str, idea: str):
    project = _project_or_404(code)
    project_remove_idea(actor=request.auth, project=project, idea=_ideas([idea])[0])
    return _project_or_404(code)


@router.get("/projects/{code}/suggestions", auth=signed_in, response={200: list[SuggestionOut], **REFUSALS},
            summary="Organisations suggested to implement the project, with each score part (staff)")
def project_suggestions(request, code: str):
    project = _project_or_404(code)
    if not request.auth.has_perm("projects.match_project", project):
        raise PermissionDenied(_("You can only match projects of your own street."))
    return organizations_suggested_for(project, limit=20)


@router.post("/projects/{code}/offers", auth=signed_in, response={201: OfferOut, **REFUSALS},
             summary="Offer the project to an organisation (staff)")
def send_offer(request, code: str, payload: OfferIn):
    organization = get_object_or_404(Organization, pk=payload.organization)
    offer = match_offer_send(actor=request.auth, project=_project_or_404(code), organization=organization,
                             message=payload.message)
    return Status(201, offer)


@router.post("/offers/{offer_id}/answer", auth=signed_in, response={200: OfferOut, **REFUSALS},
             summary="Accept or decline an offer (the organisation's staff)")
def answer_offer(request, offer_id: int, payload: AnswerIn):
    offer = get_object_or_404(MatchOffer.objects.select_related("project", "organization"), pk=offer_id)
    return match_offer_answer(actor=request.auth, offer=offer, accept=payload.accept, reason=payload.reason)


@router.put("/projects/{code}/plan", auth=signed_in, response={200: ProjectDetailOut, **REFUSALS},
            summary="Write the project plan and budget (staff or the implementing organisation)")
def update_plan(request, code: str, payload: PlanIn):
    project = _project_or_404(code)
    plan = PlanDraft(
        title=payload.title, category=project.edition.categories.filter(code=payload.category).first(),
        summary=payload.summary, objectives=payload.objectives, target_groups=payload.target_groups,
        expected_beneficiaries=payload.expected_beneficiaries, planned_activities=payload.planned_activities,
        starts_on=payload.starts_on, ends_on=payload.ends_on,
        budget_lines=[(line.item, yuan(line.amount)) for line in payload.budget_lines],
    )
    project_plan_update(actor=request.auth, project=project, plan=plan)
    return _project_or_404(code)


@router.post("/projects/{code}/submit", auth=signed_in, response={200: ProjectDetailOut, **REFUSALS},
             summary="Submit the project to its street's review (staff)")
def submit_project(request, code: str):
    project_submit(actor=request.auth, project=_project_or_404(code))
    return _project_or_404(code)
