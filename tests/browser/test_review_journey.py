"""The street review in a real browser: the chair runs a round from creation to publication, an expert scores
on their phone, and a resident votes on a phone and reads why each project was funded or not."""

import re

import pytest

from jindianzi.projects.workflow import ProjectState
from jindianzi.reviews.models import Assignment, Ballot, Decision, ReviewRound
from jindianzi.reviews.voting import ballot_cast, vote_close, vote_configure, vote_open
from jindianzi.reviews.workflow import Outcome, RoundState

from ..factories import PASSWORD
from ..reviews.conftest import Scene, verified_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def submit(page, selector):
    page.click(selector)
    page.wait_for_load_state()


def test_the_chair_runs_the_review_from_a_new_round_to_published_results(page, live_server, world, screenshot):
    scene = Scene(world)
    officer, expert = scene.officer, scene.expert
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, officer)

    # A new round for the officer's street, with its budget.
    page.goto(f"{live_server.url}/staff/reviews/")
    submit(page, "main a[href='/staff/reviews/new/']")
    page.fill("input[name=budget_cap]", "30000")
    screenshot("20-review-new-round")
    submit(page, "main form button[type=submit]")
    review_round = ReviewRound.objects.get()
    assert page.url.endswith(f"/staff/reviews/{review_round.pk}/")

    # The panel: an expert found by their mobile number; then every project to every member; then scoring opens.
    page.click("#panel-add summary")
    page.fill("#panel-add input[name=login]", expert.phone)
    page.check("#panel-add input[name=role][value=expert]")
    submit(page, "#panel-add button[type=submit]")
    submit(page, "button[name=all]")
    assert Assignment.objects.filter(round=review_round, reviewer=expert).count() == 3
    submit(page, "form[action$='/scoring/open/'] button[type=submit]")
    assert ReviewRound.objects.get().state == RoundState.SCORING
    screenshot("21-review-workspace-scoring")

    # The expert scores the three projects on a phone, one after the other.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, expert)
    page.goto(f"{live_server.url}/staff/reviews/mine/")
    screenshot("22-review-my-tasks")
    submit(page, "main a.button[href*='/staff/reviews/score/']")
    for points in (9, 7, 5):
        for scale in page.locator("fieldset.points").all():
            scale.locator(f"label:has(input[value='{points}'])").click()
        if points == 9:
            page.fill("textarea[name=comment]", "需求真实，组织可靠。")
            screenshot("23-review-score-phone")
        submit(page, "form.score-form button[type=submit]")
    assert Assignment.objects.filter(reviewer=expert, submitted_at__isnull=False).count() == 3

    # The chair closes the scoring and sees the ranking with the line where the budget runs out.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/staff/reviews/{review_round.pk}/")
    # Before closing: progress only, no points.
    assert "90.00" not in page.inner_text("main")
    submit(page, "form[action$='/scoring/close/'] button[type=submit]")
    assert page.url.endswith(f"/staff/reviews/{review_round.pk}/ranking/")
    cards = page.locator("ol.ranking > li")
    texts = [cards.nth(i).inner_text() for i in range(cards.count())]
    titles = [scene.greeting.title, scene.rails.title, None, scene.garden.title]
    assert [t if t is None else t in texts[i] for i, t in enumerate(titles)] == [True, True, None, True]
    assert "cap-line" in (cards.nth(2).get_attribute("class") or "")
    screenshot("24-review-ranking")

    def decide(project, outcome, reason, override=""):
        row = page.locator(f"#p-{project.code}")
        row.locator(f"input[value={outcome}]").check()
        row.locator("textarea[name$=-reason]").first.fill(reason)
        override_field = row.locator("[data-field=override_reason]")
        assert override_field.is_visible() == bool(override)
        if override:
            override_field.locator("textarea").fill(override)
        submit(page, f"#p-{project.code} form.decision-form button[type=submit]")

    decide(scene.greeting, "approve", "独居老人多，需求迫切，方案可行。")
    decide(scene.garden, "reject", "超出街道剩余预算。")
    decide(scene.rails, "reject", "施工影响通行。", override="多数住户尚未同意施工，明年再议。")
    decisions = {d.project_id: d for d in Decision.objects.all()}
    assert decisions[scene.greeting.pk].outcome == Outcome.APPROVE
    assert decisions[scene.rails.pk].override_reason == "多数住户尚未同意施工，明年再议。"
    screenshot("25-review-decided")

    submit(page, "form[action$='/publish/'] button[type=submit]")
    assert page.url.endswith(f"/reviews/{review_round.pk}/")
    scene.greeting.refresh_from_db()
    assert scene.greeting.state == ProjectState.APPROVED

    # Anyone can read the decisions and their reasons; no reviewer and no individual score is shown.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reviews/{review_round.pk}/")
    public = page.inner_text("main")
    for reason in ("独居老人多，需求迫切，方案可行。", "超出街道剩余预算。", "多数住户尚未同意施工，明年再议。"):
        assert reason in public
    for private in (expert.display_name, "需求真实，组织可靠。"):
        assert private not in public
    screenshot("26-review-public-results")
    page.goto(f"{live_server.url}/projects/{scene.rails.code}/")
    assert "多数住户尚未同意施工，明年再议。" in page.inner_text("main")


