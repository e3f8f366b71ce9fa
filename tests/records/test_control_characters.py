"""Issue 8, defect 6: a control character in a text is refused wherever a record is written
(the change page, a change set, the importer), with a Vietnamese message; and every export
(employee list, quota report, import error report, form 2C) copes with whatever is stored."""

import importlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from records.models import Employee
from tests.conftest import make_employee, setup_context
from tests.workflows.conftest import propose
from units.models import StaffingQuota, Unit
from workflows import changesets
from workflows.models import ChangeRequest, ImportBatch

ESC = "\x1b"


def store_unchecked(obj, **values):
    """Write values as an older version (or a database console) might have: tracked, unvalidated."""
    from tracking.context import ChangeContext, tracked_change

    for name, value in values.items():
        setattr(obj, name, value)
    with tracked_change(ChangeContext(reason="Dữ liệu cũ", approved_by=obj._loader)):
        obj.save()
    return obj


@pytest.fixture
def dirty(tree, loader, employee_kv1):
    """Data written before the rule: a person's other name and a unit's name with ESC and NUL-free junk."""
    employee_kv1._loader = loader
    tree["kv1"]._loader = loader
    store_unchecked(employee_kv1, other_names=f"An{ESC}Bé\x07", main_duties="Kế\x0btoán")
    store_unchecked(tree["kv1"], name=f"Chi cục Thuế{ESC} khu vực I")
    with setup_context(loader):
        StaffingQuota(unit=tree["kv1"], year=2026, category="civil_servant", approved=10).save()
    return employee_kv1


# --- refused at input ---------------------------------------------------------------------


def test_a_proposal_with_a_control_character_is_refused_with_a_vietnamese_message(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1, other_names=f"An{ESC}[31m", reason="Cập nhật tên gọi khác")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ký tự điều khiển không hợp lệ (U+001B) ở vị trí 3" in page
    assert not ChangeRequest.objects.exists()


def test_tab_and_line_breaks_remain_text(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1, personal_history="Dòng một\r\nDòng hai\tcột", reason="Bổ sung lịch sử")
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_change_set_with_a_control_character_is_refused(people, employee_kv1):
    operation = changesets.make_update(employee_kv1, {"current_address": f"Số 1{ESC} phố Huế"})
    with pytest.raises(ValidationError) as refused:
        changesets.validate_operations([operation], user=people["canbo_kv1"])
    assert "ký tự điều khiển không hợp lệ (U+001B)" in " ".join(refused.value.messages)


def test_the_model_refuses_every_kind_of_control_character(tree, loader):
    employee = Employee(
        full_name="Nguyễn Văn\x00 An",
        other_names="\x7f",
        place_of_birth="Hà\x85Nội",
        home_town="\ufffe",
        managing_unit=tree["kv1"],
    )
    with pytest.raises(ValidationError) as refused:
        employee.full_clean()
    errors = refused.value.message_dict
    for name, code in (
        ("full_name", "U+0000"),
        ("other_names", "U+007F"),
        ("place_of_birth", "U+0085"),
        ("home_town", "U+FFFE"),
    ):
        assert any(code in message for message in errors[name]), (name, errors.get(name))


def test_units_quotas_and_positions_refuse_control_characters_too(tree):
    quota = StaffingQuota(unit=tree["kv1"], year=2026, category="civil_servant", approved=10, decision_number=f"1{ESC}")
    with pytest.raises(ValidationError) as refused:
        quota.full_clean()
    assert "U+001B" in " ".join(refused.value.message_dict["decision_number"])


# --- exports cope with what is stored -----------------------------------------------------


def workbook_of(response):
    assert response.status_code == 200, response
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def all_text(workbook) -> str:
    return " ".join(str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def test_the_employee_list_export_survives_a_stored_control_character(client, people, dirty, export_list):
    for user in ("canbo_kv1", "xem_cuc"):
        client.force_login(people[user])
        text = all_text(workbook_of(export_list()))
        assert "An\ufffdBé\ufffd" in text and "Kế\ufffdtoán" in text
        assert "Chi cục Thuế\ufffd khu vực I" in text


def test_the_quota_report_export_survives_a_stored_control_character(client, people, tree, dirty):
    client.force_login(people["xem_cuc"])
    response = client.get(reverse("units:quota-report-xlsx"), {"unit": tree["cuc"].pk, "year": 2026})
    assert "Chi cục Thuế\ufffd khu vực I" in all_text(workbook_of(response))


def test_the_import_error_report_survives_a_stored_control_character(client, people, tree, dirty, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    batch = ImportBatch.objects.create(
        unit=tree["kv1"],
        uploaded_by=people["canbo_kv1"],
        file="imports/x.xlsx",
        file_name=f"ho{ESC}so.xlsx",
        sha256="0" * 64,
        reason="Nhập thử",
        status=ImportBatch.Status.INVALID,
        errors=[
            {"sheet": "Cán bộ", "row": 3, "column": "Họ và tên", "cell": "B3", "message": f"Giá trị “a{ESC}b” sai."}
        ],
        summary={"errors_total": 1},
    )
    client.force_login(people["canbo_kv1"])
    text = all_text(workbook_of(client.get(reverse("records:import-errors", args=[batch.pk]))))
    assert "Giá trị “a\ufffdb” sai." in text and "ho\ufffdso.xlsx" in text and "Chi cục Thuế\ufffd khu vực I" in text


def test_the_import_template_survives_a_stored_control_character(client, people, tree, dirty, loader):
    from units.models import Position

    with setup_context(loader):
        Position(unit=tree["kv1"], name="Chi cục trưởng").save()
    position = Position.objects.get(unit=tree["kv1"])
    position._loader = loader
    store_unchecked(position, name=f"Chi cục{ESC} trưởng")
    client.force_login(people["canbo_kv1"])
    response = client.get(reverse("records:import-template"), {"unit": tree["kv1"].pk})
    assert "Chi cục\ufffd trưởng" in all_text(workbook_of(response))


def test_form_2c_prints_no_control_character(client, people, dirty):
    client.force_login(people["canbo_kv1"])
    response = client.get(reverse("records:employee-form-2c", args=[dirty.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert ESC not in text and "\x07" not in text and "\x0b" not in text


def test_a_new_person_with_a_control_character_cannot_be_loaded(tree, loader):
    with pytest.raises(ValidationError):
        make_employee(tree["kv1"], loader, citizen_id="001085000009", full_name=f"Lê{ESC} Văn Tám")


@pytest.mark.parametrize(
    ("form_class", "field", "kwargs"),
    [
        ("units.grant_views.GrantForm", "reason", {"units": None}),
        ("units.grant_views.RevokeForm", "reason", {}),
        ("workflows.policy_views.NoteForm", "note", {}),
        ("workflows.delegation_views.DelegationForm", "reason", {"delegator": None}),
    ],
)
def test_free_texts_of_grants_policies_and_delegations_refuse_control_characters(form_class, field, kwargs, people):
    """The reasons and notes kept beside grants, policy versions and delegations are texts an
    inspector reads: the same refusal as a record's texts, not only NUL (issue 8's leftover)."""
    module, name = form_class.rsplit(".", 1)
    form_type = getattr(importlib.import_module(module), name)
    if "units" in kwargs:
        kwargs["units"] = Unit.objects.all()
    if "delegator" in kwargs:
        kwargs["delegator"] = people["lanhdao_kv1"]
    form = form_type(data={field: f"Theo QĐ{ESC}[2J 12/QĐ"}, **kwargs)
    assert not form.is_valid()
    assert "U+001B" in " ".join(form.errors[field])
