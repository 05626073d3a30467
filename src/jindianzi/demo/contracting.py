"""Plays the contracting (签约): the cooperation framework, the funders' commitments and an agreement per project.

After the street reviews the edition moves on to implementation. The district
organiser names the five-party framework (五方合作协议: the civil affairs
bureau, the community foundation, the hub organisations, the support centre;
the street offices join through their projects) with the default instalment
schedule, and each funding source's officer commits its share of the approved
projects' budgets, rounded up to a round sum. Then the organiser draws up an
agreement for each approved project and every party signs it in its own
account, the implementing organisation last.

The article reports 185 projects contracted of the 190 approved, and how they
divide among the categories. The contracted ones are chosen per category to
come as close to that split as the approved projects allow (``contracted_counts``);
of the others, one organisation withdrew before its agreement was drawn up,
some withdrew while it was being signed (the organiser cancels it with the
reason), and some agreements still miss a signature when the edition ends.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from jindianzi.accounts.models import Role, RoleAssignment, User
from jindianzi.accounts.services import role_grant, user_register
from jindianzi.agreements.models import Agreement, AgreementParty
from jindianzi.agreements.services import agreement_cancel, agreement_create, agreement_sign, framework_set
from jindianzi.agreements.workflow import PartyRole
from jindianzi.editions.models import Edition, FundingSource, PhaseKind
from jindianzi.editions.services import edition_advance_phase
from jindianzi.funds.services import commitment_set
from jindianzi.organizations.models import OrganizationKind
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import project_budget_totals
from jindianzi.projects.workflow import ProjectState

from .corpus.funds import CANCEL_REASONS
from .editions import scaled_counts
from .organizations import DemoOrganizations
from .panels import officer_of
from .people import person_name
from .timing import CHIFENG

# shared/seed/figures.json: "projects_contracted" and "contracted_by_category".
CONTRACTED = 185
CONTRACTED_BY_CATEGORY = {"disabled": 6, "elderly": 58, "youth": 30, "special_groups": 14, "comprehensive": 77}
# What becomes of an approved project that is not contracted, in the order they are handed out.
WITHDREW, CANCELLED, UNSIGNED = "withdrew", "cancelled", "unsigned"
FATES = (WITHDREW, CANCELLED, UNSIGNED, CANCELLED, UNSIGNED)
# The parties in the order they sign; the implementing organisation signs last.
SIGNING_ORDER = (PartyRole.CIVIL_AFFAIRS, PartyRole.FOUNDATION, PartyRole.STREET_OFFICE, PartyRole.HUB,
                 PartyRole.SUPPORT_CENTRE, PartyRole.IMPLEMENTER)
SIGNING_DAYS = 6            # every party signs within this many days of the agreement being drawn up
_FUNDS_PREFIX = "132"       # number range of the accounts made here that nobody signs in to (see ``demo.accounts``)


def office_at(rng: random.Random, day: date) -> datetime:
    """A moment of office hours (08:30 to 17:30, Chifeng time) on ``day``."""
    return datetime.combine(day, time(8, 30), tzinfo=CHIFENG) + timedelta(seconds=rng.randrange(9 * 3600))


def round_up(amount: Decimal) -> Decimal:
    """``amount`` rounded up to two significant figures: 568,020.00 gives 570,000.00."""
    if amount <= 0:
        return Decimal("0.00")
    unit = Decimal(10) ** max(0, amount.adjusted() - 1)
    return ((amount / unit).to_integral_value(rounding=ROUND_CEILING) * unit).quantize(Decimal("0.01"))


def contracted_counts(available: dict[str, int], targets: dict[str, int], total: int) -> dict[str, int]:
    """How many projects of each category to contract: ``total`` in all, never more than are ``available``,
    each as close to its target as the others allow (the shortfall of one category goes first to the
    category with the largest target among those least above theirs)."""
    counts = {code: min(count, targets.get(code, 0)) for code, count in available.items()}
    while sum(counts.values()) < total:
        spare = [code for code in counts if counts[code] < available[code]]
        code = min(spare, key=lambda c: (counts[c] - targets.get(c, 0), -targets.get(c, 0), c))
        counts[code] += 1
    while sum(counts.values()) > total:
        code = max((c for c in counts if counts[c]), key=lambda c: (counts[c] - targets.get(c, 0), counts[c], c))
        counts[code] -= 1
    return counts


@dataclass
class Signers:
    """Who signs and moves money for each party: the printed accounts where there is one, made here otherwise."""

    organiser: User
    foundation_officer: User
    finance_officer: User
    support_staff: User
    officers: dict[int, User] = field(default_factory=dict)  # street id -> its street officer
    staff: dict[int, User] = field(default_factory=dict)     # organisation id -> the staff member who acts for it
    sources: dict[int, User] = field(default_factory=dict)   # funding source id -> its officer

    def for_party(self, party: AgreementParty) -> User:
        if party.role == PartyRole.CIVIL_AFFAIRS:
            return self.organiser
        if party.role == PartyRole.FOUNDATION:
            return self.foundation_officer
        if party.role == PartyRole.SUPPORT_CENTRE:
            return self.support_staff
        if party.role == PartyRole.STREET_OFFICE:
            return self.officers[party.area_id]
        return self.staff[party.organization_id]


class _Accounts:
    """Accounts nobody signs in to, numbered in their own range, as ``demo.accounts`` makes the others."""

    def __init__(self, rng: random.Random, actor: User):
        self.rng, self.actor, self.made = rng, actor, 0

    def make(self, role: str, organization) -> User:
        self.made += 1
        user = user_register(login=f"{_FUNDS_PREFIX}{self.made:08d}", password=None,
                             display_name=person_name(self.rng), verified=True)
        role_grant(actor=self.actor, user=user, role=role, organization=organization)
        return user


def signers_build(rng: random.Random, *, edition: Edition, orgs: DemoOrganizations, printed: dict[str, User],
                  projects: list[Project]) -> Signers:
    """The signers of every party, making the accounts missing: district finance's officer, hub staff."""
    accounts = _Accounts(rng, printed[Role.DISTRICT_ORGANISER])
    signers = Signers(organiser=printed[Role.DISTRICT_ORGANISER], foundation_officer=printed[Role.FOUNDATION_OFFICER],
                      finance_officer=accounts.make(Role.FOUNDATION_OFFICER, orgs.finance),
                      support_staff=printed[Role.SUPPORT_STAFF])
    for street_id in sorted({p.street_id for p in projects}):
        signers.officers[street_id] = officer_of(next(p.street for p in projects if p.street_id == street_id))
    organizations = list({o.pk: o for o in [*orgs.hubs, *(p.organization for p in projects)]}.values())
    assignments = (RoleAssignment.objects.filter(role=Role.ORG_STAFF, organization__in=organizations)
                   .order_by("user_id").values_list("organization_id", "user_id"))
    first = {}  # the organisation's first staff member (the printed one where there is one)
    for organization_id, user_id in assignments:
        first.setdefault(organization_id, user_id)
    users = User.objects.in_bulk(first.values())
    for organization in organizations:
        signers.staff[organization.pk] = (users[first[organization.pk]] if organization.pk in first
                                          else accounts.make(Role.ORG_STAFF, organization))
    by_organization = {orgs.foundation.pk: signers.foundation_officer, orgs.finance.pk: signers.finance_officer}
    signers.sources = {s.pk: by_organization[s.organization_id] for s in FundingSource.objects.filter(edition=edition)}
    return signers


