"""The checkpoint loader: a worker process that reads, checks, blends and smoke-tests policy networks,
so that the daemon only installs ready ones.

Loading a checkpoint is mostly short NumPy and Python steps (the card, the header, the checksum, the
finite check, mixing two networks tensor by tensor, the rotary tables, a few streaming steps of smoke
test). On a thread of the daemon every one of them holds Python's interpreter lock, which the engine
needs for each of its own steps: a flood of blend requests made honest clients' chords late. In its own
process that work shares nothing with the engine but the CPU, at a lower priority (``LOADER_NICE``).
The daemon's side (``Loader``) sends a request down a socket pair and waits for the answer, releasing
the lock while it waits; what comes back is the network the NumPy engine plays (its arrays, pickled
out of band: the kernel copies them into place).

The daemon starts the worker when its engine starts (``start``, from the loader's thread: the engine
never waits for a process to spawn), so the worker's start-up (an interpreter importing NumPy and the
model code, about 0.4 s of CPU) is over before any client plays, and never competes with a live
session; the first request starts it if it is not running. Its niceness is set before the interpreter
imports anything (by the daemon right after the spawn, and by the worker's first statement), so even
that start-up yields the CPU to the engine. Start-up loads its checkpoint in the daemon's process, so a
cold start waits for nothing. The worker keeps the last ``KEPT`` networks it made (the checkpoints
blends are made from among them) and serves one request at a time. Given a snapshot of a session's history and
of the committed frames ahead (``bridge.priming``) it also primes the new policy, so what comes back is
ready to play at the next frame boundary. If the worker dies or takes longer than
``LOAD_TIMEOUT_S``, the request is answered with ``CheckpointError`` and a fresh worker is started for
the next one. It ignores SIGINT (a Ctrl-C in the terminal reaches the whole process group; the daemon
decides), is terminated by ``close``, and exits by itself when the daemon's end of the socket closes (a
daemon that was killed leaves no worker behind).
"""
from __future__ import annotations

import copy
import io
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from bridge.priming import Priming
from jamcore import tokens as T
from jamcore.checkpoints import CheckpointError, canonical_key, load_policy_stem
from jamcore.models.numpy_policy import NumpyWeights
from jamcore.stream import StreamingPolicy

LOADER_NICE = 10  # niceness added to the worker's: loads yield the CPU to the engine
LOAD_TIMEOUT_S = 30.0  # a request not answered by then: the worker is killed and the request refused
KEPT = 4  # networks the worker keeps: the checkpoints blends are made from, the latest blends (~3-6 MB each)
SMOKE_FRAMES = 3  # streaming steps of the smoke test
MAX_PARTS = 1 << 12  # arrays in one message (a policy and its network have ~50)
BLEND_STEPS = 100  # blend t in steps of 0.01: a dial's resolution (Live's dials show 0..100 %)


