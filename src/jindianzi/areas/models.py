from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    TOWN = "town", _("Town")
    COMMUNITY = "community", _("Community")


# Which kind may sit under which: a district holds streets and towns, they hold communities.
ALLOWED_PARENT = {
    AreaKind.DISTRICT: None,
    AreaKind.STREET: AreaKind.DISTRICT,
    AreaKind.TOWN: AreaKind.DISTRICT,
    AreaKind.COMMUNITY: (AreaKind.STREET, AreaKind.TOWN),
}


class Area(models.Model):
    """A district, a street or town, or a community: the tree every permission is scoped to.

    ``path`` is the materialised chain of ids (``/1/4/27/``) so that "everything
    inside this street" is one indexed prefix query.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    code = models.CharField(_("code"), max_length=32, blank=True, help_text=_("Administrative division code"))
    path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="area_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    def contains(self, other: "Area | None") -> bool:
        """True when ``other`` is this area or lies inside it."""
        return other is not None and other.path.startswith(self.path)

    @property
    def street(self) -> "Area | None":
        """The street or town this area belongs to (itself if it is one)."""
        if self.kind in (AreaKind.STREET, AreaKind.TOWN):
            return self
        if self.kind == AreaKind.COMMUNITY:
            return self.parent
        return None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]
