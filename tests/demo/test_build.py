"""The full demo, built once for this module: the article's figures, places, organisations and accounts,
and the first edition's optimisation (screening, improvement, integration, matching, plans).

Building the demo takes seconds, so the whole module shares one build inside
a transaction that is rolled back at the end; every test runs in a savepoint
of it and sees the same data.
"""

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from itertools import combinations

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from jindianzi.accounts.models import Role, User
from jindianzi.accounts.selectors import assignments_of, has_role_over, user_by_login
from jindianzi.agreements.models import Agreement, AgreementParty, FrameworkParty, Instalment
from jindianzi.agreements.services import may_sign
from jindianzi.agreements.workflow import AgreementState, Milestone, PartyRole
from jindianzi.areas.models import Area, AreaKind
from jindianzi.core.audit import chain_verify, records_for
from jindianzi.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, RESIDENT, demo_accounts
from jindianzi.demo.build import demo_build, demo_is_built
from jindianzi.demo.contracting import contracted_counts
from jindianzi.demo.editions import FIRST, SECOND
from jindianzi.demo.timing import CHIFENG
from jindianzi.editions.models import PhaseKind
from jindianzi.funds.models import Commitment, Disbursement, DisbursementShare, Expense
from jindianzi.funds.services import approved_by_source, officer_of_source
from jindianzi.funds.workflow import LIVE_DISBURSEMENT_STATES, DisbursementState, ExpenseState
from jindianzi.ideas.models import Channel, Idea, IdeaNote, IdeaRevision, IdeaTransition, ProposerKind
from jindianzi.ideas.similarity.engine import features, hashed, idea_text, jaccard
from jindianzi.ideas.workflow import SELECTED_STATES, IdeaState
from jindianzi.organizations.models import SOCIAL_KINDS, Organization, OrganizationKind, RegistrationStatus
from jindianzi.projects.models import MatchOffer, Project
from jindianzi.projects.selectors import project_budget_totals
from jindianzi.projects.services import budget_limit
from jindianzi.projects.workflow import OfferState, ProjectState
from jindianzi.reports.selectors import edition_figures
from jindianzi.reviews.models import (
    Assignment, Ballot, CensusEntry, Decision, PanelMember, ReviewRound, RoundTransition, VoteOutcome,
    VoterVerification,
)
from jindianzi.reviews.workflow import (
    APPROVING_OUTCOMES, Conflict, Outcome, PanelRole, RoundState, VerificationMethod, VoteRule, VoteState,
    VoteUse,
)

pytestmark = pytest.mark.django_db

