"""The optional resident vote: its settings, who may vote, ballots, and how it is counted.

The two allocation rules are worked by hand on a small street: 30,000 yuan, two residents who vote together
for 问候队, 四点半课堂 and 楼道微更新, and one resident who wants only 邻里议事会.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jindianzi.accounts.models import Role
from jindianzi.core.audit import records_for
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.reviews.models import Ballot, CensusEntry, ReviewRound, VoteOutcome, VoterVerification
from jindianzi.reviews.ranking import round_ranking
from jindianzi.reviews.voting import (
    ballot_cast, census_import, vote_close, vote_configure, vote_open, voter_verification, voter_verify,
)
from jindianzi.reviews.workflow import BallotLimit, VerificationMethod, VoteRule, VoteState, VoteUse

from ..factories import UserFactory, merged_project, scored_round, shortlisted_idea, staff_user
from .fixtures import (  # noqa: F401  (fixtures)
    _english, implementer, messages_of, officer, start_round, submit, worker,
)

pytestmark = pytest.mark.django_db


def census_csv(rows, header="社区,手机号", encoding="utf-8") -> bytes:
    lines = ([header] if header else []) + [f"{community},{phone}" for community, phone in rows]
    return "\n".join(lines).encode(encoding)


@pytest.fixture
def residents(world, officer):
    """``residents(n)``: n residents with verified accounts whose mobile numbers are on 西屯街道's census."""

    def _make(n):
        people = [UserFactory() for _ in range(n)]
        census_import(actor=officer, street=world.street,
                      data=census_csv([(world.community.name, p.phone) for p in people]))
        return people

    return _make


def open_vote(review_round, rule=VoteRule.GREEDY, use=VoteUse.ADVISORY, weight=0, **limits):
    vote_configure(actor=review_round.chair, review_round=review_round, rule=rule, use=use, weight=weight, **limits)
    return vote_open(actor=review_round.chair, review_round=review_round)


# --- Settings -----------------------------------------------------------------------------------------

def test_the_vote_is_prepared_and_changed_before_it_opens_then_its_rule_is_fixed(world, submit, start_round):
    submit()
    review_round = start_round()
    vote_configure(actor=review_round.chair, review_round=review_round, rule=VoteRule.GREEDY, use=VoteUse.ADVISORY)
    vote_configure(actor=review_round.chair, review_round=review_round, rule=VoteRule.EQUAL_SHARES,
                   use=VoteUse.WEIGHTED, weight=30, ballot_limit=BallotLimit.COUNT, ballot_limit_value="3")
    vote_open(actor=review_round.chair, review_round=review_round)

    with pytest.raises(TransitionNotAllowed, match="can no longer change"):
        vote_configure(actor=review_round.chair, review_round=review_round, rule=VoteRule.GREEDY,
                       use=VoteUse.ADVISORY)

    review_round.refresh_from_db()
    assert (review_round.vote_state, review_round.vote_rule, review_round.vote_use, review_round.vote_weight,
            review_round.ballot_limit_value) == (VoteState.OPEN, VoteRule.EQUAL_SHARES, VoteUse.WEIGHTED, 30,
                                                 Decimal("3.00"))
    assert [r.action for r in records_for(review_round) if r.action.startswith("review_vote")] == [
        "review_vote.configure", "review_vote.configure", "review_vote.open"]


@pytest.mark.parametrize("choice, field", [
    (dict(use=VoteUse.WEIGHTED, weight=0), "weight"),
    (dict(use=VoteUse.WEIGHTED, weight=101), "weight"),
    (dict(use=VoteUse.WEIGHTED, weight="三十"), "weight"),
    (dict(use=VoteUse.ADVISORY, ballot_limit=BallotLimit.COUNT, ballot_limit_value="2.5"), "ballot_limit_value"),
    (dict(use=VoteUse.ADVISORY, ballot_limit=BallotLimit.COST, ballot_limit_value="-100"), "ballot_limit_value"),
    (dict(use=VoteUse.ADVISORY, ballot_limit=BallotLimit.COST, ballot_limit_value="1e30"), "ballot_limit_value"),
    (dict(use=VoteUse.ADVISORY, ballot_limit=BallotLimit.COST, ballot_limit_value="9999999999999"),
     "ballot_limit_value"),
    (dict(use="binding"), "use"),
])
def test_bad_vote_settings_are_refused_and_nothing_changes(world, start_round, choice, field):
    review_round = start_round()

    with pytest.raises(ValidationError) as refused:
        vote_configure(actor=review_round.chair, review_round=review_round, rule=VoteRule.GREEDY, **choice)

    assert list(refused.value.message_dict) == [field]
    assert ReviewRound.objects.get().vote_state == VoteState.OFF


