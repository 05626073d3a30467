"""What street review panels write (立项评审): reviewers' comments, the chair's reasons and conditions.

Texts are keyed by the rubric's criterion codes (``reviews.services.DEFAULT_CRITERIA``):
a project is rejected, or approved on conditions, for what it scored lowest on,
and a reviewer comments on what struck them most. Placeholders: ``{score}`` (the
project's final score), ``{rank}``, ``{cost}`` (its budget in yuan), ``{title}``
(another project's title), ``{mean}`` (a criterion's mean points out of 10), ``{area}``
(街道 or 镇, the kind of area holding the review).
"""

# Why a project below the street's budget line was not approved, by the criterion it scored lowest on.
REJECTIONS = {
    "need": (
        "需求不够迫切：社区已有同类服务覆盖，方案对服务对象的人数和需求调研不够充分。",
        "评审组认为项目所针对的问题在社区里不算突出，建议先做入户调研，摸清需求后再申报。",
    ),
    "feasibility": (
        "实施条件尚不具备：活动场地还没有落实，承接组织的人手难以保证按计划开展活动。",
        "可行性不足：活动安排过密，承接组织目前的骨干和志愿者数量支撑不了这么多场次。",
    ),
    "budget": (
        "预算与活动不匹配：物资采购和劳务支出偏高，活动场次和服务人数撑不起这笔预算。",
        "预算编制不够合理：部分支出没有明细和单价依据，评审组无法判断每一笔钱是否必要。",
    ),
    "sustainability": (
        "可持续性不足：项目结束后没有留下能继续运转的队伍或制度，资金用完服务就会停止。",
        "可持续性不足：方案以一次性的集中活动为主，缺少长期坚持下去的安排。",
    ),
    "participation": (
        "居民参与不足：方案以发放物资、请人授课为主，居民只是服务对象，没有参与组织和管理。",
        "居民参与不足：方案里看不到居民志愿者的分工，建议发动居民一起设计和运营后再申报。",
    ),
}
# Opening of the reason when a project ranked below the street's budget line.
BELOW_THE_LINE = (
    "综合评分{score}分，在本{area}排第{rank}名，排在{area}预算线以外。",
    "综合评分{score}分（第{rank}名），{area}本届资金有限，未能安排。",
)
# When an approved project of the street serves the same people in the same community.
DUPLICATE = "与本{area}已立项的“{title}”服务对象相同、内容相近，建议并入该项目实施，不再单独立项。"
ADVICE = ("欢迎完善后参加下一届大赛。", "社区和服务中心可以协助修改方案。", "")

APPROVALS = (
    "综合评分{score}分，在本{area}排第{rank}名，预算{cost}元在{area}资金安排之内，同意立项。",
    "评审组认为项目需求真实、方案可行，综合评分{score}分（第{rank}名），同意立项。",
    "综合评分{score}分，排名第{rank}，预算合理，同意立项。",
)
# Conditions of an approval, by the criterion the project scored lowest on (附条件立项).
CONDITIONS = {
    "need": "需在开展活动前完成服务对象入户摸底，建立服务台账报{area}备案。",
    "feasibility": "需在8月15日前落实活动场地使用协议，并报{area}备案后再开展活动。",
    "budget": "需细化预算明细，物资采购须附三家询价记录，经{area}审核后执行。",
    "sustainability": "需补充项目结束后的持续运营安排，明确由哪支居民队伍接手。",
    "participation": "需补充志愿者招募计划，成立由居民组成的项目监督小组。",
}
CONDITIONAL_APPROVAL = "综合评分{score}分（第{rank}名），同意附条件立项：{criterion}一项评分偏低（平均{mean}分），需按条件整改。"

# A decision against the ranking's advice (the chair must write why).
OVERRIDE_REJECT = ("虽在预算线内，但{criterion}一项平均只有{mean}分，评审组经讨论决定暂不立项，"
                   "腾出的资金用于递补排名靠后的项目。")
OVERRIDE_APPROVE = ("排在预算线以外，但“{title}”未立项后腾出的资金足够安排本项目；本项目{criterion}一项平均{mean}分，"
                    "评审组一致同意递补立项。")
OVERRIDE_APPROVE_REASON = "递补立项：综合评分{score}分（第{rank}名），使用其他项目未立项腾出的资金。"

# A reviewer's comment, by the criterion they scored highest or lowest.
PRAISE = {
    "need": "需求调研扎实，服务对象清楚。",
    "feasibility": "承接组织有经验，活动安排切实可行。",
    "budget": "预算编制细致，每一笔支出都有依据。",
    "sustainability": "项目结束后有居民队伍接手，能够长期坚持。",
    "participation": "居民参与的环节设计得好，不只是被服务。",
}
CONCERN = {
    "need": "建议补充服务对象的人数和需求调研。",
    "feasibility": "场地和人手要提前落实。",
    "budget": "物资采购费用偏高，建议压缩。",
    "sustainability": "项目结束后怎么延续，方案里没有说清楚。",
    "participation": "建议增加居民志愿者的分工。",
}
DECLARED_CONFLICT = "本人曾为该项目的承接组织做过督导，申请回避。"
