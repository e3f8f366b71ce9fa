from django.db import models
from simple_history.models import HistoricalRecords


class Proposal(models.Model):
    """What the bare flow proposes and approves: a few fields, each change kept as a history row."""

    title = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    approved = models.BooleanField(default=False)
    comment = models.CharField(max_length=255, blank=True)

    history = HistoricalRecords()

    def __str__(self):
        return self.title
