"""Listeners by kind; each module has a `register(app, ctx)`."""

from . import actions, commands, events, shortcuts


def register(app, ctx) -> None:
    commands.register(app, ctx)
    actions.register(app, ctx)
    events.register(app, ctx)
    shortcuts.register(app, ctx)
