"""The UDP endpoint: receive on its own thread, parse, validate, enqueue; send explicitly typed replies.

Receiving: one thread blocks on a socket with a large receive buffer (UDP drops datagrams when the
receiver falls behind, even on loopback), drops datagrams from sources outside the allow-list unread,
decodes the rest strictly (``bridge.wire``: whole arguments, UTF-8, bundle depth and size limits;
bundle timetags ignored, musical time travels in our arguments), checks and converts each message's
arguments and puts an ``Inbound`` in the engine's ``Inbox`` (one bounded queue per client). Anything
wrong (malformed packet, unknown address, wrong count or type, absurd value) becomes an ``Inbound``
refusal, so the engine answers a registered client; a stranger's refusals stop at the inbox's door,
counted, with at most one log line a second and never a traceback.

Sending: ``encode`` writes OSC messages byte by byte with only ``i``, ``f`` and ``s`` type tags (what
Max and Pd read: Max turns a 64-bit ``d`` into 0, Pd cannot parse it; python-osc alone would pick ``h``
for large ints or ``T``/``N`` for True/None).
"""
from __future__ import annotations

import logging
import math
import socket
import struct
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from bridge import protocol as P
from bridge.access import Allowed, QuietLog
from bridge.bans import Bans
from bridge.inbox import Inbox
from bridge.wire import Malformed, decode

log = logging.getLogger("jamcore.bridge")

RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024
# Arrival times come from the kernel where it stamps datagrams (Linux): a datagram that waited in the
# socket buffer while the receiver was busy (a flood, a checkpoint load holding the interpreter) keeps
# the time it arrived, so a transport report read late is not mistaken for a seek.
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", None)
_MAX_AGE_S = 5.0
MAX_DATAGRAM = 65535
_PATTERN_CHARS = set("*?[]{}")


@dataclass(frozen=True)
class Inbound:
    """One validated message (``reason`` None) or one refusal, with its sender and arrival time."""

    path: str  # the protocol address, or what the sender wrote for a refusal
    sender: tuple[str, int]
    args: tuple[Any, ...]
    arrival: float  # time.monotonic() when the datagram was read
    reason: str | None = None


class Refused(ValueError):
    """An argument list that does not fit the address."""


# ---------------------------------------------------------------------------------------------
# Validation (pure)


def _number(value: Any, name: str) -> float | int:
    # bool is an int in Python: an OSC True/False is not a number here.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused(f"{name} must be a number (int32 or float32), got {_osc_type_name(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Refused(f"{name} must be finite, got {value}")
    return value


def _integral(value: Any, name: str) -> int:
    v = _number(value, name)
    if isinstance(v, float):
        if not v.is_integer():
            raise Refused(f"{name} must be a whole number, got {v:g}")
        v = int(v)
    return v


def _in_range(v: float, name: str, lo: float, hi: float) -> None:
    if not lo <= v <= hi:
        raise Refused(f"{name} must be in {lo:g}..{hi:g}, got {v:g}")


def _osc_type_name(value: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, (bytes, bytearray)):
        return "a blob"
    return type(value).__name__


def check_args(address: P.Address, args: Sequence[Any]) -> tuple[Any, ...]:
    """Check ``args`` against the address's pattern and limits; return them converted (int/float/str)."""
    pattern = address.args
    if not len(pattern) - address.optional <= len(args) <= len(pattern):
        names = ", ".join(address.arg_names) or "none"
        count = str(len(pattern)) if not address.optional else f"{len(pattern) - address.optional}..{len(pattern)}"
        raise Refused(f"expects {count} argument(s) ({names}), got {len(args)}")
    limits = P.LIMITS.get(address.path, {})
    out: list[Any] = []
    for tag, name, value in zip(pattern, address.arg_names, args):
        if tag == "s":
            if not isinstance(value, str):
                raise Refused(f"{name} must be a string, got {_osc_type_name(value)}")
            if not value or len(value) > 256:
                raise Refused(f"{name} must be 1..256 characters")
            out.append(value)
        elif tag == "n":
            lo, hi, integral = limits.get(name, (-math.inf, math.inf, False))
            v = _integral(value, name) if integral else float(_number(value, name))
            _in_range(v, name, lo, hi)
            out.append(v)
        elif tag == "v":
            if isinstance(value, str):
                out.append(value)
            else:
                out.append(_number(value, name))
        else:  # pragma: no cover - the table uses only s, n, v for incoming messages
            raise Refused(f"unsupported pattern {tag!r}")
    if address.path == P.SET.path:
        out[1] = check_setting(out[0], out[1])
    return tuple(out)


