"""An interpreter for Max patches: loads a ``.maxpat`` and runs it with Max's message-passing rules.

It executes the patch a producer loads, so a test can hear what the device plays instead of reading its
JSON. Live around it (transport, Live API, MIDI, parameters) is in ``max_patches/live_sim.py``; this
module knows Max only.

Time is Max's logical time: each scheduled event (a metro tick, a delay, a datagram) runs at the time
it was due, in order, however late the simulating process gets to it (``Scheduler``).

Rules of execution (Max documentation, "Message Ordering" in the Max User Guide, and each object's
reference page under https://docs.cycling74.com/reference/<object>):
- depth first: an outlet's message runs through everything below it before the outlet's next
  connection is served; nothing is queued except what schedules (``metro``, ``delay``, ``speedlim``)
  or defers (``udpreceive``, Live API observers, ``node.script``): those run later from the scheduler;
- objects with several outlets fire right to left (``trigger``, ``unpack``, ``transport``, ``midiparse``,
  ``live.menu``); a fan-out (one outlet to several inlets) is served right to left by the destination
  boxes' x position, then bottom to top (Max's documented order; the generator avoids fan-outs);
- only the left inlet is hot for ``pack``, ``expr``; right inlets store (``gate``: left picks the
  outlet, right carries the data);
- an object class this module does not model is an error when the patch loads: an unknown object must
  never pass silently.

Semantics per class, each from its reference page (``https://docs.cycling74.com/reference/...``):
``trigger`` (b i f l s a and constants, right to left), ``message`` ($1..$9, commas, ``set``),
``route`` (first element selects, rest goes out; no match: whole message out the rightmost outlet),
``select`` (bang on match, else input out the rightmost), ``pack`` (hot left, typed slots),
``unpack`` (right to left), ``prepend``, ``expr`` (C arithmetic: int/int divides to an int; comparisons
and && || give 0/1), ``coll`` (``N data`` stores at int N, an int outputs what is there or nothing,
``remove N``, ``clear``), ``zl reg`` / ``zl slice N``, ``iter``, ``gate N``, ``metro`` (ms: bangs at once
then every interval; a note value such as ``16n``: tempo-relative, only while the transport runs,
quantized to the grid), ``delay`` (ms; a bang restarts it; ``stop``), ``speedlim`` (passes a message if
the interval has passed since the last output, else holds the latest and sends it when it has),
``udpsend`` / ``udpreceive`` (real UDP sockets; see ``osc_encode`` / ``osc_decode`` for what Max puts on and
reads from the wire), ``midiin`` / ``midiout`` / ``midiparse`` / ``midiformat`` (raw bytes; note lists
``pitch velocity``; velocity 0 is a note-off), ``transport``, ``live.thisdevice``, ``freebang``,
``live.path`` / ``live.observer`` (through the Live model), the ``live.*`` controls (``set`` changes the
value without output, ``setsymbol`` selects a menu item by name without output, ``bang`` outputs the
value), ``comment`` (``set`` changes its text), and ``node.script`` as a recorded stub: the script itself
(issue 16's ``jam_launcher.js``) is tested with Node by its own tests; here a Python stand-in answers.
"""
from __future__ import annotations

import ast
import heapq
import json
import math
import re
import select
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

Atom = int | float | str
Msg = tuple[str, tuple]  # (selector, args): ("bang", ()), ("int", (5,)), ("list", (1, 2)), ("foo", (1,))

BANG: Msg = ("bang", ())
TICKS_PER_BEAT = 480
NOTE_VALUES = {"1n": 4.0, "2n": 2.0, "4n": 1.0, "8n": 0.5, "16n": 0.25, "32n": 0.125}  # in beats


class SimError(RuntimeError):
    """The patch did something the interpreter does not model (or Max would refuse)."""


# ------------------------------------------------------------------------------------------ messages

def parse_atom(word: str) -> Atom:
    if re.fullmatch(r"-?\d+", word):
        return int(word)
    if re.fullmatch(r"-?(\d+\.\d*|\.\d+|\d+\.?\d*e-?\d+)", word):
        return float(word)
    return word


def atoms_of(msg: Msg) -> list[Atom]:
    sel, args = msg
    if sel == "bang":
        return []
    if sel in ("int", "float", "list", "symbol"):
        return list(args)
    return [sel, *args]


def msg_of(atoms: Iterable[Atom]) -> Msg:
    a = list(atoms)
    if not a:
        return BANG
    if isinstance(a[0], str):
        return (a[0], tuple(a[1:]))
    if len(a) == 1:
        return ("int", (a[0],)) if isinstance(a[0], int) else ("float", (a[0],))
    return ("list", tuple(a))


def _num(a: Atom) -> float | int:
    return a if isinstance(a, (int, float)) else 0


def _beats(word: str) -> float | None:
    """A tempo-relative time (``16n``, ``4n``...) in beats, or None for milliseconds."""
    return NOTE_VALUES.get(word)


# ------------------------------------------------------------------------------------------ OSC

def _pad(b: bytes) -> bytes:
    return b + b"\0" * (4 - len(b) % 4)


