"""The vote an allocation rule is run on: the budget, the projects with their costs, and the ballots."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

# Money is a whole number of yuan or an exact Decimal (fen and below), never a float.
Money = int | Decimal

# Characters a project id cannot hold: the Pabulib file separates fields with ";" and the
# projects of one ballot with ","; a quote or a line break would have to be escaped there.
_FORBIDDEN_IN_ID = (",", ";", "\n", "\r", '"')


class Ballot(NamedTuple):
    """``count`` voters who all approved exactly ``projects``."""

    projects: frozenset[str]
    count: int


def _check_money(what: str, amount, *, positive: bool = False) -> None:
    # bool is an int; a float cannot hold fen exactly.
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        raise TypeError(f"{what} must be an int or a Decimal, not {type(amount).__name__}")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValueError(f"{what} must be a finite amount, not {amount}")
    if amount < 0 or (positive and amount == 0):
        raise ValueError(f"{what} must be {'positive' if positive else 'zero or more'}: {amount}")


def check_project_id(project: str) -> None:
    if not isinstance(project, str):
        raise TypeError(f"a project id is a string, not {type(project).__name__}")
    if not project or project != project.strip() or any(c in project for c in _FORBIDDEN_IN_ID):
        raise ValueError(f"project id {project!r} is empty, has surrounding spaces, or holds one of , ; \" "
                         "or a line break")


@dataclass(frozen=True)
class Instance:
    """A resident vote: ``budget`` to share among ``projects`` (id → cost) given ``ballots``.

    Identical ballots are held once with their multiplicity (``Ballot(projects, count)``);
    ``from_approvals`` builds that from one approval set per voter. A ballot may be empty (a voter
    who approved nothing still counts: under equal shares they hold a share of the budget).
    """

    budget: Money
    projects: dict[str, Money]
    ballots: list[Ballot]

    def __post_init__(self):
        _check_money("the budget", self.budget)
        for project, cost in self.projects.items():
            check_project_id(project)
            # A free project would mean nothing to the rules (pabutools' equal shares never takes one).
            _check_money(f"the cost of project {project}", cost, positive=True)
        approved = set()
        for projects, count in self.ballots:
            if type(count) is not int or count < 1:
                raise ValueError(f"a ballot's count must be a positive int, not {count!r}")
            approved.update(projects)
        unknown = approved - self.projects.keys()
        if unknown:
            raise ValueError(f"a ballot approves unknown projects: {sorted(unknown)}")

    @classmethod
    def from_approvals(cls, budget: Money, projects: Mapping[str, Money],
                       approvals: Iterable[Iterable[str]]) -> "Instance":
        """One approval set per voter; identical sets are merged, in the order first seen."""
        counts: dict[frozenset[str], int] = {}
        for approved in approvals:
            key = frozenset(approved)
            counts[key] = counts.get(key, 0) + 1
        return cls(budget, dict(projects), [Ballot(key, count) for key, count in counts.items()])

    @property
    def voters(self) -> int:
        return sum(ballot.count for ballot in self.ballots)

    def votes(self) -> dict[str, int]:
        """How many voters approved each project (0 for a project no one chose)."""
        votes = dict.fromkeys(self.projects, 0)
        for ballot in self.ballots:
            for project in ballot.projects:
                votes[project] += ballot.count
        return votes

    def exact_cost(self, project: str) -> Fraction:
        return Fraction(self.projects[project])
