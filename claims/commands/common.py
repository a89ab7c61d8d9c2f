"""What every command shares: error handling, the --db and model options, settings, the ledger."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import click

from .. import model_store
from ..config import ConfigError, Settings
from ..errors import ClaimsError

EXIT_PARTIAL = 3


def fail_cleanly(fn):
    """Turn the project's own errors into one line on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ClaimsError, ConfigError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def db_option(fn):
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
        help="Ledger file (env CLAIMS_DB; default: the user data directory).",
    )(fn)


def model_options(fn):
    fn = click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path),
                      help="Any GGUF file to use instead of the embedded default (env CLAIMS_MODEL).")(fn)
    fn = click.option("--model-name", type=click.Choice(sorted(model_store.MODELS)),
                      help="Which embedded model to use (env CLAIMS_MODEL_NAME; default qwen2.5-0.5b).")(fn)
    fn = click.option("--llm-url", help="OpenAI-compatible server to send model requests to instead "
                      "(llama-server, vLLM; env CLAIMS_LLM_URL).")(fn)
    fn = click.option("--threads", "n_threads", type=click.IntRange(1, 64),
                      help="Generation threads (env CLAIMS_THREADS; default 1).")(fn)
    return fn


def settings_from(ctx: click.Context, **overrides) -> Settings:
    base: Settings = ctx.obj
    return base.with_overrides(**overrides)


def open_ledger(settings: Settings, create: bool = False):
    """The ledger; only commands that write articles create one. A read command on a path that
    does not exist is a typo far more often than an empty archive, so it fails and creates nothing."""
    from ..ledger import Ledger

    if not create and not settings.db_path.exists():
        raise click.ClickException(
            f"no ledger at {settings.db_path}; check --db / CLAIMS_DB, or create one with `claims backfill`"
        )
    return Ledger(settings.db_path)


def iso_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def reads_ledger(fn):
    """The options and error handling every command that reads a ledger has: --db, the click
    context (settings), and one-line errors."""
    return db_option(click.pass_context(fail_cleanly(fn)))


def echo_each(rows: list[dict], render, nothing: str) -> None:
    """Each row rendered, a blank line after each; `nothing` when there are none."""
    if not rows:
        click.echo(nothing)
    for row in rows:
        click.echo(render(row) + "\n")
