"""The review server's guards: requests only for a loopback host name (no DNS rebinding), a CSRF token on every
form post (random per server, compared in constant time; the pages that carry it are only readable same-origin),
and files served only from inside OUTDIR."""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]"}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def host_ok(host_header: str | None, allowed: set[str]) -> bool:
    """The Host header names the server by a name it was started for (loopback names by default)."""
    if not host_header:
        return False
    name = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    return name.lower() in allowed


def loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    import ipaddress

    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def inside(outdir: Path, relative: str) -> Path | None:
    """``relative`` resolved under ``outdir``, or None when it points outside (``..``, absolute, symlinks)."""
    if not relative or "\x00" in relative:
        return None
    root = outdir.resolve()
    target = (root / relative).resolve()
    return target if target.is_relative_to(root) and target != root else None
