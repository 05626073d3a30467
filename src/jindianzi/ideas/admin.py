from django.contrib import admin

from .models import Idea, IdeaTransition


class IdeaTransitionInline(admin.TabularInline):
    model = IdeaTransition
    extra = 0
    can_delete = False
    readonly_fields = ["name", "from_state", "to_state", "actor", "at", "note"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "title", "community", "category", "state", "channel", "submitted_at"]
    list_filter = ["state", "channel", "edition"]
    search_fields = ["tracking_code", "title"]
    # State changes only through named transitions, never by editing the field.
    readonly_fields = ["state", "tracking_code", "proposer", "entered_by"]
    list_select_related = ["community", "category"]
    inlines = [IdeaTransitionInline]
