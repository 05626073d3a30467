"""The idea writer and its corpus: every template fills in and fits the idea's fields. No database needed."""

import random
from decimal import Decimal

import pytest

from jindianzi.demo.corpus import CORPORA
from jindianzi.demo.neighbourhoods import NEW, OLD, RESETTLED, TOWN
from jindianzi.demo.places import STREETS
from jindianzi.demo.writer import IdeaWriter, budget_text, fill, spoken_number
from jindianzi.editions.defaults import DEFAULT_CATEGORIES

MAX = Decimal("20000.00")


COMMUNITIES = [community for _street, _kind, communities in STREETS for community, _setting in communities]


def _many(seed: int, count: int = 400):
    rng = random.Random(seed)
    writer = IdeaWriter(rng, max_budget=MAX)
    for i in range(count):
        category = list(CORPORA)[i % len(CORPORA)]
        yield category, writer.write(
            category=category, community=COMMUNITIES[i % len(COMMUNITIES)], street="西屯街道",
            setting=(OLD, NEW, RESETTLED, TOWN)[i % 4], organization="晓菲志愿服务站" if i % 7 == 0 else "",
            on_paper=i % 3 == 0,
        )


def test_there_is_a_corpus_for_each_default_category():
    assert set(CORPORA) == {code for code, _zh, _en in DEFAULT_CATEGORIES}


def test_every_text_is_filled_in_and_fits_its_field():
    for _category, text in _many(seed=1, count=2000):
        for value, limit in ((text.title, 80), (text.problem, 2000), (text.proposal, 4000),
                             (text.beneficiaries, 200)):
            assert value and len(value) <= limit
            assert "{" not in value and "}" not in value
        assert Decimal("100") <= text.estimated_budget <= MAX
        assert text.estimated_budget == text.estimated_budget.quantize(Decimal("0.01"))


def test_the_proposal_states_the_estimated_budget():
    for _category, text in _many(seed=2):
        assert f"{budget_text(text.estimated_budget)}元" in text.proposal


def test_an_organisation_speaks_as_itself():
    texts = [text for i, (_c, text) in enumerate(_many(seed=3)) if i % 7 == 0]
    assert all("晓菲志愿服务站" in t.problem or "晓菲志愿服务站" in t.proposal or "我们有开展" in t.proposal
               for t in texts)


def test_the_same_seed_writes_the_same_ideas():
    assert list(_many(seed=4)) == list(_many(seed=4))
    assert list(_many(seed=4)) != list(_many(seed=5))


def test_titles_are_mostly_distinct():
    titles = [text.title for _c, text in _many(seed=6, count=2000)]
    assert len(set(titles)) >= 0.95 * len(titles)


@pytest.mark.parametrize("raw, spoken", [(7, 7), (29, 29), (87, 85), (123, 120), (1234, 1200)])
def test_numbers_are_rounded_as_people_say_them(raw, spoken):
    assert spoken_number(raw) == spoken


def test_fill_replaces_names_and_ranges():
    rng = random.Random(0)
    text = fill("{c}有{n:3-3}位{s}的老人", rng, {"c": "花园社区", "s": "花园"})
    assert text == "花园社区有3位花园的老人"


def test_budget_text_drops_zero_fen():
    assert budget_text(Decimal("4800.00")) == "4800"
    assert budget_text(Decimal("3865.50")) == "3865.50"
