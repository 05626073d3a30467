"""The project's and the match offer's states and named transitions, declared in one place.

Each state has a label for staff and a plainer one for the public. Each
transition names the states it leaves from, the state it leads to and the
permission (in ``projects/rules.py``) that decides who may fire it. The
service functions in ``services.py`` are the only code that changes a state.

Project (项目)::

    ──create──▶ draft (整合中) ──submit──▶ submitted (提交街道评审) ──approve──▶ approved (立项)
                  │  ▲ add_idea, remove_idea, match, unmatch        └──reject───▶ rejected (未立项)
                  └─dissolve─▶ dissolved    (the last idea was taken out)

``approve`` and ``reject`` are fired when the street's review round publishes its
results (``reviews.services.round_publish``); the decision and its reason live
in the review. ``contract`` is fired when every party has signed the agreement::

    approved ──contract──▶ contracted (已签约)
Once a project has left ``draft`` its ideas are fixed: a merge can no longer be undone.

Match offer (对接)::

    ──send──▶ offered ──accept──▶ accepted ──withdraw──▶ withdrawn
                 ├──decline──▶ declined
                 └──withdraw──▶ withdrawn
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectState(models.TextChoices):
    DRAFT = "draft", _("Being integrated")
    SUBMITTED = "submitted", _("Submitted to the street review")
    DISSOLVED = "dissolved", _("Dissolved")
    APPROVED = "approved", _("Approved by the street review")
    REJECTED = "rejected", _("Not approved by the street review")
    CONTRACTED = "contracted", _("Agreement signed")


PUBLIC_LABELS = {
    ProjectState.DRAFT: _("Being put together from residents' ideas"),
    ProjectState.SUBMITTED: _("Waiting for the street's review"),
    ProjectState.DISSOLVED: _("Dissolved: its ideas went back to the shortlist"),
    ProjectState.APPROVED: _("Approved by the street: it goes on to the agreement"),
    ProjectState.REJECTED: _("Not approved by the street (the reason is on this page)"),
    ProjectState.CONTRACTED: _("The agreement is signed: the project is being carried out"),
}


def public_label(state: str) -> str:
    return PUBLIC_LABELS.get(state, ProjectState(state).label if state else "")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    label: str          # for staff
    public: str         # for the public history on the project page


CREATE = Transition(
    name="create", sources=("",), target=ProjectState.DRAFT, permission="projects.create_project",
    label=_("Created by merging ideas"), public=_("Put together from residents' ideas"),
)
ADD_IDEA = Transition(
    name="add_idea", sources=(ProjectState.DRAFT,), target=ProjectState.DRAFT,
    permission="projects.change_project", label=_("Idea added"), public=_("An idea joined the project"),
)
REMOVE_IDEA = Transition(
    name="remove_idea", sources=(ProjectState.DRAFT,), target=ProjectState.DRAFT,
    permission="projects.change_project", label=_("Idea taken out"),
    public=_("An idea was taken out of the project"),
)
MATCH = Transition(
    name="match", sources=(ProjectState.DRAFT,), target=ProjectState.DRAFT,
    permission="projects.answer_offer", label=_("Organisation accepted"),
    public=_("An organisation agreed to implement the project"),
)
UNMATCH = Transition(
    name="unmatch", sources=(ProjectState.DRAFT,), target=ProjectState.DRAFT,
    permission="projects.match_project", label=_("Organisation released"),
    public=_("The implementing organisation was released"),
)
SUBMIT = Transition(
    name="submit", sources=(ProjectState.DRAFT,), target=ProjectState.SUBMITTED,
    permission="projects.submit_project", label=_("Submitted to the street review"),
    public=_("Submitted to the street's review"),
)
DISSOLVE = Transition(
    name="dissolve", sources=(ProjectState.DRAFT,), target=ProjectState.DISSOLVED,
    permission="projects.change_project", label=_("Dissolved"),
    public=_("Dissolved: its ideas went back to the shortlist"),
)

# Fired by the review round's publication; the round's chair permission is checked there.
APPROVE = Transition(
    name="approve", sources=(ProjectState.SUBMITTED,), target=ProjectState.APPROVED,
    permission="reviews.decide_round", label=_("Approved by the street review"),
    public=_("Approved by the street's review panel"),
)
REJECT = Transition(
    name="reject", sources=(ProjectState.SUBMITTED,), target=ProjectState.REJECTED,
    permission="reviews.decide_round", label=_("Not approved by the street review"),
    public=_("Not approved by the street's review panel"),
)
# Fired when every party has signed the project's agreement (``agreements.services.agreement_sign``).
CONTRACT = Transition(
    name="contract", sources=(ProjectState.APPROVED,), target=ProjectState.CONTRACTED,
    permission="agreements.sign_agreement", label=_("Agreement signed by every party"),
    public=_("The agreement was signed by every party"),
)

TRANSITIONS = {t.name: t for t in (CREATE, ADD_IDEA, REMOVE_IDEA, MATCH, UNMATCH, SUBMIT, DISSOLVE, APPROVE,
                                   REJECT, CONTRACT)}
# States in which the project counts towards an organisation's current load.
ACTIVE_STATES = (ProjectState.DRAFT, ProjectState.SUBMITTED, ProjectState.APPROVED, ProjectState.CONTRACTED)
# States of a project the street review has approved (later stages add theirs here).
APPROVED_STATES = (ProjectState.APPROVED, ProjectState.CONTRACTED)
# States of a project that has gone beyond integration (it "exists" for past-experience scoring).
PAST_STATES = tuple(s for s in ProjectState.values if s not in (ProjectState.DRAFT, ProjectState.DISSOLVED))


class OfferState(models.TextChoices):
    # With a context: "Declined" and "Withdrawn" also name idea states, in other words.
    OFFERED = "offered", pgettext_lazy("match offer", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("match offer", "Accepted")
    DECLINED = "declined", pgettext_lazy("match offer", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("match offer", "Withdrawn")


# An offer that still binds the project: at most one per project at a time.
LIVE_OFFER_STATES = (OfferState.OFFERED, OfferState.ACCEPTED)


@dataclass(frozen=True)
class OfferTransition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str


SEND_OFFER = OfferTransition("send", ("",), OfferState.OFFERED, "projects.match_project")
ACCEPT_OFFER = OfferTransition("accept", (OfferState.OFFERED,), OfferState.ACCEPTED, "projects.answer_offer")
DECLINE_OFFER = OfferTransition("decline", (OfferState.OFFERED,), OfferState.DECLINED, "projects.answer_offer")
WITHDRAW_OFFER = OfferTransition("withdraw", LIVE_OFFER_STATES, OfferState.WITHDRAWN, "projects.match_project")