# shared/seed/figures.json, "organizations.registered_examples"
REGISTERED_EXAMPLES = [
    "企业社会责任行动联盟", "昭乌达社区老年协会", "创艺手工体验交流中心",
    "晓菲志愿服务站", "红枫叶心智障碍家庭互助中心", "致慧青少年家庭教育服务中心",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = demo_build()
            yield built
            transaction.set_rollback(True)


@pytest.fixture
def first_ideas(demo):
    return Idea.objects.filter(edition=demo.first)


def test_the_first_edition_reports_the_articles_2336_ideas(demo):
    assert demo_is_built()
    assert edition_figures(demo.first)["funnel"]["ideas_collected"] == 2336
    assert demo.ideas[FIRST.slug] == 2336


def test_the_first_edition_has_finished_collecting_and_optimising(demo):
    demo.first.refresh_from_db()
    assert demo.first.slug == "hongshan-2017"
    assert demo.first.name == "红山区首届社区“金点子”提案大赛"
    assert demo.first.current_phase == PhaseKind.IMPLEMENTATION  # reviewed and contracted since (see below)
    phases = {p.kind: (p.starts_on, p.ends_on) for p in demo.first.phases.all()}
    assert all(start.year == end.year == 2017 for start, end in phases.values())


def test_the_second_edition_is_collecting(demo):
    demo.second.refresh_from_db()
    assert demo.second.slug == "hongshan-2018"
    assert demo.second.is_collecting
    assert edition_figures(demo.second)["funnel"]["ideas_collected"] == 40


def test_ideas_divide_among_the_categories_as_planned(first_ideas):
    counts = dict(first_ideas.values_list("category__code").annotate(n=Count("id")))
    assert counts == FIRST.ideas_by_category


def test_funding_is_sixty_percent_foundation_forty_percent_finance(demo):
    shares = {fs.organization.name: fs.share for fs in demo.first.funding_sources.select_related("organization")}
    assert shares == {"赤峰市弘善社区发展基金会": Decimal("0.60"), "红山区财政局": Decimal("0.40")}


def test_ideas_arrive_during_the_collection_phase(first_ideas):
    starts_on, ends_on = FIRST.collection
    days = {at.astimezone(CHIFENG).date() for at in first_ideas.values_list("submitted_at", flat=True)}
    assert min(days) >= starts_on and max(days) <= ends_on
    assert len(days) > 40  # spread over the phase, not all on one day


def test_budgets_are_positive_and_within_the_editions_maximum(demo, first_ideas):
    budgets = list(first_ideas.values_list("estimated_budget", flat=True))
    assert all(Decimal("0") < b <= demo.first.max_budget_per_idea for b in budgets)
    assert len(set(budgets)) > 100


def test_ideas_come_through_every_channel_and_from_every_kind_of_proposer(first_ideas):
    assert set(first_ideas.values_list("channel", flat=True)) == {Channel.WEB, Channel.PAPER, Channel.IMPORT}
    assert set(first_ideas.values_list("proposer_kind", flat=True)) == set(ProposerKind.values)
    assert first_ideas.filter(anonymous=True).count() > 50
    on_paper = first_ideas.exclude(channel=Channel.WEB)
    assert not on_paper.filter(proposer__isnull=False).exists()
    assert not on_paper.filter(entered_by__isnull=True).exists()


def test_paper_ideas_are_entered_by_a_worker_of_their_community(first_ideas):
    for idea in first_ideas.exclude(channel=Channel.WEB).select_related("community", "entered_by")[:200]:
        assert any(a.role == Role.COMMUNITY_WORKER and a.area == idea.community
                   for a in assignments_of(idea.entered_by))


def test_organisations_propose_through_their_staff(first_ideas):
    proposed = first_ideas.exclude(proposer_kind=ProposerKind.RESIDENT).select_related(
        "proposer", "proposer_organization")
    assert proposed.count() > 100
    for idea in proposed[:200]:
        assert idea.proposer.has_perm("organizations.act_for_organization", idea.proposer_organization)
        expected = (ProposerKind.SELF_ORGANIZATION
                    if idea.proposer_organization.kind == OrganizationKind.RESIDENT_SELF_ORGANIZATION
                    else ProposerKind.SOCIAL_ORGANIZATION)
        assert idea.proposer_kind == expected


def test_hundreds_of_residents_propose_one_idea_or_several(first_ideas):
    per_resident = dict(first_ideas.filter(proposer_kind=ProposerKind.RESIDENT, channel=Channel.WEB)
                        .values_list("proposer").annotate(n=Count("id")))
    assert 300 <= len(per_resident) <= 800
    assert min(per_resident.values()) >= 1 and max(per_resident.values()) > 2


def test_only_the_printed_accounts_have_a_password():
    printed = {spec.login for spec in DEMO_ACCOUNTS}
    for user in User.objects.all():
        assert user.has_usable_password() == (user.phone in printed), user.phone


def test_the_text_is_varied_not_numbered_copies(first_ideas):
    rows = list(first_ideas.values_list("title", "problem", "proposal", "beneficiaries"))
    titles, problems, proposals, _beneficiaries = zip(*rows)
    assert len(set(titles)) >= 0.9 * len(titles)
    assert len(set(problems)) >= 0.8 * len(problems)
    assert len(set(proposals)) >= 0.9 * len(proposals)
    assert not any(title[-1].isdigit() for title in titles)
    for text in (*titles, *problems, *proposals, *_beneficiaries):
        assert "{" not in text and "}" not in text


def test_each_category_has_its_own_vocabulary(first_ideas):
    words = {"elderly": "老人", "youth": "孩子", "disabled": "残疾", "special_groups": "", "comprehensive": "居民"}
    for code, word in words.items():
        texts = first_ideas.filter(category__code=code).values_list("problem", flat=True)
        assert len(set(texts)) > 0.8 * len(texts)
        if word:
            assert sum(word in t for t in texts) > 0.3 * len(texts), code


def test_the_named_places_exist_where_the_article_puts_them():
    district = Area.objects.get(name="红山区", kind=AreaKind.DISTRICT)
    assert Area.objects.get(name="西屯街道").parent == district
    assert Area.objects.get(name="西城街道").parent == district
    assert Area.objects.get(name="老爷庙社区").parent.name == "西屯街道"
    assert Area.objects.get(name="红山郡社区").parent.name == "西城街道"
    assert Area.objects.get(name="花园社区").kind == AreaKind.COMMUNITY
    assert {a.name for a in Area.objects.filter(kind=AreaKind.TOWN)} == {"红庙子镇", "文钟镇"}
    assert 60 <= Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=district.path).count() <= 80


def test_the_named_organisations_exist():
    kinds = dict(Organization.objects.values_list("name", "kind"))
    assert kinds["红山区民政局"] == OrganizationKind.CIVIL_AFFAIRS_BUREAU
    assert kinds["赤峰市弘善社区发展基金会"] == OrganizationKind.COMMUNITY_FOUNDATION
    assert kinds["红山区财政局"] == OrganizationKind.FINANCE_BUREAU
    assert kinds["赤峰弘益社会组织服务中心"] == OrganizationKind.SUPPORT_CENTRE
    assert kinds["西屯街道办事处"] == kinds["西城街道办事处"] == OrganizationKind.STREET_OFFICE
    for name in REGISTERED_EXAMPLES:
        org = Organization.objects.get(name=name)
        assert org.registration == RegistrationStatus.REGISTERED and org.incubated, name


def test_there_are_enough_community_organisations_to_implement_the_projects():
    streets = Area.objects.filter(kind__in=[AreaKind.STREET, AreaKind.TOWN]).count()
    assert Organization.objects.filter(kind=OrganizationKind.STREET_OFFICE).count() == streets
    assert Organization.objects.filter(kind=OrganizationKind.HUB_ORGANIZATION).count() >= 3
    community_orgs = Organization.objects.filter(kind=OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION)
    assert 140 <= community_orgs.count() <= 170
    assert community_orgs.filter(registration=RegistrationStatus.FILED).count() > 0.7 * community_orgs.count()
    assert Organization.objects.filter(kind=OrganizationKind.RESIDENT_SELF_ORGANIZATION).count() >= 20
    assert Organization.objects.filter(kind__in=SOCIAL_KINDS).count() >= 113
    spread = community_orgs.values("home_area").distinct().count()
    assert spread >= 60


