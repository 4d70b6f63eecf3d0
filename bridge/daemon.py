"""`jamcore serve`: the real-time OSC daemon. Wires endpoint, clients' sessions, planner and outputs.

Threads: the endpoint's receiver (parse, validate, enqueue), one engine (this module's ``Bridge.run``:
every session's state, all model work, all sending), one checkpoint loader (hot swaps), and the
audio callback when audio output is on. Only the engine touches sessions, so they need no locks.

The engine loop, each turn:
1. take every queued message (notes, transport, settings...) and apply it: microseconds each;
2. ``advance`` every session to now: cursor, commits from the plan, a pending swap at a frame boundary;
3. send what changed (the committed near future, re-sent on every frame) and due heartbeats;
4. plan ONE frame for the most urgent session: first anything a frame boundary will commit
   (critical; earliest boundary first), then provisional lookahead; then back to 1, so a message never
   waits for more than one model step, and no client's speculation delays another's commit.
It sleeps only when no planning is due, until the next frame boundary, heartbeat or message.

Clients are identified by (host, reply port) from ``/jam/hello``; later messages are matched by their
source address. Tools that send every message from a fresh socket (liblo's ``oscsend``) are matched
to the only client registered from that host; with several clients on one host they must keep one
socket, as Max's ``udpsend`` and Pd's ``netsend`` do.
"""
from __future__ import annotations

from jamcore.checkpoints import DEFAULT_POLICY

import gc
import logging
import queue
import signal
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bridge import protocol as P
from bridge.library import Library, blend_name
from bridge.outputs import OscOutput, open_audio
from bridge.server import Endpoint, Inbound, build
from bridge.session import Session, Settings
from jamcore.stream import freeze_heap

log = logging.getLogger("jamcore.bridge")

MAX_CLIENTS = 16
CLIENT_TIMEOUT_S = 120.0  # silent this long: the client is gone (devices ping or send transport)
ERRORS_PER_SECOND = 20  # per client; a flood of bad messages gets this many answers, then a log line
STATUS_EVERY_BEATS = 8  # latency figures ride along with every 8th heartbeat
IDLE_SLEEP_S = 0.1
STALL_S = 0.05  # a turn this much longer than its planned wait is a stall worth a log line


@dataclass
class Client:
    id: int
    key: tuple[str, int]  # (host, reply port): who it is
    sender: tuple[str, int]  # where its messages come from
    session: Session
    last_seen: float
    next_heartbeat: float = 0.0
    heartbeats: int = 0
    error_window: float = 0.0
    errors_in_window: int = 0
    suppressed: int = 0
    aliases: set = field(default_factory=set)

    @property
    def reply(self) -> tuple[str, int]:
        return self.key


