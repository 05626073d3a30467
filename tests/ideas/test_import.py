"""Importing paper ideas from Excel: template, upload, review, commit, and the command."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from jindianzi import cli
from jindianzi.accounts.models import Role
from jindianzi.ideas.importing import (
    COLUMNS, ImportOutdated, ImportRefused, idea_import_commit, idea_import_discard, idea_import_upload,
    problem_line, title_similarity,
)
from jindianzi.ideas.models import Channel, Idea, IdeaImport, ImportStatus, ProposerKind

from ..factories import OrganizationFactory, paper_idea, staff_user

HEADERS = [column.header for column in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def good_row(**changes) -> dict:
    """One paper form as a row, keyed by the template's headers."""
    row = {
        "社区": "老爷庙社区", "服务类别": "老年人服务类", "标题": "为独居老人建立每日问候队",
        "存在的问题": "独居老人多，子女不在身边，出现意外无人知晓。",
        "建议方案": "组织低龄老人和志愿者结对，每天上门或电话问候一次。",
        "受益人群": "社区60岁以上独居老人约80人", "预估预算（元）": 12000, "提案人姓名": "王秀兰",
        "联系电话": "13812345678", "提案人类型": "居民", "提案组织": "", "是否匿名": "否", "已征得本人同意": "是",
    }
    row.update(changes)
    return row


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(content: bytes, name: str = "纸质金点子.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def problem_cells(report) -> set[tuple[int, str]]:
    return {(p["row"], p["column"]) for p in report["problems"]}


@pytest.fixture
def worker(world):
    return staff_user(Role.COMMUNITY_WORKER, area=world.community, display_name="社区工作者小李")


@pytest.fixture
def worker_client(login_as, worker):
    client = login_as(worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read the English messages
    return client


def post_upload(client, edition, content, name="纸质金点子.xlsx"):
    return client.post(reverse("ideas:import"), {"edition": edition.slug, "file": upload_file(content, name)})


def upload(worker, world, rows, **kwargs) -> IdeaImport:
    return idea_import_upload(actor=worker, edition=world.edition, upload=upload_file(xlsx(rows, **kwargs)))


# --- The template ------------------------------------------------------------------------------

def test_template_has_chinese_headers_example_and_lists(worker_client, world):
    response = worker_client.get(reverse("ideas:import_template"), {"edition": world.edition.slug})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, options = workbook.worksheets
    assert [cell.value for cell in sheet[1]] == HEADERS
    for expected in ("社区", "服务类别", "标题", "存在的问题", "建议方案", "受益人群", "预估预算（元）", "提案人姓名",
                     "联系电话", "提案人类型", "是否匿名", "已征得本人同意"):
        assert expected in HEADERS
    assert sheet.max_row == 2  # the header and one example row
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 20
    def listed(letter):
        return [cell.value for cell in options[letter][1:] if cell.value]

    assert listed("A") == ["老爷庙社区"]  # only the communities this worker may record for
    assert listed("B") == [c.name_zh for c in world.edition.categories.all()]
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"A2", "B2", "G2", "J2", "L2", "M2"} <= validated


def test_filled_template_round_trips(worker_client, world):
    response = worker_client.get(reverse("ideas:import_template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    # The worker leaves the example row in place and types two paper forms under it.
    for title, budget in (("老年食堂送餐上门", 8000), ("楼道扶手加装", 1200.5)):
        sheet.append([good_row(**{"标题": title, "预估预算（元）": budget}).get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = post_upload(worker_client, world.edition, buffer.getvalue())
    record = IdeaImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ideas:import_review", args=[record.pk])
    assert record.report["example_row"] == 2
    assert record.report["valid"] == [3, 4] and record.report["problems"] == []

    worker_client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "commit"})

    ideas = {idea.title: idea for idea in Idea.objects.all()}
    assert set(ideas) == {"老年食堂送餐上门", "楼道扶手加装"}
    assert ideas["楼道扶手加装"].estimated_budget == Decimal("1200.50")


def test_template_for_a_non_worker_is_forbidden(login_as, world):
    client = login_as(Role.STREET_OFFICER, area=world.street)
    assert client.get(reverse("ideas:import_template")).status_code == 403


# --- A good file -------------------------------------------------------------------------------

def test_good_file_imports_every_row_through_the_service(worker_client, worker, world):
    rows = [
        good_row(),
        good_row(**{"标题": "儿童放学后托管", "服务类别": "青少年服务类", "提案人姓名": "张建国", "联系电话": 13987654321,
                    "预估预算（元）": "1,200.5元", "是否匿名": "是"}),
        good_row(**{"标题": "残疾人康复角", "服务类别": "残疾人服务类", "提案人姓名": "刘芳", "联系电话": "",
                    "预估预算（元）": 30000.25}),
    ]
    post_upload(worker_client, world.edition, xlsx(rows))
    record = IdeaImport.objects.get()
    assert record.report["valid"] == [2, 3, 4]

    response = worker_client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "commit"}, follow=True)

    ideas = {idea.title: idea for idea in Idea.objects.all()}
    assert len(ideas) == 3
    for idea in ideas.values():
        assert idea.channel == Channel.IMPORT
        assert idea.entered_by == worker and idea.proposer is None and idea.consent_recorded
        assert idea.state == "submitted" and idea.transitions.count() == 1
        assert idea.tracking_code in response.content.decode()
    assert ideas["为独居老人建立每日问候队"].proposer_name == "王秀兰"
    assert ideas["儿童放学后托管"].proposer_phone == "13987654321"
    assert ideas["儿童放学后托管"].estimated_budget == Decimal("1200.50")
    assert ideas["儿童放学后托管"].anonymous is True
    assert ideas["残疾人康复角"].estimated_budget == Decimal("30000.25")
    assert ideas["残疾人康复角"].category.code == "disabled"
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED and record.committed_at is not None
    assert [c["code"] for c in record.report["created"]] == [i.tracking_code for i in
                                                            sorted(ideas.values(), key=lambda i: i.pk)]


def test_english_headers_and_words_are_understood(worker, world):
    headers = ["Community", "Category", "Title", "Problem", "Proposal", "Who benefits", "Estimated budget (yuan)",
               "Proposer name", "Phone", "Proposer type", "Anonymous", "Consent"]
    english = dict(zip(headers, ["老爷庙社区", "Services for older people", "Daily calls to older people living alone",
                                 "Nobody notices when something happens.", "Volunteers call every day.",
                                 "About 80 older residents", "2500", "Wang Xiulan", "138 1234 5678", "resident",
                                 "no", "yes"]))
    record = upload(worker, world, [english], headers=headers)

    assert record.report["problems"] == []
    idea_import_commit(actor=worker, record=record)
    idea = Idea.objects.get()
    assert idea.category.code == "elderly" and idea.proposer_phone == "13812345678"


def test_organisation_proposals_name_the_organisation(worker, world):
    organisation = OrganizationFactory(name="老爷庙社区志愿者协会", home_area=world.community)
    record = upload(worker, world, [
        good_row(**{"提案人类型": "社区社会组织", "提案组织": "老爷庙社区志愿者协会"}),
        good_row(**{"标题": "社区花园认养", "提案人类型": "社区自组织"}),
        good_row(**{"标题": "旧衣回收", "提案人类型": "社区社会组织", "提案组织": "不存在的协会"}),
    ])

    assert problem_cells(record.report) == {(3, "提案组织"), (4, "提案组织")}
    idea_import_commit(actor=worker, record=record)
    idea = Idea.objects.get()
    assert idea.proposer_kind == ProposerKind.SOCIAL_ORGANIZATION and idea.proposer_organization == organisation


# --- A bad file --------------------------------------------------------------------------------

def test_bad_file_names_every_bad_row_and_imports_nothing(worker_client, worker, world):
    rows = [
        good_row(**{"预估预算（元）": "一千二"}),                     # row 2
        good_row(**{"社区": "不存在社区"}),                          # row 3
        good_row(**{"服务类别": "体育类"}),                          # row 4
        good_row(**{"已征得本人同意": "否"}),                        # row 5
        good_row(**{"联系电话": "12345"}),                           # row 6
        good_row(**{"标题": ""}),                                    # row 7
        good_row(**{"预估预算（元）": 60000}),                       # row 8: above the edition's maximum
        good_row(**{"是否匿名": "也许"}),                            # row 9
        good_row(**{"提案人姓名": "", "预估预算（元）": -5}),        # row 10: two problems
    ]
    with translation.override("en"):
        response = post_upload(worker_client, world.edition, xlsx(rows))
        record = IdeaImport.objects.get()
        page = worker_client.get(response["Location"]).content.decode()

    expected = {
        (2, "预估预算（元）", "Not an amount"), (3, "社区", "no community called 不存在社区"),
        (4, "服务类别", "service categories"), (5, "已征得本人同意", "agreed"),
        (6, "联系电话", "11-digit mobile number"), (7, "标题", "fill in"),
        (8, "预估预算（元）", "at most"), (9, "是否匿名", "是"),
        (10, "提案人姓名", "name"), (10, "预估预算（元）", "more than 0"),
    }
    problems = record.report["problems"]
    assert problem_cells(record.report) == {(row, column) for row, column, _reason in expected}
    for row, column, reason in expected:
        assert any(p["row"] == row and p["column"] == column and reason in p["reason"] for p in problems), (row, column)
    assert record.report["invalid"] == list(range(2, 11)) and record.report["valid"] == []
    with translation.override("en"):
        assert problem_line(problems[0]) == f"Row 2, 预估预算（元）: {problems[0]['reason']}"
    assert "不存在社区" in page
    assert 'value="commit"' not in page  # nothing valid: the only choice is to import nothing
    assert Idea.objects.count() == 0

    worker_client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "discard"})
    record.refresh_from_db()
    assert record.status == ImportStatus.DISCARDED and record.rows_sealed == ""
    assert Idea.objects.count() == 0


