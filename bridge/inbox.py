"""The engine's inbox: one bounded queue per registered client, and a small one for strangers.

The receiver thread asks ``admit`` before it even decodes a datagram (the door): a registered client
may send ``DOOR_RATE`` datagrams a second (bursts of ``DOOR_BURST``; a device needs a few dozen; a
bundle counts once per message in it), more are dropped unread and counted; a stranger's datagram is read only if it is a ``/jam/hello`` (alone or first in a bundle) or a
``/jam/ping`` (the device's launcher asks whether a bridge is here)
(``STRANGER_HELLO_RATE`` a second from one socket, ``HELLO_RATE`` from all strangers together,
hellos and pings alike) or one
of the ``FOLLOW_UPS`` datagrams after a hello of its own that is still waiting for the engine. So a
flood costs the receiver a system call and a dictionary lookup per datagram, whoever sends it.

The receiver thread puts, the engine takes. Drop policy: a client's queue holds at most
``PER_CLIENT`` messages; when a flood fills it, the oldest message goes (what a late transport or note
is worth least), and the drop is counted for the engine to tell that client (``take_dropped``).
A sender that has not said hello (a stranger) gets no queue: its ``/jam/hello`` waits in a shared
queue of ``STRANGERS`` entries (oldest dropped first), together with what the same sender sent right
after its hello (before the engine registered it); anything else from it is counted and dropped here,
at no cost to the engine. ``gate=False`` (tests that feed an endpoint by hand) keeps strangers'
messages too.
"""
from __future__ import annotations

import queue
import threading
from collections import OrderedDict, deque
from typing import TYPE_CHECKING

from bridge import protocol as P

if TYPE_CHECKING:
    from bridge.server import Inbound

PER_CLIENT = 512
STRANGERS = 64
DOOR_RATE = 1000.0  # datagrams a second from one client
DOOR_BURST = 500.0
HELLO_RATE = 200.0  # hellos a second from all strangers together (bursts of as many)
STRANGER_HELLO_RATE = 2.0  # hellos a second from one stranger socket (bursts of 4): devices retry every 3 s
FOLLOW_UPS = 8  # datagrams read from a stranger right after its hello, before the engine registers it
STRANGER_BUCKETS = 1024  # stranger sockets remembered for their hello rate (the oldest forgotten)
_HELLO_PREFIX = P.HELLO.path.encode() + b"\0"
_STRANGER_PREFIXES = (_HELLO_PREFIX, P.PING.path.encode() + b"\0")  # what a stranger may send: hello, ping
_BUNDLE = b"#bundle\0"  # a hello may come first in a bundle (liblo's oscsendfile sends bundles)


