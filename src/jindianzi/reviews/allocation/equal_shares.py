"""The Method of Equal Shares for approval ballots, with cost utilities, and its usual completion.

The same outcome as pabutools, project for project and in the same order::

    completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}])

and, without completion, ``method_of_equal_shares(instance, profile, sat_class=Cost_Sat)``.
"""

import heapq
from fractions import Fraction
from math import gcd

import numpy as np

from .explain import (
    FUNDED,
    FUNDED_IN_COMPLETION,
    NO_VOTES,
    NOT_FUNDED_SUPPORTERS_SHORT,
    Allocation,
    ProjectOutcome,
    yuan,
)
from .greedy import fill
from .instance import Instance

# The completion equalshares.net recommends and Pabulib's MES results use ("Add1"): raise every
# voter's budget by one yuan at a time while the outcome still fits the real budget, then fill
# what is left greedily by votes.
VOTER_BUDGET_INCREMENT = 1


# Float64 rounding unit. Floats only find where to look; every decision is checked exactly.
_EPS = 2.0 ** -52


def _dot(left: np.ndarray, right: np.ndarray) -> float:
    # einsum rather than ``@``: BLAS's threads cost more than they save on vectors this short.
    return float(np.einsum("i,i->", left, right))


class _Election:
    """The instance reduced to what the rounds of equal shares need, built once per instance.

    Voters with the same ballot form one class with a count: they start with the same money and
    pay the same in every round, so they stay alike to the end, and each round costs work per
    class of supporters, not per voter.
    """

    def __init__(self, instance: Instance):
        self.instance = instance
        self.votes = instance.votes()
        self.voters = instance.voters
        # The projects the rounds choose among: those with votes. Sorted by id so that the
        # smaller index also wins a tie.
        self.names = sorted(p for p in instance.projects if self.votes[p])
        index = {p: j for j, p in enumerate(self.names)}
        self.costs = [instance.exact_cost(p) for p in self.names]
        self.float_costs = [float(cost) for cost in self.costs]
        merged: dict[frozenset[str], int] = {}
        for projects, count in instance.ballots:
            if projects:
                merged[projects] = merged.get(projects, 0) + count
        self.weights = np.fromiter(merged.values(), dtype=np.float64, count=len(merged))
        members: list[list[int]] = [[] for _ in self.names]
        for c, projects in enumerate(merged):
            for project in projects:
                members[index[project]].append(c)
        self.supporters = [np.array(classes, dtype=np.intp) for classes in members]
        # Who paid the full price of each purchase, one row per purchase. Allocating this afresh
        # costs more than a whole run, so the runs of the completion take turns with two (a run
        # clears the rows it finds used): the run before the last one is still intact when the
        # completion goes back to it.
        self.paid = [np.zeros((min(8, len(self.names)), len(merged)), dtype=np.uint8) for _ in range(2)]
        self.paid_rows_used = [0, 0]


class _Quote:
    """What project ``j`` costs its supporters now: the price each pays (``price``, exact), and who
    pays it in full (``rich``, in which ``emptied`` are left with nothing) or pays all they have
    (``poor``). ``rho`` is the price per yuan of cost, the figure the rounds compare."""

    __slots__ = ("j", "price", "rho", "rich", "poor", "emptied", "exact_rich", "exact_left")

    def __init__(self, j, price, rho, rich, poor, emptied, exact_rich, exact_left):
        self.j, self.price, self.rho = j, price, rho
        self.rich, self.poor, self.emptied = rich, poor, emptied
        # Classes whose money left is set from exact arithmetic after the purchase.
        self.exact_rich, self.exact_left = exact_rich, exact_left


