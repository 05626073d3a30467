"""The demo's organisations: the organisers and funders, street offices, hubs, and
the community social organisations and resident self-organisations of the communities.

The organisers, funders and the six registered organisations are the ones the
seed article names. The rest are generated from the kinds of groups Chinese
communities have (老年协会, 四点半课堂, 巡逻队 ...), each with the service
category it works in, so that later stages can match projects to them.
"""

import random
from dataclasses import dataclass, field

from jindianzi.organizations.models import Organization, OrganizationKind, RegistrationStatus
from jindianzi.organizations.services import organization_create

from .places import DemoDistrict

BUREAU = "红山区民政局"
FOUNDATION = "赤峰市弘善社区发展基金会"
FINANCE = "红山区财政局"
SUPPORT_CENTRE = "赤峰弘益社会组织服务中心"

# The six organisations the article says the competition incubated into civil-affairs registration:
# (name, home area, service category, description).
REGISTERED_EXAMPLES = [
    ("企业社会责任行动联盟", "红山区", "comprehensive",
     "驻区企业自愿结成的公益联盟，动员企业资金、场地和志愿者支持社区公益项目。"),
    ("昭乌达社区老年协会", "昭乌达社区", "elderly",
     "由社区退休居民组成，开展助老互助、文体活动和高龄老人探访。"),
    ("创艺手工体验交流中心", "花园社区", "special_groups",
     "以手工技能培训帮助妇女、残疾人和就业困难居民增收创业。"),
    ("晓菲志愿服务站", "老爷庙社区", "comprehensive",
     "扎根社区的志愿服务站，组织邻里互助、助老助残和环境整治志愿服务。"),
    ("红枫叶心智障碍家庭互助中心", "永巨社区", "disabled",
     "由心智障碍者家长发起，提供康复训练、家长喘息服务和融合活动。"),
    ("致慧青少年家庭教育服务中心", "红山郡社区", "youth",
     "面向社区家庭开展亲子教育、家长课堂和青少年成长辅导。"),
]

# Hub organisations that host and implement projects with the street offices: (name, home area, registration).
HUBS = [
    ("红山区社会组织联合会", "红山区", RegistrationStatus.REGISTERED),
    ("红山区志愿服务联合会", "红山区", RegistrationStatus.REGISTERED),
    ("西屯街道社区社会组织联合会", "西屯街道", RegistrationStatus.FILED),
    ("西城街道社区社会组织联合会", "西城街道", RegistrationStatus.FILED),
    ("站前街道社区社会组织服务中心", "站前街道", RegistrationStatus.FILED),
    ("永巨街道社区社会组织联合会", "永巨街道", RegistrationStatus.FILED),
]

# Professional social work organisations already registered before the competition: (name, category).
PROFESSIONALS = [
    ("红山区益众社会工作服务中心", "comprehensive"),
    ("红山区乐龄居家养老服务中心", "elderly"),
    ("赤峰市启明青少年社会工作服务中心", "youth"),
    ("红山区同心残疾人康复服务中心", "disabled"),
]

