"""Rules for every request and response, before and after any view: input no page can use
(a control character in the path, a query, a cookie, a form field name; NUL anywhere) is
refused with a Vietnamese 400 page, and responses carry the headers that keep personal data out
of caches and limit what the browser may do."""

import logging

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from tracking.validators import CONTROL_CHARACTERS, describe_character

log = logging.getLogger("qlcb.security")

NUL = "\x00"


def _name(text: str) -> str:
    """A parameter name as the page may quote it: control characters shown, bounded."""
    shown = CONTROL_CHARACTERS.sub(lambda m: describe_character(m.group()), text)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _first_control_character(request) -> tuple[str, str] | None:
    """(where, character) of the first character the request may not carry, or None.

    Queries, cookies and the path feed lookups and never need a control character; PostgreSQL
    refuses NUL in any string, so NUL is refused in form fields and headers too. Other control
    characters in form values are left to the forms, which say which field is wrong and keep
    what was typed (tracking.validators)."""
    match = CONTROL_CHARACTERS.search(request.path_info)
    if match:
        return _("đường dẫn của trang"), match.group()
    for key, values in request.GET.lists():
        for text in (key, *values):
            match = CONTROL_CHARACTERS.search(text)
            if match:
                return _("tham số “%(name)s” của địa chỉ") % {"name": _name(key)}, match.group()
    for key, value in request.COOKIES.items():
        match = CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
        if match:
            return _("cookie “%(name)s”") % {"name": _name(key)}, match.group()
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return _("tiêu đề “%(name)s” của yêu cầu") % {"name": _name(key[5:].replace("_", "-").title())}, NUL
    if request.method == "POST":
        for key, values in request.POST.lists():
            match = CONTROL_CHARACTERS.search(key)
            if match or any(NUL in value for value in values):
                return _("trường “%(name)s” của biểu mẫu") % {"name": _name(key)}, match.group() if match else NUL
    return None


def refuse_input(request, where: str, char: str):
    """The Vietnamese 400 page naming what was refused and where (in the reader's language)."""
    log.info(
        "Input refused: %s in %s of %s %s",
        describe_character(char),
        where,
        request.method,
        request.path[:200].encode("unicode_escape").decode(),
    )
    message = _(
        "Yêu cầu có ký tự điều khiển không hợp lệ (%(code)s) trong %(where)s, nên không được xử lý. "
        "Hãy xoá ký tự đó (thường do dán từ phần mềm khác) rồi thử lại."
    ) % {"code": describe_character(char), "where": where}
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))


class InputSafetyMiddleware:
    """Refuses a request carrying a character no page can use, before sessions, CSRF or any
    view read it (a NUL in a session cookie would otherwise reach the database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = _first_control_character(request)
        if found is not None:
            with translation.override(translation.get_language_from_request(request)):
                return refuse_input(request, *found)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Every response to a signed-in user may show personal data, so none is stored by the
    browser or a proxy (Cache-Control: no-store, downloads included); every response states the
    browser features no page uses (Permissions-Policy). The Content-Security-Policy is
    django-csp's (CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