def test_an_advisory_vote_has_no_weight(world, start_round):
    review_round = start_round()
    vote_configure(actor=review_round.chair, review_round=review_round, rule=VoteRule.GREEDY,
                   use=VoteUse.ADVISORY, weight=40)
    assert ReviewRound.objects.get().vote_weight == 0


# --- Who may vote -------------------------------------------------------------------------------------------

def test_a_resident_nobody_has_confirmed_is_told_to_ask_their_community_worker(world, submit, start_round):
    project = submit()
    review_round = open_vote(start_round())
    stranger = UserFactory()

    with pytest.raises(PermissionDenied) as refused:
        ballot_cast(voter=stranger, review_round=review_round, projects=[project])

    assert str(refused.value) == ("Only verified residents of 西屯街道 can vote. Ask your community worker to "
                                  "confirm you.")
    assert not Ballot.objects.exists()


def test_a_community_worker_confirms_a_resident_who_can_then_vote(world, worker, submit, start_round):
    project = submit()
    review_round = open_vote(start_round())
    resident = UserFactory(display_name="王秀兰")

    verification = voter_verify(actor=worker, street=world.street, user=resident, community=world.community)
    ballot = ballot_cast(voter=resident, review_round=review_round, projects=[project])

    assert (verification.method, verification.verified_by) == (VerificationMethod.WORKER, worker)
    assert records_for(verification).get().action == "voter.verify"
    assert list(ballot.projects.all()) == [project]


def test_a_community_worker_of_another_street_cannot_confirm_a_resident(world):
    stranger_worker = staff_user(Role.COMMUNITY_WORKER, area=world.other_community)
    resident = UserFactory()

    with pytest.raises(PermissionDenied, match="community worker of the resident's community"):
        voter_verify(actor=stranger_worker, street=world.street, user=resident, community=world.community)
    with pytest.raises(ValidationError, match="红山郡社区 is not in 西屯街道"):
        voter_verify(actor=stranger_worker, street=world.street, user=resident, community=world.other_community)
    assert not VoterVerification.objects.exists()


def test_a_resident_of_another_street_is_not_confirmed_for_this_one(world, officer):
    resident = UserFactory(display_name="李明")

    with pytest.raises(ValidationError) as refused:
        voter_verify(actor=officer, street=world.street, user=resident, community=world.other_community)
    assert refused.value.message_dict == {"community": ["红山郡社区 is not in 西屯街道."]}
    with pytest.raises(ValidationError) as refused:
        voter_verify(actor=officer, street=world.street, user=resident)
    assert refused.value.message_dict == {"community": ["Choose the community where 李明 lives."]}
    assert not VoterVerification.objects.exists()


def test_a_resident_found_on_the_census_list_is_verified_when_they_vote(world, residents, submit, start_round):
    project = submit()
    review_round = open_vote(start_round())
    resident, = residents(1)
    assert not VoterVerification.objects.exists()

    ballot_cast(voter=resident, review_round=review_round, projects=[project])

    assert VoterVerification.objects.get(user=resident).method == VerificationMethod.CENSUS
    assert voter_verification(resident, world.other_street) is None


# --- The census list ----------------------------------------------------------------------------------------

def test_the_census_list_is_imported_from_csv_with_a_header_and_keeps_no_phone_number(world, officer):
    data = census_csv([("老爷庙社区", "13900001111"), ("花园社区", "139 0000 2222"), ("老爷庙社区", "+8613900003333")])

    report = census_import(actor=officer, street=world.street, data=data)

    assert (report.imported, report.already_listed, report.problems) == (3, 0, [])
    entries = CensusEntry.objects.filter(street=world.street)
    assert sorted(e.community.name for e in entries) == ["老爷庙社区", "老爷庙社区", "花园社区"]
    assert not any("1390000" in e.phone_digest for e in entries)


def test_a_census_file_saved_by_excel_in_gbk_is_read(world, officer):
    report = census_import(actor=officer, street=world.street,
                           data=census_csv([("老爷庙社区", "13900001111")], encoding="gbk"))
    assert report.imported == 1 and CensusEntry.objects.get().community == world.community


def test_bad_census_rows_are_named_by_their_row_in_the_file_and_nothing_is_imported(world, officer):
    data = census_csv([("老爷庙社区", "13900001111"), ("红山郡社区", "13900002222"), ("花园社区", "12345")]) \
        + "\n老爷庙社区".encode()

    with pytest.raises(ValidationError) as refused:
        census_import(actor=officer, street=world.street, data=data)

    assert refused.value.messages == [
        "Row 3: “红山郡社区” is not a community of 西屯街道.",
        "Row 4: “12345” is not a mobile number.",
        "Row 5: it needs two columns, the community and the mobile number.",
    ]
    assert not CensusEntry.objects.exists()


