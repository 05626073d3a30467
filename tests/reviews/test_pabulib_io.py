"""A round's resident vote as a Pabulib ``.pb`` file: exported as open data, imported from a paper count.

西屯街道 has 20,000 yuan and three projects: 问候队 (12,000), 四点半课堂 (9,000) and 邻里议事会 (6,000);
each ballot approves at most two. Six residents vote: three for 问候队 and 四点半课堂, two for 邻里议事会
alone, one for 问候队 alone.
"""

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from jindianzi.accounts.models import Role
from jindianzi.core.audit import records_for
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.reviews import allocation
from jindianzi.reviews.allocation import pabulib
from jindianzi.reviews.models import Ballot, ReviewRound, VoteOutcome
from jindianzi.reviews.pabulib_io import pb_text, round_export_pb, round_import_pb
from jindianzi.reviews.ranking import round_ranking
from jindianzi.reviews.services import decision_record, round_publish
from jindianzi.reviews.voting import ballot_cast, ballots_of, census_import, vote_close, vote_configure, vote_open
from jindianzi.reviews.workflow import BallotLimit, Outcome, VoteRule, VoteUse

from ..factories import OrganizationFactory, UserFactory, review_round, scored_round, staff_user
from .fixtures import (  # noqa: F401  (fixtures)
    _english, implementer, officer, organiser, start_round, submit, worker,
)

pytestmark = pytest.mark.django_db


def open_vote(review_round, *, rule=VoteRule.EQUAL_SHARES, limit="2", kind=BallotLimit.COUNT):
    vote_configure(actor=review_round.chair, review_round=review_round, rule=rule, use=VoteUse.ADVISORY,
                   ballot_limit=kind, ballot_limit_value=limit)
    return vote_open(actor=review_round.chair, review_round=review_round)


def residents(world, officer, n):
    """n residents whose mobile numbers are on 西屯街道's census list, so they may vote."""
    people = [UserFactory() for _ in range(n)]
    rows = "\n".join(f"{world.community.name},{p.phone}" for p in people)
    census_import(actor=officer, street=world.street, data=rows.encode())
    return people


def tally(review_round) -> Counter:
    """The round's ballots by project code, identical ballots counted together."""
    codes = dict(Ballot.projects.through.objects.filter(ballot__round=review_round)
                 .values_list("project_id", "project__code"))
    return Counter({frozenset(codes[pk] for pk in ids): n for ids, n in ballots_of(review_round).items()})


@pytest.fixture
def street(world, officer, submit, start_round):
    """The three projects and the round with its vote open and six ballots in it."""
    projects = {name: submit(cost, title=name) for name, cost in
                [("问候队", "12000"), ("四点半课堂", "9000"), ("邻里议事会", "6000")]}
    review_round = start_round(budget_cap="20000")
    open_vote(review_round)
    voters = residents(world, officer, 6)
    choices = [["问候队", "四点半课堂"]] * 3 + [["邻里议事会"]] * 2 + [["问候队"]]
    for voter, chosen in zip(voters, choices):
        ballot_cast(voter=voter, review_round=review_round, projects=[projects[name] for name in chosen])
    review_round.refresh_from_db()
    return type("Street", (), {"round": review_round, "projects": projects, "voters": voters})()


@pytest.fixture
def counted(street):
    vote_close(actor=street.round.chair, review_round=street.round)
    street.round.refresh_from_db()
    return street


def pb(*lines) -> str:
    return "\n".join(lines) + "\n"


# --- Export ---------------------------------------------------------------------------------------------

def test_an_exported_counted_vote_reads_back_as_the_same_vote(counted, world):
    review_round, projects = counted.round, counted.projects
    code = {name: p.code for name, p in projects.items()}

    read = pabulib.read(round_export_pb(review_round))

    assert read.instance.budget == Decimal("20000.00")
    assert read.instance.projects == {code["问候队"]: Decimal("12000.00"), code["四点半课堂"]: Decimal("9000.00"),
                                      code["邻里议事会"]: Decimal("6000.00")}
    assert read.names == {p.code: name for name, p in projects.items()}
    assert Counter({b.projects: b.count for b in read.instance.ballots}) == tally(review_round) == Counter({
        frozenset({code["问候队"], code["四点半课堂"]}): 3, frozenset({code["邻里议事会"]}): 2,
        frozenset({code["问候队"]}): 1})
    funded = set(VoteOutcome.objects.filter(round=review_round, funded=True).values_list("project__code", flat=True))
    assert read.selected == funded and funded
    # Anyone can check the count: the published rule on the published ballots funds the same projects.
    assert set(allocation.equal_shares(read.instance).selected) == funded
    meta = read.meta
    assert {k: meta[k] for k in ("country", "unit", "instance", "vote_type", "rule", "num_projects", "num_votes",
                                 "min_length", "max_length", "currency")} == {
        "country": "China", "unit": "西屯街道", "instance": world.edition.slug, "vote_type": "approval",
        "rule": "equalshares/add1", "num_projects": "3", "num_votes": "6", "min_length": "1", "max_length": "2",
        "currency": "CNY"}
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", meta["date_begin"])
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", meta["date_end"])
    assert "西屯街道" in meta["description"]


