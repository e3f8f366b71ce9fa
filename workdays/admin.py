"""Ministry administrators declare days off and make-up working days (workdays.models)."""

from django.contrib import admin

from .models import DeclaredDay


@admin.register(DeclaredDay)
class DeclaredDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    search_fields = ("note",)
    date_hierarchy = "date"

    def delete_queryset(self, request, queryset):
        for day in queryset:  # one at a time, so the calendar's cached copy is forgotten
            day.delete()
