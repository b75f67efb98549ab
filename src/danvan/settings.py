"""The one settings module. Everything variable comes from the environment.

Fails closed: no secret key means no start, DEBUG is off unless asked for, and cookies are
secure unless the demo (plain HTTP on localhost) is running. See docs/operations.md.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import dj_database_url
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from danvan.settings_paths import PROJECT_DIR, var_dir

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEMO = env_bool("DANVAN_DEMO")
DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (see docs/operations.md); "
        "`danvan demo` generates one for the demo."
    )

# Keys that seal protected personal data, such as a denouncer's identity (ADR 0006). Field keys
# are Fernet keys (URL-safe base64 of 32 bytes): the first encrypts, all decrypt, so a rotation
# prepends a new key. The index key makes the blind indexes that find sealed values and is never
# rotated. Both are required, except in the demo, which derives them from SECRET_KEY when unset.
_FERNET_KEY = re.compile(r"[A-Za-z0-9_-]{43}=")


def _keys_from_env(name: str) -> list[str]:
    keys = env_list(name)
    if not keys and not DEMO:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it in the environment (see 'Field encryption keys' in "
            "docs/operations.md); `danvan demo` generates keys for the demo."
        )
    for position, key in enumerate(keys, start=1):
        if not _FERNET_KEY.fullmatch(key):
            raise ImproperlyConfigured(
                f"{name}: key {position} is not a valid key (URL-safe base64 of 32 bytes). "
                "See 'Field encryption keys' in docs/operations.md."
            )
    return keys


def _demo_key(purpose: str) -> str:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"danvan demo {purpose}".encode())
    return base64.urlsafe_b64encode(hkdf.derive(SECRET_KEY.encode())).decode()


DANVAN_FIELD_KEYS = _keys_from_env("DANVAN_FIELD_KEYS") or [_demo_key("field key")]
_index_keys = _keys_from_env("DANVAN_INDEX_KEY") or [_demo_key("index key")]
if len(_index_keys) != 1 or _index_keys[0] in DANVAN_FIELD_KEYS:
    raise ImproperlyConfigured(
        "DANVAN_INDEX_KEY must be a single key, different from every key in DANVAN_FIELD_KEYS. "
        "See 'Field encryption keys' in docs/operations.md."
    )
DANVAN_INDEX_KEY = _index_keys[0]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEMO or DEBUG) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "danvan.core",
    "danvan.units",
    "danvan.petitions",
    "danvan.reception",
    "danvan.outreach",
    "danvan.practices",
    "danvan.emulation",
    "danvan.reports",
    "danvan.imports",
    "danvan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "danvan.core.middleware.RequestContextMiddleware",
    "danvan.core.middleware.UserLanguageMiddleware",
    "axes.middleware.AxesMiddleware",
    "danvan.core.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "danvan.core.context_processors.shell",
            ],
        },
    }
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'danvan.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reports run short aggregates over many rows: PostgreSQL's JIT compilation costs more than
    # it saves there (measured by bench/reports_bench.py).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 30, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("DANVAN_FAST_HASHER"):
    # Test runs only: argon2 on every created user would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The same client address as the audit trail, so lockout works behind a proxy too.
AXES_CLIENT_IP_CALLABLE = "danvan.core.middleware.client_address"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor sign-in (ADR 0009): "required" makes every user who holds a role confirm an
# authenticator app before reaching any page; "optional" lets each user turn it on from the profile.
# Required unless the demo is running (the demo and the test suite sign in with a password only).
DANVAN_TWO_FACTOR = os.environ.get("DANVAN_TWO_FACTOR", "optional" if DEMO else "required").strip().lower()
if DANVAN_TWO_FACTOR not in ("required", "optional"):
    raise ImproperlyConfigured("DANVAN_TWO_FACTOR must be 'required' or 'optional'. See docs/operations.md.")
OTP_TOTP_ISSUER = "danvan"
# Wrong codes wait 1, 2, 4, 8 ... seconds before the next try (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "danvan_language"
LANGUAGE_COOKIE_SECURE = not (DEMO or DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Uploaded files (petition attachments); served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
NODE_MODULES = Path(os.environ.get("DANVAN_NODE_MODULES", PROJECT_DIR / "node_modules"))
# Third-party front-end code comes from its npm package at install time, never from a copy here.
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/be-vietnam-pro", NODE_MODULES / "@fontsource" / "be-vietnam-pro"),
    # TrueType files of the same typeface, for PDF exports (fpdf2 embeds TTF, not web fonts).
    ("vendor/be-vietnam-pro-ttf", NODE_MODULES / "@expo-google-fonts" / "be-vietnam-pro"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("DANVAN_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_SECURE = not (DEMO or DEBUG)
CSRF_COOKIE_SECURE = not (DEMO or DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEMO or DEBUG))
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if (DEMO or DEBUG) else "31536000"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
# Which proxy header carries the client address for the audit trail (empty: REMOTE_ADDR).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The date the pre-2025 unit data set is taken to start from: the data set does not date its
# units, so they are valid from this date until 30 June 2025 (ADR 0002).
DANVAN_LEGACY_UNITS_FROM = os.environ.get("DANVAN_LEGACY_UNITS_FROM", "2000-01-01")

# Petitions. Deadline rules are data (petitions/data/deadline_rules.json); an administrator may point
# this at a JSON file with the same shape to change an uncertain rule without a code change.
DANVAN_DEADLINE_RULES = os.environ.get("DANVAN_DEADLINE_RULES", "")
# The worklist marks petitions due within this many working days, and those overdue by more than
# this many days as very late.
DANVAN_DUE_SOON_WORKING_DAYS = int(os.environ.get("DANVAN_DUE_SOON_WORKING_DAYS", "3"))
DANVAN_VERY_LATE_DAYS = int(os.environ.get("DANVAN_VERY_LATE_DAYS", "30"))
# Citizen reception: a JSON file whose entries replace the packaged reception rules by key.
DANVAN_RECEPTION_RULES = os.environ.get("DANVAN_RECEPTION_RULES", "")
# Attachments: the largest file accepted, in megabytes.
DANVAN_ATTACHMENT_MAX_MB = int(os.environ.get("DANVAN_ATTACHMENT_MAX_MB", "10"))
DATA_UPLOAD_MAX_MEMORY_SIZE = (DANVAN_ATTACHMENT_MAX_MB + 1) * 1024 * 1024
# Spreadsheets uploaded for import through pages and the API (the command line reads any size).
DANVAN_IMPORT_MAX_MB = int(os.environ.get("DANVAN_IMPORT_MAX_MB", "50"))

# Background tasks (django-tasks): large report exports are made by a worker, `danvan db_worker`,
# from tasks kept in the database (django-tasks-db). DANVAN_TASKS=immediate runs each task in the
# request that queues it instead (no worker; for a single-process installation).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("DANVAN_TASKS", "database").strip().lower() == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# Report exports: up to this many figures (rows × columns of a form, figures × years of the review)
# the file is made at once; above, in the background; above the maximum the export is refused.
# Finished files are kept this many hours.
DANVAN_EXPORT_BACKGROUND_CELLS = int(os.environ.get("DANVAN_EXPORT_BACKGROUND_CELLS", "1500"))
DANVAN_EXPORT_MAX_CELLS = int(os.environ.get("DANVAN_EXPORT_MAX_CELLS", "100000"))
DANVAN_EXPORT_RETENTION_HOURS = float(os.environ.get("DANVAN_EXPORT_RETENTION_HOURS", "24"))
