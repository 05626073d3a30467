"""Similar ideas (二次优化整合): Chinese near-duplicates are found, unrelated ideas are not paired,
the index follows submissions and revisions, and the pages show what staff of the area may see."""

import random
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction

from jindianzi.accounts.models import Role
from jindianzi.ideas.models import IdeaBand, IdeaFingerprint
from jindianzi.ideas.services import idea_revise, idea_withdraw
from jindianzi.ideas.similarity import engine
from jindianzi.ideas.similarity.index import edition_index_rebuild, fingerprint_of, idea_index
from jindianzi.ideas.similarity.selectors import similar_ideas, similarity_clusters

from ..factories import CommunityFactory, UserFactory, staff_user, submit_idea

# The same idea as two residents put it: different wording, the same meaning by shared words.
pytestmark = pytest.mark.usefixtures("english_pages")


GREETING = dict(
    title="为老爷庙社区独居老人建立每日问候队",
    problem="老爷庙社区独居、空巢老人有六十多位，子女大多在外地工作。前段时间有位独居老人在家摔倒，两天后才被邻居发现。",
    proposal="组织身体好的低龄老人和志愿者与独居老人结对，每天上门或打电话问候一次，发现异常马上告诉社区。",
    beneficiaries="社区独居、空巢老人约60人",
)
GREETING_RETOLD = dict(
    title="老爷庙社区独居老人每天有人上门问候",
    problem="我们社区独居老人很多，子女都在外地工作，前不久一位独居老人在家摔倒，过了两天才被邻居发现。",
    proposal="让低龄老人和志愿者跟独居老人结对，每天上门或者打电话问候一次，有异常情况马上告诉社区。",
    beneficiaries="独居、空巢老人六十多人",
)
# Closer still: a neighbour asking for the same greeting team with a few words changed.
GREETING_NEIGHBOUR = dict(
    title="给独居老人组建每日问候队",
    problem="花园社区独居、空巢老人有五十多位，子女大多在外地工作。前段时间有位独居老人在家摔倒，过了两天才被邻居发现。",
    proposal="召集身体好的低龄老人和志愿者与独居老人结对，每天上门或打电话问候一次，发现异常立刻告诉社区。",
    beneficiaries="社区独居、空巢老人约50人",
)
MEALS = dict(
    title="在社区办一个老年食堂",
    problem="不少老人牙口不好、腿脚不便，一个人做饭麻烦，经常一顿饭分两顿吃，剩菜热了又热。",
    proposal="利用社区活动室的厨房，每天中午提供两荤一素的午餐，老人自付一部分、项目补贴一部分。",
    beneficiaries="社区80岁以上高龄老人约40人",
)
FOOTBALL = dict(
    title="组建青少年足球队",
    problem="小区里的孩子放学后没有地方踢球，只能在马路边玩，很不安全。",
    proposal="请体育老师每周带孩子们训练两次，添置球门和足球，暑假组织一次联赛。",
    beneficiaries="8到14岁的孩子约50人",
)


def score(a: dict, b: dict) -> float:
    def fp(text):
        return engine.hashed(engine.features(engine.idea_text(**text)))
    return engine.jaccard(fp(a), fp(b))


# --- The method, on text ---------------------------------------------------------------------------

def test_features_are_chinese_bigrams_and_latin_words_without_numbers_or_stop_bigrams():
    found = engine.features("为老爷庙社区独居老人建立每日问候队，需要WiFi和５G，预计120元。")
    assert {"独居", "问候", "老爷", "wifi", "5g"} <= found
    assert "社区" not in found and "预计" not in found  # in nearly every proposal
    assert "120" not in found                           # a number is not what an idea is about
    assert "i和" not in found and "和5" not in found   # runs end at Latin letters and digits
    assert not any("，" in f for f in found)


def test_function_characters_end_a_run():
    assert "人的" not in engine.features("老人的家") and "老人" in engine.features("老人的家")


def test_the_same_idea_retold_is_similar_and_unrelated_ideas_are_not():
    assert score(GREETING, GREETING) == 1.0
    assert score(GREETING, GREETING_NEIGHBOUR) >= engine.THRESHOLD
    assert score(GREETING, GREETING_RETOLD) >= engine.RELATED
    assert score(MEALS, FOOTBALL) < 0.1           # an elderly-meal idea and a youth-football idea
    assert score(GREETING, FOOTBALL) < 0.1
    assert score(GREETING, MEALS) < engine.RELATED  # both about older people, not the same idea


