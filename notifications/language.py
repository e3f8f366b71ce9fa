"""The language a person reads the site and their emails in: Vietnamese unless they chose
otherwise, remembered on their account (NotificationSettings.language) and carried in the
session once they sign in, so it follows them to any browser. The browser's Accept-Language
is never asked: a ministry's computers often run an English Windows, and its users expect
Vietnamese (config.language.LanguageMiddleware reads what this module stores)."""

from django.conf import settings
from django.views.i18n import set_language as django_set_language

from .models import NotificationSettings

SESSION_KEY = "qlcb_language"


def supported(code) -> bool:
    return code in dict(settings.LANGUAGES)


def remember(request, language: str) -> None:
    """Store a signed-in person's choice on their account and in their session."""
    if not supported(language):
        return
    from .services import kept_settings

    updated = NotificationSettings.objects.filter(user_id=request.user.pk).update(language=language)
    kept_settings.renew([request.user.pk])  # an update sends no signal
    if not updated:
        NotificationSettings.objects.create(user_id=request.user.pk, language=language)
    request.session[SESSION_KEY] = language


def on_login(sender, request, user, **kwargs):
    """At sign-in the account's choice becomes the session's (one query, at sign-in only)."""
    if request is None or not hasattr(request, "session"):
        return
    language = NotificationSettings.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    if supported(language):
        request.session[SESSION_KEY] = language
    else:
        request.session.pop(SESSION_KEY, None)


def set_language(request):
    """Django's language switch (the cookie, the redirect), remembered on the account too."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and supported(language):
        remember(request, language)
    return response
