"""Issue 8, defect 10: no response to a signed-in user may be cached (pages and downloads with
personal data); every response carries a Content-Security-Policy with no inline script or
<style> element, and a Permissions-Policy; and the pages still load their scripts (viewflow's and
ours) from this site, with no inline code for the policy to block."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from records.export_jobs import running as export_running
from records.export_jobs import services as export_services
from records.export_jobs.employees import EMPLOYEE_LIST
from tests.conftest import make_user
from tests.records.test_import import people_rows, xlsx
from tests.workflows.conftest import open_task, propose, task_url
from units.models import Role
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ImportBatch


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def pages(client, people, tree, employee_kv1, django_capture_on_commit_callbacks):
    """A representative set of pages and downloads: lists, a person's file and history, exports,
    an import under way, a request, the approval task, forms, the admin. {name: (user, url)}."""
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, foreign_language="Tiếng Anh B2").status_code == 302
    change_request = ChangeRequest.objects.get()
    client.post(
        reverse("records:import-new"), {"unit": tree["kv1"].pk, "file": xlsx(people_rows(1)), "reason": "Nhập thử"}
    )
    batch = ImportBatch.objects.get()  # queued: its page polls for progress
    task = open_task(change_request, ChangeRequestFlow.approve)
    admin = make_user("quantri", (tree["ministry"], Role.UNIT_ADMIN), (tree["ministry"], Role.INSPECTOR))
    admin.is_staff = admin.is_superuser = True
    admin.save()
    officer, approver = people["canbo_kv1"], people["lanhdao_kv1"]
    export = export_services.start_export(user=officer, kind=EMPLOYEE_LIST.key, data={})  # queued: its page polls
    finished = export_services.start_export(user=officer, kind=EMPLOYEE_LIST.key, data={})
    export_running.run_export_job(job_id=finished.pk)
    return {
        "employee list": (officer, reverse("records:employee-list")),
        "employee file": (officer, reverse("records:employee-detail", args=[employee_kv1.pk])),
        "employee history": (officer, reverse("records:employee-history", args=[employee_kv1.pk])),
        "change page": (officer, reverse("records:employee-propose", args=[employee_kv1.pk])),
        "employee list xlsx": (officer, reverse("records:export-download", args=[finished.pk])),
        "export in progress": (officer, reverse("records:export-detail", args=[export.pk])),
        "export status json": (officer, reverse("records:export-status", args=[export.pk])),
        "my exports": (officer, reverse("records:export-list")),
        "form 2C pdf": (officer, reverse("records:employee-form-2c", args=[employee_kv1.pk])),
        "import list": (officer, reverse("records:import-list")),
        "import in progress": (officer, reverse("records:import-detail", args=[batch.pk])),
        "import status json": (officer, reverse("records:import-status", args=[batch.pk])),
        "import template": (officer, reverse("records:import-template")),
        "request page": (approver, reverse("changerequest:process_detail", args=[change_request.process_id])),
        "approval queue": (approver, reverse("changerequest:queue")),
        "approval task": (approver, task_url(task, "index")),
        "delegations": (approver, reverse("delegations:index")),
        "quota report": (admin, reverse("units:quota-report")),
        "grants": (admin, reverse("units:grant-list")),
        "access log": (admin, reverse("records:access-log")),
        "policy": (admin, reverse("policy:index")),
        "admin": (admin, reverse("admin:index")),
        "admin change list": (admin, reverse("admin:records_employee_changelist")),
    }


def csp_directives(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_every_response_to_a_signed_in_user_is_not_stored_and_carries_the_policies(client, pages):
    for name, (user, url) in pages.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (200, 302), (name, response.status_code)
        cache = response.get("Cache-Control", "")
        assert "no-store" in cache and "private" in cache, (name, cache)
        directives = csp_directives(response)
        assert directives["script-src"] == ["'self'"], name
        # 'self' and the hash of Turbo's constant progress-bar stylesheet: no 'unsafe-inline'.
        assert directives["style-src"][0] == "'self'" and all(
            v.startswith("'sha256-") for v in directives["style-src"][1:]
        ), name
        assert directives["object-src"] == ["'none'"], name
        assert directives["frame-ancestors"] == ["'none'"] and directives["base-uri"] == ["'self'"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"], (
            name
        )


def test_the_login_page_carries_the_policies_too(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert csp_directives(response)["script-src"] == ["'self'"]
    assert "microphone=()" in response["Permissions-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_pages_hold_no_code_the_policy_would_block_and_load_their_scripts_from_this_site(client, pages):
    for name, (user, url) in pages.items():
        client.force_login(user)
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
            continue
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body), (name, INLINE_SCRIPT.search(body).group())
        assert not STYLE_ELEMENT.search(body), name
        assert not HANDLER.search(body), (name, HANDLER.search(body).group()[:200])
        sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', body)
        assert sources and all(src.startswith("/") and not src.startswith("//") for src in sources), (name, sources)
        stylesheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*>|<link[^>]*href="([^"]+\.css)"', body)
        assert stylesheets, name
        if name not in ("admin", "admin change list"):
            assert "/static/viewflow/js/viewflow.min.js" in sources, name
            assert "/static/qlcb/qlcb.js" in sources, name


def test_the_project_script_and_stylesheet_exist_and_carry_what_the_templates_did_inline():
    script = Path(finders.find("qlcb/qlcb.js")).read_text(encoding="utf-8")
    assert "data-autosubmit" in script and "data-import-progress" in script and "turbo:load" in script
    assert "data-export-progress" in script
    css = Path(finders.find("qlcb/qlcb.css")).read_text(encoding="utf-8")
    for rule in (".qlcb-card", ".qlcb-lang select", ".qlcb-qr", ".qlcb-depth-3", ".turbo-progress-bar"):
        assert rule in css, rule


def test_the_language_switch_and_the_import_progress_work_without_inline_code(client, pages):
    user, url = pages["import in progress"]
    client.force_login(user)
    body = client.get(url).content.decode()
    assert re.search(r'<select name="language" data-autosubmit', body)
    assert re.search(r"<div[^>]+data-import-progress[^>]+data-url=\"/records/imports/\d+/status/\"", body)
    user, url = pages["export in progress"]
    body = client.get(url).content.decode()
    assert re.search(r"<div[^>]+data-export-progress[^>]+data-url=\"/records/exports/\d+/status/\"", body)
