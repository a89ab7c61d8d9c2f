"""`backfill --workers N`: several model requests in flight, one writer, the same ledger as a
sequential run. The model server is an edge: a recording fake for the concurrency, and
llama-cpp-python's real OpenAI-compatible server with the GGUF for the results."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from claims.cli import cli

from .fake_model import write_articles

def exported(runner, db):
    result = runner.invoke(cli, ["export", "--db", str(db), "--no-relations"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("workers,most", [(1, 1), (3, 3)])
def test_workers_put_that_many_requests_in_flight(tmp_path, slow_server, workers, most):
    url, state = slow_server
    folder = write_articles(tmp_path / "in")
    db = tmp_path / f"w{workers}.db"
    result = CliRunner().invoke(cli, ["backfill", str(folder), "--db", str(db), "--llm-url", url,
                                      "--workers", str(workers), "--no-check"])
    assert result.exit_code == 0, result.output
    assert state["most"] == most
    claims = exported(CliRunner(), db)["claims"]
    assert len(claims) >= 4 and state["calls"] == len(claims) + 1  # one question a claim, one calibration


def test_workers_without_a_model_server_is_a_usage_error(tmp_path):
    folder = write_articles(tmp_path / "in")
    result = CliRunner().invoke(cli, ["backfill", str(folder), "--db", str(tmp_path / "x.db"), "--workers", "2"])
    assert result.exit_code == 2 and "needs a model server" in result.output
    assert not (tmp_path / "x.db").exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server():
    """llama-cpp-python's OpenAI-compatible server with the embedded GGUF, on loopback."""
    pytest.importorskip("llama_cpp.server.app", reason="llama-cpp-python[server] is not installed (`.[dev]` has it)")
    from claims import model_store
    from claims.config import load_settings
    from claims.errors import ModelUnavailable

    settings = load_settings()
    try:
        path = model_store.resolve_model_path(settings.cache_dir, settings.model_name, settings.model_path)
    except ModelUnavailable as exc:
        pytest.skip(f"no model here ({exc}); `./scripts/setup` fetches it, as CI does")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "4096", "--n_threads", "1", "--n_threads_batch", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/v1/models", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("llama-cpp-python's server did not start")
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.model
def test_parallel_backfill_on_a_real_server_matches_a_sequential_one(tmp_path, llama_server):
    folder = write_articles(tmp_path / "in")
    runner = CliRunner()
    ledgers = {}
    for workers in (1, 3):
        db = tmp_path / f"w{workers}.db"
        result = runner.invoke(cli, ["backfill", str(folder), "--db", str(db), "--llm-url", llama_server,
                                     "--workers", str(workers)])
        assert result.exit_code == 0, result.output
        ledgers[workers] = exported(runner, db)
    assert ledgers[1]["claims"] and ledgers[1] == ledgers[3]
