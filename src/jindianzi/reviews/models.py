from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jindianzi.core.money import money_field_kwargs

from .workflow import (
    PUBLIC_LABELS, Aggregation, BallotLimit, Conflict, Outcome, PanelRole, RoundState, VerificationMethod,
    VoteRule, VoteState, VoteUse,
)

MAX_POINTS = 10


class Criterion(models.Model):
    """One criterion of the edition's rubric, scored 0–10 and weighted (need, feasibility, ...)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="review_criteria")
    code = models.SlugField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=60)
    guidance = models.CharField(_("what to look for"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="criterion_unique_code")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class ReviewRound(models.Model):
    """A street's project review (立项评审) in one edition, and its optional resident vote."""

    edition = models.ForeignKey("editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="review_rounds")
    street = models.ForeignKey("areas.Area", verbose_name=_("street or town"), on_delete=models.PROTECT,
                               related_name="review_rounds")
    state = models.CharField(_("state"), max_length=16, choices=RoundState.choices, default=RoundState.SETUP,
                             db_index=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT,
                              related_name="+")
    budget_cap = models.DecimalField(_("the street's budget (yuan)"), **money_field_kwargs())
    aggregation = models.CharField(_("how scores are combined"), max_length=16, choices=Aggregation.choices,
                                   default=Aggregation.MEAN)
    scoring_ends_on = models.DateField(_("scoring ends on"), null=True, blank=True)

    # The resident vote (optional). Fixed when it opens.
    vote_state = models.CharField(_("resident vote"), max_length=16, choices=VoteState.choices,
                                  default=VoteState.OFF)
    vote_rule = models.CharField(_("allocation rule"), max_length=16, choices=VoteRule.choices,
                                 default=VoteRule.EQUAL_SHARES)
    vote_use = models.CharField(_("how the vote counts"), max_length=16, choices=VoteUse.choices,
                                default=VoteUse.ADVISORY)
    vote_weight = models.PositiveSmallIntegerField(
        _("weight of the vote (%)"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("Only when the vote counts as an input: 30 means 30 % vote, 70 % panel."))
    ballot_limit = models.CharField(_("limit on a ballot"), max_length=8, choices=BallotLimit.choices,
                                    default=BallotLimit.COUNT)
    ballot_limit_value = models.DecimalField(_("limit"), null=True, blank=True, **money_field_kwargs())
    vote_opened_at = models.DateTimeField(_("vote opened at"), null=True, blank=True)
    vote_closed_at = models.DateTimeField(_("vote closed at"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    scoring_closed_at = models.DateTimeField(_("scoring closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["edition", "street__path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "street"], name="review_round_one_per_street"),
            models.CheckConstraint(condition=Q(budget_cap__gte=0), name="review_round_cap_not_negative"),
        ]

    def __str__(self):
        return f"{self.edition} · {self.street}"

    @property
    def public_state_label(self) -> str:
        return PUBLIC_LABELS[self.state]

    @property
    def is_published(self) -> bool:
        return self.state == RoundState.PUBLISHED

    @property
    def scores_revealed(self) -> bool:
        """Reviewers score blind: nobody but the scorer sees a score until scoring closes."""
        return self.state in (RoundState.CLOSED, RoundState.PUBLISHED)

    @property
    def has_vote(self) -> bool:
        return self.vote_state != VoteState.OFF


class RoundTransition(models.Model):
    """The round's history: each named step, who took it and when."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class PanelMember(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                             related_name="review_panels")
    role = models.CharField(_("on the panel as"), max_length=16, choices=PanelRole.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="panel_member_unique")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Assignment(models.Model):
    """One reviewer to score one project; a conflict of interest excludes the reviewer from it."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="review_assignments")
    conflict = models.CharField(_("conflict of interest"), max_length=16, choices=Conflict.choices, blank=True,
                                default=Conflict.NONE)
    conflict_note = models.CharField(_("what the conflict is"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["project__number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project", "reviewer"], name="assignment_unique"),
        ]

    def __str__(self):
        return f"{self.project.code} → {self.reviewer}"

    @property
    def is_excluded(self) -> bool:
        return self.conflict != Conflict.NONE

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), validators=[MaxValueValidator(MAX_POINTS)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(condition=Q(points__lte=MAX_POINTS), name="score_points_in_range"),
        ]


class Decision(models.Model):
    """The chair's decision on one project, with its reason; public once the round is published."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="decisions")
    project = models.OneToOneField("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                   related_name="review_decision")
    outcome = models.CharField(_("decision"), max_length=32, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    conditions = models.TextField(_("conditions"), blank=True)
    # The ranking's advice when the decision was taken, kept with it: a decision against it needs a reason.
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    within_cap = models.BooleanField(_("recommended by the ranking within the budget"))
    override_reason = models.TextField(_("why the decision departs from the ranking"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["rank", "id"]

    def __str__(self):
        return f"{self.project.code}: {self.get_outcome_display()}"

    @property
    def approves(self) -> bool:
        return self.outcome in (Outcome.APPROVE, Outcome.APPROVE_WITH_CONDITIONS)

    @property
    def is_override(self) -> bool:
        return self.approves != self.within_cap


class CensusEntry(models.Model):
    """One resident on the street's census list (imported from CSV), known only by a keyed phone digest."""

    street = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="census_entries")
    community = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    phone_digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["street", "phone_digest"], name="census_entry_unique_phone"),
        ]


class VoterVerification(models.Model):
    """A resident found to live in the street: by a community worker in person, or on the census list."""

    street = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="voter_verifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voter_verifications")
    method = models.CharField(_("verified how"), max_length=8, choices=VerificationMethod.choices)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["street", "user"], name="voter_verification_unique"),
        ]


class Ballot(models.Model):
    """One verified resident's approval ballot in a round: one per resident, enforced by the database too."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ballots")
    projects = models.ManyToManyField("projects.Project", related_name="+")
    cast_at = models.DateTimeField(default=timezone.now)
    # Ballots imported from a Pabulib file have no account behind them; their voter id is kept.
    imported_voter_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_resident"),
        ]


class VoteOutcome(models.Model):
    """The counted vote for one project: its votes and whether the round's rule funds it, and why."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="vote_outcomes")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    votes = models.PositiveIntegerField(_("votes"))
    funded = models.BooleanField(_("funded by the vote"))
    reason = models.CharField(max_length=40)
    selection_round = models.PositiveIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-funded", "selection_round", "-votes", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "project"], name="vote_outcome_unique")]
