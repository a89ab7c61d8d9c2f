"""The code's layout, checked: SQL only behind the ledger, no Slack in the core, modules a reader
can hold in mind. A change that breaks one of these fails here, not in a later review."""

import re

import pytest

from .conftest import ROOT

SQL = re.compile(r"execute\(|\.db\[|\.db\.query\(")
SLACK = re.compile(r"slack_|SLACK_|import slack|from slack|from bot|import bot")
MAX_LINES = 300


def sources(*folders):
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sources("claims", "bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_only_inside_the_ledger_package(path):
    if path.is_relative_to(ROOT / "claims" / "ledger"):
        return
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if SQL.search(line)]
    assert not hits, f"SQL outside claims/ledger/ at lines {hits}"


def test_the_core_never_mentions_slack():
    hits = [f"{p.relative_to(ROOT)}:{n}" for p in sources("claims")
            for n, line in enumerate(p.read_text().splitlines(), 1) if SLACK.search(line)]
    assert not hits


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {str(p.relative_to(ROOT)): n for p in sources("claims", "bot") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long


def test_the_checks_above_can_fail(tmp_path):
    # The patterns find what they are meant to find.
    assert SQL.search('ledger.db.execute("select 1")') and SQL.search('self.db["findings"].insert({})')
    assert SLACK.search("from slack_sdk import WebClient") and SLACK.search("settings.slack_bot_token")
