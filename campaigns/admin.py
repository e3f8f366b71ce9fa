"""Campaigns in the admin, read-only with their history (tracking.admin's rules): they are
started, confirmed and closed on the campaign pages, which ask campaigns.permissions."""

from django.contrib import admin

from records.admin import ReadOnlyLogAdmin
from tracking.admin import ReadOnlyHistoryAdmin

from .models import Campaign, CampaignEscalation, CampaignItem


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "unit", "deadline", "item_count", "started_by", "started_at", "closed_at")
    search_fields = ("title", "unit__name", "unit__code")
    history_list_display = ("closed_at", "closed_by")


@admin.register(CampaignItem)
class CampaignItemAdmin(ReadOnlyHistoryAdmin):
    list_display = ("campaign", "employee", "confirmed_by", "confirmed_at", "linked_request")
    list_select_related = ("campaign", "employee", "confirmed_by", "linked_request")
    raw_id_fields = ("campaign", "employee", "confirmed_by", "linked_request")
    history_list_display = ("confirmed_by", "confirmed_at", "linked_request")


@admin.register(CampaignEscalation)
class CampaignEscalationAdmin(ReadOnlyLogAdmin):
    """Written by the late sweep (campaigns.services) only: a record of who was told, kept."""

    list_display = ("campaign", "unit", "open_items", "at")
    list_select_related = ("campaign", "unit")
