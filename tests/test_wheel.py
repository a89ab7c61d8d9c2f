"""`pip install` of the built wheel, outside the checkout: prompts, schemas and data ship inside it.

The wheel is installed without dependencies into a fresh venv whose path also reaches the
project venv's site-packages (llama-cpp-python and spaCy are not built again); the model server is
an edge, a stub on loopback, as in the parallel-backfill tests."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

from .conftest import ROOT
from .fake_model import write_articles


def run(*args, **kwargs):
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc


def test_the_wheel_works_outside_the_checkout(tmp_path, slow_server):
    url, _state = slow_server
    wheels = tmp_path / "wheels"
    # From a copy without build outputs: pip builds in the source tree, and a stale build/ there
    # would hide a module the package list leaves out.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", "build", "*.egg-info", ".git", "__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source)
    wheel = next(wheels.glob("claims-*.whl"))
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    deps = Path(run(sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "project-deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folder = write_articles(outside / "in")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = run(python, "-c", "import claims, claims.config as c; print(claims.__file__); print(c.load_settings().prompts_dir)",
                cwd=outside, env=env).stdout.split()
    assert str(ROOT) not in where[0] and where[1].endswith("prompt_files")
    db = outside / "ledger.db"
    run(target / "bin" / "claims", "backfill", folder, "--db", db, "--llm-url", url, cwd=outside, env=env)
    exported = json.loads(run(target / "bin" / "claims", "export", "--db", db, cwd=outside, env=env).stdout)
    assert exported["claims"]
    with sqlite3.connect(db) as conn:
        versions = {row[0] for row in conn.execute("select prompt_version from articles")}
    assert versions and all(v and v.startswith("claim-") for v in versions)
