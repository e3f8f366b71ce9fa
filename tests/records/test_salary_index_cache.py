"""The salary index is kept in the cache (records.models.salary, tracking.generations): read
once, and a changed table is seen on the very next check, the cache warm or not."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import SalaryRank, SalaryTable
from records.models.salary import coefficients_for


def test_the_index_is_read_once_and_a_change_is_seen_at_once(db):
    rank = SalaryRank.objects.filter(table=SalaryTable.objects.order_by("-effective_from").first()).first()
    first = coefficients_for(rank.rank_code)
    with CaptureQueriesContext(connection) as queries:
        assert coefficients_for(rank.rank_code) == first
    assert not queries.captured_queries
    rank.coefficients = [str(Decimal(str(c)) + Decimal("0.01")) for c in rank.coefficients]
    rank.save()
    assert coefficients_for(rank.rank_code) == tuple(Decimal(c) for c in rank.coefficients)
    newer = SalaryTable.objects.create(name="Bảng mới", source="NĐ mới", effective_from=datetime.date(2030, 7, 1))
    SalaryRank.objects.create(
        table=newer, rank_code=rank.rank_code, rank_name="x", scale_group="A1", coefficients=["9.99"]
    )
    assert coefficients_for(rank.rank_code, datetime.date(2030, 7, 1)) == (Decimal("9.99"),)