class Bridge:
    """The engine. ``run()`` blocks until ``stop()``; ``start_thread()`` runs it in the background."""

    # Incoming address -> handler method (docs/osc.md is checked against this and bridge/protocol.py).
    HANDLERS = {
        P.HELLO.path: "_hello", P.TRANSPORT.path: "_transport", P.NOTE.path: "_note",
        P.CHECKPOINT.path: "_checkpoint", P.BLEND.path: "_blend", P.SET.path: "_set",
        P.RESET.path: "_reset", P.PING.path: "_ping", P.LIST.path: "_list", P.BYE.path: "_bye",
        P.LOOP.path: "_loop",
    }

    @classmethod
    def handled_paths(cls) -> tuple[str, ...]:
        return tuple(cls.HANDLERS)

    def __init__(self, host: str = P.DEFAULT_HOST, port: int = P.DEFAULT_PORT, checkpoint: str = DEFAULT_POLICY,
                 checkpoint_dir: str | None = None, output: str = "midi", soundfont: str | None = None,
                 seed: int | None = None, settings: Settings | None = None,
                 client_timeout: float = CLIENT_TIMEOUT_S, library: Library | None = None):
        self.library = library or Library(checkpoint_dir)
        self.default_checkpoint = checkpoint
        self.library.load(checkpoint)  # fail fast, before binding: a daemon with no model is useless
        self.endpoint = Endpoint(host, port)
        self.inbox = self.endpoint.inbox
        self.osc = OscOutput(self.endpoint.send)
        self.audio, self.audio_reason = (None, "not requested")
        if output in ("audio", "both"):
            self.audio, self.audio_reason = open_audio(soundfont)
            if self.audio is None:
                log.warning("audio output unavailable: %s; serving chords as MIDI over OSC only", self.audio_reason)
        self.default_settings = settings or Settings()
        self.default_settings.output = output if (self.audio is not None or output == "midi") else "midi"
        self.seed = seed
        self.client_timeout = client_timeout
        self.clients: dict[tuple[str, int], Client] = {}  # by key
        self._by_sender: dict[tuple[str, int], Client] = {}
        self._next_id = 0
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jamcore-load")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rr = 0  # round-robin start for fair planning
        self._last_timeout = 0.0
        self.stalls = 0  # engine turns the OS delayed by more than STALL_S
        self.handlers = {path: getattr(self, name) for path, name in self.HANDLERS.items()}

    @property
    def port(self) -> int:
        return self.endpoint.port

    # ------------------------------------------------------------------ lifecycle
    def start_thread(self) -> "Bridge":
        self._thread = threading.Thread(target=self.run, name="jamcore-engine", daemon=True)
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=3.0)

    def run(self) -> None:
        self.endpoint.start()
        freeze_heap()
        try:
            while not self._stop.is_set():
                wall, cpu = time.monotonic(), time.thread_time()
                self._turn()
                self._watch_stalls(wall, cpu)
        finally:
            self._shutdown()

    def _watch_stalls(self, wall0: float, cpu0: float) -> None:
        """Log turns that took far longer than their work: the OS did not run us (an overloaded machine),
        which no scheduling of ours can hide. The count goes out as status ``stalls``."""
        wall = time.monotonic() - wall0
        if wall < STALL_S:
            return
        cpu = time.thread_time() - cpu0
        slept = self._last_timeout
        if wall - slept < STALL_S:
            return  # it was an idle wait, not a stall
        self.stalls += 1
        log.warning("engine stalled: a turn took %.0f ms (%.0f ms of it computing); chords may be late. "
                    "Is the machine overloaded?", 1e3 * (wall - slept), 1e3 * cpu)

    def _shutdown(self) -> None:
        for c in list(self.clients.values()):
            self._status(c, "connection", "closed")
        self.endpoint.close()
        self._loader.shutdown(wait=False, cancel_futures=True)
        if self.audio is not None:
            self.audio.close()

    # ------------------------------------------------------------------ the loop
    def _turn(self) -> None:
        timeout = 0.0 if self._planning_due() else self._sleep_time(time.monotonic())
        self._last_timeout = timeout
        try:
            self._apply(self.inbox.get(timeout=timeout) if timeout > 0 else self.inbox.get_nowait())
        except queue.Empty:
            pass
        while True:  # everything else already queued
            try:
                self._apply(self.inbox.get_nowait())
            except queue.Empty:
                break
        now = time.monotonic()
        for c in list(self.clients.values()):
            res = c.session.advance(now)
            for address, reason in res.errors:
                self._error(c, address, reason, now)
            for key, value in res.status:
                self._status(c, key, value)
            self._flush(c)
            if now >= c.next_heartbeat:
                self._heartbeat(c, now)
            if now - c.last_seen > self.client_timeout:
                log.info("client %s silent for %.0f s: dropped", c.key, now - c.last_seen)
                self._drop(c)
        self._plan_one(now)

    def _planning_due(self) -> bool:
        return any(c.session.planning_due() for c in self.clients.values())

    def _plan_one(self, now: float) -> None:
        """One frame of model work for the most urgent session: critical work (what the session's next
        frame boundary will commit) before provisional lookahead; among critical sessions the one whose
        boundary comes first (clients may run at different tempos), so a slow-tempo client's re-plan
        never delays a fast one's commit. Provisional work goes round-robin."""
        critical, provisional = None, None
        clients = list(self.clients.values())
        for i in range(len(clients)):
            c = clients[(self._rr + i) % len(clients)]
            due = c.session.planning_due()
            if due == 2:
                deadline = self._next_boundary(c, now)
                if critical is None or deadline < critical[0]:
                    critical = (deadline, c)
            elif due == 1 and provisional is None:
                provisional = c
        self._rr += 1
        cur = critical[1] if critical is not None else provisional
        if cur is None:
            return
        cur.session.plan_frame(now)
        self._flush(cur)

    @staticmethod
    def _next_boundary(c: Client, now: float) -> float:
        """Wall time of the client's next 16th boundary (far away when its transport is stopped)."""
        clock = c.session.clock
        wall = clock.wall_at((int(clock.beat_at(now) * 4) + 1) / 4.0)
        return now + 1.0 if wall is None else wall

    def _sleep_time(self, now: float) -> float:
        wake = now + IDLE_SLEEP_S
        for c in self.clients.values():
            wake = min(wake, c.next_heartbeat)
            if c.session.clock.playing:
                wake = min(wake, self._next_boundary(c, now) + 1e-4)
        return max(wake - now, 0.0)

    def _flush(self, c: Client) -> None:
        sends = c.session.take_sends()
        if not sends:
            return
        mode = c.session.settings.output
        if mode in ("midi", "both") or self.audio is None:
            self.osc.chords(c.id, c.reply, c.session.clock, sends, c.session.settings.program)
        if mode in ("audio", "both") and self.audio is not None:
            self.audio.chords(c.id, c.reply, c.session.clock, sends, c.session.settings.program)

    # ------------------------------------------------------------------ messages
    def _apply(self, msg: Inbound) -> None:
        client = self._client_for(msg.sender)
        if client is not None:
            client.last_seen = msg.arrival
        if msg.reason is not None:
            if client is None:
                log.debug("refused %s from unregistered %s: %s", msg.path, msg.sender, msg.reason)
            else:
                self._error(client, msg.path, msg.reason, msg.arrival)
            return
        if msg.path == P.HELLO.path:
            self._hello(msg, client)
            return
        if client is None:
            log.debug("ignored %s from unregistered %s", msg.path, msg.sender)
            return
        try:
            self.handlers[msg.path](msg, client)
        except Exception as exc:  # a bug must not take the daemon down: report and go on
            log.exception("error handling %s from %s", msg.path, client.key)
            self._error(client, msg.path, f"internal error: {exc}", msg.arrival)

    def _client_for(self, sender: tuple[str, int]) -> Client | None:
        c = self._by_sender.get(sender)
        if c is not None:
            return c
        same_host = [c for c in self.clients.values() if c.key[0] == sender[0]]
        if len(same_host) == 1:  # a tool that sends from a fresh port each time (oscsend)
            c = same_host[0]
            if len(c.aliases) < 64:
                c.aliases.add(sender)
                self._by_sender[sender] = c
            return c
        return None

    def _hello(self, msg: Inbound, client: Client | None) -> None:
        key = (msg.sender[0], int(msg.args[0]))
        existing = self.clients.get(key)
        if existing is not None and (existing.sender == msg.sender or msg.sender in existing.aliases):
            self._ready(existing)  # a repeated hello: same session
            return
        if existing is not None:
            log.info("client %s re-registered from a new port: new session", key)
            self._drop(existing)
        if len(self.clients) >= MAX_CLIENTS:
            log.warning("refused client %s: already %d clients", key, MAX_CLIENTS)
            self.endpoint.send(key, build(P.ERROR, P.HELLO.path, f"too many clients ({MAX_CLIENTS})"))
            return
        settings = Settings(**vars(self.default_settings))
        session = Session(self.library.policy(self.default_checkpoint), self.default_checkpoint, settings,
                          seed=None if self.seed is None else self.seed + self._next_id)
        c = Client(self._next_id, key, msg.sender, session, msg.arrival, next_heartbeat=msg.arrival)
        self._next_id += 1
        self.clients[key] = c
        self._by_sender[msg.sender] = c
        log.info("client %s registered (%d connected)", key, len(self.clients))
        self._ready(c)

    def _ready(self, c: Client) -> None:
        self.endpoint.send(c.reply, build(P.READY, P.PROTOCOL_VERSION, c.session.checkpoint))
        self._status(c, "checkpoint", c.session.checkpoint)
        self._status(c, "output", c.session.settings.output)

    def _transport(self, msg: Inbound, c: Client) -> None:
        playing, beat, bpm = msg.args
        upd = c.session.on_transport(bool(playing), beat, bpm, msg.arrival)
        if upd.kind != "continue":
            log.debug("client %s transport %s: beat %.3f -> %.3f at %.1f BPM", c.key, upd.kind,
                      upd.from_beat, upd.to_beat, bpm)
        if upd.tempo_changed or upd.first:
            c.next_heartbeat = msg.arrival  # re-time the heartbeat to the new tempo

    def _note(self, msg: Inbound, c: Client) -> None:
        pitch, velocity, beat = msg.args
        reason = c.session.on_note(pitch, velocity, beat, arrival=msg.arrival)
        if reason:
            self._error(c, P.NOTE.path, reason, msg.arrival)

    def _checkpoint(self, msg: Inbound, c: Client) -> None:
        name = msg.args[0]
        self._start_swap(c, name, lambda: self.library.policy(name))

    def _blend(self, msg: Inbound, c: Client) -> None:
        a, b, t = msg.args
        self._start_swap(c, blend_name(a, b, t), lambda: self.library.blended_policy(a, b, t))

    def _start_swap(self, c: Client, name: str, build_policy) -> None:
        job = c.session.swap_job(name, build_policy)

        def load_then_freeze():
            out = job()
            gc.freeze()  # the new model's objects join the frozen heap (see jamcore.stream.freeze_heap)
            return out

        c.session.begin_swap(name, self._loader.submit(load_then_freeze))
        self._status(c, "loading", name)

    def _set(self, msg: Inbound, c: Client) -> None:
        key, value = msg.args
        if key == "output" and value in ("audio", "both") and self.audio is None:
            self._error(c, P.SET.path, f"no audio output on the bridge ({self.audio_reason}); chords stay "
                                       f"on MIDI over OSC", msg.arrival)
            value = "midi"
        if key == "beats_per_bar":
            c.session.set_meter(value)
            note = None
        else:
            note = c.session.settings.set(key, value)
        if key == "output" and self.audio is not None and value == "midi":
            self.audio.forget(c.id)
        self._status(c, "setting", f"{key}={value}")
        if note:
            self._status(c, "setting", note)

    def _loop(self, msg: Inbound, c: Client) -> None:
        on, start, length = msg.args
        c.session.set_loop(bool(on), start, length)

    def _reset(self, msg: Inbound, c: Client) -> None:
        c.session.reset(msg.arrival)

    def _ping(self, msg: Inbound, c: Client) -> None:
        self.endpoint.send(c.reply, build(P.PONG, int(msg.args[0])))

    def _list(self, msg: Inbound, c: Client) -> None:
        self.endpoint.send(c.reply, build(P.CHECKPOINTS, *self.library.names()))

    def _bye(self, msg: Inbound, c: Client) -> None:
        log.info("client %s said bye", c.key)
        self._drop(c)

    # ------------------------------------------------------------------ replies
    def _drop(self, c: Client) -> None:
        self.clients.pop(c.key, None)
        for s in [s for s, cc in self._by_sender.items() if cc is c]:
            del self._by_sender[s]
        if self.audio is not None:
            self.audio.forget(c.id)

    def _status(self, c: Client, key: str, value) -> None:
        self.endpoint.send(c.reply, build(P.STATUS, key, value))

    def _error(self, c: Client, address: str, reason: str, now: float) -> None:
        if now - c.error_window >= 1.0:
            if c.suppressed:
                log.warning("client %s: %d more bad messages in the last second (not answered)", c.key,
                            c.suppressed)
            c.error_window, c.errors_in_window, c.suppressed = now, 0, 0
        c.errors_in_window += 1
        if c.errors_in_window > ERRORS_PER_SECOND:
            c.suppressed += 1
            return
        log.info("client %s: refused %s: %s", c.key, address or "packet", reason)
        self.endpoint.send(c.reply, build(P.ERROR, address or "", reason))

    def _heartbeat(self, c: Client, now: float) -> None:
        s = c.session
        self._status(c, "heartbeat", float(s.clock.beat_at(now)))
        c.heartbeats += 1
        if c.heartbeats % STATUS_EVERY_BEATS == 0 and s.reaction_ms:
            lat = sorted(s.reaction_ms)
            self._status(c, "latency_p50_ms", float(statistics.median(lat)))
            self._status(c, "latency_p99_ms", float(lat[min(len(lat) - 1, int(0.99 * len(lat)))]))
            self._status(c, "latency_max_ms", float(lat[-1]))
            self._status(c, "late_chords", int(s.late_commits))
            self._status(c, "stalls", int(self.stalls))
        c.next_heartbeat = max(c.next_heartbeat + 60.0 / s.clock.bpm, now)


