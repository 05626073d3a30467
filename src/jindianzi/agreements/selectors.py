"""Reads of agreements, each with a fixed number of queries whatever the number of agreements.

Who sees which agreement (the list, the balances):

- the district organiser: every agreement of their district;
- a street officer: the agreements of their street's projects;
- organisation staff: the agreements their organisation is a party to (the implementer, a hub);
- a funding source's officer: the agreements their source pays for;
- support centre staff: the agreements their centre supports.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import areas_where, organizations_where
from jindianzi.areas.models import Area
from jindianzi.core.models import AuditRecord
from jindianzi.editions.models import Edition
from jindianzi.organizations.models import Organization
from jindianzi.projects.models import Project
from jindianzi.projects.workflow import ProjectState

from .models import Agreement, AgreementParty, AgreementShare, FrameworkInstalment, FrameworkParty, Instalment
from .workflow import FRAMEWORK_ROLES, SPEC_BY_ROLE, PartyRole

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _inside(areas, field: str) -> Q:
    query = Q(pk__in=[])
    for area in areas:
        query |= Q(**{f"{field}__path__startswith": area.path})
    return query


def agreement_scope(user) -> Q:
    """The agreements ``user`` may list (see the module's docstring); nothing for anyone else."""
    query = _inside(areas_where(user, Role.DISTRICT_ORGANISER), "edition__district")
    query |= _inside(areas_where(user, Role.STREET_OFFICER), "project__street")
    org_ids = [o.pk for o in organizations_where(user, Role.ORG_STAFF)]
    if org_ids:
        query |= Q(pk__in=AgreementParty.objects.filter(organization_id__in=org_ids).values("agreement"))
    source_orgs = [o.pk for o in organizations_where(user, Role.FOUNDATION_OFFICER)]
    if source_orgs:
        query |= Q(pk__in=AgreementShare.objects.filter(source__organization_id__in=source_orgs).values("agreement"))
    centres = [o.pk for o in organizations_where(user, Role.SUPPORT_STAFF)]
    if centres:
        query |= Q(pk__in=AgreementParty.objects.filter(role=PartyRole.SUPPORT_CENTRE, organization_id__in=centres)
                   .values("agreement"))
    return query


def _sum_of(queryset, field: str):
    """A subquery summing ``field`` over ``queryset`` (filtered on ``OuterRef``); 0 when there are no rows."""
    total = queryset.order_by().annotate(total=Func(F(field), function="SUM", output_field=MONEY)).values("total")
    return Coalesce(Subquery(total[:1]), ZERO, output_field=MONEY)


def with_money(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Each agreement with ``disbursed`` (requested, approved or paid), ``approved`` and ``paid`` yuan."""
    from jindianzi.funds.models import Disbursement, DisbursementShare
    from jindianzi.funds.workflow import LIVE_DISBURSEMENT_STATES

    live = Disbursement.objects.filter(agreement=OuterRef("pk"), state__in=LIVE_DISBURSEMENT_STATES)
    shares = DisbursementShare.objects.filter(disbursement__agreement=OuterRef("pk"),
                                              disbursement__state__in=LIVE_DISBURSEMENT_STATES)
    return queryset.annotate(
        disbursed=_sum_of(live, "amount"),
        approved=_sum_of(shares.filter(approved_at__isnull=False), "amount"),
        paid=_sum_of(shares.filter(paid_at__isnull=False), "amount"),
    )


def _with_signatures(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    parties = AgreementParty.objects.filter(agreement=OuterRef("pk")).order_by().values("agreement")
    return queryset.annotate(
        party_count=Coalesce(Subquery(parties.annotate(n=Count("pk")).values("n")), Value(0)),
        signed_count=Coalesce(Subquery(parties.filter(signed_at__isnull=False).annotate(n=Count("pk"))
                                       .values("n")), Value(0)),
    )


def agreements_for(user, *, edition=None, state: str = "", street=None, text: str = "") -> QuerySet[Agreement]:
    """The agreements ``user`` may list, with signatures (``signed_count``/``party_count``) and money."""
    queryset = Agreement.objects.filter(agreement_scope(user))
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    if state:
        queryset = queryset.filter(state=state)
    if street is not None:
        queryset = queryset.filter(project__street=street)
    for term in (text or "").split()[:8]:
        queryset = queryset.filter(Q(project__title__icontains=term) | Q(code__iexact=term)
                                   | Q(organization__name__icontains=term))
    queryset = queryset.select_related("edition", "project", "project__street", "organization")
    return with_money(_with_signatures(queryset)).order_by("-created_at", "-id")


def agreement_streets(user) -> QuerySet[Area]:
    """The streets of the agreements ``user`` may list (the list's street filter)."""
    return Area.objects.filter(pk__in=Agreement.objects.filter(agreement_scope(user)).values("project__street")) \
        .order_by("name")


def agreement_editions(user) -> QuerySet[Edition]:
    return Edition.objects.filter(pk__in=Agreement.objects.filter(agreement_scope(user)).values("edition")) \
        .order_by("-created_at", "-id")


def projects_awaiting_agreement(user) -> QuerySet[Project]:
    """Approved projects of the user's street or district that have no agreement yet."""
    areas = areas_where(user, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)
    if not areas:
        return Project.objects.none()
    return (Project.objects.filter(_inside(areas, "street"), state=ProjectState.APPROVED, agreement__isnull=True)
            .select_related("edition", "street", "organization", "category").order_by("edition_id", "number"))


def editions_organised_by(user) -> QuerySet[Edition]:
    """Editions of the districts ``user`` organises (links to their framework and commitments)."""
    return Edition.objects.filter(_inside(areas_where(user, Role.DISTRICT_ORGANISER), "district")) \
        .select_related("district").order_by("-created_at", "-id")


def agreement_by_code(code: str) -> Agreement | None:
    """An agreement with everything its page shows: parties, split, budget lines, instalments."""
    from jindianzi.funds.models import Disbursement, DisbursementShare

    shares = DisbursementShare.objects.select_related("source__organization", "approved_by", "paid_by")
    disbursements = Disbursement.objects.select_related("requested_by", "returned_by").prefetch_related(
        Prefetch("shares", queryset=shares)).order_by("requested_at", "id")
    instalments = Instalment.objects.select_related("reached_by").prefetch_related(
        Prefetch("disbursements", queryset=disbursements))
    return (Agreement.objects.select_related("edition", "edition__district", "project", "project__street",
                                             "project__category", "organization", "created_by")
            .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("signed_by")),
                              "shares__source__organization", "lines",
                              Prefetch("instalments", queryset=instalments))
            .filter(code=(code or "").strip()).first())


def project_for_agreement(code: str) -> Project | None:
    """A project with what the "draw up the agreement" page shows: its plan, organisation and edition."""
    return (Project.objects.select_related("edition", "edition__district", "street", "category", "organization")
            .prefetch_related("budget_lines").filter(code=(code or "").strip()).first())


def agreement_history(agreement: Agreement) -> list[AuditRecord]:
    """The agreement's audit records, oldest first, with who made each (staff pages only)."""
    from jindianzi.core.audit import records_for

    return list(records_for(agreement).select_related("actor").order_by("seq"))


# --- The cooperation framework ----------------------------------------------------------------------------

def framework_of(edition: Edition) -> dict:
    """The edition's framework as it stands: ``{"parties": {role: [organisation, ...]}, "schedule": [...]}``."""
    parties: dict[str, list[Organization]] = {role: [] for role in FRAMEWORK_ROLES}
    for party in FrameworkParty.objects.filter(edition=edition).select_related("organization"):
        parties.setdefault(party.role, []).append(party.organization)
    return {"parties": parties, "schedule": list(FrameworkInstalment.objects.filter(edition=edition))}


def framework_candidates(edition: Edition) -> dict[str, QuerySet[Organization]]:
    """For each framework role, the organisations of the right kind in the edition's district."""
    inside = Q(home_area__path__startswith=edition.district.path)
    return {role: Organization.objects.filter(inside, kind=SPEC_BY_ROLE[role].kind).order_by("name")
            for role in FRAMEWORK_ROLES}