def osc_encode(address: str, args: Iterable[Atom]) -> bytes:
    """What [udpsend] puts on the wire: ints as ``i``, floats as 32-bit ``f``, symbols as ``s``
    (Max has no 64-bit type on the wire; /work/shared/MAX.md section 6)."""
    tags, body = ",", b""
    for a in args:
        if isinstance(a, bool) or isinstance(a, int):
            tags += "i"
            body += struct.pack(">i", int(a))
        elif isinstance(a, float):
            tags += "f"
            body += struct.pack(">f", a)
        else:
            tags += "s"
            body += _pad(str(a).encode())
    return _pad(address.encode()) + _pad(tags.encode()) + body


def osc_decode(data: bytes) -> list[tuple[str, list[Atom]]]:
    """What [udpreceive] makes of a datagram: each message as (address, args); ``i`` -> int, ``f`` ->
    float, ``s`` -> symbol, a 64-bit ``d`` -> 0 (Max reads doubles as 0, MAX.md section 6); a packet
    whose size is not a multiple of 4 is dropped, as Max drops it; bundles give their messages."""
    if len(data) % 4:
        return []
    if data.startswith(b"#bundle\0"):
        out, pos = [], 16
        while pos + 4 <= len(data):
            (n,) = struct.unpack(">i", data[pos:pos + 4])
            out += osc_decode(data[pos + 4:pos + 4 + n])
            pos += 4 + n
        return out
    end = data.index(b"\0")
    address = data[:end].decode()
    pos = (end + 4) & ~3
    if pos >= len(data) or data[pos:pos + 1] != b",":
        return [(address, [])]
    tend = data.index(b"\0", pos)
    tags = data[pos + 1:tend].decode()
    pos = (tend + 4) & ~3
    args: list[Atom] = []
    for t in tags:
        if t == "i":
            args.append(struct.unpack(">i", data[pos:pos + 4])[0])
            pos += 4
        elif t == "f":
            args.append(float(struct.unpack(">f", data[pos:pos + 4])[0]))
            pos += 4
        elif t == "s":
            e = data.index(b"\0", pos)
            args.append(data[pos:e].decode())
            pos = (e + 4) & ~3
        elif t in "dht":
            args.append(0)
            pos += 8
        else:  # T F N I carry no data; Max has no such atoms
            continue
    return [(address, args)]


# ------------------------------------------------------------------------------------------ scheduler

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux: the kernel's receive time of each datagram


class Scheduler:
    """Max's scheduler: events in time order, each run at its *logical* time (what ``now()`` returns while
    it runs), on a real clock (``time.monotonic``) or a virtual one.

    Datagrams on sockets registered with ``watch`` are events too, at the time the kernel received them
    (``SO_TIMESTAMPNS``), so a slow or overloaded simulator still runs a 16th tick before a chord that
    arrived after it, and the chord before the tick when it arrived before, as Max would: a stall of
    the simulator delays the work but does not reorder it or shift the song's grid."""

    def __init__(self, virtual: bool = False):
        self.virtual = virtual
        self._vnow = 0.0
        self._t0 = time.monotonic()
        self._heap: list[tuple[float, int, "Timer"]] = []
        self._seq = 0
        self._sockets: dict[socket.socket, Callable[[bytes], None]] = {}
        self._arrived: list[tuple[float, int, socket.socket, bytes]] = []
        self._logical: float | None = None
        self._last = 0.0
        self.max_lag = 0.0  # how late (s) the simulating process ran its latest event: a loaded machine

    def _wall(self) -> float:
        return time.monotonic() - self._t0

    def now(self) -> float:
        if self.virtual:
            return self._vnow
        return self._logical if self._logical is not None else max(self._wall(), self._last)

    def at(self, t: float, fn: Callable[[], None]) -> "Timer":
        self._seq += 1
        timer = Timer(fn)
        heapq.heappush(self._heap, (t, self._seq, timer))
        return timer

    def defer(self, fn: Callable[[], None]) -> "Timer":
        """Low-priority queue: after the current event, in order."""
        return self.at(self.now(), fn)

    def watch(self, sock: socket.socket, on_data: Callable[[bytes], None]) -> None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        except OSError:
            pass
        self._sockets[sock] = on_data

    def unwatch(self, sock: socket.socket) -> None:
        self._sockets.pop(sock, None)
        self._arrived = [a for a in self._arrived if a[2] is not sock]
        heapq.heapify(self._arrived)

    def _read(self, timeout: float) -> None:
        """Wait up to ``timeout`` for datagrams; queue every one that is there with its arrival time."""
        socks = list(self._sockets)
        if not socks:
            if timeout > 0 and not self.virtual:
                time.sleep(timeout)
            return
        ready, _, _ = select.select(socks, [], [], max(timeout, 0.0))
        offset = time.time() - time.monotonic() + self._t0  # realtime -> this scheduler's clock
        for s in ready:
            while True:
                try:
                    data, anc, _, _ = s.recvmsg(65535, 64)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break
                t = self._vnow if self.virtual else self._wall()
                for level, kind, raw in anc:
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(raw) >= 16 and not self.virtual:
                        sec, nsec = struct.unpack("qq", raw[:16])
                        t = min(t, sec + nsec * 1e-9 - offset)
                self._seq += 1
                heapq.heappush(self._arrived, (t, self._seq, s, data))

    def run_until(self, t_end: float) -> None:
        """Run every event due before ``t_end`` (seconds on this scheduler's clock), in time order."""
        while True:
            self._read(0.0)
            t_timer = self._heap[0][0] if self._heap else math.inf
            t_data = self._arrived[0][0] if self._arrived else math.inf
            t_next = min(t_timer, t_data)
            if self.virtual:
                if t_next > t_end:
                    self._vnow = max(self._vnow, t_end)
                    return
                self._vnow = max(self._vnow, t_next)
            else:
                wall = self._wall()
                if t_next > t_end:
                    if wall >= t_end:
                        return
                    self._read(min(t_end, t_timer) - wall)
                    continue
                if t_next > wall:
                    self._read(t_next - wall)
                    continue
            self._logical = max(t_next, self._last)
            if not self.virtual:
                self.max_lag = max(self.max_lag, self._wall() - self._logical)
            try:
                if t_data <= t_timer:
                    _, _, sock, data = heapq.heappop(self._arrived)
                    cb = self._sockets.get(sock)
                    if cb is not None:
                        cb(data)
                else:
                    _, _, timer = heapq.heappop(self._heap)
                    timer.fire()
            finally:
                self._last = self._logical
                self._logical = None

    def run_for(self, seconds: float) -> None:
        self.run_until(self.now() + seconds)


