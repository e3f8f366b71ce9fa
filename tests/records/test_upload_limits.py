"""Issue 8, defect 8: an upload is bounded before it is parsed (its size, its size unzipped, how
much a part expands, its rows), xlsx is read with defusedxml (an XML bomb or an external entity
is refused, not expanded), and the stored file of a batch that will never be applied is deleted,
the batch page saying when."""

import io
import os
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from records.models import Employee
from tests.conftest import make_employee
from tests.records.test_import import (
    REASON,
    approve,
    born,
    cccd,
    people_rows,
    person,
    upload,
    xlsx,
)
from tests.workflows.conftest import decide
from workflows.imports.limits import BoundedUploadHandler
from workflows.models import ImportBatch
from workflows.tasks import purge_refused_import_files


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def officer(client, people):
    client.force_login(people["canbo_kv1"])
    return client


def stored_files(media) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()]


def post_upload(client, unit, file):
    return client.post(reverse("records:import-new"), {"unit": unit.pk, "file": file, "reason": REASON})


def refused_at_upload(response, *expected, media):
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page, text
    assert not ImportBatch.objects.exists()
    assert stored_files(media) == []


def with_part(upload_file, part_of, content: bytes):
    """The uploaded workbook with the XML of one sheet (by title) replaced by `content`."""
    data = upload_file.read()
    sheet_path = load_workbook(io.BytesIO(data), read_only=True)[part_of]._worksheet_path.lstrip("/")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == sheet_path else source.read(item.filename))
    return SimpleUploadedFile(upload_file.name, out.getvalue())


SHEET = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'


def sheet_xml(*rows, doctype=""):
    cells = "".join(
        f'<row r="{n}">'
        + "".join(f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(row))
        + "</row>"
        for n, row in enumerate(rows, start=1)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}' + SHEET.format(rows=cells)).encode()


# --- limits before parsing --------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_and_not_stored(officer, tree, settings, media):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("ho-so.xlsx", b"PK\x03\x04" + os.urandom(3 * 1024 * 1024))
    refused_at_upload(post_upload(officer, tree["kv1"], big), "Tệp nặng 3,0 MB, vượt giới hạn 1 MB", media=media)


