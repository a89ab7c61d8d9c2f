"""Buttons: share search results in the channel; confirm or dismiss a finding."""

from __future__ import annotations

from claims.errors import ClaimsError
from claims.findings import review_finding

from .. import blocks


def register(app, ctx) -> None:
    @app.action("share_results")
    def share_results(ack, action, body, respond):
        ack()
        text = action.get("value", "")
        query, claims, findings = ctx.pipeline.search(text)
        if claims:
            respond(blocks.shared_results(blocks.search_results(text, claims, findings, query.notes), body["user"]["id"]))

    def review(ack, action, body, client, respond, status):
        ack()
        user = body["user"]["id"]
        try:
            finding = review_finding(ctx.pipeline.ledger(), int(action["value"]), status, user)
        except (ClaimsError, ValueError) as exc:
            respond(blocks.notice(f"Could not update that finding: {exc}"))
            return
        message = blocks.finding_alert(finding)
        channel = (body.get("channel") or {}).get("id")
        ts = (body.get("message") or {}).get("ts")
        if channel and ts:
            client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])

    @app.action("finding_confirm")
    def confirm(ack, action, body, client, respond):
        review(ack, action, body, client, respond, "confirmed")

    @app.action("finding_dismiss")
    def dismiss(ack, action, body, client, respond):
        review(ack, action, body, client, respond, "dismissed")