def test_a_resident_votes_on_a_phone_once_and_reads_why_each_project_was_funded(page, live_server, world,
                                                                                screenshot):
    scene = Scene(world)
    review_round = scene.open_round()
    vote_configure(actor=scene.officer, review_round=review_round, rule="equal_shares", use="advisory",
                   ballot_limit="count", ballot_limit_value="2")
    vote_open(actor=scene.officer, review_round=review_round)
    for _ in range(2):
        neighbour = verified_resident(scene.street, world.neighbour)
        ballot_cast(voter=neighbour, review_round=review_round, projects=[scene.rails])
    resident = verified_resident(scene.street, world.community, display_name="张桂芳")
    sign_in(page, live_server, resident)

    # From the header to the open vote of her street.
    page.goto(live_server.url)
    submit(page, "nav a[href='/vote/']")
    screenshot("30-vote-list-phone")
    submit(page, f"main a.button[href='/vote/{review_round.pk}/']")

    # Three ticked is over the limit of two: the page says so as she ticks, and the server refuses it too.
    for project in scene.projects:
        page.locator(f"label[for=pick-{project.pk}]").click()
    assert page.locator("[data-tally]").is_visible()
    assert "over" in (page.locator("[data-tally]").get_attribute("class") or "")
    screenshot("31-ballot-over-limit")
    submit(page, "form.ballot-form button[type=submit]")
    assert page.locator(".error-summary").is_visible() and not Ballot.objects.filter(voter=resident).exists()
    page.locator(f"label[for=pick-{scene.rails.pk}]").click()
    assert "over" not in (page.locator("[data-tally]").get_attribute("class") or "")
    submit(page, "form.ballot-form button[type=submit]")

    # She is told she voted, and cannot vote a second time.
    assert page.locator(".ballot-done").is_visible()
    assert page.locator("input[name=projects]").count() == 0
    screenshot("32-ballot-cast")
    ballot = Ballot.objects.get(voter=resident)
    assert set(ballot.projects.all()) == {scene.greeting, scene.garden}
    page.goto(f"{live_server.url}/vote/{review_round.pk}/")
    assert page.locator("input[name=projects]").count() == 0 and page.locator(".ballot-done").is_visible()

    # The street closes the vote; she reads, for each project, why it was funded or not.
    vote_close(actor=scene.officer, review_round=review_round)
    page.goto(f"{live_server.url}/vote/")
    submit(page, f"main a[href='/vote/{review_round.pk}/result/']")
    results = page.locator(".vote-outcome")
    assert results.count() == 3
    for i in range(3):
        why = results.nth(i).locator(".why").inner_text()
        assert re.search(r"¥[\d,]+\.\d\d", why), why
    screenshot("33-vote-result-phone")
    # 3 voters share 30,000: 扶手's two supporters have 20,000 and buy it (15,000) at 7,500 each;
    # 问候 and 花园 then have only her 10,000 behind them.
    funded = {o.project_id: o.funded for o in review_round.vote_outcomes.all()}
    assert funded[scene.rails.pk]
