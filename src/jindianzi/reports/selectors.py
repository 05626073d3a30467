"""The edition's figures, computed from the database every time they are asked for.

The keys and nesting follow ``shared/seed/figures.json`` so the demo edition
can be compared with the article figure by figure. Each lifecycle stage adds
its own section here as it lands; nothing is stored as a constant.
"""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import translation

from jindianzi.agreements.models import Agreement
from jindianzi.agreements.workflow import AgreementState
from jindianzi.funds.models import DisbursementShare
from jindianzi.ideas.models import Idea
from jindianzi.ideas.workflow import COLLECTED_STATES, SELECTED_STATES
from jindianzi.organizations.models import OrganizationKind
from jindianzi.reviews.models import Decision
from jindianzi.reviews.workflow import APPROVING_OUTCOMES, RoundState

# 签约: an agreement signed by every party, whether still running or completed.
CONTRACTED_STATES = (AgreementState.ACTIVE, AgreementState.COMPLETED)
CENT = Decimal("0.01")  # a fen of money; a hundredth of a share


def funnel(edition) -> dict:
    return {
        # Withdrawn ideas were taken back by their proposers and are not counted as collected.
        "ideas_collected": Idea.objects.filter(edition=edition, state__in=COLLECTED_STATES).count(),
        # 调研优选和完善提升: ideas shortlisted after research, whether or not merged into a project yet.
        "ideas_shortlisted_and_improved": Idea.objects.filter(edition=edition, state__in=SELECTED_STATES).count(),
        # 立项: projects approved (with or without conditions) by the street review rounds that published results.
        "projects_approved_by_street_review": Decision.objects.filter(
            round__edition=edition, round__state=RoundState.PUBLISHED, outcome__in=APPROVING_OUTCOMES).count(),
        # 签约: projects whose agreement every party has signed (in force or completed).
        "projects_contracted": Agreement.objects.filter(edition=edition, state__in=CONTRACTED_STATES).count(),
    }


def contracted_by_category(edition) -> dict:
    """Contracted projects per service category of the edition, keyed "code 中文名" (every category, even at 0)."""
    counts = dict(Agreement.objects.filter(edition=edition, state__in=CONTRACTED_STATES).order_by()
                  .values_list("project__category").annotate(n=Count("id")))
    return {f"{c.code} {c.name_zh}": counts.get(c.pk, 0) for c in edition.categories.all()}


def _paid_by_source(edition) -> dict[int, Decimal]:
    """What each funding source has actually paid (shares with a payment recorded), by source id."""
    rows = (DisbursementShare.objects.filter(disbursement__agreement__edition=edition, paid_at__isnull=False)
            .order_by().values_list("source").annotate(total=Sum("amount")))
    return {source: Decimal(total).quantize(CENT) for source, total in rows}


def implementation(edition) -> dict:
    return {
        # 拨付: every funding source's paid shares of every disbursement, to the fen.
        "funds_paid_yuan": f"{sum(_paid_by_source(edition).values(), Decimal('0.00')):.2f}",
    }


def _role_word(kind: str) -> str:
    """The English name of what a source is, from its organisation's kind: "community foundation"."""
    with translation.override("en"):
        return str(OrganizationKind(kind).label).lower()


def funding_split(edition) -> dict:
    """The share of the money paid that each funding source paid ("0.60"); None while nothing has been paid.

    Keyed "<role> <organisation name>", e.g. "community foundation 赤峰市弘善社区发展基金会".
    """
    paid = _paid_by_source(edition)
    total = sum(paid.values(), Decimal("0.00"))

    def share(source) -> str | None:
        return f"{(paid.get(source.pk, Decimal(0)) / total).quantize(CENT):.2f}" if total else None

    return {f"{_role_word(s.organization.kind)} {s.organization.name}": share(s)
            for s in edition.funding_sources.select_related("organization")}


def edition_header(edition) -> dict:
    return {
        "name": edition.name,
        "slug": edition.slug,
        "district": edition.district.name,
        "current_phase": edition.current_phase,
        "phases": [
            {"phase": p.kind, "starts_on": p.starts_on and p.starts_on.isoformat(),
             "ends_on": p.ends_on and p.ends_on.isoformat()}
            for p in sorted(edition.phases.all(), key=lambda p: p.order)
        ],
    }


def edition_figures(edition) -> dict:
    return {
        "edition": edition_header(edition),
        "funnel": funnel(edition),
        "contracted_by_category": contracted_by_category(edition),
        "implementation": implementation(edition),
        "funding_split": funding_split(edition),
    }
