"""`jamcore serve`: the real-time OSC daemon. Wires endpoint, clients' sessions, planner and outputs.

Threads: the endpoint's receiver (parse, validate, enqueue), one engine (this module's ``Bridge.run``:
every session's state, all model work, all sending), one checkpoint loader (hot swaps: it waits for
the loader's worker process, ``bridge.loader``, then primes the new policy), and the audio callback
when audio output is on. Only the engine touches sessions, so they need no locks.

The engine loop, each turn:
1. take queued messages, a bounded batch per client in turn (``bridge.inbox``: one bounded queue per
   client, the oldest dropped when a flood fills it) and apply them: transport reports coalesced (the
   latest in a batch wins, and a client's transport moves at most once a frame), at most
   ``NOTES_PER_TURN`` notes and ``CONTROL_PER_TURN`` other messages per client, all clients' batches
   within ``APPLY_BUDGET_S``; what is left waits for the next turn, first in line;
2. ``advance`` every session to now: cursor, commits from the plan, a pending swap at a frame boundary;
3. send what changed (the committed near future, re-sent on every frame) and due heartbeats;
4. plan ONE frame for the most urgent session: first anything a frame boundary will commit
   (critical; earliest boundary first), then provisional lookahead; then back to 1, so a message never
   waits for more than one model step, and no client's speculation or flood delays another's commit.
It sleeps only when no planning is due, until the next frame boundary, heartbeat or message.

Clients are source addresses: the exact (host, port) that sent ``/jam/hello`` (with the shared secret
when the daemon has one); replies go to that host at the reply port the hello named. Messages from any
other source are dropped at the inbox's door, answered by nothing. A hello from another socket that
would take over a live session's reply address is refused while that session was heard from in the last
``ALIVE_S`` seconds (after that it is a device that restarted: it replaces the old session). At most
``MAX_CLIENTS`` sessions, ``MAX_PER_HOST`` per host: when full, the longest-silent session goes first;
if every session is alive the newcomer is refused. A playing client that has sent nothing for
``PARK_BEATS`` beats is parked (no planning, nothing sent) until it speaks again. Admission: the
engine knows what a planned frame costs and refuses to start a transport that would take it past
``FRAME_BUDGET`` of a core while other clients play, rather than make them late. docs/reliability.md
states what the daemon promises.
"""
from __future__ import annotations

import gc
import hmac
import logging
import signal
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bridge import protocol as P
from bridge.access import AccessError, Allowed, QuietLog, check_exposure, parse_allow
from bridge.inbox import Inbox
from bridge.library import Library, blend_name, quantise
from bridge.outputs import NullOutput, OscOutput, open_audio
from bridge.server import Endpoint, Inbound, build
from bridge.session import Session, Settings
from jamcore.checkpoints import DEFAULT_POLICY, CheckpointError, check_name
from jamcore.errors import CommandError
from jamcore.lean_options import add_lean_arguments
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.stream import freeze_heap

log = logging.getLogger("jamcore.bridge")

MAX_CLIENTS = 16
MAX_PER_HOST = 8
CLIENT_TIMEOUT_S = 120.0  # silent this long: the client is gone (devices ping or send transport)
ALIVE_S = 5.0  # heard from this recently: a hello from another socket may not take its place or slot
PARK_BEATS = 4.0  # a playing client silent this many beats (and at least PARK_MIN_S) is parked
PARK_MIN_S = 1.0
ERRORS_PER_SECOND = 20  # per client; a flood of bad messages gets this many answers, then a log line
REPLIES_PER_SECOND = 50  # per client: /jam/pong and /jam/checkpoints answers (more are not answered)
HELLO_REFUSALS_PER_SECOND = 5  # answers to refused hellos, all senders together
# Work per turn (step 1 of the loop).
MESSAGES_PER_TURN = 64  # taken from one client's queue per turn
NOTES_PER_TURN = 32
CONTROL_PER_TURN = 4  # checkpoint, blend, set, reset, ping, list, bye, refusals
STRANGERS_PER_TURN = 8  # hellos from senders not registered yet
APPLY_BUDGET_S = 0.004  # all clients' batches together; the rest waits for the next turn
TRANSPORT_EVERY_FRAMES = 1.0  # a client's transport moves at most once a frame (16th) at its tempo
# Admission: a playing client costs (bpm / 15) frames a second times REPLAN_FACTOR model steps (notes
# make the planner re-plan the lookahead) times the measured cost of one step.
FRAME_BUDGET = 0.7  # of one core
SWAP_EVERY_S = 1.0  # a client's checkpoint loads start at most this often (the newest request waits)
REPLAN_FACTOR = 4.0
FLOOD_MEMORY_S = 1.0  # a client whose messages were dropped this recently plans after the others
STATUS_EVERY_BEATS = 8  # latency figures ride along with every 8th heartbeat
IDLE_SLEEP_S = 0.1
STALL_S = 0.05  # a turn this much longer than its planned wait is a stall worth a log line


