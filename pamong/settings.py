"""Pamong settings: one module, driven by environment variables (documented in .env.example)."""

from __future__ import annotations

import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# development | demo | test | production
PAMONG_ENV = env("PAMONG_ENV", "test" if "pytest" in sys.modules else "development")
PRODUCTION = PAMONG_ENV == "production"
# The demo password and demo TOTP helpers exist only outside production.
DEMO_MODE = PAMONG_ENV in {"development", "demo", "test"}

VAR_DIR = Path(env("PAMONG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY wajib diisi saat PAMONG_ENV=production.")
    # Outside production a random key is made once and kept in var/, never in the repository.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", PAMONG_ENV == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS wajib diisi saat PAMONG_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "ninja",
    "pamong.core",
    "pamong.organisation",
    "pamong.neutrality",
    "pamong.cases",
    "pamong.staffing",
]

MIDDLEWARE = [
    # First: on the reporting paths the caller's address and browser are gone before anyone looks.
    "pamong.cases.middleware.ReporterPrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pamong.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pamong.organisation.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that a locked-out login is answered with our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pamong.urls"
WSGI_APPLICATION = "pamong.wsgi.application"
ASGI_APPLICATION = "pamong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pamong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pamong.core.context_processors.pamong",
                "pamong.cases.context_processors.cases",
                "pamong.staffing.context_processors.staffing",
            ],
            "builtins": ["pamong.core.templatetags.pamong"],
        },
    }
]

# --- Database: SQLite in var/ unless DATABASE_URL says otherwise -------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME", "test_pamong")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "pamong.sqlite3")),
            "OPTIONS": {
                # Writers take the lock at BEGIN, so concurrent writers queue instead of failing
                # half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pamong",
    }
}

# --- Accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "organisation:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "pamong.core.hashers.PamongArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
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
# Lock the account, not the address: at the assembly hundreds of staff share one office NAT.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # deliberate: see the comment above
AXES_USERNAME_CALLABLE = "pamong.organisation.views.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "pamong.organisation.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Pamong Kota Kupang")
# Roles that must pass a TOTP second factor (issue 2); configuration, not code.
PAMONG_TWO_FACTOR_ROLES = env_list("PAMONG_TWO_FACTOR_ROLES", "wali_kota,sekda,inspektorat,bkpsdm,bkad")
PAMONG_API_TOKEN_TTL = timedelta(hours=int(env("PAMONG_API_TOKEN_TTL_HOURS", "12")))

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation: Indonesian first, Kupang time ----------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["pamong.formats"]

# --- Static files: served by WhiteNoise from what setup installed (no CDN) ----------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PAMONG_ENV in {"production", "demo"}
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = PAMONG_ENV not in {"production", "demo"}
MEDIA_ROOT = VAR_DIR / "media"

# --- Security ----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        # Preload is a one-way commitment for the whole domain; leave it to the operator.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "pamong@localhost")

