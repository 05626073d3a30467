"""The edition's figures, computed from the database every time they are asked for.

The keys and nesting follow ``shared/seed/figures.json`` so the demo edition
can be compared with the article figure by figure. Each lifecycle stage adds
its own section here as it lands; nothing is stored as a constant.
"""

from jindianzi.ideas.models import Idea
from jindianzi.ideas.workflow import COLLECTED_STATES, SELECTED_STATES
from jindianzi.reviews.models import Decision
from jindianzi.reviews.workflow import APPROVING_OUTCOMES, RoundState


def funnel(edition) -> dict:
    return {
        # Withdrawn ideas were taken back by their proposers and are not counted as collected.
        "ideas_collected": Idea.objects.filter(edition=edition, state__in=COLLECTED_STATES).count(),
        # 调研优选和完善提升: ideas shortlisted after research, whether or not merged into a project yet.
        "ideas_shortlisted_and_improved": Idea.objects.filter(edition=edition, state__in=SELECTED_STATES).count(),
        # 立项: projects approved (with or without conditions) by the street review rounds that published results.
        "projects_approved_by_street_review": Decision.objects.filter(
            round__edition=edition, round__state=RoundState.PUBLISHED, outcome__in=APPROVING_OUTCOMES).count(),
    }


def edition_header(edition) -> dict:
    return {
        "name": edition.name,
        "slug": edition.slug,
        "district": edition.district.name,
        "current_phase": edition.current_phase,
        "phases": [
            {"phase": p.kind, "starts_on": p.starts_on and p.starts_on.isoformat(),
             "ends_on": p.ends_on and p.ends_on.isoformat()}
            for p in sorted(edition.phases.all(), key=lambda p: p.order)
        ],
    }


def edition_figures(edition) -> dict:
    return {
        "edition": edition_header(edition),
        "funnel": funnel(edition),
    }
