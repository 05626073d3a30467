"""What a new edition starts with: the five categories of the seed competition."""

DEFAULT_CATEGORIES = [
    ("disabled", "残疾人服务类", "Services for people with disabilities"),
    ("elderly", "老年人服务类", "Services for older people"),
    ("youth", "青少年服务类", "Services for children and young people"),
    ("special_groups", "特定人群服务类", "Services for specific groups"),
    ("comprehensive", "综合人群服务类", "Services for all residents"),
]