def test_rows_outside_the_workers_communities_are_refused(worker, world):
    record = upload(worker, world, [
        good_row(),
        good_row(**{"社区": "花园社区", "标题": "花园社区的想法"}),     # same street, not the worker's community
        good_row(**{"社区": "红山郡社区", "标题": "红山郡社区的想法"}),  # another street
    ])

    assert problem_cells(record.report) == {(3, "社区"), (4, "社区")}
    assert record.report["valid"] == [2]
    idea_import_commit(actor=worker, record=record)
    assert list(Idea.objects.values_list("community__name", flat=True)) == ["老爷庙社区"]


def test_a_bad_row_still_reports_its_other_problems(worker, world):
    record = upload(worker, world, [good_row(**{"社区": "红山郡社区", "已征得本人同意": "", "预估预算（元）": "abc"})])
    assert problem_cells(record.report) == {(2, "社区"), (2, "已征得本人同意"), (2, "预估预算（元）")}


# --- A mixed file ------------------------------------------------------------------------------

MIXED = [
    good_row(**{"标题": "好的想法一"}),
    good_row(**{"标题": "坏的想法", "预估预算（元）": "很多"}),
    good_row(**{"标题": "好的想法二", "提案人姓名": "赵磊", "联系电话": "13700000001"}),
]