class Timer:
    def __init__(self, fn: Callable[[], None]):
        self.fn: Callable[[], None] | None = fn

    def cancel(self) -> None:
        self.fn = None

    def fire(self) -> None:
        fn, self.fn = self.fn, None
        if fn is not None:
            fn()


# ------------------------------------------------------------------------------------------ objects

class MaxObject:
    """One box. ``receive`` gets a message on an inlet; ``out`` sends one down an outlet's connections."""

    def __init__(self, patch: "Patch", box: dict[str, Any], args: list[Atom], attrs: dict[str, list[Atom]]):
        self.patch, self.box, self.args, self.attrs = patch, box, args, attrs
        self.id = box["id"]

    @property
    def sched(self) -> Scheduler:
        return self.patch.sched

    def out(self, outlet: int, msg: Msg) -> None:
        self.patch.send(self.id, outlet, msg)

    def receive(self, inlet: int, msg: Msg) -> None:
        raise SimError(f"{self.describe()} does not take {msg[0]!r} in inlet {inlet}")

    def refuse(self, inlet: int, msg: Msg) -> None:
        raise SimError(f"{self.describe()} does not understand {' '.join(map(str, atoms_of(msg))) or 'bang'!r} "
                       f"in inlet {inlet}")

    def describe(self) -> str:
        return f"[{self.box.get('text', self.box['maxclass'])}] ({self.id})"

    def close(self) -> None:
        pass


class Trigger(MaxObject):
    def receive(self, inlet, msg):
        atoms = atoms_of(msg)
        for i in range(len(self.args) - 1, -1, -1):
            kind = self.args[i]
            if kind in ("b", "bang"):
                self.out(i, BANG)
            elif kind in ("i", "int"):
                self.out(i, ("int", (int(_num(atoms[0])) if atoms else 0,)))
            elif kind in ("f", "float"):
                self.out(i, ("float", (float(_num(atoms[0])) if atoms else 0.0,)))
            elif kind in ("l", "list", "a", "anything"):
                self.out(i, msg if kind in ("a", "anything") else msg_of(atoms))
            elif kind in ("s", "symbol"):
                self.out(i, (str(atoms[0]) if atoms else "", ()))
            else:
                self.out(i, msg_of([kind]))


