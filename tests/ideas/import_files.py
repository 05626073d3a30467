"""A small pending spreadsheet import, built through the import service."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jindianzi.ideas.importing import COLUMNS, communities_for_import, idea_import_upload


def pending_import(*, edition, worker):
    community = communities_for_import(worker, edition)[0]
    values = {"community": community.name, "category": edition.categories.first().name_zh, "title": "楼道加装扶手",
              "problem": "老楼没有扶手，老人上下楼困难。", "proposal": "每个单元加装不锈钢扶手。",
              "beneficiaries": "本楼老人约30人", "estimated_budget": 8000, "proposer_name": "王秀兰",
              "proposer_phone": "13812345678", "consent": "是"}
    workbook = Workbook()
    workbook.active.append([c.header for c in COLUMNS])
    workbook.active.append([values.get(c.key, "") for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return idea_import_upload(actor=worker, edition=edition,
                              upload=SimpleUploadedFile("paper.xlsx", buffer.getvalue()))