class _Run:
    """One run of equal shares with a given starting budget per voter.

    A class's money is never stored as a fraction: it is the starting budget less the prices of
    the purchases it paid in full (``paid``, one row per purchase), or nothing once it paid less
    than a full price. Prices are kept exactly, as integers over one common denominator, so any
    group's money is exact from integer counts. A float copy of each class's money (``money``)
    sorts and locates quickly; only the classes too close to a price to tell in floats are
    worked out exactly, and every price is confirmed exactly before it is used.
    """

    def __init__(self, election: _Election, per_voter: Fraction, slot: int = 0):
        self.election = election
        self.slot = slot  # which of the election's ``paid`` tables this run writes
        self.per_voter = per_voter
        self.float_per_voter = float(per_voter)
        classes = len(election.weights)
        self.money = np.full(classes, self.float_per_voter)
        self.alive = np.full(classes, per_voter > 0)
        election.paid[slot][:election.paid_rows_used[slot]] = 0
        election.paid_rows_used[slot] = 0
        self.supporters = list(election.supporters)
        self.scaled_prices: list[int] = []  # the prices paid so far, times ``denominator``
        self.denominator = 1
        self.chosen: list[tuple[int, Fraction, dict]] = []

    def _float_error(self) -> float:
        # Each purchase adds at most two roundings of at most one starting budget to a class's float money.
        return (2 * len(self.scaled_prices) + 4) * _EPS * self.float_per_voter

    def _money_of_group(self, classes: np.ndarray, weights: np.ndarray) -> Fraction:
        """The exact money the voters of ``classes`` (all with some left) have between them."""
        total = self.per_voter * round(weights.sum())
        if self.scaled_prices and len(classes):
            counts = np.einsum("ij,j->i", self.election.paid[self.slot][:len(self.scaled_prices), classes], weights)
            spent = sum(price * round(count) for price, count in zip(self.scaled_prices, counts.tolist()))
            total -= Fraction(spent, self.denominator)
        return total

    def _exact_money(self, classes: np.ndarray) -> list[Fraction]:
        if not self.scaled_prices:
            return [self.per_voter] * len(classes)
        paid = self.election.paid[self.slot][:len(self.scaled_prices), classes].T.tolist()
        return [self.per_voter - Fraction(sum(p for p, flag in zip(self.scaled_prices, row) if flag), self.denominator)
                for row in paid]

    def estimate(self, j: int) -> tuple[float, float, float] | None:
        """Project ``j``'s price now in floats, with bounds on its price per yuan of cost that
        surely hold: ``(price, low, high)``; None if its supporters' money no longer covers it.

        Supporters with less than the price pay all they have, the others pay the price; the
        price is the smallest that collects the cost. Start from the price if no one were short,
        make poor everyone who cannot pay it, recompute, and repeat until no one else becomes
        poor: the price only rises on the way, and stops at the right one.
        """
        election = self.election
        # Supporters with no money left never count again: drop them for good.
        supporters = self.supporters[j] = self.supporters[j][self.alive[self.supporters[j]]]
        if not len(supporters):
            return None
        cost, float_cost = election.costs[j], election.float_costs[j]
        money = self.money[supporters]
        weights = election.weights[supporters]
        everyone = float(weights.sum())
        error = self._float_error()
        total = _dot(money, weights)
        total_error = everyone * error + 2 * len(supporters) * _EPS * total
        if total + total_error < float_cost:
            return None
        if total - total_error < float_cost and self._money_of_group(supporters, weights) < cost:
            return None
        guess, poor_count = float_cost / everyone, -1
        while True:
            poor = money < guess
            count = int(poor.sum())
            if count == poor_count:
                break
            poor_count = count
            payers = everyone - float(weights[poor].sum())
            if payers <= 0:
                break
            guess = (float_cost - _dot(money[poor], weights[poor])) / payers

        # What the supporters pay at a price x only grows with x, so the true price lies between
        # two prices at which the floats (with their worst error) surely collect too little and
        # surely enough.
        for width in (1e-9, 1e-6):
            below, above = guess * (1 - width), guess * (1 + width)
            at_below = _dot(np.minimum(money, below), weights)
            at_above = _dot(np.minimum(money, above), weights)
            slack = everyone * error + (len(supporters) + 4) * _EPS * max(at_above, float_cost)
            if at_below + slack < float_cost * (1 - 2 * _EPS) and at_above - slack >= float_cost * (1 + 2 * _EPS):
                return guess, below / float_cost * (1 - 4 * _EPS), above / float_cost * (1 + 4 * _EPS)
        rho = float(self.quote(j, guess).rho)
        return guess, rho * (1 - 4 * _EPS), rho * (1 + 4 * _EPS)

    def quote(self, j: int, guess: float) -> _Quote:
        """Project ``j``'s exact price now, found near the float ``guess`` (the project is affordable)."""
        election = self.election
        supporters = self.supporters[j]
        cost = election.costs[j]
        money = self.money[supporters]
        weights = election.weights[supporters]
        error = self._float_error()
        # The classes clearly below the guess pay all they have, those clearly above pay the
        # price, and those in between are put in order by their exact money.
        band = 1e-9 * self.float_per_voter + 4 * error
        low, high = money < guess - band, money > guess + band
        middle = ~(low | high)
        collected = self._money_of_group(supporters[low], weights[low]) if low.any() else Fraction(0)
        payers = round(weights.sum()) - round(weights[low].sum())
        between = supporters[middle]
        exact = self._exact_money(between)
        amounts: dict[Fraction, int] = {}
        for amount, weight in zip(exact, weights[middle].tolist()):
            amounts[amount] = amounts.get(amount, 0) + round(weight)
        price = None
        for amount in sorted(amounts):
            candidate = (cost - collected) / payers
            if candidate <= amount:
                price = candidate
                break
            collected += amount * amounts[amount]
            payers -= amounts[amount]
        if price is None and payers:
            price = (cost - collected) / payers
        # The guess was right if nothing below the band can pay the price and everything above can.
        margin = error + 4 * _EPS * self.float_per_voter
        if (price is None or (low.any() and float(money[low].max()) + margin >= float(price))
                or (high.any() and float(money[high].min()) - margin < float(price))):
            return self._quote_exactly(j, supporters)
        poor = [c for c, amount in zip(between.tolist(), exact) if amount < price]
        rich = [(c, amount - price) for c, amount in zip(between.tolist(), exact) if amount >= price]
        return _Quote(
            j, price, price / cost,
            rich=np.concatenate((supporters[high], np.array([c for c, _ in rich], dtype=np.intp))),
            poor=np.concatenate((supporters[low], np.array(poor, dtype=np.intp))),
            emptied=np.array([c for c, left in rich if not left], dtype=np.intp),
            exact_rich=np.array([c for c, _ in rich], dtype=np.intp),
            exact_left=np.array([float(left) for _, left in rich]),
        )

    def _quote_exactly(self, j: int, supporters: np.ndarray) -> _Quote | None:
        """The same price with every supporter's money exact: slow, and only needed when floats cannot tell."""
        cost = self.election.costs[j]
        exact = self._exact_money(supporters)
        amounts: dict[Fraction, int] = {}
        for amount, weight in zip(exact, self.election.weights[supporters].tolist()):
            amounts[amount] = amounts.get(amount, 0) + round(weight)
        payers, collected = sum(amounts.values()), Fraction(0)
        for amount in sorted(amounts):
            price = (cost - collected) / payers
            if price <= amount:
                break
            collected += amount * amounts[amount]
            payers -= amounts[amount]
        else:
            return None
        rich = [(c, amount - price) for c, amount in zip(supporters.tolist(), exact) if amount >= price]
        return _Quote(
            j, price, price / cost,
            rich=np.array([c for c, _ in rich], dtype=np.intp),
            poor=np.array([c for c, amount in zip(supporters.tolist(), exact) if amount < price], dtype=np.intp),
            emptied=np.array([c for c, left in rich if not left], dtype=np.intp),
            exact_rich=np.array([c for c, _ in rich], dtype=np.intp),
            exact_left=np.array([float(left) for _, left in rich]),
        )

    def rounds(self) -> None:
        election = self.election
        # Lower bounds of each project's price per yuan of cost (pabutools' "affordability"):
        # prices only rise as money is spent, so a project whose bound is above the best price
        # of this round cannot win it and is not looked at again yet.
        heap = [(1 / election.votes[name] * (1 - 4 * _EPS), j) for j, name in enumerate(election.names)]
        heapq.heapify(heap)
        while heap:
            looked_at, best = [], float("inf")
            while heap and heap[0][0] <= best:
                _, j = heapq.heappop(heap)
                estimate = self.estimate(j)
                if estimate is None:  # its supporters' money no longer covers it, and never will again
                    continue
                looked_at.append((j, *estimate))
                best = min(best, estimate[2])
            if not looked_at:
                return
            # Only a project whose price per yuan may be the lowest can win; exact prices decide
            # among them, and equal prices go to the smaller index, that is the smaller project id.
            contenders = [self.quote(j, guess) for j, guess, low, _ in looked_at if low <= best]
            winner = min(contenders, key=lambda quote: (quote.rho, quote.j))
            for j, _, low, _ in looked_at:
                if j != winner.j:
                    heapq.heappush(heap, (low, j))
            self._buy(winner)

    def _buy(self, quote: _Quote) -> None:
        election, slot = self.election, self.slot
        purchase = len(self.scaled_prices)
        if purchase == len(election.paid[slot]):
            election.paid[slot] = np.concatenate((election.paid[slot], np.zeros_like(election.paid[slot])))
        election.paid_rows_used[slot] = purchase + 1
        price = quote.price
        common = self.denominator * price.denominator // gcd(self.denominator, price.denominator)
        scale = common // self.denominator
        self.scaled_prices = [p * scale for p in self.scaled_prices]
        self.scaled_prices.append(price.numerator * (common // price.denominator))
        self.denominator = common

        election.paid[slot][purchase, quote.rich] = 1
        self.money[quote.rich] -= float(price)
        self.money[quote.exact_rich] = quote.exact_left
        self.money[quote.poor] = 0.0
        self.alive[quote.poor] = False
        self.money[quote.emptied] = 0.0
        self.alive[quote.emptied] = False
        weights = election.weights
        self.chosen.append((quote.j, price, {"paid_the_price": round(weights[quote.rich].sum()),
                                              "paid_all_they_had": round(weights[quote.poor].sum())}))

    def cost(self) -> Fraction:
        return sum((self.election.costs[j] for j, _, _ in self.chosen), Fraction(0))

    def supporters_money(self) -> list[Fraction]:
        """For every project, the money its supporters have left at the end of the run."""
        money = []
        for supporters in self.election.supporters:
            supporters = supporters[self.alive[supporters]]
            money.append(self._money_of_group(supporters, self.election.weights[supporters]))
        return money


def _runs(election: _Election, completion: bool) -> tuple[_Run | None, int]:
    """Equal shares from an equal split of the budget; with completion, the Add1 search on top.

    Returns the run whose result stands and how many runs were made.
    """
    if not election.voters:
        return None, 0
    budget = Fraction(election.instance.budget)
    per_voter = budget / election.voters
    run = _Run(election, per_voter)
    run.rounds()
    runs = 1
    if not completion:
        return run, runs
    while True:
        # Stop when no project of the rounds could still be added within the real budget...
        left = budget - run.cost()
        chosen = {j for j, _, _ in run.chosen}
        if all(cost > left for j, cost in enumerate(election.costs) if j not in chosen):
            return run, runs
        # ...or when a budget one yuan larger per voter would buy more than the real budget.
        per_voter += VOTER_BUDGET_INCREMENT
        bigger = _Run(election, per_voter, slot=1 - run.slot)
        bigger.rounds()
        runs += 1
        if bigger.cost() > budget:
            return run, runs
        run = bigger


def equal_shares_at(instance: Instance, per_voter: Fraction) -> list[str]:
    """The projects one run of equal shares buys, in order, when every voter starts with ``per_voter``.

    The completion runs this with one more yuan each time; ``per_voter`` may leave the real budget
    behind, as it does there.
    """
    election = _Election(instance)
    if not election.voters:
        return []
    run = _Run(election, Fraction(per_voter))
    run.rounds()
    return [election.names[j] for j, _, _ in run.chosen]


def equal_shares(instance: Instance, completion: bool = True) -> Allocation:
    """Fund projects by the Method of Equal Shares; with ``completion``, spend what it leaves.

    Each voter gets an equal share of the budget. Round by round, the project whose supporters can
    buy it at the lowest price per supporter (relative to its cost, since a voter's benefit is
    counted as the project's cost) is funded, its supporters paying equally, or all they have
    left if that is less. Equal prices are decided by project id compared as strings.

    Completion (the default) is the one equalshares.net and Pabulib use: rerun with one more yuan
    for every voter as long as the result still fits the real budget and could take more projects
    ("Add1"), then go through the rest by votes as ``greedy`` does.
    """
    election = _Election(instance)
    votes = election.votes
    budget = Fraction(instance.budget)
    run, runs = _runs(election, completion)
    selected: list[str] = []
    outcomes: dict[str, ProjectOutcome] = {}
    details: dict = {"budget": yuan(budget), "voters": instance.voters,
                     "completion": "add1+greedy" if completion else None, "runs": runs}
    if run is not None:
        for j, price, paid in run.chosen:
            project = election.names[j]
            selected.append(project)
            outcomes[project] = ProjectOutcome(
                project, True, FUNDED, len(selected), votes[project],
                {"cost": yuan(election.costs[j]), "price_per_supporter": yuan(price), **paid})
        details["budget_per_voter"] = yuan(run.per_voter)
        money = run.supporters_money()
        short = {election.names[j]: money[j] for j in range(len(election.names))}
    else:
        short = {}
    spent = sum((instance.exact_cost(p) for p in selected), Fraction(0))
    details["equal_shares_spent"] = yuan(spent)
    turns, left = fill(instance, votes, selected, budget - spent) if completion else ([], budget - spent)
    at_turn = {}
    for project, funded, left_then in turns:
        at_turn[project] = left_then
        if funded:
            selected.append(project)
            outcomes[project] = ProjectOutcome(
                project, True, FUNDED_IN_COMPLETION, len(selected), votes[project],
                {"cost": yuan(instance.projects[project]), "budget_left_at_its_turn": yuan(left_then)})
    for project, cost in instance.projects.items():
        if project in outcomes:
            continue
        extra = {"budget_left_at_its_turn": yuan(at_turn[project])} if project in at_turn else {}
        if not votes[project]:
            outcomes[project] = ProjectOutcome(project, False, NO_VOTES, None, 0, {"cost": yuan(cost), **extra})
        else:
            outcomes[project] = ProjectOutcome(
                project, False, NOT_FUNDED_SUPPORTERS_SHORT, None, votes[project],
                {"cost": yuan(cost), "supporters_had": yuan(short.get(project, 0)), **extra})
    details["spent"] = yuan(budget - left)
    details["left"] = yuan(left)
    return Allocation(rule="equal_shares", selected=selected,
                      outcomes={p: outcomes[p] for p in instance.projects}, details=details)
