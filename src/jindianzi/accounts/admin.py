from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["area", "organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "email", "masked_phone", "is_verified", "is_staff"]
    search_fields = ["username", "display_name", "email"]
    inlines = [RoleAssignmentInline]
    fieldsets = BaseUserAdmin.fieldsets + (("Jindianzi", {"fields": ["display_name", "is_verified", "home_community"]}),)
    autocomplete_fields = ["home_community"]
