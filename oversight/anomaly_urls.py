"""The anomaly pages' URLs, joined to the oversight section by config.urls (under the
namespace of that section: "oversight:anomalies", "oversight:anomaly-signal")."""

from django.urls import path

from . import anomaly_views

ANOMALY_PAGES = [
    path("anomalies/", anomaly_views.anomalies, name="anomalies"),
    path("anomalies/<slug:signal>/", anomaly_views.anomaly_signal, name="anomaly-signal"),
]
