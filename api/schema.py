"""Tables of the API platform: credentials, users, request-signature
replay guard, HTTP idempotency records, webhook endpoints and deliveries."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

institution_settings = Table(
    "institution_settings",
    metadata,
    Column("institution_id", Uuid, ForeignKey("institutions.id"), primary_key=True),
    Column("require_signing", Boolean, nullable=False),
    Column("updated_at", TS, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    # public part shown in listings; the secret is stored only as SHA-256
    Column("prefix", String(24), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    # the HMAC request-signing secret, AES-GCM encrypted
    Column("signing_secret_enc", Text, nullable=False),
    Column("name", String(100), nullable=False),
    # "system" (an institution's integration) or "platform" (trade data only)
    Column("role", String(16), nullable=False),
    Column("platform_code", String(64), nullable=True),
    # the scopes of api.scopes.SCOPES the key holds (a JSON list of strings)
    Column("scopes", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=True),
    Column("revoked_at", TS, nullable=True),
    Column("replaced_by", Uuid, nullable=True),
    # who issued it ("user:<id>", "api_key:<id>" or "operator"): four eyes follows it
    Column("created_by", String(200), nullable=True),
    # issued under four eyes and not yet approved: it authenticates as 401
    Column("pending", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("prefix", "institution_id", name="uq_api_keys_prefix"),
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("username", String(100), nullable=False),
    Column("password_hash", String(200), nullable=False),
    # finance, approver, admin (staff) or sme (bound to one merchant)
    Column("role", String(16), nullable=False),
    Column("merchant_ref", String(64), nullable=True),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", TS, nullable=False),
    # lineage read by four eyes (api/sod.py): who created, enabled and gave the role, and when
    Column("created_by", String(200), nullable=True),
    Column("enabled_by", String(200), nullable=True),
    Column("enabled_at", TS, nullable=True),
    Column("role_granted_by", String(200), nullable=True),
    Column("role_granted_at", TS, nullable=True),
    # created under four eyes and not yet approved (also disabled: cannot log in)
    Column("pending", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("institution_id", "username", name="uq_users_institution_username"),
)

#: four eyes (api/sod.py): a privileged action proposed by a maker, executed
#: when a different person with a checker role approves it
approval_requests = Table(
    "approval_requests",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("action", String(64), nullable=False),
    Column("params", JSON, nullable=False),
    Column("summary", String(500), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", String(64), nullable=True),
    Column("maker_type", String(16), nullable=False),
    Column("maker_id", String(64), nullable=False),
    Column("maker_name", String(200), nullable=True),
    Column("status", String(12), nullable=False),  # pending | executing | executed | rejected | failed
    Column("checker_id", String(64), nullable=True),
    Column("checker_name", String(200), nullable=True),
    Column("reason", Text, nullable=True),
    Column("result", JSON, nullable=True),
    Column("created_at", TS, nullable=False),
    Column("decided_at", TS, nullable=True),
)
Index("ix_approval_requests_institution_status", approval_requests.c.institution_id, approval_requests.c.status, approval_requests.c.id)

request_signatures = Table(
    "request_signatures",
    metadata,
    Column("signature", String(128), nullable=False),
    Column("api_key_id", Uuid, nullable=False),
    Column("seen_at", TS, nullable=False),
    PrimaryKeyConstraint("signature", name="pk_request_signatures"),
)
Index("ix_request_signatures_seen", request_signatures.c.seen_at)

http_idempotency = Table(
    "http_idempotency",
    metadata,
    Column("institution_id", Uuid, nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(12), nullable=False),  # in_flight | done
    Column("status_code", Integer, nullable=True),
    Column("content_type", String(100), nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("owner", String(200), nullable=True),  # host|boot|pid|start of the process processing it (in_flight)
    PrimaryKeyConstraint("institution_id", "key", name="pk_http_idempotency"),
)
Index("ix_http_idempotency_expires", http_idempotency.c.expires_at)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("url", String(2000), nullable=False),
    # the Standard Webhooks "whsec_..." secret, AES-GCM encrypted
    Column("secret_enc", Text, nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", String(200), nullable=True),
    Column("created_at", TS, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("endpoint_id", Uuid, nullable=False),
    Column("status", String(12), nullable=False),  # pending | delivered | failed | cancelled
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", TS, nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("delivered_at", TS, nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("event_id", "endpoint_id", "institution_id", name="uq_webhook_deliveries_event_endpoint"),
    ForeignKeyConstraint(["event_id", "institution_id"], ["outbox_events.id", "outbox_events.institution_id"]),
    ForeignKeyConstraint(["endpoint_id", "institution_id"], ["webhook_endpoints.id", "webhook_endpoints.institution_id"]),
)
Index("ix_webhook_deliveries_due", webhook_deliveries.c.status, webhook_deliveries.c.next_attempt_at)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("delivery_id", Uuid, nullable=False),
    Column("attempted_at", TS, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", String(500), nullable=True),
    Column("duration_ms", Integer, nullable=False),
    ForeignKeyConstraint(["delivery_id", "institution_id"], ["webhook_deliveries.id", "webhook_deliveries.institution_id"]),
)
Index("ix_webhook_attempts_delivery", webhook_attempts.c.delivery_id)

# -- hardened logins (api.logins) ------------------------------------------------------

#: failed-login counters, one row per throttled subject: ``u:<HMAC of
#: institution code and username>`` (known and unknown names alike, never the
#: name in clear) or ``a:<source address>``.  Counted with one atomic upsert,
#: so parallel attempts on several workers cannot slip past the limit.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(100), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("window_start", TS, nullable=False),
    Column("locked_until", TS, nullable=True),
    PrimaryKeyConstraint("key", name="pk_login_throttle"),
)

#: one row per issued user token (its ``jti``): logout, password change and
#: disable revoke rows, and every request with a user token reads its row
#: together with the user's (one query).  ``channel`` is ``api`` (bearer) or
#: ``console`` (the console's cookie): a token works only on its channel.
user_sessions = Table(
    "user_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("revoked_at", TS, nullable=True),
    Column("revoked_reason", String(32), nullable=True),
    ForeignKeyConstraint(["user_id", "institution_id"], ["users.id", "users.institution_id"]),
)
Index("ix_user_sessions_user", user_sessions.c.user_id)
Index("ix_user_sessions_expires", user_sessions.c.expires_at)


#: a console user's saved views of the exceptions queue: a name and the
#: query string of its filters and order (``q=...&age=8-30&sort=amount``)
console_saved_views = Table(
    "console_saved_views",
    metadata,
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("user_id", Uuid, nullable=False, primary_key=True),
    Column("name", String(60), nullable=False, primary_key=True),
    Column("query", Text, nullable=False),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(["user_id", "institution_id"], ["users.id", "users.institution_id"]),
)