@pytest.mark.parametrize("spec", DEMO_ACCOUNTS, ids=lambda spec: str(spec.role))
def test_each_demo_account_signs_in_and_holds_its_role(client, spec):
    assert client.login(username=spec.login, password=DEMO_PASSWORD)
    user = user_by_login(spec.login)
    assignments = assignments_of(user)
    if spec.role == RESIDENT:
        assert assignments == []
        return
    assert [a.role for a in assignments] == [spec.role]
    scope = assignments[0].area or assignments[0].organization
    assert (scope.name if scope else "") == spec.scope


def test_the_printed_demo_accounts_are_the_built_ones():
    printed = demo_accounts()
    assert [a.login for a in printed] == [spec.login for spec in DEMO_ACCOUNTS]
    assert {a.password for a in printed} == {DEMO_PASSWORD}
    assert len({a.role for a in printed}) == len(Role) + 1  # every role, and the resident


def test_the_printed_resident_and_staff_have_ideas_to_show(first_ideas):
    resident = user_by_login(DEMO_ACCOUNTS[0].login)
    assert first_ideas.filter(proposer=resident, community__name="老爷庙社区").exists()
    worker = user_by_login("13800000002")
    assert first_ideas.filter(entered_by=worker).exists()
    staff = user_by_login("13800000007")
    assert first_ideas.filter(proposer=staff, proposer_organization__name="致慧青少年家庭教育服务中心").exists()


def test_ideas_arrive_in_order(first_ideas):
    by_id = list(first_ideas.order_by("id").values_list("submitted_at", flat=True))
    assert by_id == sorted(by_id)
    assert date(2017, 3, 1) <= by_id[0].astimezone(CHIFENG).date()
    assert SECOND.collection[0].year == 2018


# --- Optimisation (优化): screening, improvement, integration, matching, plans -----------------------

# shared/seed/figures.json, "contracted_by_category": the projects must leave room for these.
CONTRACTED = {"disabled": 6, "elderly": 58, "youth": 30, "special_groups": 14, "comprehensive": 77}


@pytest.fixture
def projects(demo):
    return Project.objects.filter(edition=demo.first)


def _hashes(idea) -> object:
    return hashed(features(idea_text(idea.title, idea.problem, idea.proposal, idea.beneficiaries)))


def test_the_report_counts_376_shortlisted_and_improved_ideas_from_their_states(demo, first_ideas):
    funnel = edition_figures(demo.first)["funnel"]
    assert funnel["ideas_collected"] == 2336
    assert funnel["ideas_shortlisted_and_improved"] == 376
    assert first_ideas.filter(state__in=SELECTED_STATES).count() == 376
    # Every idea was decided: shortlisted (and merged since) or declined; none is left waiting.
    assert set(first_ideas.values_list("state", flat=True)) == {IdeaState.MERGED, IdeaState.DECLINED}
    assert first_ideas.filter(transitions__name="shortlist").distinct().count() == 376


def test_shortlisted_ideas_leave_every_category_more_than_it_contracted(first_ideas):
    shortlisted = Counter(first_ideas.filter(state__in=SELECTED_STATES).values_list("category__code", flat=True))
    for code, contracted in CONTRACTED.items():
        assert shortlisted[code] > 1.5 * contracted, code


def test_every_shortlisted_idea_is_merged_into_a_project_of_its_own_street(first_ideas):
    merged = list(first_ideas.filter(state__in=SELECTED_STATES).select_related("merged_into", "community"))
    assert len(merged) == 376
    for idea in merged:
        assert idea.state == IdeaState.MERGED
        assert idea.merged_into.edition_id == idea.edition_id
        assert idea.merged_into.street_id == idea.community.parent_id
        assert idea.merged_into.category_id == idea.category_id


def test_more_than_190_projects_go_to_the_street_reviews(projects):
    assert 190 < projects.count() <= 215
    # Every one was submitted, then decided by its street's review (see the approval section below).
    assert set(projects.values_list("state", flat=True)) == {
        ProjectState.CONTRACTED, ProjectState.APPROVED, ProjectState.REJECTED}
    assert not projects.filter(submitted_at__isnull=True).exists()
    assert projects.values("street").distinct().count() == Area.objects.filter(
        kind__in=[AreaKind.STREET, AreaKind.TOWN]).count()


def test_similar_ideas_are_merged_two_to_four_at_a_time_most_projects_keep_one_idea(projects):
    sizes = Counter(projects.annotate(n=Count("ideas")).values_list("n", flat=True))
    assert set(sizes) <= {1, 2, 3, 4}
    assert sizes[1] == max(sizes.values())
    assert sizes[2] + sizes[3] + sizes[4] >= 60


