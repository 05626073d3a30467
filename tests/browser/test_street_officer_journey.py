import pytest

from jindianzi.accounts.models import Role
from jindianzi.ideas.models import Idea
from jindianzi.projects.models import Project

from ..factories import PASSWORD, OrganizationFactory, staff_user, submit_idea

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

    # Matching: the officer offers the project to the community's elderly-care group...
    helpers = OrganizationFactory(name="老爷庙社区助老服务队", home_area=world.community)
    helper_staff = staff_user(Role.ORG_STAFF, organization=helpers)
    page.goto(f"{live_server.url}/staff/projects/{project.code}/match/")
    screenshot("12-match")
    offer = page.locator("details", has=page.locator(f"input[name=organization][value='{helpers.pk}']"))
    offer.locator("summary").click()
    offer.locator("textarea[name=message]").fill("请贵队承接这个问候项目")
    offer.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # ...whose staff accept in their own account and write the plan and budget.
    page.context.clear_cookies()
    sign_in(page, live_server, helper_staff)
    page.goto(f"{live_server.url}/org/offers/")
    page.click(f"main a[href*='/org/offers/']")
    page.check("input[name=decision][value=accept]")
    page.click("main form.answer-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/staff/projects/{project.code}/plan/")
    page.fill("textarea[name=objectives]", "让两个社区的独居老人每天有人问候")
    page.fill("textarea[name=target_groups]", "老爷庙社区和花园社区的独居老人")
    page.fill("input[name=expected_beneficiaries]", "2400")
    page.fill("input[name=planned_activities]", "48")
    page.fill("input[name=starts_on]", "2017-08-01")
    page.fill("input[name=ends_on]", "2017-11-30")
    page.locator("input[name$='-item']").first.fill("问候卡与宣传物料")
    page.locator("input[name$='-amount']").first.fill("1200")
    screenshot("13-plan")
    page.click("button[name=save]")
    page.wait_for_load_state()
    project.refresh_from_db()
    assert project.organization == helpers and project.budget_lines.count() == 1

    # The officer sends it to the street review; the merge can no longer be undone.
    page.context.clear_cookies()
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/staff/projects/{project.code}/")
    page.click(f"form[action$='/submit/'] button[type=submit]")
    page.wait_for_load_state()
    project.refresh_from_db()
    assert project.state == "submitted"

    # The public project page credits both original ideas.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/projects/{project.code}/")
    screenshot("14-project")
    text = page.inner_text("main")
    assert "独居老人每日问候队" in text and "给独居老人打电话问候" in text