def test_the_export_names_no_voter_and_says_each_project_category(counted):
    text = round_export_pb(counted.round)

    votes = text.split("\nVOTES\n", 1)[1].splitlines()
    assert votes[0] == "voter_id;vote"
    assert [line.split(";")[0] for line in votes[1:]] == [str(n) for n in range(1, 7)]
    for voter in counted.voters:
        assert voter.phone not in text and voter.phone[-4:] + ";" not in text
    projects = text.split("\nPROJECTS\n", 1)[1].split("\nVOTES\n")[0].splitlines()
    assert projects[0] == "project_id;cost;votes;name;selected;category"
    assert all(line.endswith(";elderly") for line in projects[1:])


def test_a_greedy_vote_with_a_cost_limit_says_so_in_its_meta(world, officer, submit, start_round):
    submit("12000", title="问候队")
    review_round = start_round(budget_cap="20000")
    open_vote(review_round, rule=VoteRule.GREEDY, limit="15000", kind=BallotLimit.COST)
    vote_close(actor=officer, review_round=review_round)

    meta = pabulib.read(round_export_pb(review_round)).meta

    assert (meta["rule"], meta["max_sum_cost"], meta["num_votes"]) == ("greedy", "15000.00", "0")
    assert "max_length" not in meta


def test_who_may_download_the_ballots(counted, officer, organiser, world):
    review_round = counted.round
    resident, other_officer = counted.voters[0], staff_user(Role.STREET_OFFICER, area=world.other_street)

    # Counted, not yet published: the street's staff only.
    assert officer.has_perm("reviews.export_vote", review_round)
    assert organiser.has_perm("reviews.export_vote", review_round)
    assert not resident.has_perm("reviews.export_vote", review_round)
    assert not other_officer.has_perm("reviews.export_vote", review_round)
    assert not AnonymousUser().has_perm("reviews.export_vote", review_round)

    # Published: open data for everyone.
    review_round = scored_round(review_round, {p: [8] for p in counted.projects.values()})
    for row in round_ranking(review_round):
        decision_record(actor=officer, review_round=review_round, project=row.project,
                        outcome=Outcome.APPROVE if row.within_cap else Outcome.REJECT, reason="按评分和预算。")
    review_round = round_publish(actor=officer, review_round=review_round)
    assert AnonymousUser().has_perm("reviews.export_vote", review_round)
    assert resident.has_perm("reviews.export_vote", review_round)


def test_nobody_downloads_ballots_before_the_vote_is_counted(street, officer):
    assert not officer.has_perm("reviews.export_vote", street.round)


# --- Import ---------------------------------------------------------------------------------------------

def test_an_exported_vote_imported_into_a_fresh_round_gives_the_same_tally(counted, world, officer):
    before, text = tally(counted.round), round_export_pb(counted.round)
    funded = set(VoteOutcome.objects.filter(round=counted.round, funded=True).values_list("project", flat=True))
    # A fresh round of the same street and projects (the street's only round, so the old one goes first).
    ReviewRound.objects.filter(pk=counted.round.pk).delete()
    fresh = review_round(edition=world.edition, street=world.street, chair=officer, budget_cap=Decimal("20000"))
    open_vote(fresh)

    report = round_import_pb(actor=officer, review_round=fresh, text=text)

    assert report.ballots == 6
    assert report.approvals == {p.code: n for p, n in [(counted.projects["问候队"], 4),
                                                        (counted.projects["四点半课堂"], 3),
                                                        (counted.projects["邻里议事会"], 2)]}
    assert tally(fresh) == before
    ballots = Ballot.objects.filter(round=fresh)
    assert {b.voter_id for b in ballots} == {None}
    assert sorted(int(b.imported_voter_id) for b in ballots) == [1, 2, 3, 4, 5, 6]
    assert [r.after for r in records_for(fresh) if r.action == "review_vote.import"] == [{"ballots": 6}]
    # Counted by the same rule, the imported ballots fund the same projects.
    vote_close(actor=officer, review_round=fresh)
    assert set(VoteOutcome.objects.filter(round=fresh, funded=True).values_list("project", flat=True)) == funded


def test_imported_ballots_are_counted_with_the_ballots_cast_online(street, officer):
    code = street.projects["邻里议事会"].code

    round_import_pb(actor=officer, review_round=street.round,
                    text=pb("VOTES", "voter_id;vote", f"纸质-1;{code}", f"纸质-2;{code}"))

    assert Ballot.objects.filter(round=street.round).count() == 8
    assert tally(street.round)[frozenset({code})] == 4


