"""`claims backfill` and `claims check`: articles into the ledger, claims through the checker."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import llm
from .common import EXIT_PARTIAL, db_option, fail_cleanly, iso_date, model_options, open_ledger, settings_from


def _load_articles(paths, date, max_bytes, skip_bad):
    from ..articles import discover, read_file
    from ..errors import BadInput

    articles, skipped = [], 0
    for path in discover(list(paths)):
        try:
            articles.extend(read_file(path, max_bytes, date))
        except BadInput as exc:
            if not skip_bad:
                raise
            skipped += 1
            click.echo(f"skipped: {exc}", err=True)
    return articles, skipped


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="Publication date for files without a 'published:' header.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many new articles.")
@click.option("--dry-run", is_flag=True, help="Extract and print claims without writing the ledger.")
@click.option("--no-check", is_flag=True, help="Skip the consistency checker after extraction.")
@click.option("--skip-bad", is_flag=True, help="Skip unreadable articles with a warning instead of stopping.")
@click.option("--model-subjects", is_flag=True, help="Let the model write each subject phrase (about 1 s per claim slower).")
@click.option("--workers", type=click.IntRange(1, 64),
              help="Model requests in flight at once, for a model server started with as many slots "
                   "(llama-server --parallel N, vLLM); needs --llm-url (env CLAIMS_WORKERS; default 1).")
@db_option
@model_options
@click.pass_context
@fail_cleanly
def backfill(ctx, paths, date, limit, dry_run, no_check, skip_bad, model_subjects, workers, db_path, model_path, model_name, llm_url, n_threads):
    """Extract claims from article files, folders or JSONL into the ledger, then check them.

    Every input is read and validated before anything is written. Each article is stored in
    one transaction, and articles already in the ledger (same text) are skipped, so an
    interrupted backfill resumes where it stopped when run again.

    \b
    Inputs:
        seeds/                 folder of article files (header lines, blank line, body)
        notes.txt --date 2025-05-12   plain text with a given publication date
        archive.jsonl          {"url","published","title","source","text","id"?} per line
    With --workers N and a model server, the statements of an article are labelled N at a time;
    articles are still stored one by one in order, so the ledger is the one a sequential run writes.

    \b
    Example:
        claims backfill seeds/ --limit 3
        claims backfill archive/ --llm-url http://gpu-host:8080 --workers 8
    """
    from concurrent.futures import ThreadPoolExecutor

    from tqdm import tqdm

    from ..extract import Extractor
    from ..ingest import backfill as ingest_all

    settings = settings_from(ctx, db_path=db_path, model_path=model_path, model_name=model_name, llm_url=llm_url,
                             n_threads=n_threads, workers=workers)
    if settings.workers > 1 and not settings.llm_url:
        raise click.UsageError("--workers above 1 needs a model server (--llm-url or CLAIMS_LLM_URL); "
                               "the local model answers one request at a time")
    articles, unreadable = _load_articles(paths, date.date() if date else None, settings.max_article_bytes, skip_bad)
    if not articles:
        raise click.ClickException("no article files found in the given paths (.txt, .md or .jsonl)")
    if dry_run and not settings.db_path.exists():
        from ..ledger import Ledger

        ledger = Ledger(":memory:")  # a dry run creates no ledger file
    else:
        ledger = open_ledger(settings, create=True)
    todo = [a for a in articles if not ledger.has_article(a)]
    skipped = len(articles) - len(todo)
    if limit:
        todo = todo[:limit]
    if skipped:
        click.echo(f"{skipped} article(s) already in the ledger, skipped", err=True)
    backend = llm.make_backend(settings) if todo or not (no_check or dry_run) else None
    done = {"articles": 0, "claims": 0}
    if todo:
        extractor = Extractor(backend, settings.prompts_dir, model_subjects=model_subjects)
        pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="model") if settings.workers > 1 else None
        try:
            with tqdm(total=len(todo), unit="article", desc="extracting", file=sys.stderr, dynamic_ncols=True) as bar:

                def shown(article, article_id, found):
                    done["claims"] += len(found)
                    done["articles"] += article_id is not None
                    bar.update(1)
                    bar.set_postfix(claims=done["claims"])
                    for claim in found if dry_run else []:
                        tqdm.write(f"{article.id} {claim['date']} {claim['speaker']} [{claim['kind']}] {claim['quote'][:90]}")

                ingest_all(ledger, extractor, todo, dry_run, pool, on_article=shown)
        except KeyboardInterrupt:
            raise click.ClickException(
                f"interrupted after {done['articles']} article(s); they are stored, run the same command to resume"
            ) from None
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)
    stored, claims_total = done["articles"], done["claims"]
    verb = "would store" if dry_run else "stored"
    click.echo(f"{verb} {claims_total} claims from {stored} article(s) in {settings.db_path if not dry_run else 'nothing (dry run)'}")
    report = None
    if not no_check and not dry_run:
        report = _run_check(ledger, backend, settings, since=None, everything=False)
        click.echo("see the findings with: claims shifts" + (f" --db {db_path}" if db_path else ""))
    if unreadable or (report and report.errors):
        problems = [f"{unreadable} unreadable file(s) skipped"] if unreadable else []
        problems += [f"{report.errors} pair judgment(s) failed (see check_errors)"] if report and report.errors else []
        click.echo("partly done: " + "; ".join(problems), err=True)
        ctx.exit(EXIT_PARTIAL)


def _run_check(ledger, backend, settings, since, everything):
    from tqdm import tqdm

    from ..checker import Checker

    checker = Checker(ledger, backend, settings.prompts_dir)
    pending = checker.pending(since=since, everything=everything)
    if not pending:
        click.echo("checker: nothing new to check")
        return None
    before = ledger.finding_count()
    try:
        with tqdm(total=len(pending), unit="claim", desc="checking", file=sys.stderr, dynamic_ncols=True) as bar:
            report = checker.check(pending, progress=bar.update)
    except KeyboardInterrupt:
        raise click.ClickException("checker interrupted; what it found is stored, `claims check` goes on") from None
    # What is stored, not what was attempted: a role finding can replace another on the same pair.
    click.echo(
        f"checker: {report.claims_checked} claims, {report.pairs_judged} pairs judged, "
        f"{ledger.finding_count() - before} new findings, {report.errors} errors"
    )
    return report


@click.command()
@click.option("--since", help="Only claims made on or after YYYY-MM-DD.")
@click.option("--all", "everything", is_flag=True, help="Re-check claims already checked (findings are not duplicated).")
@db_option
@model_options
@click.pass_context
@fail_cleanly
def check(ctx, since, everything, db_path, model_path, model_name, llm_url, n_threads):
    """Compare claims not yet checked with other claims of the same speaker or group.

    Each claim is compared with at most 8 claims from other articles (earlier ones, or later ones
    already checked) by the same speaker or group (government, central bank, company), found by
    shared words and concepts and ranked by how likely the two are about the same thing. Signals
    computed in code (figures of one quantity, negation, commitment, conditions, deadlines,
    reversal verbs, time apart) are combined by a logistic model fitted on a gold corpus
    (claims/data/change_model.json); a change above its threshold is a finding, a linked pair
    below it is recorded as consistent. Roles a person is given are compared by date.

    \b
    Example:
        claims check
        claims check --all --since 2025-01-01
    """
    settings = settings_from(ctx, db_path=db_path, model_path=model_path, model_name=model_name, llm_url=llm_url, n_threads=n_threads)
    if since:
        iso_date(since, "--since")
    ledger = open_ledger(settings)
    _run_check(ledger, llm.make_backend(settings), settings, since, everything)
