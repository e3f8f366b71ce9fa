"""The section's menu takes the entries other pages of the app add (oversight/menu_more.html)
when that template exists."""

from django import template
from django.template.loader import get_template

register = template.Library()

MORE = "oversight/menu_more.html"


@register.simple_tag(takes_context=True)
def menu_more(context):
    try:
        more = get_template(MORE)
    except template.TemplateDoesNotExist:
        return ""
    return more.render(context.flatten(), context.get("request"))
