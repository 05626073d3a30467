"""``jindianzi bench allocation``: our allocation rules against pabutools, on the same Pabulib files.

Several votes of different shapes are generated (few projects and many voters; 100 projects and
50,000 voters with ordinary, skewed, tight and loose budgets), each written as ``.pb`` text to
a temporary file. Both sides start from that file on disk, and what is timed is:

- ours: reading and parsing the file (``reviews.allocation.pabulib.read``, which also builds the
  instance with identical ballots merged) and ``equal_shares`` (Method of Equal Shares, Add1
  completion, greedy completion, with the explanation of every project);
- pabutools: ``parse_pabulib`` (its instance and profile), setting up its equal shares (its
  satisfaction profile, voters and projects, as ``method_of_equal_shares_scheme`` does), one
  ``mes_inner_algo`` per budget per voter the Add1 completion tries, and its greedy completion
  (``greedy_utilitarian_welfare``, which builds its own satisfaction profile), all with cost
  satisfaction: what ``completion_by_rule_combination`` of ``method_of_equal_shares`` with
  ``voter_budget_increment=1`` and ``greedy_utilitarian_welfare`` does, step by step.

The Add1 completion may run equal shares hundreds of times, which takes pabutools seconds each at
50,000 voters. So pabutools makes at most ``sample`` of those runs: the first, the last two (where
its loop stops: it decides that from its own results) and some evenly spread between. Each is
compared with our run at the same budget per voter, pabutools' final result is completed from
its own runs, and the time of the runs it did not make is their mean time times their number
(the figures say "estimated" then). Greedy by votes is compared the same way, the parse counted
on each side. CPU time of this one process is the main figure (both run on one core, and it is
the figure other processes on the machine blur least); wall-clock time is reported beside it.
An instance counts as identical when both rules give the same projects in the same order.
"""

import random
import resource
import tempfile
import time
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from jindianzi.reviews.allocation import Instance, equal_shares, equal_shares_at, greedy, pabulib

INSTALL_HINT = (
    "pabutools is not installed. It is the reference implementation this benchmark compares with, "
    "and a test-only dependency (GPL-licensed, so never installed for production). Install it with "
    "./run test, or: pip install --no-deps -r requirements/test-nodeps.txt"
)
# Project costs in yuan for a district of 50,000 voters; other sizes scale them, so that the
# money per voter (which decides how many runs the Add1 completion makes) stays about the same.
COSTS = (20_000, 30_000, 50_000, 80_000, 100_000, 150_000, 200_000, 300_000)
COSTS_VOTERS = 50_000
MAX_APPROVALS = 5


@dataclass(frozen=True)
class Shape:
    name: str
    projects: int
    voters: int
    budget_share: float  # budget as a share of all projects' cost
    skew: float  # 0: all projects alike in popularity; 1.5: a few take most votes
    description: str


def shapes(*, voters: int, projects: int) -> list[Shape]:
    few = min(projects, 12)
    return [
        Shape("few-projects", few, voters, 0.4, 0.5, f"{few} projects, many voters"),
        Shape("typical", projects, voters, 0.3, 0.7, "budget 30% of the total cost"),
        Shape("skewed", projects, voters, 0.3, 1.6, "a few projects take most of the votes"),
        Shape("tight", projects, voters, 0.1, 0.7, "budget 10% of the total cost"),
        Shape("loose", projects, voters, 0.6, 0.7, "budget 60% of the total cost"),
    ]


