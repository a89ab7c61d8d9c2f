"""An OpenAI-compatible model server at the network edge, and invented articles to feed it."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .fake_slack import send_json

ARTICLES = {
    "a.txt": """title: Harbour plan
published: 2024-03-02
source: Invented Gazette

Mayor Ana Reyes said the city "will open the north harbour to cargo ships by June".
Port director Tom Hale said: "We expect traffic to double within two years."
Reyes added that the council "has no plans to raise harbour fees".
""",
    "b.txt": """title: Harbour plan delayed
published: 2024-05-20
source: Invented Gazette

Mayor Ana Reyes said the north harbour "will not open to cargo ships before next year".
"Fees will have to rise by 10%," Reyes told reporters on Monday.
Tom Hale said: "Traffic is flat and we see no reason to expect growth."
""",
}


def write_articles(folder):
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def slow_model_server():
    """Answers every request after a pause and records how many were in flight at once."""
    state = {"now": 0, "most": 0, "calls": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock:
                state["now"] += 1
                state["calls"] += 1
                state["most"] = max(state["most"], state["now"])
            time.sleep(0.15)
            with lock:
                state["now"] -= 1
            assert body.get("logprobs")
            send_json(self, 200, {"choices": [{"logprobs": {"content": [{"top_logprobs": [
                {"token": "position", "logprob": -0.1}, {"token": "pledge", "logprob": -2.5}]}]}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 1}})

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    httpd.shutdown()
