"""The template's columns, the words a cell may use for yes, no and the kind of proposer, and the example row."""

import unicodedata
from dataclasses import dataclass

from ..models import ProposerKind


@dataclass(frozen=True)
class Column:
    key: str  # the IdeaDraft / idea_record_on_paper argument the column fills
    header: str  # as the template writes it: Chinese, like the paper form
    aliases: tuple[str, ...]  # also accepted, so that a file can be prepared in English
    width: int
    required: bool = True


COLUMNS = (
    Column("community", "社区", ("community",), 16),
    Column("category", "服务类别", ("category", "service category"), 18),
    Column("title", "标题", ("title",), 30),
    Column("problem", "存在的问题", ("problem", "the problem", "问题"), 40),
    Column("proposal", "建议方案", ("proposal", "the proposal", "方案"), 40),
    Column("beneficiaries", "受益人群", ("beneficiaries", "who benefits"), 24),
    Column("estimated_budget", "预估预算（元）", ("estimated budget", "estimated budget (yuan)", "budget",
                                               "预估预算", "预算"), 15),
    Column("proposer_name", "提案人姓名", ("proposer name", "name", "proposer", "姓名", "提案人"), 12),
    Column("proposer_phone", "联系电话", ("phone", "mobile", "mobile number", "proposer phone", "手机号"), 15,
           required=False),
    Column("proposer_kind", "提案人类型", ("proposer type", "proposer kind"), 14, required=False),
    Column("proposer_organization", "提案组织", ("organisation", "organization", "proposing organisation",
                                             "proposing organization"), 24, required=False),
    Column("anonymous", "是否匿名", ("anonymous", "匿名"), 10, required=False),
    Column("consent", "已征得本人同意", ("consent", "consented", "本人同意"), 14),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

YES_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "同意"}
NO_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "不同意"}
# The paper form's words for who proposes; the template offers exactly these.
KIND_WORDS = {
    **{kind.value: kind for kind in ProposerKind},
    "居民": ProposerKind.RESIDENT,
    "社区自组织": ProposerKind.SELF_ORGANIZATION,
    "社区社会组织": ProposerKind.SOCIAL_ORGANIZATION,
    "resident": ProposerKind.RESIDENT,
    "self-organisation": ProposerKind.SELF_ORGANIZATION,
    "self-organization": ProposerKind.SELF_ORGANIZATION,
    "community self-organisation": ProposerKind.SELF_ORGANIZATION,
    "community self-organization": ProposerKind.SELF_ORGANIZATION,
    "social organisation": ProposerKind.SOCIAL_ORGANIZATION,
    "social organization": ProposerKind.SOCIAL_ORGANIZATION,
    "community social organisation": ProposerKind.SOCIAL_ORGANIZATION,
    "community social organization": ProposerKind.SOCIAL_ORGANIZATION,
}

# The template's example row. A row equal to it is an example left in place, not an idea.
EXAMPLE = {
    "title": "（示例）为独居老人建立每日问候队",
    "problem": "社区独居老人多，子女不在身边，出现意外无人知晓。",
    "proposal": "组织低龄老人和志愿者结对，每天上门或电话问候一次，发现情况及时联系社区。",
    "beneficiaries": "社区60岁以上独居老人约80人",
    "estimated_budget": 12000,
    "proposer_name": "王秀兰",
    "proposer_phone": "13800138000",
    "proposer_kind": "居民",
    "proposer_organization": "",
    "anonymous": "否",
    "consent": "是",
}


def fold(text: str) -> str:
    """Fold what people vary (width, case, spaces, separators) so names and headers compare equal."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_*·・/|-—")


HEADER_KEYS = {fold(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)}


class CellError(Exception):
    """A cell that cannot be read as what its column needs; the message is for the worker."""
