"""App factory: `create_app(settings, client=None)` so tests can point the Web API at a local fake."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slack_bolt import App
from slack_sdk import WebClient

from claims.config import Settings

from .alerts import AlertPoster
from .listeners import register
from .pipeline import BotPipeline
from .worker import ModelWorker

log = logging.getLogger(__name__)


@dataclass
class BotContext:
    settings: Settings
    worker: ModelWorker
    pipeline: BotPipeline
    alerts: AlertPoster | None = None
    extras: dict = field(default_factory=dict)


def web_client(settings: Settings) -> WebClient:
    kwargs = {"token": settings.slack_bot_token}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    return WebClient(**kwargs)


def create_app(settings: Settings, client: WebClient | None = None, backend_factory=None, http_mode: bool = True) -> App:
    client = client or web_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=http_mode,
        # auth.test at start-up turns a wrong token into an error now, not at the first command.
        token_verification_enabled=True,
    )
    pipeline = BotPipeline(settings)
    worker = ModelWorker(backend_factory or pipeline.make_backend)
    alerts = AlertPoster(client, settings.db_path, settings.alert_channel) if settings.alert_channel else None
    ctx = BotContext(settings, worker, pipeline, alerts)
    register(app, ctx)
    app._claims_context = ctx  # for tests and the server's start-up catch-up
    return app