def test_minhash_agreement_estimates_the_jaccard_index():
    """The hash family must behave: the share of equal minima tracks the exact score."""
    rng = random.Random(4)
    vocabulary = [f"w{i}" for i in range(400)]
    for _ in range(20):
        shared = rng.sample(vocabulary, 60)
        a = set(shared) | set(rng.sample(vocabulary, 40))
        b = set(shared) | set(rng.sample(vocabulary, 40))
        ha, hb = engine.hashed(a), engine.hashed(b)
        agreement = float((engine.signature(ha) == engine.signature(hb)).mean())
        assert abs(agreement - engine.jaccard(ha, hb)) < 0.15


def test_candidates_above_the_threshold_are_almost_never_missed():
    assert engine.candidate_probability(engine.THRESHOLD) > 0.9
    assert engine.candidate_probability(0.6) > 0.99
    assert engine.candidate_probability(0.1) < 0.01


def test_all_pairs_search_equals_brute_force_on_generated_ideas():
    from jindianzi.bench.ideas import generate

    ideas = generate(600, seed=3)
    hashes = [engine.hashed(engine.features(engine.idea_text(i.title, i.problem, i.proposal, i.beneficiaries)))
              for i in ideas]
    sets = engine.FeatureSets.from_hashes(hashes)
    left, right, scores = engine.similar_pairs(sets, engine.band_keys(sets.signatures()))
    found = set(zip(left.tolist(), right.tolist()))
    truth = {(i, j) for i in range(len(ideas)) for j in range(i + 1, len(ideas))
             if engine.jaccard(hashes[i], hashes[j]) >= engine.THRESHOLD}
    assert found <= truth                                  # nothing below the threshold
    assert len(found & truth) >= 0.9 * len(truth) > 0      # and (almost) everything above it
    for i, j, s in zip(left.tolist()[:200], right.tolist()[:200], scores.tolist()[:200]):
        assert s == pytest.approx(engine.jaccard(hashes[i], hashes[j]))
    planted = [(min(k, i.twin_of), max(k, i.twin_of)) for k, i in enumerate(ideas) if i.twin_of is not None]
    assert sum(p in found for p in planted) >= 0.8 * len(planted)


def test_big_and_small_buckets_score_alike(monkeypatch):
    from jindianzi.bench.ideas import generate

    ideas = generate(400, seed=5)
    sets = engine.FeatureSets.from_hashes([
        engine.hashed(engine.features(engine.idea_text(i.title, i.problem, i.proposal, i.beneficiaries)))
        for i in ideas])
    keys = engine.band_keys(sets.signatures())
    monkeypatch.setattr(engine, "BIG_BUCKET", 2)
    every_bucket_big = engine.similar_pairs(sets, keys)
    monkeypatch.setattr(engine, "BIG_BUCKET", 10 ** 9)
    no_bucket_big = engine.similar_pairs(sets, keys)
    for a, b in zip(every_bucket_big, no_bucket_big):
        assert np.allclose(a, b)


# --- The index follows the ideas -----------------------------------------------------------------

@pytest.fixture
def greeting(world):
    return submit_idea(edition=world.edition, community=world.community, **GREETING)


@pytest.mark.django_db(transaction=True)
def test_a_submitted_idea_is_indexed_once_the_transaction_commits(world):
    idea = submit_idea(edition=world.edition, community=world.community, **GREETING)
    fingerprint = IdeaFingerprint.objects.get(idea=idea)
    assert fingerprint.version == engine.VERSION and fingerprint.edition_id == world.edition.pk
    assert IdeaBand.objects.filter(idea=idea, edition=world.edition).count() == engine.BANDS


