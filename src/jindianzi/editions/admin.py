from django.contrib import admin

from .models import Category, Edition, FundingSource, Phase


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class FundingSourceInline(admin.TabularInline):
    model = FundingSource
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "district", "current_phase"]
    # The phase moves only through the organiser's "advance" transition.
    readonly_fields = ["current_phase"]
    inlines = [PhaseInline, CategoryInline, FundingSourceInline]