def _framework(*, edition: Edition, orgs: DemoOrganizations, signers: Signers, approved: list[Project]) -> None:
    """The five-party framework and each source's commitment: its share of the approved budgets, rounded up."""
    # A street's own hub hosts its projects; the district-wide hubs host the others (the first one listed).
    hubs = sorted(orgs.hubs, key=lambda hub: hub.home_area_id == edition.district_id)
    framework_set(actor=signers.organiser, edition=edition, parties={
        PartyRole.CIVIL_AFFAIRS: [orgs.bureau], PartyRole.FOUNDATION: [orgs.foundation], PartyRole.HUB: hubs,
        PartyRole.SUPPORT_CENTRE: [orgs.support_centre]})
    approved_total = sum(project_budget_totals(approved).values(), Decimal("0.00"))
    for source in FundingSource.objects.filter(edition=edition):
        commitment_set(actor=signers.sources[source.pk], source=source, total=round_up(approved_total * source.share))


def _left_out(rng: random.Random, approved: list[Project], scale: float) -> list[Project]:
    """The approved projects not contracted: the others come by category as close to the article as they can."""
    by_category = defaultdict(list)
    for project in approved:
        by_category[project.category.code].append(project)
    targets = scaled_counts(CONTRACTED_BY_CATEGORY, scale)
    total = min(len(approved), sum(targets.values()))
    counts = contracted_counts({code: len(items) for code, items in by_category.items()}, targets, total)
    left_out = {p.pk for code, items in by_category.items() for p in rng.sample(items, len(items) - counts[code])}
    return [p for p in approved if p.pk in left_out]


