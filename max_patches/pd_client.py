"""The Pure Data client (vanilla Pd >= 0.51: [oscformat], [oscparse], [netsend -u -b], [text]).

``pd/jam_client.pd`` is the device's logic in a patching environment that runs headless anywhere: it
registers with ``/jam/hello``, sends notes and the transport, stores chord events by frame in a [text]
(a re-sent run replaces itself), plays each on its frame from its own 16th clock and holds it until the
next event (``/jam/chord F ...``: this chord from F; ``/jam/nochord F``: silence from F; the run's
length only grows on re-sends, so it never ends a chord), releases everything on stop, and prints
everything it receives (``jam: ...``), each frame it reaches (``jam-frame: N``, before what plays there)
and every note it plays (``jam-note: pitch velocity``). A transport from its inlet (start, seek, stop)
empties the store, and the bridge's words are then ignored until one names the frame now sounding, the
next or an earlier one: those before it were planned for the old position (``docs/osc.md``; the
device does the same). Use it as an abstraction: its inlet takes

    transport <playing 0/1> <beat> <bpm>    (starts/stops its clock at that song position)
    note <pitch> <velocity> <beat>          checkpoint <name>      set <key> <value>      reset      bye

(``set`` takes every ``/jam/set`` key, a symbol value as well as a number: ``set grid bar``; the client
has no controls of its own, so the Live device's Output, Voicing, Grid... are all this one message.)

outlet 0 gives ``pitch velocity`` of the chords, outlet 1 each frame number as the clock reaches it.
Ports: the protocol's defaults; ``pd -send "jam-config <bridge port> <reply port>"`` overrides them
before it connects (it connects one logical instant after loading, once the -send messages are in).

``pd/jam_demo.pd`` plays a short melody through it in real time and quits by itself: the end-to-end test.
"""
from __future__ import annotations

from bridge import protocol as P
from jamcore.music.grid import DEFAULT_GRID

DEMO_BPM = 480  # a 16th lasts 31 ms: the whole demo takes about three seconds
CHORD_VELOCITY = 90
# (start beat, pitch, length in beats): the opening of Ode to Joy.
DEMO_MELODY = tuple((float(b), p, 1.0) for b, p in enumerate((64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64))) + (
    (12.0, 64, 1.5), (13.5, 62, 0.5), (14.0, 62, 2.0))
DEMO_TAIL_BEATS = 4  # keep the clock running after the melody: the last chords arrive and play
DEMO_TIMEOUT_MS = 15000  # quit no matter what


def _osc(address: str) -> str:
    """Pd's [oscformat] takes the address as separate words: /jam/note -> ``jam note``."""
    return " ".join(address.strip("/").split("/"))


def _escape(text: str) -> str:
    return text.replace("$", "\\$").replace(",", " \\,").replace(";", " \\;")


class PdPatch:
    """Pd's text format: objects are numbered in creation order; ``#X connect src outlet dst inlet``."""

    def __init__(self, width: int = 1100, height: int = 800) -> None:
        self.lines = [f"#N canvas 0 50 {width} {height} 12;"]
        self.count = 0
        self.connections: list[str] = []

    def _add(self, kind: str, x: int, y: int, text: str) -> int:
        self.lines.append(f"#X {kind} {x} {y} {_escape(text)};")
        self.count += 1
        return self.count - 1

    def obj(self, text: str, x: int, y: int) -> int:
        return self._add("obj", x, y, text)

    def msg(self, text: str, x: int, y: int) -> int:
        return self._add("msg", x, y, text)

    def text(self, text: str, x: int, y: int) -> int:
        return self._add("text", x, y, text)

    def connect(self, a: int, outlet: int, b: int, inlet: int = 0) -> None:
        self.connections.append(f"#X connect {a} {outlet} {b} {inlet};")

    def dumps(self) -> str:
        return "\n".join(self.lines + self.connections) + "\n"


