"""Which corpus topic an idea is about, recognised from its text alone.

The collection does not store the topic an idea was written from (a real
idea has none), so later stages of the demo that want to talk about what an
idea is about (a project's name, its budget items, a plausible reason to
decline it) recognise it the way a reader would: by the words it shares with
each topic of its category. Features are the similarity engine's character
bigrams, so this needs no word segmentation either.
"""

import math
import re
from functools import lru_cache

from jindianzi.ideas.similarity.engine import features

from .corpus import CORPORA, Topic

_PLACEHOLDER = re.compile(r"\{[^}]*\}")


@lru_cache(maxsize=None)
def _topic_features(category: str) -> tuple[tuple[Topic, frozenset[str]], ...]:
    result = []
    for topic in CORPORA[category].topics:
        text = "\n".join((*topic.actions, *topic.projects, *topic.problems, *topic.proposals, *topic.spending))
        result.append((topic, features(_PLACEHOLDER.sub("\n", text))))
    return tuple(result)


def topic_of(*, category: str, title: str, problem: str, proposal: str) -> Topic:
    """The topic of ``category`` whose wording the text shares most of.

    Shared features are divided by the square root of the topic's vocabulary,
    so that a topic with many sentences does not win just by having more words.
    """
    found = features("\n".join((title, problem, proposal)))
    scored = [(len(found & vocabulary) / math.sqrt(len(vocabulary) or 1), index)
              for index, (_topic, vocabulary) in enumerate(_topic_features(category))]
    best = max(scored)[1]
    return _topic_features(category)[best][0]


def topic_key(topic: Topic) -> str:
    """A stable name for a topic: its first action ("在社区办一个老年食堂")."""
    return topic.actions[0]
