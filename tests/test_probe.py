"""The reliability probe's fast cases, run as an operator would run them (real CLI subprocesses)."""

import subprocess
import sys

from .conftest import ROOT


def test_probe_fast_cases_pass(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "probe_reliability"), "--fast", "--keep", str(tmp_path / "probe")],
                          capture_output=True, text=True, timeout=600)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert proc.returncode == 0 and len(lines) >= 7, proc.stdout + proc.stderr[-2000:]
    assert not [line for line in lines if line.startswith("FAIL")]
