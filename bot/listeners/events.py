"""App Home: recent findings and ledger figures."""

from __future__ import annotations

from .. import blocks


def register(app, ctx) -> None:
    @app.event("app_home_opened")
    def home(event, client, logger):
        if event.get("tab", "home") != "home":
            return
        ledger = ctx.pipeline.ledger()
        view = blocks.home_view(ledger.stats(), ctx.pipeline.recent_findings())
        client.views_publish(user_id=event["user"], view=view)
