from django.urls import path

from .views import ballots, chair, panel, public, residents, rounds, scoring

app_name = "reviews"
urlpatterns = [
    # Staff: preparing and running a street's round.
    path("staff/reviews/", rounds.round_list, name="rounds"),
    path("staff/reviews/new/", rounds.round_create, name="round_create"),
    path("staff/reviews/rubric/<slug:slug>/", rounds.rubric, name="rubric"),
    path("staff/reviews/<int:pk>/", rounds.round_detail, name="round"),
    path("staff/reviews/<int:pk>/settings/", rounds.round_settings, name="round_settings"),
    path("staff/reviews/<int:pk>/panel/", panel.panel_add, name="panel_add"),
    path("staff/reviews/<int:pk>/panel/<int:member>/remove/", panel.panel_remove, name="panel_remove"),
    path("staff/reviews/<int:pk>/assign/", panel.assign, name="assign"),
    path("staff/reviews/<int:pk>/assignments/<int:assignment>/remove/", panel.assignment_remove,
         name="assignment_remove"),
    path("staff/reviews/<int:pk>/scoring/open/", rounds.scoring_open, name="scoring_open"),
    path("staff/reviews/<int:pk>/scoring/close/", rounds.scoring_close, name="scoring_close"),
    path("staff/reviews/<int:pk>/scores/", chair.scores, name="scores"),
    # The chair: ranking within the street's budget, decisions, publication.
    path("staff/reviews/<int:pk>/ranking/", chair.ranking, name="ranking"),
    path("staff/reviews/<int:pk>/decide/<slug:code>/", chair.decide, name="decide"),
    path("staff/reviews/<int:pk>/publish/", chair.publish, name="publish"),
    # The resident vote's settings, opening, closing and Pabulib files.
    path("staff/reviews/<int:pk>/vote/", ballots.vote_settings, name="vote_settings"),
    path("staff/reviews/<int:pk>/vote/open/", ballots.vote_open, name="vote_open"),
    path("staff/reviews/<int:pk>/vote/close/", ballots.vote_close, name="vote_close"),
    path("staff/reviews/<int:pk>/vote/export.pb", ballots.vote_export, name="vote_export"),
    path("staff/reviews/<int:pk>/vote/import/", ballots.vote_import, name="vote_import"),
    # Who may vote: the street's census list, and residents confirmed in person by a community worker.
    path("staff/reviews/census/", residents.census_import, name="census_import"),
    path("staff/reviews/voters/", residents.voter_verify, name="voter_verify"),
    # Reviewers: their assignments, scoring, declaring a conflict.
    path("staff/reviews/mine/", scoring.my_assignments, name="my_assignments"),
    path("staff/reviews/score/<int:assignment>/", scoring.score, name="score"),
    path("staff/reviews/score/<int:assignment>/conflict/", scoring.declare_conflict, name="conflict"),
    # Public: results of published rounds, and the resident vote on a phone.
    path("reviews/", public.results_list, name="results_list"),
    path("reviews/<int:pk>/", public.results, name="results"),
    path("vote/", public.vote_list, name="vote_list"),
    path("vote/<int:pk>/", public.ballot, name="ballot"),
    path("vote/<int:pk>/result/", public.vote_result, name="vote_result"),
]
