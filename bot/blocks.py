"""Block Kit messages as pure functions: dicts in, dicts out, always with a `text` fallback.

Slack's limits are enforced here, not by hoping: at most 50 blocks per message and 3000 characters
per section text.
"""

from __future__ import annotations

MAX_BLOCKS = 50
MAX_SECTION = 3000
RELATION_LABELS = {
    "shift": "Stance shift",
    "contradiction": "Contradiction",
    "figure_change": "Changed figure",
    "consistent": "Consistent",
}


def clip(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, MAX_SECTION)}]}


def escape(text: str) -> str:
    """Slack mrkdwn needs &, < and > escaped; anything else from an article is shown as is."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def source_link(title: str | None, url: str | None, article_id: str) -> str:
    label = escape(title or f"article {article_id}")
    if url:
        return f"<{url}|{clip(label, 120)}>"
    return f"{clip(label, 120)} (article {escape(article_id)})"


def claim_text(claim: dict) -> str:
    role = f", {escape(claim['speaker_role'])}" if claim.get("speaker_role") else ""
    head = f"*{escape(claim['speaker'])}*{role} · {claim['date']} · _{claim['kind']}_"
    quote = f">{escape(clip(claim['quote'], 1200))}"
    src = source_link(claim.get("article_title"), claim.get("article_url"), claim["article_id"])
    return f"{head}\n{quote}\n{src}"


def finding_line(finding: dict, claim_id: int) -> str:
    other = "b" if finding["claim_a"] == claim_id else "a"
    label = RELATION_LABELS.get(finding["relation"], finding["relation"])
    return (f"{label} ({finding['confidence']:.2f}, {finding['status']}) vs {escape(finding[other + '_speaker'])} "
            f"on {finding[other + '_date']}: “{escape(clip(finding[other + '_quote'], 160))}”")


def search_results(query_text: str, claims: list[dict], findings: dict[int, list[dict]], notes: list[str] | None = None,
                   shareable: bool = True) -> dict:
    """The ephemeral answer to `/claims QUERY`."""
    blocks: list[dict] = []
    if notes:
        blocks.append(context(" ".join(escape(n) for n in notes)))
    if not claims:
        text = f"No claims match “{clip(query_text, 200)}”. Try fewer words, or `/claims help`."
        blocks.append(section(escape(text)))
        return {"response_type": "ephemeral", "text": text, "blocks": blocks}
    text = f"{len(claims)} claim(s) for “{clip(query_text, 200)}”"
    blocks.append(section(f"*{escape(text)}*"))
    # Each claim takes up to three blocks; keep room for the header and the share button.
    for claim in claims[: (MAX_BLOCKS - 4) // 3]:
        blocks.append(section(claim_text(claim)))
        related = findings.get(claim["id"], [])
        if related:
            blocks.append(context("\n".join(finding_line(f, claim["id"]) for f in related[:5])))
        blocks.append({"type": "divider"})
    if shareable:
        blocks.append({
            "type": "actions",
            "elements": [{
                "type": "button", "action_id": "share_results", "text": {"type": "plain_text", "text": "Share in channel"},
                "value": clip(query_text, 1900),
            }],
        })
    return {"response_type": "ephemeral", "text": text, "blocks": blocks[:MAX_BLOCKS]}


def shared_results(payload: dict, user_id: str) -> dict:
    """A copy of search results for the channel, without the share button."""
    blocks = [b for b in payload["blocks"] if b.get("type") != "actions"]
    blocks.append(context(f"Shared by <@{user_id}>"))
    return {"response_type": "in_channel", "text": payload["text"], "blocks": blocks[:MAX_BLOCKS],
            "replace_original": False}


def finding_alert(finding: dict) -> dict:
    """The automatic post for a change finding, with Confirm/Dismiss buttons."""
    label = RELATION_LABELS.get(finding["relation"], finding["relation"])
    who = finding["b_speaker"] if finding["a_speaker"] == finding["b_speaker"] else f"{finding['a_speaker']} → {finding['b_speaker']}"
    text = f"{label}: {who} ({finding['a_date']} → {finding['b_date']})"
    blocks = [
        section(f"*{escape(text)}*\n{escape(clip(finding['explanation'], 800))}"),
        section(_side(finding, "a")),
        section(_side(finding, "b")),
        context(f"Confidence {finding['confidence']:.2f} · method {finding['method']} · finding #{finding['id']}"),
    ]
    if finding["status"] == "open":
        blocks.append({
            "type": "actions", "block_id": f"review_{finding['id']}",
            "elements": [
                {"type": "button", "action_id": "finding_confirm", "style": "primary", "value": str(finding["id"]),
                 "text": {"type": "plain_text", "text": "Confirm"}},
                {"type": "button", "action_id": "finding_dismiss", "style": "danger", "value": str(finding["id"]),
                 "text": {"type": "plain_text", "text": "Dismiss"}},
            ],
        })
    else:
        by = f" by <@{finding['reviewed_by']}>" if finding.get("reviewed_by") else ""
        blocks.append(context(f"*{finding['status'].capitalize()}*{by}"))
    return {"text": text, "blocks": blocks}


def _side(finding: dict, side: str) -> str:
    role = f", {escape(finding[side + '_role'])}" if finding.get(side + "_role") else ""
    src = source_link(finding.get(side + "_title"), finding.get(side + "_url"), finding[side + "_article"])
    return (f"*{finding[side + '_date']}* · {escape(finding[side + '_speaker'])}{role}\n"
            f">{escape(clip(finding[side + '_quote'], 1200))}\n{src}")


def findings_summary(findings: list[dict], shown: int = 10) -> dict:
    """One message for many findings (e.g. after a large offline backfill)."""
    text = f"{len(findings)} new stance changes found while the bot was away"
    lines = [
        f"• #{f['id']} {RELATION_LABELS.get(f['relation'], f['relation'])}: {escape(f['b_speaker'])} "
        f"({f['a_date']} → {f['b_date']})" for f in findings[:shown]
    ]
    if len(findings) > shown:
        lines.append(f"…and {len(findings) - shown} more: run `claims shifts` or `/claims shifts`.")
    return {"text": text, "blocks": [section(f"*{escape(text)}*"), section("\n".join(lines))]}


def findings_list(findings: list[dict], title: str) -> dict:
    if not findings:
        return {"response_type": "ephemeral", "text": f"{title}: none", "blocks": [section(escape(f"{title}: none"))]}
    blocks = [section(f"*{escape(title)}*")]
    for f in findings[: (MAX_BLOCKS - 1) // 2]:
        alert = finding_alert({**f, "status": "reviewed" if f["status"] != "open" else "listed"})
        blocks.append(alert["blocks"][0])
        blocks.append(context(f"{escape(f['a_speaker'])} {f['a_date']}: “{escape(clip(f['a_quote'], 200))}”\n"
                              f"{escape(f['b_speaker'])} {f['b_date']}: “{escape(clip(f['b_quote'], 200))}”"))
    return {"response_type": "ephemeral", "text": title, "blocks": blocks[:MAX_BLOCKS]}


def help_message() -> dict:
    text = (
        "*/claims* answers from the claim ledger.\n"
        "• `/claims Putin negotiations` — best-matching claims, with any shifts found\n"
        "• filters: `speaker:Lammy` `since:2025-01-01` `until:2025-12-31` `kind:pledge`\n"
        "• `/claims timeline Lammy [subject words]` — what a speaker said, oldest first\n"
        "• `/claims shifts [speaker]` — stance shifts, contradictions and changed figures\n"
        "• `/claims check <article text>` — extract and check pasted text\n"
        "• `/claims help` — this message"
    )
    return {"response_type": "ephemeral", "text": "How to use /claims", "blocks": [section(text)]}


def notice(text: str) -> dict:
    return {"response_type": "ephemeral", "text": text, "blocks": [section(escape(text))]}


def check_result(title: str, claims: list[dict], findings: list[dict]) -> dict:
    if not claims:
        return notice(f"{title}: no attributable claims found.")
    blocks = [section(f"*{escape(title)}: {len(claims)} claim(s), {len(findings)} change finding(s)*")]
    for claim in claims[:20]:
        blocks.append(section(claim_text(claim)))
    for f in findings[:10]:
        blocks.append(context(f"{RELATION_LABELS.get(f['relation'], f['relation'])}: {escape(clip(f['explanation'], 500))}"))
    return {"response_type": "ephemeral", "text": f"{title}: {len(claims)} claims", "blocks": blocks[:MAX_BLOCKS]}


def home_view(stats: dict, findings: list[dict]) -> dict:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Claim ledger"}},
        section(f"*{stats['articles']}* articles · *{stats['claims']}* claims · *{stats['speakers']}* speakers · "
                f"*{stats['open_changes']}* open changes"),
        {"type": "divider"},
        section("*Recent findings*" if findings else "_No stance changes recorded yet._"),
    ]
    for f in findings[:12]:
        label = RELATION_LABELS.get(f["relation"], f["relation"])
        blocks.append(section(
            f"*{label}* · {escape(f['b_speaker'])} ({f['a_date']} → {f['b_date']}) · _{f['status']}_\n"
            f"{escape(clip(f['explanation'], 400))}"
        ))
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}
