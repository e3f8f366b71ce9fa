"""The timeline's PDF report past a few hundred requests (issue #11): laid out a part of
PDF_PART_REQUESTS requests at a time (one WeasyPrint document each, so memory holds one part's
layout whatever the report's length), joined into one PDF whose pages number on across parts;
capped at PDF_MAX_REQUESTS with a Vietnamese note saying so."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

import oversight.exports as exports
from records.export_jobs import running
from records.exports import html_to_pdf
from records.models import ExportJob
from tests.oversight.test_timeline_bounded import _bulk_requests

REQUESTS = 2000


@pytest.fixture
def parts(monkeypatch):
    """The requests each WeasyPrint document laid out (its rows), the real renderer doing the work."""
    laid_out = []

    def counting(html):
        laid_out.append(len(re.findall(r"<td>#\d+<br>", html)))
        return html_to_pdf(html)

    monkeypatch.setattr(exports, "html_to_pdf", counting)
    return laid_out


def _report(client_for, people):
    client = client_for(people["thanhtra_cuc"])
    assert client.post(reverse("oversight:timeline-pdf"), {}).status_code == 302
    job = ExportJob.objects.get()
    status = running.run_export_job(job_id=job.pk)
    job.refresh_from_db()
    if status == ExportJob.Status.FAILED and "thư viện tạo tệp PDF" in job.error:
        pytest.skip("WeasyPrint's system libraries are missing here")
    assert status == ExportJob.Status.DONE, job.error
    download = client.get(reverse("records:export-download", args=[job.pk]))
    return job, PdfReader(io.BytesIO(b"".join(download.streaming_content)))


def test_a_report_of_thousands_of_requests_is_laid_out_a_part_at_a_time(client_for, people, tree, parts):
    _bulk_requests(tree["kv1"], people["canbo_kv1"], REQUESTS, 0)
    job, pdf = _report(client_for, people)
    assert job.rows_total == REQUESTS and job.rows_done == REQUESTS
    # Bounded: no document held more than one part's requests; every request in one part.
    assert max(parts) <= exports.PDF_PART_REQUESTS and sum(parts) == REQUESTS
    assert len(parts) == -(-REQUESTS // exports.PDF_PART_REQUESTS)
    first, last = pdf.pages[0].extract_text(), pdf.pages[-1].extract_text()
    assert "Dòng thời gian thay đổi" in first and "Báo cáo PDF chỉ gồm" not in first
    # The pages number on across the parts: the last page is numbered the report's length.
    assert f"Trang {len(pdf.pages)}" in last and "Trang 1" in first


def test_past_the_cap_the_report_says_it_holds_the_newest_requests(client_for, people, tree, parts, monkeypatch):
    monkeypatch.setattr(exports, "PDF_MAX_REQUESTS", 5)
    monkeypatch.setattr(exports, "PDF_PART_REQUESTS", 2)
    _bulk_requests(tree["kv1"], people["canbo_kv1"], 7, 0)
    job, pdf = _report(client_for, people)
    assert job.rows_done == 5 and parts == [2, 2, 1]
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Báo cáo PDF chỉ gồm 5 yêu cầu mới nhất; hãy thu hẹp bộ lọc" in " ".join(text.split())
