from django.contrib import admin

from .models import BudgetLine, MatchOffer, Project, ProjectTransition


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class ProjectTransitionInline(admin.TabularInline):
    model = ProjectTransition
    extra = 0
    can_delete = False
    readonly_fields = ["name", "from_state", "to_state", "actor", "at", "idea", "organization", "note"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "street", "category", "state", "organization", "created_at"]
    list_filter = ["state", "edition"]
    search_fields = ["code", "title"]
    # States, ideas and the organisation change only through the services, never by editing fields.
    readonly_fields = ["state", "code", "number", "edition", "organization", "created_by", "submitted_at"]
    list_select_related = ["street", "category", "organization"]
    inlines = [BudgetLineInline, ProjectTransitionInline]


@admin.register(MatchOffer)
class MatchOfferAdmin(admin.ModelAdmin):
    list_display = ["project", "organization", "state", "offered_at", "answered_at"]
    list_filter = ["state"]
    readonly_fields = ["project", "organization", "state", "offered_by", "offered_at", "answered_by", "answered_at",
                       "withdrawn_by", "withdrawn_at"]
    list_select_related = ["project", "organization"]
