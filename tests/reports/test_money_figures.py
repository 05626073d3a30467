"""The money figures are computed from the database: they move when an agreement is signed or a share is paid."""

from decimal import Decimal

import pytest

from jindianzi.agreements.services import agreement_sign
from jindianzi.funds.services import disbursement_share_pay
from jindianzi.reports.selectors import contracted_by_category, edition_figures, funding_split, funnel, implementation

from ..factories_funds import (
    approve_all, approved_project, cooperation_framework, drawn_agreement, paid_instalment, requested_disbursement,
    sign_all,
)

pytestmark = pytest.mark.django_db


def paid(edition) -> str:
    return implementation(edition)["funds_paid_yuan"]


@pytest.fixture
def signed(world):
    """An agreement of 4,200 yuan (1,680 on signing: 1,008 from the foundation, 672 from district finance),
    drawn up for an elderly project of 西屯街道 and waiting for its signatures."""
    project = approved_project(world, "4200.00")
    framework = cooperation_framework(project.edition, project.edition.district)
    agreement, people = drawn_agreement(world, project=project, framework=framework)
    return agreement, people


def test_nothing_is_paid_or_contracted_before_the_agreements(world):
    assert funnel(world.edition)["projects_contracted"] == 0
    assert paid(world.edition) == "0.00"
    assert funding_split(world.edition) == {}  # no funding sources yet
    assert set(contracted_by_category(world.edition).values()) == {0}


def test_a_project_counts_as_contracted_once_every_party_has_signed(signed):
    agreement, people = signed
    edition = agreement.edition
    for signer in (people.organiser, people.foundation_officer, people.street_officer, people.hub_staff,
                   people.support_staff):
        agreement_sign(actor=signer, agreement=agreement)
    assert funnel(edition)["projects_contracted"] == 0  # the implementing organisation has not signed yet
    agreement_sign(actor=people.org_staff, agreement=agreement)
    assert funnel(edition)["projects_contracted"] == 1
    by_category = contracted_by_category(edition)
    assert list(by_category) == ["disabled 残疾人服务类", "elderly 老年人服务类", "youth 青少年服务类",
                                 "special_groups 特定人群服务类", "comprehensive 综合人群服务类"]
    assert by_category["elderly 老年人服务类"] == 1 and sum(by_category.values()) == 1


def test_the_paid_figure_and_the_split_move_share_by_share(signed):
    agreement, people = signed
    edition = agreement.edition
    agreement = sign_all(agreement, people)
    foundation = f"community foundation {people.foundation.name}"
    finance = f"district finance {people.finance.name}"
    assert funding_split(edition) == {foundation: None, finance: None}  # nothing paid yet

    disbursement = approve_all(requested_disbursement(agreement, people), people)
    assert paid(edition) == "0.00"  # approved is not paid

    by_source = {share.source_id: share for share in disbursement.shares.all()}
    disbursement_share_pay(actor=people.foundation_officer, share=by_source[people.foundation_source.pk],
                           reference="HS2017-0001-1F")
    assert paid(edition) == "1008.00"
    assert funding_split(edition) == {foundation: "1.00", finance: "0.00"}

    disbursement_share_pay(actor=people.finance_officer, share=by_source[people.finance_source.pk],
                           reference="HS2017-0001-1C")
    assert paid(edition) == "1680.00"
    assert funding_split(edition) == {foundation: "0.60", finance: "0.40"}
    assert edition_figures(edition)["implementation"]["funds_paid_yuan"] == "1680.00"


def test_a_settlement_for_less_than_the_instalment_counts_what_was_paid(signed):
    agreement, people = signed
    agreement = sign_all(agreement, people)
    paid_instalment(agreement, people, "signing")
    paid_instalment(agreement, people, "midterm")
    paid_instalment(agreement, people, "final", amount=Decimal("1000.01"))
    # 1,680 + 1,260 + 1,000.01; the settlement's fen goes to the larger share.
    assert paid(agreement.edition) == "3940.01"
    agreement.refresh_from_db()
    assert agreement.state == "completed"
    assert funnel(agreement.edition)["projects_contracted"] == 1  # a completed agreement stays contracted
