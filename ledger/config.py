"""Settings read from environment variables (prefix ``XBORDER_``).

Everything a deployment changes lives here: the database URL, the keys, the
limits.  Domain parameters of settlement and financing have their own
configuration objects; this module holds only the plumbing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Process-wide configuration.

    ``XBORDER_DATABASE_URL``  SQLAlchemy async URL; default is an embedded SQLite
                              file ``./xborder.db``.
    ``XBORDER_DATA_DIR``      where generated development keys are kept.
    ``XBORDER_LEDGER_SIGNING_KEY``  base64 Ed25519 private key (32-byte seed)
                              that signs chain checkpoints; generated into the
                              data dir when absent (development only).
    ``XBORDER_SECRET_KEY``    base64 personal-data key (encryption, tokens);
                              generated into the data dir when absent.
    ``XBORDER_REGISTRY_KEY``  base64 registry key (HMAC blind indexes and
                              registry keys), independent of the secret key;
                              generated into the data dir when absent.
    """

    model_config = SettingsConfigDict(env_prefix="XBORDER_", extra="ignore")

    #: ``production`` refuses SQLite, generated development keys and a
    #: missing trusted-proxy setting (api/preflight.py)
    env: Literal["development", "production"] = "development"
    #: addresses of the reverse proxies whose X-Forwarded-* headers are
    #: trusted (comma-separated, or ``none``); required in production
    trusted_proxies: str | None = None
    database_url: str = "sqlite+aiosqlite:///./xborder.db"
    data_dir: Path = Path(".xborder")
    ledger_signing_key: str | None = None
    secret_key: str | None = None
    #: older secret keys (comma-separated base64) still accepted for decryption
    old_secret_keys: str = ""
    #: the deployment registry key (blind indexes, registry keys), independent of secret_key
    registry_key: str | None = None
    #: former registry keys (comma-separated base64), read by ``xborder keys rotate`` only
    old_registry_keys: str = ""
    #: Time zone of business days (default value dates, regulatory periods).
    business_timezone: str = "Asia/Shanghai"
    #: Largest batch the ledger accepts in one call.
    max_batch_size: int = Field(default=8000, ge=1)
    #: Serialization-failure retries inside the ledger before giving up.
    max_retries: int = Field(default=30, ge=1)
    #: Group commit: how long (seconds) the writer waits to gather single
    #: postings into one database transaction, and the most it gathers.
    group_commit_window: float = Field(default=0.002, ge=0)
    group_commit_max: int = Field(default=1000, ge=1)
    #: SQLite ``synchronous`` pragma (FULL is durable against power loss).
    sqlite_synchronous: str = "FULL"
    db_pool_size: int = Field(default=20, ge=1)
    # -- HTTP API ---------------------------------------------------------
    #: how long an Idempotency-Key and its stored response are kept
    idempotency_ttl_hours: int = Field(default=72, ge=1)
    #: largest request body accepted (bytes)
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    #: lifetime of a user's access token
    token_ttl_seconds: int = Field(default=900, ge=60)
    #: how long (seconds) a process keeps a resolved API key or access token
    #: (api/authcache.py); a revocation made in another process is effective
    #: at most this long after its commit; 0 disables the cache
    auth_cache_seconds: float = Field(default=5.0, ge=0, le=300)
    #: answer well-formed single postings without FastAPI's routing and
    #: dependency solving (api/hotpath.py); off: every request through FastAPI
    hot_path: bool = True
    #: the API's external URL (``https://xborder.bank.example``): webhooks to it are refused
    public_url: str | None = None
    #: the address the API listens on (``host:port``; ``xborder serve`` sets it
    #: for its workers): webhooks to it are refused
    serve_address: str | None = None
    #: private destinations webhooks may reach (comma-separated CIDRs and host
    #: names); everything not globally routable is refused otherwise
    webhook_allow_private: str = ""
    #: bearer token of ``GET /metrics``; unset: the API answers 404 there
    metrics_token: str | None = None
    # -- logins (api.logins) ----------------------------------------------
    #: consecutive failed logins of one user (known or not) before a lockout ...
    login_max_failures: int = Field(default=5, ge=1)
    #: ... and how long the lockout lasts (seconds)
    login_lockout_seconds: int = Field(default=900, ge=1)
    #: failed logins from one source address within the window before 429
    login_address_max_failures: int = Field(default=30, ge=1)
    login_address_window_seconds: int = Field(default=900, ge=1)
    #: password policy: minimum length and minimum zxcvbn score (0..4)
    password_min_length: int = Field(default=12, ge=8)
    password_min_score: int = Field(default=3, ge=0, le=4)
    #: four eyes: for this many hours a user cannot check a request of the
    #: person who created, enabled or gave the role to him (api/sod.py)
    four_eyes_cooling_hours: int = Field(default=24, ge=0)
    #: run the webhook dispatcher, pending-expiry and purge loops in the server
    background_jobs: bool = True
    # -- background jobs (``xborder worker``, or the server when background_jobs is on)
    #: business-time-zone time (HH:MM) after which the daily jobs (loan
    #: accrual through the day before, advance overdue sweep) run, once a day
    daily_jobs_at: str = Field(default="00:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    #: one leader per job: "advisory" (PostgreSQL session advisory locks),
    #: "lease" (a renewed row in job_leases), "auto" (advisory on PostgreSQL)
    job_leader_mode: str = Field(default="auto", pattern=r"^(auto|advisory|lease)$")
    #: lease length (seconds): a dead leader's jobs are taken over after at most this plus job_poll_seconds
    job_lease_seconds: float = Field(default=15.0, ge=1.0)
    #: how often a follower tries to become leader and a leader checks it still is
    job_poll_seconds: float = Field(default=1.0, gt=0.0, le=60.0)
    #: published reference-rate file (ECB XML format) fetched by the rate refresh
    rates_url: str = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
    #: log format of the server: "json" or "text"
    log_format: str = "json"
    echo_sql: bool = False
    # -- national parameters (deployment-wide, read-only to institutions) ----
    # The business time zone above is also the regulatory time zone of the
    # quota year, the S6 year and every "today".  Amounts in USD cents.
    #: S5: an individual's annual facilitation quota per direction
    individual_annual_quota_usd: int = Field(default=50_000_00, ge=1)
    #: S6: directory-registration threshold and its early warning (per calendar year)
    registration_threshold_usd: int = Field(default=200_000_00, ge=1)
    registration_warning_usd: int = Field(default=180_000_00, ge=1)
    #: S9: conversions of one person looked at together within this many hours ...
    split_window_hours: int = Field(default=24, ge=1)
    #: ... whose quota-relevant total crossing this amount is a split (default: the quota)
    split_limit_usd: int | None = Field(default=None, ge=1)
    #: S9: a person found splitting stays watch-listed this many years after the year
    watch_list_extra_years: int = Field(default=2, ge=0)
    #: S2: amount tolerance of the three-document match behind evidence (0.5 %)
    match_amount_tolerance: str = "0.005"
    #: value dates: how many days an operation may be back-dated (the open period)
    value_date_open_days: int = Field(default=30, ge=0, le=366)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process settings, read once from the environment."""
    return Settings()