def check_setting(key: str, value: Any) -> Any:
    """Validate a ``/jam/set`` value for ``key``; return it converted."""
    if key not in P.SETTING_VALUES:
        raise Refused(f"unknown setting {key!r}; known: {', '.join(P.SETTINGS)}")
    spec = P.SETTING_VALUES[key]
    if isinstance(spec[0], str):  # a list of allowed strings
        if value not in spec:
            raise Refused(f"{key} must be one of {', '.join(spec)}, got {value!r}")
        return value
    lo, hi, integral = spec
    if isinstance(value, str):
        raise Refused(f"{key} must be a number, got string {value!r}")
    v = _integral(value, key) if integral else float(_number(value, key))
    _in_range(v, key, lo, hi)
    return v


# ---------------------------------------------------------------------------------------------
# Encoding (explicit type tags only)


def _osc_string(s: str) -> bytes:
    b = s.encode("utf-8") + b"\0"
    return b + b"\0" * (-len(b) % 4)


def encode(path: str, args: Sequence[Any], tags: str) -> bytes:
    """An OSC message with the given type tags, each ``i`` (int32), ``f`` (float32) or ``s`` (string)."""
    if len(tags) != len(args):
        raise ValueError(f"{path}: {len(args)} args for tags {tags!r}")
    body = b""
    for t, a in zip(tags, args):
        if t == "i":
            a = int(a)
            if not -2**31 <= a < 2**31:
                raise ValueError(f"{path}: {a} does not fit an int32")
            body += struct.pack(">i", a)
        elif t == "f":
            body += struct.pack(">f", float(a))
        elif t == "s":
            body += _osc_string(str(a))
        else:
            raise ValueError(f"{path}: type tag {t!r} is not one of i, f, s")
    return _osc_string(path) + _osc_string("," + tags) + body


def tags_for(address: P.Address, args: Sequence[Any]) -> str:
    """Type tags of an outgoing message from its table pattern (``x*``: zero or more ``x``; ``v``: by
    Python type, int -> ``i``, float -> ``f``, str -> ``s``)."""
    pattern = address.args
    fixed, rep = (pattern[:-2], pattern[-2]) if pattern.endswith("*") else (pattern, None)
    if len(args) < len(fixed) or (rep is None and len(args) > len(fixed)):
        raise ValueError(f"{address.path}: {len(args)} args do not fit pattern {pattern!r}")
    tags = []
    for i, a in enumerate(args):
        t = fixed[i] if i < len(fixed) else rep
        if t == "v":
            t = "s" if isinstance(a, str) else ("i" if isinstance(a, int) and not isinstance(a, bool) else "f")
        tags.append(t)
    return "".join(tags)


def build(address: P.Address, *args: Any) -> bytes:
    """Encode an outgoing protocol message with the tags its table entry prescribes."""
    return encode(address.path, args, tags_for(address, args))


# ---------------------------------------------------------------------------------------------
# The endpoint


