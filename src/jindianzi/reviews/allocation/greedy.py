"""Greedy by votes: the most approved project first, each one funded if it still fits.

The same outcome as pabutools' ``greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)``
with its default tie-breaking, project for project and in the same order.
"""

from collections.abc import Collection
from fractions import Fraction

from .explain import FUNDED, NO_VOTES, NOT_FUNDED_OVER_BUDGET, Allocation, ProjectOutcome, yuan
from .instance import Instance


def order_key(project: str, votes: int) -> tuple[int, str]:
    """Where a project comes in the greedy order: smallest key first.

    pabutools ranks by satisfaction per yuan, which under cost satisfaction is the number of
    votes. Equal numbers of votes are broken by the project id compared as a string (``"10"``
    before ``"9"``), as pabutools' ``lexico_tie_breaking`` does with the project name.
    """
    return (-votes, project)


def fill(instance: Instance, votes: dict[str, int], taken: Collection[str],
         remaining: Fraction) -> tuple[list[tuple[str, bool, Fraction]], Fraction]:
    """Go through the projects not in ``taken`` in greedy order; fund each that fits in ``remaining``.

    Returns, for each project looked at, ``(project, funded, money left when its turn came)``, and
    the money left at the end. A project that does not fit is skipped and the next one is tried.
    """
    taken = set(taken)
    turns = []
    for project in sorted((p for p in instance.projects if p not in taken),
                          key=lambda p: order_key(p, votes[p])):
        cost = instance.exact_cost(project)
        fits = cost <= remaining
        turns.append((project, fits, remaining))
        if fits:
            remaining -= cost
    return turns, remaining


def greedy(instance: Instance) -> Allocation:
    """Fund projects in order of votes, skipping (not stopping at) any that no longer fits.

    Ties: projects with equal votes are taken in the order of their ids compared as strings
    (``"10"`` before ``"9"``). A project no one voted for is funded only if money is
    left after every project with votes had its turn (that is what pabutools does too).
    """
    votes = instance.votes()
    budget = Fraction(instance.budget)
    turns, remaining = fill(instance, votes, (), budget)
    selected, outcomes = [], {}
    for project, funded, left in turns:
        details = {"cost": yuan(instance.projects[project]), "budget_left_at_its_turn": yuan(left)}
        if funded:
            selected.append(project)
            outcomes[project] = ProjectOutcome(project, True, FUNDED, len(selected), votes[project], details)
        else:
            reason = NO_VOTES if votes[project] == 0 else NOT_FUNDED_OVER_BUDGET
            outcomes[project] = ProjectOutcome(project, False, reason, None, votes[project], details)
    return Allocation(
        rule="greedy", selected=selected, outcomes={p: outcomes[p] for p in instance.projects},
        details={"budget": yuan(budget), "spent": yuan(budget - remaining), "left": yuan(remaining),
                 "voters": instance.voters},
    )