def test_the_upload_handler_keeps_no_more_than_the_limit_on_disk(settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    handler = BoundedUploadHandler()
    handler.new_file("file", "ho-so.xlsx", "application/octet-stream", 3 * 1024 * 1024)
    received = 0
    for _ in range(48):
        chunk = os.urandom(64 * 1024)
        handler.receive_data_chunk(chunk, received)
        received += len(chunk)
    uploaded = handler.file_complete(received)
    assert uploaded.size == 3 * 1024 * 1024  # the real size, for the form to refuse
    assert os.path.getsize(uploaded.temporary_file_path()) == 1024 * 1024
    uploaded.close()


def test_a_file_over_the_unzipped_limit_is_refused_at_upload(officer, tree, settings, media):
    settings.IMPORT_MAX_EXPANDED_MB = 1
    refused_at_upload(
        post_upload(officer, tree["kv1"], xlsx(people_rows(600))), "khi giải nén là", "vượt giới hạn 1 MB", media=media
    )


def test_a_zip_bomb_is_refused_at_upload(officer, tree, media):
    bomb = with_part(xlsx({Employee: [person(1)]}), "Cán bộ", sheet_xml(("citizen_id",), ("A" * 20_000_000,)))
    assert len(bomb.read()) < 200_000
    bomb.seek(0)
    refused_at_upload(post_upload(officer, tree["kv1"], bomb), "giải nén ra lớn gấp", "giới hạn 30 lần", media=media)


def test_a_file_with_too_many_rows_is_refused_before_parsing_and_deleted(
    officer, tree, settings, media, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ROWS = 400
    batch = upload(
        officer,
        tree["kv1"],
        xlsx({Employee: [person(n) for n in range(450)]}),
        capture=django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert [e["message"] for e in batch.errors] == [
        "Tệp có hơn 400 dòng, vượt giới hạn của một lần nhập. Hãy chia thành nhiều tệp nhỏ hơn."
    ]
    assert batch.rows_total == 0 and "sheets" not in batch.summary  # no row was parsed
    assert stored_files(media) == []


def test_the_defaults_admit_the_bench_file_shape(settings):
    """The 100,000-employee bench file: 29.4 MB, 312 MB unzipped, expansion 11x, 600,000 rows."""
    assert settings.IMPORT_MAX_UPLOAD_MB >= 30 and settings.IMPORT_MAX_EXPANDED_MB >= 320
    assert settings.IMPORT_MAX_COMPRESSION_RATIO >= 11 and settings.IMPORT_MAX_ROWS >= 600_000


# --- XML read safely --------------------------------------------------------------------------


def _laughs() -> str:
    """The billion laughs: nine levels of ten references each, 10^9 "lol"s if expanded."""
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return "<!DOCTYPE worksheet [" + "".join(levels) + "]>"


LAUGHS = _laughs()


def test_openpyxl_reads_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize(
    ("doctype", "text"),
    [
        (LAUGHS, "&lol9;"),
        ('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_an_xml_bomb_or_external_entity_is_refused(
    officer, tree, media, django_capture_on_commit_callbacks, doctype, text
):
    hostile = with_part(
        xlsx({Employee: [person(1)]}),
        "Cán bộ",
        sheet_xml(("citizen_id", "full_name"), (cccd(1), text), doctype=doctype),
    )
    batch = upload(officer, tree["kv1"], hostile, capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.INVALID
    (error,) = batch.errors
    assert "không an toàn" in error["message"]
    assert "root:" not in repr(batch.errors) + repr(batch.summary) and "lollol" not in repr(batch.errors)
    assert not Employee.objects.exists()
    assert stored_files(media) == []


# --- files of refused batches -----------------------------------------------------------------


def test_the_file_of_an_invalid_batch_is_deleted_and_the_page_says_when(
    officer, tree, media, django_capture_on_commit_callbacks
):
    rows = people_rows(3)
    rows[Employee][1]["date_of_birth"] = "31/02/1985"
    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.INVALID
    assert not batch.file and batch.summary["file_deleted_at"]
    assert stored_files(media) == []
    page = officer.get(reverse("records:import-detail", args=[batch.pk])).content.decode()
    assert "Tệp đã tải lên đã được xoá lúc" in page and "Ngày sinh" in page  # the errors are kept
    assert officer.get(reverse("records:import-errors", args=[batch.pk])).status_code == 200


def test_the_file_of_a_rejected_batch_is_deleted(
    officer, client, tree, people, media, django_capture_on_commit_callbacks
):
    batch = upload(officer, tree["kv1"], xlsx(people_rows(2)), capture=django_capture_on_commit_callbacks)
    assert stored_files(media)
    client.force_login(people["lanhdao_kv1"])
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, batch.change_request, "reject", "Tệp chưa được ký duyệt")
        page = client.get(reverse("records:import-detail", args=[batch.pk])).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED and not batch.file
    assert stored_files(media) == []
    assert "Tệp đã tải lên đã được xoá lúc" in page


def test_the_file_of_a_batch_that_fails_to_apply_is_deleted(
    officer, client, tree, people, loader, media, django_capture_on_commit_callbacks
):
    batch = upload(officer, tree["kv1"], xlsx(people_rows(3)), capture=django_capture_on_commit_callbacks)
    make_employee(
        tree["kv2"],
        loader,
        citizen_id=cccd(2),
        full_name="Trần Thị Bình",
        sex=Employee.Sex.FEMALE,
        date_of_birth=born(2),
    )
    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.FAILED and not batch.file
    assert stored_files(media) == []


def test_the_daily_sweep_deletes_files_refused_while_nobody_looked(
    officer, tree, people, media, django_capture_on_commit_callbacks
):
    old = ImportBatch(
        unit=tree["kv1"],
        uploaded_by=people["canbo_kv1"],
        file_name="cu.xlsx",
        sha256="0" * 64,
        reason="Lượt nhập cũ",
        status=ImportBatch.Status.INVALID,
        errors=[],
        summary={},
    )
    old.file.save("cu.xlsx", ContentFile(b"PK\x03\x04 old"), save=False)
    old.save()
    assert stored_files(media)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_refused_import_files() == 1
    old.refresh_from_db()
    assert not old.file and old.summary["file_deleted_at"]
    assert stored_files(media) == []


def test_an_applied_batch_keeps_its_file(officer, client, tree, people, media, django_capture_on_commit_callbacks):
    batch = upload(officer, tree["kv1"], xlsx(people_rows(2)), capture=django_capture_on_commit_callbacks)
    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.APPLIED and batch.file
    assert len(stored_files(media)) == 1


def test_the_upload_page_states_the_limits_and_when_files_are_deleted(officer):
    page = officer.get(reverse("records:import-new")).content.decode()
    assert "Tệp tối đa 40 MB và 700.000 dòng" in page and "sẽ bị xoá ngay khi lượt nhập kết thúc" in page
