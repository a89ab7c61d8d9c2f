"""Findings: `claims shifts` lists them, `claims review` confirms or dismisses one."""

from __future__ import annotations

import click

from .common import echo_each, iso_date, open_ledger, reads_ledger, settings_from


@click.command()
@click.option("--speaker", help="Only findings involving this speaker.")
@click.option("--since", help="Only findings whose later claim is on or after YYYY-MM-DD.")
@click.option("--relation", type=click.Choice(["shift", "contradiction", "figure_change", "consistent"]),
              help="Only this relation (default: all changes, no 'consistent').")
@click.option("--status", type=click.Choice(["open", "confirmed", "dismissed"]), help="Only this review status.")
@reads_ledger
def shifts(ctx, speaker, since, relation, status, db_path):
    """Findings as a timeline: what changed, with both quotes, dates and sources."""
    from ..findings import format_finding

    settings = settings_from(ctx, db_path=db_path)
    rows = open_ledger(settings).findings(speaker=speaker, since=iso_date(since, "--since"), relation=relation, status=status)
    echo_each(rows, format_finding, "no findings")


@click.command()
@click.argument("finding_id", type=int)
@click.option("--confirm", "decision", flag_value="confirmed", help="Mark the finding as confirmed.")
@click.option("--dismiss", "decision", flag_value="dismissed", help="Dismiss it; it will not come back.")
@click.option("--by", "reviewer", default=None, help="Who reviewed (default: your user name).")
@reads_ledger
def review(ctx, finding_id, decision, reviewer, db_path):
    """Confirm or dismiss a finding."""
    import getpass

    from ..findings import review_finding

    if decision is None:
        raise click.UsageError("say --confirm or --dismiss")
    settings = settings_from(ctx, db_path=db_path)
    review_finding(open_ledger(settings), finding_id, decision, reviewer or getpass.getuser())
    click.echo(f"finding #{finding_id} {decision}")
