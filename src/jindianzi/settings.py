"""One settings module, read from the environment.

Every variable is prefixed ``JINDIANZI_`` except the standard ``DATABASE_URL``.
See ``.env.example`` at the top of the repository for the full list.
"""

from pathlib import Path
import secrets

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
environ.Env.read_env(Path.cwd() / ".env")

DATA_DIR = Path(env.str("JINDIANZI_DATA_DIR", default="var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use the configured key, or one generated once into the data directory."""
    configured = env.str("JINDIANZI_SECRET_KEY", default="")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("JINDIANZI_DEBUG", default=False)
ALLOWED_HOSTS = env.list("JINDIANZI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("JINDIANZI_CSRF_TRUSTED_ORIGINS", default=[])

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
    "rules.apps.AutodiscoverRulesConfig",
    "jindianzi.core",
    "jindianzi.areas",
    "jindianzi.accounts",
    "jindianzi.organizations",
    "jindianzi.notifications",
    "jindianzi.editions",
    "jindianzi.ideas",
    "jindianzi.projects",
    "jindianzi.reviews",
    "jindianzi.agreements",
    "jindianzi.funds",
    "jindianzi.reports",
    "jindianzi.portal",
    "jindianzi.api",
    "jindianzi.demo",
    "jindianzi.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jindianzi.urls"
WSGI_APPLICATION = "jindianzi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jindianzi.portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'jindianzi.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# Sign-in failure counts live here: per process by default, Redis in production
# (JINDIANZI_CACHE_URL=redis://127.0.0.1:6379/1) so every worker sees the same counts.
CACHES = {"default": env.cache_url("JINDIANZI_CACHE_URL", default="locmemcache://")}

# Background work (the similar-ideas index ...) goes through the Django tasks interface (django-tasks).
# By default a task runs at once, in the process that queues it; production can name a queue-backed
# backend (a database or Redis one) and run its worker.
TASKS = {"default": {"BACKEND": env.str("JINDIANZI_TASKS_BACKEND",
                                        default="django_tasks.backends.immediate.ImmediateBackend")}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "jindianzi.accounts.backends.PhoneOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# zh-Hans is the default language; English is complete beside it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("JINDIANZI_TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders; an empty root keeps it quiet
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("JINDIANZI_MEDIA_DIR", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env.str("JINDIANZI_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The address people reach the site at, for links in e-mails.
JINDIANZI_SITE_URL = env.str("JINDIANZI_SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("JINDIANZI_FROM_EMAIL", default="noreply@jindianzi.local")

# Where verification codes go: console by default, an SMS gateway in production.
JINDIANZI_VERIFICATION_SENDER = env.str(
    "JINDIANZI_VERIFICATION_SENDER", default="jindianzi.accounts.verification.ConsoleSender"
)
# Field-level encryption of phone and ID numbers. Defaults to a key derived
# from SECRET_KEY; production sets its own and keeps it outside the database.
JINDIANZI_FIELD_KEY = env.str("JINDIANZI_FIELD_KEY", default="")

# Idea photos: what a phone camera produces, within a size a village network can upload.
JINDIANZI_PHOTO_MAX_BYTES = env.int("JINDIANZI_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
JINDIANZI_PHOTOS_PER_IDEA = 6
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("JINDIANZI_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("JINDIANZI_LOG_LEVEL", default="WARNING")},
}
