from django.contrib import admin

from .models import Digest, Notification, NotificationSettings


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("recipient", "day", "sent_at", "confirmed_at", "attempts", "last_error")
    list_filter = ("day",)
    readonly_fields = [f.name for f in Digest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("recipient", "kind", "target_key", "created_at", "read_at", "delivery", "email_sent_at")
    list_filter = ("kind", "delivery")


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
