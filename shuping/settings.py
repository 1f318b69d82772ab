"""Settings from environment variables, with defaults that work on a laptop.

SHUPING_DATA_DIR   folder for the SQLite file, uploads and the generated secret key (default ./data)
DATABASE_URL       e.g. postgres://user@host:5432/shuping (default: SQLite in the data folder)
SHUPING_DEBUG      1 to show Django's debug pages
SHUPING_SECRET_KEY or SHUPING_SECRET_KEY_FILE
SHUPING_ALLOWED_HOSTS comma separated (default: localhost, 127.0.0.1)
SHUPING_DB_CONN_MAX_AGE, SHUPING_DB_PREPARE_THRESHOLD, SHUPING_DB_RANDOM_PAGE_COST  PostgreSQL connection reuse, prepared statements, planner cost (default 1.1)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("SHUPING_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret(name: str, default_file: Path) -> str:
    """A secret from $NAME, else from the file named by $NAME_FILE (generated on first use)."""
    if os.environ.get(name):
        return os.environ[name]
    key_file = Path(os.environ.get(f"{name}_FILE", default_file))
    if key_file.exists():
        return key_file.read_text().strip()
    # A laptop install gets its own keys, kept so sessions and signatures survive restarts.
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret("SHUPING_SECRET_KEY", DATA_DIR / "secret_key")
# Signs the audit chain's head (see shuping.audit.services): kept outside the database, so
# deleting the newest entries and moving the head back is noticed without this key.
SHUPING_AUDIT_KEY = _secret("SHUPING_AUDIT_KEY", DATA_DIR / "audit_key")
# Signs backups; supplied by the operator (never generated, never stored with the backups).
SHUPING_BACKUP_KEY = os.environ.get("SHUPING_BACKUP_KEY") or (
    Path(os.environ["SHUPING_BACKUP_KEY_FILE"]).read_text().strip() if os.environ.get("SHUPING_BACKUP_KEY_FILE") else ""
)
DEBUG = env_bool("SHUPING_DEBUG")
DEMO_MODE = env_bool("SHUPING_DEMO")
ALLOWED_HOSTS = env_list("SHUPING_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SHUPING_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "shuping.core",
    "shuping.audit",
    "shuping.orgs",
    "shuping.accounts",
    "shuping.campaigns",
    "shuping.meetings",
    "shuping.reports",
    "shuping.rectification",
    "shuping.routine",
    "shuping.stars",
    "shuping.registers",
    "shuping.dashboards",
    "django_tasks",
    "django_tasks_db",
    "shuping.jobs",
    "shuping.levels",
    "shuping.uses",
    "shuping.team",
    "shuping.units",
    "shuping.workbench",
    "shuping.notifications",
    "shuping.intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # these four are Django's, stepping aside on the phone's ballot pages /m/ (shuping.core.middleware)
    "shuping.core.middleware.SessionMiddleware",
    "shuping.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "shuping.core.middleware.AuthenticationMiddleware",
    "shuping.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shuping.accounts.middleware.ScopeMiddleware",
    "shuping.accounts.middleware.AccountPolicyMiddleware",
    "shuping.core.middleware.SecurityHeadersMiddleware",
    # After a signed-in user's POST, every stored 工作台 badge count is re-gathered on its next page.
    "shuping.workbench.badge.GenerationMiddleware",
]

ROOT_URLCONF = "shuping.urls"
WSGI_APPLICATION = "shuping.wsgi.application"

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
                "shuping.accounts.context_processors.scope",
                "shuping.core.navigation.nav_items",
                "shuping.core.context_processors.version",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'shuping.sqlite3'}"),
        conn_max_age=env_int("SHUPING_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the live board read while ballots are written; the busy timeout
    # makes concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Django turns psycopg's prepared statements off for the sake of transaction-mode poolers.
    # Only the ballot path's server-bound statements can be prepared (shuping.meetings.voting);
    # SHUPING_DB_PREPARE_THRESHOLD=0 turns them off again behind such a pooler (PgBouncer).
    threshold = env_int("SHUPING_DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = threshold or None
    # PostgreSQL's default random_page_cost (4) is for spinning disks. With the ballot table in
    # memory it made the planner read every ballot instead of probing a card's 15 slots, all
    # through a meeting's first minutes, before autovacuum gathers statistics (issue 18).
    # SHUPING_DB_RANDOM_PAGE_COST= (empty) leaves the server's own setting.
    random_page_cost = os.environ.get("SHUPING_DB_RANDOM_PAGE_COST", "1.1")
    if random_page_cost:
        DATABASES["default"]["OPTIONS"]["options"] = f"-c random_page_cost={float(random_page_cost)}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("SHUPING_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shuping.accounts.security.ComplexityValidator", "OPTIONS": {"classes": env_int("SHUPING_PASSWORD_CLASSES", 3)}},
]
# Account rules (等级保护三级): expiry, lock-out, idle timeout, second factor for admins.
SHUPING_PASSWORD_MAX_AGE_DAYS = env_int("SHUPING_PASSWORD_MAX_AGE_DAYS", 90)
SHUPING_LOCKOUT_ACCOUNT_FAILURES = env_int("SHUPING_LOCKOUT_ACCOUNT_FAILURES", 5)
SHUPING_LOCKOUT_ADDRESS_FAILURES = env_int("SHUPING_LOCKOUT_ADDRESS_FAILURES", 20)
SHUPING_LOCKOUT_MINUTES = env_int("SHUPING_LOCKOUT_MINUTES", 15)
SHUPING_IDLE_TIMEOUT_MINUTES = env_int("SHUPING_IDLE_TIMEOUT_MINUTES", 30)
SHUPING_REQUIRE_TOTP_FOR_ADMINS = env_bool("SHUPING_REQUIRE_TOTP_FOR_ADMINS")
SHUPING_TRUST_X_FORWARDED_FOR = env_bool("SHUPING_TRUST_X_FORWARDED_FOR")
# Second-factor failures are counted apart from password failures (a correct password never resets them).
SHUPING_LOCKOUT_TOTP_FAILURES = env_int("SHUPING_LOCKOUT_TOTP_FAILURES", 5)
# How many reverse proxies in front of Shuping append to X-Forwarded-For; the client address is
# the entry the outermost one appended. SHUPING_TRUST_X_FORWARDED_FOR=1 alone means one proxy.
SHUPING_TRUSTED_PROXIES = env_int("SHUPING_TRUSTED_PROXIES", 1 if SHUPING_TRUST_X_FORWARDED_FOR else 0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SHUPING_STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("SHUPING_MEDIA_ROOT", DATA_DIR / "files"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SHUPING_IMPORT_MAX_BYTES = env_int("SHUPING_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
SHUPING_IMPORT_MAX_ROWS = env_int("SHUPING_IMPORT_MAX_ROWS", 50_000)
# Org workbooks at least this big are imported as a background job (smaller ones in the request).
SHUPING_IMPORT_BACKGROUND_BYTES = env_int("SHUPING_IMPORT_BACKGROUND_BYTES", 512 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SHUPING_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere: every script is a vendored or project static file.
SHUPING_CSP = os.environ.get(
    "SHUPING_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

# Production (behind nginx with TLS): SHUPING_PRODUCTION=1 turns on every transport setting
# that `shuping check --deploy` asks for.
PRODUCTION = env_bool("SHUPING_PRODUCTION")
if PRODUCTION:
    DEBUG = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SHUPING_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SHUPING_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SHUPING_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if SECURE_SSL_REDIRECT:
        # /healthz is probed over plain HTTP by the proxy or load balancer.
        SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Background jobs (exports, imports, the synthetic province) on django-tasks' database backend:
# the queue is a table in the same database, so a laptop needs no extra service and every node
# runs `shuping worker` against the shared PostgreSQL. See docs/deployment.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Files (uploads, job results) go through Django's storage API; SHUPING_STORAGE=s3 switches the
# shared directory for an S3-compatible object store (django-storages, see docs/deployment.md).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("SHUPING_STORAGE") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SHUPING_S3_BUCKET"],
            "endpoint_url": os.environ.get("SHUPING_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SHUPING_S3_REGION") or None,
            "access_key": os.environ.get("SHUPING_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("SHUPING_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHUPING_LOG_LEVEL", "WARNING")},
}
# No log line may carry a card's token (the QR path /m/k/<token>/): see docs/threat-model.md.
LOGGING["filters"] = {"card_secrets": {"()": "shuping.meetings.logging.RedactCardSecrets"}}
LOGGING["handlers"]["console"]["filters"] = ["card_secrets"]
LOGGING["loggers"] = {
    "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False, "filters": ["card_secrets"]},
    "django.request": {"filters": ["card_secrets"]},
}

# Notifications beyond the browser (see shuping/notifications/channels.py and docs/notifications.md).
SHUPING_NOTIFY_CHANNELS = env_list("SHUPING_NOTIFY_CHANNELS", ["log"])
SHUPING_SMS_URL = os.environ.get("SHUPING_SMS_URL", "")
SHUPING_SMS_TOKEN = os.environ.get("SHUPING_SMS_TOKEN", "")
SHUPING_WEBHOOK_URL = os.environ.get("SHUPING_WEBHOOK_URL", "")
SHUPING_NOTIFY_TIMEOUT = env_int("SHUPING_NOTIFY_TIMEOUT", 5)
SHUPING_NOTIFY_MAX_ATTEMPTS = env_int("SHUPING_NOTIFY_MAX_ATTEMPTS", 5)
SHUPING_SITE_URL = os.environ.get("SHUPING_SITE_URL", "")

# The public 群众提 page: per-address allowance and size limits.
SHUPING_INTAKE_PER_HOUR = env_int("SHUPING_INTAKE_PER_HOUR", 5)
SHUPING_INTAKE_PER_DAY = env_int("SHUPING_INTAKE_PER_DAY", 20)
SHUPING_INTAKE_MAX_CHARS = env_int("SHUPING_INTAKE_MAX_CHARS", 1000)
SHUPING_INTAKE_MAX_BYTES = env_int("SHUPING_INTAKE_MAX_BYTES", 16 * 1024)
