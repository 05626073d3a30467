"""What a project's plan says, and what street officers and organisations write to each other when matching (对接).

Placeholders are those of ``corpus.topic`` plus ``{action}`` (what the project
does, from its topic), ``{target}`` (who benefits, from its leading idea),
``{title}`` (the project) and ``{activities}`` (the planned number).
"""

OBJECTIVES = {
    "elderly": (
        "围绕“{action}”，让{target}在家门口得到经常性的关心和帮助；培育一支{n:10-30}人的助老志愿者队伍，"
        "形成项目结束后也能坚持下去的邻里互助机制。",
        "通过{activities}次服务和活动，解决老人们反映最集中的难处，让老人少跑腿、有人管、有人问；"
        "项目结束时老人和家属的满意度达到90%以上。",
        "以“{action}”为切入点，把低龄老人、党员和热心居民组织起来服务高龄、独居老人，"
        "建立服务台账，做到每位服务对象有人联系、有人跟进。",
    ),
    "youth": (
        "围绕“{action}”，为{target}提供安全、有益的课余去处，培养孩子的兴趣和良好习惯，减轻双职工家庭的后顾之忧。",
        "通过{activities}次活动，带动家长和{n:8-25}名志愿者参与，让孩子们在社区里学习、交朋友、参与公益。",
        "以“{action}”为载体，建立家长、学校和社区共同关心孩子成长的机制，项目结束后由家长互助小组继续运营。",
    ),
    "disabled": (
        "围绕“{action}”，为{target}提供就近、专业的帮助，减轻残疾人家庭的照料负担。",
        "通过{activities}次服务，帮助残疾人走出家门、融入社区；培训{n:8-20}名助残志愿者，形成长期结对。",
        "以“{action}”为切入点，链接康复、就业和志愿服务资源，让残疾人及其家属在社区里有依靠、有朋友。",
    ),
    "special_groups": (
        "围绕“{action}”，为{target}提供有针对性的支持，帮助他们解决实际困难、增强融入社区的信心。",
        "通过{activities}次服务和活动，建立服务对象档案和结对帮扶关系，做到有需求及时发现、及时回应。",
        "以“{action}”为载体，整合社工、志愿者和驻区单位的资源，形成长期关爱机制。",
    ),
    "comprehensive": (
        "围绕“{action}”，把居民组织起来共同解决身边的事，让{target}都能参与、都能受益。",
        "通过{activities}次活动，发动{n:20-60}名居民志愿者参与社区治理，形成居民自己商量、自己动手、自己维护的机制。",
        "以“{action}”为切入点，增进邻里交往，提升居民对社区的认同感和参与度，项目结束后由居民自组织继续坚持。",
    ),
}

# How often the project's activities take place; ``{pattern}`` of SCHEDULE.
SCHEDULE = "{starts}至{ends}{pattern}，另组织{extra}次集中活动，共计{activities}次。"

# Budget items every kind of project has, and items particular to a category.
GENERAL_ITEMS = ("宣传海报和横幅印刷", "活动物料", "场地布置", "志愿者交通和误餐补贴", "专业老师课酬",
                 "活动照片和资料整理")
CATEGORY_ITEMS = {
    "elderly": ("慰问品", "老年人健康宣传资料"),
    "youth": ("奖品和证书", "学生安全教育材料"),
    "disabled": ("无障碍接送用车", "康复辅具租用"),
    "special_groups": ("心理咨询师课酬", "慰问品"),
    "comprehensive": ("议事会会议费用", "表彰奖品"),
}
# Insurance is bought per volunteer at a fixed premium for the project's months (in yuan).
INSURANCE, INSURANCE_ITEM = "保险", "志愿者意外保险"
INSURANCE_PREMIUM = "12.50"

OFFER_MESSAGES = (
    "经街道研究，拟请贵组织承接“{title}”项目，请在三个工作日内答复。",
    "贵组织在本社区开展服务多年，群众基础好，想请贵组织承接“{title}”，有问题可以随时和街道联系。",
    "“{title}”由居民金点子整合而成，与贵组织的服务方向一致，诚邀承接实施。",
)
OFFER_ACCEPTANCES = (
    "愿意承接，我们马上组建项目小组，和提案居民一起完善项目计划。",
    "感谢街道信任，我们有开展类似服务的经验，愿意承接。",
    "同意承接，骨干会员和志愿者都已落实。",
)
OFFER_DECLINES = (
    "本组织骨干近期忙于另一个项目，人手不足，暂不承接，建议请其他组织承接。",
    "项目内容与本组织的服务方向不太一致，建议由更专业的组织承接。",
    "活动地点离我们较远，志愿者难以保证按时服务，这次先不承接。",
)