class Loader:
    """The daemon's handle on the worker process. ``build`` blocks the calling thread (the daemon's
    loader thread) until the worker answers, without holding the interpreter lock; one request at a
    time."""

    def __init__(self, timeout: float = LOAD_TIMEOUT_S, nice: int = LOADER_NICE):
        self.timeout = timeout
        self.nice = nice
        self.restarts = 0  # workers that died or hung and were replaced
        self.sent = 0  # requests handed to a worker
        self._proc: subprocess.Popen | None = None
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._closed = False  # after ``close`` no worker is started again

    def start(self) -> None:
        """Start the worker now if none runs (the daemon does, from its loader thread, as its engine
        starts); a no-op while a request holds the worker, or after ``close``."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            if not self._closed and (self._proc is None or self._proc.poll() is not None):
                self._start()
        finally:
            self._lock.release()

    def build(self, recipe: tuple, priming: Priming | None = None, have: NumpyWeights | None = None
              ) -> tuple[NumpyWeights, dict, StreamingPolicy | None]:
        """(network, card, policy) of ``recipe``: ``("load", stem)`` (a checkpoint's files) or ``("blend",
        a, stem_a, b, stem_b, t)`` (checkpoints named a and b mixed at t), checked and smoke-tested by the
        worker; with a ``priming``, a ``StreamingPolicy`` over the network primed with it (else None).
        ``have``: the daemon's copy of that network (then it does not travel; the policy comes over it).
        ``CheckpointError`` with the reason if the worker refuses it, dies or hangs."""
        with self._lock:
            if self._closed:
                raise CheckpointError("the bridge is stopping")
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            try:
                self._sock.settimeout(self.timeout)
                send_message(self._sock, (recipe, priming, have is not None))
                self.sent += 1
                ok, answer = recv_message(self._sock, have)
            except TimeoutError:
                self._restart()
                raise CheckpointError(f"the checkpoint loader took longer than {self.timeout:.0f} s and was "
                                      f"restarted; try again") from None
            except (EOFError, OSError, pickle.UnpicklingError):
                code = _exit_status(self._proc)
                self._restart()
                why = f" (exit status {code})" if code is not None else ""
                raise CheckpointError(f"the checkpoint loader stopped{why} and was restarted; try again") from None
        if not ok:
            raise CheckpointError(answer)
        model, card, policy = answer
        return (have if model is None else model), card, policy

    @property
    def pid(self) -> int | None:
        """The worker's process id while one runs (None before it starts and after ``close``)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def _start(self) -> None:
        """A fresh interpreter running ``_serve`` on one end of a socket pair (not multiprocessing's
        spawn: that re-imports the daemon's main module in the child; nor fork: the daemon has threads).
        Its niceness is set before it imports anything: by its first statement, and from here as soon as
        it exists (covering the interpreter's own start-up), to the same absolute value."""
        self._stop_worker()
        ours, theirs = socket.socketpair()
        target = worker_niceness(self.nice)
        first = "" if target is None else \
            f"import os\ntry:\n    os.setpriority(os.PRIO_PROCESS, 0, {target})\nexcept OSError:\n    pass\n"
        code = first + f"from bridge.loader import _serve\n_serve({theirs.fileno()})"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # the daemon's modules
        try:
            self._proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=(theirs.fileno(),), env=env,
                                          stdin=subprocess.DEVNULL)
        finally:
            theirs.close()  # only the worker holds its end: its death reads as EOF here
        self._sock = ours
        if target is not None:
            try:
                os.setpriority(os.PRIO_PROCESS, self._proc.pid, target)
            except OSError:
                pass  # it set its own, or already exited (the next request finds out)

    def _restart(self) -> None:
        """Replace a worker that died or hung: the next request finds a fresh one already started."""
        self._stop_worker(restarted=True)
        if not self._closed:
            self._start()

    def _stop_worker(self, restarted: bool = False) -> None:
        proc, sock, self._proc, self._sock = self._proc, self._sock, None, None
        if sock is not None:
            sock.close()
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            self.restarts += restarted

    def close(self) -> None:
        """Stop the worker for good (from any thread; a request waiting for it is refused)."""
        self._closed = True
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._lock.acquire(timeout=3):
            try:
                self._stop_worker()
            finally:
                self._lock.release()


def worker_niceness(added: int) -> int | None:
    """The worker's absolute niceness: ``added`` above this process's (19 at most); None where there are
    no nice values (Windows: the worker runs at the daemon's priority)."""
    if not hasattr(os, "getpriority"):
        return None
    return min(os.getpriority(os.PRIO_PROCESS, 0) + max(int(added), 0), 19)


def _exit_status(proc: subprocess.Popen | None) -> int | None:
    try:
        return proc.wait(0.5) if proc is not None else None
    except subprocess.TimeoutExpired:
        return None


