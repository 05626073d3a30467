"""A round's resident vote as a Pabulib ``.pb`` file (pabulib.org), out and in.

Export (``round_export_pb``) writes the open-data file of a vote: the META of
the round (street, edition, budget, rule, dates, the limit on a ballot), its
projects with their cost, votes and, once counted, whether the rule funded
them, and one line per ballot. Voters are numbered 1, 2, ... for the file
only: never an account id, a name or a phone number; ballots are written in
an order that does not follow the order they were cast in. Who may have the
file is ``reviews.export_vote`` (the street's staff once the vote is counted,
everyone once the round is published); the caller asks it.

Import (``round_import_pb``) adds ballots counted elsewhere (paper ballots
typed into a spreadsheet) to a round whose vote is open. Projects are matched
by ``project_id`` = the project's code. Every problem is reported with its line
number and then nothing is imported; the file's ballots come in without an
account (``voter`` None) and keep their ``voter_id`` from the file.

The format itself (reading, writing, quoting) is ``allocation.pabulib``; this
module only maps it onto the round.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jindianzi.core.audit import audit
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import project_budget_totals

from . import allocation
from .allocation import pabulib
from .models import Ballot, ReviewRound, VoteOutcome
from .services import _locked, _require
from .voting import ballot_problems, ballot_projects, ballots_of
from .workflow import BallotLimit, VoteRule, VoteState

# The names Pabulib gives the rules (the ``rule`` META field).
PABULIB_RULES = {VoteRule.GREEDY: "greedy", VoteRule.EQUAL_SHARES: "equalshares/add1"}
MAX_FILE_LINES = 200_000
VOTER_ID_LENGTH = Ballot._meta.get_field("imported_voter_id").max_length


# --- Export -------------------------------------------------------------------------------------------

def vote_projects(review_round: ReviewRound) -> list[Project]:
    """The projects on the round's ballot: those counted once the vote is closed, else those waiting for review.

    After publication the projects have moved on (approved or not), so a
    counted vote keeps its own list in its outcomes.
    """
    if review_round.vote_state == VoteState.COUNTED:
        ids = VoteOutcome.objects.filter(round=review_round).values_list("project_id", flat=True)
        return list(Project.objects.filter(pk__in=list(ids)).select_related("category", "organization")
                    .order_by("number"))
    return ballot_projects(review_round)


def _pabulib_date(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y") if moment else ""


def _meta(review_round: ReviewRound) -> dict[str, str]:
    edition, street = review_round.edition, review_round.street
    meta = {
        "description": f"{edition.name}：{street.name}立项评审居民投票",
        "country": "China",
        "unit": street.name,
        "instance": edition.slug,
        # Filled in by the writer from the vote itself; named here to keep Pabulib's order of fields.
        "num_projects": "", "num_votes": "", "budget": "", "vote_type": "approval",
        "rule": PABULIB_RULES.get(review_round.vote_rule, "unknown"),
        "date_begin": _pabulib_date(review_round.vote_opened_at),
        "date_end": _pabulib_date(review_round.vote_closed_at),
        "min_length": "1",
    }
    limit = review_round.ballot_limit_value
    if limit is not None and review_round.ballot_limit == BallotLimit.COUNT:
        meta["max_length"] = str(int(limit))
    elif limit is not None:
        meta["max_sum_cost"] = format(limit, "f")
    meta.update({"language": "zh", "currency": "CNY",
                 "comment": "#1: Exported by Jindianzi. Costs are in yuan. Voter ids number the ballots of this "
                            "file only; they are not accounts."})
    return {key: value for key, value in meta.items() if value or key in ("num_projects", "num_votes", "budget")}


def _with_project_column(text: str, column: str, values: dict[str, str]) -> str:
    """Add a column to the PROJECTS section of ``text`` (``pabulib.write`` writes name and selected only)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    section, header_next = None, False
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        if len(row) == 1 and row[0].strip().lower() in ("meta", "projects", "votes"):
            section, header_next = row[0].strip().lower(), True
        elif section == "projects":
            row = [*row, column] if header_next else [*row, values.get(row[0], "")]
            header_next = False
        writer.writerow(row)
    return out.getvalue()


