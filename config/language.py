"""Which language a request is served in (see notifications.language): the signed-in person's
choice carried in the session, else the language cookie (set by the switch), else
LANGUAGE_CODE (Vietnamese). Unlike Django's LocaleMiddleware, never the browser's
Accept-Language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from notifications.language import SESSION_KEY, supported


def language_of(request) -> str:
    session = getattr(request, "session", None)
    if session is not None and session.session_key is not None:
        chosen = session.get(SESSION_KEY)
        if supported(chosen):
            return chosen
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if supported(cookie) else settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware (Content-Language, Vary) with the choice above."""

    def process_request(self, request):
        translation.activate(language_of(request))
        request.LANGUAGE_CODE = translation.get_language()
