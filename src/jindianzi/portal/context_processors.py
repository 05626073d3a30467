"""What every page's header needs. It lives in the portal, which reads from all stages."""

from django.utils.functional import SimpleLazyObject

from jindianzi.ideas.selectors import screening_areas
from jindianzi.notifications.selectors import unread_count


def navigation(request):
    """Which staff areas to link to, and how many notifications are unread."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "can_enter_paper": user.has_perm("ideas.import_ideas"),
        "can_organise": user.has_perm("editions.create_edition"),
        "can_screen": bool(screening_areas(user)),
        "can_see_projects": user.has_perm("projects.view_project_list"),
        "can_answer_offers": user.has_perm("projects.view_offers"),
        # Counted only when a template shows it (an htmx fragment does not).
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
