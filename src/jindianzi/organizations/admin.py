from django.contrib import admin

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "home_area", "registration", "incubated"]
    list_filter = ["kind", "registration", "incubated"]
    search_fields = ["name"]
    autocomplete_fields = ["home_area"]
