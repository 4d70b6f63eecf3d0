"""The engine's inbox: one bounded queue per registered client, and a small one for strangers.

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
from collections import deque
from typing import TYPE_CHECKING

from bridge import protocol as P

if TYPE_CHECKING:
    from bridge.server import Inbound

PER_CLIENT = 512
STRANGERS = 64


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
                if self.gate and not hello and msg.sender not in self._hello_waiting:
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

    def pending(self, sender: tuple[str, int]) -> int:
        q = self._queues.get(sender)
        return len(q) if q else 0

    def has_strangers(self) -> bool:
        return bool(self._strangers)

    def take_dropped(self, sender: tuple[str, int]) -> int:
        """Messages of a client dropped since the last call."""
        with self._lock:
            return self._dropped.pop(sender, 0)

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
