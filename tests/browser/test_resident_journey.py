import io

import pytest
from PIL import Image

from jindianzi.accounts.verification import OutboxSender
from jindianzi.ideas.models import Idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_photo(tmp_path):
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (320, 240), (200, 60, 40)).save(path, "JPEG")
    return path


def test_resident_signs_up_submits_an_idea_with_a_photo_and_tracks_it(page, live_server, world, tmp_path,
                                                                      screenshot):
    page.goto(live_server.url)
    screenshot("01-home")
    page.click(f"a[href='/ideas/new/'] >> nth=-1")
    # Not signed in: the login page offers to sign up, and comes back to the form afterwards.
    page.click("main a[href^='/accounts/signup/']")
    page.fill("input[name=login]", "13912345678")
    page.fill("input[name=display_name]", "张桂芳")
    page.fill("input[name=password]", "laoyemiao-2026")
    screenshot("02-signup")
    page.click("button[type=submit]")
    address, code = OutboxSender.outbox[-1]
    assert address == "13912345678"
    page.fill("input[name=code]", code)
    page.click("button[type=submit] >> nth=0")

    page.wait_for_selector("select[name=community]")
    page.select_option("select[name=community]", str(world.community.pk))
    page.select_option("select[name=category]", label="老年人服务类")
    page.fill("input[name=title]", "楼道加装扶手方便老人上下楼")
    page.fill("textarea[name=problem]", "老楼没有电梯，楼道陡，老人上下楼容易摔倒。")
    page.fill("textarea[name=proposal]", "在三栋老楼的楼道两侧加装不锈钢扶手，并在转角贴防滑条。")
    page.fill("input[name=beneficiaries]", "三栋楼的老人约60人")
    page.fill("input[name=estimated_budget]", "8600")
    page.set_input_files("input[name=photos]", str(a_photo(tmp_path)))
    screenshot("03-submit-form")
    page.click("button[type=submit]")

    code = page.inner_text(".code").strip()
    screenshot("04-submitted")
    idea = Idea.objects.get(tracking_code=code)
    assert idea.title == "楼道加装扶手方便老人上下楼" and idea.photos.count() == 1

    # Anyone can look it up by the code, without an account.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/track/")
    page.fill("input[name=code]", code.lower())
    page.click("button[type=submit]")
    page.wait_for_selector(".timeline li")
    screenshot("05-tracked")
    assert "楼道加装扶手方便老人上下楼" in page.inner_text("h1")
    assert page.locator(".photos img").count() == 1
    assert "张桂芳" in page.inner_text("main")
    assert "13912345678" not in page.content()
