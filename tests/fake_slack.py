"""A fake Slack Web API over real HTTP on loopback, in the spirit of bolt-python's
tests/mock_web_api_server: it records every call and answers like Slack would."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def send_json(handler: BaseHTTPRequestHandler, status: int, answer: dict, headers: dict | None = None) -> None:
    data = json.dumps(answer).encode()
    handler.send_response(status)
    for key, value in {"Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})}.items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(data)


class FakeSlack:
    def __init__(self):
        self.calls: list[tuple[str, dict, float]] = []
        self.rate_limit_next = 0  # answer this many chat.postMessage calls with HTTP 429
        self.retry_after = 1
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                    for key in ("blocks", "view"):
                        if isinstance(body.get(key), str):
                            body[key] = json.loads(body[key])
                path = self.path.strip("/").split("?")[0].removeprefix("api/")
                with fake._lock:
                    if path == "chat.postMessage" and fake.rate_limit_next > 0:
                        fake.rate_limit_next -= 1
                        fake.calls.append(("429:" + path, body, time.monotonic()))
                        send_json(self, 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fake.retry_after)})
                        return
                    fake.calls.append((path, body, time.monotonic()))
                answer = {"ok": True}
                if path == "auth.test":
                    answer.update(user_id="UBOT", bot_id="BBOT", team_id="T1", url="https://fake.slack.com/")
                elif path == "chat.postMessage":
                    answer.update(channel=body.get("channel"), ts=f"{time.time():.6f}")
                elif path == "chat.update":
                    answer.update(channel=body.get("channel"), ts=body.get("ts"))
                send_json(self, 200, answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def named(self, path: str) -> list[dict]:
        return [body for p, body, _t in self.calls if p == path]

    def wait_for(self, path: str, count: int = 1, timeout: float = 30.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.named(path)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {path}, got {len(self.named(path))}: {[c[0] for c in self.calls]}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()
