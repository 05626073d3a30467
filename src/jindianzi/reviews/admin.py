from django.contrib import admin

from .models import Criterion, Decision, ReviewRound


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ["edition", "street", "state", "chair", "budget_cap", "vote_state"]
    list_filter = ["edition", "state", "vote_state"]
    readonly_fields = ["state", "vote_state", "published_at", "vote_opened_at", "vote_closed_at"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["edition", "name_zh", "name_en", "weight", "position"]
    list_filter = ["edition"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["project", "round", "outcome", "rank", "within_cap", "decided_at"]
    list_filter = ["round__edition", "outcome"]
    readonly_fields = ["rank", "score", "within_cap", "decided_by", "decided_at"]
