"""The Slack bot's own settings: the core's, plus tokens and the alert channel, read from the
environment by the core's one reader (`claims.config.read_environment`)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from claims.config import Settings, read_environment

# Environment variable -> BotSettings field.
ENV_VARS = {
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_APP_TOKEN": "slack_app_token",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_API_URL": "slack_api_url",
    "CLAIMS_ALERT_CHANNEL": "alert_channel",
}


@dataclass(frozen=True)
class BotSettings(Settings):
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str | None = None
    # Channel for automatic stance-change posts; none means no automatic posts.
    alert_channel: str | None = None


def bot_settings(core: Settings, environ: dict[str, str] | None = None, **overrides) -> BotSettings:
    """The core settings (already with their CLI options) plus the bot's, from the environment."""
    values = {f.name: getattr(core, f.name) for f in fields(Settings)}
    return BotSettings(**values).with_overrides(**{**read_environment(ENV_VARS, environ=environ), **overrides})
