"""One settings module, configured from the environment.

Defaults give a self-contained demo (SQLite file, tasks run in-process, console email);
production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, DEBUG=false and
ALLOWED_HOSTS. Hardening is switched on by DEBUG=false, not by a second settings file.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.management.utils import get_random_secret_key

from partners.oidc import providers as oidc_providers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Without SECRET_KEY each process makes up its own key, so the demo and the tests start
# with no setup; sessions then die with the process, and `check --deploy` fails
# (scorecard.E001) until a real key is set.
SECRET_KEY_FROM_ENV = bool(env("SECRET_KEY", default=""))
SECRET_KEY = env("SECRET_KEY", default="") or get_random_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # Django admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tables2",
    "django_filters",
    "axes",
    # Bottom layer first: the order is the import layers (see README "Layout").
    "core",
    "partnerships",
    "notifications",
    "partners",
    "indicators",
    "actions",
    "policeuk",
    "returns",
    "reporting",
    "meetings",
    "setup",
    "hosting",
    "demo",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
    "partnerships.resolution.PartnershipMiddleware",
]
# Answered without a partnership (no query of partnership-owned rows behind them).
PARTNERSHIP_FREE_PATHS = ("/static/", "/health")
# The partnership a fresh installation makes the first time it needs one (a single
# partnership never has to know partnerships exist), and the one `migrate` puts an
# existing database's figures into.
DEFAULT_PARTNERSHIP = {
    "name": env("PARTNERSHIP_NAME", default="Southampton Safe City Partnership"),
    "short_name": env("PARTNERSHIP_SHORT_NAME", default="Safe City Partnership"),
    "slug": env("PARTNERSHIP_SLUG", default="southampton"),
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partners.context_processors.role",
                "partnerships.context_processors.partnership",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers wait for each other instead of failing, and the test database is a file so
    # the concurrency tests' threads really share it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: refuses locked-out users
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in with the organisation's account: keeps a provider's session signed in
    "partners.oidc.backend.OrganisationBackend",
]
# Five failed sign-ins for the same username from the same address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address behind AXES_PROXY_COUNT reverse proxies (partners/client_address.py):
# the lockout is per username and client, not per proxy.
SCORECARD_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "partners.client_address.client_address"
AXES_SENSITIVE_PARAMETERS = ["password"]

# OpenID Connect providers (see partners/oidc/providers.py and the README)
SCORECARD_OIDC_PROVIDERS = oidc_providers.from_environment(env)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sessions expire after inactivity: the data is sensitive (domestic abuse, youth justice).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Django's built-in CSP: no inline script anywhere, everything from our own origin.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # plotly.js sets inline styles on its SVG
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Only a loopback load test over plain http turns these off.
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Email (Django 6.1 MAILERS): console by default; SMTP when EMAIL_HOST is set.
if env("EMAIL_HOST", default=""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env.int("EMAIL_PORT", default=587),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="scorecard@safecity.example")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The public scorecard is cached: per process by default, shared with CACHE_URL
# (e.g. redis://redis:6379/2) in production.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# The public scorecard: counts from 1 up to below this are shown as "fewer than N".
PUBLIC_SUPPRESS_BELOW = env.int("PUBLIC_SUPPRESS_BELOW", default=5)
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# Invitation and password reset links work once and expire after this many seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# Celery: without a broker every task runs in-process, so the demo needs no services.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = "scorecard"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A down broker must not hang a request: publishing gives up fast and the task is
# picked up by the next reminder sweep instead.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    "daily-reminder-sweep": {
        "task": "scorecard.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
}
CELERY_TIMEZONE = TIME_ZONE

# Password resets accepted per address and per client an hour (beyond: the same page, no email).
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=20)
SCORECARD_DEADLINE_WORKING_DAYS = env.int("SCORECARD_DEADLINE_WORKING_DAYS", default=20)
SCORECARD_REMINDER_DAYS_BEFORE = env.int("SCORECARD_REMINDER_DAYS_BEFORE", default=5)
SCORECARD_UPLOAD_MAX_BYTES = env.int("SCORECARD_UPLOAD_MAX_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SCORECARD_UPLOAD_MAX_BYTES + 1024 * 1024
# Uploads never touch disk: files are kept in memory up to the limit and dropped beyond
# it as they stream in (scorecard/uploads.py), instead of spooling to /tmp first.
# police.uk archives stream to a temporary file instead (set-up's police.uk upload).
SCORECARD_POLICE_UK_UPLOAD_MAX_BYTES = env.int(
    "SCORECARD_POLICE_UK_UPLOAD_MAX_BYTES", default=64 * 1024 * 1024
)
FILE_UPLOAD_HANDLERS = ["returns.uploads.LimitedMemoryUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = SCORECARD_UPLOAD_MAX_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},  # it warns about SVG styles it ignores
        "fontTools": {"level": "WARNING"},
    },
}
