"""Errors that carry a message meant for the person who can fix the problem."""


class UserError(Exception):
    """Bad input or a state the user can change; `str(exc)` says what went wrong and what to do."""
