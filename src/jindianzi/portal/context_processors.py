"""What every page's header needs. It lives in the portal, which reads from all stages."""

from django.utils.functional import SimpleLazyObject

from jindianzi.funds.selectors import money_links
from jindianzi.ideas.selectors import screening_areas
from jindianzi.notifications.selectors import unread_count
from jindianzi.reviews.selectors import review_links


def navigation(request):
    """Which staff areas to link to, and how many notifications are unread."""
    user = request.user
    # Street reviews and resident votes: counted only when a full page draws the header.
    reviews = {"review_links": SimpleLazyObject(lambda: review_links(user))}
    if not user.is_authenticated:
        return reviews
    return {
        **reviews,
        "can_enter_paper": user.has_perm("ideas.import_ideas"),
        "can_organise": user.has_perm("editions.create_edition"),
        "can_screen": bool(screening_areas(user)),
        "can_see_projects": user.has_perm("projects.view_project_list"),
        "can_answer_offers": user.has_perm("projects.view_offers"),
        # Agreements and money: decided from the user's roles, no query.
        "money_links": money_links(user),
        # Counted only when a template shows it (an htmx fragment does not).
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
