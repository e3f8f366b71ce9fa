"""config.form_renderer writes the plain <input> widgets in Python: the same HTML, byte for byte,
as Django's templates give, for every kind of value and attribute, and only while the templates
are Django's own."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from config.form_renderer import CANDIDATES, FormRenderer

WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"class": "a b", "placeholder": 'Họ "và" tên <b>', "required": True, "disabled": False}),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    forms.NumberInput(attrs={"min": 0, "max": Decimal("9.99"), "step": "0.01"}),
    forms.CheckboxInput(),
    forms.EmailInput(attrs={"autocomplete": "email"}),
    forms.PasswordInput(render_value=True),
    forms.URLInput(),
    forms.TimeInput(),
    forms.DateTimeInput(),
]
VALUES = [
    None,
    "",
    "Nguyễn Văn An",
    "<script>alert('x')</script> & \"q\"",
    mark_safe("<b>đã đánh dấu an toàn</b>"),
    0,
    42,
    Decimal("4.65"),
    datetime.date(2026, 12, 2),
    datetime.datetime(2026, 12, 2, 8, 30),
    True,
    False,
    (1, 2),
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
def test_inputs_are_written_as_the_templates_write_them(widget):
    ours, django = FormRenderer(), DjangoTemplates()
    assert widget.template_name in ours.written_in_python
    for value in VALUES:
        for attrs in (None, {"id": "id_x", "aria-describedby": "help_x", "data-n": 3, "readonly": True}):
            expected = widget.render("root-full_name", value, attrs=attrs, renderer=django)
            assert widget.render("root-full_name", value, attrs=attrs, renderer=ours) == expected, (value, attrs)


def test_other_widgets_and_forms_are_rendered_by_their_templates():
    ours = FormRenderer()
    for widget in (forms.Select(choices=[("1", "Một")]), forms.Textarea(), forms.CheckboxSelectMultiple()):
        assert widget.template_name not in ours.written_in_python
        assert widget.render("f", "1", renderer=ours) == widget.render("f", "1", renderer=DjangoTemplates())


def test_a_template_that_is_not_djangos_own_is_rendered_as_a_template(monkeypatch):
    renderer = FormRenderer()
    real = renderer._source
    monkeypatch.setattr(renderer, "_source", lambda name: "<input>" if name.endswith("attrs.html") else real(name))
    assert renderer.written_in_python == frozenset()


def test_the_project_uses_it():
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert set(CANDIDATES) <= renderer.written_in_python