def generate(shape: Shape, seed: int) -> Instance:
    """A district vote: projects of communities and district-wide ones; residents mostly approve
    projects of their own community, more often the popular ones."""
    rng = random.Random(f"{shape.name}-{seed}")
    ids = [str(k + 1) for k in range(shape.projects)]
    scale = shape.voters / COSTS_VOTERS
    costs = {project: max(1, round(rng.choice(COSTS) * scale)) for project in ids}
    communities = max(2, shape.projects // 10)
    local = {c: [] for c in range(communities)}
    district = []
    for project in ids:
        (district if rng.random() < 0.2 else local[rng.randrange(communities)]).append(project)
    popularity = {project: 1 / (rank + 1) ** shape.skew for rank, project in enumerate(rng.sample(ids, len(ids)))}
    sizes = [rng.uniform(0.5, 1.5) for _ in range(communities)]
    ballots = []
    for _ in range(shape.voters):
        community = rng.choices(range(communities), weights=sizes)[0]
        near = local[community] + district or ids
        pool = near if rng.random() < 0.8 else ids
        ballot = set(rng.choices(pool, weights=[popularity[p] for p in pool], k=rng.randint(1, MAX_APPROVALS)))
        ballots.append(ballot)
    budget = max(min(costs.values()), round(sum(costs.values()) * shape.budget_share))
    return Instance.from_approvals(budget, costs, ballots)


@dataclass
class Result:
    voters: int
    projects: int
    seed: int
    instances: list[dict] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"benchmark": "allocation", "voters": self.voters, "projects": self.projects, "seed": self.seed,
                **self.figures, "instances": self.instances}


def _clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def _since(mark: tuple[float, float]) -> tuple[float, float]:
    now = _clock()
    return now[0] - mark[0], now[1] - mark[1]


def _ours(path: Path) -> dict:
    mark = _clock()
    instance = pabulib.read(path.read_text(encoding="utf-8")).instance
    mes = equal_shares(instance)
    cpu, wall = _since(mark)
    mark = _clock()
    by_votes = greedy(pabulib.read(path.read_text(encoding="utf-8")).instance)
    greedy_cpu, _ = _since(mark)
    return {"instance": instance, "mes": mes, "greedy": by_votes, "cpu": cpu, "wall": wall, "greedy_cpu": greedy_cpu}


class _Pabutools:
    """pabutools on one file: its parse, its greedy, and its equal shares with the Add1 completion.

    pabutools' ``method_of_equal_shares(..., voter_budget_increment=1)`` sets its voters and
    projects up once, then runs the rounds (``mes_inner_algo``) once per budget per voter until the
    result is exhaustive or over budget; ``completion_by_rule_combination`` then completes it with
    ``greedy_utilitarian_welfare``. Done here step by step, as ``method_of_equal_shares_scheme``
    does it, so that a few of those runs can be timed and checked when running them all would
    take hours.
    """

    def __init__(self, path: Path):
        from pabutools.election import Cost_Sat, parse_pabulib

        self.sat_class = Cost_Sat
        mark = _clock()
        self.instance, self.profile = parse_pabulib(str(path))
        self.parse = _since(mark)

    def greedy(self, initial=None) -> tuple[list[str], tuple[float, float]]:
        from pabutools.rules import greedy_utilitarian_welfare

        mark = _clock()
        outcome = greedy_utilitarian_welfare(self.instance, self.profile, sat_class=self.sat_class,
                                             initial_budget_allocation=initial)
        return outcome, _since(mark)

    def set_up(self) -> tuple[float, float]:
        from pabutools.fractions import frac
        from pabutools.rules.mes.mes_rule import MESProject, MESVoter

        mark = _clock()
        sat_profile = self.profile.as_sat_profile(sat_class=self.sat_class)
        self.voters = [MESVoter(index, sat.ballot, sat, 0, sat_profile.multiplicity(sat))
                       for index, sat in enumerate(sat_profile)]
        self.projects = set()
        for project in self.instance:
            mes_project = MESProject(project)
            total = 0
            for index, voter in enumerate(self.voters):
                sat = voter.sat.sat_project(project)
                if sat > 0:
                    total += voter.total_sat_project(project)
                    mes_project.supporter_indices.append(index)
                    mes_project.unique_sat_supporter = sat
            if total > 0 and project.cost > 0:
                mes_project.total_sat = total
                mes_project.initial_affordability = mes_project.affordability = frac(project.cost, total)
                self.projects.add(mes_project)
        return _since(mark)

    def equal_shares_at(self, per_voter) -> tuple[list, tuple[float, float]]:
        from pabutools.rules import BudgetAllocation
        from pabutools.rules.mes.mes_rule import mes_inner_algo
        from pabutools.tiebreaking import lexico_tie_breaking

        mark = _clock()
        for voter in self.voters:
            voter.budget = per_voter
        for project in self.projects:
            project.affordability = project.initial_affordability
        outcomes = []
        mes_inner_algo(self.instance, self.profile, self.voters, copy(self.projects), lexico_tie_breaking,
                       BudgetAllocation(), outcomes, True)
        return outcomes[0], _since(mark)

    def stops_at(self, outcome) -> str | None:
        """Why pabutools' Add1 loop stops at this outcome, if it does."""
        if not self.instance.is_feasible(outcome):
            return "over budget"
        if self.instance.is_exhaustive(outcome, available_projects=self.projects):
            return "exhaustive"
        return None


