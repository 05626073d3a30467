"""What staff write while screening ideas (调研优选): research notes, reasons and requests for improvement,
and the sentences proposers add when they improve an idea (完善提升).

Reasons and requests are read by the proposer, so they are plain words, not
office language. Placeholders are those of ``corpus.topic`` plus ``{date}``
(a day of the optimisation phase), ``{room}`` and ``{partner}``.
"""

# Topics about building or repairing things (keyed by their first action, see ``demo.topics.topic_key``).
# The competition funds services that residents take part in, so these are rarely shortlisted and
# are usually passed on to the property manager or the renovation of old estates instead.
FACILITY_TOPICS = frozenset({
    "规范小区停车秩序",
    "维修小区健身器材",
    "清理楼道杂物和小广告",
    "给老楼楼道安装扶手",
    "在社区主要出入口修建无障碍坡道",
})

# --- Research notes (调研记录): internal to staff ----------------------------------------------------

NOTE_VISITS = (
    "{date}，入户走访了提案人，",
    "{date}，电话联系了提案人，",
    "{date}，到{c}现场查看，",
    "{date}，召集楼长和居民代表座谈，",
    "{date}，在社区{room}召开了小范围议事会，",
    "{date}，和网格员一起走访了周边住户，",
)
NOTE_FOR = (
    "居民反映的情况属实，楼长和邻居都能证实。",
    "初步摸底，有同样需求的居民约{n:20-80}户。",
    "社区{room}周二、周四上午空闲，可以作为活动场地。",
    "提案人表示愿意牵头，并推荐了{n:3-8}名热心居民一起参与。",
    "{partner}表示愿意配合，可以出人出力。",
    "预算大体合理，其中部分物品社区已有，还可以再压缩。",
    "居民参与意愿强，议事会上大家都表示支持。",
    "方案与社区今年的服务重点一致，便于社区社会组织承接。",
)
NOTE_AGAINST = (
    "与物业沟通，物业表示这属于其维修责任范围，已答应尽快处理。",
    "街道已有同类服务在开展，只是居民知道的不多。",
    "需求主要集中在个别家庭，受益面较窄。",
    "预算中设备采购占比较大，后续维护没有人负责。",
    "提案人电话未能接通，留言后暂无回复。",
    "现场查看发现涉及公共设施改造，需要专业施工和审批。",
    "同一件事本社区还有其他居民提过，内容大同小异。",
)
NOTE_RECOMMEND = ("建议入选。", "建议请提案人补充完善后入选。", "建议和相近的金点子一并考虑。", "")
NOTE_DISCOURAGE = ("建议暂不入选。", "建议转物业或相关部门办理。", "建议向提案人说明情况。", "")

# --- Decisions -----------------------------------------------------------------------------------------

SHORTLIST_REASONS = (
    "需求真实、受益面广，方案具体可行，预算合理，入选优化。",
    "经入户调研，居民需求迫切，提案人愿意参与实施，入选。",
    "与社区服务重点一致，已有可用场地和志愿者，入选。",
    "方案切实可行，便于社区社会组织承接，入选。",
    "居民反映集中，社区和楼长都支持，入选。",
)
IMPROVED_SHORTLIST_REASONS = (
    "完善后受益人群、时间地点和预算都已明确，入选。",
    "已按调研意见补充完善，方案具体可行，入选。",
    "补充后的方案更可行，预算也更合理，入选。",
)

# Why an idea is not taken forward, by kind. Each street declines the ideas that share a reason at once.
DECLINE_REASONS = {
    "property": "经调研，这件事属于小区物业的管理和维修责任，建议由物业解决；社区已把您的意见转给物业，"
                "并会跟进办理情况。",
    "renovation": "经调研，这属于设施改造，不在本届大赛的资助范围内。社区已将需求报送街道，"
                  "争取纳入老旧小区改造计划统一解决。",
    "budget": "经调研，这个金点子的预算过高，超出了同类社区服务项目的合理水平，本届未能入选。"
              "建议缩小范围，从一栋楼或一个小区先做起，欢迎下一届再提。",
    "duplicate": "街道已选入内容相近的金点子，您的建议将在整合项目时一并参考，不再单独立项。感谢您的关心！",
    "existing": "经调研，辖区内已有同类服务在开展，建议直接参加现有服务，社区工作者会把具体时间和地点告诉您。",
    "scope": "经调研，这个金点子不属于本届大赛的资助范围：本届支持居民能参与的社区公益服务，"
             "不资助个人或个别家庭的需求。",
    "details": "经调研，方案还不够具体，暂时说不清由谁来做、在哪里做、怎么做，本届未能入选。"
               "欢迎补充完善后参加下一届。",
    "no_reply": "社区多次联系提案人补充完善，到优选结束还没有收到补充的内容，本届未能入选。",
    "places": "本届入选名额有限，经街道综合比选，这个金点子暂未入选。欢迎继续关注大赛，参加下一届征集。",
    "resources": "经调研，这件事靠社区现有的力量就可以解决，不需要单独立项，社区会直接安排落实。",
}
# How often each general reason is given when nothing about the idea points to a particular one.
GENERAL_DECLINES = {"places": 50, "existing": 18, "resources": 12, "scope": 8, "details": 12}

# --- Improvement (完善提升) ------------------------------------------------------------------------

# What staff ask for, by what the revision will change.
IMPROVEMENT_REQUESTS = {
    "numbers": "请补充具体的受益人数：涉及多少户、多少人，最好按楼栋统计一下。",
    "place_time": "请写清楚活动在哪里办、多长时间办一次、什么时间办，社区好帮您协调场地。",
    "budget": "预算请按用途分项列一列，并看看哪些东西社区已经有了，能不能压缩一些。",
    "who": "请说明由谁来具体组织实施，有没有愿意一起出力的邻居、志愿者或社会组织。",
}
SECOND_REQUEST = "补充的内容看过了，谢谢！预算还请再细化一下，写明主要几项各需要多少钱。"

# What the proposer writes in answer, and how "what changed" says it.
PLACE_TIME = (
    "活动安排在每周{weekday}{daypart}，地点在社区{room}。",
    "每月第{ordinal}个周六{daypart}集中开展一次，平时由志愿者分片负责，地点在社区{room}。",
    "计划从8月开始，到11月底结束，每周{weekday}开展活动，地点定在社区{room}。",
)
WEEKDAYS = ("二", "三", "四", "一和周四", "二和周五", "三和周六")
DAYPARTS = ("上午9点到11点", "下午3点到5点", "晚饭后7点到8点半", "上午8点半到10点半")
ORDINALS = ("一", "二", "三")
WHO = (
    "由{partner}具体组织，社区工作者负责联络和记录。",
    "已有{n:5-15}位居民报名当志愿者，由我担任联络人。",
    "由社区社会组织负责实施，楼长们负责通知和组织居民参加。",
)
BUDGET_CUTS = (
    "社区已有桌椅和音响，不再重复购买，",
    "部分物品改为向驻区单位借用，",
    "按实际人数重新测算后，",
)
NOTE_PARTS = {
    "numbers": "补充了受益人数",
    "place_time": "写明了活动时间和地点",
    "who": "说明了由谁组织实施",
}
