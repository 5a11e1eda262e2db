"""Injected REST failures: the next N requests matching a method and path answer with an error."""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from dataclasses import dataclass

from aiohttp import web

DEFAULT_MESSAGES = {
    400: "400: Bad Request",
    401: "401: Unauthorized",
    403: "403: Forbidden",
    404: "404: Not Found",
    429: "You are being rate limited.",
    500: "500: Internal Server Error",
    502: "502: Bad Gateway",
    503: "503: Service Unavailable",
}
DEFAULT_RETRY_AFTER = 0.1


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    code: int | None
    remaining: int
    retry_after: float | None
    message: str | None

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in ("*", method) and self.pattern.search(path) is not None

    def response(self) -> web.Response:
        """Discord's error body; a 429 also carries ``retry_after`` and the rate-limit headers (with ``Via``,
        without which discord.py takes the 429 for a Cloudflare ban and raises instead of waiting)."""
        body: dict[str, object] = {"message": self.message or DEFAULT_MESSAGES.get(self.status, str(self.status))}
        headers = {"Content-Type": "application/json"}
        if self.status == 429:
            retry = DEFAULT_RETRY_AFTER if self.retry_after is None else self.retry_after
            body.update(retry_after=retry, **{"global": False})
            bucket = hashlib.sha1(f"{self.method} {self.pattern.pattern}".encode()).hexdigest()[:16]
            headers.update({
                "Retry-After": str(math.ceil(retry)),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry:.3f}",
                "X-RateLimit-Reset-After": f"{retry:.3f}",
                "X-RateLimit-Bucket": bucket,
                "X-RateLimit-Scope": "user",
                "Via": "1.1 google",
            })
        body["code"] = self.code if self.code is not None else 0
        return web.Response(status=self.status, body=json.dumps(body).encode(), headers=headers)


class Faults:
    def __init__(self) -> None:
        self.rules: list[Fault] = []

    def add(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        code: int | None = None,
        times: int = 1,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> Fault:
        fault = Fault(method.upper(), re.compile(path_regex), status, code, times, retry_after, message)
        self.rules.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed rule matching this request, using up one of its ``times``."""
        for fault in self.rules:
            if fault.matches(method, path):
                fault.remaining -= 1
                return fault
        return None