def _sample(runs: int, size: int) -> list[int]:
    """Which of the runs 0 .. runs-1 pabutools makes: the first, the last two (where the loop stops) and
    some evenly spread between; all of them when there are no more than ``size``."""
    if runs <= size:
        return list(range(runs))
    chosen = {0, runs - 1, runs - 2}
    between = max(0, size - len(chosen))
    chosen.update(round(k * (runs - 1) / (between + 1)) for k in range(1, between + 1))
    return sorted(chosen)


def _theirs(path: Path, ours: dict, sample: int) -> dict:
    from fractions import Fraction

    pabutools = _Pabutools(path)
    by_votes, greedy_time = pabutools.greedy()
    set_up = pabutools.set_up()
    instance = ours["instance"]
    first = Fraction(instance.budget) / instance.voters if instance.voters else Fraction(0)
    runs = ours["mes"].details["runs"]
    checked = _sample(runs, sample)
    times, same_runs, outcomes = [], True, {}
    for k in checked:
        outcome, took = pabutools.equal_shares_at(first + k)
        outcomes[k] = outcome
        times.append(took)
        same_runs &= [p.name for p in outcome] == equal_shares_at(instance, first + k)
    # Where pabutools' own loop stops, from its own outcomes: the first run that is exhaustive or
    # over budget among those checked (all of them, when the sample is complete).
    stop = next((k for k in checked if pabutools.stops_at(outcomes[k])), None)
    if stop is None:
        final = None
    else:
        kept = outcomes[stop] if pabutools.stops_at(outcomes[stop]) == "exhaustive" else outcomes.get(stop - 1)
        if kept is None:
            final = None
        elif pabutools.instance.is_exhaustive(kept):
            final, completion_time = kept, (0.0, 0.0)
        else:
            final, completion_time = pabutools.greedy(initial=kept)
    per_run = [sum(t[i] for t in times) / len(times) for i in (0, 1)] if times else [0.0, 0.0]
    mes_time = [pabutools.parse[i] + set_up[i] + per_run[i] * runs + (completion_time[i] if final is not None else 0)
                for i in (0, 1)]
    return {
        "mes": [p.name for p in final] if final is not None else None, "greedy": [p.name for p in by_votes],
        "cpu": mes_time[0], "wall": mes_time[1], "greedy_cpu": pabutools.parse[0] + greedy_time[0],
        "runs_checked": len(checked), "estimated": len(checked) < runs, "same_runs": same_runs,
    }


