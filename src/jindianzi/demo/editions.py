"""The demo's two editions: the first Hongshan competition (2017) and the second, now collecting.

The first edition's 2,336 ideas are the article's figure. How they divide
among the service categories is not reported; the split below leaves every
category enough ideas for the projects the article says were contracted
(6 disabled, 58 elderly, 30 youth, 14 specific groups, 77 for all residents).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.editions.services import (
    edition_advance_phase,
    edition_create,
    funding_sources_set,
    phases_schedule,
)

from .organizations import DemoOrganizations
from .places import DemoDistrict

FOUNDATION_SHARE, FINANCE_SHARE = Decimal("0.60"), Decimal("0.40")


@dataclass(frozen=True)
class EditionSpec:
    slug: str
    name: str
    description: str
    year: int
    ideas_by_category: dict[str, int]  # at scale 1
    max_budget_per_idea: Decimal = Decimal("20000.00")

    @property
    def phases(self) -> dict[str, tuple[date, date]]:
        """About one year, as the article reports: collection in spring, the summary in December."""
        y = self.year
        return {
            PhaseKind.COLLECTION: (date(y, 3, 1), date(y, 4, 30)),
            PhaseKind.OPTIMISATION: (date(y, 5, 1), date(y, 6, 30)),
            PhaseKind.APPROVAL: (date(y, 7, 1), date(y, 7, 31)),
            PhaseKind.IMPLEMENTATION: (date(y, 8, 1), date(y, 11, 30)),
            PhaseKind.SUMMARY: (date(y, 12, 1), date(y, 12, 31)),
        }

    @property
    def collection(self) -> tuple[date, date]:
        return self.phases[PhaseKind.COLLECTION]


FIRST = EditionSpec(
    slug="hongshan-2017",
    name="红山区首届社区“金点子”提案大赛",
    description=(
        "由红山区民政局、赤峰市弘善社区发展基金会主办，各街道办事处和枢纽型社会组织承办和实施，"
        "赤峰弘益社会组织服务中心提供技术支持。项目资金由基金会承担60%，区财政承担40%。"
    ),
    year=2017,
    ideas_by_category={"disabled": 160, "elderly": 690, "youth": 420, "special_groups": 236, "comprehensive": 830},
)
SECOND = EditionSpec(
    slug="hongshan-2018",
    name="红山区第二届社区“金点子”提案大赛",
    description="第二届大赛的征集令已经发出：欢迎居民、社区自组织和社区社会组织提交金点子。",
    year=2018,
    ideas_by_category={"disabled": 3, "elderly": 12, "youth": 7, "special_groups": 4, "comprehensive": 14},
)


def scaled_counts(counts: dict[str, int], scale: float) -> dict[str, int]:
    """Scale every count so that the total is the scaled total, rounded (largest remainders win)."""
    if scale == 1:
        return dict(counts)
    factor = Decimal(str(scale))
    total = int((sum(counts.values()) * factor).to_integral_value())
    exact = {code: count * factor for code, count in counts.items()}
    result = {code: int(value.to_integral_value(rounding=ROUND_FLOOR)) for code, value in exact.items()}
    by_remainder = sorted(counts, key=lambda code: (exact[code] - result[code], counts[code]), reverse=True)
    for code in by_remainder[:total - sum(result.values())]:
        result[code] += 1
    return result


def edition_open(*, spec: EditionSpec, places: DemoDistrict, orgs: DemoOrganizations, organiser) -> Edition:
    """Create the edition, schedule its phases, set its funding and open it for ideas."""
    edition = edition_create(actor=organiser, district=places.district, name=spec.name, slug=spec.slug,
                             max_budget_per_idea=spec.max_budget_per_idea, description=spec.description)
    phases_schedule(actor=organiser, edition=edition, dates=spec.phases)
    funding_sources_set(actor=organiser, edition=edition,
                        shares=[(orgs.foundation, FOUNDATION_SHARE), (orgs.finance, FINANCE_SHARE)])
    return edition_advance_phase(actor=organiser, edition=edition, expected_phase=PhaseKind.DRAFT)


def edition_close_collection(*, edition: Edition, organiser) -> Edition:
    """Collection is over: move on to optimisation."""
    return edition_advance_phase(actor=organiser, edition=edition, expected_phase=PhaseKind.COLLECTION)
