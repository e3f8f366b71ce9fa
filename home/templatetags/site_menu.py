"""The site menu's links to each application (viewflow's includes/site_menu.html, block
app_links), written in Python: the menu is on every page, and its template loop (a permission, a
reverse, a translation and an icon per application, eleven of them) was a tenth of a list page's
rendering (issue #9). The markup, the permission asked (each application's
has_view_permission, as viewflow's `has_perm` filter asks it) and the address are viewflow's."""

import html

from django import template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from tracking.cells import cell_html

register = template.Library()

_LINK = (
    '\n      <a class="mdc-list-item mdc-list-item--with-one-line mdc-list-item--with-leading-icon'
    ' vf-page__menu-list-item" href="{url}"{turbo}>\n'
    '        <span class="mdc-list-item__start">{icon}</span>\n'
    '        <span class="mdc-list-item__content">{title}</span>\n'
    "      </a>\n"
)
_NONE = (
    '\n      <div class="mdc-list-item" style="height:auto; color: red">\n'
    "        <small>No applications found.</small>\n"
    "      </div>\n"
)


_INDEX_URLS: dict = {}  # the URLs do not change while the process runs


def _index_url(app, current_app) -> str:
    """viewflow's `{% reverse app 'index' as index_url %}` ("" when there is none), kept."""
    key = (id(app), current_app, get_script_prefix(), get_urlconf())
    url = _INDEX_URLS.get(key)
    if url is None:
        try:
            url = app.reverse("index", args=[], kwargs={}, current_app=current_app)
        except NoReverseMatch:
            url = ""
        _INDEX_URLS[key] = url
    return url


@register.simple_tag(takes_context=True)
def site_app_links(context):
    """The links to the applications the user may open, as viewflow's template writes them."""
    request = context.request
    site = context.get("site")
    viewset = context.get("viewset")
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        resolver_match = getattr(request, "resolver_match", None)
        current_app = getattr(resolver_match, "namespace", None)
    apps = list(site.menu_items()) if site is not None else []
    if not apps:
        return SafeString(_NONE)
    parts = []
    for app in apps:
        if not app.has_view_permission(request.user):
            continue
        url = _index_url(app, current_app)
        turbo = getattr(app, "turbo_disabled", False) or getattr(viewset, "turbo_disabled", False)
        title = str(app.title)
        parts.append(
            _LINK.format(
                url=html.escape(url),
                turbo=' data-turbo="false"' if turbo else "",
                icon=cell_html(app.icon),
                title=cell_html(gettext(title.replace("%", "%%")) if title else title),
            )
        )
    return SafeString("".join(parts))