def test_merged_ideas_are_more_alike_than_ideas_of_the_same_street_and_category(projects, first_ideas):
    within = []
    for project in projects.annotate(n=Count("ideas")).filter(n__gt=1).prefetch_related("ideas"):
        ideas = [_hashes(idea) for idea in project.ideas.all()]
        within += [jaccard(a, b) for a, b in combinations(ideas, 2)]
    declined = first_ideas.filter(state=IdeaState.DECLINED, community__parent__name="西屯街道",
                                  category__code="elderly")
    hashes = [_hashes(idea) for idea in declined[:60]]
    baseline = [jaccard(a, b) for a, b in combinations(hashes, 2)]
    assert sum(within) / len(within) > 2 * sum(baseline) / len(baseline)


def test_each_category_has_more_projects_than_it_contracted(projects):
    counts = Counter(projects.values_list("category__code", flat=True))
    for code, contracted in CONTRACTED.items():
        assert counts[code] >= contracted + 2, code


def test_project_titles_are_names_not_numbered_copies(projects):
    titles = list(projects.values_list("title", flat=True))
    assert len(set(titles)) >= 0.95 * len(titles)
    assert not any(title[-1].isdigit() or "{" in title for title in titles)


def test_at_least_113_community_social_organisations_implement_projects(projects):
    assert not projects.filter(organization__isnull=True).exists()
    kinds = Counter(projects.values_list("organization__kind", flat=True))
    assert kinds[OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION] > 0.9 * projects.count()
    assert projects.values("organization").distinct().count() >= 113
    community = projects.filter(organization__kind=OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION)
    assert 113 <= community.values("organization").distinct().count() <= 160


def test_each_organisation_accepted_through_its_own_staff_some_declined_first(projects):
    offers = MatchOffer.objects.filter(project__edition=projects.first().edition).select_related(
        "project", "organization", "answered_by")
    accepted = [o for o in offers if o.state == OfferState.ACCEPTED]
    assert len(accepted) == projects.count()
    for offer in accepted:
        assert offer.project.organization_id == offer.organization_id
        assert offer.answered_by.has_perm("projects.answer_offer", offer)
    declined = [o for o in offers if o.state == OfferState.DECLINED]
    assert 5 <= len(declined) <= 0.2 * projects.count()
    assert all(o.response_reason for o in declined)


def test_each_project_has_a_plan_and_budget_lines_within_the_rule(demo, projects):
    phase = demo.first.phases.get(kind=PhaseKind.IMPLEMENTATION)
    activities = []
    for project in projects.prefetch_related("budget_lines", "ideas").select_related("edition"):
        lines = list(project.budget_lines.all())
        assert 3 <= len(lines) <= 6, project.code
        total = sum((line.amount for line in lines), Decimal("0"))
        assert all(line.amount > 0 and line.amount == line.amount.quantize(Decimal("0.01")) for line in lines)
        assert Decimal("0") < total <= budget_limit(project, len(project.ideas.all())), project.code
        assert project.objectives and project.target_groups and project.summary
        assert project.expected_beneficiaries > project.planned_activities > 0
        assert phase.starts_on <= project.starts_on < project.ends_on <= phase.ends_on
        activities.append(project.planned_activities)
    # The seed's 185 projects held 9,175 activities: about 50 each.
    assert 42 <= sum(activities) / len(activities) <= 55


def test_many_ideas_were_improved_and_every_revision_is_kept(first_ideas):
    improved = list(first_ideas.annotate(n=Count("revisions")).filter(n__gt=1).prefetch_related(
        "revisions", "transitions"))
    assert len(improved) >= 100
    for idea in improved:
        revisions = list(idea.revisions.all())
        assert [r.number for r in revisions] == list(range(1, len(revisions) + 1))
        for before, after in zip(revisions, revisions[1:]):
            assert any(getattr(before, f) != getattr(after, f) for f in IdeaRevision.TEXT_FIELDS), idea.tracking_code
            assert after.note  # what changed
        names = [t.name for t in idea.transitions.all()]
        assert names.count("request_improvement") == names.count("resubmit") == len(revisions) - 1
        assert names[-2:] == ["shortlist", "merge"]
        latest = revisions[-1]
        assert (latest.proposal, latest.estimated_budget) == (idea.proposal, idea.estimated_budget)


def test_improvements_are_written_by_the_proposer_or_for_a_paper_idea_its_community_worker(first_ideas):
    revisions = IdeaRevision.objects.filter(idea__in=first_ideas, number__gt=1).select_related(
        "idea", "idea__community", "author")
    assert revisions.count() >= 100
    for revision in revisions:
        idea = revision.idea
        if idea.channel == Channel.WEB:
            assert revision.author_id == idea.proposer_id
        else:
            assert has_role_over(revision.author, idea.community, Role.COMMUNITY_WORKER)


def test_declined_ideas_have_a_plain_reason_in_their_history(first_ideas):
    declined = first_ideas.filter(state=IdeaState.DECLINED)
    steps = IdeaTransition.objects.filter(idea__in=declined, name="decline")
    assert steps.count() == declined.count() == 2336 - 376
    assert not steps.filter(note="").exists()
    reasons = Counter(steps.values_list("note", flat=True))
    assert len(reasons) >= 6
    assert any("物业" in reason for reason in reasons)


