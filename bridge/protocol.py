"""The OSC address space, defined once: addresses, argument type tags, ports, and their meaning.

Everything that speaks OSC (the daemon, the stand-in client, the Max patch generator, the Pd patch,
``docs/osc.md``) reads this table. Type tags use only ``i`` (int32), ``f`` (float32) and ``s`` (string):
what Max's ``udpsend`` and liblo send. ``*`` after a tag means "repeated", ``n`` means "a number:
accepted as ``i`` or ``f``" (Max sends int32, Pd's [oscformat] float32), ``v`` "a number or a string".
"""
from __future__ import annotations

from dataclasses import dataclass

from jamcore.music.grid import GRIDS
from jamcore.forecast import FORECAST_MAX
from jamcore.recall import RECALL_MAX

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7400  # the bridge listens here
DEFAULT_REPLY_PORT = 7401  # the device listens here unless /jam/hello says otherwise
PROTOCOL_VERSION = "1"


@dataclass(frozen=True)
class Address:
    path: str
    args: str  # accepted argument pattern (see module docstring)
    arg_names: tuple[str, ...]
    doc: str
    optional: int = 0  # how many trailing arguments a sender may leave out


# Device -> bridge
HELLO = Address("/jam/hello", "ns", ("reply_port", "secret"),
                "register from this socket (the client is this source address); `secret` (optional) must "
                "match the bridge's `--secret` when it has one; answered by /jam/ready with version and "
                "checkpoint", optional=1)
TRANSPORT = Address("/jam/transport", "nnn", ("playing", "beat", "bpm"),
                    "sent on every beat and on any change (start, stop, seek, tempo)")
NOTE = Address("/jam/note", "nnn", ("pitch", "velocity", "beat"),
               "melody note at song position `beat`; velocity 0 = note off")
CHECKPOINT = Address("/jam/checkpoint", "s", ("name",), "switch policy at the next safe frame, no gap in the chords")
BLEND = Address("/jam/blend", "ssn", ("a", "b", "t"), "interpolate the weights of two compatible checkpoints")
SET = Address("/jam/set", "sv", ("key", "value"),
              "`temperature`, `lookahead_beats`, `commit_beats`, `output`, `voicing`, `program`, `listen_beats`, "
              "`beats_per_bar`, `grid`, `recall`, `forecast`")
RESET = Address("/jam/reset", "", (), "forget the session (new song)")
PING = Address("/jam/ping", "n", ("seq",), "answered by /jam/pong i seq")
LIST = Address("/jam/list", "", (), "answered by /jam/checkpoints s...")
BYE = Address("/jam/bye", "", (), "unregister (the device is closing)")
LOOP = Address("/jam/loop", "nnn", ("on", "start", "length"),
               "Live's loop brace (beats): the bridge plans across the loop end before the song wraps")

INCOMING: tuple[Address, ...] = (HELLO, TRANSPORT, NOTE, CHECKPOINT, BLEND, SET, RESET, PING, LIST, BYE, LOOP)

# Bridge -> device
READY = Address("/jam/ready", "ss", ("version", "checkpoint"), "registration accepted")
CHORD = Address("/jam/chord", "iisi*", ("frame", "frames", "symbol", "pitch..."),
                "from `frame` play this chord (voiced as MIDI pitches) until the next chord or silence; "
                "`frames`: how much of the run is committed so far (it grows on re-sends)")
NOCHORD = Address("/jam/nochord", "i", ("frame",), "silence from `frame` until the next chord")
STATUS = Address("/jam/status", "sv", ("key", "value"), "connection, checkpoint, latency figures (heartbeat each beat)")
ERROR = Address("/jam/error", "ss", ("address", "reason"), "a bad message was refused; the bridge keeps running")
PONG = Address("/jam/pong", "i", ("seq",), "answer to /jam/ping")
CHECKPOINTS = Address("/jam/checkpoints", "s*", ("name...",), "answer to /jam/list")

OUTGOING: tuple[Address, ...] = (READY, CHORD, NOCHORD, STATUS, ERROR, PONG, CHECKPOINTS)

