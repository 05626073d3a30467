"""Reads for the import pages: a worker's uploads, and the editions and communities they may import into."""

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import areas_where
from jindianzi.editions.selectors import editions_collecting

from ..models import IdeaImport
from ..selectors import communities_recorded_by


def imports_of(user):
    return IdeaImport.objects.filter(uploaded_by=user).select_related("edition")


def editions_for_import(user) -> list:
    """Editions collecting ideas in a district where the user works as a community worker, newest first."""
    areas = areas_where(user, Role.COMMUNITY_WORKER)
    return [edition for edition in editions_collecting()
            if any(edition.district.contains(area) for area in areas)]


def communities_for_import(user, edition) -> list:
    return list(communities_recorded_by(user).filter(path__startswith=edition.district.path))
