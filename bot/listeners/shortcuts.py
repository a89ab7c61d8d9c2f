"""Message shortcut "Check this article": extract and check the message's text."""

from __future__ import annotations

from .. import blocks
from .commands import submit_check


def register(app, ctx) -> None:
    @app.shortcut("check_article")
    def check_article(ack, shortcut, respond):
        ack()
        text = (shortcut.get("message") or {}).get("text", "").strip()
        if not text:
            respond(blocks.notice("That message has no text to check."))
            return
        submit_check(ctx, text, respond)