def test_mixed_file_import_nothing_creates_nothing(worker_client, world):
    post_upload(worker_client, world.edition, xlsx(MIXED))
    record = IdeaImport.objects.get()
    assert (record.report["valid"], record.report["invalid"]) == ([2, 4], [3])

    response = worker_client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "discard"}, follow=True)

    assert Idea.objects.count() == 0
    assert IdeaImport.objects.get().status == ImportStatus.DISCARDED
    assert 'value="commit"' not in response.content.decode()


def test_mixed_file_valid_rows_creates_exactly_the_good_ones(worker_client, world):
    post_upload(worker_client, world.edition, xlsx(MIXED))
    record = IdeaImport.objects.get()

    worker_client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "commit"})

    assert sorted(Idea.objects.values_list("title", flat=True)) == ["好的想法一", "好的想法二"]
    assert [c["row"] for c in IdeaImport.objects.get().report["created"]] == [2, 4]


# --- Likely duplicates -------------------------------------------------------------------------

def test_similarity_of_chinese_titles():
    assert title_similarity("为独居老人建立每日问候队", "为独居老人建立每日问候队") == 1
    assert title_similarity("为独居老人建立每日问候队", "为独居老人建立每日问候小队") >= 0.6
    assert title_similarity("修缮3号楼楼道", "修缮5号楼楼道") < 0.6  # two buildings, two ideas
    assert title_similarity("社区老年食堂", "社区儿童乐园") < 0.3