def test_screening_decisions_are_taken_by_staff_of_the_ideas_area(first_ideas):
    steps = IdeaTransition.objects.filter(idea__in=first_ideas, name__in=["shortlist", "decline"]).select_related(
        "actor", "idea__community__parent")
    for step in steps[:800]:
        assert has_role_over(step.actor, step.idea.community.parent, Role.STREET_OFFICER)
    notes = IdeaNote.objects.filter(idea__in=first_ideas).select_related("author", "idea__community")
    assert 0.3 * first_ideas.count() <= notes.count() <= first_ideas.count()
    for note in notes[:300]:
        assert has_role_over(note.author, note.idea.community, Role.COMMUNITY_WORKER)
        assert "，" in note.text and "{" not in note.text


def test_every_street_has_a_street_officer():
    streets = Area.objects.filter(kind__in=[AreaKind.STREET, AreaKind.TOWN])
    for street in streets:
        assert any(has_role_over(u, street, Role.STREET_OFFICER)
                   for u in User.objects.filter(role_assignments__role=Role.STREET_OFFICER,
                                                role_assignments__area=street))


# --- Approval (立项): the street reviews and the resident vote ----------------------------------------

@pytest.fixture
def rounds(demo):
    return ReviewRound.objects.filter(edition=demo.first).select_related("street", "chair")


@pytest.fixture
def decisions(demo):
    return Decision.objects.filter(round__edition=demo.first).select_related("project", "round")


def _in_phase(demo, moments) -> bool:
    phase = demo.first.phases.get(kind=PhaseKind.APPROVAL)
    return all(phase.starts_on <= at.astimezone(CHIFENG).date() <= phase.ends_on for at in moments)


def test_the_report_counts_190_projects_approved_by_the_street_reviews(demo, projects, decisions):
    assert edition_figures(demo.first)["funnel"]["projects_approved_by_street_review"] == 190
    assert projects.filter(state__in=[ProjectState.APPROVED, ProjectState.CONTRACTED]).count() == 190
    assert projects.filter(state=ProjectState.REJECTED).count() == projects.count() - 190 == 20
    assert decisions.count() == projects.count()
    assert decisions.filter(outcome__in=APPROVING_OUTCOMES).count() == 190


def test_every_street_held_its_round_chaired_by_its_own_officer_and_published_it(demo, projects, rounds):
    streets = set(projects.values_list("street", flat=True))
    assert {r.street_id for r in rounds} == streets
    for review_round in rounds:
        assert review_round.state == RoundState.PUBLISHED
        assert has_role_over(review_round.chair, review_round.street, Role.STREET_OFFICER)
    assert rounds.get(street__name="西屯街道").chair == user_by_login("13800000003")
    demo.first.refresh_from_db()
    assert demo.first.current_phase == PhaseKind.IMPLEMENTATION  # contracted after the reviews


def test_approvals_are_shared_among_the_streets_in_proportion_to_their_projects(projects, rounds, decisions):
    submitted = Counter(projects.values_list("street", flat=True))
    approved = Counter(decisions.filter(outcome__in=APPROVING_OUTCOMES).values_list("round__street", flat=True))
    for street, count in submitted.items():
        assert abs(approved[street] - 190 * count / 210) < 2, street


def test_each_street_approves_within_its_budget_and_the_budget_leaves_no_room_for_the_next(rounds, decisions):
    for review_round in rounds:
        chosen = [d.project for d in decisions if d.round_id == review_round.pk]
        costs = project_budget_totals(chosen)
        approved = [d for d in decisions if d.round_id == review_round.pk and d.approves]
        total = sum((costs[d.project_id] for d in approved), Decimal("0"))
        assert total <= review_round.budget_cap, review_round.street.name
        assert review_round.budget_cap % 10 == 0  # a round sum, not the approved total to the fen
        rejected = [costs[d.project_id] for d in decisions if d.round_id == review_round.pk and not d.approves]
        if rejected:
            assert review_round.budget_cap - total < min(rejected) or any(d.is_override for d in approved)


def test_rejected_projects_each_have_a_plain_reason_of_several_kinds(decisions):
    rejected = [d for d in decisions if d.outcome == Outcome.REJECT]
    assert len(rejected) == 20
    for decision in rejected:
        assert len(decision.reason) > 15 and "{" not in decision.reason
        assert any("\u4e00" <= ch <= "\u9fff" for ch in decision.reason)
    kinds = ["预算", "重复", "可持续性", "居民参与", "需求", "实施条件", "可行性"]
    assert sum(any(kind in d.reason for d in rejected) for kind in kinds) >= 4


def test_some_approvals_come_with_conditions_and_two_chairs_depart_from_the_ranking(decisions):
    conditional = [d for d in decisions if d.outcome == Outcome.APPROVE_WITH_CONDITIONS]
    assert 5 <= len(conditional) <= 30
    assert all(d.conditions.startswith("需") for d in conditional)
    overrides = [d for d in decisions if d.is_override]
    assert len(overrides) == 4 and len({d.round_id for d in overrides}) == 2
    assert all(d.override_reason for d in overrides)
    # Each of those rounds rejected one project within its budget and approved one below the line instead.
    assert Counter(d.approves for d in overrides) == {True: 2, False: 2}


