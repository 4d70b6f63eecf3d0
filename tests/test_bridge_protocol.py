"""The wire: argument checking, explicit i/f/s encoding, refusals, and docs/osc.md against the code.

Datagram bytes go straight into the endpoint's handlers here (fast, no sockets); the end-to-end
tests over loopback are in test_bridge_udp.py.
"""
import math
import re
import struct
from pathlib import Path

import pytest
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from bridge import protocol as P
from bridge.client import raw_typetags
from bridge.server import Endpoint, Refused, build, check_args, check_setting, encode

DOCS = Path(__file__).resolve().parents[1] / "docs" / "osc.md"
TAGS_OK = re.compile(r"^,[ifs]*$")


def dgram(address, *args, tags=None):
    b = OscMessageBuilder(address)
    for a, t in zip(args, tags or [None] * len(args)):
        b.add_arg(a, t) if t else b.add_arg(a)
    return b.build().dgram


@pytest.fixture
def endpoint():
    ep = Endpoint("127.0.0.1", 0)  # bound, thread not started: we feed datagrams by hand
    yield ep
    ep.close()


def feed(ep, data):
    ep.handle_datagram(data, ("127.0.0.1", 5555), 1.0)
    out = []
    while not ep.inbox.empty():
        out.append(ep.inbox.get_nowait())
    return out


def test_note_accepts_int32_and_float32_like_max_and_pd(endpoint):
    (m,) = feed(endpoint, dgram("/jam/note", 60, 100, 1.5))  # Max: iif
    assert m.reason is None and m.args == (60, 100, 1.5) and type(m.args[0]) is int
    (m,) = feed(endpoint, dgram("/jam/note", 60.0, 100.0, 1.5))  # Pd [oscformat]: fff
    assert m.reason is None and m.args == (60, 100, 1.5) and type(m.args[0]) is int


@pytest.mark.parametrize("args, why", [
    ((60.5, 100, 1.0), "whole number"),
    ((300, 100, 1.0), "0..127"),
    ((60, 128, 1.0), "0..127"),
    ((60, 100, float("nan")), "finite"),
    ((60, 100), "expects 3"),
    ((60, 100, 1.0, 5), "expects 3"),
    (("C4", 100, 1.0), "number"),
])
def test_bad_notes_refused_with_a_reason(endpoint, args, why):
    (m,) = feed(endpoint, dgram("/jam/note", *args))
    assert m.reason is not None and why in m.reason and m.path == "/jam/note"


def test_true_false_nil_are_not_numbers():
    with pytest.raises(Refused, match="boolean"):
        check_args(P.NOTE, (True, 100, 1.0))
    with pytest.raises(Refused, match="nil"):
        check_args(P.PING, (None,))


@pytest.mark.parametrize("bpm", [0.0, 10000.0, float("inf")])
def test_absurd_transport_refused(bpm):
    with pytest.raises(Refused):
        check_args(P.TRANSPORT, (1, 0.0, bpm))
    with pytest.raises(Refused):
        check_args(P.TRANSPORT, (1, float("nan"), 120.0))
    assert check_args(P.TRANSPORT, (1.0, 4, 120)) == (1, 4.0, 120.0)


def test_settings_checked_per_key():
    assert check_setting("temperature", 1) == 1.0
    assert check_setting("output", "both") == "both"
    assert check_setting("program", 4.0) == 4
    for key, value in [("temperature", 9.0), ("output", "loud"), ("program", 3.5), ("colour", 1),
                       ("lookahead_beats", "far"), ("commit_beats", 0.0)]:
        with pytest.raises(Refused):
            check_setting(key, value)


def test_unknown_address_wildcards_and_malformed_packets_refused(endpoint):
    (m,) = feed(endpoint, dgram("/jam/bogus", 1))
    assert "unknown address" in m.reason
    (m,) = feed(endpoint, dgram("/jam/*", 1))
    assert "patterns" in m.reason
    (m,) = feed(endpoint, b"\x01\x02\x03")
    assert "malformed" in m.reason
    (m,) = feed(endpoint, b"/jam/note\0\0\0,iif\0\0\0\0\0\0\0<")  # truncated arguments
    assert m.reason is not None


def test_bundle_messages_all_dispatched_without_waiting(endpoint):
    from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder

    b = OscBundleBuilder(IMMEDIATELY)
    b.add_content(OscMessage(dgram("/jam/ping", 1)))
    b.add_content(OscMessage(dgram("/jam/ping", 2)))
    assert [m.args for m in feed(endpoint, b.build().dgram)] == [(1,), (2,)]


