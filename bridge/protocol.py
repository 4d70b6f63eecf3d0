"""The OSC address space, defined once: addresses, argument type tags, ports, and their meaning.

Everything that speaks OSC (the daemon, the stand-in client, the Max patch generator, the Pd patch,
``docs/osc.md``) reads this table. Type tags use only ``i`` (int32), ``f`` (float32) and ``s`` (string):
what Max's ``udpsend`` and liblo send. ``*`` after a tag means "repeated", ``n`` means "a number:
accepted as ``i`` or ``f``" (Max sends int32, Pd's [oscformat] float32), ``v`` "a number or a string".
"""
from __future__ import annotations

from dataclasses import dataclass

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


# Device -> bridge
HELLO = Address("/jam/hello", "n", ("reply_port",), "register; the bridge answers /jam/ready with version and checkpoint")
TRANSPORT = Address("/jam/transport", "nnn", ("playing", "beat", "bpm"),
                    "sent on every beat and on any change (start, stop, seek, tempo)")
NOTE = Address("/jam/note", "nnn", ("pitch", "velocity", "beat"),
               "melody note at song position `beat`; velocity 0 = note off")
CHECKPOINT = Address("/jam/checkpoint", "s", ("name",), "switch policy at the next safe frame, no gap in the chords")
BLEND = Address("/jam/blend", "ssn", ("a", "b", "t"), "interpolate the weights of two compatible checkpoints")
SET = Address("/jam/set", "sv", ("key", "value"),
              "`temperature`, `lookahead_beats`, `commit_beats`, `output`, `voicing`, `program`")
RESET = Address("/jam/reset", "", (), "forget the session (new song)")
PING = Address("/jam/ping", "n", ("seq",), "answered by /jam/pong i seq")
LIST = Address("/jam/list", "", (), "answered by /jam/checkpoints s...")
BYE = Address("/jam/bye", "", (), "unregister (the device is closing)")

INCOMING: tuple[Address, ...] = (HELLO, TRANSPORT, NOTE, CHECKPOINT, BLEND, SET, RESET, PING, LIST, BYE)

# Bridge -> device
READY = Address("/jam/ready", "ss", ("version", "checkpoint"), "registration accepted")
CHORD = Address("/jam/chord", "iisi*", ("frame", "frames", "symbol", "pitch..."),
                "a committed chord starting at `frame` lasting `frames`, voiced as MIDI pitches")
NOCHORD = Address("/jam/nochord", "i", ("frame",), "silence from `frame`")
STATUS = Address("/jam/status", "sv", ("key", "value"), "connection, checkpoint, latency figures (heartbeat each beat)")
ERROR = Address("/jam/error", "ss", ("address", "reason"), "a bad message was refused; the bridge keeps running")
PONG = Address("/jam/pong", "i", ("seq",), "answer to /jam/ping")
CHECKPOINTS = Address("/jam/checkpoints", "s*", ("name...",), "answer to /jam/list")

OUTGOING: tuple[Address, ...] = (READY, CHORD, NOCHORD, STATUS, ERROR, PONG, CHECKPOINTS)

SETTINGS = ("temperature", "lookahead_beats", "commit_beats", "output", "voicing", "program")
OUTPUT_MODES = ("midi", "audio", "both")


def by_path(path: str) -> Address | None:
    for a in INCOMING + OUTGOING:
        if a.path == path:
            return a
    return None
