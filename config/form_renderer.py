"""The form renderer (settings.FORM_RENDERER): Django's, with the plain <input> widgets and the
<select> widgets written in Python instead of through three templates each (a select: two, and
two more per option; issue 9: a person's change page has about 200 inputs and 20 selects, some
of 50 options, and rendering them was the largest part of the page's time).

Only while the templates are Django's own: each widget template that is nothing but an include
of "django/forms/widgets/input.html", that template, "django/forms/widgets/attrs.html",
"select.html" and "select_option.html" are compared at start with the text written here; a
template an app overrides (or another Django version changes) keeps being rendered as a
template. tests/test_form_renderer.py checks the
output is the templates' byte for byte.

Every label (or legend) Django writes for a field whose input is required ends with the
required mark (tracking.required, issue #12), so every form shows it the same way."""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from tracking.cells import cell_html
from tracking.required import mark_for

INPUT = "django/forms/widgets/input.html"
ATTRS = "django/forms/widgets/attrs.html"
LABEL = "django/forms/label.html"  # BaseForm.template_name_label
INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}'
INPUT_SOURCE = (
    '<input type="{{ widget.type }}" name="{{ widget.name }}"'
    "{% if widget.value != None %} value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>'
)
ATTRS_SOURCE = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
)
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
SELECT_SOURCE = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n"
    "</select>"
)
OPTION_SOURCE = (
    "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>'
)
# Django's input widgets whose template is the include alone.
CANDIDATES = tuple(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "hidden",
        "date",
        "checkbox",
        "number",
        "email",
        "password",
        "url",
        "time",
        "datetime",
        "search",
        "tel",
        "color",
        "input",
    )
)


def _text(value) -> str:
    """{{ value }}: escaped unless marked safe (plain text at once: Django's escape is
    html.escape, and its wrappers were a third of a widget's time)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: the value as text (a tuple as its repr, as the filter does),
    escaped unless the value was marked safe."""
    if type(value) is str:
        return html.escape(value)
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(parts: list, attrs: dict) -> None:
    """attrs.html."""
    for name, attr in attrs.items():
        if attr is not False:
            parts.append(f" {_text(name)}")
            if attr is not True:
                parts.append(f'="{_formatted(attr)}"')


def render_input(widget: dict) -> str:
    parts = [f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"']
    value = widget["value"]
    if value != None:  # noqa: E711 - the template's test, kept as it is
        parts.append(f' value="{_formatted(value)}"')
    _attrs(parts, widget["attrs"])
    parts.append(">")
    return "".join(parts)


def render_select(widget: dict) -> str | None:
    """select.html with select_option.html for each option; None when an option names another
    template (then the templates render it)."""
    parts = [f'<select name="{_text(widget["name"])}"']
    _attrs(parts, widget["attrs"])
    parts.append(">")
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{cell_html(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            parts.append(f'\n  <option value="{_formatted(option["value"])}"')
            _attrs(parts, option["attrs"])
            # the option's template ends with a newline, which its include keeps
            parts.append(f">{cell_html(option['label'])}</option>\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    @cached_property
    def written_in_python(self) -> frozenset:
        """The widget templates rendered by render_input: none unless input.html and attrs.html
        are Django's own text."""
        if self._source(INPUT) != INPUT_SOURCE or self._source(ATTRS) != ATTRS_SOURCE:
            return frozenset()
        names = {name for name in CANDIDATES if name == INPUT or self._source(name) == INCLUDES_INPUT}
        # the option's text with its final newline: each option is followed by it
        if self._source(SELECT) == SELECT_SOURCE and self._source(OPTION, strip=False) == OPTION_SOURCE + "\n":
            names.add(SELECT)
        return frozenset(names)

    def _source(self, template_name, *, strip=True) -> str | None:
        try:
            source = self.get_template(template_name).template.source
            return source.strip() if strip else source
        except Exception:  # noqa: BLE001 - a template missing or unreadable: not written here
            return None

    def render(self, template_name, context, request=None):
        if template_name == LABEL and isinstance(context, dict) and context.get("use_tag") and context.get("field"):
            return self._marked_label(super().render(template_name, context, request=request), context)
        if template_name in self.written_in_python:
            widget = context.get("widget") if isinstance(context, dict) else None
            if template_name == SELECT:
                if widget is not None and {"name", "attrs", "optgroups"} <= widget.keys():
                    html = render_select(widget)
                    if html is not None:
                        return html
            elif widget is not None and {"type", "name", "value", "attrs"} <= widget.keys():
                return render_input(widget)
        return super().render(template_name, context, request=request)

    @staticmethod
    def _marked_label(html: str, context: dict) -> str:
        """The label with the required mark before its closing tag, when the field's input is
        required."""
        mark = mark_for(context["field"])
        closing = f"</{context.get('tag') or 'label'}>"
        if not mark or not html.rstrip().endswith(closing):
            return html
        head = html.rstrip()[: -len(closing)]
        return mark_safe(f"{head}{mark}{closing}")
