"""An administrator sees which accounts are demo accounts, and may mark or unmark one."""

from django.contrib import admin

from .models import DemoAccount


@admin.register(DemoAccount)
class DemoAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "marked_at")
    search_fields = ("user__username",)
    autocomplete_fields = ("user",)