@pytest.mark.django_db(transaction=True)
def test_nothing_is_indexed_when_the_submission_rolls_back(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_idea(edition=world.edition, community=world.community, **GREETING)
        raise RuntimeError("the request failed after the idea was saved")
    assert not IdeaFingerprint.objects.exists() and not IdeaBand.objects.exists()


def test_the_index_hook_runs_on_commit_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        idea = submit_idea(edition=world.edition, community=world.community, **GREETING)
    assert not IdeaFingerprint.objects.filter(idea=idea).exists()
    for callback in callbacks:
        callback()
    assert IdeaFingerprint.objects.filter(idea=idea).exists()


def test_a_revised_idea_is_indexed_from_its_new_text(world, greeting, django_capture_on_commit_callbacks):
    assert idea_index(idea_id=greeting.pk)
    before = IdeaFingerprint.objects.get(idea=greeting)
    assert not idea_index(idea_id=greeting.pk)  # unchanged text: nothing to do
    with django_capture_on_commit_callbacks(execute=True):
        idea_revise(actor=greeting.proposer, idea=greeting, estimated_budget=Decimal("9000"), note="",
                    **{**FOOTBALL, "title": "改成青少年足球队"})
    after = IdeaFingerprint.objects.get(idea=greeting)
    greeting.refresh_from_db()
    assert after.digest != before.digest
    assert bytes(after.features) == fingerprint_of(greeting).features.tobytes()
    assert IdeaBand.objects.filter(idea=greeting).count() == engine.BANDS


def test_rebuild_command_reindexes_the_whole_edition(world, greeting):
    submit_idea(edition=world.edition, community=world.neighbour, **MEALS)
    IdeaFingerprint.objects.all().delete()
    call_command("similarity_rebuild", edition=world.edition.slug)
    assert IdeaFingerprint.objects.filter(edition=world.edition).count() == 2
    assert IdeaBand.objects.filter(edition=world.edition).count() == 2 * engine.BANDS


def test_rebuild_of_an_unknown_edition_says_so(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("similarity_rebuild", edition="no-such-edition")


# --- Selectors ---------------------------------------------------------------------------------------

@pytest.fixture
def district_ideas(world, greeting):
    """The greeting idea retold in the same street and in another street, and two unrelated ideas."""
    ideas = type("Ideas", (), {})()
    ideas.greeting = greeting
    ideas.neighbour = submit_idea(edition=world.edition, community=world.neighbour, **GREETING_NEIGHBOUR)
    ideas.retold = submit_idea(edition=world.edition, community=world.community, **GREETING_RETOLD)
    ideas.other_street = submit_idea(edition=world.edition, community=world.other_community, **{
        **GREETING_NEIGHBOUR, "problem": GREETING_NEIGHBOUR["problem"].replace("花园", "红山郡")})
    ideas.meals = submit_idea(edition=world.edition, community=world.neighbour, **MEALS)
    ideas.football = submit_idea(edition=world.edition, community=world.other_community,
                                 category=world.edition.categories.get(code="youth"), **FOOTBALL)
    edition_index_rebuild(edition_id=world.edition.pk)
    return ideas


def test_similar_ideas_puts_the_same_street_first_and_leaves_unrelated_ideas_out(district_ideas,
                                                                                  django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        found = similar_ideas(district_ideas.greeting)
    ideas = [idea for idea, _ in found]
    assert ideas == [district_ideas.neighbour, district_ideas.retold, district_ideas.other_street]
    scores = dict((idea.pk, s) for idea, s in found)
    assert scores[district_ideas.neighbour.pk] > scores[district_ideas.retold.pk]
    assert district_ideas.meals not in ideas and district_ideas.football not in ideas
    assert similar_ideas(district_ideas.football) == []


def test_similar_ideas_leaves_withdrawn_ideas_out(district_ideas):
    idea_withdraw(actor=district_ideas.neighbour.proposer, idea=district_ideas.neighbour)
    assert district_ideas.neighbour not in [idea for idea, _ in similar_ideas(district_ideas.greeting)]


def test_similar_ideas_of_an_idea_not_indexed_yet_still_works(district_ideas):
    IdeaFingerprint.objects.filter(idea=district_ideas.greeting).delete()
    assert similar_ideas(district_ideas.greeting)[0][0] == district_ideas.neighbour


def test_clusters_group_ideas_of_different_communities(world, district_ideas, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        clusters = similarity_clusters(world.edition)
    assert len(clusters) == 1
    group = clusters[0]
    assert set(group.ideas) == {district_ideas.greeting, district_ideas.neighbour, district_ideas.other_street}
    assert len(group.communities) == 3
    assert engine.THRESHOLD <= group.mean_score <= 1
    street_only = similarity_clusters(world.edition, street=world.street)
    assert [set(c.ideas) for c in street_only] == [{district_ideas.greeting, district_ideas.neighbour}]


def test_clusters_leave_out_ideas_that_are_no_longer_open(world, district_ideas):
    idea_withdraw(actor=district_ideas.neighbour.proposer, idea=district_ideas.neighbour)
    assert similarity_clusters(world.edition, street=world.street) == []


def test_clusters_with_a_raised_threshold_are_tighter(world, district_ideas):
    assert similarity_clusters(world.edition, threshold=0.99) == []


# --- Pages -------------------------------------------------------------------------------------------


def test_the_panel_shows_the_similar_ideas_as_an_htmx_fragment(world, district_ideas, login_as):
    client = login_as(Role.STREET_OFFICER, area=world.street)
    url = f"/staff/ideas/{district_ideas.greeting.tracking_code}/similar/"
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html and 'id="similar-ideas"' in html
    assert GREETING_NEIGHBOUR["title"] in html and GREETING_RETOLD["title"] in html
    assert FOOTBALL["title"] not in html and MEALS["title"] not in html
    assert html.index("In the same street") < html.index("Elsewhere in the district")
    assert "Likely the same idea" in html
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_the_panel_is_for_staff_of_the_area(world, district_ideas, login_as):
    url = f"/staff/ideas/{district_ideas.greeting.tracking_code}/similar/"
    assert login_as(Role.STREET_OFFICER, area=world.other_street).get(url).status_code == 403
    assert login_as(UserFactory()).get(url).status_code == 403


def test_the_groups_page_lists_groups_with_a_merge_button(world, district_ideas, login_as,
                                                          django_assert_max_num_queries):
    client = login_as(Role.STREET_OFFICER, area=world.street)
    client.get("/staff/similar/")  # warm the session and the user's roles
    with django_assert_max_num_queries(12):
        response = client.get("/staff/similar/", {"edition": world.edition.slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert GREETING_NEIGHBOUR["title"] in html and GREETING["title"] in html
    assert district_ideas.other_street.tracking_code not in html  # another street's idea
    assert 'name="ideas"' in html and f'value="{district_ideas.greeting.pk}"' in html
    assert "Merge into a project" in html and "/staff/projects/merge/" in html


def test_a_district_organiser_sees_groups_across_streets(world, district_ideas, login_as):
    client = login_as(Role.DISTRICT_ORGANISER, area=world.district)
    html = client.get("/staff/similar/", {"edition": world.edition.slug, "street": ""}).content.decode()
    assert district_ideas.other_street.tracking_code in html


def test_a_community_worker_sees_only_groups_touching_their_communities(world, district_ideas, login_as):
    other = CommunityFactory(name="西屯社区", parent=world.street)
    submit_idea(edition=world.edition, community=other, **MEALS)
    submit_idea(edition=world.edition, community=other, **{**MEALS, "title": "办一个老年食堂"})
    edition_index_rebuild(edition_id=world.edition.pk)
    html = login_as(Role.COMMUNITY_WORKER, area=world.community).get("/staff/similar/").content.decode()
    assert GREETING["title"] in html and "办一个老年食堂" not in html
    outsider = staff_user(Role.COMMUNITY_WORKER, area=other)
    html = login_as(outsider).get("/staff/similar/").content.decode()
    assert "办一个老年食堂" in html and GREETING["title"] not in html


def test_the_groups_page_can_look_back_at_declined_and_merged_ideas(world, district_ideas, login_as):
    client = login_as(Role.STREET_OFFICER, area=world.street)
    idea_withdraw(actor=district_ideas.retold.proposer, idea=district_ideas.retold)
    officer = client.user
    from jindianzi.ideas.services import idea_screen

    idea_screen(actor=officer, idea=district_ideas.neighbour, decision="decline", reason="与老爷庙社区的想法重复。")
    assert GREETING["title"] not in client.get("/staff/similar/").content.decode()
    html = client.get("/staff/similar/", {"all": "1"}).content.decode()
    assert GREETING["title"] in html and GREETING_NEIGHBOUR["title"] in html
    assert f'value="{district_ideas.neighbour.pk}">' in html  # declined: shown, not ticked


def test_the_groups_page_refuses_a_street_of_someone_else(world, district_ideas, login_as):
    client = login_as(Role.STREET_OFFICER, area=world.street)
    assert client.get("/staff/similar/", {"street": world.other_street.pk}).status_code == 404
    assert login_as(UserFactory()).get("/staff/similar/").status_code == 403


def test_the_method_version_fits_its_column():
    assert len(engine.VERSION) <= IdeaFingerprint._meta.get_field("version").max_length


def test_bit_rows_are_built_the_same_a_block_at_a_time(monkeypatch):
    rng = np.random.default_rng(1)
    sets = engine.FeatureSets.from_hashes([np.unique(rng.integers(0, 300, size=rng.integers(1, 40)).astype(np.uint32))
                                           for _ in range(23)])
    whole = sets.bitsets()
    monkeypatch.setattr(engine, "_ROWS_AT_ONCE", 4)
    assert np.array_equal(sets.bitsets(), whole)
    counts = np.bitwise_count(whole).sum(axis=1)
    assert np.array_equal(counts, sets.sizes)
