import json
import sqlite3

import pytest
from click.testing import CliRunner

from claims.cli import cli

from .conftest import SEEDS


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path, command", list(all_commands()), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_explains_itself(path, command):
    assert command.help and len(command.help) > 20
    result = run(*path, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x00\x00\x00binary", "binary"),
        (b"No header here, and no date given.", "no publication date"),
        (b"published: 2025-01-01\ntitle: x\n\n\xc3\x28 broken", "not valid UTF-8"),
        (b"published: 2999-01-01\ntitle: x\n\nFinance minister Ana Reyes said the levy stays.", "in the future"),
    ],
)
def test_bad_input_is_one_line_nonzero_and_writes_nothing(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    db = tmp_path / "l.db"
    result = CliRunner().invoke(cli, ["backfill", str(bad), "--db", str(db)])
    assert result.exit_code == 1
    lines = [l for l in result.output.strip().splitlines() if l]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output
    assert not db.exists()


def test_bad_jsonl_line_and_huge_article(tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"published": "2025-01-01", "title": "t", "text": "ok"}\nnot json\n')
    result = CliRunner().invoke(cli, ["backfill", str(jsonl)])
    assert result.exit_code == 1 and "a.jsonl:2: not a JSON object" in result.output
    huge = tmp_path / "huge.txt"
    huge.write_text("published: 2025-01-01\ntitle: t\n\n" + "x" * 5_000_000)
    result = CliRunner().invoke(cli, ["backfill", str(huge)])
    assert result.exit_code == 1 and "larger than" in result.output


def test_missing_model_names_the_fix(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("published: 2025-01-01\ntitle: t\n\n\"We will win,\" Defence Secretary John Healey said.\n")
    result = CliRunner().invoke(cli, ["backfill", str(article), "--model", str(tmp_path / "nope.gguf")])
    assert result.exit_code == 1 and "does not exist" in result.output
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a gguf at all")
    result = CliRunner().invoke(cli, ["backfill", str(article), "--model", str(fake)])
    # A file the user chose cannot be repaired by re-fetching the embedded model: the fix says so.
    assert result.exit_code == 1 and "not a GGUF file" in result.output and "--model or CLAIMS_MODEL" in result.output


def test_search_validates_dates_and_needs_something_to_search(ledger):
    result = CliRunner().invoke(cli, ["search"])
    assert result.exit_code == 2 and "give search words" in result.output
    result = CliRunner().invoke(cli, ["search", "x", "--since", "May 2025"])
    assert result.exit_code == 2 and "not a date" in result.output
    result = CliRunner().invoke(cli, ["search", '"unbalanced', "AND", "OR", "*"])
    assert result.exit_code == 0 and "no matching claims" in result.output
    result = CliRunner().invoke(cli, ["search", '"', "*", "AND", "()", "-"])
    assert result.exit_code == 2 and "no searchable words" in result.output


def test_review_requires_a_decision_and_an_existing_finding(ledger):
    assert CliRunner().invoke(cli, ["review", "1"]).exit_code == 2
    result = CliRunner().invoke(cli, ["review", "99", "--confirm"])
    assert result.exit_code == 1 and "no finding #99" in result.output


@pytest.mark.parametrize("command", [["search", "tariffs"], ["ledger"], ["shifts"], ["timeline", "Reyes"], ["export"], ["check"]])
def test_read_commands_on_a_ledger_that_does_not_exist_fail_and_create_nothing(tmp_path, command):
    typo = tmp_path / "no-such-folder" / "ledgr.db"
    result = CliRunner().invoke(cli, [*command, "--db", str(typo)])
    assert result.exit_code == 1 and "no ledger at" in result.output and "Traceback" not in result.output
    assert not typo.exists() and not typo.parent.exists()


def test_skipped_unreadable_files_make_a_partial_exit(tmp_path, monkeypatch):
    from claims import llm
    from .scripted_backend import ScriptedBackend

    monkeypatch.setattr(llm, "make_backend", lambda settings: ScriptedBackend())
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("published: 2025-01-01\ntitle: t\n\nFinance minister Ana Reyes said the levy stays.\n")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00binary")
    result = CliRunner().invoke(cli, ["backfill", str(tmp_path / "in"), "--skip-bad", "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 3 and "1 unreadable file(s) skipped" in result.output
    with sqlite3.connect(tmp_path / "l.db") as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 1


def test_eval_refuses_a_file_that_is_not_gold(tmp_path):
    bad = tmp_path / "g.json"
    bad.write_text(json.dumps({"nope": 1}))
    result = CliRunner().invoke(cli, ["eval", "--gold", str(bad)])
    assert result.exit_code == 1 and "not a gold file" in result.output


def test_dry_run_writes_no_ledger(tmp_path, monkeypatch):
    from claims import llm
    from .scripted_backend import ScriptedBackend

    monkeypatch.setattr(llm, "make_backend", lambda settings: ScriptedBackend())
    db = tmp_path / "dry.db"
    result = CliRunner().invoke(cli, ["backfill", str(SEEDS / "000.txt"), "--dry-run", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "would store" in result.output and "David Lammy" in result.output
    assert not db.exists()


def test_cli_flow_from_backfill_to_review(tmp_path, monkeypatch, scripted, gold):
    from claims import llm

    monkeypatch.setattr(llm, "make_backend", lambda settings: scripted)
    db = str(tmp_path / "flow.db")
    result = run("backfill", str(SEEDS), "--db", db)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from claims").fetchone()[0]
    assert stored > 0 and f"checker: {stored} claims" in result.output
    again = run("backfill", str(SEEDS), "--db", db)
    assert "stored 0 claims from 0 article(s)" in again.output and "checker: nothing new" in again.output

    found = run("search", "Putin", "--speaker", "Cooper", "--db", db)
    assert "Yvette Cooper, UK Foreign Secretary" in found.output and "2026-01-15" in found.output
    claim_id = int(found.output.split()[0].lstrip("#"))
    shown = run("show", str(claim_id), "--db", db)
    assert shown.output.startswith(f"#{claim_id}") and "text:" in shown.output

    exported = json.loads(run("export", "--db", db).output)
    assert len(exported["claims"]) == stored and exported["relations"]
    scores = json.loads(run("eval", "--gold", str(SEEDS.parent.parent / "shared" / "seeds" / "gold.json"), "--db", db, "--json").output)
    assert scores["claims"]["predicted"] == stored and scores["quotes_verbatim"] == f"{stored}/{stored}"

    shifts = run("shifts", "--db", db)
    assert "CONTRADICTION" in shifts.output and "former US President" in shifts.output
    finding_id = int(shifts.output.split()[0].lstrip("#"))
    assert "dismissed" in run("review", str(finding_id), "--dismiss", "--by", "ed", "--db", db).output
    assert f"#{finding_id} " not in run("shifts", "--status", "open", "--db", db).output

    timeline = run("timeline", "Lammy", "--db", db).output
    dates = [line.split()[1] for line in timeline.splitlines() if line.startswith("#")]
    assert dates == sorted(dates) and len(dates) >= 10
