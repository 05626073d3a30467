"""Builders for agreements and money, made through the same services users call.

    project = approved_project(world)                       # approved by 西屯街道's published review
    framework = cooperation_framework(world.edition, world.district)
    agreement, people = signed_agreement(world, project=project, framework=framework)
    disbursement = paid_instalment(agreement, people)      # the first instalment, paid by every source

``people`` names every account that signs or moves money: ``organiser``, ``foundation_officer``,
``finance_officer``, ``street_officer``, ``hub_staff``, ``support_staff``, ``org_staff``;
``people.officer_of(source)`` gives the officer of a funding source.

Building an approved project runs a whole street review (about a second); a module whose tests share
one build can make it once in a module-scoped fixture with ``kept_for_module`` and hand each test
``fresh(built)`` (see ``tests/funds/test_services.py``).
"""

import contextlib
import copy
import itertools
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction

from jindianzi.accounts.models import Role
from jindianzi.agreements.services import agreement_create, agreement_sign, framework_set, milestone_reach
from jindianzi.agreements.workflow import PartyRole
from jindianzi.areas.models import Area
from jindianzi.editions.services import funding_sources_set
from jindianzi.funds.services import (
    commitment_set, disbursement_request, disbursement_share_approve, disbursement_share_pay,
)
from jindianzi.organizations.models import OrganizationKind
from jindianzi.reviews.services import decision_record, round_publish
from jindianzi.reviews.workflow import Outcome

from .factories import (
    CommunityFactory, EditionFactory, OrganizationFactory, StreetFactory, approval_edition, review_round,
    scored_round, shortlisted_idea, staff_user, submitted_project,
)

FOUNDATION_SHARE, FINANCE_SHARE = Decimal("0.60"), Decimal("0.40")
DEFAULT_COMMITMENT = Decimal("1000000.00")
_numbers = itertools.count(1)


class People(SimpleNamespace):
    """The framework's organisations and accounts (and, for an agreement, its street officer and implementer)."""
    def officer_of(self, source):
        """The officer of a funding source (or of a source's pk)."""
        pk = getattr(source, "pk", source)
        return {self.foundation_source.pk: self.foundation_officer, self.finance_source.pk: self.finance_officer}[pk]


def funds_world():
    """The ``world`` fixture's district, streets and collecting edition, for data shared by a module's tests."""
    edition = EditionFactory()
    district = edition.district
    xitun = StreetFactory(name="西屯街道", parent=district)
    xicheng = StreetFactory(name="西城街道", parent=district)
    return SimpleNamespace(
        edition=edition, district=district, street=xitun, other_street=xicheng,
        community=CommunityFactory(name="老爷庙社区", parent=xitun),
        neighbour=CommunityFactory(name="花园社区", parent=xitun),
        other_community=CommunityFactory(name="红山郡社区", parent=xicheng))


@contextlib.contextmanager
def kept_for_module(django_db_blocker):
    """Data built once for a module's tests (in a module-scoped fixture), rolled back when the module ends.

    Each test still runs in its own savepoint inside this transaction, so it sees the data as built and
    whatever it changes is undone. Give each test ``copy.deepcopy`` of the built objects (``fresh``), so
    no Python object (or the accounts' cached roles) carries one test's changes into the next.
    Only for ordinary ``db`` tests: a ``transaction=True`` test must build its own data (it commits, and
    its flush would empty the tables under this transaction).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def fresh(built):
    return copy.deepcopy(built)


def approved_projects(world, costs=("4200.00",), *, street=None, community=None, organization=None,
                      org_staff=None, officer=None) -> list:
    """Projects of one street, each costing one of ``costs`` yuan, approved by the street's published review.

    The edition must still be collecting ideas (ideas are submitted then); it ends in the approval
    phase (``world.edition`` is replaced by the advanced edition). A street holds one review per edition,
    so make all of a street's projects in one call. The implementing organisation (a new one of the
    community by default) and its staff member are ``project.organization`` and ``project.org_staff``.
    """
    street = street or world.street
    community = community or (world.community if street == world.street else
                              Area.objects.filter(parent=street).order_by("id").first())
    officer = officer or staff_user(Role.STREET_OFFICER, area=street, display_name="刘建华")
    worker = staff_user(Role.COMMUNITY_WORKER, area=community, display_name="社工小王")
    if organization is None:
        organization = OrganizationFactory(name=f"老爷庙社区为老服务队{next(_numbers)}", home_area=community)
    org_staff = org_staff or staff_user(Role.ORG_STAFF, organization=organization, display_name="服务队赵队长")
    projects = []
    for number, cost in enumerate(costs, start=1):
        title = f"社区老人关爱行动{number}"
        idea = shortlisted_idea(actor=worker, edition=world.edition, community=community, title=f"{title}的点子")
        projects.append(submitted_project(ideas=[idea], actor=officer, cost=Decimal(cost), title=title,
                                          organization=organization, org_staff=org_staff))
    approval_edition(world)
    budget = sum((Decimal(cost) for cost in costs), Decimal("0.00"))
    review = scored_round(review_round(edition=world.edition, street=street, chair=officer, budget_cap=budget),
                          {project: [8] for project in projects})
    for project in projects:
        decision_record(actor=officer, review_round=review, project=project, outcome=Outcome.APPROVE,
                        reason="需求迫切，方案可行。")
    round_publish(actor=officer, review_round=review)
    for project in projects:
        project.refresh_from_db()
        project.org_staff, project.street_officer = org_staff, officer
    return projects


def approved_project(world, cost="4200.00", **kwargs):
    """One project approved by its street's published review (see ``approved_projects``)."""
    return approved_projects(world, (cost,), **kwargs)[0]