# ---------------------------------------------------------------------------------------------
# Messages: pickles with their arrays out of band (protocol 5), so that the receiver reads each array
# straight into its own buffer (one copy, by the kernel, without the interpreter lock) and unpickling
# copies nothing. ``ref``: an object both sides hold (the daemon's copy of a network), sent as a name.


def send_message(sock: socket.socket, obj, ref=None) -> None:
    buffers: list[pickle.PickleBuffer] = []
    head = io.BytesIO()
    pickler = _Pickler(head, ref, buffers.append) if ref is not None else \
        pickle.Pickler(head, protocol=5, buffer_callback=buffers.append)  # (persistent_id costs a call an object)
    pickler.dump(obj)
    parts = [head.getbuffer()] + [b.raw() for b in buffers]
    sock.sendall(struct.pack(f"<I{len(parts)}Q", len(parts), *(p.nbytes for p in parts)))
    for part in parts:
        sock.sendall(part)


def recv_message(sock: socket.socket, ref=None):
    (n,) = struct.unpack("<I", _recv_exact(sock, 4).tobytes())
    if not 0 < n <= MAX_PARTS:
        raise pickle.UnpicklingError(f"a message of {n} parts")
    sizes = struct.unpack(f"<{n}Q", _recv_exact(sock, 8 * n).tobytes())
    parts = [_recv_exact(sock, size) for size in sizes]
    return _Unpickler(io.BytesIO(parts[0]), ref, parts[1:]).load()


def _recv_exact(sock: socket.socket, n: int) -> np.ndarray:
    buf = np.empty(n, dtype=np.uint8)  # not zeroed: the kernel fills it, without the interpreter lock
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if not k:
            raise EOFError("the other end closed")
        got += k
    return buf


class _Pickler(pickle.Pickler):
    def __init__(self, file, ref, buffer_callback):
        super().__init__(file, protocol=5, buffer_callback=buffer_callback)
        self._ref = ref

    def persistent_id(self, obj):
        return "ref" if obj is self._ref else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, ref, buffers):
        super().__init__(file, buffers=buffers)
        self._ref = ref

    def persistent_load(self, pid):
        if pid != "ref" or self._ref is None:
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self._ref


# ---------------------------------------------------------------------------------------------
# The worker process


def _serve(fd: int) -> None:
    """The worker's loop on socket ``fd``: a request ``(recipe, priming, the daemon has the network)`` in,
    ``(True, (network or None, card, policy or None))`` or ``(False, reason)`` out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sock = socket.socket(fileno=fd)
    kept: OrderedDict[tuple, tuple[NumpyWeights, dict]] = OrderedDict()
    while True:
        try:
            recipe, priming, have = recv_message(sock)
        except (EOFError, OSError):
            return  # the daemon is gone
        model = None
        try:
            model, card = _network(kept, recipe)
            sent = None if have else _playable(model)  # the policy must be over what travels (or is there)
            policy = priming.apply(StreamingPolicy(model if have else sent)) if priming is not None else None
            answer = (True, (sent, card, policy))
        except CheckpointError as exc:
            answer = (False, str(exc))
        except Exception as exc:  # anything else a bad file may raise: one line
            answer = (False, f"{type(exc).__name__}: {exc}")
        try:
            send_message(sock, answer, model if have else None)
        except OSError:
            return


def _network(kept: OrderedDict, recipe: tuple) -> tuple[NumpyWeights, dict]:
    """The network of ``recipe`` from the worker's last ``KEPT`` ones, or made (and kept)."""
    if recipe[0] == "load":
        key = canonical_key(Path(recipe[1]))
    else:
        _, a, stem_a, b, stem_b, t = recipe
        key = ("blend", canonical_key(Path(stem_a)), canonical_key(Path(stem_b)), round(t * BLEND_STEPS))
    if key in kept:
        kept.move_to_end(key)
        return kept[key]
    if recipe[0] == "load":
        made = load_checked(Path(recipe[1]))
    else:
        (ma, ca), (mb, cb) = _network(kept, ("load", stem_a)), _network(kept, ("load", stem_b))
        made = blend_checked(a, ma, ca, b, mb, cb, t)
        made[0].state = None  # nothing blends a blend
    kept[key] = made
    while len(kept) > KEPT:
        kept.popitem(last=False)
    return made


