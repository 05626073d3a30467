"""How the residents' vote turns into funded projects (participatory budgeting).

Every resident approves the projects they want; a project costs what its budget says. Two
rules decide which projects the district funds with the money it has:

Greedy by votes (``greedy``)
    Take the projects from most votes to fewest. Fund each one if it still fits in the money
    left; if it does not fit, skip it and look at the next one (a cheaper project further down
    may still fit). Simple, but a large group voting together can take all the money.

Method of Equal Shares (``equal_shares``)
    Split the budget equally among all voters, as if each held a share of it. A project is
    funded only if its own supporters can pay for it from their shares. Round by round, the
    project whose supporters can buy it most cheaply (the lowest price per supporter compared
    with its cost) is funded; its supporters pay equally, and one who has less than that price
    left pays all they have. A project whose supporters do not have enough left between them is
    not funded, however many votes it has. This way every group of residents gets projects in
    proportion to its size, and a neighbourhood that votes together cannot take everything.

    Equal shares can leave money unspent. The completion used by default is the usual one
    (equalshares.net, Pabulib): run it again with one more yuan per voter as long as the result
    still fits the real budget and could still take another project, then fund what is left by
    votes, as greedy does.

Ties are broken by project id compared as strings ("10" before "9"). A project no one voted for
is funded only with money left at the very end, after every project with votes had its turn.

Both rules give exactly the results of the reference implementation, pabutools (tested on
generated votes with many ties; amounts are exact fractions, so a tie is a real tie). Every
result says for each project why it was or was not funded (``ProjectOutcome``). The ``.pb``
file format of Pabulib, the open library of participatory budgeting votes, is read and
written by ``pabulib``.

Plain Python only: no Django here, so the rules can be read, tested and rerun on their own.
"""

from .equal_shares import equal_shares, equal_shares_at
from .explain import (
    FUNDED,
    FUNDED_IN_COMPLETION,
    NO_VOTES,
    NOT_FUNDED_OVER_BUDGET,
    NOT_FUNDED_SUPPORTERS_SHORT,
    REASONS,
    Allocation,
    ProjectOutcome,
    yuan,
)
from .greedy import greedy
from .instance import Ballot, Instance, Money
from .pabulib import PabulibFile

__all__ = [
    "FUNDED", "FUNDED_IN_COMPLETION", "NOT_FUNDED_OVER_BUDGET", "NOT_FUNDED_SUPPORTERS_SHORT", "NO_VOTES",
    "REASONS", "Allocation", "Ballot", "Instance", "Money", "PabulibFile", "ProjectOutcome",
    "equal_shares", "equal_shares_at", "greedy", "yuan",
]
