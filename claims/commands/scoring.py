"""`claims export` (the gold format) and `claims eval` (scores against a gold file)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import open_ledger, reads_ledger, settings_from


@click.command()
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.File("w"), default="-", help="File to write (default: stdout).")
@click.option("--no-relations", is_flag=True, help="Claims only.")
@reads_ledger
def export(ctx, fmt, output, no_relations, db_path):
    """Write the ledger in the gold format of seeds/README.md (claims and relations).

    \b
    Example:
        claims export -o ledger.json
    """
    from ..export import export as do_export

    settings = settings_from(ctx, db_path=db_path)
    data = do_export(open_ledger(settings), include_relations=not no_relations)
    json.dump(data, output, indent=2, ensure_ascii=False)
    output.write("\n")


@click.command("eval")
@click.option("--gold", "gold_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold annotation in the seeds/README.md format.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@reads_ledger
def eval_cmd(ctx, gold_file, as_json, db_path):
    """Score the ledger against a gold file: claim recall/precision, change-relation P/R/F1.

    Claims match by article, speaker and quote overlap (at least half of the shorter quote).

    \b
    Example:
        claims eval --gold ../shared/seeds/gold.json
    """
    from ..evaluate import evaluate
    from ..export import export as do_export

    settings = settings_from(ctx, db_path=db_path)
    try:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        gold["claims"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise click.ClickException(f"{gold_file}: not a gold file (JSON with a 'claims' list)") from None
    ledger = open_ledger(settings)
    bodies = ledger.article_bodies()
    result = evaluate(do_export(ledger), gold, bodies)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    c, ch = result["claims"], result["change_relations"]
    click.echo(f"claims: recall {c['recall']:.3f} ({c['matched']}/{c['gold']}), precision {c['precision']:.3f} "
               f"({c['matched']}/{c['predicted']}); quotes verbatim {result['quotes_verbatim']}")
    agree = result["field_agreement_on_matched"]
    click.echo(f"on matched claims: role {agree['speaker_role']:.3f}, date {agree['date']:.3f}, kind {agree['kind']:.3f}")
    click.echo(f"change relations: precision {ch['precision']:.3f}, recall {ch['recall']:.3f}, F1 {ch['f1']:.3f} "
               f"({ch['matched']} matched, {ch['predicted']} predicted, {ch['gold']} gold)")
    al = result["all_relations"]
    click.echo(f"all relations: precision {al['precision']:.3f}, recall {al['recall']:.3f}, F1 {al['f1']:.3f}")