def _playable(model: NumpyWeights) -> NumpyWeights:
    """The network without its checkpoint arrays (``state``, kept here to blend from): the engine plays
    the laid-out copies, so the daemon receives and keeps half the bytes."""
    out = copy.copy(model)
    out.state = None
    return out


# ---------------------------------------------------------------------------------------------
# The work (also what the daemon runs in its own process for its start-up checkpoint)


def load_checked(stem: Path) -> tuple[NumpyWeights, dict]:
    """The checkpoint at ``stem`` as the NumPy engine's network (``load_policy_stem``: card against the
    weights' header before anything is allocated, checksum, finite weights), smoke-tested."""
    model, card = load_policy_stem(stem)  # NumPy weights straight from safetensors: no torch
    smoke_test(model, stem.name)
    return model, card


def blend_checked(a: str, ma: NumpyWeights, ca: dict, b: str, mb: NumpyWeights, cb: dict, t: float
                  ) -> tuple[NumpyWeights, dict]:
    """Weights ``(1 - t) * a + t * b`` of two networks of one architecture (checkpoints named ``a`` and
    ``b``), smoke-tested; its card is ``a``'s, named ``blend_name(a, b, t)``."""
    if ma.cfg != mb.cfg:  # configs, not card dicts: an older card lacks fields that default alike
        raise CheckpointError(f"cannot blend {a!r} and {b!r}: their architectures differ "
                              f"({ca.get('model')} vs {cb.get('model')})")
    sa, sb = ma.state, mb.state
    mixed = {k: (sa[k].astype(np.float32) * (1.0 - t) + sb[k].astype(np.float32) * t).astype(sa[k].dtype)
             if sa[k].dtype.kind == "f" else sa[k] for k in sa}
    model = NumpyWeights.from_state(ma.cfg, mixed)
    name = blend_name(a, b, t)
    smoke_test(model, name)
    card = dict(ca, name=name, parent=[a, b], blend=t, adv_weight=_mix(ca.get("adv_weight"), cb.get("adv_weight"), t))
    return model, card


def smoke_test(model, name: str) -> None:
    """A few streaming steps over a scale must give finite logits and a chord distribution that sums to
    one: weights that load but cannot play (bit rot that kept the numbers finite but absurd, a network
    that outputs NaN) are refused before any session switches to them."""
    sp = StreamingPolicy(model)
    for f in range(SMOKE_FRAMES):
        mask = sp.chord_mask()
        logits = np.asarray(sp.chord_logits(), dtype=np.float64)[mask]
        if logits.size == 0 or not np.isfinite(logits).all():
            raise CheckpointError(f"checkpoint {name!r} fails its smoke test: its chord logits are not finite")
        p = np.exp(logits - logits.max())
        total = p.sum()
        if not np.isfinite(total) or total <= 0 or abs((p / total).sum() - 1.0) > 1e-6:
            raise CheckpointError(f"checkpoint {name!r} fails its smoke test: no valid chord distribution")
        chord = int(np.flatnonzero(mask)[int(np.argmax(logits))])
        sp.push(chord, T.note_on(60 + 2 * f) if f % 2 == 0 else T.SILENCE)


def quantise(t: float) -> float:
    """A blend position on the dial's grid (0.01 steps), so 0.3 and 0.30001 are one blend."""
    return round(min(max(float(t), 0.0), 1.0) * BLEND_STEPS) / BLEND_STEPS


def blend_name(a: str, b: str, t: float) -> str:
    return f"{a}+{b}@{quantise(t):.3g}"


def _mix(x, y, t: float):
    try:
        return (1.0 - t) * float(x) + t * float(y)
    except (TypeError, ValueError):
        return None
