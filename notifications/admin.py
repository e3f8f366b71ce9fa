from django.contrib import admin

from .models import Digest


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("recipient", "day", "kind", "sent_at")
    list_filter = ("kind", "day")
    readonly_fields = ("recipient", "day", "kind", "change_request_ids", "created_at", "sent_at")

    def has_add_permission(self, request):
        return False
