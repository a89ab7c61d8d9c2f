"""Start the bot: Socket Mode (default) or HTTP mode with request signing at /slack/events."""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt.adapter.wsgi import SlackRequestHandler

from claims.config import Settings
from claims.errors import ClaimsError

from .app import create_app

log = logging.getLogger(__name__)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        log.debug("%s - " + format, self.address_string(), *args)


def missing_settings(settings: Settings, http_mode: bool) -> list[str]:
    needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if http_mode:
        needed["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    else:
        needed["SLACK_APP_TOKEN"] = settings.slack_app_token
    return [name for name, value in needed.items() if not value]


def make_http_server(app, host: str, port: int):
    """A threaded WSGI server that hands Slack's POSTs at /slack/events to the Bolt app."""
    handler = SlackRequestHandler(app)

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") != "/slack/events":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        return handler(environ, start_response)

    return make_server(host, port, wsgi, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)


def catch_up(app) -> None:
    """Post findings a CLI backfill recorded while the bot was down, then keep polling for new ones."""
    ctx = app._claims_context
    if ctx.alerts:
        threading.Thread(target=ctx.alerts.run_forever, name="claims-alerts", daemon=True).start()


def run(settings: Settings, http_mode: bool = False, port: int = 3000, host: str = "0.0.0.0") -> None:
    missing = missing_settings(settings, http_mode)
    if missing:
        raise ClaimsError("missing settings: " + ", ".join(missing) + " (see README, 'Slack app')")
    try:
        app = create_app(settings, http_mode=http_mode)
    except Exception as exc:  # noqa: BLE001 - Bolt raises BoltError for a bad token
        raise ClaimsError(f"Slack rejected the app's settings: {exc}") from None
    catch_up(app)
    if http_mode:
        server = make_http_server(app, host, port)
        print(f"claims bot listening on http://{host}:{port}/slack/events")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            server.shutdown()
    else:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.slack_app_token).start()