def _draw_up(rng: random.Random, project: Project, *, signers: Signers, phase_starts: date) -> tuple:
    """The organiser draws the agreement up a few days before the project starts; the moments each party signs."""
    day = max(phase_starts, project.starts_on - timedelta(days=rng.randint(3, 8)))
    drawn = office_at(rng, day)
    agreement = agreement_create(actor=signers.organiser, project=project, at=drawn)
    signed = [office_at(rng, day + timedelta(days=rng.randint(0, SIGNING_DAYS))) for _role in SIGNING_ORDER]
    moments = sorted(max(drawn + timedelta(minutes=5), at) for at in signed)
    return agreement, moments


def _sign(agreement: Agreement, *, signers: Signers, moments: list[datetime], parties: int) -> None:
    """The first ``parties`` parties sign, in the signing order, each at its moment."""
    by_role = {p.role: p for p in agreement.parties.all()}
    for role, at in list(zip(SIGNING_ORDER, moments))[:parties]:
        agreement_sign(actor=signers.for_party(by_role[role]), agreement=agreement, role=role, at=at)


@dataclass
class Contracting:
    edition: Edition
    signers: Signers
    agreements: list[Agreement]  # in force, in the order of the projects' numbers
    not_contracted: dict[str, list[Project]]  # by what became of them


def contract(rng: random.Random, *, edition: Edition, scale: float, orgs: DemoOrganizations,
             printed: dict[str, User]) -> Contracting:
    """Move ``edition`` (reviews published) on to implementation and sign the agreements of its approved projects.

    ``printed`` holds the printed accounts by role (``demo.accounts``): the
    organiser, the foundation's officer and the support centre's staff sign.
    """
    edition = edition_advance_phase(actor=printed[Role.DISTRICT_ORGANISER], edition=edition,
                                    expected_phase=PhaseKind.APPROVAL)
    phase_starts = edition.phases.get(kind=PhaseKind.IMPLEMENTATION).starts_on
    approved = list(Project.objects.filter(edition=edition, state=ProjectState.APPROVED)
                    .select_related("category", "street", "organization").order_by("number"))
    signers = signers_build(rng, edition=edition, orgs=orgs, printed=printed, projects=approved)
    _framework(edition=edition, orgs=orgs, signers=signers, approved=approved)
    others = _left_out(rng, approved, scale)
    fates = dict(zip((p.pk for p in rng.sample(others, len(others))), FATES * len(others)))
    result = Contracting(edition=edition, signers=signers, agreements=[], not_contracted=defaultdict(list))
    for project in approved:
        fate = fates.get(project.pk)
        if fate is not None:
            result.not_contracted[fate].append(project)
        if fate == WITHDREW:  # the organisation withdrew before its agreement was drawn up
            continue
        agreement, moments = _draw_up(rng, project, signers=signers, phase_starts=phase_starts)
        if fate is None:
            _sign(agreement, signers=signers, moments=moments, parties=len(SIGNING_ORDER))
            agreement.refresh_from_db()
            result.agreements.append(agreement)
        elif fate == CANCELLED:
            _sign(agreement, signers=signers, moments=moments, parties=rng.randint(1, 3))
            agreement_cancel(actor=signers.organiser, agreement=agreement, reason=rng.choice(CANCEL_REASONS))
        else:  # still waiting for the implementing organisation (and perhaps others) when the edition ends
            _sign(agreement, signers=signers, moments=moments, parties=rng.randint(2, len(SIGNING_ORDER) - 1))
    result.not_contracted = dict(result.not_contracted)
    return result