# Kinds of community social organisation: (name ending, category, what it does).
COMMUNITY_ORG_TYPES = [
    ("老年协会", "elderly", "组织老年居民开展互助、文体和学习活动"),
    ("银龄互助社", "elderly", "低龄老人结对帮扶高龄、独居老人"),
    ("助老志愿服务队", "elderly", "为空巢、独居老人提供探访、代购和陪诊服务"),
    ("长者关爱服务社", "elderly", "开展老年人健康讲座、理发和助餐服务"),
    ("老年书画协会", "elderly", "组织书画爱好者交流创作，举办社区书画展"),
    ("居家养老互助会", "elderly", "组织邻里为居家老人提供日常照料"),
    ("四点半课堂", "youth", "放学后为双职工家庭孩子提供课业辅导和看护"),
    ("青少年成长服务社", "youth", "开展青少年兴趣小组、心理疏导和社会实践"),
    ("亲子阅读会", "youth", "组织家长和孩子共读，运营社区图书角"),
    ("少儿书法社", "youth", "由退休教师义务教孩子写毛笔字"),
    ("家长互助会", "youth", "家长轮流组织假期托管和户外活动"),
    ("青少年足球俱乐部", "youth", "组织社区孩子开展公益足球训练和比赛"),
    ("小小志愿者服务队", "youth", "带领中小学生参与社区志愿服务"),
    ("助残志愿服务队", "disabled", "为残疾人提供上门探访、康复陪伴和出行帮助"),
    ("阳光康复互助会", "disabled", "残疾人及家属互助开展康复训练和交流"),
    ("残疾人手工坊", "disabled", "组织残疾人学习手工制作，增加收入"),
    ("助残爱心社", "disabled", "链接资源帮助困难残疾人家庭"),
    ("巾帼志愿服务队", "special_groups", "组织妇女开展家庭关爱和邻里服务"),
    ("妇女互助会", "special_groups", "为妇女提供技能培训、心理支持和维权咨询"),
    ("退役军人服务队", "special_groups", "联系和服务社区退役军人及其家属"),
    ("新市民互助会", "special_groups", "帮助进城务工人员和随迁家庭融入社区"),
    ("单亲家庭互助会", "special_groups", "为单亲家庭提供子女托管和互助支持"),
    ("就业互助社", "special_groups", "为失业和就业困难居民提供技能培训和岗位信息"),
    ("志愿者协会", "comprehensive", "统筹社区志愿者，开展各类志愿服务"),
    ("邻里互助会", "comprehensive", "组织邻里守望、互帮互助"),
    ("环保志愿服务队", "comprehensive", "开展垃圾分类宣传和环境整治"),
    ("文体协会", "comprehensive", "组织居民开展文艺演出和体育健身活动"),
    ("平安志愿巡逻队", "comprehensive", "开展治安巡逻和防火防盗宣传"),
    ("居民调解协会", "comprehensive", "调解邻里纠纷，促进社区和谐"),
    ("楼院长联合会", "comprehensive", "组织楼长、院长参与楼院自治"),
    ("睦邻服务社", "comprehensive", "组织邻里节、百家宴等睦邻活动"),
    ("民族团结促进会", "comprehensive", "开展蒙汉双语宣传和民族团结联谊活动"),
]

# Brands some organisations take instead of their community's name.
BRANDS = [
    "暖阳", "同心", "爱心", "和美", "阳光", "春晖", "夕阳红", "银杏", "向日葵", "百合",
    "启航", "萤火虫", "彩虹", "善行", "温馨", "益家", "乐邻", "连心", "红柳", "沙棘",
]

# Resident self-organisations: groups residents run for themselves, without filing.
SELF_ORG_TYPES = [
    ("夕阳红舞蹈队", "elderly"), ("老年合唱团", "elderly"), ("秧歌队", "elderly"), ("太极拳队", "elderly"),
    ("京剧票友会", "elderly"), ("健步走队", "comprehensive"), ("义务巡逻队", "comprehensive"),
    ("象棋队", "comprehensive"), ("摄影小组", "comprehensive"), ("养花交流小组", "comprehensive"),
    ("编织小组", "special_groups"), ("宝妈互助群", "youth"), ("葫芦丝乐队", "comprehensive"),
    ("助残陪伴小组", "disabled"),
]

COMMUNITY_ORGS_PER_COMMUNITY = (2, 2, 2, 3)  # drawn per community: about 150 in all
SELF_ORGS = 40


@dataclass
class DemoOrganizations:
    bureau: Organization
    foundation: Organization
    finance: Organization
    support_centre: Organization
    street_offices: dict[str, Organization] = field(default_factory=dict)
    hubs: list[Organization] = field(default_factory=list)
    professionals: list[Organization] = field(default_factory=list)
    registered: list[Organization] = field(default_factory=list)
    community_orgs: list[Organization] = field(default_factory=list)
    self_orgs: list[Organization] = field(default_factory=list)
    focus: dict[int, str] = field(default_factory=dict)  # organisation id -> category code it works in

    @property
    def proposing(self) -> list[Organization]:
        """Organisations that propose ideas and may later implement projects."""
        return self.registered + self.community_orgs + self.self_orgs + self.professionals

    def by_name(self, name: str) -> Organization:
        for org in self.all():
            if org.name == name:
                return org
        raise KeyError(name)

    def all(self) -> list[Organization]:
        return [self.bureau, self.foundation, self.finance, self.support_centre,
                *self.street_offices.values(), *self.hubs, *self.proposing]


def _office_name(street) -> str:
    # A town has a people's government where a street has an office (办事处).
    return f"{street.name}人民政府" if street.kind == "town" else f"{street.name}办事处"