def test_outgoing_messages_use_only_i_f_s():
    msgs = [
        build(P.READY, P.PROTOCOL_VERSION, "mle"),
        build(P.CHORD, 2**31 - 1, 4, "Cmaj7", 36, 52, 55, 59),
        build(P.NOCHORD, 12),
        build(P.STATUS, "heartbeat", 3.25),
        build(P.STATUS, "late_chords", 0),
        build(P.STATUS, "checkpoint", "mle"),
        build(P.ERROR, "/jam/note", "pitch must be in 0..127, got 300"),
        build(P.PONG, -5),
        build(P.CHECKPOINTS, "mle", "rl", "gapt-0.3"),
        build(P.CHECKPOINTS),
    ]
    for m in msgs:
        assert TAGS_OK.match(raw_typetags(m)), raw_typetags(m)
        OscMessage(m)  # python-osc parses what we wrote
    assert OscMessage(msgs[1]).params == [2**31 - 1, 4, "Cmaj7", 36, 52, 55, 59]
    # float32 on the wire, never a 64-bit double
    assert struct.unpack(">f", msgs[3][-4:])[0] == 3.25
    with pytest.raises(ValueError):
        encode("/x", [2**31], "i")
    with pytest.raises(ValueError):
        encode("/x", [1.0], "d")


def test_docs_table_matches_protocol_and_handlers():
    from bridge.daemon import Bridge

    text = DOCS.read_text()
    documented = set(re.findall(r"^\| `(/jam/[a-z_]+)` \|", text, flags=re.M))
    incoming = {a.path for a in P.INCOMING}
    outgoing = {a.path for a in P.OUTGOING}
    assert documented == incoming | outgoing
    # Every incoming address has a handler in the daemon, and every handler is documented.
    handled = set(Bridge.handled_paths())
    assert handled == incoming
    # The tables in the doc are the ones generated from the protocol module.
    assert P.markdown_table(P.INCOMING) in text
    assert P.markdown_table(P.OUTGOING) in text
    for key in P.STATUS_KEYS:
        assert f"`{key}`" in text
    for key in P.SETTINGS:
        assert f"`{key}`" in text


def _bundle(*elements):
    body = b"".join(struct.pack(">i", len(e)) + e for e in elements)
    return b"#bundle\0" + b"\0" * 7 + b"\1" + body


def _nested(depth, inner):
    for _ in range(depth):
        inner = _bundle(inner)
    return inner


def test_strict_decoding_refuses_what_python_osc_pads_or_chokes_on(endpoint):
    note = dgram("/jam/note", 60, 100, 2.5)
    (m,) = feed(endpoint, note[:-4])  # the beat float cut off: python-osc reads beat 0
    assert m.reason is not None and "cut short" in m.reason
    (m,) = feed(endpoint, note + b"\0\0\0\0")  # bytes after the last argument
    assert m.reason is not None and "after the last argument" in m.reason
    (m,) = feed(endpoint, b"/jam/\xff\xfe\0\0,i\0\0\0\0\0\1")  # invalid UTF-8 address
    assert "UTF-8" in m.reason and m.path == ""
    (m,) = feed(endpoint, dgram("/jam/set", "temperature", "x") .replace(b"x\0", b"\xff\0"))
    assert "UTF-8" in m.reason
    # Bundles: nesting and element count are bounded, decoded without recursion.
    ping = dgram("/jam/ping", 3)
    assert [m.args for m in feed(endpoint, _nested(4, ping))] == [(3,)]
    for data in (_nested(5, ping), _nested(900, ping)):
        (m,) = feed(endpoint, data)
        assert "nested deeper" in m.reason
    (m,) = feed(endpoint, _bundle(*[ping] * 65))
    assert "more than 64 elements" in m.reason
    assert len(feed(endpoint, _bundle(*[ping] * 64))) == 64


def test_hello_takes_an_optional_secret(endpoint):
    (m,) = feed(endpoint, dgram("/jam/hello", 7401))
    assert m.reason is None and m.args == (7401,)
    (m,) = feed(endpoint, dgram("/jam/hello", 7401, "word"))
    assert m.reason is None and m.args == (7401, "word")
    (m,) = feed(endpoint, dgram("/jam/hello", 7401, 5))
    assert "secret must be a string" in m.reason
    (m,) = feed(endpoint, dgram("/jam/hello", 7401, "a", "b"))
    assert "expects 1..2" in m.reason