class Endpoint:
    """UDP socket + receiver thread. Validated messages and refusals go to ``inbox``.

    ``allowed``: source hosts whose datagrams are read (others are dropped unread, counted, logged at
    most once a second). Every exception while reading a datagram takes the refused-packet path.
    """

    def __init__(self, host: str = P.DEFAULT_HOST, port: int = P.DEFAULT_PORT, inbox: Inbox | None = None,
                 allowed: Callable[[str], bool] | None = None):
        self.inbox: Inbox = inbox if inbox is not None else Inbox(gate=False)
        self.allowed = allowed or Allowed()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        self.sock.bind((host, port))
        self.sock.settimeout(0.2)  # so the thread notices shutdown
        self._stamped = False
        if _SO_TIMESTAMPNS is not None:
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
                self._stamped = True
            except OSError:
                pass
        self.host, self.port = self.sock.getsockname()[:2]
        self.bans = Bans(self.sock)  # a source flooding past the door is dropped by the kernel for a moment
        self.handlers = {address.path: self._handler(address) for address in P.INCOMING}
        self._arrival = 0.0
        self._running = False
        self._thread: threading.Thread | None = None
        self.received = 0
        self.send_errors = 0
        self.sent_bytes = 0
        self.outsiders = QuietLog(log, "dropped datagrams from a source outside --allow")
        self.strangers = QuietLog(log, "ignored messages from senders that did not say /jam/hello",
                                  level=logging.INFO)
        self.refused = QuietLog(log, "refused a datagram")

    # -- receiving
    def start(self) -> None:
        self._running = True
        self._thread = threading.Thread(target=self._loop, name="jamcore-osc-rx", daemon=True)
        self._thread.start()

    def _receive(self) -> tuple[bytes, tuple[str, int], float]:
        """One datagram, its sender, and when it arrived (``time.monotonic()`` clock)."""
        if not self._stamped:
            data, sender = self.sock.recvfrom(MAX_DATAGRAM)
            return data, sender, time.monotonic()
        data, ancillary, _, sender = self.sock.recvmsg(MAX_DATAGRAM, 64)
        now = time.monotonic()
        for level, kind, cdata in ancillary:
            if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(cdata) >= 16:
                sec, nsec = struct.unpack("qq", cdata[:16])
                age = time.time() - (sec + nsec * 1e-9)
                if 0.0 <= age < _MAX_AGE_S:
                    now -= age
        return data, sender, now

    def _loop(self) -> None:
        # The hot path of a flood: a system call and a few lookups per datagram before the door shuts.
        receive, allowed, admit, bans = self._receive, self.allowed, self.inbox.admit, self.bans
        while self._running:
            try:
                data, sender, now = receive()
            except socket.timeout:
                bans.expire(time.monotonic())
                continue
            except OSError as exc:  # e.g. ICMP port unreachable reported on some platforms
                if not self._running:
                    break
                log.debug("receive error: %s", exc)
                continue
            self.received += 1
            bans.expire(now)
            if not allowed(sender[0]):
                self.outsiders.note("%s", sender[0])
                bans.dropped(sender, now)
                continue
            if not admit(sender, data, now):
                bans.dropped(sender, now)
                # Counted by the inbox: a client's flood over its rate (it is told), or a stranger's
                # datagram that is not a hello (nobody is told; one log line a second at most).
                if not self.inbox.is_client(sender):
                    self.strangers.note("%d bytes from %s", len(data), sender, now=now)
                continue
            try:
                self.handle_datagram(data, sender, now)
            except Exception as exc:  # never let one packet end the receiver, nor log a traceback per packet
                self.refused.note("%d bytes from %s: unexpected %s", len(data), sender, type(exc).__name__)

    def handle_datagram(self, data: bytes, sender: tuple[str, int], arrival: float) -> None:
        """Parse one datagram and queue its messages (also used by tests without a socket)."""
        sender = (sender[0], sender[1])
        try:
            messages = decode(data)
        except Exception as exc:  # Malformed, and anything a bug in the decoder might raise
            reason = str(exc) if isinstance(exc, Malformed) else type(exc).__name__
            self.refused.note("%d bytes from %s: %s", len(data), sender, reason, now=arrival)
            self._refuse("", sender, arrival, f"malformed OSC packet ({len(data)} bytes): {reason}")
            return
        self._arrival = arrival
        self.inbox.charge(sender, len(messages))
        for path, args in messages:
            if _PATTERN_CHARS & set(path):
                self._refuse(path, sender, arrival, "address patterns (wildcards) are not accepted")
                continue
            handler = self.handlers.get(path)
            if handler is None:
                self._refuse(path, sender, arrival, "unknown address; see docs/osc.md")
            else:
                handler(sender, path, *args)

    def _handler(self, address: P.Address):
        def handle(sender: tuple[str, int], path: str, *args: Any) -> None:
            try:
                values = check_args(address, args)
            except Refused as exc:
                self._refuse(path, sender, self._arrival, str(exc))
                return None
            if not self.inbox.put(Inbound(address.path, sender, values, self._arrival)):
                self.strangers.note("%s from %s", address.path, sender, now=self._arrival)
            return None

        return handle

    def _refuse(self, path: str, sender: tuple[str, int], arrival: float, reason: str) -> None:
        if not self.inbox.put(Inbound(path[:64], sender, (), arrival, reason)):
            self.strangers.note("refused %s from %s: %s", path[:64] or "packet", sender, reason, now=arrival)

    # -- sending
    def send(self, dest: tuple[str, int], payload: bytes) -> bool:
        """Send one datagram; a failure is counted and logged, never raised (the client may be gone)."""
        try:
            self.sock.sendto(payload, dest)
            self.sent_bytes += len(payload)
            return True
        except OSError as exc:
            self.send_errors += 1
            log.debug("send to %s failed: %s", dest, exc)
            return False

    def close(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        self.sock.close()