def run(*, voters: int, projects: int, seed: int = 1, sample: int = 6, progress=lambda message: None) -> Result:
    """Raises ImportError (with ``INSTALL_HINT``) when pabutools is missing."""
    try:
        import pabutools.rules  # noqa: F401
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    result = Result(voters=voters, projects=projects, seed=seed)
    totals = dict.fromkeys(("ours_cpu", "ours_wall", "ours_greedy_cpu", "theirs_cpu", "theirs_wall",
                            "theirs_greedy_cpu"), 0.0)
    identical, estimated = True, False
    with tempfile.TemporaryDirectory(prefix="jindianzi-bench-") as folder:
        for shape in shapes(voters=voters, projects=projects):
            instance = generate(shape, seed)
            path = Path(folder) / f"{shape.name}.pb"
            path.write_text(pabulib.write(instance, meta={
                "description": f"jindianzi bench allocation: {shape.description}", "country": "China",
                "unit": "generated", "instance": shape.name, "rule": "equal_shares", "max_length": str(MAX_APPROVALS),
            }), encoding="utf-8")
            ours = _ours(path)
            theirs = _theirs(path, ours, sample)
            same_mes = ours["mes"].selected == theirs["mes"] and theirs["same_runs"]
            same_greedy = ours["greedy"].selected == theirs["greedy"]
            identical &= same_mes and same_greedy
            estimated |= theirs["estimated"]
            for side, figures in (("ours", ours), ("theirs", theirs)):
                totals[f"{side}_cpu"] += figures["cpu"]
                totals[f"{side}_wall"] += figures["wall"]
                totals[f"{side}_greedy_cpu"] += figures["greedy_cpu"]
            mes = ours["mes"]
            figures = {
                "name": shape.name, "description": shape.description, "projects": shape.projects,
                "voters": instance.voters, "distinct_ballots": len(instance.ballots),
                "budget": str(instance.budget), "file_mb": round(path.stat().st_size / 2**20, 2),
                "equal_shares_runs": mes.details["runs"], "budget_per_voter": mes.details["budget_per_voter"],
                "funded": len(mes.selected),
                "funded_in_completion": sum(o.reason == "funded_in_completion" for o in mes.outcomes.values()),
                "ours_cpu_seconds": round(ours["cpu"], 3), "ours_seconds": round(ours["wall"], 3),
                "baseline_cpu_seconds": round(theirs["cpu"], 3), "baseline_seconds": round(theirs["wall"], 3),
                "baseline_estimated": theirs["estimated"], "baseline_runs_made": theirs["runs_checked"],
                "ratio": round(theirs["cpu"] / max(1e-9, ours["cpu"]), 1),
                "ours_greedy_cpu_seconds": round(ours["greedy_cpu"], 3),
                "baseline_greedy_cpu_seconds": round(theirs["greedy_cpu"], 3),
                "greedy_ratio": round(theirs["greedy_cpu"] / max(1e-9, ours["greedy_cpu"]), 1),
                "identical": same_mes and same_greedy,
            }
            result.instances.append(figures)
            runs = (f"{theirs['runs_checked']} of its {mes.details['runs']} runs made, the rest estimated"
                    if theirs["estimated"] else f"all {mes.details['runs']} runs made")
            progress(
                f"{shape.name:<13} {shape.projects:>4} projects {instance.voters:>7,} voters "
                f"({len(instance.ballots):,} distinct ballots), {len(mes.selected)} funded: equal shares ours "
                f"{ours['cpu']:.2f} s, pabutools {theirs['cpu']:,.1f} s ({runs}), speed-up {figures['ratio']}x; "
                f"greedy ours {ours['greedy_cpu']:.2f} s, pabutools {theirs['greedy_cpu']:.1f} s, "
                f"speed-up {figures['greedy_ratio']}x; {'identical' if figures['identical'] else 'DIFFERENT'}"
            )
    result.figures = {
        "ours": {"cpu_seconds": round(totals["ours_cpu"], 3), "seconds": round(totals["ours_wall"], 3),
                 "greedy_cpu_seconds": round(totals["ours_greedy_cpu"], 3),
                 "method": "reviews.allocation: pabulib.read + equal_shares (MES, Add1, greedy completion)"},
        "baseline": {"cpu_seconds": round(totals["theirs_cpu"], 3), "seconds": round(totals["theirs_wall"], 3),
                     "greedy_cpu_seconds": round(totals["theirs_greedy_cpu"], 3), "estimated": estimated,
                     "method": "pabutools: parse_pabulib + method_of_equal_shares with voter_budget_increment=1 "
                               "+ greedy_utilitarian_welfare completion, Cost_Sat"},
        "ratio": round(totals["theirs_cpu"] / max(1e-9, totals["ours_cpu"]), 1),
        "ratio_wall_clock": round(totals["theirs_wall"] / max(1e-9, totals["ours_wall"]), 1),
        "greedy_ratio": round(totals["theirs_greedy_cpu"] / max(1e-9, totals["ours_greedy_cpu"]), 1),
        "identical": identical,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    return result
