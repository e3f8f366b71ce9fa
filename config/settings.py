"""Settings for the personnel-records engine: one module, every value from the environment.

The demo runs on embedded defaults (SQLite, a file-system Celery broker, file email);
production sets DATABASE_URL, CELERY_BROKER_URL and EMAIL_URL. Bad values fail at start-up.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def _env_int(name, default, minimum=0):
    try:
        value = env.int(name, default=default)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {env.str(name)!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def _env_crontab(name, default):
    """Parse a five-field cron expression ('m h dom mon dow') into a Celery schedule."""
    raw = env.str(name, default=default)
    fields = raw.split()
    if len(fields) != 5:
        raise ImproperlyConfigured(f"{name} must be a cron expression with 5 fields, got {raw!r}")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    try:
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid cron expression ({raw!r}): {exc}") from exc


DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "treebeard",
    "simple_history",
    "viewflow",
    "viewflow.workflow",
    "accounts.apps.AxesConfig",  # axes, under a Vietnamese name
    "django_otp",
    "accounts.apps.TOTPConfig",  # django_otp.plugins.otp_totp, under a Vietnamese name
    "csp",
    "config.security.SecurityConfig",
    "accounts",
    "tracking",
    "workdays",
    "units",
    "records",
    "inspections",
    "duedates",
    "workflows",
    "campaigns",
    "notifications",
    "reports",
    "oversight",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before sessions, CSRF and every view: a control character in the path, a query or a
    # cookie (NUL anywhere) is a Vietnamese 400, never a database error.
    "config.middleware.InputSafetyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The account's or the switch's language, else Vietnamese; never Accept-Language.
    "config.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.security.DeniedAccessLogMiddleware",
    "config.security.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.security.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After authentication: no-store on every response to a signed-in user; Permissions-Policy.
    "config.middleware.SecurityHeadersMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Django's form renderer, the plain <input> widgets written without templates (config/form_renderer.py).
FORM_RENDERER = "config.form_renderer.FormRenderer"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Default: an SQLite file under var/ with WAL journaling and IMMEDIATE transactions, so
# the web server, the worker and beat can share it on one machine without "database is
# locked" surprises. Production: DATABASE_URL=postgres://...
try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
except (ValueError, KeyError) as exc:  # unknown scheme or malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with the hash chain's triggers kept through schema changes (tracking.ledger).
    DATABASES["default"]["ENGINE"] = "tracking.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = _env_int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth (OWASP ASVS level 2) --------------------------------------------------------
# Accounts are created by administrators only (no sign-up page); the demo loader is the
# only other source of accounts and runs only with DEMO_MODE or DEBUG.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's MinimumLengthValidator with a Vietnamese message (see config/security.py).
    {"NAME": "config.security.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# AxesStandaloneBackend only refuses locked-out logins (it has no get_user, so force_login
# and session loading use the next one). It needs the request: authenticate(request, ...).
# CachedUserBackend is ModelBackend with the user, grants and delegations kept in the cache
# between requests (config/user_cache.py; CACHE_IS_COHERENT below says when).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "config.user_cache.CachedUserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Lockout by username + client IP after repeated failures, lifted after a cool-off
# (or at once by an administrator: admin → Access attempts, or `manage.py axes_reset_username`).
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"  # templates/accounts/lockout.html, HTTP 429
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_COOLOFF_MESSAGE = _("Tài khoản tạm thời bị khoá do đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.")

# Two-factor authentication (TOTP) for approvers, inspectors, unit administrators and
# staff: after the password they verify a code, or enrol an authenticator app first.
# OTP_REQUIRED=0 switches the requirement off (the test overlay does; `check --deploy`
# warns). Demo accounts are exempt only in DEMO_MODE.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_REQUIRED_ROLES = ["approver", "inspector", "unit_admin"]
OTP_EXEMPT_DEMO_ACCOUNTS = DEMO_MODE
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="QLCB")

# Sessions: 30 minutes idle (the expiry moves on with every request), 12 hours at most
# after login (config.security.SessionLifetimeMiddleware); a new session key at login.
SESSION_COOKIE_AGE = _env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# The idle expiry moves on while the user is active, by a session write at most this often
# (config.security.SessionLifetimeMiddleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = _env_int("SESSION_RENEW_SECONDS", 60, minimum=1)
SESSION_ABSOLUTE_AGE = _env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600


# --- Cache and session store ----------------------------------------------------------
# CACHE_URL (or REDIS_URL): redis://host:6379/1 (rediss:// too) for production, shared by every
# worker; locmem:// (the default) keeps it in the process, right for the demo's single
# runserver and for tests. Sessions are read from the cache and written to the database too
# (`cached_db`), so a page costs no session query and config.security can still find and end
# a disabled user's sessions. A process-local cache would let one worker keep serving a
# session another has ended: with locmem and several web workers (WEB_CONCURRENCY, which
# config/gunicorn.conf.py sets), sessions stay plain database sessions.
# CACHE_KEY_PREFIX: two deployments (or a benchmark beside them) sharing one Redis database
# must not read each other's cached users and grants.
_CACHE_PREFIX = env.str("CACHE_KEY_PREFIX", default="qlcb")


def _cache_from_url(url: str) -> dict:
    scheme = url.split("://", 1)[0]
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "config.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": _CACHE_PREFIX}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url.split("://", 1)[1]}
    raise ImproperlyConfigured(f"CACHE_URL must be redis://, rediss:// or locmem://, got {url!r}")


CACHES = {"default": _cache_from_url(env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="locmem://"))}
CACHE_IS_SHARED = CACHES["default"]["BACKEND"].endswith("RedisCache")
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if CACHE_IS_SHARED or _env_int("WEB_CONCURRENCY", 1, minimum=1) == 1
    else "django.contrib.sessions.backends.db",
)
# State kept in the cache between requests (tracking.generations: the user and their grants,
# config.user_cache; the salary table): only where every worker sees the same cache, for the
# same reason as sessions (a change must reach them all).
CACHE_IS_COHERENT = env.bool(
    "CACHE_IS_COHERENT", default=CACHE_IS_SHARED or _env_int("WEB_CONCURRENCY", 1, minimum=1) == 1
)

# --- Internationalisation: Vietnamese first, English second ---------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {sorted(dict(LANGUAGES))}, got {LANGUAGE_CODE!r}")
# locale/ holds our own strings (makemessages writes there); locale/viewflow/ holds our
# Vietnamese for third-party English msgids (viewflow ships no Vietnamese; Django's admin, auth,
# axes, simple_history, django_otp gaps; Django's Vietnamese respelled xoá/huỷ). Kept apart so
# makemessages never marks those entries obsolete; listed second, it still precedes Django's own.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "viewflow"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
# dd/mm/yyyy and the decimal comma (config/formats/vi/formats.py), also for dates typed in forms.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# --- Uploads: xlsx imports (workflows.imports.limits) -------------------------------------
# Checked before any cell is parsed. The defaults admit the 100,000-employee bench file
# (29 MB, 312 MB unzipped, expansion 11x, 600,000 rows); a deployment may lower them.
IMPORT_MAX_UPLOAD_MB = _env_int("IMPORT_MAX_UPLOAD_MB", 40, minimum=1)
IMPORT_MAX_EXPANDED_MB = _env_int("IMPORT_MAX_EXPANDED_MB", 400, minimum=1)
IMPORT_MAX_COMPRESSION_RATIO = _env_int("IMPORT_MAX_COMPRESSION_RATIO", 30, minimum=2)
IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 700_000, minimum=1)
# An oversized upload is read and dropped past the limit, never written whole to disk.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "workflows.imports.limits.BoundedUploadHandler",
]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the project's own CSS and JS (no inline code: see CSP below)
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "/media/"
# Uploaded import files and finished exports. Never served publicly: the import and export
# pages read them with permission checks.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# --- Background exports (records.export_jobs) ---------------------------------------------
# A finished export file is kept this many days (in MEDIA_ROOT/exports/, never served
# directly), then deleted by the daily sweep. A job that has not moved for
# EXPORT_STALE_MINUTES (its worker died) is marked failed by the sweep every ten minutes.
EXPORT_KEEP_DAYS = _env_int("EXPORT_KEEP_DAYS", 7, minimum=1)
EXPORT_STALE_MINUTES = _env_int("EXPORT_STALE_MINUTES", 30, minimum=5)

# --- Email ----------------------------------------------------------------------------
# Default: each message is written to a file under var/mail/. Production:
# EMAIL_URL=smtp://user:password@host:587 (or smtp+tls://, smtp+ssl://).
try:
    vars().update(env.email_url("EMAIL_URL", default="filemail://"))
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from exc
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":  # noqa: F821
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="qlcb-noreply@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Celery ---------------------------------------------------------------------------
# Default: kombu's file-system transport, which needs no server (one machine only).
# Production: CELERY_BROKER_URL=redis://host:6379/0
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if not CELERY_BROKER_URL.startswith(("filesystem://", "redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL must be filesystem://, redis:// or rediss://, got {CELERY_BROKER_URL!r}"
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu's default control folder is ./control, in the working tree
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Delivery survives a dead worker (notifications.delivery, README "Reminders"): a task is
# acknowledged only once it finished, and put back when its worker process is lost; Redis hands
# an unacknowledged task to another worker only after the visibility timeout, which must
# outlast the longest task (a large import or export), else a running task is started twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _env_int("CELERY_VISIBILITY_TIMEOUT", 4 * 3600, minimum=600)
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# How long an approval may wait before its approver is reminded, and when the sweep runs.
REMINDER_AFTER_DAYS = _env_int("REMINDER_AFTER_DAYS", 2, minimum=1)
# The digest sweep runs hourly (a sweep that died is resumed by the next); digests are made
# from DIGEST_HOUR (local time) on, one per person per day, in chunks of DIGEST_CHUNK people.
REMINDER_SWEEP_SCHEDULE = _env_crontab("REMINDER_SWEEP_CRON", "5 * * * *")
DIGEST_HOUR = _env_int("DIGEST_HOUR", 7, minimum=0)
DIGEST_CHUNK = _env_int("DIGEST_CHUNK", 50, minimum=1)
# A digest not sent is tried again this many days after its day; a claimed email whose sender
# gave no sign for EMAIL_CLAIM_SECONDS (longer than the SMTP timeout) is taken over.
DIGEST_RETRY_DAYS = _env_int("DIGEST_RETRY_DAYS", 2, minimum=0)
EMAIL_CLAIM_SECONDS = _env_int("EMAIL_CLAIM_SECONDS", 600, minimum=60)
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 60, minimum=1)
# A send the mail server refused or could not take is retried after a delay drawn up to
# EMAIL_RETRY_BACKOFF * 2**retry seconds (at most EMAIL_RETRY_BACKOFF_MAX), 8 times; after
# that the hourly sweep queues it again.
EMAIL_RETRY_BACKOFF = _env_int("EMAIL_RETRY_BACKOFF", 60, minimum=1)
EMAIL_RETRY_BACKOFF_MAX = _env_int("EMAIL_RETRY_BACKOFF_MAX", 1800, minimum=1)
# When the escalation ladders are walked (workflows.escalation), before the digests.
ESCALATION_SWEEP_SCHEDULE = _env_crontab("ESCALATION_SWEEP_CRON", "30 6 * * *")
# One account reading more personnel records than this in an hour (distinct files viewed plus
# rows exported) raises an alert to its unit administrators (records.audit).
READ_ALERT_PER_HOUR = _env_int("READ_ALERT_PER_HOUR", 200, minimum=1)

# The inspectors' anomaly signals (oversight.anomalies): an export of at least ANOMALY_EXPORT_ROWS
# records; a change submitted, decided or applied before WORK_HOURS_START or from WORK_HOURS_END
# on (local hours, 0-24) or on a day off of the working-day calendar; an approval given within
# ANOMALY_QUICK_APPROVAL_MINUTES of the submission in one of ANOMALY_SENSITIVE_CATEGORIES (the
# approval policy's categories, checked at start-up: oversight.checks); a grant revoked within
# ANOMALY_SHORT_GRANT_HOURS of being given.
ANOMALY_EXPORT_ROWS = _env_int("ANOMALY_EXPORT_ROWS", 500, minimum=1)
WORK_HOURS_START = _env_int("WORK_HOURS_START", 7, minimum=0)
WORK_HOURS_END = _env_int("WORK_HOURS_END", 18, minimum=1)
if WORK_HOURS_END > 24 or WORK_HOURS_END <= WORK_HOURS_START:
    raise ImproperlyConfigured(
        f"WORK_HOURS_END must be after WORK_HOURS_START and at most 24, got {WORK_HOURS_START}-{WORK_HOURS_END}"
    )
ANOMALY_QUICK_APPROVAL_MINUTES = _env_int("ANOMALY_QUICK_APPROVAL_MINUTES", 10, minimum=1)
ANOMALY_SENSITIVE_CATEGORIES = env.list(
    "ANOMALY_SENSITIVE_CATEGORIES", default=["salary", "position", "reward_discipline", "hire", "transfer"]
)
ANOMALY_SHORT_GRANT_HOURS = _env_int("ANOMALY_SHORT_GRANT_HOURS", 24, minimum=1)

# Work due items give the officers (workflows.due_work): drafts and retirement deadlines appear
# this many days before their date; a reminder goes out DUE_REMIND_DAYS before it. The sweep
# runs after the nightly refresh (which also queues it) and before the digests.
DUE_WORK_LEAD_DAYS = _env_int("DUE_WORK_LEAD_DAYS", 60, minimum=0)
DUE_REMIND_DAYS = _env_int("DUE_REMIND_DAYS", 7, minimum=0)
# An inspection follow-up late by this many working days is taken to the responsible unit's
# leader (notifications.follow_ups); before that its officers are reminded.
FOLLOW_UP_ESCALATE_WORKING_DAYS = _env_int("FOLLOW_UP_ESCALATE_WORKING_DAYS", 5, minimum=1)
DUE_WORK_SWEEP_SCHEDULE = _env_crontab("DUE_WORK_SWEEP_CRON", "45 6 * * *")
# The nightly verification of the hash chains (notifications.history_check).
HISTORY_CHECK_SCHEDULE = _env_crontab("HISTORY_CHECK_CRON", "0 3 * * *")

CELERY_BEAT_SCHEDULE = {
    # Due items (retirements, salary steps, beyond-last-step) of the people whose inputs changed.
    "refresh-due-dates": {
        "task": "duedates.tasks.refresh_due_dates",
        "schedule": crontab(minute=15, hour=1),
    },
    # Drafts and deadline tasks of the due items, and their notifications: idempotent.
    "sweep-due-work": {
        "task": "notifications.tasks.sweep_due_work",
        "schedule": DUE_WORK_SWEEP_SCHEDULE,
    },
    "fire-workflow-timers": {
        "task": "notifications.tasks.fire_workflow_timers",
        "schedule": 60.0,
    },
    # Reminder and escalation ladders of the approval policy (workflows.escalation): idempotent.
    "escalate-overdue-approvals": {
        "task": "workflows.tasks.escalate_overdue_approvals",
        "schedule": ESCALATION_SWEEP_SCHEDULE,
    },
    # Review campaigns past their deadline: each late unit's leader told once (campaigns.services).
    "escalate-late-campaigns": {
        "task": "campaigns.tasks.escalate_late_campaigns",
        "schedule": crontab(minute=40, hour=6),
    },
    "sweep-digests": {
        "task": "notifications.tasks.sweep_digests",
        "schedule": REMINDER_SWEEP_SCHEDULE,
    },
    # Files of imports refused, rejected or withdrawn while nobody opened them.
    "purge-refused-import-files": {
        "task": "workflows.tasks.purge_refused_import_files",
        "schedule": crontab(minute=30, hour=2),
    },
    # Imports left "checking" or "importing" by a worker that died (workflows.imports.liveness).
    "recover-interrupted-imports": {
        "task": "workflows.tasks.recover_interrupted_imports",
        "schedule": 600.0,
    },
    # Export files past EXPORT_KEEP_DAYS, at the hour of the import-file sweep.
    "purge-old-export-files": {
        "task": "records.tasks.purge_old_export_files",
        "schedule": crontab(minute=45, hour=2),
    },
    # Export jobs whose worker died while writing (EXPORT_STALE_MINUTES).
    "fail-stale-export-jobs": {
        "task": "records.tasks.fail_stale_export_jobs",
        "schedule": 600.0,
    },
    # The hash chains of the history and logs verified; result and heads emailed (tracking.ledger).
    "check-history-chains": {
        "task": "notifications.tasks.check_history_chains",
        "schedule": HISTORY_CHECK_SCHEDULE,
    },
    # Read alerts whose email did not go out when they were raised (broker or mail down).
    "send-pending-read-alerts": {
        "task": "notifications.tasks.send_pending_read_alerts",
        "schedule": 600.0,
    },
}

# --- Security (production values come from the environment) ---------------------------
# With DEBUG off the site is HTTPS-only: secure cookies, redirect to https, HSTS for a year.
# Behind a TLS-terminating proxy set BEHIND_TLS_PROXY=1 (it must set X-Forwarded-Proto),
# or SECURE_SSL_REDIRECT loops. `make check-deploy` runs `manage.py check --deploy`.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# How many proxies of ours append to X-Forwarded-For: the client IP (lockout, security log)
# is the address the outermost one saw. 0: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts and stylesheets from this site only, no
# inline script, no <style> element but one: Turbo's progress-bar stylesheet (a constant in the
# turbo.es2017-umd.js viewflow ships), allowed by its hash; static/qlcb/qlcb.css styles the bar
# too, should a Turbo upgrade change the hash. Style attributes are allowed (style-src-attr):
# viewflow's page frame and its Material components set them, and an attribute can neither run
# code nor load from elsewhere (img-src, font-src are 'self'). data: images: the two-factor QR.
TURBO_PROGRESS_BAR_CSS_HASH = "'sha256-WAyOw4V+FqDc35lQPyRADLBWbuNK8ahvYEaQIYF1+Ps='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, TURBO_PROGRESS_BAR_CSS_HASH],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page uses, refused to the site and anything it could embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Logins, failed logins, lockouts, two-factor checks, expired sessions and 403s
    # (username, path, IP); propagates to the console handler of the root logger.
    "loggers": {"qlcb.security": {"level": "INFO"}},
}

# History rows keep the request's whole reason (a decision's basis is often longer than 100
# characters, simple-history's default limit).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
