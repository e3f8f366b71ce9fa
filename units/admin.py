"""Administrators manage the unit tree and role grants in the Django admin."""

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import RoleGrant, Unit


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind")
    search_fields = ("name", "code")


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("user",)