def _upsert(p: PdPatch, table: str, x: int, y: int) -> int:
    """A subgraph that stores a list under its first element: delete the old line, then append."""
    entry = p.obj("t l l", x, y)
    key = p.obj("list split 1", x + 60, y + 25)
    find = p.obj(f"text search {table} 0", x + 60, y + 50)
    found = p.obj("moses 0", x + 60, y + 75)
    drop = p.obj(f"text delete {table}", x + 60, y + 100)
    add = p.obj(f"text insert {table} 1e+06", x, y + 125)
    p.connect(entry, 1, key)
    p.connect(key, 0, find)
    p.connect(find, 0, found)
    p.connect(found, 1, drop)
    p.connect(entry, 0, add)
    return entry


def _loop(p: PdPatch, split: int, x: int, y: int) -> None:
    """[list split 1]'s rest back into itself through a [t a]: a list becomes one message per item."""
    again = p.obj("t a", x, y)
    p.connect(split, 1, again)
    p.connect(again, 0, split)


def _gate(p: PdPatch, x: int, y: int) -> tuple[int, int, int, int]:
    """A chord event (``F ...``) passes once the client has heard the bridge's word about the present:
    the event itself names frame F <= the frame now sounding + 1, or one did since the last jump.
    Returns (the event in, the gate's [expr], the event out, the [t b b] whose outlet 1 fires as an event
    passes): feed the frame now sounding to the [expr]'s inlet 1, and 0 (a jump) or 1 (a word passed) to
    its inlet 2."""
    entry = p.obj("t l l", x, y)
    hold = p.obj("list append", x, y + 100)
    p.connect(entry, 1, hold, 1)  # the event waits while its frame is judged
    frame = p.obj("list split 1", x + 60, y + 25)
    p.connect(entry, 0, frame)
    fresh = p.obj("expr $f1 <= $f2 + 1 || $f3", x + 60, y + 50)
    p.connect(frame, 0, fresh)
    passes = p.obj("sel 1", x + 60, y + 75)
    p.connect(fresh, 0, passes)
    passed = p.obj("t b b", x, y + 75)
    p.connect(passes, 0, passed)
    p.connect(passed, 0, hold)  # a bang out of the stored event
    return entry, fresh, hold, passed


