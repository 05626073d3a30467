import pytest

from jindianzi.accounts.models import Role
from jindianzi.ideas.models import Idea
from jindianzi.projects.models import Project

from ..factories import PASSWORD, staff_user, submit_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_street_officer_shortlists_two_ideas_together_and_merges_them_into_a_project(page, live_server, world,
                                                                                   screenshot):
    greeting = submit_idea(edition=world.edition, community=world.community, title="独居老人每日问候队")
    calls = submit_idea(edition=world.edition, community=world.neighbour, title="给独居老人打电话问候")
    officer = staff_user(Role.STREET_OFFICER, area=world.street)
    sign_in(page, live_server, officer)

    # The workbench: tick both ideas, shortlist them together with one reason.
    page.goto(f"{live_server.url}/staff/screening/")
    page.check(f"#pick-{greeting.tracking_code}")
    page.check(f"#pick-{calls.tracking_code}")
    page.check("input[name=decision][value=shortlist]")
    page.fill("#bulk textarea, #bulk input[name=reason]", "两个社区都有大量独居老人，需求真实")
    screenshot("10-workbench-ticked")
    page.click("#bulk button[type=submit]")
    page.wait_for_load_state()
    assert set(Idea.objects.filter(pk__in=[greeting.pk, calls.pk]).values_list("state", flat=True)) == {"shortlisted"}

    # Merge the two similar ideas of two communities into one project.
    page.goto(f"{live_server.url}/staff/projects/merge/?ideas={greeting.pk},{calls.pk}")
    page.fill("input[name=title]", "西屯街道独居老人问候行动")
    screenshot("11-merge")
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state()
    project = Project.objects.get(title="西屯街道独居老人问候行动")
    assert {idea.pk for idea in project.ideas.all()} == {greeting.pk, calls.pk}

    # The public project page credits both original ideas.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/projects/{project.code}/")
    screenshot("12-project")
    text = page.inner_text("main")
    assert "独居老人每日问候队" in text and "给独居老人打电话问候" in text
