"""config.form_renderer writes the plain <input> widgets in Python: the same HTML, byte for byte,
as Django's templates give, for every kind of value and attribute, and only while the templates
are Django's own."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from config.form_renderer import CANDIDATES, SELECT, FormRenderer

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


SELECTS = [
    forms.Select(choices=[("", "---------"), ("1", "Một"), (2, "Hai <b>"), ("3", mark_safe("<i>Ba</i>"))]),
    forms.Select(
        choices=[("Nhóm <A>", [("a1", "A một"), ("a2", "A hai")]), ("x", "Lẻ"), ("", [("b1", "Không nhóm")])],
        attrs={"class": "c", "required": True, "disabled": False},
    ),
    forms.Select(choices=[(Decimal("2.34"), Decimal("2.34")), (4.5, 4.5), (7, 7), (None, "Không"), (True, "Có")]),
    forms.Select(choices=[(gettext_lazy("Nam"), gettext_lazy("Nam")), (datetime.date(2026, 1, 2), "ngày")]),
    forms.Select(choices=[]),
    forms.SelectMultiple(choices=[("1", "Một"), ("2", "Hai"), ("3", "Ba")]),
    forms.NullBooleanSelect(),
]


@pytest.mark.parametrize("widget", SELECTS, ids=lambda w: type(w).__name__)
def test_selects_are_written_as_the_templates_write_them(widget):
    ours, django = FormRenderer(), DjangoTemplates()
    assert widget.template_name in ours.written_in_python
    values = [None, "", "1", 2, "a2", "b1", Decimal("2.34"), 7, True, False, "unknown", ["1", "3"], "Nam"]
    for value in values:
        for attrs in (None, {"id": "id_x", "aria-describedby": "help_x", "data-n": 3}):
            if isinstance(value, list) and not widget.allow_multiple_selected:
                continue  # a list is a multiple select's value
            expected = widget.render("root-rank", value, attrs=attrs, renderer=django)
            assert widget.render("root-rank", value, attrs=attrs, renderer=ours) == expected, (value, attrs)


def test_a_select_whose_options_have_their_own_template_is_rendered_by_the_templates():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/attrs.html"  # any other template

    widget = Marked(choices=[("1", "Một")])
    assert widget.render("f", "1", renderer=FormRenderer()) == widget.render("f", "1", renderer=DjangoTemplates())


def test_other_widgets_and_forms_are_rendered_by_their_templates():
    ours = FormRenderer()
    for widget in (forms.Textarea(), forms.CheckboxSelectMultiple(), forms.RadioSelect(choices=[("1", "Một")])):
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
    assert set(CANDIDATES) | {SELECT} <= renderer.written_in_python
