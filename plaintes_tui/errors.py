"""Errors a person can act on: shown as one sentence, never as a traceback."""


class UserError(Exception):
    """A mistake in what the user gave us (a file, a date, an option), told in their language."""