def _community_org_name(rng: random.Random, community_name: str, ending: str, taken: set[str]) -> str:
    """Most groups carry their community's name (老爷庙社区老年协会); some take a brand (暖阳助老志愿服务队)."""
    short = community_name.removesuffix("社区")
    brands = rng.sample(BRANDS, len(BRANDS))
    if rng.random() < 0.75:
        candidates = [f"{community_name}{ending}", f"{short}{ending}"]
    else:
        candidates = [f"{brands[0]}{ending}", f"{short}{brands[0]}{ending}"]
    candidates += [f"{short}{brand}{ending}" for brand in brands]
    return next(name for name in candidates if name not in taken)


def organizations_build(*, rng: random.Random, places: DemoDistrict, actor=None) -> DemoOrganizations:
    district = places.district
    create = organization_create

    demo = DemoOrganizations(
        bureau=create(actor=actor, name=BUREAU, kind=OrganizationKind.CIVIL_AFFAIRS_BUREAU, home_area=district,
                      description="大赛主办单位，负责大赛的组织、规则和预算。"),
        foundation=create(actor=actor, name=FOUNDATION, kind=OrganizationKind.COMMUNITY_FOUNDATION,
                          home_area=district, registration=RegistrationStatus.REGISTERED,
                          description="红山区政府发起成立的自治区首家社区发展基金会，大赛主办单位，提供60%的项目资金。"),
        finance=create(actor=actor, name=FINANCE, kind=OrganizationKind.FINANCE_BUREAU, home_area=district,
                       description="提供40%的项目资金。"),
        support_centre=create(actor=actor, name=SUPPORT_CENTRE, kind=OrganizationKind.SUPPORT_CENTRE,
                              home_area=district, registration=RegistrationStatus.REGISTERED,
                              description="为大赛提供技术支持：辅导、培训、实施指导和现场监测。"),
    )
    for name, street in places.streets.items():
        demo.street_offices[name] = create(actor=actor, name=_office_name(street),
                                           kind=OrganizationKind.STREET_OFFICE, home_area=street)

    areas = {places.district.name: places.district, **places.streets, **places.communities}
    for name, home, registration in HUBS:
        demo.hubs.append(create(actor=actor, name=name, kind=OrganizationKind.HUB_ORGANIZATION,
                                home_area=areas[home], registration=registration))
    for name, category in PROFESSIONALS:
        org = create(actor=actor, name=name, kind=OrganizationKind.PROFESSIONAL_SOCIAL_ORGANIZATION,
                     home_area=district, registration=RegistrationStatus.REGISTERED)
        demo.professionals.append(org)
        demo.focus[org.pk] = category
    for name, home, category, description in REGISTERED_EXAMPLES:
        org = create(actor=actor, name=name, kind=OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION,
                     home_area=areas[home], registration=RegistrationStatus.REGISTERED, incubated=True,
                     description=description)
        demo.registered.append(org)
        demo.focus[org.pk] = category

    taken = {org.name for org in demo.all()}
    for community_name, community in places.communities.items():
        types = rng.sample(COMMUNITY_ORG_TYPES, rng.choice(COMMUNITY_ORGS_PER_COMMUNITY))
        for ending, category, does in types:
            name = _community_org_name(rng, community_name, ending, taken)
            taken.add(name)
            # Most are filed with the community (备案); a few have not got round to it yet.
            registration = RegistrationStatus.FILED if rng.random() < 0.88 else RegistrationStatus.NONE
            org = create(actor=actor, name=name, kind=OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION,
                         home_area=community, registration=registration,
                         description=f"{community_name}居民发起成立，{does}。")
            demo.community_orgs.append(org)
            demo.focus[org.pk] = category

    communities = list(places.communities.items())
    while len(demo.self_orgs) < SELF_ORGS:
        community_name, community = rng.choice(communities)
        ending, category = rng.choice(SELF_ORG_TYPES)
        name = f"{community_name}{ending}"
        if name in taken:
            continue
        taken.add(name)
        org = create(actor=actor, name=name, kind=OrganizationKind.RESIDENT_SELF_ORGANIZATION,
                     home_area=community, description=f"{community_name}居民自发组织的{ending}。")
        demo.self_orgs.append(org)
        demo.focus[org.pk] = category
    return demo