@dataclass
class Client:
    id: int
    sender: tuple[str, int]  # who it is: the source address that said hello
    reply_port: int
    session: Session
    last_seen: float
    next_heartbeat: float = 0.0
    heartbeats: int = 0
    error_window: float = 0.0
    errors_in_window: int = 0
    suppressed: int = 0
    reply_window: float = 0.0
    replies_in_window: int = 0
    parked: bool = False
    held_transport: Inbound | None = None  # the latest report, waiting for a frame to pass since the last
    transport_at: float = -1e9  # when a transport report was last applied
    quota_window: float = 0.0  # start of the second in which planned frames are counted
    planned_in_window: int = 0  # frames planned for it in that second (its share, see _plan_one)
    wanted: tuple | None = None  # (name, msg, names, build) of the newest checkpoint request not yet loading
    swap_at: float = -1e9  # when its last load started
    dropped: int = 0  # messages dropped from its full queue
    dropped_told: float = -1e9  # when it was last told (once a second at most)
    flooded_at: float = -1e9  # when messages of it were last dropped (it sends more than the protocol needs)
    coalesced: int = 0  # transport reports superseded by a later one before being applied

    @property
    def key(self) -> tuple[str, int]:
        return self.sender

    @property
    def reply(self) -> tuple[str, int]:
        return (self.sender[0], self.reply_port)


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
                 checkpoint_dir=None, output: str = "midi", soundfont: str | None = None,
                 seed: int | None = None, settings: Settings | None = None,
                 client_timeout: float = CLIENT_TIMEOUT_S, library: Library | None = None,
                 allow: tuple = (), secret: str | None = None):
        self.exposure = check_exposure(host, tuple(allow), secret)  # AccessError before anything else
        self.library = library or Library(checkpoint_dir)
        # Fail fast, before binding: a daemon with no model is useless. A path given here (the performer
        # typed it) joins the library under its name; clients only ever name checkpoints.
        self.default_checkpoint = self.library.load_startup(checkpoint)
        self.secret = secret
        self.inbox = Inbox()
        self.endpoint = Endpoint(host, port, self.inbox, Allowed(tuple(allow)))
        self.osc = OscOutput(self.endpoint.send)
        self.audio, self.audio_reason = NullOutput(), "not requested"
        if output in ("audio", "both"):
            self.audio, self.audio_reason = open_audio(soundfont)
            if not self.has_audio:
                log.warning("audio output unavailable: %s; serving chords as MIDI over OSC only", self.audio_reason)
        self.default_settings = settings or Settings()
        self.default_settings.output = output if (self.has_audio or output == "midi") else "midi"
        self.seed = seed
        self.client_timeout = client_timeout
        self.clients: dict[tuple[str, int], Client] = {}  # by sender
        self._next_id = 0
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jamcore-load")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rr = 0  # round-robin start for fair planning
        self._rr_in = 0  # round-robin start for taking messages
        self._last_timeout = 0.0
        self.stalls = 0  # engine turns the OS delayed by more than STALL_S
        self.frame_cost = self._measure_frame_cost()  # seconds of one planned frame (updated as it plays)
        self.refused_hellos = QuietLog(log, "refused a /jam/hello")
        self._hello_window, self._hello_answers = 0.0, 0
        self._stall_log = QuietLog(log, "engine stalled")
        self.handlers = {path: getattr(self, name) for path, name in self.HANDLERS.items()}

    def _measure_frame_cost(self) -> float:
        """What one planned frame of the start-up policy costs here (a few steps, best of them)."""
        session = Session(self.library.policy(self.default_checkpoint), self.default_checkpoint, Settings(), seed=0)
        session.on_transport(True, 0.0, 120.0, 0.0)
        best = 1.0
        for _ in range(12):
            t0 = time.thread_time()
            session.plan_frame()
            best = min(best, time.thread_time() - t0)
        return best

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
        # The loader's worker process starts now, on the loader's thread: its start-up is over before a
        # client plays, and the engine never waits for a spawn.
        self._loader.submit(self.library.loader.start)
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
        self._stall_log.note("a turn took %.0f ms (%.0f ms of it computing); chords may be late. Is the machine "
                             "overloaded?", 1e3 * (wall - slept), 1e3 * cpu)

    def _shutdown(self) -> None:
        for c in list(self.clients.values()):
            self._status(c, "connection", "closed")
        self.endpoint.close()
        self._loader.shutdown(wait=False, cancel_futures=True)
        self.library.close()
        self.audio.close()

    @property
    def has_audio(self) -> bool:
        """Whether chords can sound from the bridge itself (else ``audio`` is a ``NullOutput``)."""
        return not isinstance(self.audio, NullOutput)

    # ------------------------------------------------------------------ the loop
    def _turn(self) -> None:
        now = time.monotonic()
        timeout = 0.0 if self._planning_due() else self._sleep_time(now)
        self._last_timeout = timeout
        self.inbox.wait(timeout)
        self._take_messages()
        now = time.monotonic()
        for c in list(self.clients.values()):
            if c.held_transport is not None and now - c.transport_at >= self._transport_every(c):
                held, c.held_transport = c.held_transport, None
                self._apply_transport(held, c, now)
            if c.wanted is not None:
                self._submit_wanted(c, now)
            if now - c.last_seen > self.client_timeout:
                log.info("client %s silent for %.0f s: dropped", c.key, now - c.last_seen)
                self._drop(c)
                continue
            if not c.parked and c.session.clock.playing and now - c.last_seen > self._park_after(c):
                c.parked = True
                log.info("client %s: playing but silent for %.1f s: parked (no planning, nothing sent) until "
                         "it speaks again", c.key, now - c.last_seen)
            if c.parked:
                continue
            res = c.session.advance(now)
            for address, reason in res.errors:
                self._error(c, address, reason, now)
            for key, value in res.status:
                self._status(c, key, value)
            self._flush(c)
            if now >= c.next_heartbeat:
                self._heartbeat(c, now)
        self._plan_one(now)

    @staticmethod
    def _transport_every(c: Client) -> float:
        return TRANSPORT_EVERY_FRAMES * 60.0 / c.session.clock.bpm / FRAMES_PER_BEAT

    @staticmethod
    def _park_after(c: Client) -> float:
        return max(PARK_BEATS * 60.0 / c.session.clock.bpm, PARK_MIN_S)

    def _planning_due(self) -> bool:
        return any(not c.parked and c.session.planning_due() for c in self.clients.values())

    def _plan_one(self, now: float) -> None:
        """One frame of model work for the most urgent session: critical work (what the session's next
        frame boundary will commit) before provisional lookahead; among critical sessions the one whose
        boundary comes first (clients may run at different tempos), so a slow-tempo client's re-plan
        never delays a fast one's commit. Provisional work goes round-robin. Among critical (and among
        provisional) sessions, one whose client has used more than its share in the last second (what
        its tempo needs, see REPLAN_FACTOR: a seek flood re-plans without end) comes after the others,
        and one that is flooding (its messages were dropped in the last FLOOD_MEMORY_S) after every
        other, even one over its share (three honest clients at 180 BPM with an 8th-note melody can go over
        theirs): when the engine is short of CPU, the flooding client's chords are the ones that come
        late."""
        best, best_rank = None, None
        clients = [c for c in self.clients.values() if not c.parked]
        for i in range(len(clients)):
            c = clients[(self._rr + i) % len(clients)]
            due = c.session.planning_due()
            if not due:
                continue
            # rank: critical before provisional, then not flooding, then within its share, then the
            # earliest boundary (an honest client re-planning after every note may go over its share;
            # it still comes before a flooding one)
            rank = (due != 2, self._flooding(c, now), self._over_share(c, now),
                    self._next_boundary(c, now) if due == 2 else 0.0)
            if best_rank is None or rank < best_rank:
                best, best_rank = c, rank
        self._rr += 1
        if best is None:
            return
        t0 = time.thread_time()
        best.session.plan_frame(now)
        self.frame_cost += 0.01 * (time.thread_time() - t0 - self.frame_cost)
        best.planned_in_window += 1
        self._flush(best)

    @staticmethod
    def _flooding(c: Client, now: float) -> bool:
        """Messages of ``c`` were dropped in the last ``FLOOD_MEMORY_S``: a sender that takes more than
        the protocol needs gets what is left when every other client is served."""
        return now - c.flooded_at < FLOOD_MEMORY_S

    def _over_share(self, c: Client, now: float) -> bool:
        """Whether ``c`` used more than its share of planning in the last second (it comes after the
        clients within theirs)."""
        if now - c.quota_window >= 1.0:
            c.quota_window, c.planned_in_window = now, 0
        share = c.session.clock.bpm / 60.0 * FRAMES_PER_BEAT * REPLAN_FACTOR
        return c.planned_in_window > share

    @staticmethod
    def _next_boundary(c: Client, now: float) -> float:
        """Wall time of the client's next 16th boundary (far away when its transport is stopped)."""
        clock = c.session.clock
        wall = clock.wall_at((int(clock.beat_at(now) * 4) + 1) / 4.0)
        return now + 1.0 if wall is None else wall

    def _sleep_time(self, now: float) -> float:
        wake = now + IDLE_SLEEP_S
        for c in self.clients.values():
            if c.held_transport is not None:
                wake = min(wake, c.transport_at + self._transport_every(c))
            if c.wanted is not None:
                wake = min(wake, c.swap_at + SWAP_EVERY_S)
            if c.parked:
                continue
            wake = min(wake, c.next_heartbeat)
            if c.session.clock.playing:
                wake = min(wake, self._next_boundary(c, now) + 1e-4)
        return max(wake - now, 0.0)

    def _flush(self, c: Client) -> None:
        sends = c.session.take_sends()
        if not sends:
            return
        mode = c.session.settings.output
        if mode in ("midi", "both") or not self.has_audio:
            self.osc.chords(c.id, c.reply, c.session.clock, sends, c.session.settings.program)
        if mode in ("audio", "both"):
            self.audio.chords(c.id, c.reply, c.session.clock, sends, c.session.settings.program)

    # ------------------------------------------------------------------ admission
    def _demand(self, bpm: float) -> float:
        """Fraction of a core a client playing at ``bpm`` takes (see REPLAN_FACTOR)."""
        return bpm / 60.0 * FRAMES_PER_BEAT * REPLAN_FACTOR * self.frame_cost

    def engine_load(self, exclude: Client | None = None) -> float:
        return sum(self._demand(c.session.clock.bpm) for c in self.clients.values()
                   if c is not exclude and not c.parked and c.session.clock.playing)

    # ------------------------------------------------------------------ messages
    def _take_messages(self) -> None:
        """Step 1 of the loop: strangers' hellos, then a bounded batch from each client in turn, within
        APPLY_BUDGET_S (a client not reached this turn is first in line next turn)."""
        for msg in self.inbox.take_strangers(STRANGERS_PER_TURN):
            self._apply(msg, self.clients.get(msg.sender))
        deadline = time.perf_counter() + APPLY_BUDGET_S
        clients = list(self.clients.values())
        n = len(clients)
        for i in range(n):
            c = clients[(self._rr_in + i) % n]
            if self.clients.get(c.sender) is not c:
                continue  # dropped by an earlier message this turn
            if time.perf_counter() > deadline:
                self._rr_in = (self._rr_in + i) % n
                break
            self._take_batch(c)
        else:
            self._rr_in = (self._rr_in + 1) % max(n, 1)

    def _take_batch(self, c: Client) -> None:
        batch = self.inbox.take(c.sender, MESSAGES_PER_TURN)
        dropped = self.inbox.take_dropped(c.sender)
        if dropped:
            c.dropped += dropped
            now = time.monotonic()
            c.flooded_at = now
            if now - c.dropped_told >= 1.0:  # told once a second at most, with the count so far
                c.dropped_told = now
                self._error(c, "", f"too many messages: the bridge dropped the oldest ({c.dropped} so far); "
                                   f"send at most what the protocol needs", now, counted=False)
        if not batch:
            return
        last_transport = max((i for i, m in enumerate(batch) if m.path == P.TRANSPORT.path and m.reason is None),
                             default=-1)
        notes = control = 0
        for i, msg in enumerate(batch):
            if msg.reason is None and msg.path == P.TRANSPORT.path:
                if i != last_transport:
                    c.coalesced += 1
                    continue
            elif msg.reason is None and msg.path == P.NOTE.path:
                notes += 1
                if notes > NOTES_PER_TURN:
                    self.inbox.give_back(c.sender, batch[i:])
                    break
            else:
                control += 1
                if control > CONTROL_PER_TURN:
                    self.inbox.give_back(c.sender, batch[i:])
                    break
            self._apply(msg, c)
            if self.clients.get(c.sender) is not c:
                break  # it said bye

    def _apply(self, msg: Inbound, client: Client | None) -> None:
        if client is not None:
            client.last_seen = msg.arrival
            if client.parked:
                client.parked = False
                client.session.skip_to(time.monotonic())
                client.next_heartbeat = msg.arrival
                log.info("client %s spoke again: resumed", client.key)
        if msg.reason is not None:
            if client is not None:
                self._error(client, msg.path, msg.reason, msg.arrival)
            return
        if msg.path == P.HELLO.path:
            self._hello(msg, client)
            return
        if client is None and msg.path == P.PING.path:
            # "Is a bridge here?" (the device's launcher asks before it starts one): answered to the
            # socket that asked; the inbox's door lets a few a second through, as it does hellos.
            self.endpoint.send(msg.sender, build(P.PONG, int(msg.args[0])))
            return
        if client is None:
            self.endpoint.strangers.note("%s from %s", msg.path, msg.sender, now=msg.arrival)
            return
        try:
            self.handlers[msg.path](msg, client)
        except Exception as exc:  # a bug must not take the daemon down: report and go on
            log.exception("error handling %s from %s", msg.path, client.key)
            self._error(client, msg.path, f"internal error: {type(exc).__name__}", msg.arrival)

    def _alive(self, c: Client, now: float) -> bool:
        return now - c.last_seen < ALIVE_S

    def _hello(self, msg: Inbound, client: Client | None) -> None:
        reply_port = int(msg.args[0])
        reply = (msg.sender[0], reply_port)
        if self.secret is not None and not hmac.compare_digest(
                (msg.args[1] if len(msg.args) > 1 else "").encode(), self.secret.encode()):
            self._refuse_hello(msg, reply, "wrong or missing secret (the bridge runs with --secret; set the "
                                           "same one in the device)")
            return
        now = msg.arrival
        if client is not None:  # a repeated hello from the same socket: same session
            other = next((c for c in self.clients.values() if c is not client and c.reply == reply), None)
            if reply_port != client.reply_port and other is None:
                client.reply_port = reply_port
            self._ready(client)
            return
        other = next((c for c in self.clients.values() if c.reply == reply), None)
        if other is not None:
            if self._alive(other, now):
                # Not answered: the reply address belongs to the live session.
                self.refused_hellos.note("%s asked for %s, the reply address of live client %s", msg.sender, reply,
                                         other.key, now=now)
                return
            log.info("client %s replaces silent client %s (same reply address %s)", msg.sender, other.key, reply)
            self._drop(other)
        for pool, cap, what in ((lambda c: c.sender[0] == msg.sender[0], MAX_PER_HOST, "from this host"),
                                (lambda c: True, MAX_CLIENTS, "")):
            members = [c for c in self.clients.values() if pool(c)]
            if len(members) < cap:
                continue
            silent = [c for c in members if not self._alive(c, now)]
            if not silent:
                self._refuse_hello(msg, reply, f"too many clients{' ' + what if what else ''} ({cap}), all active")
                return
            victim = min(silent, key=lambda c: c.last_seen)
            log.info("client %s evicted (silent %.0f s) for newcomer %s", victim.key, now - victim.last_seen,
                     msg.sender)
            self._drop(victim)
        settings = Settings(**vars(self.default_settings))
        session = Session(self.library.policy(self.default_checkpoint), self.default_checkpoint, settings,
                          seed=None if self.seed is None else self.seed + self._next_id)
        c = Client(self._next_id, msg.sender, reply_port, session, now, next_heartbeat=now)
        self._next_id += 1
        self.clients[c.sender] = c
        self.inbox.register(c.sender)
        log.info("client %s registered, replies to port %d (%d connected)", c.key, reply_port, len(self.clients))
        self._ready(c)

    def _refuse_hello(self, msg: Inbound, reply: tuple[str, int], reason: str) -> None:
        """Log (quietly) and answer a few a second in all: a refused hello is nobody's session yet, and its
        reply address may be anyone's."""
        self.refused_hellos.note("%s: %s", msg.sender, reason, now=msg.arrival)
        if msg.arrival - self._hello_window >= 1.0:
            self._hello_window, self._hello_answers = msg.arrival, 0
        self._hello_answers += 1
        if self._hello_answers <= HELLO_REFUSALS_PER_SECOND:
            self.endpoint.send(reply, build(P.ERROR, P.HELLO.path, reason))

    def _ready(self, c: Client) -> None:
        self.endpoint.send(c.reply, build(P.READY, P.PROTOCOL_VERSION, c.session.checkpoint))
        self._status(c, "checkpoint", c.session.checkpoint)
        self._status(c, "output", c.session.settings.output)

    def _transport(self, msg: Inbound, c: Client) -> None:
        if msg.arrival - c.transport_at < self._transport_every(c):
            if c.held_transport is not None:
                c.coalesced += 1
            c.held_transport = msg  # applied once a frame has passed (the latest wins)
            return
        c.held_transport = None
        self._apply_transport(msg, c, msg.arrival)

    def _apply_transport(self, msg: Inbound, c: Client, now: float) -> None:
        playing, beat, bpm = msg.args
        clock = c.session.clock
        c.transport_at = now
        if playing and (not clock.playing or bpm > clock.bpm + 1e-3):
            others = self.engine_load(exclude=c)
            if others > 0 and others + self._demand(bpm) > FRAME_BUDGET:
                self._error(c, P.TRANSPORT.path, f"the bridge is at capacity: playing at {bpm:g} BPM would make "
                                                 f"other clients' chords late; the transport stays as it was",
                            msg.arrival)
                return
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
        self._start_swap(c, msg, name, (name,), lambda priming: self.library.primed(name, priming))

    def _blend(self, msg: Inbound, c: Client) -> None:
        a, b, t = msg.args
        t = quantise(t)
        self._start_swap(c, msg, blend_name(a, b, t), (a, b),
                         lambda priming: self.library.primed_blend(a, b, t, priming))

    def _known(self, c: Client, msg: Inbound, names: tuple[str, ...], lookup: bool) -> bool:
        """Names spelt as names (``lookup`` False: string checks only) or in the library (a file lookup
        on the engine, no loading: done only for the request that starts)."""
        try:
            for name in names:
                self.library.stem(name) if lookup else check_name(name)
            return True
        except CheckpointError as exc:
            self._error(c, msg.path, f"{exc}; keeping {c.session.swapping or c.session.checkpoint!r}", msg.arrival)
            return False

    def _start_swap(self, c: Client, msg: Inbound, name: str, names: tuple[str, ...], build_policy) -> None:
        """The newest request wins: it replaces one not yet loading (a load waiting for the loader is
        cancelled) and starts when the client's running load is done, at most every SWAP_EVERY_S; a
        request replaced before it starts costs a string check."""
        if self._known(c, msg, names, lookup=False):
            c.wanted = (name, msg, names, build_policy)
            self._submit_wanted(c, time.monotonic())

    def _submit_wanted(self, c: Client, now: float) -> None:
        pending = c.session.pending_future
        if pending is not None and not pending.done() and not pending.cancel():
            return  # running: the wanted one starts when it is done
        if now - c.swap_at < SWAP_EVERY_S:
            return
        (name, msg, names, build_policy), c.wanted = c.wanted, None
        if not self._known(c, msg, names, lookup=True):
            return
        c.swap_at = now
        job = c.session.swap_job(name, build_policy)
        library = self.library

        def load_then_freeze():
            try:
                out = job()
            except CheckpointError as exc:
                raise CheckpointError(library.public(exc)) from None
            except Exception as exc:  # anything else a bad file may raise: one line, no paths
                raise CheckpointError(library.public(f"{type(exc).__name__}: {exc}")) from None
            gc.freeze()  # the new model's objects join the frozen heap (see jamcore.stream.freeze_heap)
            return out

        c.session.begin_swap(name, self._loader.submit(load_then_freeze))
        self._status(c, "loading", name)

    def _set(self, msg: Inbound, c: Client) -> None:
        key, value = msg.args
        if key == "output" and value in ("audio", "both") and not self.has_audio:
            self._error(c, P.SET.path, f"no audio output on the bridge ({self.audio_reason}); chords stay "
                                       f"on MIDI over OSC", msg.arrival)
            value = "midi"
        if key == "beats_per_bar":
            c.session.set_meter(value)
            note = None
        elif key == "grid":
            c.session.set_grid(value)
            note = None
        elif key in ("recall", "forecast"):
            c.session.set_lean(key, value)
            note = None
        else:
            note = c.session.settings.set(key, value)
        if key == "output" and value == "midi":
            self.audio.forget(c.id)
        self._status(c, "setting", f"{key}={value}")
        if note:
            self._status(c, "setting", note)

    def _loop(self, msg: Inbound, c: Client) -> None:
        on, start, length = msg.args
        c.session.set_loop(bool(on), start, length)

    def _reset(self, msg: Inbound, c: Client) -> None:
        c.session.reset(msg.arrival)

    def _reply_allowed(self, c: Client, now: float) -> bool:
        if now - c.reply_window >= 1.0:
            c.reply_window, c.replies_in_window = now, 0
        c.replies_in_window += 1
        return c.replies_in_window <= REPLIES_PER_SECOND

    def _ping(self, msg: Inbound, c: Client) -> None:
        if self._reply_allowed(c, msg.arrival):
            self.endpoint.send(c.reply, build(P.PONG, int(msg.args[0])))

    def _list(self, msg: Inbound, c: Client) -> None:
        if self._reply_allowed(c, msg.arrival):
            self.endpoint.send(c.reply, build(P.CHECKPOINTS, *self.library.names()))

    def _bye(self, msg: Inbound, c: Client) -> None:
        log.info("client %s said bye", c.key)
        self._drop(c)

    # ------------------------------------------------------------------ replies
    def _drop(self, c: Client) -> None:
        self.clients.pop(c.key, None)
        self.inbox.unregister(c.sender)
        pending = c.session.pending_future
        if pending is not None:
            pending.cancel()
        self.audio.forget(c.id)

    def _status(self, c: Client, key: str, value) -> None:
        self.endpoint.send(c.reply, build(P.STATUS, key, value))

    def _error(self, c: Client, address: str, reason: str, now: float, counted: bool = True) -> None:
        """Answer a refusal: at most ERRORS_PER_SECOND a second per client (``counted=False``: a notice
        that has its own limit, such as the dropped-messages one, goes out whatever the count)."""
        if not counted:
            log.info("client %s: %s", c.key, reason)
            self.endpoint.send(c.reply, build(P.ERROR, address, reason))
            return
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
    parser.add_argument("--host", default=P.DEFAULT_HOST,
                        help=f"address to listen on (default {P.DEFAULT_HOST}: this computer only); any other "
                             f"needs --allow")
    parser.add_argument("--allow", default=None, metavar="CIDR[,CIDR]",
                        help="networks whose datagrams the bridge reads besides loopback, e.g. 192.168.1.0/24 "
                             "(required with a --host other than loopback)")
    parser.add_argument("--secret", default=None,
                        help="a shared word /jam/hello must carry (set the same one in the device)")
    parser.add_argument("--port", type=int, default=P.DEFAULT_PORT, help=f"UDP port (default {P.DEFAULT_PORT})")
    parser.add_argument("--checkpoint", default=DEFAULT_POLICY, help=f"policy checkpoint to start with (default: {DEFAULT_POLICY})")
    parser.add_argument("--checkpoint-dir", default=None, action="append",
                        help="a folder of checkpoints to serve besides the shipped ones (repeatable); clients "
                             "ask for checkpoints by name (/jam/list), never by path")
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
    add_lean_arguments(parser)  # each client's default (/jam/set recall|forecast changes one client's)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fresh each run)")
    parser.add_argument("--client-timeout", type=float, default=CLIENT_TIMEOUT_S,
                        help=f"drop a client silent this many seconds (default {CLIENT_TIMEOUT_S:g})")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning"))


