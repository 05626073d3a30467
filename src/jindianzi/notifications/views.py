"""The signed-in person's notifications: what happened to the ideas they propose or follow."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import notifications_of
from .services import notifications_mark_read


@login_required
def notification_list(request):
    """The latest notifications; opening the page marks them read (the new ones stay marked on this view)."""
    notes = list(notifications_of(request.user))
    if any(note.read_at is None for note in notes):
        notifications_mark_read(user=request.user)
    return render(request, "notifications/list.html", {"notes": notes})
