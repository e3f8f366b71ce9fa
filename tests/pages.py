"""Submit the change-set pages as a person would: every field as the page shows it, some
changed, rows added or ticked for removal, and a reason."""

from decimal import Decimal

from django.db import models


def _put(data, bound, name=None):
    value = bound.value()
    if value is None:
        value = ""
    name = name or bound.html_name
    if isinstance(value, bool):
        if value:
            data[name] = "on"
        return
    if isinstance(value, models.Model):
        value = value.pk
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = str(value)
    data[name] = value


def payload(form) -> dict:
    """The POST data of a ChangeSetForm exactly as rendered (nothing changed yet)."""
    data = {}
    for bound in form.root_form:
        _put(data, bound)
    for formset in form.formsets:
        for bound in formset.management_form:
            _put(data, bound)
        for sub in formset.forms:
            for bound in sub:
                _put(data, bound)
                if bound.field.show_hidden_initial:  # the value shown, sent back as the page does
                    _put(data, bound, bound.html_initial_name)
    data["reason"] = form.reason_form["reason"].value() or ""
    return data


def fill(data, form, *, reason=None, fields=None, add=None, remove=None, edit=None) -> dict:
    """Change root fields, add rows ({prefix: [row, ...]}), tick rows for removal
    ({prefix: [pk, ...]}) or edit rows ({prefix: {pk: {field: value}}})."""
    if reason is not None:
        data["reason"] = reason
    for name, value in (fields or {}).items():
        data[f"root-{name}"] = value
    formsets = {fs.prefix: fs for fs in form.formsets}
    for prefix, rows in (add or {}).items():
        formset = formsets[prefix]
        start = formset.initial_form_count()
        for offset, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{start + offset}-{name}"] = value
        data[f"{prefix}-TOTAL_FORMS"] = str(max(int(data[f"{prefix}-TOTAL_FORMS"]), start + len(rows)))
    for prefix, pks in (remove or {}).items():
        for index, sub in enumerate(formsets[prefix].initial_forms):
            if sub.instance.pk in pks:
                data[f"{prefix}-{index}-DELETE"] = "on"
    for prefix, by_pk in (edit or {}).items():
        for index, sub in enumerate(formsets[prefix].initial_forms):
            for name, value in by_pk.get(sub.instance.pk, {}).items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def submit_page(client, url, **changes):
    """GET the page, change what is asked, POST it back; returns the POST response (or the
    GET response when the page itself is refused)."""
    page = client.get(url)
    if page.status_code != 200:
        return page
    form = page.context["form"]
    return client.post(url, fill(payload(form), form, **changes))
