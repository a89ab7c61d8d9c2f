"""One thread owns the model. Listeners enqueue jobs and return at once; Slack needs ack() in 3 s.

llama.cpp contexts are not thread-safe and two inference threads on 2 cores slow each other down
many times over, so all model work goes through this single queue.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Callable

log = logging.getLogger(__name__)


class ModelWorker:
    def __init__(self, backend_factory: Callable[[], object]):
        self._factory = backend_factory
        self._backend = None
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="claims-model-worker", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[object], None], on_error: Callable[[Exception], None] | None = None) -> None:
        """Run `job(backend)` on the worker thread, later."""
        self._jobs.put((job, on_error))

    def pending(self) -> int:
        return self._jobs.qsize()

    def join(self, timeout: float | None = None) -> None:
        """Wait until every queued job has run (tests and shutdown)."""
        done = threading.Event()
        self._jobs.put((lambda _backend: done.set(), None))
        done.wait(timeout)

    def _run(self) -> None:
        while True:
            job, on_error = self._jobs.get()
            try:
                if self._backend is None:
                    self._backend = self._factory()
                job(self._backend)
            except Exception as exc:  # noqa: BLE001 - a failed job must not kill the worker
                log.exception("model job failed")
                if on_error:
                    try:
                        on_error(exc)
                    except Exception:  # noqa: BLE001
                        log.exception("error callback failed")