def client_patch() -> str:
    p = PdPatch()
    chords = "$0-chords"
    p.text(f"jamcore client - generated from bridge/protocol.py by max_patches/generate.py - do not edit. "
           f"Bridge {P.DEFAULT_HOST}:{P.DEFAULT_PORT} - replies on {P.DEFAULT_REPLY_PORT}.", 20, 10)
    send = p.obj("netsend -u -b", 20, 740)
    recv = p.obj("netreceive -u -b", 420, 40)
    chords_store = p.obj(f"text define {chords}", 900, 40)
    note_out = p.obj("outlet", 20, 780)
    frame_out = p.obj("outlet", 640, 780)
    note_print = p.obj("print jam-note", 100, 780)

    # -------------------------------------------------------------- ports and registration
    load = p.obj("loadbang", 20, 40)
    later = p.obj("delay 0", 20, 65)  # after `pd -send` messages
    start = p.obj("t b b b", 20, 90)
    p.connect(load, 0, later)
    p.connect(later, 0, start)
    port = p.obj(f"f {P.DEFAULT_PORT}", 180, 120)
    reply = p.obj(f"f {P.DEFAULT_REPLY_PORT}", 100, 120)
    config = p.obj("r jam-config", 180, 40)
    config_args = p.obj("unpack f f", 180, 65)
    p.connect(config, 0, config_args)
    p.connect(config_args, 0, port, 1)
    p.connect(config_args, 1, reply, 1)
    p.connect(start, 2, port)
    connect = p.msg(f"connect {P.DEFAULT_HOST} $1", 180, 150)
    p.connect(port, 0, connect)
    p.connect(connect, 0, send)
    p.connect(start, 1, reply)
    reply_t = p.obj("t f f", 100, 150)
    p.connect(reply, 0, reply_t)
    listen = p.msg("listen $1", 300, 150)
    p.connect(reply_t, 1, listen)
    p.connect(listen, 0, recv)
    hello = p.obj(f"oscformat -f i {_osc(P.HELLO.path)}", 100, 180)
    p.connect(reply_t, 0, hello)
    p.connect(hello, 0, send)
    ask = p.msg("list", 20, 180)
    p.connect(start, 0, ask)
    listing = p.obj(f"oscformat {_osc(P.LIST.path)}", 20, 210)
    p.connect(ask, 0, listing)
    p.connect(listing, 0, send)

    # -------------------------------------------------------------- commands from the inlet
    inlet = p.obj("inlet", 20, 250)
    cmd = p.obj("route transport note checkpoint set reset bye", 20, 275)
    p.connect(inlet, 0, cmd)
    note = p.obj(f"oscformat -f iif {_osc(P.NOTE.path)}", 120, 320)
    p.connect(cmd, 1, note)
    p.connect(note, 0, send)
    # [route] passes `set temperature 0.8` on as a message named `temperature`: [list] makes it a list.
    ckpt_list = p.obj("list", 300, 345)
    p.connect(cmd, 2, ckpt_list)
    ckpt = p.obj(f"oscformat -f s {_osc(P.CHECKPOINT.path)}", 120, 345)
    p.connect(ckpt_list, 0, ckpt)
    p.connect(ckpt, 0, send)
    set_list = p.obj("list", 300, 370)
    p.connect(cmd, 3, set_list)
    setting = p.obj(f"oscformat {_osc(P.SET.path)}", 120, 370)  # a symbol goes as s, a number as f
    p.connect(set_list, 0, setting)
    p.connect(setting, 0, send)
    for outlet, addr, y in ((4, P.RESET.path, 395), (5, P.BYE.path, 420)):
        empty = p.msg("list", 120, y)
        fmt = p.obj(f"oscformat {_osc(addr)}", 170, y)
        p.connect(cmd, outlet, empty)
        p.connect(empty, 0, fmt)
        p.connect(fmt, 0, send)

    # -------------------------------------------------------------- releasing the sounding chord
    release = p.obj("t b b", 640, 480)
    sounding = p.obj("list append", 640, 505)
    p.connect(release, 1, sounding)
    p.connect(release, 0, sounding, 1)  # then forget it
    off_drip = p.obj("list split 1", 640, 530)
    p.connect(sounding, 0, off_drip)
    _loop(p, off_drip, 700, 530)  # the rest goes round again: one pitch per message
    off = p.obj("pack f 0", 640, 555)
    p.connect(off_drip, 0, off)
    p.connect(off, 0, note_out)
    p.connect(off, 0, note_print)

    # -------------------------------------------------------------- the transport and the clock
    transport = p.obj("t l l b", 20, 460)  # every transport from the inlet is a start, a seek or a stop
    p.connect(cmd, 0, transport)
    transport_osc = p.obj(f"oscformat -f iff {_osc(P.TRANSPORT.path)}", 20, 700)
    p.connect(transport, 1, transport_osc)
    p.connect(transport_osc, 0, send)
    targs = p.obj("unpack f f f", 20, 485)
    p.connect(transport, 0, targs)
    bpm = p.obj("t f f", 200, 510)
    p.connect(targs, 2, bpm)
    period = p.obj("expr 60000/$f1/4", 200, 535)
    p.connect(bpm, 1, period)
    with_bpm = p.obj("list append", 20, 675)  # beat -> beat bpm
    p.connect(bpm, 0, with_bpm, 1)
    to_frame = p.obj("expr int($f1*4+0.5)", 110, 510)
    p.connect(targs, 1, to_frame)
    counter = p.obj("f", 20, 590)
    p.connect(to_frame, 0, counter, 1)
    playing = p.obj("sel 0", 20, 510)
    p.connect(targs, 0, playing)
    clock = p.obj("metro 125", 20, 565)
    p.connect(period, 0, clock, 1)
    p.connect(playing, 1, clock)  # any non-zero: start (metro ticks at once)
    stop = p.obj("t b b", 80, 535)
    p.connect(playing, 0, stop)
    halt = p.msg("stop", 80, 560)
    p.connect(stop, 1, halt)
    p.connect(halt, 0, clock)
    p.connect(stop, 0, release)
    # Every transport from the inlet (a start, a seek, a stop, a new tempo: the clock restarts there)
    # forgets the chords stored for the old position; the bridge re-plans from the new one.
    jumped = p.obj("t b b", 120, 435)
    p.connect(transport, 2, jumped)
    clear = p.msg("clear", 900, 100)
    p.connect(jumped, 0, clear)
    p.connect(clear, 0, chords_store)
    p.connect(clock, 0, counter)
    advance = p.obj("t f f", 20, 615)
    p.connect(counter, 0, advance)
    plus = p.obj("+ 1", 60, 590)
    p.connect(advance, 1, plus)
    p.connect(plus, 0, counter, 1)
    each = p.obj("t f f f f f", 20, 640)
    p.connect(advance, 0, each)
    p.connect(each, 0, frame_out)  # last: what the host does on this frame comes after the frame's work
    # the frame, printed first: what plays on it is printed after
    p.connect(each, 3, p.obj("print jam-frame", 400, 640))
    # a chord (or silence) starts here
    find = p.obj(f"text search {chords} 0", 640, 600)
    p.connect(each, 2, find)
    found = p.obj("moses 0", 640, 625)
    p.connect(find, 0, found)
    hit = p.obj("t f f", 640, 650)
    p.connect(found, 1, hit)
    get = p.obj(f"text get {chords}", 720, 675)
    p.connect(hit, 1, get)
    p.connect(hit, 0, p.obj(f"text delete {chords}", 640, 675))
    shown = p.obj("list prepend play", 900, 700)
    p.connect(get, 0, shown)
    shown_trim = p.obj("list trim", 900, 725)
    p.connect(shown, 0, shown_trim)
    p.connect(shown_trim, 0, p.obj("print jam", 900, 750))
    body = p.obj("list split 1", 720, 700)
    p.connect(get, 0, body)
    kind = p.obj("route nochord", 720, 725)
    p.connect(body, 1, kind)
    p.connect(kind, 0, release)
    play = p.obj("t l b", 800, 750)
    p.connect(kind, 1, play)
    p.connect(play, 1, release)
    pitches = p.obj("list split 2", 800, 775)
    p.connect(play, 0, pitches)
    keep = p.obj("t l l", 800, 800)
    p.connect(pitches, 1, keep)
    p.connect(keep, 1, sounding, 1)
    on_drip = p.obj("list split 1", 800, 825)
    p.connect(keep, 0, on_drip)
    _loop(p, on_drip, 860, 825)
    on = p.obj(f"pack f {CHORD_VELOCITY}", 800, 850)
    p.connect(on_drip, 0, on)
    p.connect(on, 0, note_out)
    p.connect(on, 0, note_print)
    # the transport on every beat
    beat_t = p.obj("t f f", 20, 665 - 40)
    p.connect(each, 1, beat_t)
    quarter = p.obj("/ 4", 110, 640)
    p.connect(beat_t, 1, quarter)
    beat = p.obj("f", 110, 665)
    p.connect(quarter, 0, beat, 1)
    phase = p.obj("mod 4", 20, 650)
    p.connect(beat_t, 0, phase)
    downbeat = p.obj("sel 0", 20, 660)
    p.connect(phase, 0, downbeat)
    p.connect(downbeat, 0, beat)
    p.connect(beat, 0, with_bpm)
    rolling = p.obj("list prepend 1", 20, 690)
    p.connect(with_bpm, 0, rolling)
    p.connect(rolling, 0, transport_osc)

    # -------------------------------------------------------------- receiving
    parse = p.obj("oscparse", 420, 65)
    p.connect(recv, 0, parse)
    trim = p.obj("list trim", 420, 90)
    p.connect(parse, 0, trim)
    jam = p.obj("route jam", 420, 115)
    p.connect(trim, 0, jam)
    p.connect(jam, 0, p.obj("print jam", 500, 140))
    routed = (P.CHORD, P.NOCHORD)
    what = p.obj("route " + " ".join(a.path.rsplit("/", 1)[1] for a in routed), 420, 140)
    p.connect(jam, 0, what)
    silence = p.obj("list append nochord", 700, 165)
    p.connect(what, 1, silence)
    # After a jump, the words planned for the old position are still on their way: nothing is stored
    # until one names the frame now sounding, the next or an earlier one (docs/osc.md).
    unsync, sync = p.msg("0", 120, 460), p.msg("1", 560, 240)
    p.connect(jumped, 1, unsync)
    for source, x in ((what, 420), (silence, 700)):
        entry, fresh, out, passed = _gate(p, x, 190)
        p.connect(source, 0, entry)
        p.connect(each, 4, fresh, 1)  # the frame now sounding
        p.connect(unsync, 0, fresh, 2)
        p.connect(sync, 0, fresh, 2)
        p.connect(passed, 1, sync)
        p.connect(out, 0, _upsert(p, chords, x, 320))
    return p.dumps()


