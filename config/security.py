"""Authentication hardening (OWASP ASVS level 2): two-factor verification for approvers,
inspectors and staff, session lifetime, ending a disabled account's sessions, the lockout
page, and the security log ("qlcb.security": logins, failures, lockouts, 403s).

SecurityConfig (in INSTALLED_APPS) wires the receivers, so this module is imported while the
app registry loads: models are imported inside the functions that use them."""

import base64
import io
import logging
import time
from importlib import import_module
from urllib.parse import urlencode

from django import forms
from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, SESSION_KEY, get_user_model, logout, password_validation
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core import checks
from django.db.models.signals import post_save
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.clients import client_ip  # settings.AXES_CLIENT_IP_CALLABLE names it here too

log = logging.getLogger("qlcb.security")

LOGIN_AT_SESSION_KEY = "qlcb_login_at"  # Unix time of the password login of this session
TOUCHED_SESSION_KEY = "qlcb_touched_at"  # Unix time the idle expiry was last moved on


# --- Who is asking ----------------------------------------------------------------------
def _username(request) -> str:
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "-"


def _clean(value, limit=200) -> str:
    """A visitor-supplied value made safe for one log line (no forged lines, bounded)."""
    text = "".join(c if c.isprintable() and c != " " else "?" for c in str(value))
    return text[:limit] or "-"


# --- Password policy --------------------------------------------------------------------
class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with our message: Django 5.2 reworded the error ("%d character") and its
    Vietnamese catalogue still translates only the old wording, so it came out in English."""

    def get_error_message(self):
        return (
            ngettext(
                "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất %d ký tự.",
                "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất %d ký tự.",
                self.min_length,
            )
            % self.min_length
        )


# --- Two-factor authentication ----------------------------------------------------------
def needs_otp(user) -> bool:
    """Who verifies a TOTP code: the rule is units.permissions.needs_second_factor."""
    from units.permissions import needs_second_factor

    return needs_second_factor(user)


def must_verify_otp(user) -> bool:
    if not user.is_authenticated or user.is_verified():
        return False
    if settings.OTP_EXEMPT_DEMO_ACCOUNTS:
        # A demo account is one the demo loader (or an administrator) marked, never a name.
        from accounts.selectors import is_demo_account

        if is_demo_account(user):
            return False
    return needs_otp(user)


def _exempt_paths():
    """Pages an authenticated but unverified user may still open."""
    paths = []
    for name in ("login", "logout", "otp-verify", "otp-enrol", "set_language", "admin:logout"):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            pass
    return paths


class OTPRequiredMiddleware:
    """After django_otp's OTPMiddleware: sends a user who needs two-factor authentication and
    has not verified a code in this session to the verify (or enrol) page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.OTP_REQUIRED and not self._exempt(request.path) and must_verify_otp(request.user):
            return redirect(f"{reverse('otp-verify')}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path):
        return path.startswith(settings.STATIC_URL) or path in _exempt_paths()


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Nhập sai quá nhiều lần. Vui lòng đợi ít phút rồi thử lại."))
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn."))
        return token


def _next_url(request):
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(viewname, request):
    return f"{reverse(viewname)}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"


def _complete_verification(request, device, event):
    from django_otp import login as otp_login

    request.session.cycle_key()  # a new session key once the second factor is in, too
    otp_login(request, device)
    log.info("%s user=%s ip=%s", event, request.user.get_username(), client_ip(request))
    return redirect(_next_url(request))


@login_required
def otp_verify(request):
    """Second step of the login: a code from the user's authenticator app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if request.user.is_verified():
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(_with_next("otp-enrol", request))
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            return _complete_verification(request, device, "otp verified")
        log.warning("otp failed user=%s ip=%s", request.user.get_username(), client_ip(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_enrol(request):
    """First login of a user who needs two-factor authentication: scan the key into an
    authenticator app and prove it with one code. A confirmed device is never replaced
    here (an administrator removes a lost one in the admin)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp.qr import write_qrcode_image

    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next("otp-verify", request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="TOTP", confirmed=False)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return _complete_verification(request, device, "otp enrolled")
        log.warning("otp enrolment failed user=%s ip=%s", request.user.get_username(), client_ip(request))
    svg = io.BytesIO()
    write_qrcode_image(device.config_url, svg)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode(),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


# --- Sessions ---------------------------------------------------------------------------
class SessionLifetimeMiddleware:
    """Logs a session out SESSION_ABSOLUTE_AGE seconds after its password login, however
    active it has been; and moves the idle expiry (SESSION_COOKIE_AGE) on while the user is
    active, writing the session at most once per SESSION_RENEW_SECONDS rather than on every
    request (a write per page view would cost every page three queries)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            if login_at is None:  # a session from before this rule: its 12 hours start now
                request.session[LOGIN_AT_SESSION_KEY] = time.time()
            elif time.time() - login_at > settings.SESSION_ABSOLUTE_AGE:
                log.info("session expired user=%s ip=%s", request.user.get_username(), client_ip(request))
                logout(request)
                login_url = resolve_url(settings.LOGIN_URL)
                return redirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
            if time.time() - request.session.get(TOUCHED_SESSION_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[TOUCHED_SESSION_KEY] = time.time()  # saved, so the expiry moves on
        return self.get_response(request)


def end_sessions_of(user) -> int:
    """Deletes every stored session logged in as user; returns how many."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):  # cache/cookie sessions cannot be listed
        log.warning("cannot end sessions of user=%s: SESSION_ENGINE %s", user.get_username(), settings.SESSION_ENGINE)
        return 0
    ended = 0
    sessions = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in sessions.only("session_key", "session_data").iterator():
        if store_class().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


def _end_sessions_of_disabled_user(sender, instance, update_fields=None, **kwargs):
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    ended = end_sessions_of(instance)
    if ended:
        log.info("account disabled user=%s sessions_ended=%d", instance.get_username(), ended)


# --- Lockout page -----------------------------------------------------------------------
def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): our page, in Vietnamese, 429."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/lockout.html", context, status=429)


