"""The matrix's scenario as a module-scoped fixture, shared by the tests that walk the site
(tests/test_url_matrix.py, tests/test_vietnamese_pages.py): import it into the test module."""

import pytest
from django.db import transaction
from django.test import override_settings

from .checker import quiet_logs
from .scenario import build_scenario


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end; each
    test runs in a savepoint of it and each request in a savepoint of that."""
    media = tmp_path_factory.mktemp("url-matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        with transaction.atomic():
            with quiet_logs():
                built = build_scenario()
            yield built
            transaction.set_rollback(True)
