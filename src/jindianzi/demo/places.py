"""The demo district: 红山区 of 赤峰市 with its streets, towns and communities.

Street and town names follow Hongshan District as the seed article describes
it (西屯街道, 西城街道 ...). Community names are plausible local names; the
three the article names sit where it puts them: 老爷庙社区 in 西屯街道,
红山郡社区 in 西城街道, and 花园社区.

Each community carries a ``setting`` (see ``neighbourhoods``) that the idea
writer uses to make a proposal sound like it comes from that kind of place.
"""

from dataclasses import dataclass, field

from jindianzi.areas.models import Area, AreaKind
from jindianzi.areas.services import area_create

from .neighbourhoods import NEW, OLD, RESETTLED, TOWN

DISTRICT = "红山区"
CITY = "赤峰市"
DISTRICT_CODE = "150402"  # the national administrative division code of 红山区

STREETS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("西屯街道", AreaKind.STREET, [
        ("老爷庙社区", OLD), ("西屯社区", OLD), ("清河社区", RESETTLED), ("兴安社区", OLD),
        ("锦绣社区", NEW), ("富丽社区", NEW),
    ]),
    ("西城街道", AreaKind.STREET, [
        ("红山郡社区", NEW), ("西城社区", OLD), ("和平社区", OLD), ("昭乌达社区", OLD),
        ("颐和社区", NEW), ("翠园社区", NEW),
    ]),
    ("永巨街道", AreaKind.STREET, [
        ("永巨社区", OLD), ("新华社区", OLD), ("光明社区", OLD), ("河畔社区", RESETTLED),
        ("友谊社区", OLD), ("园林社区", NEW),
    ]),
    ("站前街道", AreaKind.STREET, [
        ("站前社区", OLD), ("花园社区", OLD), ("铁东社区", OLD), ("东站社区", RESETTLED),
        ("幸福社区", NEW), ("朝阳社区", OLD),
    ]),
    ("三中街道", AreaKind.STREET, [
        ("三中社区", OLD), ("大众社区", OLD), ("文化社区", OLD), ("民主社区", OLD),
        ("北苑社区", NEW), ("育才社区", OLD),
    ]),
    ("哈达街道", AreaKind.STREET, [
        ("哈达社区", OLD), ("头道街社区", OLD), ("二道街社区", OLD), ("三道街社区", OLD),
        ("南门社区", OLD), ("九龙社区", RESETTLED),
    ]),
    ("长青街道", AreaKind.STREET, [
        ("长青社区", OLD), ("青松社区", OLD), ("绿苑社区", NEW), ("和谐社区", RESETTLED),
        ("康乐社区", NEW), ("松林社区", OLD),
    ]),
    ("铁南街道", AreaKind.STREET, [
        ("铁南社区", OLD), ("新兴社区", RESETTLED), ("金桥社区", NEW), ("惠民社区", RESETTLED),
        ("南苑社区", OLD), ("建设社区", OLD),
    ]),
    ("桥北街道", AreaKind.STREET, [
        ("桥北社区", OLD), ("北城社区", OLD), ("英金社区", NEW), ("滨河社区", NEW),
        ("天元社区", RESETTLED), ("红旗社区", OLD),
    ]),
    ("南新街街道", AreaKind.STREET, [
        ("南新街社区", OLD), ("永安社区", OLD), ("东方社区", OLD), ("安居社区", RESETTLED),
        ("福地社区", NEW), ("西门社区", OLD),
    ]),
    ("红庙子镇", AreaKind.TOWN, [
        ("红庙子社区", TOWN), ("兴隆社区", TOWN), ("新农社区", TOWN), ("王家店社区", TOWN),
    ]),
    ("文钟镇", AreaKind.TOWN, [
        ("文钟社区", TOWN), ("新民社区", TOWN), ("丰收社区", TOWN), ("富民社区", TOWN),
    ]),
]


@dataclass
class DemoDistrict:
    district: Area
    streets: dict[str, Area] = field(default_factory=dict)
    communities: dict[str, Area] = field(default_factory=dict)
    setting: dict[str, str] = field(default_factory=dict)  # community name -> kind of neighbourhood

    def communities_of(self, street: Area) -> list[Area]:
        return [c for c in self.communities.values() if c.parent_id == street.pk]


def district_build(*, actor=None) -> DemoDistrict:
    """Create the district, its streets and towns, and their communities, in a fixed order."""
    district = area_create(actor=actor, name=DISTRICT, kind=AreaKind.DISTRICT, code=DISTRICT_CODE)
    demo = DemoDistrict(district=district)
    for street_name, kind, communities in STREETS:
        street = area_create(actor=actor, name=street_name, kind=kind, parent=district)
        demo.streets[street_name] = street
        for community_name, setting in communities:
            community = area_create(actor=actor, name=community_name, kind=AreaKind.COMMUNITY, parent=street)
            demo.communities[community_name] = community
            demo.setting[community_name] = setting
    return demo
