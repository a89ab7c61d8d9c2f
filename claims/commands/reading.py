"""Reading the ledger: `claims search`, `show`, `ledger`, `timeline`."""

from __future__ import annotations

import json
import textwrap

import click

from ..ledger import fts_terms
from .common import echo_each, iso_date, open_ledger, reads_ledger, settings_from


def format_claim(c: dict, width: int = 100) -> str:
    role = f", {c['speaker_role']}" if c.get("speaker_role") else ""
    head = f"#{c['id']}  {c['date']}  {c['speaker']}{role}  [{c['kind']}]  ({c['subject']})"
    quote = textwrap.fill(f"“{c['quote']}”", width=width, initial_indent="    ", subsequent_indent="    ")
    source = c.get("article_source") or c.get("article_title") or ""
    tail = f"    — article {c['article_id']}" + (f", {source}" if source else "") + (f" {c['article_url']}" if c.get("article_url") else "")
    figs = ""
    if c.get("figures"):
        figs = "\n    figures: " + "; ".join(
            f"{f['amount']:,.0f} {f['currency'] or ''} {f['what']}".replace("  ", " ") for f in c["figures"]
        )
    return f"{head}\n{quote}{figs}\n{tail}"


@click.command()
@click.argument("query", nargs=-1)
@click.option("--speaker", help="Only claims by this speaker (name or part of it).")
@click.option("--since", help="Only claims made on or after YYYY-MM-DD.")
@click.option("--until", help="Only claims made on or before YYYY-MM-DD.")
@click.option("--kind", type=click.Choice(["pledge", "position", "figure", "prediction", "denial"]))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@reads_ledger
def search(ctx, query, speaker, since, until, kind, limit, as_json, db_path):
    """Search claims by words, best match first.

    Words are matched as plain terms (quotes, AND/OR and * in the query are not FTS syntax),
    stemmed, and ranked by bm25.

    \b
    Example:
        claims search Putin negotiations --since 2025-01-01
        claims search --speaker Lammy --kind pledge
    """
    settings = settings_from(ctx, db_path=db_path)
    text = " ".join(query)
    if not text.strip() and not (speaker or since or until or kind):
        raise click.UsageError("give search words or at least one filter (--speaker, --since, --until, --kind)")
    if text.strip() and not fts_terms(text) and not (speaker or since or until or kind):
        raise click.UsageError("no searchable words in the query: operators and punctuation alone match nothing")
    ledger = open_ledger(settings)
    rows = ledger.search(text, speaker=speaker, since=iso_date(since, "--since"), until=iso_date(until, "--until"), kind=kind, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    echo_each(rows, format_claim, "no matching claims")


@click.command()
@click.argument("claim_id", type=int)
@reads_ledger
def show(ctx, claim_id, db_path):
    """Show one claim with its figures and findings."""
    from ..findings import format_finding

    settings = settings_from(ctx, db_path=db_path)
    ledger = open_ledger(settings)
    claim = ledger.claim(claim_id)
    if claim is None:
        raise click.ClickException(f"no claim #{claim_id} in {settings.db_path}")
    click.echo(format_claim(claim))
    click.echo(f"    text: {claim['text']}")
    for f in ledger.findings_for_claim(claim_id):
        click.echo("\n" + format_finding(f))


@click.command("ledger")
@click.option("--limit", type=click.IntRange(1), help="Show at most this many claims.")
@reads_ledger
def ledger_cmd(ctx, limit, db_path):
    """Print every claim in the ledger, oldest first."""
    settings = settings_from(ctx, db_path=db_path)
    ledger = open_ledger(settings)
    print_ledger(ledger, limit)


def print_ledger(ledger, limit=None):
    rows = ledger.claims()
    stats = ledger.stats()
    click.echo(f"Ledger: {stats['articles']} articles, {stats['claims']} claims, {stats['speakers']} speakers, "
               f"{stats['findings']} findings\n")
    echo_each(rows[:limit] if limit else rows, format_claim, "no claims yet")


@click.command()
@click.argument("speaker")
@click.argument("subject", required=False)
@reads_ledger
def timeline(ctx, speaker, subject, db_path):
    """Everything a speaker said, oldest first; optionally only on SUBJECT words.

    \b
    Example:
        claims timeline Lammy
        claims timeline "Donald Trump" peace
    """
    settings = settings_from(ctx, db_path=db_path)
    ledger = open_ledger(settings)
    rows = ledger.search(subject or "", speaker=speaker, limit=500)
    rows.sort(key=lambda r: (r["date"], r["id"]))
    echo_each(rows, format_claim, f"no claims by {speaker!r}" + (f" about {subject!r}" if subject else ""))