def test_each_panel_is_the_chair_two_experts_and_a_resident(rounds):
    printed_expert = user_by_login("13800000008")
    experts = set()
    for review_round in rounds:
        panel = list(PanelMember.objects.filter(round=review_round).select_related("user"))
        roles = Counter(m.role for m in panel)
        assert roles == {PanelRole.OFFICER: 1, PanelRole.EXPERT: 2, PanelRole.RESIDENT: 1}
        assert next(m.user for m in panel if m.role == PanelRole.OFFICER) == review_round.chair
        for member in panel:
            if member.role == PanelRole.EXPERT:
                assert [a.role for a in assignments_of(member.user)] == [Role.EXPERT]
                experts.add(member.user_id)
    assert 3 <= len(experts) <= 6
    assert PanelMember.objects.filter(round=rounds.get(street__name="西屯街道"), user=printed_expert).exists()


def test_every_panel_member_scored_every_project_except_where_a_conflict_excludes_them(demo, rounds):
    assignments = Assignment.objects.filter(round__edition=demo.first).annotate(n=Count("scores"))
    panels = {r.pk: PanelMember.objects.filter(round=r).count() for r in rounds}
    assert assignments.count() == sum(panels[r.pk] * r.decisions.count() for r in rounds)
    counted = assignments.filter(conflict=Conflict.NONE)
    assert not counted.filter(submitted_at__isnull=True).exists()
    assert set(counted.values_list("n", flat=True)) == {5}
    assert not assignments.exclude(conflict=Conflict.NONE).filter(n__gt=0).exists()
    conflicts = Counter(assignments.exclude(conflict=Conflict.NONE).values_list("conflict", flat=True))
    assert conflicts[Conflict.DECLARED] == 1 and 1 <= conflicts[Conflict.PROPOSER] <= 40
    assert counted.exclude(comment="").count() > 100
    assert _in_phase(demo, counted.values_list("submitted_at", flat=True))


def test_the_steps_of_every_round_are_dated_in_the_approval_phase(demo, rounds, decisions):
    steps = RoundTransition.objects.filter(round__edition=demo.first).exclude(name="create")
    assert set(steps.values_list("name", flat=True)) == {"open_scoring", "close_scoring", "publish"}
    assert _in_phase(demo, steps.values_list("at", flat=True))
    assert _in_phase(demo, [d.decided_at for d in decisions])
    assert _in_phase(demo, [r.published_at for r in rounds])
    for review_round in rounds:
        assert max(d.decided_at for d in decisions if d.round_id == review_round.pk) < review_round.published_at


def test_the_printed_residents_street_held_a_resident_vote_by_equal_shares_counted_before_the_decisions(demo,
                                                                                                      rounds):
    voting = rounds.exclude(vote_state=VoteState.OFF)
    assert [r.street.name for r in voting] == ["西屯街道"]
    vote = voting.get()
    assert vote.vote_state == VoteState.COUNTED
    assert (vote.vote_rule, vote.vote_use, vote.vote_weight) == (VoteRule.EQUAL_SHARES, VoteUse.WEIGHTED, 30)
    assert _in_phase(demo, [vote.vote_opened_at, vote.vote_closed_at])
    assert vote.vote_closed_at < min(d.decided_at for d in vote.decisions.all())
    outcomes = VoteOutcome.objects.filter(round=vote)
    assert outcomes.count() == vote.decisions.count()
    assert outcomes.filter(funded=True).exists() and outcomes.filter(funded=False).exists()
    # The ranking the chair followed counted the vote: every project the vote funded was approved.
    funded = set(outcomes.filter(funded=True).values_list("project", flat=True))
    assert funded <= {d.project_id for d in vote.decisions.all() if d.approves}


def test_a_few_hundred_verified_residents_voted_but_not_the_printed_one(demo, rounds):
    vote = rounds.get(street__name="西屯街道")
    ballots = Ballot.objects.filter(round=vote).annotate(n=Count("projects"))
    verified = VoterVerification.objects.filter(street=vote.street)
    census = CensusEntry.objects.filter(street=vote.street).count()
    in_person = verified.filter(method=VerificationMethod.WORKER).count()
    assert 200 <= ballots.count() <= verified.count() <= census + in_person
    assert set(ballots.values_list("voter", flat=True)) <= set(verified.values_list("user", flat=True))
    assert set(ballots.values_list("n", flat=True)) <= {1, 2, 3, 4, 5}
    assert _in_phase(demo, ballots.values_list("cast_at", flat=True))
    resident = user_by_login("13800000001")
    assert verified.filter(user=resident).exists()
    assert not ballots.filter(voter=resident).exists()


def test_residents_off_the_census_list_are_confirmed_in_person_by_their_community_worker(rounds):
    vote = rounds.get(street__name="西屯街道")
    verified = VoterVerification.objects.filter(street=vote.street).select_related("verified_by")
    in_person = [v for v in verified if v.method == VerificationMethod.WORKER]
    assert 20 <= len(in_person) <= 0.3 * len(verified)
    assert all(v.method == VerificationMethod.CENSUS and v.verified_by is None
               for v in verified if v not in in_person)
    for verification in in_person:
        workplaces = [a.area for a in assignments_of(verification.verified_by) if a.role == Role.COMMUNITY_WORKER]
        assert [area.parent_id for area in workplaces] == [vote.street_id]
    assert any(v.verified_by == user_by_login("13800000002") for v in in_person)


# --- Contracting (签约) and the money (拨付、支出) -------------------------------------------------------

