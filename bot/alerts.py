"""Automatic channel posts for change findings: once per finding, throttled, 429-aware.

The `slack_posts` table is the memory: a finding is claimed there (insert before post) so a
restart or a retried Slack event never posts twice, and a failed post is released again.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk.errors import SlackApiError

from claims.findings import list_findings
from claims.ledger import Ledger, now

from . import blocks

log = logging.getLogger(__name__)
SUMMARY_THRESHOLD = 10


class AlertPoster:
    def __init__(self, client, ledger_path, channel: str, min_interval: float = 1.0, max_retries: int = 3):
        self.client = client
        self.ledger_path = ledger_path
        self.channel = channel
        self.min_interval = min_interval
        self.max_retries = max_retries
        self._last_post = 0.0
        self._lock = threading.Lock()

    def unposted(self, ledger: Ledger) -> list[dict]:
        posted = {r[0] for r in ledger.db.execute("select finding_id from slack_posts").fetchall()}
        return [f for f in list_findings(ledger, status="open", limit=10_000) if f["id"] not in posted]

    def post_pending(self) -> int:
        """Post every change finding not yet posted; many at once become one summary message."""
        with self._lock:
            ledger = Ledger(self.ledger_path)
            pending = self.unposted(ledger)
            if len(pending) > SUMMARY_THRESHOLD:
                if not self._claim(ledger, [f["id"] for f in pending]):
                    return 0
                message = blocks.findings_summary(pending)
                ts = self._post(message)
                self._record(ledger, [f["id"] for f in pending], ts)
                return 1 if ts else 0
            count = 0
            for finding in pending:
                if not self._claim(ledger, [finding["id"]]):
                    continue
                ts = self._post(blocks.finding_alert(finding))
                self._record(ledger, [finding["id"]], ts)
                count += bool(ts)
            return count

    def run_forever(self, interval: float = 60.0, stop: threading.Event | None = None) -> None:
        """Post now, then every `interval` seconds: findings from a CLI backfill that runs while
        the bot is up reach the channel too."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                self.post_pending()
            except Exception:  # noqa: BLE001 - a failed round must not stop later ones
                log.exception("posting pending alerts failed")
            stop.wait(interval)

    def _claim(self, ledger: Ledger, ids: list[int]) -> bool:
        try:
            with ledger.transaction():
                for fid in ids:
                    ledger.db.execute(
                        "insert into slack_posts (finding_id, channel, ts, posted_at) values (?, ?, null, null)",
                        [fid, self.channel],
                    )
            return True
        except Exception:  # noqa: BLE001 - unique key taken: someone else posts it
            return False

    def _record(self, ledger: Ledger, ids: list[int], ts: str | None) -> None:
        for fid in ids:
            if ts:
                ledger.db.execute("update slack_posts set ts = ?, posted_at = ? where finding_id = ?", [ts, now(), fid])
            else:
                ledger.db.execute("delete from slack_posts where finding_id = ? and ts is null", [fid])

    def _post(self, message: dict) -> str | None:
        for _attempt in range(self.max_retries + 1):
            wait = self.min_interval - (time.monotonic() - self._last_post)
            if wait > 0:
                time.sleep(wait)
            try:
                response = self.client.chat_postMessage(channel=self.channel, text=message["text"], blocks=message["blocks"])
                self._last_post = time.monotonic()
                return response.get("ts")
            except SlackApiError as exc:
                self._last_post = time.monotonic()
                if exc.response is not None and exc.response.status_code == 429:
                    retry_after = float(exc.response.headers.get("Retry-After", exc.response.headers.get("retry-after", 1)))
                    log.warning("Slack rate limit; waiting %.1f s", retry_after)
                    time.sleep(retry_after)
                    continue
                log.error("posting alert failed: %s", exc.response.get("error") if exc.response else exc)
                return None
        return None