def test_every_problem_is_reported_by_its_line_and_nothing_is_imported(street, officer):
    a, b, c = (street.projects[name].code for name in ("问候队", "四点半课堂", "邻里议事会"))
    text = pb(
        "META",                     # 1
        "key;value",                # 2
        "vote_type;ordinal",        # 3
        "num_votes;9",              # 4
        "PROJECTS",                 # 5
        "project_id;cost",          # 6
        f"{a};12000",               # 7
        f"{b};9000",                # 8
        "P-404;100",                # 9
        f"{a};12000",               # 10
        "VOTES",                    # 11
        "voter_id;vote",            # 12
        f"1;{a}",                   # 13 good
        f"2;{a},{b},{c}",           # 14 three projects, at most two; c not in PROJECTS
        f"3;{a};extra",             # 15 a stray field
        f"1;{b}",                   # 16 voter 1 again
        "4;P-404",                  # 17 unknown project
        f"5;{a},{a}",               # 18 the same project twice
        "6;",                       # 19 an empty ballot
    )

    with pytest.raises(ValidationError) as refused:
        round_import_pb(actor=officer, review_round=street.round, text=text)

    assert refused.value.messages == [
        "Line 3: the vote type is “ordinal”; only approval votes (vote_type approval) can be imported.",
        "Line 4: num_votes says 9 but the VOTES section has 7 ballots.",
        "Line 9: no project on this round's ballot has the code “P-404”.",
        f"Line 10: the project “{a}” is listed twice (first on line 7).",
        f"Line 14: the project “{c}” is not in the file's PROJECTS section.",
        "Line 14: You can choose at most 2 projects; you chose 3.",
        "Line 15: expected 2 fields separated by “;” as on line 12, found 3.",
        "Line 16: the voter id “1” is used again (first on line 13).",
        "Line 17: no project on this round's ballot has the code “P-404”.",
        f"Line 18: the project “{a}” is approved twice on one ballot.",
        "Line 19: Choose at least one project.",
    ]
    assert Ballot.objects.filter(round=street.round).count() == 6
    assert not [r for r in records_for(street.round) if r.action == "review_vote.import"]


@pytest.mark.parametrize("text, message", [
    ("", "The file has no VOTES section, so there are no ballots to import."),
    (pb("VOTES", "voter_id;vote"), "The file's VOTES section has no ballots."),
    (pb("VOTES", "id;projects", "1;x"), "Line 2: the VOTES section needs the columns “voter_id” and “vote”."),
    (pb("1;x", "VOTES", "voter_id;vote"), "Line 1: the file must begin with a META, PROJECTS or VOTES line."),
])
def test_a_file_without_ballots_is_refused(street, officer, text, message):
    with pytest.raises(ValidationError) as refused:
        round_import_pb(actor=officer, review_round=street.round, text=text)
    assert message in refused.value.messages


def test_the_same_paper_ballots_cannot_be_imported_twice(street, officer):
    text = pb("VOTES", "voter_id;vote", f"p1;{street.projects['问候队'].code}")
    round_import_pb(actor=officer, review_round=street.round, text=text)

    with pytest.raises(ValidationError) as refused:
        round_import_pb(actor=officer, review_round=street.round, text=text)

    assert refused.value.messages == ["Line 3: a ballot with the voter id “p1” was already imported into this round."]
    assert Ballot.objects.filter(round=street.round).count() == 7


def test_only_the_street_staff_import_ballots(street, world):
    text = pb("VOTES", "voter_id;vote", f"p1;{street.projects['问候队'].code}")
    org_staff = staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=world.community))
    for outsider in (street.voters[0], staff_user(Role.STREET_OFFICER, area=world.other_street),
                     staff_user(Role.COMMUNITY_WORKER, area=world.community), org_staff, None):
        with pytest.raises(PermissionDenied):
            round_import_pb(actor=outsider, review_round=street.round, text=text)
    assert Ballot.objects.filter(round=street.round).count() == 6


def test_ballots_are_imported_only_while_the_vote_is_open(counted, officer, world, submit, start_round):
    text = pb("VOTES", "voter_id;vote", f"p1;{counted.projects['问候队'].code}")

    with pytest.raises(TransitionNotAllowed, match="only while the vote is open"):
        round_import_pb(actor=officer, review_round=counted.round, text=text)


def test_a_file_saved_by_excel_in_gbk_is_read_and_a_binary_one_refused():
    assert pb_text("VOTES\nvoter_id;vote\n纸质-1;x\n".encode("gb18030")).endswith("纸质-1;x\n")
    assert pb_text("\ufeffMETA\n".encode()) == "META\n"
    with pytest.raises(ValidationError, match="not text in UTF-8 or GBK"):
        pb_text(b"\x81\x00\xff\xfe\xfd")
