from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jindianzi.core.money import money_field_kwargs

from .workflow import LIVE_OFFER_STATES, TRANSITIONS, OfferState, ProjectState, public_label


class Project(models.Model):
    """A project (项目) made from one or more shortlisted ideas (二次优化整合); its ideas are its provenance.

    The ideas point here through ``Idea.merged_into``; the project never copies
    them, so every original idea keeps its own page, author and revisions.
    """

    edition = models.ForeignKey("editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="projects")
    # The street whose review the project goes to (for a project merged across streets, the lead street).
    street = models.ForeignKey("areas.Area", verbose_name=_("street or town"), on_delete=models.PROTECT,
                               related_name="projects")
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("project code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=100)
    category = models.ForeignKey("editions.Category", verbose_name=_("service category"),
                                 on_delete=models.PROTECT, related_name="projects")
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(_("state"), max_length=24, choices=ProjectState.choices, default=ProjectState.DRAFT,
                             db_index=True)

    # The plan (项目计划).
    objectives = models.TextField(_("objectives"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    expected_beneficiaries = models.PositiveIntegerField(_("expected beneficiaries (person-times)"), null=True,
                                                         blank=True)
    planned_activities = models.PositiveIntegerField(_("planned number of activities"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    # Set when an organisation accepts the match offer (对接).
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("implementing organisation"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="project_unique_number")]
        indexes = [models.Index(fields=["edition", "state"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def public_state_label(self) -> str:
        return public_label(self.state)

    @property
    def is_draft(self) -> bool:
        return self.state == ProjectState.DRAFT


class BudgetLine(models.Model):
    """One line of the project's budget, in Decimal yuan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    item = models.CharField(_("item"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), **money_field_kwargs())

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive")]

    def __str__(self):
        return f"{self.item} {self.amount}"


class ProjectTransition(models.Model):
    """The project's history: every named step, with who took it and when.

    ``idea`` and ``organization`` say which idea joined or left and which
    organisation accepted or was released; ``note`` is public text only.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(_("transition"), max_length=32)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("time"))
    idea = models.ForeignKey("ideas.Idea", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        return TRANSITIONS[self.name].label

    @property
    def public_label(self) -> str:
        return TRANSITIONS[self.name].public


class MatchOffer(models.Model):
    """An offer to an organisation to implement a project (对接); the organisation's staff answer it."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="offers")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="match_offers")
    state = models.CharField(_("state"), max_length=16, choices=OfferState.choices, default=OfferState.OFFERED,
                             db_index=True)
    message = models.TextField(_("message to the organisation"), blank=True)
    response_reason = models.TextField(_("reason given"), blank=True)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("offered by"),
                                   on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(_("offered at"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match offer")
        verbose_name_plural = _("match offers")
        ordering = ["-offered_at", "-id"]
        constraints = [
            # One live offer (waiting or accepted) per project at a time, also under concurrent requests.
            models.UniqueConstraint(fields=["project"], condition=Q(state__in=LIVE_OFFER_STATES),
                                    name="match_offer_one_live_per_project"),
        ]

    def __str__(self):
        return f"{self.project.code} → {self.organization.name} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state == OfferState.OFFERED
