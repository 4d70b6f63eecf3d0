"""Floods dropped by the kernel: a socket filter that refuses, for a moment, a source that floods.

The door (``bridge.inbox``) drops what a sender sends beyond its rate, but only after the receiver has
read the datagram: a system call and some Python for each, on a thread that shares the interpreter
lock with the engine. At 20,000 datagrams a second that is a core of work, and the engine's model
steps take 35-50 % longer while it goes on (measured: docs/reliability.md). So a single source (host
and port) whose datagrams were dropped unread more than ``BAN_AFTER`` times within a second is refused
by the kernel, with a classic BPF socket filter on the listening socket, until ``BAN_S`` has passed;
then it is heard again (a device that sent a burst by mistake recovers, a flood is banned again within
``BAN_AFTER`` datagrams). At most ``MAX_BANS`` sources at once (beyond that, the door alone).

Linux only (``SO_ATTACH_FILTER``), IPv4 sockets; elsewhere ``Bans`` counts and never filters. Used by
the receiver thread only.
"""
from __future__ import annotations

import ctypes
import logging
import socket
import struct
import sys

from bridge.access import QuietLog

log = logging.getLogger("jamcore.bridge")

BAN_AFTER = 500  # datagrams of one source dropped unread within a second (the door already refused them)
BAN_S = 1.0
MAX_BANS = 32
_SO_ATTACH_FILTER = 26
_SO_DETACH_FILTER = 27
_SKF_NET_OFF = -0x100000  # offsets from the IP header (a UDP socket's filter starts at the UDP header)
_LD_W_ABS, _LD_H_ABS, _JEQ_K, _RET_K = 0x20, 0x28, 0x15, 0x06
_ACCEPT, _DROP = 0xFFFFFFFF, 0


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


def filter_program(banned) -> bytes:
    """Classic BPF: drop datagrams whose IPv4 source and UDP source port are one of ``banned``
    ((host, port) pairs, at most 63), accept the rest."""
    banned = list(banned)
    n = len(banned)
    if n > 63:
        raise ValueError("at most 63 sources in one filter")
    out = []
    for i, (host, port) in enumerate(banned):
        ip = int.from_bytes(socket.inet_aton(host), "big")
        out += [_insn(_LD_W_ABS, 0, 0, _SKF_NET_OFF + 12),  # the IPv4 source address
                _insn(_JEQ_K, 0, 2, ip),
                _insn(_LD_H_ABS, 0, 0, 0),  # the UDP source port
                _insn(_JEQ_K, 4 * (n - i) - 3, 0, port)]  # to the drop at the end
    out += [_insn(_RET_K, 0, 0, _ACCEPT), _insn(_RET_K, 0, 0, _DROP)]
    return b"".join(out)


def attach(sock: socket.socket, banned) -> None:
    """Put the filter for ``banned`` on ``sock`` (no sources: take any filter off)."""
    banned = list(banned)
    if not banned:
        sock.setsockopt(socket.SOL_SOCKET, _SO_DETACH_FILTER, 0)
        return
    program = filter_program(banned)
    buf = ctypes.create_string_buffer(program, len(program))  # alive for the call: the kernel copies it
    fprog = struct.pack("HxxxxxxQ" if struct.calcsize("P") == 8 else "HxxI", len(program) // 8,
                        ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, _SO_ATTACH_FILTER, fprog)


class Bans:
    """Counts the datagrams dropped unread per source and bans a flooding source in the kernel."""

    def __init__(self, sock: socket.socket, after: int = BAN_AFTER, seconds: float = BAN_S,
                 max_bans: int = MAX_BANS):
        self.sock, self.after, self.seconds, self.max_bans = sock, after, seconds, max_bans
        self.enabled = sock.family == socket.AF_INET and sys.platform.startswith("linux")
        self._window = 0.0
        self._counts: dict[tuple[str, int], int] = {}
        self.banned: dict[tuple[str, int], float] = {}  # source -> when its ban ends
        self._next_end = float("inf")  # the earliest end of a ban
        self.bans = 0  # sources banned so far
        self._log = QuietLog(log, "flooding source dropped by the kernel", level=logging.INFO)

    def dropped(self, sender: tuple[str, int], now: float) -> None:
        """A datagram of ``sender`` was dropped unread."""
        if now - self._window >= 1.0:
            self._window, self._counts = now, {}
        n = self._counts.get(sender, 0) + 1
        self._counts[sender] = n
        if n == self.after and self.enabled and sender not in self.banned and len(self.banned) < self.max_bans:
            self.banned[sender] = now + self.seconds
            self._next_end = min(self._next_end, now + self.seconds)
            self.bans += 1
            self._apply()
            if self.enabled:
                self._log.note("%s (over %d datagrams dropped in a second) for %g s", sender, self.after,
                               self.seconds, now=now)

    def expire(self, now: float) -> None:
        """Lift the bans whose time has passed (the receiver calls it for every datagram and timeout)."""
        if now >= self._next_end:
            self.banned = {s: end for s, end in self.banned.items() if end > now}
            self._next_end = min(self.banned.values(), default=float("inf"))
            self._apply()

    def _apply(self) -> None:
        try:
            attach(self.sock, self.banned)
        except OSError:
            self.enabled = False  # no socket filters here: the door alone
            self.banned, self._next_end = {}, float("inf")
