"""The form renderer (settings.FORM_RENDERER): Django's, with the plain <input> widgets written
in Python instead of through three templates each (issue 9: a person's change page has about
200 of them, and rendering them was the largest part of the page's time).

Only while the templates are Django's own: each widget template that is nothing but an include
of "django/forms/widgets/input.html", that template and "django/forms/widgets/attrs.html" are
compared at start with the text written here; a template an app overrides (or another Django
version changes) keeps being rendered as a template. tests/test_form_renderer.py checks the
output is the templates' byte for byte.

Every label (or legend) Django writes for a field whose input is required ends with the
required mark (tracking.required, issue #12), so every form shows it the same way."""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

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
    """{{ value }}: escaped unless marked safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: the value as text (a tuple as its repr, as the filter does),
    escaped unless the value was marked safe."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def render_input(widget: dict) -> str:
    parts = [f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"']
    value = widget["value"]
    if value != None:  # noqa: E711 - the template's test, kept as it is
        parts.append(f' value="{_formatted(value)}"')
    for name, attr in widget["attrs"].items():
        if attr is not False:
            parts.append(f" {_text(name)}")
            if attr is not True:
                parts.append(f'="{_formatted(attr)}"')
    parts.append(">")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    @cached_property
    def written_in_python(self) -> frozenset:
        """The widget templates rendered by render_input: none unless input.html and attrs.html
        are Django's own text."""
        if self._source(INPUT) != INPUT_SOURCE or self._source(ATTRS) != ATTRS_SOURCE:
            return frozenset()
        return frozenset(name for name in CANDIDATES if name == INPUT or self._source(name) == INCLUDES_INPUT)

    def _source(self, template_name) -> str | None:
        try:
            return self.get_template(template_name).template.source.strip()
        except Exception:  # noqa: BLE001 - a template missing or unreadable: not written here
            return None

    def render(self, template_name, context, request=None):
        if template_name == LABEL and isinstance(context, dict) and context.get("use_tag") and context.get("field"):
            return self._marked_label(super().render(template_name, context, request=request), context)
        if template_name in self.written_in_python:
            widget = context.get("widget") if isinstance(context, dict) else None
            if widget is not None and {"type", "name", "value", "attrs"} <= widget.keys():
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