def cooperation_framework(edition, district, *, commitments=(DEFAULT_COMMITMENT, DEFAULT_COMMITMENT),
                          shares=(FOUNDATION_SHARE, FINANCE_SHARE), organiser=None) -> People:
    """The edition's five-party framework: the organisations, their people, the 60/40 funding and commitments.

    ``commitments`` are the foundation's and district finance's committed totals (yuan; ``None`` sets none).
    """
    n = next(_numbers)
    organiser = organiser or staff_user(Role.DISTRICT_ORGANISER, area=district, display_name="区民政局张科长")

    def organisation(name, kind):
        return OrganizationFactory(name=f"{name}{n}", kind=kind, home_area=district)

    bureau = organisation("红山区民政局", OrganizationKind.CIVIL_AFFAIRS_BUREAU)
    foundation = organisation("红山区社区基金会", OrganizationKind.COMMUNITY_FOUNDATION)
    finance = organisation("红山区财政局", OrganizationKind.FINANCE_BUREAU)
    hub = organisation("红山区社会组织联合会", OrganizationKind.HUB_ORGANIZATION)
    centre = organisation("红山区社会组织服务中心", OrganizationKind.SUPPORT_CENTRE)
    people = People(
        edition=edition, organiser=organiser, bureau=bureau, foundation=foundation, finance=finance, hub=hub,
        support_centre=centre,
        foundation_officer=staff_user(Role.FOUNDATION_OFFICER, organization=foundation, display_name="基金会李秘书长"),
        finance_officer=staff_user(Role.FOUNDATION_OFFICER, organization=finance, display_name="财政局王科长"),
        hub_staff=staff_user(Role.ORG_STAFF, organization=hub, display_name="联合会陈会长"),
        support_staff=staff_user(Role.SUPPORT_STAFF, organization=centre, display_name="服务中心孙老师"),
    )
    funding_sources_set(actor=organiser, edition=edition, shares=[(foundation, shares[0]), (finance, shares[1])])
    people.foundation_source = edition.funding_sources.get(organization=foundation)
    people.finance_source = edition.funding_sources.get(organization=finance)
    framework_set(actor=organiser, edition=edition, parties={
        PartyRole.CIVIL_AFFAIRS: [bureau], PartyRole.FOUNDATION: [foundation], PartyRole.HUB: [hub],
        PartyRole.SUPPORT_CENTRE: [centre]})
    for source, total in zip((people.foundation_source, people.finance_source), commitments):
        if total is not None:
            commitment_set(actor=organiser, source=source, total=Decimal(total))
    return people


def agreement_signers(framework: People, project) -> People:
    """The framework's people plus the project's street officer and implementing staff."""
    people = People(**vars(framework))
    people.street_officer = getattr(project, "street_officer", None) or staff_user(
        Role.STREET_OFFICER, area=project.street)
    people.org_staff = getattr(project, "org_staff", None) or staff_user(
        Role.ORG_STAFF, organization=project.organization)
    return people


def drawn_agreement(world, *, project=None, framework=None, cost="4200.00", split=None, split_reason=""):
    """An agreement drawn up by the organiser and waiting for every signature: ``(agreement, people)``."""
    project = project or approved_project(world, cost)
    framework = framework or cooperation_framework(project.edition, project.edition.district)
    people = agreement_signers(framework, project)
    agreement = agreement_create(actor=people.organiser, project=project, split=split, split_reason=split_reason)
    return agreement, people


def sign_all(agreement, people):
    """Every party signs in its own account, the implementer last; returns the agreement, fresh."""
    for signer in (people.organiser, people.foundation_officer, people.street_officer, people.hub_staff,
                   people.support_staff, people.org_staff):
        agreement_sign(actor=signer, agreement=agreement)
    agreement.refresh_from_db()
    return agreement


def signed_agreement(world, *, project=None, framework=None, cost="4200.00", split=None, split_reason=""):
    """An agreement in force (every party signed): ``(agreement, people)``; see the module's docstring."""
    agreement, people = drawn_agreement(world, project=project, framework=framework, cost=cost, split=split,
                                        split_reason=split_reason)
    return sign_all(agreement, people), people


def reach_milestone(agreement, people, milestone):
    """The support centre confirms ``milestone`` and every earlier one not yet reached; returns its instalment."""
    target = agreement.instalments.get(milestone=milestone)
    for instalment in agreement.instalments.filter(position__lte=target.position, reached_at__isnull=True):
        milestone_reach(actor=people.support_staff, instalment=instalment, note="督导检查通过。")
    target.refresh_from_db()
    return target


def requested_disbursement(agreement, people, milestone="signing", amount=None):
    """The implementer asks for an instalment (its milestone reached first where needed)."""
    instalment = reach_milestone(agreement, people, milestone)
    return disbursement_request(actor=people.org_staff, instalment=instalment, amount=amount)


def approve_all(disbursement, people):
    """Each source's officer approves the source's share; returns the disbursement, fresh."""
    for share in disbursement.shares.all():
        disbursement_share_approve(actor=people.officer_of(share.source_id), share=share)
    disbursement.refresh_from_db()
    return disbursement


def pay_all(disbursement, people):
    """Each source's officer records its payment with a bank reference; returns the disbursement, fresh."""
    for share in disbursement.shares.all():
        disbursement_share_pay(actor=people.officer_of(share.source_id), share=share,
                               reference=f"BANK-{disbursement.pk}-{share.source_id}")
    disbursement.refresh_from_db()
    return disbursement


def paid_instalment(agreement, people, milestone="signing", amount=None):
    """An instalment asked for, approved by every source and paid; returns the disbursement."""
    return pay_all(approve_all(requested_disbursement(agreement, people, milestone, amount), people), people)
