"""Reading and writing Pabulib ``.pb`` files."""

import random
from decimal import Decimal

import pytest

from jindianzi.reviews.allocation import Ballot, Instance, pabulib

from .generate import instance as generated


def vote() -> Instance:
    return Instance(Decimal("1000.50"), {"1": 600, "2": Decimal("250.25"), "10": 400, "公园": 100},
                    [Ballot(frozenset({"1", "2"}), 3), Ballot(frozenset(), 1), Ballot(frozenset({"10", "公园"}), 2)])


def test_the_written_text_is_pabulib():
    text = pabulib.write(vote(), meta={"description": "老爷庙社区 2026", "unit": "老爷庙社区", "rule": "equalshares"},
                         names={"1": "长椅; 和花坛", "2": '"路灯"'}, selected={"1", "10"})
    lines = text.splitlines()
    assert lines[:2] == ["META", "key;value"]
    assert "num_projects;4" in lines and "num_votes;6" in lines and "budget;1000.50" in lines
    assert "vote_type;approval" in lines and "rule;equalshares" in lines
    projects = lines.index("PROJECTS")
    assert lines[projects + 1] == "project_id;cost;votes;name;selected"
    assert lines[projects + 2] == '1;600;3;"长椅; 和花坛";1'
    assert lines[projects + 3] == '2;250.25;3;"""路灯""";0'
    assert lines[projects + 5] == "公园;100;2;;0"
    votes = lines.index("VOTES")
    assert lines[votes + 1] == "voter_id;vote"
    # One line per voter, the multiplicities expanded.
    assert lines[votes + 2:] == ["1;1,2", "2;1,2", "3;1,2", "4;", "5;10,公园", "6;10,公园"]


def test_round_trip_keeps_everything():
    meta = {"description": "老爷庙社区 2026", "country": "China", "unit": "老爷庙社区", "instance": "2026",
            "rule": "equalshares", "max_length": "3", "max_sum_cost": "800", "date_begin": "01.05.2026"}
    names = {"1": "长椅; 和花坛", "2": '"路灯"', "10": "line\nbreak"}
    text = pabulib.write(vote(), meta=meta, names=names, selected={"1", "10"})
    back = pabulib.read(text)
    assert back.instance == vote()
    assert back.names == names and back.selected == frozenset({"1", "10"})
    assert back.meta == {**meta, "num_projects": "4", "num_votes": "6", "budget": "1000.50", "vote_type": "approval"}
    assert type(back.instance.projects["1"]) is int and back.instance.projects["2"] == Decimal("250.25")
    assert pabulib.write(back.instance, meta=back.meta, names=back.names, selected=back.selected) == text


def test_without_names_or_selection_those_columns_are_left_out():
    text = pabulib.write(vote())
    assert "project_id;cost;votes\n" in text
    back = pabulib.read(text)
    assert back.names == {} and back.selected is None and back.instance == vote()


@pytest.mark.parametrize("seed", range(20))
def test_round_trip_of_generated_votes(seed):
    rng = random.Random(seed)
    instance = generated(rng, projects=rng.randint(1, 20), voters=rng.randint(0, 300), templates=rng.choice([None, 3]),
                         fen=rng.random() < 0.5)
    back = pabulib.read(pabulib.write(instance)).instance
    assert back.budget == instance.budget and back.projects == instance.projects
    assert dict(back.ballots) == dict(instance.ballots)


def test_reads_a_file_as_pabulib_publishes_them():
    text = "\ufeff" + "\n".join([
        "META", "key;value", "description;Municipal PB in Wieliczka", "country;Poland", "unit;Wieliczka",
        "num_projects;3", "num_votes;4", "budget;1000,5", "vote_type;approval", "rule;greedy", "",
        "PROJECTS", "project_id;cost;name;category;votes;selected",
        "1;500;Playground;education,sport;3;1", "2;400,5;Trees;environment;2;1", "3;900;Library;culture;0;0",
        "VOTES", "voter_id;age;sex;vote;voting_method",
        "a1;27;F;1,2;paper", "a2;40;M;2,1;internet", "a3;33;F;1;internet", "a4;51;M;;paper",
    ]) + "\n"
    pb = pabulib.read(text)
    assert pb.instance.budget == Decimal("1000.5")
    assert pb.instance.projects == {"1": 500, "2": Decimal("400.5"), "3": 900}
    assert dict(pb.instance.ballots) == {frozenset({"1", "2"}): 2, frozenset({"1"}): 1, frozenset(): 1}
    assert pb.names == {"1": "Playground", "2": "Trees", "3": "Library"}
    assert pb.selected == frozenset({"1", "2"}) and pb.meta["rule"] == "greedy"


@pytest.mark.parametrize(("text", "message"), [
    ("META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
     "only approval"),
    ("META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n", "no budget"),
    ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;2\n", "unknown projects"),
    ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;five\nVOTES\nvoter_id;vote\n", "not an amount"),
    ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n1;6\nVOTES\nvoter_id;vote\n", "twice"),
    ("budget;10\n", "before any"),
])
def test_refuses_what_it_cannot_read(text, message):
    with pytest.raises(ValueError, match=message):
        pabulib.read(text)


def test_refuses_what_it_cannot_write():
    with pytest.raises(ValueError, match="only approval"):
        pabulib.write(vote(), meta={"vote_type": "ordinal"})
    with pytest.raises(ValueError, match="unknown projects"):
        pabulib.write(vote(), names={"99": "x"})
    with pytest.raises(ValueError, match="cannot be written"):
        pabulib.write(vote(), meta={"a;b": "x"})
