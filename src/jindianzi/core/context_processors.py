def navigation(request):
    """What the page header needs: which staff areas to link to."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "can_enter_paper": user.has_perm("ideas.import_ideas"),
        "can_organise": user.has_perm("editions.create_edition"),
    }
