"""``jindianzi bench allocation`` runs end to end at a small size and ends with one JSON line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jindianzi.bench import allocation


def test_bench_allocation_compares_with_pabutools_and_prints_json_last():
    out = StringIO()
    call_command("bench", "allocation", "--voters", "300", "--projects", "8", "--baseline-runs", "4", "--json",
                 stdout=out)
    lines = out.getvalue().strip().splitlines()
    data = json.loads(lines[-1])
    assert data["benchmark"] == "allocation" and data["voters"] == 300 and data["projects"] == 8
    assert data["identical"] is True
    assert data["ours"]["cpu_seconds"] > 0 and data["baseline"]["cpu_seconds"] > 0 and data["ratio"] > 0
    assert [i["name"] for i in data["instances"]] == ["few-projects", "typical", "skewed", "tight", "loose"]
    for figures in data["instances"]:
        assert figures["identical"] is True and figures["voters"] == 300
        assert figures["baseline_runs_made"] <= max(4, figures["equal_shares_runs"])
    assert any("speed-up" in line for line in lines[:-1])


def test_bench_refuses_silly_sizes():
    with pytest.raises(CommandError):
        call_command("bench", "allocation", "--voters", "0")
    with pytest.raises(CommandError):
        call_command("bench", "allocation", "--baseline-runs", "2")


def test_without_pabutools_it_says_how_to_install_it(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pabutools(name, *args, **kwargs):
        if name.startswith("pabutools"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pabutools)
    with pytest.raises(CommandError, match=r"test-only dependency \(GPL.*\./run test"):
        call_command("bench", "allocation", "--voters", "10", "--projects", "3")


def test_the_generated_votes_are_repeatable():
    shape = allocation.shapes(voters=200, projects=10)[2]
    assert allocation.generate(shape, 3) == allocation.generate(shape, 3)
    assert allocation.generate(shape, 3) != allocation.generate(shape, 4)


def test_the_sample_of_runs_keeps_the_first_and_the_last_two():
    assert allocation._sample(3, 6) == [0, 1, 2]
    assert allocation._sample(100, 6) == [0, 25, 50, 74, 98, 99]
    assert allocation._sample(100, 3) == [0, 98, 99]