# ---------------------------------------------------------------------------------------------
# `jamcore serve`


def add_arguments(parser) -> None:
    parser.add_argument("--host", default=P.DEFAULT_HOST, help=f"address to listen on (default {P.DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=P.DEFAULT_PORT, help=f"UDP port (default {P.DEFAULT_PORT})")
    parser.add_argument("--checkpoint", default=DEFAULT_POLICY, help=f"policy checkpoint to start with (default: {DEFAULT_POLICY})")
    parser.add_argument("--checkpoint-dir", default=None, help="directory of checkpoints to serve")
    parser.add_argument("--output", choices=P.OUTPUT_MODES, default="midi",
                        help="midi: chords as OSC for the device to play; audio: the bridge plays them "
                             "(FluidSynth); both (default: midi)")
    parser.add_argument("--soundfont", default=None, help="GM soundfont for audio output (default: FluidR3_GM)")
    parser.add_argument("--lookahead-beats", type=float, default=Settings.lookahead_beats,
                        help=f"default plan length per client (default {Settings.lookahead_beats})")
    parser.add_argument("--commit-beats", type=float, default=Settings.commit_beats,
                        help=f"chords this close are final and sent (default {Settings.commit_beats})")
    parser.add_argument("--temperature", type=float, default=Settings.temperature,
                        help=f"default sampling temperature (default {Settings.temperature})")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fresh each run)")
    parser.add_argument("--client-timeout", type=float, default=CLIENT_TIMEOUT_S,
                        help=f"drop a client silent this many seconds (default {CLIENT_TIMEOUT_S:g})")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning"))