class MessageBox(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.set_text(self.box.get("text", ""))

    def set_text(self, text: str) -> None:
        if ";" in text:
            raise SimError(f"{self.describe()}: messages to named receivers (;) are not modelled")
        self.parts = [[parse_atom(w) for w in part.split()] for part in text.split(",") if part.strip()]

    def receive(self, inlet, msg):
        if msg[0] == "set":  # set the contents, no output (either inlet)
            self.parts = [list(msg[1])]
            return
        if inlet == 1:
            self.parts = [atoms_of(msg)]
            return
        values = atoms_of(msg)
        for part in self.parts:
            words: list[Atom] = []
            for w in part:
                m = re.fullmatch(r"\$([1-9])", w) if isinstance(w, str) else None
                if m:
                    k = int(m.group(1)) - 1
                    words.append(values[k] if k < len(values) else 0)
                else:
                    words.append(w)
            self.out(0, msg_of(words))


def _same(a: Atom, b: Atom) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return float(a) == float(b)


class Route(MaxObject):
    """[route a b ...]: the first atom matched against each argument; a match leaves by its outlet
    with the rest of the message, no match by the last outlet whole. A right inlet replaces its
    argument. A bang matches ``bang`` (``[route bang]`` tells an empty message from a word)."""

    def receive(self, inlet, msg):
        if inlet > 0:
            self.args[inlet - 1] = atoms_of(msg)[0]
            return
        atoms = ["bang"] if msg == BANG else atoms_of(msg)
        if atoms:
            for i, a in enumerate(self.args):
                if _same(atoms[0], a):
                    self.hit(i, atoms[1:])
                    return
        self.out(len(self.args), msg)

    def hit(self, outlet: int, rest: list) -> None:
        self.out(outlet, msg_of(rest))


class Select(Route):
    """[select a b ...]: [route]'s matching, but a match sends a bang."""

    def hit(self, outlet: int, rest: list) -> None:
        self.out(outlet, BANG)


def _typed(kind: Atom, value: Atom) -> Atom:
    if kind == "i" or isinstance(kind, int):
        return int(_num(value))
    if kind == "f" or isinstance(kind, float):
        return float(_num(value))
    return value if isinstance(value, str) else str(value)


class Pack(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.values: list[Atom] = [{"i": 0, "f": 0.0, "s": ""}.get(k, k) if isinstance(k, str) else k
                                   for k in self.args]

    def receive(self, inlet, msg):
        atoms = atoms_of(msg)
        if msg[0] == "bang" and inlet == 0:
            self.out(0, msg_of(self.values))
            return
        for j, v in enumerate(atoms):
            if inlet + j < len(self.values):
                self.values[inlet + j] = _typed(self.args[inlet + j], v)
        if inlet == 0:
            self.out(0, msg_of(self.values))


class Unpack(MaxObject):
    def receive(self, inlet, msg):
        atoms = atoms_of(msg)
        for i in range(min(len(atoms), len(self.args)) - 1, -1, -1):
            v = _typed(self.args[i], atoms[i])
            self.out(i, msg_of([v]) if not isinstance(v, str) else (v, ()))


class Prepend(MaxObject):
    def receive(self, inlet, msg):
        if msg[0] == "set":  # prepend reference: "set" replaces what is prepended
            self.args = list(msg[1])
            return
        self.out(0, msg_of(list(self.args) + (atoms_of(msg) if msg != BANG else ["bang"])))


class Expr(MaxObject):
    """C-like arithmetic over $iN / $fN inputs (Max's expr reference page)."""

    def __init__(self, *a):
        super().__init__(*a)
        text = self.box["text"].split(None, 1)[1]
        refs = [int(n) for n in re.findall(r"\$[if](\d+)", text)]
        self.inputs: list[Atom] = [0] * max(refs, default=1)
        src = re.sub(r"\$([if])(\d+)", r"_\1\2", text).replace("&&", " and ").replace("||", " or ")
        src = re.sub(r"!(?!=)", " not ", src)
        self.tree = ast.parse(src, mode="eval").body

    def receive(self, inlet, msg):
        if msg != BANG:
            for j, v in enumerate(atoms_of(msg)):
                if inlet + j < len(self.inputs):
                    self.inputs[inlet + j] = v
        if inlet == 0:
            v = self._eval(self.tree)
            self.out(0, ("int", (v,)) if isinstance(v, int) else ("float", (float(v),)))

    def _eval(self, n):
        if isinstance(n, ast.Constant):
            return n.value
        if isinstance(n, ast.Name):
            kind, k = n.id[1], int(n.id[2:]) - 1
            v = _num(self.inputs[k])
            return int(v) if kind == "i" else float(v)
        if isinstance(n, ast.BinOp):
            a, b = self._eval(n.left), self._eval(n.right)
            both_int = isinstance(a, int) and isinstance(b, int)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            if isinstance(n.op, ast.Div):
                if b == 0:
                    return 0
                return int(a / b) if both_int else a / b
            if isinstance(n.op, ast.Mod):
                if b == 0:
                    return 0
                return int(math.fmod(a, b)) if both_int else math.fmod(a, b)
        if isinstance(n, ast.UnaryOp):
            v = self._eval(n.operand)
            if isinstance(n.op, ast.USub):
                return -v
            if isinstance(n.op, ast.Not):
                return int(not v)
        if isinstance(n, ast.Compare):
            left = self._eval(n.left)
            for op, right_n in zip(n.ops, n.comparators):
                right = self._eval(right_n)
                ok = {ast.Lt: left < right, ast.LtE: left <= right, ast.Gt: left > right, ast.GtE: left >= right,
                      ast.Eq: left == right, ast.NotEq: left != right}[type(op)]
                if not ok:
                    return 0
                left = right
            return 1
        if isinstance(n, ast.BoolOp):
            vals = [bool(self._eval(v)) for v in n.values]
            return int(all(vals) if isinstance(n.op, ast.And) else any(vals))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            vals = [self._eval(a) for a in n.args]
            fn = {"int": lambda x: int(x), "float": float, "abs": abs, "min": min, "max": max}.get(n.func.id)
            if fn is not None:
                return fn(*vals)
        raise SimError(f"{self.describe()}: expression part {ast.dump(n)} is not modelled")


class Coll(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        if self.args:
            raise SimError(f"{self.describe()}: named/shared colls are not modelled")
        self.data: dict[int, list[Atom]] = {}

    def receive(self, inlet, msg):
        sel, args = msg
        if sel in ("int", "float"):
            stored = self.data.get(int(args[0]))
            if stored is not None:
                self.out(0, msg_of(stored))
        elif sel == "list":
            self.data[int(args[0])] = list(args[1:])
        elif sel == "remove":
            self.data.pop(int(args[0]), None)
        elif sel == "clear":
            self.data.clear()
        else:
            self.refuse(inlet, msg)


class Zl(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.mode = self.args[0] if self.args else None
        if self.mode not in ("reg", "slice"):
            raise SimError(f"{self.describe()}: zl mode {self.mode!r} is not modelled")
        self.n = int(self.args[1]) if len(self.args) > 1 else 0
        self.stored: list[Atom] = []

    def receive(self, inlet, msg):
        if msg[0] == "zlclear":
            self.stored = []
            return
        if self.mode == "reg":
            if inlet == 1:
                self.stored = atoms_of(msg)
            elif msg == BANG:
                if self.stored:
                    self.out(0, msg_of(self.stored))
            else:  # zl.reg: a list in the left inlet goes out at once (and is kept)
                self.stored = atoms_of(msg)
                self.out(0, msg_of(self.stored))
            return
        atoms = atoms_of(msg)  # slice
        if len(atoms) > self.n:
            self.out(1, msg_of(atoms[self.n:]))
        self.out(0, msg_of(atoms[:self.n]))


class Iter(MaxObject):
    def receive(self, inlet, msg):
        for a in atoms_of(msg):
            self.out(0, msg_of([a]))


class Gate(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.n = int(self.args[0]) if self.args else 1
        self.open = int(self.args[1]) if len(self.args) > 1 else 0

    def receive(self, inlet, msg):
        if inlet == 0:
            self.open = max(0, min(self.n, int(_num(atoms_of(msg)[0])))) if msg != BANG else self.open
        elif self.open:
            self.out(self.open - 1, msg)


class Metro(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        word = str(self.args[0]) if self.args else "5"
        self.beats = _beats(word)
        self.ms = None if self.beats is not None else float(_num(parse_atom(word)))
        self.running = False
        self.timer: Timer | None = None
        if self.beats is not None:
            self.patch.host.tempo_clients.append(self)

    def receive(self, inlet, msg):
        if inlet == 1:
            self.ms = float(_num(atoms_of(msg)[0]))
            return
        sel = msg[0]
        on = sel == "bang" or sel == "start" or (sel in ("int", "float") and msg[1][0] != 0)
        if sel not in ("bang", "start", "stop", "int", "float"):
            self.refuse(inlet, msg)
        self.running = on
        if self.timer:
            self.timer.cancel()
            self.timer = None
        if on and self.ms is not None:
            self._tick()

    def _tick(self):
        self.timer = self.sched.at(self.sched.now() + self.ms / 1000.0, self._tick)
        self.out(0, BANG)

    def on_grid(self, beat: float) -> None:
        """Called by the transport at each 16th of song time while it plays (tempo-relative metro)."""
        if self.running and self.beats is not None:
            steps = beat / self.beats
            if abs(steps - round(steps)) < 1e-6:
                self.out(0, BANG)

    def close(self):
        self.running = False
        if self.timer:
            self.timer.cancel()


class Delay(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        word = str(self.args[0]) if self.args else "0"
        if _beats(word) is not None:
            raise SimError(f"{self.describe()}: tempo-relative delay is not modelled")
        self.ms = float(_num(parse_atom(word)))
        self.timer: Timer | None = None

    def receive(self, inlet, msg):
        if inlet == 1:
            self.ms = float(_num(atoms_of(msg)[0]))
            return
        if self.timer:
            self.timer.cancel()
            self.timer = None
        if msg[0] == "stop":
            return
        if msg[0] in ("int", "float"):
            self.ms = float(msg[1][0])
        elif msg[0] != "bang":
            self.refuse(inlet, msg)
        self.timer = self.sched.at(self.sched.now() + self.ms / 1000.0, lambda: self.out(0, BANG))

    def close(self):
        if self.timer:
            self.timer.cancel()


class Speedlim(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.ms = float(_num(self.args[0])) if self.args else 0.0
        self.last = -math.inf
        self.held: Msg | None = None
        self.timer: Timer | None = None

    def receive(self, inlet, msg):
        if inlet == 1:
            self.ms = float(_num(atoms_of(msg)[0]))
            return
        now = self.sched.now()
        if now - self.last >= self.ms / 1000.0 and self.timer is None:
            self.last = now
            self.out(0, msg)
            return
        self.held = msg
        if self.timer is None:
            self.timer = self.sched.at(self.last + self.ms / 1000.0, self._flush)

    def _flush(self):
        self.timer = None
        if self.held is not None:
            msg, self.held = self.held, None
            self.last = self.sched.now()
            self.out(0, msg)


class UdpSend(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.host, self.port = str(self.args[0]), int(self.args[1])
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))  # one socket: every message leaves from the same port
        self.sent: list[tuple[float, str, list[Atom]]] = []

    def receive(self, inlet, msg):
        sel, args = msg
        if sel == "host":
            self.host = str(args[0])
        elif sel == "port":
            self.port = int(args[0])
        elif sel.startswith("/"):
            if not self.host.startswith("127."):
                raise SimError(f"{self.describe()}: refusing to send outside 127.0.0.0/8")
            self.sent.append((self.sched.now(), sel, list(args)))
            self.sock.sendto(osc_encode(sel, args), (self.host, self.port))
        else:
            self.refuse(inlet, msg)

    def close(self):
        self.sock.close()


class UdpReceive(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.sock: socket.socket | None = None
        self.port = int(self.args[0])
        self.received: list[tuple[float, str, list[Atom]]] = []
        self._bind(self.port)

    def _bind(self, port: int) -> None:
        if self.sock is not None:
            self.sched.unwatch(self.sock)
            self.sock.close()
            self.sock = None
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:  # Max prints the error in its console and keeps the object
            self.patch.console.append(f"udpreceive: unable to bind to port {port}: {exc}")
            s.close()
            return
        s.setblocking(False)
        self.sock, self.port = s, port
        self.sched.watch(s, self._datagram)

    def _datagram(self, data: bytes) -> None:
        if not self.patch.host.network_accepts(self, data):
            return
        for address, args in osc_decode(data):
            self.received.append((self.sched.now(), address, args))
            self.out(0, (address, tuple(args)))

    def receive(self, inlet, msg):
        if msg[0] == "port":
            self._bind(int(msg[1][0]))
        else:
            self.refuse(inlet, msg)

    def close(self):
        if self.sock is not None:
            self.sched.unwatch(self.sock)
            self.sock.close()


class MidiIn(MaxObject):
    def feed(self, data: Iterable[int]) -> None:
        for b in data:
            self.out(0, ("int", (int(b),)))


class MidiOut(MaxObject):
    def receive(self, inlet, msg):
        if msg[0] != "int":
            self.refuse(inlet, msg)
        self.patch.host.midi_out(self.patch, int(msg[1][0]))


class MidiParse(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.status = 0
        self.data: list[int] = []

    def receive(self, inlet, msg):
        b = int(msg[1][0])
        if b >= 0x80:
            self.status, self.data = b, []
            return
        self.data.append(b)
        kind, ch = self.status & 0xF0, (self.status & 0x0F) + 1
        if kind in (0x80, 0x90) and len(self.data) == 2:
            pitch, vel = self.data
            self.data = []
            self.out(6, ("int", (ch,)))
            self.out(0, ("list", (pitch, 0 if kind == 0x80 else vel)))
        elif kind not in (0x80, 0x90) and len(self.data) >= (1 if kind in (0xC0, 0xD0) else 2):
            self.data = []  # other messages: not used by the device


class MidiFormat(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.channel = 1

    def receive(self, inlet, msg):
        if inlet == 6:
            self.channel = max(1, min(16, int(_num(atoms_of(msg)[0]))))
            return
        if inlet != 0 or msg[0] != "list" or len(msg[1]) != 2:
            self.refuse(inlet, msg)
        pitch, vel = (int(_num(v)) for v in msg[1])
        for b in (0x90 | (self.channel - 1), pitch & 0x7F, vel & 0x7F):
            self.out(0, ("int", (b,)))


class Transport(MaxObject):
    def receive(self, inlet, msg):
        if msg != BANG:
            self.refuse(inlet, msg)
        t = self.patch.host.transport
        beat = t.position()
        num, den = t.signature
        bar_beats = num * 4.0 / den
        self.out(7, ("float", (beat * TICKS_PER_BEAT,)))
        self.out(6, ("int", (int(t.playing),)))
        self.out(5, ("list", (num, den)))
        self.out(4, ("float", (float(t.bpm),)))
        self.out(3, ("int", (TICKS_PER_BEAT,)))
        self.out(2, ("float", (float((beat % 1.0) * TICKS_PER_BEAT),)))
        self.out(1, ("int", (int((beat % bar_beats) // 1) + 1,)))
        self.out(0, ("int", (int(beat // bar_beats) + 1,)))


class Bangs(MaxObject):
    """live.thisdevice and freebang: the host fires them; a bang to live.thisdevice repeats its bang."""

    def fire(self) -> None:
        self.out(0, BANG)

    def receive(self, inlet, msg):
        self.fire()


class LivePath(MaxObject):
    def receive(self, inlet, msg):
        if msg[0] != "path":
            self.refuse(inlet, msg)
        self.out(0, ("id", (self.patch.host.live_id(self.patch, " ".join(map(str, msg[1]))),)))


class LiveObserver(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.prop = str(self.args[0]) if self.args else None
        self.target: int | None = None

    def receive(self, inlet, msg):
        if inlet == 1 and msg[0] == "id":
            self.target = int(msg[1][0])
            self.patch.host.observe(self)
        elif inlet == 0 and msg[0] == "property":
            self.prop = str(msg[1][0])
            self.patch.host.observe(self)
        else:
            self.refuse(inlet, msg)

    def notify(self, value: Atom | tuple) -> None:
        """Observers report on the low-priority queue (live.observer reference page)."""
        atoms = list(value) if isinstance(value, tuple) else [value]
        self.sched.defer(lambda: self.out(0, msg_of(atoms)))


class NodeScript(MaxObject):
    """A recorded stand-in for ``node.script``: keeps what the patch sends; the host's ``node_reply``
    callable (if any) answers with messages that come out of outlet 0 a moment later."""

    def __init__(self, *a):
        super().__init__(*a)
        self.received: list[list[Atom]] = []

    def receive(self, inlet, msg):
        self.received.append(atoms_of(msg))
        for reply in self.patch.host.node_reply(self.patch, atoms_of(msg)):
            self.sched.defer(lambda r=reply: self.out(0, msg_of(r)))


class Comment(MaxObject):
    def __init__(self, *a):
        super().__init__(*a)
        self.text = self.box.get("text", "")

    def receive(self, inlet, msg):
        if msg[0] != "set":
            self.refuse(inlet, msg)
        self.text = " ".join(_fmt(a) for a in msg[1])


def _fmt(a: Atom) -> str:
    return f"{a:.2f}".rstrip("0").rstrip(".") if isinstance(a, float) else str(a)


class Panel(MaxObject):
    pass


class LiveControl(MaxObject):
    """live.dial / live.numbox / live.toggle / live.button / live.menu / live.tab / live.text.

    The value is the parameter Live saves with the set (when ``parameter_enable`` is 1). A number sets
    it and outputs it; ``set`` sets it silently; ``bang`` outputs it. Menus and tabs output the item
    name (middle outlet) before the index (left outlet); ``setsymbol`` picks an item by name silently."""

    def __init__(self, *a):
        super().__init__(*a)
        v = self.box.get("saved_attribute_attributes", {}).get("valueof", {})
        self.longname = v.get("parameter_longname")
        self.kind = self.box["maxclass"]
        self.enum = list(v.get("parameter_enum", []))
        self.ptype = v.get("parameter_type", 0)
        self.lo = v.get("parameter_mmin", 0.0)
        self.hi = v.get("parameter_mmax", len(self.enum) - 1 if self.enum else 1.0 if self.kind != "live.dial" else 127.0)
        initial = v.get("parameter_initial") if v.get("parameter_initial_enable") else None
        self.value: float = self._clamp(initial[0] if initial else self.lo)

    def _clamp(self, x: float) -> float:
        if self.enum:
            return float(max(0, min(len(self.enum) - 1, int(x))))
        if self.kind in ("live.toggle", "live.button", "live.text"):
            return 1.0 if x else 0.0
        x = max(self.lo, min(self.hi, float(x)))
        return float(round(x)) if self.ptype == 1 else x

    @property
    def is_parameter(self) -> bool:
        return bool(self.box.get("parameter_enable"))

    def symbol(self) -> str:
        return self.enum[int(self.value)] if self.enum else ""

    def receive(self, inlet, msg):
        sel, args = msg
        if sel == "set":
            self.value = self._clamp(_num(args[0]))
        elif sel == "_parameter_range" and self.enum:  # a menu's items replaced (its index stays)
            self.enum = [str(a) for a in args]
            self.value = self._clamp(self.value)
        elif sel == "setsymbol":
            if args and str(args[0]) in self.enum:
                self.value = float(self.enum.index(str(args[0])))
        elif sel == "bang":
            if self.kind == "live.toggle":
                self.value = 1.0 - self.value
            self.output()
        elif sel in ("int", "float"):
            self.value = self._clamp(args[0])
            self.output()
        elif self.enum and sel in self.enum:
            self.value = float(self.enum.index(sel))
            self.output()
        else:
            self.refuse(inlet, msg)

    def restore(self, value: float | str) -> None:
        """The value Live saved with the set, put back before the device starts (no output)."""
        self.value = self._clamp(self.enum.index(value) if isinstance(value, str) else value)

    def user_sets(self, value: float | str) -> None:
        """What a click or a turn of the control does."""
        if isinstance(value, str):
            value = self.enum.index(value)
        if self.kind == "live.button":
            self.output()
            return
        self.value = self._clamp(value)
        self.output()

    def output(self) -> None:
        if self.kind == "live.button":
            self.out(0, BANG)
        elif self.enum:
            self.out(1, (self.symbol(), ()))
            self.out(0, ("int", (int(self.value),)))
        elif self.kind in ("live.toggle", "live.text"):
            self.out(0, ("int", (int(self.value),)))
        elif self.ptype == 1:
            self.out(0, ("int", (int(self.value),)))
        else:
            self.out(0, ("float", (float(self.value),)))


class TextEdit(MaxObject):
    """textedit: a text field. Enter (``user_types``) or a bang sends ``text <words>`` out of the left
    outlet; ``set <words>`` changes it silently. In parameter mode (a blob) Live saves the text with the
    set and restores it before the device starts."""

    def __init__(self, *a):
        super().__init__(*a)
        v = self.box.get("saved_attribute_attributes", {}).get("valueof", {})
        self.longname = v.get("parameter_longname")
        self.value = ""

    @property
    def is_parameter(self) -> bool:
        return bool(self.box.get("parameter_enable"))

    def restore(self, value: str) -> None:
        self.value = str(value)

    def receive(self, inlet, msg):
        sel, args = msg
        if sel == "set":
            self.value = " ".join(_fmt(a) for a in args)
        elif sel == "bang":
            self.output()
        else:
            self.refuse(inlet, msg)

    def user_types(self, text: str) -> None:
        """What typing into the field and pressing Enter does."""
        self.value = text
        self.output()

    def output(self) -> None:
        self.out(0, msg_of(["text"] + [parse_atom(w) for w in self.value.split()]))


CLASSES: dict[str, type[MaxObject]] = {
    "t": Trigger, "trigger": Trigger, "route": Route, "sel": Select, "select": Select, "pack": Pack,
    "unpack": Unpack, "prepend": Prepend, "expr": Expr, "coll": Coll, "zl": Zl, "iter": Iter, "gate": Gate,
    "metro": Metro, "delay": Delay, "speedlim": Speedlim, "udpsend": UdpSend, "udpreceive": UdpReceive,
    "midiin": MidiIn, "midiout": MidiOut, "midiparse": MidiParse, "midiformat": MidiFormat,
    "transport": Transport, "live.thisdevice": Bangs, "freebang": Bangs, "live.path": LivePath,
    "live.observer": LiveObserver, "node.script": NodeScript,
}
UI_CLASSES: dict[str, type[MaxObject]] = {
    "message": MessageBox, "comment": Comment, "panel": Panel, "live.dial": LiveControl,
    "live.numbox": LiveControl, "live.toggle": LiveControl, "live.button": LiveControl, "live.menu": LiveControl,
    "live.tab": LiveControl, "live.text": LiveControl, "textedit": TextEdit,
}


# ------------------------------------------------------------------------------------------ patch

@dataclass
class Connection:
    dst: str
    inlet: int
    order: tuple[float, float]  # (-x, -y) of the destination box: Max serves fan-outs right to left


class Patch:
    """A loaded patcher: one object per box, patchlines by outlet. ``host`` is the Live model."""

    def __init__(self, patch: dict[str, Any], host: Any, sched: Scheduler):
        self.host, self.sched = host, sched
        self.closed = False
        self.console: list[str] = []
        p = patch["patcher"]
        self.objects: dict[str, MaxObject] = {}
        for b in p["boxes"]:
            box = b["box"]
            self.objects[box["id"]] = self._make(box)
        rects = {b["box"]["id"]: b["box"]["patching_rect"] for b in p["boxes"]}
        self.lines: dict[tuple[str, int], list[Connection]] = {}
        for line in p["lines"]:
            (s, o), (d, i) = line["patchline"]["source"], line["patchline"]["destination"]
            x, y = rects[d][0], rects[d][1]
            self.lines.setdefault((s, o), []).append(Connection(d, i, (-x, -y)))
        for conns in self.lines.values():
            conns.sort(key=lambda c: c.order)
        self.trace: Callable[[str, int, Msg], None] | None = None

    def _make(self, box: dict[str, Any]) -> MaxObject:
        cls_name = box["maxclass"]
        if cls_name == "newobj":
            words = box["text"].split()
            name, rest = words[0], words[1:]
            args, attrs, key = [], {}, None
            for w in rest:
                if w.startswith("@"):
                    key = w[1:]
                    attrs[key] = []
                elif key is not None:
                    attrs[key].append(parse_atom(w))
                else:
                    args.append(parse_atom(w))
            cls = CLASSES.get(name)
            if cls is None:
                raise SimError(f"{box['id']}: object class [{name}] is not modelled by the simulator")
            return cls(self, box, args, attrs)
        cls = UI_CLASSES.get(cls_name)
        if cls is None:
            raise SimError(f"{box['id']}: box class {cls_name!r} is not modelled by the simulator")
        return cls(self, box, [], {})

    def send(self, src: str, outlet: int, msg: Msg) -> None:
        if self.trace is not None:
            self.trace(src, outlet, msg)
        for c in self.lines.get((src, outlet), ()):
            self.objects[c.dst].receive(c.inlet, msg)

    def of_class(self, cls: type[MaxObject]) -> list[MaxObject]:
        return [o for o in self.objects.values() if isinstance(o, cls)]

    def find(self, text: str) -> MaxObject:
        hits = [o for o in self.objects.values() if o.box.get("text") == text]
        if len(hits) != 1:
            raise KeyError(f"{len(hits)} boxes say {text!r}")
        return hits[0]

    def control(self, longname: str) -> LiveControl | TextEdit:
        for o in self.objects.values():
            if isinstance(o, (LiveControl, TextEdit)) and o.longname == longname:
                return o
        raise KeyError(f"no control {longname!r}")

    def close(self) -> None:
        for o in self.objects.values():
            o.close()


def load_patch_text(text: str) -> dict[str, Any]:
    return json.loads(text)
