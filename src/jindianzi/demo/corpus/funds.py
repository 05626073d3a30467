"""What the contracting and the money write (签约、拨付、支出): reasons, notes and expense descriptions.

Placeholders: ``{item}`` (a budget line of the agreement) and ``{month}`` (the
month of the spending, 8 to 11).
"""

# Why the organiser cancelled an agreement still being signed: the implementing organisation withdrew.
CANCEL_REASONS = (
    "承接组织负责人外出务工，组织目前无人牵头，已书面申请退出项目，本协议作废。",
    "承接组织骨干志愿者流失，无法按方案开展活动，经街道协调后主动退出，本协议作废。",
    "承接组织与社区活动场地未能谈妥，项目无法落地，组织书面申请退出，本协议作废。",
)

# The support centre's note when it confirms the mid-term check and the final report.
MIDTERM_NOTES = (
    "中期督导检查：签到表、照片和支出凭证齐全，同意拨付第二笔资金。",
    "中期检查通过：活动按计划推进，居民反馈良好。",
    "中期实地查看：资料基本齐全，提醒及时整理活动照片。",
)
FINAL_NOTES = (
    "结项评估通过：活动和支出资料齐全，按已审核支出结算尾款。",
    "结项报告已审核：项目目标基本达成，尾款按实际审核支出拨付。",
)

# A source's officer sends a request back (退回) before approving it.
DISBURSEMENT_RETURNS = (
    "中期拨付申请缺少活动签到表和现场照片，请补齐后重新申请。",
    "申请附件中的支出明细与已审核支出对不上，请核对后重新提交。",
)
RESUBMITTED_NOTE = "已按退回意见补齐材料，重新申请。"
# The organisation's note on a final settlement for less than the instalment.
SETTLEMENT_NOTE = "按审核通过的实际支出结算尾款，未用完的资金不再申请。"

# What the organisation writes for an expense against a budget line.
EXPENSE_DESCRIPTIONS = (
    "{item}（{month}月）",
    "{item}，见所附发票",
    "支付{item}，{month}月票据",
    "{item}：{month}月实际支出",
)
# Why the support centre returns an expense, and what the organisation writes when reporting it again.
EXPENSE_RETURNS = (
    "发票抬头与实施单位名称不一致，请换开发票后重新报销。",
    "收据缺少收款单位盖章，请补盖后重新提交。",
    "照片看不清票据金额和日期，请重新拍摄上传。",
    "这笔支出没有附采购清单，请补充明细后重新提交。",
)
EXPENSE_AGAIN = "{item}（已按要求补正票据）"
