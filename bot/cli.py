"""`claims serve`: the Slack bot's command, plugged into the `claims` CLI by an entry point
(`claims.commands` in pyproject.toml), so the core's CLI never imports the bot."""

from __future__ import annotations

import click

from claims.commands.common import db_option, fail_cleanly, model_options, settings_from

from .config import bot_settings


@click.command()
@click.option("--http", "http_mode", is_flag=True, help="Serve Slack's HTTP mode instead of Socket Mode.")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(1, 65535))
@db_option
@model_options
@click.pass_context
@fail_cleanly
def serve(ctx, http_mode, port, db_path, model_path, model_name, llm_url, n_threads):
    """Run the Slack bot (Socket Mode by default; --http for request URLs at /slack/events).

    HTTP mode runs a waitress server: POST /slack/events (signature checked before anything is
    parsed) and GET /healthz for a load balancer. Put TLS in front of it.

    \b
    Needs: SLACK_BOT_TOKEN, and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (--http).
    Optional: CLAIMS_ALERT_CHANNEL for automatic stance-change posts, SLACK_API_URL.
    """
    from .server import run

    settings = settings_from(ctx, db_path=db_path, model_path=model_path, model_name=model_name, llm_url=llm_url,
                             n_threads=n_threads)
    run(bot_settings(settings), http_mode=http_mode, port=port)
