"""The `claims` command line: one group, with the commands of `claims.commands` and those of
installed front ends (entry points in the `claims.commands` group, e.g. the Slack bot's `serve`).
Docstrings are the help text; options override environment variables."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

import click

from . import __version__
from .commands import demo, findings, ingest, model, reading, scoring
from .config import ConfigError, load_settings

PLUGIN_GROUP = "claims.commands"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claims")
@click.option("-v", "--verbose", is_flag=True, help="Log what the pipeline decides (rejections, retries).")
@click.pass_context
def cli(ctx: click.Context, verbose: bool):
    """A ledger of dated, attributed claims from news articles, and a checker for stance shifts.

    \b
    Typical use:
        claims model fetch             # once: assemble and verify the default GGUF model
        claims backfill seeds/         # extract claims, store them, check for shifts
        claims search Putin negotiations
        claims shifts                  # what changed, with both quotes

    \b
    Exit status:
        0  done
        1  an error; nothing of the failing step was written (one line says what and how to fix it)
        2  a usage error (unknown option, bad value, no searchable words)
        3  partly done: unreadable files skipped (--skip-bad) or pair judgments failed
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    try:
        ctx.obj = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


for command in (model.model, ingest.backfill, ingest.check, reading.search, reading.show, reading.ledger_cmd,
                reading.timeline, scoring.export, scoring.eval_cmd, findings.shifts, findings.review, demo.demo):
    cli.add_command(command)
# A front end installed beside the core (the Slack bot) adds its commands here; the core never imports it.
for plugin in entry_points(group=PLUGIN_GROUP):
    cli.add_command(plugin.load(), plugin.name)


def main():  # pragma: no cover
    cli()
