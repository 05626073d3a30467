"""``jindianzi bench similarity`` runs end to end at a small size and ends with one JSON line."""

import json

import pytest

from jindianzi.bench.ideas import generate, reword
from jindianzi.cli import main


def test_bench_similarity_prints_its_figures_as_json_on_the_last_line(capsys):
    assert main(["bench", "similarity", "--n", "2000", "--sample", "200", "--seed", "7", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    data = json.loads(out[-1])
    assert data["benchmark"] == "similarity" and data["n"] == 2000 and data["seed"] == 7
    for key in ("seconds", "pairs", "permutations", "bands", "rows"):
        assert key in data["ours"]
    for key in ("seconds", "pairs", "queries", "estimated"):
        assert key in data["baseline"]
    assert data["baseline"]["queries"] == 200 and data["baseline"]["estimated"] is True
    assert data["ratio"] > 0 and 0 <= data["recall"] <= 1
    assert data["recall"] >= 0.8  # a small sample, so a loose bound; 100,000 ideas give 0.95+
    assert data["planted"]["pairs"] == 40 and data["planted"]["found_by_ours"] >= 30
    assert data["background"]["other_category"]["max"] < data["threshold"]
    assert any("speed-up" in line for line in out[:-1])


def test_bench_without_json_prints_no_json(capsys):
    assert main(["bench", "similarity", "--n", "300", "--sample", "300"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert not out[-1].startswith("{") and "recall" in out[-1]


def test_bench_refuses_a_silly_size(capsys):
    assert main(["bench", "similarity", "--n", "1"]) != 0


def test_the_generator_is_repeatable_and_plants_near_duplicates_across_communities():
    first, again = generate(500, seed=2), generate(500, seed=2)
    assert first == again
    twins = [idea for idea in first if idea.twin_of is not None]
    assert len(twins) == 10
    for twin in twins:
        source = first[twin.twin_of]
        assert twin.street == source.street and twin.category == source.category
        assert (twin.title, twin.problem) != (source.title, source.problem)


@pytest.mark.parametrize("seed", range(5))
def test_reword_keeps_the_text_chinese_and_changes_some_words(seed):
    import random

    text = "我们每日组织志愿者看望老人。希望社区提供场地。大家一起帮助解决问题。"
    retold = reword(random.Random(seed), text, swap=1.0, drop=0.0)
    assert retold != text and "。" in retold
