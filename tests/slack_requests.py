"""Requests as Slack sends them, signed with bot.signing, for the tests of the bot's HTTP mode."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request

from bot.signing import signed_headers

SECRET = "test-signing-secret"
FORM = "application/x-www-form-urlencoded"


def signed_post(url, body: str | bytes, content_type=FORM, timestamp=None, secret: str | None = SECRET):
    """POST `body` signed with `secret` (unsigned when None): (status, answer text, seconds)."""
    data = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": content_type, **(signed_headers(secret, data, timestamp) if secret else {})}
    req = urllib.request.Request(url, data=data, method="POST", headers=headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


def command_body(slack, text, n=1):
    return urllib.parse.urlencode({
        "command": "/claims", "text": text, "response_url": f"{slack.url}respond/{n}", "user_id": "U1",
        "user_name": "ana", "channel_id": "C1", "team_id": "T1", "trigger_id": "1.2.3", "token": "legacy",
    })


def all_text(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)