def settings_from_args(args) -> Settings:
    """The per-client defaults from the command line, within the same limits as ``/jam/set``
    (``bridge.protocol.SETTING_VALUES``)."""
    s = Settings(temperature=args.temperature, lookahead_beats=args.lookahead_beats, commit_beats=args.commit_beats,
                 recall=args.recall, forecast=args.forecast)
    for key in ("temperature", "lookahead_beats", "commit_beats", "recall", "forecast"):
        low, high, _ = P.SETTING_VALUES[key]
        if not low <= getattr(s, key) <= high:
            raise CommandError(f"--{key.replace('_', '-')} must be in {low:g}..{high:g}")
    if s.commit_beats > s.lookahead_beats:
        raise CommandError("--commit-beats must not exceed --lookahead-beats")
    return s


def run(args) -> int:
    logging.basicConfig(level=getattr(logging, args.log_level.upper()),
                        format="%(asctime)s jamcore: %(message)s", datefmt="%H:%M:%S")
    if args.secret is not None and not 1 <= len(args.secret) <= 256:
        raise CommandError("--secret must be 1..256 characters")
    try:
        bridge = Bridge(args.host, args.port, args.checkpoint, args.checkpoint_dir, args.output, args.soundfont,
                        args.seed, settings_from_args(args), args.client_timeout, allow=parse_allow(args.allow),
                        secret=args.secret)
    except AccessError as exc:
        raise CommandError(str(exc)) from None
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
    print(f"jamcore bridge listening on {args.host}:{bridge.port} (checkpoint {bridge.default_checkpoint}, "
          f"output {out})", flush=True)
    print(f"jamcore: exposed to {bridge.exposure}; up to {MAX_CLIENTS} clients ({MAX_PER_HOST} per host)",
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
