"""Who may do what in a street's review round. Pages, the API and the services all ask these.

The rules say who; the services say when (no scores after scoring closed,
no decisions before it) and explain why not.
"""

import rules

from jindianzi.accounts.models import Role
from jindianzi.accounts.predicates import has_any_role, role_over_area

from .models import PanelMember
from .workflow import VoteState

# Street officers of the round's street and the district organiser prepare and run the round.
staff_over_round = role_over_area(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER, area_of=lambda r: r.street)
staff_over_street = role_over_area(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)
staff_over_assignment = role_over_area(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER,
                                       area_of=lambda a: a.round.street)


@rules.predicate
def chairs_round(user, review_round):
    return review_round is not None and user.is_authenticated and review_round.chair_id == user.pk


@rules.predicate
def sits_on_panel(user, review_round):
    return (review_round is not None and user.is_authenticated
            and PanelMember.objects.filter(round=review_round, user=user).exists())


@rules.predicate
def scores_revealed(user, review_round):
    return review_round is not None and review_round.scores_revealed


@rules.predicate
def vote_counted(user, review_round):
    return review_round is not None and review_round.vote_state == VoteState.COUNTED


@rules.predicate
def round_published(user, review_round):
    return review_round is not None and review_round.is_published


@rules.predicate
def is_assigned_reviewer(user, assignment):
    return assignment is not None and user.is_authenticated and assignment.reviewer_id == user.pk


# Creating a round: street officers (for their street, checked by the service) and the district organiser.
rules.add_perm("reviews.create_round", has_any_role(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER))
# The staff list of rounds: those who run rounds and those who sit on a panel.
# (anyone signed in may sit on a panel as a resident representative; the list shows each person only their rounds)
rules.add_perm("reviews.view_round_list", rules.is_authenticated)
# Panel, rubric, assignments, opening and closing the scoring, the resident vote's settings.
rules.add_perm("reviews.manage_round", staff_over_round)
# The round's workspace: progress (who has scored, not what) for the staff and the panel.
rules.add_perm("reviews.view_round", staff_over_round | sits_on_panel | chairs_round)
# Every reviewer's scores: only once scoring has closed, and only to the panel and the street's staff.
rules.add_perm("reviews.view_scores", scores_revealed & (staff_over_round | sits_on_panel | chairs_round))
# The vote's anonymous ballots as a Pabulib file (open data): the street's staff once the vote is counted,
# everyone once the round is published.
rules.add_perm("reviews.export_vote", vote_counted & (round_published | staff_over_round))
# Deciding and publishing: the round's chair.
rules.add_perm("reviews.decide_round", chairs_round)
# Scoring: the assigned reviewer only (a conflict of interest is refused by the service).
rules.add_perm("reviews.score_assignment", is_assigned_reviewer)
rules.add_perm("reviews.declare_conflict", is_assigned_reviewer)
# Residents' eligibility: the census list by the street's staff; in person by a community worker of the street.
rules.add_perm("reviews.import_census", staff_over_street)
rules.add_perm("reviews.verify_voter",
               role_over_area(Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER))