def test_duplicates_are_flagged_and_skipped_by_default(worker_client, worker, world):
    existing = paper_idea(edition=world.edition, community=world.community, worker=worker,
                          title="为独居老人建立每日问候队", proposer_name="王秀兰", proposer_phone="13812345678")
    rows = [
        good_row(**{"标题": "为独居老人建立每日问候小队"}),                                     # 2: like the existing idea
        good_row(**{"标题": "楼道加装扶手", "提案人姓名": "赵磊", "联系电话": "13700000001"}),   # 3
        good_row(**{"标题": "楼道加装扶手。", "提案人姓名": "赵磊", "联系电话": "137-0000-0001"}),  # 4: like row 3
        good_row(**{"标题": "楼道加装扶手", "提案人姓名": "赵磊", "联系电话": "13700000002"}),   # 5: another person
        good_row(**{"标题": "修建社区儿童乐园"}),                                               # 6: same person, new idea
    ]
    post_upload(worker_client, world.edition, xlsx(rows))
    record = IdeaImport.objects.get()

    duplicates = {d["row"]: d for d in record.report["duplicates"]}
    assert set(duplicates) == {2, 4}
    assert duplicates[2]["like_code"] == existing.tracking_code
    assert duplicates[4]["like_row"] == 3
    page = worker_client.get(reverse("ideas:import_review", args=[record.pk])).content.decode()
    assert existing.tracking_code in page and 'name="keep_duplicates"' in page

    worker_client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "commit"})

    imported = Idea.objects.filter(channel=Channel.IMPORT)
    assert sorted(imported.values_list("title", flat=True)) == ["修建社区儿童乐园", "楼道加装扶手", "楼道加装扶手"]
    assert IdeaImport.objects.get().report["skipped"] == [2, 4]


def test_duplicates_can_be_kept(worker_client, worker, world):
    paper_idea(edition=world.edition, community=world.community, worker=worker, title="为独居老人建立每日问候队")
    post_upload(worker_client, world.edition, xlsx([good_row()]))
    record = IdeaImport.objects.get()

    worker_client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "commit", "keep_duplicates": "1"})

    assert Idea.objects.filter(channel=Channel.IMPORT).count() == 1


def test_withdrawn_ideas_are_not_duplicates(worker, world):
    from jindianzi.ideas.services import idea_withdraw

    idea = paper_idea(edition=world.edition, community=world.community, worker=worker)
    idea_withdraw(actor=worker, idea=idea)
    assert upload(worker, world, [good_row()]).report["duplicates"] == []


# --- Who may see and decide --------------------------------------------------------------------