# --- Security log -----------------------------------------------------------------------
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_SESSION_KEY] = request.session[TOUCHED_SESSION_KEY] = time.time()
    log.info("login user=%s ip=%s", user.get_username(), client_ip(request) if request else "-")


def _logged_out(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else "-"
    log.info("logout user=%s ip=%s", username, client_ip(request) if request else "-")


def _login_failed(sender, credentials, request=None, **kwargs):
    username = _clean(credentials.get("username", "-"))
    log.warning("login failed user=%s ip=%s", username, _clean(client_ip(request)) if request else "-")


def _locked_out(sender, request, username, ip_address, **kwargs):
    log.warning("lockout user=%s ip=%s", _clean(username), _clean(ip_address))


class DeniedAccessLogMiddleware:
    """Logs every 403 response (PermissionDenied, CSRF failure, a viewflow refusal)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log.warning(
                "permission denied user=%s path=%s method=%s ip=%s",
                _username(request),
                _clean(request.path, 500),
                _clean(request.method),
                _clean(client_ip(request)),
            )
        return response


# --- Deployment checks ------------------------------------------------------------------
def check_authentication_settings(app_configs=None, **kwargs):
    """`manage.py check --deploy`: two-factor authentication on, and no demo exemption."""
    warnings = []
    if not settings.OTP_REQUIRED:
        warnings.append(
            checks.Warning(
                "OTP_REQUIRED is off: approvers, inspectors and staff log in without a second factor.",
                hint="Unset OTP_REQUIRED (default on).",
                id="qlcb.W001",
            )
        )
    if settings.OTP_EXEMPT_DEMO_ACCOUNTS:
        warnings.append(
            checks.Warning(
                "DEMO_MODE is on: demo accounts with published passwords skip two-factor authentication.",
                hint="Never set DEMO_MODE in production.",
                id="qlcb.W002",
            )
        )
    return warnings


class SecurityConfig(AppConfig):
    """Wires the receivers and the deployment check (listed in INSTALLED_APPS)."""

    name = "config"
    label = "qlcb_security"
    verbose_name = _("Bảo mật")

    def ready(self):
        from axes.signals import user_locked_out

        from . import user_cache

        user_logged_in.connect(_logged_in, dispatch_uid="qlcb_security_logged_in")
        user_logged_out.connect(_logged_out, dispatch_uid="qlcb_security_logged_out")
        user_login_failed.connect(_login_failed, dispatch_uid="qlcb_security_login_failed")
        user_locked_out.connect(_locked_out, dispatch_uid="qlcb_security_locked_out")
        post_save.connect(
            _end_sessions_of_disabled_user, sender=get_user_model(), dispatch_uid="qlcb_security_disabled_user"
        )
        user_cache.connect_signals()
        checks.register(check_authentication_settings, checks.Tags.security, deploy=True)
