"""pabutools, the reference implementation, run on a ``.pb`` file exactly as our code reads it.

pabutools is a test-only dependency (GPL; installed by ``./run test`` from
requirements/test-nodeps.txt), so nothing outside the tests and the benchmark imports it.
"""

from pathlib import Path

from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares

from jindianzi.reviews.allocation import equal_shares, greedy, pabulib


def theirs(path: Path) -> dict[str, list[str]]:
    """pabutools' winners, in order, for the three rules we implement."""
    instance, profile = parse_pabulib(str(path))
    completed = completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}])
    return {
        "greedy": [p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)],
        "equal_shares": [p.name for p in method_of_equal_shares(instance, profile, sat_class=Cost_Sat)],
        "equal_shares_completed": [p.name for p in completed],
    }


def ours(path: Path) -> dict[str, list[str]]:
    instance = pabulib.read(path.read_text(encoding="utf-8")).instance
    return {
        "greedy": greedy(instance).selected,
        "equal_shares": equal_shares(instance, completion=False).selected,
        "equal_shares_completed": equal_shares(instance).selected,
    }


def compare(instance, folder: Path, name: str = "vote") -> tuple[dict, dict]:
    """Write ``instance`` as a ``.pb`` file and run both sides on that same file."""
    path = folder / f"{name}.pb"
    path.write_text(pabulib.write(instance), encoding="utf-8")
    return ours(path), theirs(path)
