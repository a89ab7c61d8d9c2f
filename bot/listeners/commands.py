"""`/claims …`: ack at once, answer ephemerally; model work goes to the worker thread."""

from __future__ import annotations

import threading

from claims.errors import ClaimsError

from .. import blocks


def register(app, ctx) -> None:
    @app.command("/claims")
    def claims_command(ack, command, respond, logger):
        ack()
        text = (command.get("text") or "").strip()
        head, _, rest = text.partition(" ")
        sub = head.lower()
        try:
            if sub in ("", "help"):
                respond(blocks.help_message())
            elif sub == "timeline":
                speaker, _, subject = rest.strip().partition(" ")
                if not speaker:
                    respond(blocks.notice("Say whose timeline: `/claims timeline Lammy [subject words]`."))
                    return
                rows = ctx.pipeline.timeline(speaker, subject)
                title = f"Timeline of {speaker}" + (f" on {subject}" if subject else "")
                respond(blocks.search_results(title, rows, {}, shareable=False) if rows else blocks.notice(f"No claims by {speaker}."))
            elif sub == "shifts":
                speaker = rest.strip() or None
                respond(blocks.findings_list(ctx.pipeline.shifts(speaker), "Stance changes" + (f" involving {speaker}" if speaker else "")))
            elif sub == "check":
                if not rest.strip():
                    respond(blocks.notice("Paste the article text after `/claims check`."))
                    return
                submit_check(ctx, rest, respond)
            else:
                query, claims, findings = ctx.pipeline.search(text)
                if query.problems:
                    respond(blocks.notice(" ".join(query.problems) + " See `/claims help`."))
                elif query.empty:
                    respond(blocks.help_message())
                else:
                    respond(blocks.search_results(text, claims, findings, query.notes))
        except ClaimsError as exc:
            respond(blocks.notice(str(exc)))
        except Exception:  # noqa: BLE001 - the user gets a sentence, the log gets the trace
            logger.exception("/claims failed")
            respond(blocks.notice("Something went wrong answering that; the error is in the bot's log."))


def submit_check(ctx, text: str, respond) -> None:
    try:
        ctx.pipeline.pasted_article(text)  # a missing date or a bad header is answered now, not after the queue
    except ClaimsError as exc:
        respond(blocks.notice(f"Could not check that text: {exc}"))
        return
    respond(blocks.notice("Checking… I'll reply here when the model is done."))

    def job(backend):
        title, claims, findings = ctx.pipeline.check_text(backend, text)
        respond(blocks.check_result(title, claims, findings))
        if ctx.alerts:
            threading.Thread(target=ctx.alerts.post_pending, daemon=True).start()

    def failed(exc):
        respond(blocks.notice(f"Could not check that text: {exc}"))

    ctx.worker.submit(job, failed)
