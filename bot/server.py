"""Start the bot: Socket Mode (default) or HTTP mode behind a load balancer or reverse proxy.

HTTP mode runs Bolt's WSGI adapter in waitress (a maintained WSGI server with a listen backlog and
a thread pool), behind a gate that checks what can be checked before anything is parsed: the path,
the method, the size, and Slack's signature over the raw bytes. Only signed, well-formed bodies
reach Bolt, so a forged or malformed request costs a status line, never a traceback.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import urllib.parse

from slack_bolt.adapter.wsgi import SlackRequestHandler

from claims.config import Settings
from claims.errors import ClaimsError

from .app import create_app
from .config import BotSettings
from .signing import signed

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's largest payloads (a modal with a pasted article, a message shortcut) stay well under this.
MAX_BODY_BYTES = 1_000_000
# A burst of slash commands is answered in milliseconds each (the work goes to the model worker
# after the ack), so a pool of threads and a deep listen queue absorb hundreds at once.
HTTP_THREADS = 16
HTTP_BACKLOG = 2048
HTTP_CONNECTION_LIMIT = 1000


def missing_settings(settings: BotSettings, http_mode: bool) -> list[str]:
    needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if http_mode:
        needed["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    else:
        needed["SLACK_APP_TOKEN"] = settings.slack_app_token
    return [name for name, value in needed.items() if not value]


def _reply(start_response, status: str, body: dict):
    data = (json.dumps(body) + "\n").encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def malformed(body: bytes, content_type: str) -> str | None:
    """Why a signed body is not something Slack sends, or None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return "body is not JSON"
        return None if isinstance(parsed, dict) else "JSON body is not an object"
    try:
        fields = urllib.parse.parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError:
        return "form body does not parse"
    if "payload" in fields:
        try:
            payload = json.loads(fields["payload"][0])
        except json.JSONDecodeError:
            return "payload is not JSON"
        if not isinstance(payload, dict):
            return "payload is not a JSON object"
    return None


def gated_wsgi(app, signing_secret: str, health=None):
    """The WSGI application: health check, then the gate, then Bolt."""
    handler = SlackRequestHandler(app)

    def wsgi(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            status = health() if health else {"status": "ok"}
            return _reply(start_response, "200 OK" if status["status"] == "ok" else "503 Service Unavailable", status)
        if path != EVENTS_PATH:
            return _reply(start_response, "404 Not Found", {"error": "not found"})
        if method != "POST":
            return _reply(start_response, "405 Method Not Allowed", {"error": "POST only"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reply(start_response, "400 Bad Request", {"error": "bad Content-Length"})
        if length > MAX_BODY_BYTES:
            return _reply(start_response, "413 Payload Too Large", {"error": f"body over {MAX_BODY_BYTES} bytes"})
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        if not signed(signing_secret, body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
                      environ.get("HTTP_X_SLACK_SIGNATURE")):
            return _reply(start_response, "401 Unauthorized", {"error": "invalid or stale signature"})
        problem = malformed(body, environ.get("CONTENT_TYPE", ""))
        if problem:
            log.warning("refused a signed request: %s", problem)
            return _reply(start_response, "400 Bad Request", {"error": problem})
        environ = dict(environ, **{"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        return handler(environ, start_response)

    return wsgi


def make_http_server(app, host: str, port: int, signing_secret: str, health=None):
    """A waitress server (call `.run()`; `.close()` stops it; `.effective_port` is the bound port)."""
    from waitress import create_server

    return create_server(
        gated_wsgi(app, signing_secret, health), host=host, port=port, threads=HTTP_THREADS,
        backlog=HTTP_BACKLOG, connection_limit=HTTP_CONNECTION_LIMIT, max_request_body_size=MAX_BODY_BYTES,
        ident="claims",
    )


def ledger_health(settings: Settings):
    def health() -> dict:
        ok = settings.db_path.is_file()
        return {"status": "ok" if ok else "no ledger", "ledger": str(settings.db_path)}

    return health


def catch_up(app) -> None:
    """Post findings a CLI backfill recorded while the bot was down, then keep polling for new ones."""
    ctx = app._claims_context
    if ctx.alerts:
        threading.Thread(target=ctx.alerts.run_forever, name="claims-alerts", daemon=True).start()


def run(settings: BotSettings, http_mode: bool = False, port: int = 3000, host: str = "0.0.0.0") -> None:
    missing = missing_settings(settings, http_mode)
    if missing:
        raise ClaimsError("missing settings: " + ", ".join(missing) + " (see README, 'Slack app')")
    try:
        app = create_app(settings, http_mode=http_mode)
    except Exception as exc:  # noqa: BLE001 - Bolt raises BoltError for a bad token
        raise ClaimsError(f"Slack rejected the app's settings: {exc}") from None
    catch_up(app)
    if http_mode:
        server = make_http_server(app, host, port, settings.slack_signing_secret, ledger_health(settings))
        print(f"claims bot listening on http://{host}:{server.effective_port}{EVENTS_PATH} "
              f"(health: {HEALTH_PATH})", flush=True)
        try:
            server.run()
        except KeyboardInterrupt:
            server.close()
    else:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.slack_app_token).start()
