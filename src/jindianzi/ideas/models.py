from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jindianzi.core.fields import EncryptedCharField
from jindianzi.core.money import money_field_kwargs

from .workflow import IdeaState, public_label


class ProposerKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    SELF_ORGANIZATION = "self_organization", _("Community self-organisation")
    SOCIAL_ORGANIZATION = "social_organization", _("Community social organisation")


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    PAPER = "paper", _("Paper form")
    IMPORT = "import", _("Spreadsheet import")


class Idea(models.Model):
    """A golden idea (金点子): one proposal from a resident or an organisation."""

    edition = models.ForeignKey("editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="ideas")
    community = models.ForeignKey("areas.Area", verbose_name=_("community"), on_delete=models.PROTECT,
                                  related_name="ideas")
    category = models.ForeignKey("editions.Category", verbose_name=_("service category"),
                                 on_delete=models.PROTECT, related_name="ideas")
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    state = models.CharField(_("state"), max_length=24, choices=IdeaState.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.WEB)

    # Who proposed it. ``proposer`` is the account for web ideas; paper and
    # imported ideas are credited to the named resident and record who typed them.
    proposer_kind = models.CharField(_("proposer type"), max_length=24, choices=ProposerKind.choices,
                                     default=ProposerKind.RESIDENT)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposer account"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="ideas")
    proposer_name = models.CharField(_("proposer name"), max_length=60)
    proposer_phone = EncryptedCharField(_("proposer mobile number"), blank=True, default="")
    proposer_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("proposing organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="ideas",
    )
    anonymous = models.BooleanField(_("keep my name private"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    consent_recorded = models.BooleanField(_("proposer consented to being recorded"), default=False)

    title = models.CharField(_("title"), max_length=80)
    problem = models.TextField(_("the problem"))
    proposal = models.TextField(_("the proposal"))
    beneficiaries = models.CharField(_("who benefits"), max_length=200)
    estimated_budget = models.DecimalField(_("estimated budget (yuan)"), **money_field_kwargs())

    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # Set by the merge transition; the project lists its ideas through this link (its provenance).
    merged_into = models.ForeignKey("projects.Project", verbose_name=_("merged into project"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="ideas")

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["edition", "state"]), models.Index(fields=["edition", "community"])]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    @property
    def public_state_label(self) -> str:
        return public_label(self.state)

    @property
    def public_proposer_name(self) -> str:
        """What a public page may say about who proposed the idea."""
        if self.proposer_organization_id and self.proposer_kind != ProposerKind.RESIDENT:
            return self.proposer_organization.name
        if self.anonymous:
            return str(_("A resident who asked to stay anonymous"))
        return self.proposer_name or str(_("A resident"))


class IdeaRevision(models.Model):
    """One version of the idea's text. Number 1 is what was submitted; every edit adds one, none is lost."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=80)
    problem = models.TextField(_("the problem"))
    proposal = models.TextField(_("the proposal"))
    beneficiaries = models.CharField(_("who benefits"), max_length=200)
    estimated_budget = models.DecimalField(_("estimated budget (yuan)"), **money_field_kwargs())
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    TEXT_FIELDS = ("title", "problem", "proposal", "beneficiaries", "estimated_budget")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["idea", "number"], name="idea_revision_unique_number")]

    def __str__(self):
        return f"{self.idea.tracking_code} r{self.number}"


class IdeaNote(models.Model):
    """A research note (调研记录): internal to staff, never shown to the public or the proposer."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["at", "id"]


class IdeaFollower(models.Model):
    """Someone who asked to be told when the idea moves on (the proposer follows their own idea)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_ideas")
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_follower_unique")]


def photo_path(instance, filename):
    return f"ideas/{instance.idea.edition_id}/{instance.idea.tracking_code}/{filename}"


class IdeaPhoto(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class IdeaTransition(models.Model):
    """The idea's history: every transition, with who fired it and when."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(_("transition"), max_length=32)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("time"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def public_label(self) -> str:
        return public_label(self.to_state)


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    COMMITTED = "committed", _("Imported")
    DISCARDED = "discarded", _("Nothing imported")


class IdeaImport(models.Model):
    """One uploaded spreadsheet of paper ideas, checked and waiting for the worker's decision.

    The parsed rows hold residents' names and phone numbers, so they are stored
    encrypted and cleared once the worker has decided. ``report`` holds only what
    the review page shows: row numbers, column names, reasons, titles and codes.
    """

    edition = models.ForeignKey("editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    original_filename = models.CharField(_("file name"), max_length=255)
    rows_sealed = EncryptedCharField(_("parsed rows"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.PENDING, db_index=True)
    report = models.JSONField(_("report"), default=dict)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    committed_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("idea import")
        verbose_name_plural = _("idea imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.original_filename} ({self.get_status_display()})"


# --- Similar ideas (二次优化整合): what similarity search keeps of each idea -------------------------
# Written only by ``ideas/similarity/index.py``; see ``ideas/similarity/engine.py`` for the method.

class IdeaFingerprint(models.Model):
    """An idea's features and MinHash signature, as of the text it was indexed from."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, primary_key=True, related_name="fingerprint")
    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    # The method's version and a digest of the text: an unchanged idea is not indexed again.
    version = models.CharField(max_length=40)
    digest = models.CharField(max_length=32)
    features = models.BinaryField()   # sorted unique uint32 feature hashes
    signature = models.BinaryField()  # the MinHash signature, uint32 values
    indexed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("idea fingerprint")
        verbose_name_plural = _("idea fingerprints")


class IdeaBand(models.Model):
    """One LSH band key of an idea: ideas with an equal key in the same band are candidates."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="similarity_bands")

    class Meta:
        indexes = [models.Index(fields=["edition", "band", "key"], name="ideas_band_lookup")]
