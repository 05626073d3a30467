"""Sentences that are not about a topic: how residents and organisations open and close a proposal.

Openers depend on the kind of neighbourhood (see ``demo.neighbourhoods``), so a
proposal from a bungalow lane of the old town does not sound like one from a
new estate. Placeholders are those of ``corpus.topic``.
"""

from ..neighbourhoods import NEW, OLD, RESETTLED, TOWN

OPENERS = {
    OLD: (
        "{c}是上世纪八九十年代建成的老旧小区，没有物业管理，",
        "我们{c}老楼多、平房多，住的大多是原来厂矿企业的退休职工，",
        "{c}地处老城区，人口密集，",
        "我家住在{c}，小区建成快三十年了，",
    ),
    NEW: (
        "{c}是近几年新建的小区，住户大多是年轻上班族和从旗县来照看孙辈的老人，",
        "我们小区入住时间不长，邻里之间互相不太认识，",
        "{c}楼新、人多，配套却没跟上，",
    ),
    RESETTLED: (
        "{c}是棚户区改造后的回迁小区，居民来自好几个片区，",
        "我们{c}大部分是回迁户，收入不高，老人多，",
    ),
    TOWN: (
        "{c}在城乡结合部，不少居民是从周边旗县进城务工的，",
        "我们{c}离城区远，公交车少，",
        "{c}原来是村，撤村建居没几年，",
    ),
}
# Openers any resident might use, whatever the neighbourhood.
COMMON_OPENERS = (
    "我在{c}住了{n:10-40}年，",
    "作为{c}的一名居民，我注意到",
    "{c}有居民{n:1200-4000}多户，",
    "我是{c}的一名楼长，",
    "我是一名退休党员，住在{c}，",
    "",
)
ORGANIZATION_OPENERS = (
    "我们{org}在{c}开展服务已经{n:2-6}年，发现",
    "{org}的会员大多是{c}的居民，大家反映",
    "我们{org}在走访中了解到，",
)

# How the work would be done, by whoever proposes it.
RESIDENT_HOW = (
    "活动场地可以用社区的{room}，由社区牵头，{partner}负责具体组织。",
    "我本人愿意牵头组织，{partner}也答应一起帮忙。",
    "建议由{partner}具体承办，社区提供场地和宣传。",
    "希望社区能帮忙联系{partner}，我们居民愿意出力。",
    "场地就用{room}，我和几位邻居可以轮流值守。",
)
ORGANIZATION_HOW = (
    "项目由{org}负责实施，现有骨干会员{n:8-30}人，场地使用社区{room}。",
    "{org}将组建项目小组具体执行，并邀请{partner}共同参与。",
    "我们有开展类似活动的经验，愿意承接这个项目，定期向社区和居民公开进展和账目。",
)
ROOMS = ("活动室", "党群服务中心", "日间照料中心", "会议室", "文化广场", "多功能厅")
PARTNERS = ("社区志愿者", "楼长们", "辖区的社会组织", "退休党员", "社区老年协会", "热心居民", "驻区单位")

BUDGET_LINES = (
    "预计需要经费{budget}元，主要用于{spending}。",
    "大约需要{budget}元，用在{spending}上。",
    "经费预算{budget}元，包括{spending}。",
)
CLOSINGS = (
    "希望大赛能够支持。",
    "我愿意当志愿者，出一份力。",
    "希望这个金点子能早日落地。",
    "恳请社区和街道考虑。",
    "",
    "",
)
