"""One row: each cell read against the edition's names, then the whole row checked by the service itself.

The check records the idea for real inside a savepoint that is always rolled
back (:func:`check_row`), so a row passes exactly when the real import would
accept it.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError, transaction
from django.utils.translation import gettext as _

from jindianzi.core.money import MAX_DIGITS, yuan
from jindianzi.organizations.models import Organization

from ..models import Channel, Idea, ProposerKind
from ..services import IdeaDraft, idea_record_on_paper
from .columns import COLUMNS, KIND_WORDS, NO_WORDS, YES_WORDS, CellError, fold
from .communities import CommunityIndex
from .workbook import Sheet


@dataclass
class Lookups:
    """What rows are read against: the edition, the worker, and the names a file may use."""

    edition: object
    actor: object
    communities: CommunityIndex | None = None
    categories: dict = field(default_factory=dict)  # folded name or code -> category
    organizations: dict = field(default_factory=dict)  # name -> organisation
    stand_in: object = None  # a community the actor may record for; see _rule_errors

    @classmethod
    def build(cls, *, edition, actor, sheet: Sheet) -> "Lookups":
        lookups = cls(edition=edition, actor=actor, communities=CommunityIndex(edition))
        for category in edition.categories.all():
            for name in (category.name_zh, category.name_en, category.code):
                lookups.categories[fold(name)] = category
        names = {row["cells"].get("proposer_organization", "") for row in sheet.rows} - {""}
        lookups.organizations = {o.name: o for o in Organization.objects.filter(name__in=names)}
        lookups.stand_in = next((c for c in lookups.communities.communities if _may_record_for(actor, c)), None)
        return lookups


def _may_record_for(actor, community) -> bool:
    return actor.has_perm("ideas.enter_paper_idea", community)


def _community(lookups: Lookups, text: str):
    community = lookups.communities.find(text)
    if not _may_record_for(lookups.actor, community):
        raise CellError(_("%(name)s is not a community you work in; you can only import ideas of your own "
                          "communities.") % {"name": text})
    return community


def _category(lookups: Lookups, text: str):
    category = lookups.categories.get(fold(text)) if text else None
    if category is None:
        names = "、".join(c.label for c in lookups.edition.categories.all())
        raise CellError(_("Write one of this edition's service categories: %(names)s.") % {"names": names})
    return category


def _amount(lookups: Lookups, text: str):
    if not text:
        return None  # the service says what an empty budget means
    try:
        amount = yuan(text)
    except ValueError:
        raise CellError(_("Not an amount of money. Write a number of yuan, such as 1200 or 1200.50.")) from None
    if amount.copy_abs() >= Decimal(10) ** (MAX_DIGITS - 2):
        raise CellError(_("This amount is far too large."))
    return amount


def _yes_no(lookups: Lookups, text: str) -> bool:
    word = fold(text)
    if word in YES_WORDS:
        return True
    if not word or word in NO_WORDS:
        return False
    raise CellError(_("Write 是 (yes) or 否 (no)."))


def _proposer_kind(lookups: Lookups, text: str) -> str:
    if not text:
        return ProposerKind.RESIDENT
    kind = KIND_WORDS.get(unicodedata.normalize("NFKC", text).casefold().strip())
    if kind is None:
        raise CellError(_("Write 居民, 社区自组织 or 社区社会组织."))
    return kind


def _organization(lookups: Lookups, text: str):
    if not text:
        return None
    organization = lookups.organizations.get(text)
    if organization is None:
        raise CellError(_("No organisation called %(name)s is registered on the platform.") % {"name": text})
    return organization


def _proposer_name(lookups: Lookups, text: str) -> str:
    # The service checks that a name is there; the column's size is the database's limit.
    limit = Idea._meta.get_field("proposer_name").max_length
    if len(text) > limit:
        raise CellError(_("The name is too long (at most %(limit)s characters).") % {"limit": limit})
    return text


def _text(lookups: Lookups, text: str) -> str:
    return text


PARSERS = {
    "community": (_community, None),
    "category": (_category, None),
    "estimated_budget": (_amount, None),
    "proposer_name": (_proposer_name, ""),
    "proposer_kind": (_proposer_kind, ProposerKind.RESIDENT),
    "proposer_organization": (_organization, None),
    "anonymous": (_yes_no, False),
    "consent": (_yes_no, False),
}


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # (column key or None, reason)

    @property
    def valid(self) -> bool:
        return not self.problems


def parse_row(lookups: Lookups, number: int, cells: dict) -> tuple[Row, set[str]]:
    """Read each cell; a cell that cannot be read gets a neutral value and a problem."""
    row, unreadable = Row(number=number), set()
    for column in COLUMNS:
        parse, fallback = PARSERS.get(column.key, (_text, ""))
        try:
            row.values[column.key] = parse(lookups, cells.get(column.key, ""))
        except CellError as exc:
            row.values[column.key] = fallback
            row.problems.append((column.key, str(exc)))
            unreadable.add(column.key)
    return row, unreadable


def _draft(lookups: Lookups, row: Row, community) -> IdeaDraft:
    values = row.values
    return IdeaDraft(
        edition=lookups.edition, community=community, category=values["category"], title=values["title"],
        problem=values["problem"], proposal=values["proposal"], beneficiaries=values["beneficiaries"],
        estimated_budget=values["estimated_budget"], proposer_kind=values["proposer_kind"],
        proposer_organization=values["proposer_organization"], anonymous=values["anonymous"],
    )


def record_row(lookups: Lookups, row: Row, community=None) -> Idea:
    """Record the row's idea through the service: the import itself, and the rolled-back check."""
    values = row.values
    return idea_record_on_paper(
        actor=lookups.actor, draft=_draft(lookups, row, community or values["community"]),
        proposer_name=values["proposer_name"], proposer_phone=values["proposer_phone"],
        consent=values["consent"], channel=Channel.IMPORT,
    )


class _RolledBack(Exception):
    pass


def _rule_errors(lookups: Lookups, row: Row, unreadable: set[str]) -> dict:
    """What the service says about the row: record it for real inside a savepoint, then roll back.

    When the row's own community cannot be used, a community the worker may
    record for stands in, so that the worker still learns everything else that
    is wrong with the row in one go.
    """
    community = lookups.stand_in if "community" in unreadable else row.values["community"]
    try:
        with transaction.atomic():
            record_row(lookups, row, community)
            raise _RolledBack
    except _RolledBack:
        return {}
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return {(None if key == NON_FIELD_ERRORS else key): messages
                    for key, messages in exc.message_dict.items()}
        return {None: exc.messages}
    except PermissionDenied as exc:
        return {"community": [str(exc)]}
    except DataError:
        # The database refused a value the rules let through; say so rather than fail the whole file.
        return {None: [_("A value in this row is too long or too large to be stored.")]}


def check_row(lookups: Lookups, number: int, cells: dict) -> Row:
    row, unreadable = parse_row(lookups, number, cells)
    for key, messages in _rule_errors(lookups, row, unreadable).items():
        if key not in unreadable:
            row.problems.extend((key, message) for message in messages)
    return row
