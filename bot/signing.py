"""Slack's v0 request signature: made over the raw bytes, checked before a body is parsed.

(slack_sdk's verifier decodes the body as UTF-8 first, so a signed body that is not UTF-8 would
raise there instead of being refused.) `signed_headers` is the other side, for probes and tests
that stand in for Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import time

# Slack's rule: a request signed more than five minutes ago is a replay.
MAX_SIGNATURE_AGE_S = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()


def signed(secret: str, body: bytes, timestamp: str | None, sig: str | None) -> bool:
    """Whether a request carries a fresh, valid signature of these bytes."""
    if not timestamp or not sig or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > MAX_SIGNATURE_AGE_S:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), sig)


def signed_headers(secret: str, body: bytes, timestamp: float | None = None) -> dict[str, str]:
    """The headers Slack would send with `body`, signed at `timestamp` (default: now)."""
    ts = str(int(time.time() if timestamp is None else timestamp))
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(secret, ts, body)}
