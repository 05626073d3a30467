"""Plays the screening of an edition's ideas (调研优选) through the ideas services.

Community workers research ideas (research notes, ``idea_note_add``) and ask
proposers for improvements (``idea_screen`` with ``request_improvement``);
proposers, or the worker for a paper form, improve them (``idea_revise``);
the street officer shortlists one by one, with a reason, and declines the
rest street by street, one bulk decision per reason (``ideas_screen_bulk``).

Which ideas are shortlisted is decided first, as a street would after its
research: per category, the best-written ideas with feasible budgets that
the competition funds (services rather than building works), plus ideas
that say much the same as one of them in the same street, which later
stages merge into one project (二次优化整合).
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from jindianzi.ideas.models import Channel, Idea
from jindianzi.ideas.services import idea_note_add, idea_revise, idea_screen, ideas_screen_bulk
from jindianzi.ideas.similarity import engine

from .corpus import voices
from .corpus.screening import (
    DECLINE_REASONS, FACILITY_TOPICS, GENERAL_DECLINES, IMPROVED_SHORTLIST_REASONS, NOTE_AGAINST, NOTE_DISCOURAGE,
    NOTE_FOR, NOTE_RECOMMEND, NOTE_VISITS, SECOND_REQUEST, SHORTLIST_REASONS,
)
from .corpus.topic import Topic
from .improvement import IdeaFields, improve, improvement_requests, itemise, request_text
from .neighbourhoods import NEW, RESETTLED
from .topics import topic_key, topic_of
from .writer import fill

# How similar (the engine's score) an idea must be to a shortlisted idea of its street to be shortlisted
# with it, for merging: as similar as the engine shows staff at all. An idea the engine takes for the
# same idea reworded is declined as a duplicate instead.
COMPANION_SIMILARITY = engine.RELATED
DUPLICATE_SIMILARITY = engine.THRESHOLD
# How many similar ideas join a shortlisted idea, when it has some: most one, a few two or three.
COMPANIONS, COMPANION_WEIGHTS = (1, 2, 3), (45, 35, 20)
# Shares of ideas that get a research note, that are asked for an improvement before they are
# shortlisted (paper forms are shorter and more often need one), and asked a second time.
NOTED_SHORTLISTED, NOTED_DECLINED = 0.85, 0.3
IMPROVED_ON_PAPER, IMPROVED_ONLINE, ASKED_AGAIN = 0.65, 0.42, 0.15
# Ideas asked for an improvement whose proposer never answered; declined at the end.
UNANSWERED = 0.02
HIGH_BUDGET, LOW_BUDGET = Decimal("0.75"), Decimal("500")
SHORT_TEXT = 115


@dataclass
class Candidate:
    idea: Idea
    topic: Topic
    hashes: np.ndarray
    quality: float

    @property
    def street_id(self) -> int:
        return self.idea.community.parent_id

    @property
    def category(self) -> str:
        return self.idea.category.code


def _quality(rng: random.Random, idea: Idea, topic: Topic, max_budget: Decimal) -> float:
    """How a street would rate an idea after research: detail, feasibility, fit with what is funded."""
    score = min(len(idea.problem) + len(idea.proposal), 400) / 400
    if idea.proposer_organization_id:
        score += 0.25  # an organisation brings the people to run it
    if topic_key(topic) in FACILITY_TOPICS:
        score -= 0.5
    if idea.estimated_budget >= max_budget * HIGH_BUDGET:
        score -= 0.5
    elif idea.estimated_budget >= max_budget / 2:
        score -= 0.2
    elif idea.estimated_budget < LOW_BUDGET:
        score -= 0.2
    return score + rng.gauss(0, 0.3)  # what the research finds that the text does not show


def candidates_of(rng: random.Random, ideas: list[Idea], *, max_budget: Decimal) -> list[Candidate]:
    result = []
    for idea in ideas:
        topic = topic_of(category=idea.category.code, title=idea.title, problem=idea.problem, proposal=idea.proposal)
        hashes = engine.hashed(engine.features(engine.idea_text(idea.title, idea.problem, idea.proposal,
                                                                 idea.beneficiaries)))
        result.append(Candidate(idea, topic, hashes, _quality(rng, idea, topic, max_budget)))
    return result


def choose_shortlist(rng: random.Random, candidates: list[Candidate], *, shortlisted: dict[str, int],
                     projects: dict[str, int]) -> list[Candidate]:
    """Per category, ``projects[c]`` leading ideas and similar ideas of their streets, ``shortlisted[c]`` in all."""
    by_category = defaultdict(list)
    for candidate in candidates:
        by_category[candidate.category].append(candidate)
    chosen = []
    for code, pool in by_category.items():
        pool = sorted(pool, key=lambda c: (-c.quality, c.idea.pk))
        wanted = min(shortlisted.get(code, 0), len(pool))
        leads = pool[:min(projects.get(code, 0), wanted)]
        taken = {c.idea.pk for c in leads}
        need = wanted - len(leads)
        partners = {lead.idea.pk: _similar(lead, pool, taken) for lead in leads}
        # Leads with the closest look-alikes first: that is where merging is most obvious.
        for lead in sorted(leads, key=lambda c: (-(partners[c.idea.pk][0][0] if partners[c.idea.pk] else 0),
                                                 c.idea.pk)):
            if need <= 0:
                break
            size = rng.choices(COMPANIONS, weights=COMPANION_WEIGHTS)[0]
            for _score, other in partners[lead.idea.pk]:
                if size <= 0 or need <= 0:
                    break
                if other.idea.pk not in taken:
                    taken.add(other.idea.pk)
                    chosen.append(other)
                    size -= 1
                    need -= 1
        # Too few look-alikes: the next best ideas of the category make up the number.
        for other in pool:
            if need <= 0:
                break
            if other.idea.pk not in taken:
                taken.add(other.idea.pk)
                chosen.append(other)
                need -= 1
        chosen.extend(leads)
    return sorted(chosen, key=lambda c: c.idea.pk)


def _similar(lead: Candidate, pool: list[Candidate], taken: set[int]) -> list[tuple[float, Candidate]]:
    found = [(engine.jaccard(lead.hashes, other.hashes), other) for other in pool
             if other.street_id == lead.street_id and other.idea.pk not in taken]
    found = [(score, other) for score, other in found if score >= COMPANION_SIMILARITY]
    return sorted(found, key=lambda pair: (-pair[0], pair[1].idea.pk))


@dataclass
class Screeners:
    workers: dict[int, object]   # community id -> its community worker
    officers: dict[int, object]  # street id -> its street officer

    def worker(self, idea: Idea):
        return self.workers[idea.community_id]

    def officer(self, idea: Idea):
        return self.officers[idea.community.parent_id]


def _note(rng: random.Random, idea: Idea, *, favourable: bool, day: str) -> str:
    names = {"c": idea.community.name, "date": day, "room": rng.choice(voices.ROOMS),
             "partner": rng.choice(voices.PARTNERS)}
    findings = rng.sample(NOTE_FOR if favourable else NOTE_AGAINST, rng.choice((1, 2, 2)))
    closing = rng.choice(NOTE_RECOMMEND if favourable else NOTE_DISCOURAGE)
    return fill(rng.choice(NOTE_VISITS) + "".join(findings) + closing, rng, names)


def _research_day(rng: random.Random) -> str:
    # Research takes the first weeks of the optimisation phase (May).
    return f"5月{rng.randint(3, 26)}日"


def _fields(idea: Idea) -> IdeaFields:
    return IdeaFields(idea.title, idea.problem, idea.proposal, idea.beneficiaries, idea.estimated_budget)


def _reviser(idea: Idea, screeners: Screeners):
    # The proposer edits their own idea; a paper or imported idea has no account, so its worker does.
    return idea.proposer if idea.proposer_id else screeners.worker(idea)


def _improve_and_shortlist(rng: random.Random, candidate: Candidate, screeners: Screeners, max_budget) -> None:
    idea = candidate.idea
    requests = improvement_requests(rng)
    idea_screen(actor=screeners.worker(idea), idea=idea, decision="request_improvement",
                reason=request_text(requests))
    change = improve(rng, _fields(idea), requests=requests, community=idea.community.name, max_budget=max_budget)
    _revise(idea, change, actor=_reviser(idea, screeners))
    if rng.random() < ASKED_AGAIN:
        idea_screen(actor=screeners.officer(idea), idea=idea, decision="request_improvement", reason=SECOND_REQUEST)
        _revise(idea, itemise(rng, change.fields, spending=candidate.topic.spending), actor=_reviser(idea, screeners))
    idea_screen(actor=screeners.officer(idea), idea=idea, decision="shortlist",
                reason=rng.choice(IMPROVED_SHORTLIST_REASONS))


def _revise(idea: Idea, change, *, actor) -> None:
    fields = change.fields
    idea_revise(actor=actor, idea=idea, title=fields.title, problem=fields.problem, proposal=fields.proposal,
                beneficiaries=fields.beneficiaries, estimated_budget=fields.estimated_budget, note=change.note)
    # Keep the in-memory idea in step with what was saved, for the next round.
    for name in IdeaFields.__dataclass_fields__:
        setattr(idea, name, getattr(fields, name))


def _decline_reason(rng: random.Random, candidate: Candidate, *, setting: str, look_alike: float,
                    max_budget: Decimal) -> str:
    """The plain reason a street gives, from what research found about the idea."""
    idea = candidate.idea
    if topic_key(candidate.topic) in FACILITY_TOPICS and rng.random() < 0.85:
        return "property" if setting in (NEW, RESETTLED) else "renovation"
    if look_alike >= DUPLICATE_SIMILARITY:
        return "duplicate"
    if idea.estimated_budget >= max_budget * HIGH_BUDGET and rng.random() < 0.8:
        return "budget"
    if idea.channel != Channel.WEB and len(idea.problem) + len(idea.proposal) < SHORT_TEXT and rng.random() < 0.35:
        return "details"
    return rng.choices(list(GENERAL_DECLINES), weights=list(GENERAL_DECLINES.values()))[0]


def _look_alikes(declined: list[Candidate], shortlisted: list[Candidate]) -> dict[int, float]:
    """For each declined idea, its highest similarity to a shortlisted idea of the same street and category."""
    chosen = defaultdict(list)
    for candidate in shortlisted:
        chosen[(candidate.street_id, candidate.category)].append(candidate.hashes)
    return {c.idea.pk: max((engine.jaccard(c.hashes, h) for h in chosen[(c.street_id, c.category)]), default=0.0)
            for c in declined}


def screen(rng: random.Random, *, candidates: list[Candidate], shortlist: list[Candidate], screeners: Screeners,
           settings: dict[str, str], max_budget: Decimal) -> None:
    """Play every screening decision: notes, improvements, shortlists one by one, declines in bulk per street."""
    chosen = {c.idea.pk for c in shortlist}
    declined = [c for c in candidates if c.idea.pk not in chosen]

    for candidate in candidates:
        favourable = candidate.idea.pk in chosen
        if rng.random() < (NOTED_SHORTLISTED if favourable else NOTED_DECLINED):
            idea = candidate.idea
            idea_note_add(actor=screeners.worker(idea), idea=idea,
                          text=_note(rng, idea, favourable=favourable, day=_research_day(rng)))

    for candidate in shortlist:
        on_paper = candidate.idea.channel != Channel.WEB
        if rng.random() < (IMPROVED_ON_PAPER if on_paper else IMPROVED_ONLINE):
            _improve_and_shortlist(rng, candidate, screeners, max_budget)
        else:
            idea_screen(actor=screeners.officer(candidate.idea), idea=candidate.idea, decision="shortlist",
                        reason=rng.choice(SHORTLIST_REASONS))

    look_alikes = _look_alikes(declined, shortlist)
    by_reason = defaultdict(list)  # (street id, reason) -> ideas, in the order first met
    for candidate in declined:
        idea = candidate.idea
        if rng.random() < UNANSWERED:
            requests = improvement_requests(rng)
            idea_screen(actor=screeners.worker(idea), idea=idea, decision="request_improvement",
                        reason=request_text(requests))
            reason = "no_reply"
        else:
            reason = _decline_reason(rng, candidate, setting=settings[idea.community.name],
                                     look_alike=look_alikes[idea.pk], max_budget=max_budget)
        by_reason[(candidate.street_id, reason)].append(idea)
    for (_street, reason), ideas in by_reason.items():
        _done, refused = ideas_screen_bulk(actor=screeners.officer(ideas[0]), ideas=ideas, decision="decline",
                                           reason=DECLINE_REASONS[reason])
        if refused:
            raise RuntimeError(f"the demo's screening was refused: {refused[0][1]}")
