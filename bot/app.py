"""App factory: `create_app(settings, client=None)` so tests can point the Web API at a local fake."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from .alerts import AlertPoster
from .config import BotSettings
from .listeners import register
from .pipeline import BotPipeline
from .worker import ModelWorker

log = logging.getLogger(__name__)


@dataclass
class BotContext:
    settings: BotSettings
    worker: ModelWorker
    pipeline: BotPipeline
    alerts: AlertPoster | None = None
    extras: dict = field(default_factory=dict)


# Web API calls answered 429 are retried after Retry-After seconds, up to this many times.
RATE_LIMIT_RETRIES = 3


def web_client(settings: BotSettings) -> WebClient:
    kwargs = {"token": settings.slack_bot_token}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    return WebClient(**kwargs, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)])


def create_app(settings: BotSettings, client: WebClient | None = None, backend_factory=None, http_mode: bool = True) -> App:
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