def test_importing_the_list_again_counts_who_is_already_listed(world, officer):
    census_import(actor=officer, street=world.street,
                  data=census_csv([("老爷庙社区", "13900001111"), ("老爷庙社区", "13900002222")]))

    report = census_import(actor=officer, street=world.street, data=census_csv(
        [("老爷庙社区", "13900001111"), ("花园社区", "13900002222"), ("花园社区", "13900003333")], header=None))

    assert (report.imported, report.already_listed) == (1, 2)
    assert CensusEntry.objects.count() == 3


def test_a_file_that_is_not_text_is_refused(world, officer):
    with pytest.raises(ValidationError, match="not text in UTF-8 or GBK"):
        census_import(actor=officer, street=world.street, data=b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x81")


def test_only_the_streets_staff_import_its_census(world, worker):
    with pytest.raises(PermissionDenied):
        census_import(actor=worker, street=world.street, data=census_csv([("老爷庙社区", "13900001111")]))
    assert not CensusEntry.objects.exists()


# --- Ballots ---------------------------------------------------------------------------------------------------

def test_each_resident_votes_once(world, residents, submit, start_round):
    first, second = submit(title="问候队"), submit(title="四点半课堂")
    review_round = open_vote(start_round())
    resident, = residents(1)
    ballot_cast(voter=resident, review_round=review_round, projects=[first])

    with pytest.raises(ValidationError) as refused:
        ballot_cast(voter=resident, review_round=review_round, projects=[second])

    assert refused.value.messages == ["You have already voted in this round; each resident votes once."]
    assert [list(b.projects.all()) for b in Ballot.objects.all()] == [[first]]


def test_two_ballots_of_one_resident_arriving_at_once_leave_one(world, residents, submit, start_round, monkeypatch):
    first, second = submit(title="问候队"), submit(title="四点半课堂")
    review_round = open_vote(start_round())
    resident, = residents(1)
    ballot_cast(voter=resident, review_round=review_round, projects=[first])
    # The second request checked before the first one committed: it saw no ballot, and the database refuses it.
    seen = Ballot.objects.filter
    monkeypatch.setattr(Ballot.objects, "filter", lambda *args, **kwargs: seen(*args, **kwargs).none())

    with pytest.raises(ValidationError) as refused:
        ballot_cast(voter=resident, review_round=review_round, projects=[second])

    monkeypatch.undo()
    assert refused.value.messages == ["You have already voted in this round; each resident votes once."]
    assert [list(b.projects.all()) for b in Ballot.objects.all()] == [[first]]


def test_a_ballot_keeps_to_the_number_of_projects_allowed(world, residents, submit, start_round):
    first, second = submit(title="问候队"), submit(title="四点半课堂")
    review_round = open_vote(start_round(), ballot_limit=BallotLimit.COUNT, ballot_limit_value="1")
    resident, = residents(1)

    with pytest.raises(ValidationError) as refused:
        ballot_cast(voter=resident, review_round=review_round, projects=[first, second])
    assert refused.value.messages == ["You can choose at most 1 projects; you chose 2."]
    assert not Ballot.objects.exists()

    ballot_cast(voter=resident, review_round=review_round, projects=[second])
    assert Ballot.objects.count() == 1


def test_a_ballot_keeps_to_the_cost_allowed(world, residents, submit, start_round):
    first, second = submit("3000", title="问候队"), submit("4000", title="四点半课堂")
    review_round = open_vote(start_round(), ballot_limit=BallotLimit.COST, ballot_limit_value="5000")
    resident, = residents(1)

    with pytest.raises(ValidationError) as refused:
        ballot_cast(voter=resident, review_round=review_round, projects=[first, second])
    assert refused.value.messages == [
        "The projects you chose cost 7,000.00 yuan together; the limit is 5,000.00 yuan."]
    assert not Ballot.objects.exists()


def test_only_projects_waiting_for_this_review_are_on_the_ballot(world, officer, worker, residents, submit,
                                                                   start_round):
    on_ballot = submit(title="问候队")
    draft = merged_project(ideas=[shortlisted_idea(actor=worker, edition=world.edition, community=world.community)],
                           actor=officer, title="还在整合的项目")
    review_round = open_vote(start_round())
    resident, = residents(1)

    with pytest.raises(ValidationError) as refused:
        ballot_cast(voter=resident, review_round=review_round, projects=[on_ballot, draft])

    assert refused.value.messages == [f"These projects are not on this ballot: {draft.code}."]
    assert not Ballot.objects.exists()


def test_ballots_are_cast_only_while_the_vote_is_open(world, residents, submit, start_round):
    project = submit()
    review_round = start_round()
    resident, = residents(1)
    vote_configure(actor=review_round.chair, review_round=review_round, rule=VoteRule.GREEDY, use=VoteUse.ADVISORY)

    with pytest.raises(TransitionNotAllowed, match="not open"):
        ballot_cast(voter=resident, review_round=review_round, projects=[project])
    vote_open(actor=review_round.chair, review_round=review_round)
    vote_close(actor=review_round.chair, review_round=review_round)
    with pytest.raises(TransitionNotAllowed, match="not open"):
        ballot_cast(voter=resident, review_round=review_round, projects=[project])
    assert not Ballot.objects.exists()


# --- Counting ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rule, funded, reasons", [
    # Most votes first: the two who vote together take the whole 30,000; 邻里议事会 no longer fits.
    (VoteRule.GREEDY, ["问候队", "四点半课堂", "楼道微更新"],
     {"邻里议事会": "not_funded_over_budget"}),
    # Equal shares: 10,000 yuan each. The pair pay 4,500 each for 问候队 and for 四点半课堂 and have 1,000 each
    # left, too little for 楼道微更新 (10,000); the third resident's 10,000 buys 邻里议事会.
    (VoteRule.EQUAL_SHARES, ["问候队", "四点半课堂", "邻里议事会"],
     {"楼道微更新": "not_funded_supporters_short"}),
])
def test_the_vote_is_counted_by_the_rule_fixed_when_it_opened(world, residents, submit, start_round, rule, funded,
                                                              reasons):
    projects = [submit("9000", title="问候队"), submit("9000", title="四点半课堂"),
                submit("10000", title="楼道微更新"), submit("10000", title="邻里议事会")]
    review_round = open_vote(start_round(budget_cap="30000"), rule=rule)
    pair_one, pair_two, loner = residents(3)
    for voter in (pair_one, pair_two):
        ballot_cast(voter=voter, review_round=review_round, projects=projects[:3])
    ballot_cast(voter=loner, review_round=review_round, projects=projects[3:])

    vote_close(actor=review_round.chair, review_round=review_round)

    outcomes = {o.project.title: o for o in VoteOutcome.objects.filter(round=review_round)}
    assert [o.project.title for o in VoteOutcome.objects.filter(round=review_round, funded=True)] == funded
    assert {title: o.votes for title, o in outcomes.items()} == {"问候队": 2, "四点半课堂": 2, "楼道微更新": 2,
                                                                 "邻里议事会": 1}
    assert {title: o.reason for title, o in outcomes.items() if not o.funded} == reasons
    review_round.refresh_from_db()
    assert review_round.vote_state == VoteState.COUNTED
    assert records_for(review_round).last().after["funded"] == [p.code for p in projects
                                                                if p.title in funded]


