"""Names and phone numbers for the demo's residents, drawn from a seeded random generator.

Surnames are weighted roughly as they occur in northern China; about one
name in twelve is Mongolian, as befits Chifeng. Given names mix the styles
of older residents (桂兰, 建国) with those of younger ones (欣怡, 浩然).
"""

import random

# (surname, weight): the common surnames of northern China, most frequent first.
SURNAMES = [
    ("王", 90), ("李", 88), ("张", 85), ("刘", 70), ("陈", 40), ("杨", 40), ("赵", 38), ("孙", 30),
    ("高", 26), ("马", 26), ("于", 22), ("徐", 20), ("周", 20), ("吴", 18), ("朱", 16), ("郭", 16),
    ("何", 10), ("林", 8), ("郑", 10), ("梁", 10), ("宋", 12), ("韩", 14), ("冯", 10), ("董", 12),
    ("田", 10), ("曹", 10), ("姜", 10), ("崔", 10), ("白", 12), ("邢", 6), ("孟", 8), ("吕", 8),
    ("贾", 8), ("付", 8), ("卢", 6), ("齐", 6), ("史", 6), ("蔡", 4), ("程", 6), ("魏", 8),
    ("闫", 8), ("侯", 6), ("邵", 4), ("薛", 6), ("庞", 4), ("谷", 4), ("隋", 3), ("常", 6),
    ("鲍", 4), ("包", 8), ("那", 3), ("关", 5), ("佟", 3), ("尹", 4), ("牛", 4), ("秦", 4),
]

GIVEN_OLDER = [
    "桂兰", "秀英", "淑珍", "玉兰", "凤霞", "秀兰", "桂芝", "淑芬", "玉珍", "凤琴", "秀珍", "桂荣",
    "建国", "建军", "志刚", "国强", "德福", "振华", "永祥", "长林", "宝山", "文华", "树森", "广才",
    "丽华", "春燕", "金凤", "海英", "素芳", "秀云", "福山", "玉山", "俊英", "国庆", "立新", "卫东",
]
GIVEN_YOUNGER = [
    "婷", "静", "磊", "鹏", "佳", "雪", "敏", "超", "晶", "亮", "娜", "强",
    "晓燕", "海涛", "雪梅", "丽娟", "红梅", "晓东", "志强", "海燕", "春雨", "宏伟", "文静", "晓丽",
    "欣怡", "浩然", "子涵", "雨桐", "思远", "梓轩", "一鸣", "嘉怡", "宇航", "佳琪", "慧敏", "俊杰",
]
MONGOLIAN_NAMES = [
    "乌云", "其其格", "巴特尔", "额尔敦", "萨仁", "苏日娜", "斯琴", "宝音", "朝鲁", "阿拉坦",
    "乌兰", "图雅", "格日勒", "那日苏", "呼和", "敖登", "萨其拉", "哈斯", "娜仁", "特木尔",
]

_SURNAME_WEIGHTS = [w for _s, w in SURNAMES]
_SURNAME_NAMES = [s for s, _w in SURNAMES]
# Prefixes of mainland mobile numbers in use around 2017.
_MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                    "155", "156", "157", "158", "159", "176", "177", "180", "182", "185", "186", "187",
                    "188", "189"]


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(MONGOLIAN_NAMES)
    surname = rng.choices(_SURNAME_NAMES, weights=_SURNAME_WEIGHTS)[0]
    return surname + rng.choice(GIVEN_OLDER if rng.random() < 0.55 else GIVEN_YOUNGER)


def mobile_number(rng: random.Random) -> str:
    """A plausible mainland mobile number, as a paper form carries it."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
