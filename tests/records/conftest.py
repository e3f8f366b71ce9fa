"""Fixtures of the records tests: uploads and exports go to a temporary media folder; KV1's
officer; the employee list exported as a user does it."""

import pytest
from django.urls import resolve, reverse

from records.models import ExportJob


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def officer(client, people):
    client.force_login(people["canbo_kv1"])
    return client


@pytest.fixture
def export_list(client, django_capture_on_commit_callbacks):
    """Press "Xuất Excel" on the employee list with `filters` as the signed-in user (the task
    runs when the job commits: eagerly in tests), then download the file: its response."""

    def run(**filters):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("records:employee-export"), filters)
        assert response.status_code == 302, response
        job = ExportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
        assert job.status == ExportJob.Status.DONE, job.error
        return client.get(reverse("records:export-download", args=[job.pk]))

    return run
