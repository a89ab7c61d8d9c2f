"""The OpenAI-compatible backend against a local fake server (the model server is an edge)."""

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.errors import ModelUnavailable
from claims.http_backend import HttpBackend

from .fake_slack import send_json


@pytest.fixture
def server():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, body))
            if body.get("logprobs"):
                answer = {"choices": [{"logprobs": {"content": [{"top_logprobs": [
                    {"token": "shift", "logprob": -0.2}, {"token": "consistent", "logprob": -1.8}]}]}}],
                    "usage": {"prompt_tokens": 40, "completion_tokens": 1}}
            else:
                answer = {"choices": [{"message": {"content": '{"subject": "peace talks"}'}}],
                          "usage": {"prompt_tokens": 50, "completion_tokens": 7}}
            send_json(self, 200, answer)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()


def test_classify_reads_top_logprobs_and_sends_schema(server):
    url, seen = server
    backend = HttpBackend(url)
    probs = backend.classify([{"role": "user", "content": "x"}], ["consistent", "shift", "unrelated"])
    assert max(probs, key=probs.get) == "shift"
    assert math.isclose(sum(math.exp(v) for v in probs.values()), 1.0, rel_tol=1e-6)
    schema = {"type": "object", "properties": {"subject": {"type": "string"}}}
    assert json.loads(backend.generate_json([{"role": "user", "content": "x"}], schema)) == {"subject": "peace talks"}
    path, body = seen[-1]
    assert path == "/v1/chat/completions" and body["json_schema"] == schema and body["temperature"] == 0
    assert backend.usage.prompt_tokens == 90 and backend.usage.generated_tokens == 8


def test_unreachable_server_is_one_clear_error():
    backend = HttpBackend("http://127.0.0.1:9", timeout=2)
    with pytest.raises(ModelUnavailable, match="unreachable.*CLAIMS_LLM_URL"):
        backend.classify([{"role": "user", "content": "x"}], ["a", "b"])