def demo_patch(bpm: int = DEMO_BPM) -> str:
    """A short melody played through [jam_client] in real time; stops, says bye and quits by itself."""
    p = PdPatch(700, 500)
    p.text("jamcore Pd demo: plays a melody through jam_client and quits. Generated by "
           "max_patches/generate.py. Run: pd -nogui -send \"jam-config 7400 7401\" -open jam_demo.pd", 20, 10)
    client = p.obj("jam_client", 20, 200)
    load = p.obj("loadbang", 20, 40)
    wait = p.obj("delay 100", 20, 65)  # hello is out; the bridge has registered us
    start = p.obj("t b b b b", 20, 90)
    p.connect(load, 0, wait)
    p.connect(wait, 0, start)
    for outlet, text in ((3, "set lookahead_beats 1.5"), (2, "set commit_beats 1"), (1, f"set grid {DEFAULT_GRID}"),
                         (0, f"transport 1 0 {bpm}")):
        m = p.msg(text, 20 + 170 * (3 - outlet), 120)
        p.connect(start, outlet, m)
        p.connect(m, 0, client)
    # Per frame: note-offs of notes ending there, then note-ons of notes starting there.
    events: dict[int, list[str]] = {}
    for beat, pitch, length in DEMO_MELODY:
        on_f, off_f = int(beat * 4), int((beat + length) * 4)
        events.setdefault(on_f, []).append(f"note {pitch} 100 {beat:g}")
        events.setdefault(off_f, []).insert(0, f"note {pitch} 0 {beat + length:g}")
    last = max(events) + DEMO_TAIL_BEATS * 4
    events.setdefault(last, []).extend([f"transport 0 {last / 4:g} {bpm}", "bye"])
    frames = sorted(events)
    sel = p.obj("sel " + " ".join(str(f) for f in frames), 20, 250)
    p.connect(client, 1, sel)
    for i, f in enumerate(frames):
        m = p.msg(", ".join(events[f]), 20 + (i % 4) * 170, 280 + (i // 4) * 25)
        p.connect(sel, i, m)
        p.connect(m, 0, client)
    done = p.obj("delay 300", 20, 420)
    p.connect(sel, len(frames) - 1, done)
    guard = p.obj(f"delay {DEMO_TIMEOUT_MS}", 200, 40)
    p.connect(load, 0, guard)
    quit_msg = p.msg("; pd quit", 20, 450)
    p.connect(done, 0, quit_msg)
    p.connect(guard, 0, quit_msg)
    return p.dumps()
