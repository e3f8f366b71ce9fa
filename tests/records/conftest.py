"""Fixtures of the records tests: uploads go to a temporary media folder, and KV1's officer."""

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def officer(client, people):
    client.force_login(people["canbo_kv1"])
    return client