def round_export_pb(review_round: ReviewRound) -> str:
    """The round's vote as ``.pb`` text: anonymous ballots, one line each; ``selected`` once counted.

    Callers ask ``reviews.export_vote`` first.
    """
    review_round = ReviewRound.objects.select_related("edition", "street").get(pk=review_round.pk)
    projects = vote_projects(review_round)
    costs = project_budget_totals(projects)
    codes = {p.pk: p.code for p in projects}
    # Sorted by content, so the file's order says nothing about who voted when.
    ballots = sorted(
        (allocation.Ballot(frozenset(codes[pk] for pk in ids if pk in codes), n)
         for ids, n in ballots_of(review_round).items()),
        key=lambda ballot: (len(ballot.projects), sorted(ballot.projects)))
    merged: dict[frozenset, int] = {}
    for ballot in ballots:      # two ballots may become one once projects off the list are left out
        merged[ballot.projects] = merged.get(ballot.projects, 0) + ballot.count
    instance = allocation.Instance(
        budget=review_round.budget_cap,
        projects={p.code: costs.get(p.pk, Decimal("0.00")) for p in projects},
        ballots=[allocation.Ballot(chosen, n) for chosen, n in merged.items()],
    )
    selected = None
    if review_round.vote_state == VoteState.COUNTED:
        selected = set(VoteOutcome.objects.filter(round=review_round, funded=True)
                       .values_list("project__code", flat=True))
    text = pabulib.write(instance, meta=_meta(review_round), names={p.code: p.title for p in projects},
                         selected=selected)
    return _with_project_column(text, "category", {p.code: p.category.code for p in projects})


def export_filename(review_round: ReviewRound) -> str:
    """Pabulib's naming: country_unit_instance (ASCII where it can be: the street by its id)."""
    return f"china_street-{review_round.street_id}_{review_round.edition.slug}.pb"


# --- Import -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportReport:
    ballots: int                    # ballots added to the round
    approvals: dict[str, int]       # project code → how many of the imported ballots approve it


