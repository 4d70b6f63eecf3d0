"""Who may talk to the bridge: the allow-list of source networks, and a log that a flood cannot fill.

The daemon listens on loopback by default, where only this computer's processes reach it. Listening
on another address (Live on another computer) is opt-in: ``--allow CIDR[,CIDR]`` names the networks
whose datagrams are read at all (loopback is always allowed); everything else is dropped unread and
never answered. ``--secret`` adds a shared word that ``/jam/hello`` must carry.
"""
from __future__ import annotations

import ipaddress
import logging
import time

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")


class AccessError(ValueError):
    """A listening address or allow-list that does not make sense (a one-line error for the CLI)."""


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host) in LOOPBACK
    except ValueError:
        return host == "localhost"


def parse_allow(text: str | None) -> tuple[ipaddress.IPv4Network, ...]:
    """``"192.168.1.0/24,10.0.0.7"`` -> networks; empty or None -> none."""
    nets = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            net = ipaddress.ip_network(part, strict=False)
        except ValueError as exc:
            raise AccessError(f"--allow: {part!r} is not an IPv4 address or network ({exc})") from None
        if net.version != 4:
            raise AccessError(f"--allow: {part!r} is not IPv4 (the bridge listens on IPv4 only)")
        nets.append(net)
    return tuple(nets)


def check_exposure(host: str, allow: tuple, secret: str | None) -> str:
    """Refuse a non-loopback listening address without an allow-list; describe what is exposed."""
    if is_loopback(host):
        extra = f"; also allowing {', '.join(map(str, allow))}" if allow else ""
        return f"loopback only (this computer){extra}" + ("; hello needs the shared secret" if secret else "")
    if not allow:
        raise AccessError(f"--host {host} exposes the bridge beyond this computer: say who may reach it with "
                          f"--allow CIDR[,CIDR] (e.g. --allow 192.168.1.0/24), and consider --secret")
    if any(net.prefixlen == 0 for net in allow):
        who = "ANY address (--allow 0.0.0.0/0)"
    else:
        who = ", ".join(map(str, allow))
    return (f"reachable from {who} and loopback; "
            + ("hello needs the shared secret" if secret else "NO shared secret (--secret): anyone there may join"))


class Allowed:
    """The source filter the receiver applies to every datagram before reading it."""

    def __init__(self, allow: tuple = ()):
        self.allow = tuple(allow)
        self._cache: dict[str, bool] = {}

    def __call__(self, host: str) -> bool:
        ok = self._cache.get(host)
        if ok is None:
            try:
                ip = ipaddress.ip_address(host)
                ok = ip in LOOPBACK or any(ip in net for net in self.allow)
            except ValueError:
                ok = False
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[host] = ok
        return ok


class QuietLog:
    """At most one line per ``every`` seconds for one kind of event, with the count since the last line:
    a flood of bad datagrams costs a line a second, not one per datagram."""

    def __init__(self, logger: logging.Logger, what: str, every: float = 1.0, level: int = logging.WARNING):
        self.log, self.what, self.every, self.level = logger, what, every, level
        self._last = -1e9
        self._count = 0
        self.total = 0

    def note(self, fmt: str, *args, now: float | None = None) -> None:
        """Count one event; log ``fmt % args`` if the last line is ``every`` seconds old (the message is
        only formatted then: a flood pays for a count)."""
        now = time.monotonic() if now is None else now
        self._count += 1
        self.total += 1
        if now - self._last >= self.every:
            more = f" (and {self._count - 1} more in the last {now - self._last:.0f} s)" if \
                self._count > 1 and self._last > 0 else ""
            self.log.log(self.level, "%s: %s%s", self.what, fmt % args, more)
            self._last, self._count = now, 0