@pytest.mark.parametrize("use, weight, expected", [
    (VoteUse.ADVISORY, 0, [("问候队", Decimal("80.00"), True), ("四点半课堂", Decimal("70.00"), False)]),
    # 50 % panel, 50 % vote: 问候队 80 × 0.5 + 0 = 40; 四点半课堂 70 × 0.5 + 100 × 0.5 = 85.
    (VoteUse.WEIGHTED, 50, [("四点半课堂", Decimal("85.00"), True), ("问候队", Decimal("40.00"), False)]),
])
def test_a_weighted_vote_moves_the_ranking_and_an_advisory_one_does_not(world, residents, submit, start_round,
                                                                        use, weight, expected):
    panel_favourite, residents_favourite = submit("6000", title="问候队"), submit("6000", title="四点半课堂")
    review_round = open_vote(start_round(budget_cap="10000"), use=use, weight=weight)
    for voter in residents(2):
        ballot_cast(voter=voter, review_round=review_round, projects=[residents_favourite])
    vote_close(actor=review_round.chair, review_round=review_round)

    review_round = scored_round(review_round, {panel_favourite: [8], residents_favourite: [7]})

    rows = round_ranking(review_round)
    assert [(r.project.title, r.score, r.within_cap) for r in rows] == expected
    assert {r.project.title: (r.votes, r.vote_funded) for r in rows} == {
        "问候队": (0, False), "四点半课堂": (2, True)}


def test_equal_panel_scores_rank_the_project_with_more_votes_first(world, residents, submit, start_round):
    first, second = submit(title="问候队"), submit(title="四点半课堂")
    review_round = open_vote(start_round())
    one, two = residents(2)
    ballot_cast(voter=one, review_round=review_round, projects=[first, second])
    ballot_cast(voter=two, review_round=review_round, projects=[second])
    vote_close(actor=review_round.chair, review_round=review_round)

    review_round = scored_round(review_round, {first: [7], second: [7]})

    assert [(r.project, r.votes) for r in round_ranking(review_round)] == [(second, 2), (first, 1)]
