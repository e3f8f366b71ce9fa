"""The change page's form classes copy their fields per form as Django's deepcopy does, without
copy's generic path (workflows.forms._LightlyCopiedFields): the same fields, none shared with the
class, and the same page."""

import copy
import datetime
import re

from django import forms
from django.urls import reverse

from records.models import Training, WorkHistory
from tests.conftest import give_salary_history, setup_context
from workflows.forms import _LightlyCopiedFields


def _form_classes(form):
    return [type(form.root_form), *(formset.form for formset in form.formsets)]


def _page(client, employee):
    html = client.get(reverse("records:employee-propose", args=[employee.pk])).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _with_rows(employee, loader):
    give_salary_history(employee, loader)
    with setup_context(loader):
        WorkHistory.objects.create(
            employee=employee,
            start_date=datetime.date(2010, 1, 1),
            organisation='Chi cục "Thuế" <khu vực I> & II',
            title="Chuyên viên",
        )
        Training.objects.create(
            employee=employee,
            kind=Training.Kind.choices[0][0],
            name="Quản lý thuế",
            start_date=datetime.date(2012, 3, 1),
        )


def test_the_page_is_the_one_djangos_copies_make(people, employee_kv1, loader, client_for, monkeypatch):
    _with_rows(employee_kv1, loader)
    client = client_for(people["canbo_kv1"])
    form = client.get(reverse("records:employee-propose", args=[employee_kv1.pk])).context["form"]
    classes = _form_classes(form)
    assert all(isinstance(cls.base_fields, _LightlyCopiedFields) for cls in classes)
    assert sum(len(cls.base_fields.light) for cls in classes) > 100
    ours = _page(client, employee_kv1)
    for cls in classes:  # the same classes, copying their fields by Django's deepcopy
        monkeypatch.setattr(cls, "base_fields", dict(cls.base_fields))
    django = _page(client, employee_kv1)
    assert "Chi cục &quot;Thuế&quot; &lt;khu vực I&gt; &amp; II" in ours
    assert ours == django


def _same(ours, django, path=""):
    """Equal values, and every mutable one (a dict, a list, a field, a widget, choices) a copy of
    its own, as Django's deepcopy makes it."""
    assert type(ours) is type(django), path
    if isinstance(ours, forms.Field | forms.Widget) or type(ours).__name__ == "BlankChoiceIterator":
        assert ours is not django, path
        assert vars(ours).keys() == vars(django).keys(), path
        for name in vars(ours):
            _same(vars(ours)[name], vars(django)[name], f"{path}.{name}")
    elif isinstance(ours, dict | list):
        assert ours == django, path
    else:
        assert ours == django or ours is django, path


def test_a_light_copy_is_what_djangos_deepcopy_makes(people, employee_kv1, loader, client_for):
    _with_rows(employee_kv1, loader)
    form = (
        client_for(people["canbo_kv1"]).get(reverse("records:employee-propose", args=[employee_kv1.pk])).context["form"]
    )
    for cls in _form_classes(form):
        base = cls.base_fields
        ours, django = copy.deepcopy(base), copy.deepcopy(dict(base))
        assert ours.keys() == django.keys()
        for name in base:
            if name in base.light:  # the others are copied by Django's deepcopy itself
                _same(ours[name], django[name], f"{cls.__name__}.{name}")
            for copied in (ours[name], django[name]):
                # nothing the form may change is shared with the class's field
                assert copied is not base[name] and copied.widget is not base[name].widget
                assert copied.widget.attrs is not base[name].widget.attrs
                assert copied.error_messages is not base[name].error_messages
                assert copied.validators is not base[name].validators
                if name in base.light and isinstance(copied, forms.ChoiceField):
                    assert copied._choices is not base[name]._choices
                    assert copied.widget.choices is not base[name].widget.choices


def test_fields_it_does_not_know_are_copied_by_django():
    class Form(forms.Form):
        plain = forms.CharField(max_length=5)
        coded = forms.TypedChoiceField(choices=[("a", "A"), ("b", "B")], coerce=str)
        grouped = forms.ChoiceField(choices=[("Nhóm", [("a", "A")]), ("b", "B")])
        many = forms.MultiValueField(
            fields=(forms.CharField(), forms.CharField()),
            widget=forms.MultiWidget([forms.TextInput(), forms.TextInput()]),
        )

    fields = _LightlyCopiedFields(Form.base_fields)
    assert fields.light == {"plain", "coded"}
    copied = copy.deepcopy(fields)
    copied["grouped"]._choices[0][1].append(("c", "C"))  # Django's own copy: the group's list too
    assert Form.base_fields["grouped"].choices == [("Nhóm", [("a", "A")]), ("b", "B")]
    copied["coded"].widget.attrs["class"] = "x"
    copied["coded"]._choices.append(("c", "C"))
    assert "class" not in Form.base_fields["coded"].widget.attrs
    assert Form.base_fields["coded"].choices == [("a", "A"), ("b", "B")]