def settings_from_args(args) -> Settings:
    from jamcore.cli import CommandError

    s = Settings(temperature=args.temperature, lookahead_beats=args.lookahead_beats, commit_beats=args.commit_beats)
    if not 0.25 <= s.commit_beats <= s.lookahead_beats <= 8:
        raise CommandError("need 0.25 <= --commit-beats <= --lookahead-beats <= 8")
    if not 0 <= s.temperature <= 3:
        raise CommandError("--temperature must be in 0..3")
    return s


def run(args) -> int:
    from jamcore.checkpoints import CheckpointError
    from jamcore.cli import CommandError

    logging.basicConfig(level=getattr(logging, args.log_level.upper()),
                        format="%(asctime)s jamcore: %(message)s", datefmt="%H:%M:%S")
    import torch

    torch.set_num_threads(1)  # tiny models: one thread is fastest and leaves cores to Live
    try:
        bridge = Bridge(args.host, args.port, args.checkpoint, args.checkpoint_dir, args.output, args.soundfont,
                        args.seed, settings_from_args(args), args.client_timeout)
    except CheckpointError as exc:
        raise CommandError(f"{exc}. Train one (`jamcore train mle`) or pass --checkpoint/--checkpoint-dir") from exc
    except OSError as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc

    def on_signal(signum, frame):
        log.info("%s: shutting down", signal.Signals(signum).name)
        bridge._stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    out = bridge.default_settings.output
    if args.output != out:
        print(f"jamcore: no audio output ({bridge.audio_reason}); serving chords as MIDI over OSC", flush=True)
    print(f"jamcore bridge listening on {args.host}:{bridge.port} (checkpoint {args.checkpoint}, output {out})",
          flush=True)
    # The engine runs on its own thread; this (main) thread only waits for signals. A signal landing in
    # a queue.SimpleQueue.get(timeout) whose deadline has passed can make CPython 3.11 wait forever,
    # so signals must not reach the engine's blocking calls: time.sleep is safe to interrupt.
    bridge.start_thread()
    while not bridge._stop.is_set() and bridge.alive:
        time.sleep(0.2)
    bridge.stop()
    print("jamcore bridge stopped", flush=True)
    return 0
