"""Errors: misuse of the emulator by a test, and Discord API errors answered to the bot."""

from __future__ import annotations

from typing import Any


class EmulatorError(Exception):
    """A test asked for something Discord would not allow a person to do, or misused the emulator."""


class ApiError(Exception):
    """A Discord REST error: HTTP status plus the JSON body ``{"message", "code"[, "errors"]}``."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {message} (code {code})")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


def unknown(kind: str, code: int) -> ApiError:
    """404 for an unknown resource, e.g. ``unknown("Channel", 10003)``."""
    return ApiError(404, code, f"Unknown {kind}")


def missing_access() -> ApiError:
    return ApiError(403, 50001, "Missing Access")


def missing_permissions() -> ApiError:
    return ApiError(403, 50013, "Missing Permissions")


class FormErrors:
    """Collects field errors into Discord's nested ``Invalid Form Body`` (code 50035) shape."""

    def __init__(self) -> None:
        self.errors: dict[str, Any] = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.errors
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: tuple[str | int, ...], value: Any, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ApiError(400, 50035, "Invalid Form Body", self.errors)
