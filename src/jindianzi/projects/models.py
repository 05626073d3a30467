from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectState(models.TextChoices):
    DRAFT = "draft", _("Being integrated")
    SUBMITTED = "submitted", _("Submitted to the street review")


class Project(models.Model):
    """A project (项目) made from one or more shortlisted ideas (二次优化整合); its ideas are its provenance."""

    edition = models.ForeignKey("editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="projects")
    street = models.ForeignKey("areas.Area", verbose_name=_("street or town"), on_delete=models.PROTECT,
                               related_name="projects")
    title = models.CharField(_("title"), max_length=100)
    state = models.CharField(_("state"), max_length=24, choices=ProjectState.choices, default=ProjectState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["id"]

    def __str__(self):
        return self.title
