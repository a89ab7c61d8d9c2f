"""Automatic channel posts for change findings: once per finding, throttled, 429-aware.

The ledger's delivery marks are the memory: a finding is reserved there before it is posted, so a
restart or a retried Slack event never posts twice, and a failed post is released again. A 429 is
retried by the client's rate-limit handler (`app.web_client`), which waits as long as Retry-After says.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk.errors import SlackApiError

from claims.ledger import Ledger

from . import blocks

log = logging.getLogger(__name__)
SUMMARY_THRESHOLD = 10
# The table earlier versions kept posted findings in; its rows move into the ledger's deliveries.
LEGACY_TABLE = ("slack_posts", ("finding_id", "channel", "ts", "posted_at"))


class AlertPoster:
    def __init__(self, client, ledger_path, channel: str, min_interval: float = 1.0):
        self.client = client
        self.ledger_path = ledger_path
        self.channel = channel
        self.min_interval = min_interval
        self._last_post = 0.0
        self._lock = threading.Lock()
        self._adopted = False

    def open_ledger(self) -> Ledger:
        ledger = Ledger(self.ledger_path)
        if not self._adopted:
            ledger.adopt_deliveries(*LEGACY_TABLE)
            self._adopted = True
        return ledger

    def unposted(self, ledger: Ledger) -> list[dict]:
        posted = ledger.delivered_finding_ids()
        return [f for f in ledger.findings(status="open", limit=10_000) if f["id"] not in posted]

    def post_pending(self) -> int:
        """Post every change finding not yet posted; many at once become one summary message."""
        with self._lock:
            ledger = self.open_ledger()
            pending = self.unposted(ledger)
            if len(pending) > SUMMARY_THRESHOLD:
                ids = [f["id"] for f in pending]
                if not ledger.reserve_delivery(ids, self.channel):
                    return 0
                ts = self._post(blocks.findings_summary(pending))
                ledger.finish_delivery(ids, ts)
                return 1 if ts else 0
            count = 0
            for finding in pending:
                if not ledger.reserve_delivery([finding["id"]], self.channel):
                    continue
                ts = self._post(blocks.finding_alert(finding))
                ledger.finish_delivery([finding["id"]], ts)
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

    def _post(self, message: dict) -> str | None:
        # Slack allows about one message per second per channel.
        wait = self.min_interval - (time.monotonic() - self._last_post)
        if wait > 0:
            time.sleep(wait)
        try:
            response = self.client.chat_postMessage(channel=self.channel, text=message["text"], blocks=message["blocks"])
            return response.get("ts")
        except SlackApiError as exc:
            log.error("posting alert failed: %s", exc.response.get("error") if exc.response else exc)
            return None
        finally:
            self._last_post = time.monotonic()