# shared/seed/figures.json
PROJECTS_CONTRACTED, FUNDS_PAID = 185, "686404.16"


@pytest.fixture
def agreements(demo):
    return Agreement.objects.filter(edition=demo.first).select_related("project__category", "project__street")


def _in_implementation(demo, moments) -> bool:
    phase = demo.first.phases.get(kind=PhaseKind.IMPLEMENTATION)
    return all(phase.starts_on <= (m.astimezone(CHIFENG).date() if hasattr(m, "astimezone") else m) <= phase.ends_on
               for m in moments)


def test_the_report_gives_the_articles_contracts_money_and_split(demo):
    figures = edition_figures(demo.first)
    assert figures["funnel"]["projects_contracted"] == PROJECTS_CONTRACTED
    assert figures["implementation"]["funds_paid_yuan"] == FUNDS_PAID
    assert figures["funding_split"] == {"community foundation 赤峰市弘善社区发展基金会": "0.60",
                                        "district finance 红山区财政局": "0.40"}
    assert figures["edition"]["current_phase"] == PhaseKind.IMPLEMENTATION


def test_contracted_projects_divide_among_the_categories_as_close_to_the_article_as_the_approvals_allow(
        demo, decisions):
    approved = Counter(decisions.filter(outcome__in=APPROVING_OUTCOMES).values_list(
        "project__category__code", flat=True))
    reported = {key.split()[0]: count for key, count in edition_figures(demo.first)["contracted_by_category"].items()}
    assert reported == contracted_counts(dict(approved), CONTRACTED, PROJECTS_CONTRACTED)
    assert all(reported[code] <= approved[code] for code in reported)
    # Where the reviews approved fewer projects of a category than the article contracted, the shortfall
    # goes to other categories, one project each: the report misses the article by no more than that.
    short = sum(max(0, count - approved[code]) for code, count in CONTRACTED.items())
    assert sum(abs(reported[code] - count) for code, count in CONTRACTED.items()) == 2 * short
    if not short:
        assert reported == CONTRACTED


def test_every_contracted_agreement_is_signed_by_its_six_parties_in_their_own_accounts(demo, agreements):
    contracted = agreements.filter(state__in=[AgreementState.ACTIVE, AgreementState.COMPLETED])
    assert contracted.count() == PROJECTS_CONTRACTED
    assert set(contracted.values_list("project__state", flat=True)) == {ProjectState.CONTRACTED}
    parties = AgreementParty.objects.filter(agreement__in=contracted).select_related(
        "agreement__edition__district", "agreement__project__street", "organization", "area", "signed_by")
    assert parties.count() == 6 * PROJECTS_CONTRACTED
    for party in parties:
        assert party.has_signed and may_sign(party.signed_by, party.agreement, party), party
    assert {p.name for p in parties if p.role == PartyRole.CIVIL_AFFAIRS} == {"红山区民政局"}
    assert {p.signed_by.phone for p in parties if p.role == PartyRole.FOUNDATION} == {"13800000005"}
    assert {p.signed_by.phone for p in parties if p.role == PartyRole.SUPPORT_CENTRE} == {"13800000006"}
    assert {p.organization.kind for p in parties if p.role == PartyRole.STREET_OFFICE} == {
        OrganizationKind.STREET_OFFICE}
    # A street with its own hub organisation hosts its projects through it.
    hubs = {p.agreement.project.street.name: p.name for p in parties if p.role == PartyRole.HUB}
    assert hubs["西屯街道"] == "西屯街道社区社会组织联合会" and hubs["西城街道"] == "西城街道社区社会组织联合会"
    assert _in_implementation(demo, [*contracted.values_list("created_at", flat=True),
                                     *parties.values_list("signed_at", flat=True)])


def test_five_approved_projects_are_not_contracted_each_for_a_reason(demo, projects, agreements):
    approved = projects.filter(state=ProjectState.APPROVED)
    assert approved.count() == 190 - PROJECTS_CONTRACTED
    states = Counter(agreements.filter(project__in=approved).values_list("state", flat=True))
    assert states == {AgreementState.CANCELLED: 2, AgreementState.SIGNING: 2}
    assert approved.filter(agreement__isnull=True).count() == 1  # the organisation withdrew before it was drawn up
    for agreement in agreements.filter(state=AgreementState.CANCELLED):
        reason = records_for(agreement).get(action="agreement.cancel").after["reason"]
        assert "退出" in reason
    for agreement in agreements.filter(state=AgreementState.SIGNING):
        signed = [p.has_signed for p in agreement.parties.all()]
        assert any(signed) and not all(signed)


def test_the_funders_commit_their_share_of_the_approved_budgets_rounded_up(demo, projects):
    approved = projects.filter(state__in=[ProjectState.APPROVED, ProjectState.CONTRACTED])
    total = sum(project_budget_totals(list(approved)).values(), Decimal("0"))
    for source in demo.first.funding_sources.select_related("commitment"):
        committed = source.commitment.total
        assert total * source.share <= committed < total * source.share * Decimal("1.05")
        assert committed % 10000 == 0