class Inbox:
    def __init__(self, per_client: int = PER_CLIENT, strangers: int = STRANGERS, gate: bool = True):
        self.per_client = per_client
        self.gate = gate
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._queues: dict[tuple[str, int], deque] = {}
        self._strangers: deque = deque()
        self._strangers_cap = strangers
        self._hello_waiting: dict[tuple[str, int], int] = {}  # stranger -> hellos in the stranger queue
        self._dropped: dict[tuple[str, int], int] = {}
        self.stranger_drops = 0  # strangers' messages dropped (not a hello, or the queue was full)
        self._buckets: dict[tuple[str, int], list[float]] = {}  # sender -> [tokens, last refill]
        self._door_drops: dict[tuple[str, int], int] = {}  # written by the receiver only, read by take_dropped
        self._hello_bucket = [HELLO_RATE, 0.0]
        self._stranger_buckets: OrderedDict[tuple[str, int], list[float]] = OrderedDict()
        self._follow_ups: dict[tuple[str, int], int] = {}  # stranger -> datagrams it may still send

    # -- the door (receiver thread only)
    def admit(self, sender: tuple[str, int], data: bytes, now: float) -> bool:
        """Whether to read this datagram at all (see the module docstring)."""
        if not self.gate:
            return True
        if sender in self._queues:
            bucket = self._buckets.get(sender)
            if bucket is None:
                bucket = self._buckets[sender] = [DOOR_BURST, now]
            if self._take_token(bucket, now, DOOR_RATE, DOOR_BURST):
                return True
            self._door_drops[sender] = self._door_drops.get(sender, 0) + 1  # (no lock: the receiver's own)
            return False
        if data.startswith(_STRANGER_PREFIXES) or (data.startswith(_BUNDLE) and data.startswith(_HELLO_PREFIX, 20)):
            bucket = self._stranger_buckets.get(sender)
            if bucket is None:
                bucket = self._stranger_buckets[sender] = [4.0, now]
                if len(self._stranger_buckets) > STRANGER_BUCKETS:
                    self._stranger_buckets.popitem(last=False)
            if self._take_token(bucket, now, STRANGER_HELLO_RATE, 4.0) and \
                    self._take_token(self._hello_bucket, now, HELLO_RATE, HELLO_RATE):
                self._follow_ups[sender] = FOLLOW_UPS
                if len(self._follow_ups) > STRANGER_BUCKETS:
                    self._follow_ups.pop(next(iter(self._follow_ups)))
                return True
        else:
            left = self._follow_ups.get(sender, 0)
            if left > 0:
                self._follow_ups[sender] = left - 1
                return True
        self.stranger_drops += 1
        return False

    def charge(self, sender: tuple[str, int], messages: int) -> None:
        """A bundle of ``messages`` counts as that many datagrams against its client's rate (the bucket
        may go below zero: the client's next datagrams wait for it to refill)."""
        bucket = self._buckets.get(sender)
        if bucket is not None and messages > 1:
            bucket[0] -= messages - 1

    @staticmethod
    def _take_token(bucket: list[float], now: float, rate: float, burst: float) -> bool:
        tokens = min(burst, bucket[0] + (now - bucket[1]) * rate)
        bucket[1] = now
        if tokens < 1.0:
            bucket[0] = tokens
            return False
        bucket[0] = tokens - 1.0
        return True

    # -- the receiver's side
    def put(self, msg: "Inbound") -> bool:
        """Queue a message; False if it was dropped at the door (a stranger's non-hello)."""
        with self._lock:
            q = self._queues.get(msg.sender)
            if q is not None:
                if len(q) >= self.per_client:
                    q.popleft()
                    self._dropped[msg.sender] = self._dropped.get(msg.sender, 0) + 1
                q.append(msg)
            else:
                hello = msg.path == P.HELLO.path and msg.reason is None
                probe = msg.path == P.PING.path and msg.reason is None  # "is a bridge here?"
                if self.gate and not hello and not probe and msg.sender not in self._hello_waiting \
                        and msg.sender not in self._follow_ups:  # (admitted as a follow-up of its hello)
                    self.stranger_drops += 1
                    return False
                if len(self._strangers) >= self._strangers_cap:
                    self._forget_stranger(self._strangers.popleft())
                    self.stranger_drops += 1
                self._strangers.append(msg)
                if hello:
                    self._hello_waiting[msg.sender] = self._hello_waiting.get(msg.sender, 0) + 1
        self._wake.set()
        return True

    def _forget_stranger(self, msg: "Inbound") -> None:
        n = self._hello_waiting.get(msg.sender, 0)
        if msg.path == P.HELLO.path and msg.reason is None and n:
            if n == 1:
                del self._hello_waiting[msg.sender]
            else:
                self._hello_waiting[msg.sender] = n - 1

    # -- the engine's side
    def register(self, sender: tuple[str, int]) -> None:
        with self._lock:
            self._queues.setdefault(sender, deque())

    def unregister(self, sender: tuple[str, int]) -> None:
        with self._lock:
            self._queues.pop(sender, None)
            self._dropped.pop(sender, None)
            self._buckets.pop(sender, None)
            self._door_drops.pop(sender, None)

    def wait(self, timeout: float) -> None:
        """Sleep until something is queued (or ``timeout``)."""
        if timeout > 0:
            self._wake.wait(timeout)
        self._wake.clear()

    def take_strangers(self, n: int) -> list["Inbound"]:
        with self._lock:
            out = [self._strangers.popleft() for _ in range(min(n, len(self._strangers)))]
            for m in out:
                self._forget_stranger(m)
            return out

    def take(self, sender: tuple[str, int], n: int) -> list["Inbound"]:
        """Up to ``n`` of a client's oldest messages."""
        with self._lock:
            q = self._queues.get(sender)
            if not q:
                return []
            return [q.popleft() for _ in range(min(n, len(q)))]

    def give_back(self, sender: tuple[str, int], msgs: list["Inbound"]) -> None:
        """Return messages a turn did not get to: they go first next time (unless the queue is full)."""
        with self._lock:
            q = self._queues.get(sender)
            if q is None:
                return
            room = max(self.per_client - len(q), 0)
            if room < len(msgs):
                self._dropped[sender] = self._dropped.get(sender, 0) + len(msgs) - room
                msgs = msgs[len(msgs) - room:] if room else []
            q.extendleft(reversed(msgs))
        if msgs:
            self._wake.set()

    def is_client(self, sender: tuple[str, int]) -> bool:
        return sender in self._queues

    def pending(self, sender: tuple[str, int]) -> int:
        q = self._queues.get(sender)
        return len(q) if q else 0

    def has_strangers(self) -> bool:
        return bool(self._strangers)

    def take_dropped(self, sender: tuple[str, int]) -> int:
        """Messages of a client dropped since the last call."""
        door = self._door_drops.pop(sender, 0)
        with self._lock:
            return self._dropped.pop(sender, 0) + door

    # -- a plain queue's interface (tests that feed an endpoint by hand)
    def empty(self) -> bool:
        with self._lock:
            return not self._strangers and not any(self._queues.values())

    def get_nowait(self) -> "Inbound":
        strangers = self.take_strangers(1)
        if strangers:
            return strangers[0]
        for sender in list(self._queues):
            got = self.take(sender, 1)
            if got:
                return got[0]
        raise queue.Empty
