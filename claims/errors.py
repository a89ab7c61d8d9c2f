"""User-facing errors. The CLI turns each into one line on stderr and a non-zero exit."""


class ClaimsError(Exception):
    """Base class: the message is written for the person at the terminal."""


class BadInput(ClaimsError):
    """An article or file that cannot be ingested as it is."""


class ModelUnavailable(ClaimsError):
    """The GGUF file or the HTTP endpoint cannot be used; the message names the fix."""