def test_no_agreement_nor_source_pays_beyond_what_it_may_and_the_audit_chain_holds(demo, agreements):
    disbursed = dict(Disbursement.objects.filter(agreement__edition=demo.first, state__in=LIVE_DISBURSEMENT_STATES)
                     .values_list("agreement").annotate(total=Sum("amount")))
    assert len(disbursed) == PROJECTS_CONTRACTED
    for agreement in agreements:
        assert disbursed.get(agreement.pk, 0) <= agreement.total, agreement.code
    for source in demo.first.funding_sources.select_related("commitment", "organization"):
        assert 0 < approved_by_source(source) <= source.commitment.total, source.organization.name
    assert chain_verify().intact


def test_instalments_are_paid_share_by_share_by_each_sources_officer_in_the_implementation_phase(demo, agreements):
    shares = DisbursementShare.objects.filter(disbursement__agreement__edition=demo.first).exclude(
        disbursement__state=DisbursementState.RETURNED).select_related(
        "source__organization", "paid_by", "approved_by", "disbursement__instalment")
    paid = [s for s in shares if s.is_paid]
    assert len(paid) == len(shares)  # every request that was not sent back was paid
    assert all(officer_of_source(s.paid_by, s.source) and officer_of_source(s.approved_by, s.source) for s in paid)
    references = [s.payment_reference for s in paid]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"HS2017-\d{4}-[123][FC]", reference) for reference in references)
    milestones = Counter((s.disbursement.instalment.milestone, s.disbursement_id) for s in paid)
    per_milestone = Counter(milestone for milestone, _d in milestones)
    assert per_milestone[Milestone.SIGNING] == PROJECTS_CONTRACTED
    assert 0.85 * PROJECTS_CONTRACTED <= per_milestone[Milestone.MIDTERM] < PROJECTS_CONTRACTED
    assert 10 <= per_milestone[Milestone.FINAL] <= 0.4 * PROJECTS_CONTRACTED
    returned = Disbursement.objects.filter(agreement__edition=demo.first, state=DisbursementState.RETURNED)
    assert returned.count() >= 1 and not returned.filter(return_reason="").exists()
    steps = Disbursement.objects.filter(agreement__edition=demo.first).values_list("requested_at", flat=True)
    assert _in_implementation(demo, [*steps, *(s.approved_at for s in paid), *(s.paid_at for s in paid)])
    assert all(s.paid_at > s.approved_at > s.disbursement.requested_at for s in paid)
    reached = Instalment.objects.filter(agreement__edition=demo.first, reached_at__isnull=False)
    assert _in_implementation(demo, reached.values_list("reached_at", flat=True))


def test_completed_agreements_are_settled_against_their_approved_spending(demo, agreements):
    completed = list(agreements.filter(state=AgreementState.COMPLETED))
    assert completed
    settled_for_less = 0
    for agreement in completed:
        paid = Disbursement.objects.filter(agreement=agreement, state=DisbursementState.PAID).aggregate(
            total=Sum("amount"))["total"]
        spent = Expense.objects.filter(agreement=agreement, state=ExpenseState.APPROVED).aggregate(
            total=Sum("amount"))["total"]
        assert paid == spent, agreement.code
        final = agreement.instalments.get(milestone=Milestone.FINAL)
        settlement = final.disbursements.get(state=DisbursementState.PAID).amount
        assert final.amount / 2 <= settlement <= final.amount
        settled_for_less += settlement < final.amount
    assert settled_for_less <= 1  # the last settlement takes what the article's total leaves


def test_spending_is_reported_with_receipts_checked_by_the_support_centre_some_returned_and_put_right(
        demo, agreements):
    expenses = Expense.objects.filter(agreement__edition=demo.first).select_related("reviewed_by", "line")
    assert expenses.count() >= 2 * PROJECTS_CONTRACTED
    assert expenses.values("agreement").distinct().count() == PROJECTS_CONTRACTED
    assert not expenses.filter(receipts__isnull=True).exists()
    assert {e.reviewed_by.phone for e in expenses if e.reviewed_by} == {"13800000006"}
    returned = [e for e in expenses if e.state == ExpenseState.RETURNED]
    assert len(returned) >= 5 and all(e.return_reason for e in returned)
    for expense in returned:  # reported again for the same line and amount
        assert expenses.filter(line=expense.line, amount=expense.amount, reported_at__gt=expense.reviewed_at,
                               state=ExpenseState.APPROVED).exists()
    assert 0 < expenses.filter(state=ExpenseState.REPORTED).count() < 0.05 * expenses.count()
    for expense in expenses:
        assert expense.amount <= expense.line.amount
    assert _in_implementation(demo, [*expenses.values_list("spent_on", flat=True),
                                     *expenses.values_list("reported_at", flat=True),
                                     *expenses.exclude(reviewed_at=None).values_list("reviewed_at", flat=True)])
    assert all(e.reviewed_at > e.reported_at for e in expenses if e.reviewed_at)


def test_the_second_edition_has_no_framework_agreements_or_money(demo):
    assert not Agreement.objects.filter(edition=demo.second).exists()
    assert not FrameworkParty.objects.filter(edition=demo.second).exists()
    assert not Commitment.objects.filter(source__edition=demo.second).exists()
    figures = edition_figures(demo.second)
    assert figures["funnel"]["projects_contracted"] == 0
    assert figures["implementation"]["funds_paid_yuan"] == "0.00"
    assert set(figures["funding_split"].values()) == {None}