def pb_text(data: bytes) -> str:
    """The text of an uploaded ``.pb`` file: UTF-8 as Pabulib has it, or GBK as Excel in China saves it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not text in UTF-8 or GBK; save it as a .pb text file and try again."))


class _Problems:
    def __init__(self):
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError([
                _("Line %(line)d: %(problem)s") % {"line": line, "problem": message} if line else message
                for line, message in sorted(self.items, key=lambda item: item[0])])


@dataclass
class _Parsed:
    listed: dict[str, int]                      # project id of the PROJECTS section → its line
    ballots: list[tuple[int, str, list[str]]]   # line, voter id, project ids
    has_projects: bool = False
    has_votes: bool = False
    vote_lines: int = 0
    num_votes: tuple[int, str] | None = None    # line, value


def _split_vote(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()]


def _parse(text: str, problems: _Problems) -> _Parsed:
    """Read the file line by line, noting every problem of its shape with the line it is on."""
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed = _Parsed(listed={}, ballots=[])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    section, header, header_line = None, None, 0
    for row in reader:
        line = reader.line_num
        if line > MAX_FILE_LINES:
            problems.add(0, _("The file has more than %(max)d lines; split it.") % {"max": MAX_FILE_LINES})
            break
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) == 1 and cells[0].lower() in ("meta", "projects", "votes"):
            section, header = cells[0].lower(), None
            parsed.has_projects |= section == "projects"
            parsed.has_votes |= section == "votes"
            continue
        if section is None:
            problems.add(line, _("the file must begin with a META, PROJECTS or VOTES line."))
            section = "skip"
            continue
        if section == "skip":
            continue
        if header is None:
            header, header_line = cells, line
            if section == "votes" and not {"voter_id", "vote"} <= set(header):
                problems.add(line, _("the VOTES section needs the columns “voter_id” and “vote”."))
            continue
        if section == "meta":
            _meta_line(line, cells, parsed, problems)
        elif section == "projects":
            project = cells[header.index("project_id")] if "project_id" in header else cells[0]
            if project in parsed.listed:
                problems.add(line, _("the project “%(code)s” is listed twice (first on line %(first)d).")
                             % {"code": project, "first": parsed.listed[project]})
            else:
                parsed.listed[project] = line
        elif section == "votes" and {"voter_id", "vote"} <= set(header):
            parsed.vote_lines += 1
            if len(cells) != len(header):
                problems.add(line, _("expected %(expected)d fields separated by “;” as on line %(header)d, found "
                                     "%(found)d.") % {"expected": len(header), "header": header_line,
                                                      "found": len(cells)})
                continue
            fields = dict(zip(header, cells))
            parsed.ballots.append((line, fields["voter_id"], _split_vote(fields["vote"])))
    return parsed


def _meta_line(line: int, cells: list[str], parsed: _Parsed, problems: _Problems) -> None:
    key, value = cells[0], cells[1] if len(cells) > 1 else ""
    if key == "vote_type" and value != "approval":
        problems.add(line, _("the vote type is “%(type)s”; only approval votes (vote_type approval) can be "
                             "imported.") % {"type": value})
    if key == "num_votes":
        parsed.num_votes = (line, value)


def _check_ballots(review_round: ReviewRound, parsed: _Parsed, problems: _Problems) -> list[tuple[str, list]]:
    """The file's ballots as (voter id, projects), every problem noted with its line."""
    projects = {p.code: p for p in ballot_projects(review_round)}
    for code, line in parsed.listed.items():
        if code not in projects:
            problems.add(line, _("no project on this round's ballot has the code “%(code)s”.") % {"code": code})
    imported = set(Ballot.objects.filter(round=review_round).exclude(imported_voter_id="")
                   .values_list("imported_voter_id", flat=True))
    seen: dict[str, int] = {}
    limit_problems: dict[frozenset, list[str]] = {}
    good = []
    for line, voter_id, codes in parsed.ballots:
        found = len(problems.items)
        if not voter_id:
            problems.add(line, _("the voter id is empty."))
        elif len(voter_id) > VOTER_ID_LENGTH:
            problems.add(line, _("the voter id is longer than %(max)d characters.") % {"max": VOTER_ID_LENGTH})
        elif voter_id in seen:
            problems.add(line, _("the voter id “%(id)s” is used again (first on line %(first)d).")
                         % {"id": voter_id, "first": seen[voter_id]})
        elif voter_id in imported:
            problems.add(line, _("a ballot with the voter id “%(id)s” was already imported into this round.")
                         % {"id": voter_id})
        seen.setdefault(voter_id, line)
        for code, times in Counter(codes).items():
            if code not in projects:
                problems.add(line, _("no project on this round's ballot has the code “%(code)s”.") % {"code": code})
            elif parsed.has_projects and code not in parsed.listed:
                problems.add(line, _("the project “%(code)s” is not in the file's PROJECTS section.")
                             % {"code": code})
            if times > 1:
                problems.add(line, _("the project “%(code)s” is approved twice on one ballot.") % {"code": code})
        chosen = [projects[code] for code in dict.fromkeys(codes) if code in projects]
        key = frozenset(p.pk for p in chosen)
        if key not in limit_problems:
            limit_problems[key] = ballot_problems(review_round, chosen)
        if chosen or not codes:     # a ballot of unknown projects only is reported for those, not as empty
            for message in limit_problems[key]:
                problems.add(line, message)
        if len(problems.items) == found:
            good.append((voter_id, chosen))
    if not parsed.has_votes:
        problems.add(0, _("The file has no VOTES section, so there are no ballots to import."))
    elif not parsed.ballots and not problems.items:
        problems.add(0, _("The file's VOTES section has no ballots."))
    if parsed.num_votes is not None:
        line, value = parsed.num_votes
        if value != str(parsed.vote_lines):
            problems.add(line, _("num_votes says %(said)s but the VOTES section has %(count)d ballots.")
                         % {"said": value, "count": parsed.vote_lines})
    return good


@transaction.atomic
def round_import_pb(*, actor, review_round: ReviewRound, text: str, at=None) -> ImportReport:
    """Add the ballots of a ``.pb`` file to the round's open vote, all or none."""
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can import ballots."))
    if review_round.vote_state != VoteState.OPEN:
        raise TransitionNotAllowed(_("Ballots can be imported only while the vote is open."))
    problems = _Problems()
    parsed = _parse(text, problems)
    ballots = _check_ballots(review_round, parsed, problems)
    problems.raise_if_any()
    at = at or timezone.now()
    created = Ballot.objects.bulk_create([Ballot(round=review_round, voter=None, cast_at=at, imported_voter_id=vid)
                                          for vid, _projects in ballots])
    through = Ballot.projects.through
    through.objects.bulk_create([through(ballot_id=ballot.pk, project_id=project.pk)
                                 for ballot, (_vid, chosen) in zip(created, ballots) for project in chosen])
    approvals = Counter(project.code for _vid, chosen in ballots for project in chosen)
    # Counts only: the audit keeps that ballots came in from a file, not what they say.
    audit(actor=actor, action="review_vote.import", target=review_round, after={"ballots": len(created)})
    return ImportReport(ballots=len(created), approvals=dict(sorted(approvals.items())))
