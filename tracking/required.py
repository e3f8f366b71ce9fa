"""The mark of a required field (issue #12): a red asterisk at the end of its label, hidden from
screen readers (the input's own `required` attribute tells them), on exactly the fields whose
input carries that attribute. Put there by the form renderer on every label Django writes
(config.form_renderer) and by the `required_mark` filter on the labels a page writes itself
(tracking/templatetags/required_marks.py); its look is `.qlcb-required` in static/qlcb/qlcb.css."""

from django.utils.safestring import mark_safe

MARK = mark_safe('<span class="qlcb-required" aria-hidden="true">*</span>')


def is_required(bound) -> bool:
    """Django's own test for writing `required` on the field's input
    (BoundField.build_widget_attrs): a formset's rows, which may be left empty, carry none."""
    field = bound.field
    widget = field.widget
    return bool(
        field.required and bound.form.use_required_attribute and widget.use_required_attribute(bound.initial)
    ) or bool(widget.attrs.get("required"))


def mark_for(bound) -> str:
    return MARK if is_required(bound) else ""