SETTINGS = ("temperature", "lookahead_beats", "commit_beats", "output", "voicing", "program", "listen_beats",
            "beats_per_bar", "grid", "recall", "forecast")
OUTPUT_MODES = ("midi", "audio", "both")
VOICINGS = ("bass", "close")  # close-position hands with a bass note below, or the hands alone

# Accepted values of numeric arguments: (low, high, integral). Outside -> /jam/error. A float32 that
# holds a whole number counts as integral (Pd sends `/jam/note fff 60 100 1.5`); 60.5 does not.
LIMITS: dict[str, dict[str, tuple[float, float, bool]]] = {
    HELLO.path: {"reply_port": (1, 65535, True)},  # the secret: a string of 1..256 characters
    TRANSPORT.path: {"playing": (0, 1, True), "beat": (0.0, 1e6, False), "bpm": (1.0, 999.0, False)},
    NOTE.path: {"pitch": (0, 127, True), "velocity": (0, 127, True), "beat": (0.0, 1e6, False)},
    BLEND.path: {"t": (0.0, 1.0, False)},
    PING.path: {"seq": (-2**31, 2**31 - 1, True)},
    LOOP.path: {"on": (0, 1, True), "start": (0.0, 1e6, False), "length": (0.0, 1e6, False)},
}
# /jam/set values per key: a numeric range (low, high, integral) or a tuple of allowed strings.
SETTING_VALUES: dict[str, tuple] = {
    "temperature": (0.0, 3.0, False),
    "lookahead_beats": (0.25, 8.0, False),
    "commit_beats": (0.25, 8.0, False),
    "output": OUTPUT_MODES,
    "voicing": VOICINGS,
    "program": (0, 127, True),
    "listen_beats": (0.0, 16.0, False),
    "beats_per_bar": (0.5, 8.0, False),
    "grid": GRIDS,  # where chords may change: every 16th, beat, half bar or bar (jamcore.music.grid)
    "recall": (0.0, RECALL_MAX, False),  # how strongly a repeated passage recalls its notes (jamcore.recall)
    "forecast": (0.0, FORECAST_MAX, False),  # how strongly the data's forecast of the next beat counts (jamcore.forecast)
}
# /jam/status keys the bridge sends (value type in brackets).
STATUS_KEYS = {
    "heartbeat": "f: the song position (beats) as the bridge sees it; sent once per beat",
    "checkpoint": "s: the checkpoint now playing (after hello and after each switch)",
    "loading": "s: a checkpoint switch has started (the old one keeps playing meanwhile)",
    "setting": "s: `key=value` after a /jam/set was applied, or when one setting moved another",
    "latency_p50_ms": "f: note -> re-planned chords, median over the last notes",
    "latency_p99_ms": "f: the same, 99th percentile",
    "latency_max_ms": "f: the same, the worst",
    "late_chords": "i: chords committed after their frame had started (should stay 0)",
    "stalls": "i: engine turns the operating system delayed by 50 ms or more (an overloaded machine)",
    "output": "s: the output mode in effect (`midi` when audio was asked for but no device exists)",
}


def by_path(path: str) -> Address | None:
    for a in INCOMING + OUTGOING:
        if a.path == path:
            return a
    return None


def markdown_table(addresses: tuple[Address, ...]) -> str:
    """The address table as Markdown (``docs/osc.md`` holds it; a test checks it against the code)."""
    rows = ["| address | args | meaning |", "| --- | --- | --- |"]
    for a in addresses:
        words = [f"{t} {n}" for t, n in zip(_tag_words(a.args), a.arg_names)]
        for i in range(len(words) - a.optional, len(words)):
            words[i] += " (optional)"
        args = ", ".join(words)
        rows.append(f"| `{a.path}` | {args} | {a.doc} |")
    return "\n".join(rows)


def _tag_words(pattern: str) -> list[str]:
    """``iisi*`` -> ["i", "i", "s", "i"]: one entry per named argument (the name says "...")."""
    return [ch for ch in pattern if ch != "*"]
