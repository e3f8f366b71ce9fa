"""The admin shows inspection work and its history read-only, as it shows the records: every
write goes through a change request."""

from django.contrib import admin

from tracking.admin import ReadOnlyHistoryAdmin

from .models import FollowUpAction, Inspection, InspectionPlan

for model in (InspectionPlan, Inspection, FollowUpAction):
    admin.site.register(model, ReadOnlyHistoryAdmin)
