"""The Pabulib ``.pb`` text format (pabulib.org), approval votes only.

A file has three sections, each a title line and a header line, fields separated by ``;``::

    META
    key;value
    description;...
    num_projects;3
    num_votes;2
    budget;1000
    vote_type;approval
    PROJECTS
    project_id;cost;votes;name;selected
    p1;600;2;Benches;1
    ...
    VOTES
    voter_id;vote
    1;p1,p2
    2;p1

``write`` expands each ballot into one line per voter (voter ids 1, 2, ...), as Pabulib has one
line per voter; ``read`` merges identical ballots again, in the order first seen, so
``read(write(...))`` gives back the same instance, meta, names and selection. Columns other than
these are ignored on reading, and so are voter ids.
"""

import csv
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .instance import Ballot, Instance, Money, check_project_id


@dataclass(frozen=True)
class PabulibFile:
    """What a ``.pb`` file holds: the META lines, the vote, project names, and the projects marked selected.

    ``selected`` is None when the file has no ``selected`` column.
    """

    meta: dict[str, str]
    instance: Instance
    names: dict[str, str] = field(default_factory=dict)
    selected: frozenset[str] | None = None


def _amount_text(amount: Money) -> str:
    return str(amount) if isinstance(amount, int) else format(amount, "f")


def _amount(text: str, what: str) -> Money:
    # Pabulib files from some cities write a decimal comma; pabutools reads it as a point too.
    text = text.strip().replace(",", ".")
    try:
        return int(text) if text.lstrip("-").isdigit() else Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what} is not an amount: {text!r}") from None


def write(instance: Instance, *, meta: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None,
          selected: Collection[str] | None = None) -> str:
    """The instance as ``.pb`` text. ``meta`` adds META lines (description, unit, rule, max_length ...);
    the counts, the budget and ``vote_type`` are always written from the instance."""
    lines = dict(meta or {})
    if lines.get("vote_type", "approval") != "approval":
        raise ValueError("only approval votes can be written")
    votes = instance.votes()
    lines.update({"num_projects": str(len(instance.projects)), "num_votes": str(instance.voters),
                  "budget": _amount_text(instance.budget), "vote_type": "approval"})
    for key in lines:
        if not key or any(c in key for c in ";\n\r"):
            raise ValueError(f"meta key {key!r} cannot be written")
    unknown = set(names or ()) - instance.projects.keys() | set(selected or ()) - instance.projects.keys()
    if unknown:
        raise ValueError(f"names or selection of unknown projects: {sorted(unknown)}")

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(lines.items())
    writer.writerow(["PROJECTS"])
    header = ["project_id", "cost", "votes"]
    if names is not None:
        header.append("name")
    if selected is not None:
        header.append("selected")
        selected = set(selected)
    writer.writerow(header)
    for project, cost in instance.projects.items():
        row = [project, _amount_text(cost), votes[project]]
        if names is not None:
            row.append(names.get(project, ""))
        if selected is not None:
            row.append(1 if project in selected else 0)
        writer.writerow(row)
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote"])
    voter = 0
    for ballot in instance.ballots:
        # Sorted so that the same ballot is always written the same way.
        vote = ",".join(sorted(ballot.projects))
        for _ in range(ballot.count):
            voter += 1
            out.write(f"{voter};{vote}\n")
    return out.getvalue()


def read(text: str) -> PabulibFile:
    """Parse ``.pb`` text with approval votes."""
    if text.startswith("\ufeff"):
        text = text[1:]
    meta: dict[str, str] = {}
    costs: dict[str, Money] = {}
    names: dict[str, str] = {}
    selected: set[str] | None = None
    # Votes counted by their text first: most voters' lines repeat someone else's ballot.
    vote_texts: dict[str, int] = {}
    section, header, vote_column = None, [], 1
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    for row in rows:
        if section == "votes" and len(row) > vote_column:
            vote = row[vote_column]
            vote_texts[vote] = vote_texts.get(vote, 0) + 1
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        title = row[0].strip().lower()
        if len(row) == 1 and title in ("meta", "projects", "votes"):
            section = title
            header = [column.strip() for column in next(rows, [])]
            if section == "projects" and "selected" in header:
                selected = set()
            if section == "votes":
                if "vote" not in header:
                    raise ValueError("the VOTES section has no vote column")
                vote_column = header.index("vote")
            continue
        if section == "meta":
            meta[row[0].strip()] = row[1].strip() if len(row) > 1 else ""
        elif section == "projects":
            fields = dict(zip(header, (value.strip() for value in row)))
            project = fields.get("project_id", row[0].strip())
            check_project_id(project)
            if project in costs:
                raise ValueError(f"project {project} is listed twice")
            costs[project] = _amount(fields.get("cost", ""), f"the cost of project {project}")
            if fields.get("name"):
                names[project] = fields["name"]
            if selected is not None and fields.get("selected", "0") not in ("", "0"):
                selected.add(project)
        elif section == "votes":  # a line too short to hold a vote: a voter who approved nothing
            vote_texts[""] = vote_texts.get("", 0) + 1
        else:
            raise ValueError(f"a line before any META, PROJECTS or VOTES section: {';'.join(row)!r}")
    counts: dict[frozenset[str], int] = {}
    for vote, count in vote_texts.items():
        key = frozenset(p.strip() for p in vote.split(",") if p.strip())
        counts[key] = counts.get(key, 0) + count
    if meta.get("vote_type", "approval") != "approval":
        raise ValueError(f"only approval votes can be read, not {meta['vote_type']!r}")
    if "budget" not in meta:
        raise ValueError("the META section has no budget")
    budget = _amount(meta["budget"], "the budget")
    instance = Instance(budget, costs, [Ballot(key, count) for key, count in counts.items()])
    return PabulibFile(meta=meta, instance=instance, names=names,
                       selected=frozenset(selected) if selected is not None else None)