# --- Pamong -----------------------------------------------------------------------------------
PAMONG_DATA_DIR = Path(env("PAMONG_DATA_DIR", str(BASE_DIR.parent / "shared" / "data" / "kupang")))
# The demo runs on a business date (e.g. 2024-10-17) for "today" in the modules; security
# (sessions, one-time codes, tokens, audit times) always follows the real clock.
PAMONG_BUSINESS_DATE = env("PAMONG_BUSINESS_DATE")
# The transparency ledger: the origin line of its checkpoints, and the Ed25519 signing key, which
# lives outside the database (generated on first use, mode 0600). Back it up; losing it means
# future checkpoints are signed by a new key (old ones stay verifiable with the published one).
PAMONG_LEDGER_ORIGIN = env("PAMONG_LEDGER_ORIGIN", "pamong.kupang.go.id/ledger")
PAMONG_LEDGER_KEY_FILE = Path(env("PAMONG_LEDGER_KEY_FILE", str(VAR_DIR / "keys" / "ledger-ed25519.pem")))
# Earlier published Pemda keys (verifier keys, comma-separated) whose checkpoints still count.
PAMONG_LEDGER_TRUSTED_KEYS = env_list("PAMONG_LEDGER_TRUSTED_KEYS")
# The address people reach Pamong at, for links in e-mail (pages use relative links).
PAMONG_BASE_URL = env("PAMONG_BASE_URL", "http://127.0.0.1:8000")
PAMONG_DEMO_PASSWORD = "kupang-demo-2024" if DEMO_MODE else ""
PAMONG_API_RATE_ANON = env("PAMONG_API_RATE_ANON", "60/min")
PAMONG_API_RATE_AUTH_TOKEN = env("PAMONG_API_RATE_AUTH_TOKEN", "10/min")
# Joint leave days (cuti bersama) that count as holidays for working-day deadlines.
PAMONG_EXTRA_HOLIDAYS = env_list("PAMONG_EXTRA_HOLIDAYS")

# --- Confidential reports (pamong.cases) --------------------------------------------------------
# Encrypted evidence files live here, under random names; they are useless without the report keys.
PAMONG_CASE_FILES = Path(env("PAMONG_CASE_FILES", str(VAR_DIR / "cases")))
# Days after closure before a report's key is destroyed (only statistics and ledger hashes remain).
PAMONG_CASE_RETENTION_DAYS = int(env("PAMONG_CASE_RETENTION_DAYS", "730"))
# Working days allowed per stage: acknowledge, verify (the national task force's 7 days), examine,
# recommend, and the PPK's decision.
PAMONG_CASE_DEADLINES = {
    "diterima": int(env("PAMONG_CASE_DAYS_RECEIVED", "2")),
    "verifikasi": int(env("PAMONG_CASE_DAYS_VERIFICATION", "7")),
    "pemeriksaan": int(env("PAMONG_CASE_DAYS_EXAMINATION", "14")),
    "rekomendasi": int(env("PAMONG_CASE_DAYS_DECISION", "14")),
    "diputus": int(env("PAMONG_CASE_DAYS_CLOSING", "7")),
}
# Reminders go out this many working days before a stage's deadline.
PAMONG_CASE_REMIND_DAYS = int(env("PAMONG_CASE_REMIND_DAYS", "2"))
# Reports accepted per minute from everyone together (no per-address limits: addresses are never kept).
PAMONG_REPORT_RATE = env("PAMONG_REPORT_RATE", "30/m")
# Receipt checks per minute from everyone together, on top of the per-receipt lockout.
PAMONG_RECEIPT_RATE = env("PAMONG_RECEIPT_RATE", "120/m")

# --- Staffing (pamong.staffing) -----------------------------------------------------------------
# Acting officials (SE Kepala BKN 1/SE/I/2021): longest Plt/Plh term and its one extension, in months.
PAMONG_PLT_MAX_MONTHS = int(env("PAMONG_PLT_MAX_MONTHS", "3"))
PAMONG_PLT_EXTENSION_MONTHS = int(env("PAMONG_PLT_EXTENSION_MONTHS", "3"))
# Requirements of Administrator and Pengawas posts beyond the defaults in staffing/eligibility.py, as
# JSON: {"administrator": {"min_rank": "IV/a", "prior_years": 3}, ...}. JPT Pratama follows the law.
try:
    PAMONG_STAFFING_REQUIREMENTS = json.loads(env("PAMONG_STAFFING_REQUIREMENTS", "{}") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"PAMONG_STAFFING_REQUIREMENTS bukan JSON yang sah: {exc}") from None
# The street address under the letterhead of letters to Kemendagri (empty: the Pemda's name only).
PAMONG_LETTERHEAD_ADDRESS = env("PAMONG_LETTERHEAD_ADDRESS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry client addresses; Pamong never logs them (see docs in README).
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
