"""`claims demo`: the bundled seed articles end to end."""

from __future__ import annotations

from pathlib import Path

import click

from .common import fail_cleanly, model_options, open_ledger, settings_from
from .findings import shifts
from .ingest import backfill
from .reading import print_ledger

SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "seeds"


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Ledger file for the demo.")
@model_options
@click.pass_context
@fail_cleanly
def demo(ctx, db_path, model_path, model_name, llm_url, n_threads):
    """Backfill the bundled seed articles, then print the ledger and the detected shifts."""
    if not SEEDS_DIR.is_dir():
        raise click.ClickException(f"seed folder {SEEDS_DIR} is missing")
    ctx.invoke(backfill, paths=(SEEDS_DIR,), date=None, limit=None, dry_run=False, no_check=False, skip_bad=False,
               model_subjects=False, workers=None, db_path=db_path, model_path=model_path, model_name=model_name, llm_url=llm_url,
               n_threads=n_threads)
    settings = settings_from(ctx, db_path=db_path)
    click.echo("")
    print_ledger(open_ledger(settings, create=True))
    click.echo("Detected shifts, contradictions and figure changes:\n")
    ctx.invoke(shifts, speaker=None, since=None, relation=None, status=None, db_path=db_path)
