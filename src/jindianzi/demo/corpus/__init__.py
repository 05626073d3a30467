"""The demo's text corpus: per service category, the topics residents write about."""

from . import comprehensive, disabled, elderly, special_groups, youth
from .topic import CategoryCorpus, Topic

CORPORA: dict[str, CategoryCorpus] = {
    module.CORPUS.code: module.CORPUS for module in (disabled, elderly, youth, special_groups, comprehensive)
}

__all__ = ["CORPORA", "CategoryCorpus", "Topic"]
