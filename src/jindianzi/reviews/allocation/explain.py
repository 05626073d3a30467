"""What a rule decided, and why, in a form a voter page can show.

Every project gets one ``ProjectOutcome``; ``reason`` is one of ``REASONS`` and ``details``
holds the figures behind it, all JSON values (amounts as strings of yuan rounded to the fen).
"""

from dataclasses import asdict, dataclass, field
from fractions import Fraction

FUNDED = "funded"
FUNDED_IN_COMPLETION = "funded_in_completion"
NOT_FUNDED_SUPPORTERS_SHORT = "not_funded_supporters_short"
NOT_FUNDED_OVER_BUDGET = "not_funded_over_budget"
NO_VOTES = "no_votes"
REASONS = (FUNDED, FUNDED_IN_COMPLETION, NOT_FUNDED_SUPPORTERS_SHORT, NOT_FUNDED_OVER_BUDGET, NO_VOTES)


def yuan(amount) -> str:
    """An exact amount as yuan rounded to the fen, halves away from zero: ``Fraction(1, 3)`` → ``"0.33"``."""
    fen = Fraction(amount) * 100
    sign = "-" if fen < 0 else ""
    # Round the absolute value so that -0.005 and 0.005 both move away from zero.
    whole, rest = divmod(abs(fen.numerator), fen.denominator)
    if 2 * rest >= fen.denominator:
        whole += 1
    if whole == 0:
        sign = ""
    return f"{sign}{whole // 100}.{whole % 100:02d}"


@dataclass(frozen=True)
class ProjectOutcome:
    """One project's result.

    ``round`` is the project's place in the order of selection (1 for the first project funded),
    None when it was not funded. ``votes`` is how many voters approved it.
    """

    project: str
    funded: bool
    reason: str
    round: int | None
    votes: int
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Allocation:
    """The projects a rule funds, in the order it chose them, and an outcome for every project.

    ``outcomes`` follows the order of the instance's projects. ``details`` describes the run as a
    whole (budget, amount spent and left; for equal shares the budget each voter started with).
    """

    rule: str
    selected: list[str]
    outcomes: dict[str, ProjectOutcome]
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"rule": self.rule, "selected": list(self.selected), "details": dict(self.details),
                "outcomes": [outcome.as_json() for outcome in self.outcomes.values()]}