@pytest.mark.parametrize("role, area", [
    ("resident", None), (Role.STREET_OFFICER, "street"), (Role.DISTRICT_ORGANISER, "district"),
])
def test_non_workers_get_403_on_every_import_page(login_as, worker, world, role, area):
    record = upload(worker, world, [good_row()])
    client = login_as(role, area=getattr(world, area)) if area else login_as(role)

    for url in (reverse("ideas:import"), reverse("ideas:import_template"),
                reverse("ideas:import_review", args=[record.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("ideas:import"), {"edition": world.edition.slug,
                                                 "file": upload_file(xlsx([good_row()]))}).status_code == 403
    assert client.post(reverse("ideas:import_review", args=[record.pk]), {"action": "commit"}).status_code == 403
    assert Idea.objects.count() == 0 and IdeaImport.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(anon_client, worker, world):
    record = upload(worker, world, [good_row()])
    for url in (reverse("ideas:import"), reverse("ideas:import_template"),
                reverse("ideas:import_review", args=[record.pk])):
        response = anon_client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_import_is_seen_by_its_uploader_and_colleagues_only(login_as, worker, world):
    record = upload(worker, world, [good_row()])
    url = reverse("ideas:import_review", args=[record.pk])

    colleague = login_as(Role.COMMUNITY_WORKER, area=world.community)
    page = colleague.get(url)
    assert page.status_code == 200 and 'value="commit"' not in page.content.decode()
    assert colleague.post(url, {"action": "commit"}).status_code == 403

    elsewhere = login_as(Role.COMMUNITY_WORKER, area=world.other_community)
    assert elsewhere.get(url).status_code == 404
    assert elsewhere.post(url, {"action": "commit"}).status_code == 404
    assert Idea.objects.count() == 0


# --- Committing --------------------------------------------------------------------------------

def test_committing_twice_creates_nothing_the_second_time(worker_client, worker, world):
    post_upload(worker_client, world.edition, xlsx(MIXED))
    record = IdeaImport.objects.get()
    url = reverse("ideas:import_review", args=[record.pk])

    worker_client.post(url, {"action": "commit"})
    response = worker_client.post(url, {"action": "commit"}, follow=True)

    assert Idea.objects.count() == 2
    assert response.status_code == 200 and "msg-error" in response.content.decode()
    with pytest.raises(ValidationError):
        idea_import_commit(actor=worker, record=record)
    with pytest.raises(ValidationError):
        idea_import_discard(actor=worker, record=record)
    assert Idea.objects.count() == 2


def test_commit_looks_again_and_stops_if_something_changed(worker, world):
    record = upload(worker, world, [good_row()])
    assert record.report["duplicates"] == []
    # Meanwhile a colleague types the same paper form in by hand.
    paper_idea(edition=world.edition, community=world.community, worker=worker)

    with pytest.raises(ImportOutdated):
        idea_import_commit(actor=worker, record=record)

    record.refresh_from_db()
    assert record.status == ImportStatus.PENDING and [d["row"] for d in record.report["duplicates"]] == [2]
    assert Idea.objects.filter(channel=Channel.IMPORT).count() == 0


def test_residents_details_are_stored_encrypted_and_dropped_after_the_decision(worker, world):
    record = upload(worker, world, [good_row()])
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows_sealed FROM ideas_ideaimport WHERE id = %s", [record.pk])
        stored = cursor.fetchone()[0]
    assert stored and "13812345678" not in stored and "王秀兰" not in stored
    assert "13812345678" not in str(record.report)

    idea_import_commit(actor=worker, record=record)
    record.refresh_from_db()
    assert record.rows_sealed == ""


# --- Files that cannot be read -----------------------------------------------------------------

@pytest.mark.parametrize("name, content", [
    ("ideas.csv", "社区,标题\n老爷庙社区,想法\n".encode()),
    ("ideas.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
    ("ideas.xlsx", b"PK\x03\x04 not really a zip"),
])
def test_a_file_that_is_not_a_workbook_gets_a_clear_message(worker_client, world, name, content):
    with translation.override("en"):
        response = post_upload(worker_client, world.edition, content, name=name)

    assert response.status_code == 200
    assert f"{name} is not an Excel workbook (.xlsx)" in response.content.decode()
    assert IdeaImport.objects.count() == 0 and Idea.objects.count() == 0


def test_file_level_problems_change_nothing(worker, world, settings):
    def refused(content, text):
        with translation.override("en"), pytest.raises(ImportRefused) as caught:
            idea_import_upload(actor=worker, edition=world.edition, upload=upload_file(content))
        assert text in " ".join(caught.value.messages)

    refused(xlsx([good_row()], headers=[h for h in HEADERS if h not in ("标题", "建议方案")]),
            "These columns are missing: 标题、建议方案")
    refused(xlsx([]), "There are no ideas under the header row")
    refused(xlsx([good_row()], headers=["序号", "备注"]), "No header row found")
    refused(xlsx([good_row()], headers=[*HEADERS, "标题"]), "The column 标题 appears twice")
    settings.JINDIANZI_IMPORT_MAX_ROWS = 2
    refused(xlsx([good_row(), good_row(), good_row()]), "more than 2 ideas")
    settings.JINDIANZI_IMPORT_MAX_BYTES = 1000
    refused(xlsx([good_row()]), "The file is too large")
    assert IdeaImport.objects.count() == 0


def test_a_title_row_above_the_headers_and_blank_rows_are_fine(worker, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2018年老爷庙社区金点子汇总表"])
    sheet.append(HEADERS)
    sheet.append([good_row().get(h, "") for h in HEADERS])
    sheet.append([])
    sheet.append([good_row(**{"标题": "另一个想法", "预估预算（元）": "abc"}).get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    record = idea_import_upload(actor=worker, edition=world.edition, upload=upload_file(buffer.getvalue()))

    assert record.report["valid"] == [3] and record.report["invalid"] == [5]


# --- The command -------------------------------------------------------------------------------

@pytest.fixture
def worker_login(worker):
    return worker.email or worker.phone


@pytest.fixture
def jindianzi(monkeypatch):
    """The console command as an operator runs it, returning its exit status."""
    from django.db import connections

    # Django closes every connection after a command run from the command line,
    # which would close the test's transaction on PostgreSQL.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    return cli.main


def write(tmp_path, rows) -> str:
    path = tmp_path / "paper.xlsx"
    path.write_bytes(xlsx(rows))
    return str(path)


def test_command_exits_1_and_imports_nothing_on_a_bad_file(tmp_path, world, worker_login, jindianzi):
    path = write(tmp_path, MIXED)

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_ideas", "ideas", path, edition=world.edition.slug, by=worker_login)
    assert jindianzi(["import", "ideas", path, "--edition", world.edition.slug, "--by", worker_login]) == 1

    assert Idea.objects.count() == 0
    assert set(IdeaImport.objects.values_list("status", flat=True)) == {ImportStatus.DISCARDED}


def test_command_prints_each_bad_row(tmp_path, world, worker_login):
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_ideas", "ideas", write(tmp_path, MIXED), edition=world.edition.slug,
                     by=worker_login, stdout=out)
    assert "Row 3, 预估预算（元）: Not an amount" in out.getvalue()


def test_command_imports_the_valid_rows_when_asked(tmp_path, world, worker, worker_login):
    out = io.StringIO()
    call_command("import_ideas", "ideas", write(tmp_path, MIXED), "--valid-rows", edition=world.edition.slug,
                 by=worker_login, stdout=out)

    ideas = Idea.objects.all()
    assert sorted(i.title for i in ideas) == ["好的想法一", "好的想法二"]
    assert all(i.channel == Channel.IMPORT and i.entered_by == worker for i in ideas)
    assert all(i.tracking_code in out.getvalue() for i in ideas)


def test_command_imports_a_good_file_and_skips_duplicates_unless_kept(tmp_path, world, worker, worker_login,
                                                                      jindianzi):
    paper_idea(edition=world.edition, community=world.community, worker=worker)
    path = write(tmp_path, [good_row(), good_row(**{"标题": "全新的想法"})])

    assert jindianzi(["import", "ideas", path, "--edition", world.edition.slug, "--by", worker_login]) == 0
    assert list(Idea.objects.filter(channel=Channel.IMPORT).values_list("title", flat=True)) == ["全新的想法"]

    assert jindianzi(["import", "ideas", path, "--edition", world.edition.slug, "--by", worker_login,
                      "--keep-duplicates"]) == 0
    assert Idea.objects.filter(channel=Channel.IMPORT).count() == 3


def test_command_refuses_unknown_edition_or_login(tmp_path, world, worker_login):
    path = write(tmp_path, [good_row()])
    with pytest.raises(CommandError, match="No edition"):
        call_command("import_ideas", "ideas", path, edition="nope", by=worker_login)
    with pytest.raises(CommandError, match="No account"):
        call_command("import_ideas", "ideas", path, edition=world.edition.slug, by="nobody@example.org")
    assert Idea.objects.count() == 0
