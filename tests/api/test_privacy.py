"""Release blocker: no public answer carries a phone number, an account, or an anonymous proposer's name."""

import json

import pytest

from jindianzi.accounts.models import Role
from jindianzi.core.privacy import mask_phone
from jindianzi.ideas.models import ProposerKind

from ..factories import OrganizationFactory, UserFactory, paper_idea, staff_user, submit_idea
from .conftest import basic, post_json, public_text

FORBIDDEN_KEYS = {"phone", "proposer_phone", "mobile", "username", "email", "id_number", "proposer",
                  "proposer_id", "entered_by", "actor", "password", "note"}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.fixture
def people(world):
    w = world
    hidden = UserFactory(login="13811112222", display_name="张桂芳")
    named = UserFactory(login="13933334444", display_name="李建国")
    by_mail = UserFactory(login="liuxia@example.cn", display_name="刘霞")
    worker = staff_user(Role.COMMUNITY_WORKER, area=w.community, login="13755556666", display_name="社区干事赵敏")
    org = OrganizationFactory(name="老爷庙社区助老协会", home_area=w.community)
    org_member = staff_user(Role.ORG_STAFF, organization=org, login="13677778888", display_name="协会会长孙伟")
    ideas = [
        submit_idea(edition=w.edition, community=w.community, proposer=hidden, anonymous=True),
        submit_idea(edition=w.edition, community=w.community, proposer=named, title="楼道照明改造"),
        submit_idea(edition=w.edition, community=w.neighbour, proposer=by_mail, anonymous=True),
        paper_idea(edition=w.edition, community=w.community, worker=worker, proposer_name="王秀兰",
                   proposer_phone="13812345678", anonymous=True),
        submit_idea(edition=w.edition, community=w.community, proposer=org_member, anonymous=True,
                    proposer_kind=ProposerKind.SOCIAL_ORGANIZATION, proposer_organization=org),
    ]
    return type("People", (), {"hidden": hidden, "named": named, "by_mail": by_mail, "worker": worker,
                               "org_member": org_member, "ideas": ideas})()


def _secrets(people) -> list[str]:
    accounts = [people.hidden, people.named, people.by_mail, people.worker, people.org_member]
    return [
        "13811112222", "13933334444", "13812345678", "13755556666", "13677778888",  # every phone number
        *[mask_phone(a.phone) for a in accounts if a.phone], "138****5678", "1381111", "1393333",  # and masked ones
        "张桂芳", "刘霞", "王秀兰", "协会会长孙伟", "社区干事赵敏",  # anonymous proposers, and who typed or sent for them
        "liuxia@example.cn", *[account.username for account in accounts],
    ]


def _public_answers(client, world, people):
    urls = ["/api/v1/editions", f"/api/v1/editions/{world.edition.slug}", "/api/v1/areas", "/api/v1/organizations",
            "/api/v1/ideas", f"/api/v1/ideas?edition={world.edition.slug}&limit=500",
            f"/api/v1/ideas?community={world.community.id}", "/api/v1/ideas?q=老人"]
    urls += [f"/api/v1/ideas/{idea.tracking_code}" for idea in people.ideas]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_phone_account_or_anonymous_name_in_any_public_answer(client, world, people, language):
    for url, response in _public_answers(client, world, people):
        text = public_text(response)
        for secret in _secrets(people):
            assert secret not in text, f"{secret!r} leaked in {url}"
        assert not _keys(response.json()) & FORBIDDEN_KEYS, url


def test_proposer_names_follow_the_anonymity_rule(api_client, world, people):
    names = {i["tracking_code"]: i["proposer_name"] for i in api_client.get("/api/v1/ideas").json()["items"]}
    hidden, named, by_mail, paper, org_idea = (names[i.tracking_code] for i in people.ideas)
    assert named == "李建国"
    assert hidden == by_mail == paper == "A resident who asked to stay anonymous"
    assert org_idea == "老爷庙社区助老协会"  # an organisation speaks in its own name


def test_own_submission_answer_is_public_too(api_client, world, people):
    body = {"edition": world.edition.slug, "community": world.community.id, "category": "elderly",
            "title": "小区健身器材维修", "problem": "器材老化。", "proposal": "更换器材。",
            "beneficiaries": "全体居民", "estimated_budget": "3000", "anonymous": True}
    response = post_json(api_client, "/api/v1/ideas", body, **basic(people.hidden))
    assert response.status_code == 201
    text = public_text(response)
    assert "13811112222" not in text and "张桂芳" not in text and people.hidden.username not in text
    assert not _keys(json.loads(response.content)) & FORBIDDEN_KEYS
