"""Plays the integration (二次优化整合): each street officer merges the street's shortlisted ideas into projects.

Ideas are grouped the way staff use the similarity view: within one street and
one service category, the most similar pairs (Jaccard index of the similarity
engine's features) are put together first, never more than ``GROUP_CAP`` ideas
in a project, until the category has the number of projects wanted. Each group
becomes a project through ``projects_merge``, named after its strongest idea
or in the style of a project name (老爷庙社区“银龄”爱心助餐点).
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from jindianzi.ideas.models import Idea
from jindianzi.ideas.similarity import engine
from jindianzi.ideas.workflow import IdeaState
from jindianzi.projects.models import Project
from jindianzi.projects.services import projects_merge

from .corpus import CORPORA
from .corpus.topic import Topic
from .topics import topic_of

GROUP_CAP = 4
# How residents phrase a request rather than name a project: such titles are not kept as a project's name.
REQUEST_PREFIXES = ("建议", "希望", "关于")
REQUEST_MARKERS = ("的建议", "的提案", "居民建议")
KEEP_OWN_TITLE = 0.6     # a single idea with a project-like title usually keeps it
NAMED_AS_PROJECT = 0.3   # some names end in 项目, as on a district's project list
SUMMARY_LIMIT = 2000


@dataclass
class MergedProject:
    project: Project
    ideas: list[Idea]  # strongest first
    topic: Topic


def _strength(idea: Idea) -> tuple:
    # The most detailed idea leads; an organisation's idea comes with people to run it.
    return (-(len(idea.problem) + len(idea.proposal) + (60 if idea.proposer_organization_id else 0)), idea.pk)


def groups_of(ideas: list[Idea], *, projects: dict[str, int]) -> list[list[Idea]]:
    """The ideas in groups, ``projects[c]`` groups for category ``c`` where the streets allow it."""
    by_category = defaultdict(list)
    for idea in sorted(ideas, key=lambda i: i.pk):
        by_category[idea.category.code].append(idea)
    groups = []
    for code, members in by_category.items():
        groups += _cluster(members, target=projects.get(code, len(members)))
    return sorted((sorted(group, key=_strength) for group in groups), key=lambda g: min(i.pk for i in g))


def _cluster(ideas: list[Idea], *, target: int) -> list[list[Idea]]:
    """Greedy single-linkage within each street: the most similar pair first, until ``target`` groups remain."""
    hashes = [engine.hashed(engine.features(engine.idea_text(i.title, i.problem, i.proposal, i.beneficiaries)))
              for i in ideas]
    pairs = sorted(((engine.jaccard(hashes[a], hashes[b]), a, b) for a, b in combinations(range(len(ideas)), 2)
                    if ideas[a].community.parent_id == ideas[b].community.parent_id),
                   key=lambda pair: (-pair[0], pair[1], pair[2]))
    root = list(range(len(ideas)))
    size = [1] * len(ideas)

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    count = len(ideas)
    for _score, a, b in pairs:
        if count <= target:
            break
        ra, rb = find(a), find(b)
        if ra != rb and size[ra] + size[rb] <= GROUP_CAP:
            root[rb] = ra
            size[ra] += size[rb]
            count -= 1
    members = defaultdict(list)
    for index, idea in enumerate(ideas):
        members[find(index)].append(idea)
    return list(members.values())


def _asks_rather_than_names(title: str) -> bool:
    return title.startswith(REQUEST_PREFIXES) or any(marker in title for marker in REQUEST_MARKERS)


def project_title(rng: random.Random, ideas: list[Idea], topic: Topic) -> str:
    """The strongest idea's own title when it already names a project, otherwise a project-style name."""
    lead = ideas[0]
    if len(ideas) == 1 and not _asks_rather_than_names(lead.title) and rng.random() < KEEP_OWN_TITLE:
        return lead.title
    corpus = CORPORA[lead.category.code]
    project = rng.choice(topic.projects).replace("{brand}", rng.choice(corpus.brands))
    communities = {idea.community_id for idea in ideas}
    if len(communities) == 1:
        title = lead.community.name + project.removeprefix("社区")  # 老爷庙社区健康小屋, not 老爷庙社区社区健康小屋
    else:
        title = lead.community.parent.name + project
    if rng.random() < NAMED_AS_PROJECT and not title.endswith(("项目", "计划", "行动")):
        title += "项目"
    return title


def _quoted(title: str) -> str:
    # Quotation marks inside quotation marks are single: “老爷庙社区‘银龄’助餐点”.
    return "“" + title.replace("“", "‘").replace("”", "’") + "”"


def project_summary(ideas: list[Idea]) -> str:
    lead = ideas[0]
    first_sentence = lead.proposal.split("。")[0] + "。"
    if len(ideas) == 1:
        origin = f"源自{lead.community.name}的金点子{_quoted(lead.title)}。"
    else:
        listed = "、".join(f"{_quoted(idea.title)}（{idea.community.name}）" for idea in ideas)
        origin = f"由{len(ideas)}个内容相近的金点子整合而成：{listed}。"
    return (origin + first_sentence)[:SUMMARY_LIMIT]


def integrate(rng: random.Random, *, edition, officers: dict[int, object],
              projects: dict[str, int]) -> list[MergedProject]:
    """Merge every shortlisted idea of the edition into projects, as the officer of each idea's street."""
    ideas = list(Idea.objects.filter(edition=edition, state=IdeaState.SHORTLISTED)
                 .select_related("community", "community__parent", "category").order_by("pk"))
    merged = []
    for group in groups_of(ideas, projects=projects):
        lead = group[0]
        topic = topic_of(category=lead.category.code, title=lead.title, problem=lead.problem, proposal=lead.proposal)
        street = Counter(idea.community.parent_id for idea in group).most_common(1)[0][0]
        project = projects_merge(actor=officers[street], ideas=group, title=project_title(rng, group, topic),
                                 summary=project_summary(group))
        merged.append(MergedProject(project, group, topic))
    return merged
