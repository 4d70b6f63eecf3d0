"""Generate the Live side's patches from ``bridge/protocol.py``: the Max for Live device and the Pd client.

    python -m max_patches.generate           # rewrite max_patches/jam_bridge.maxpat and max_patches/pd/*.pd
    python -m max_patches.generate --check   # exit 1 if a committed file differs from what this writes

Addresses, ports, setting names and ranges are read from the protocol module, so the patches cannot
drift from the bridge. How the device works (Max messages fire right to left out of a [t ...]; the patch
has no fan-out, so no behaviour depends on where a box sits; ``max_patches/simulate.py`` runs it):

- Ports: the reply port is 7401 + (this device's Live id mod 500), so two devices in one set (two
  tracks) each get their own; the bridge port is the Port parameter (default 7400). On load the device
  tells the launcher ([node.script jam_launcher.js], issue 16) ``start <bridge port>``, registers
  (``/jam/hello <reply port>``), observes Live's song (playing, tempo, loop brace, time signature) and
  starts its clocks; on removal ([freebang]) it releases its notes, says ``/jam/bye`` and ``stop``.
- MIDI: [midiin] -> [gate] (the Thru switch) -> [midiout] passes the performer through; note lists
  get the song position from [transport] and go out as ``/jam/note i pitch, i vel, f beat``.
- Link: ``/jam/ping`` each second; every ``/jam/pong`` lights the link light (a display, not a saved
  parameter) and restarts a 3 s watchdog whose expiry turns it off and says hello again.
- Chords: ``/jam/chord F ...`` means "from frame F play this chord until the next event" (and
  ``/jam/nochord F`` silence from F). The device keys each event by the frame it will sound on: F, or,
  while Live loops and F lies past the loop end, F minus the loop length (the next pass). Events whose
  frame is still ahead (by at most the Lookahead plus two frames) are stored in a [coll] (a re-send
  overwrites itself, a longer re-send of a run changes nothing); a run that covers the frame now
  sounding and began after the last event played (its onset came late, or was lost) plays at once;
  anything else (a re-send of a run already playing) is ignored.
- The 16th clock ([metro 16n @quantize 16n], silent while Live is stopped) reads the frame from
  [transport]; a jump that is Live's loop wrapping keeps everything; any other jump (a seek) releases
  the chord, clears the store and sends the transport at once; until an event names the frame now
  sounding, the next or an earlier one (the bridge's first word after hearing of the jump: the run
  sounding at the new position), events are neither stored nor played: those still on their way were
  planned for the old position. (One of them can still pass after a jump forward within reach, or back
  inside the run then sounding: its run names a frame before the new one. A jump counter echoed by the
  bridge would close that; the protocol has none.) The frame's stored event then plays (note-offs of the sounding chord,
  note-ons of the new one on the Chord channel) and is forgotten.
  Stop releases every note and clears. The transport goes out on every beat and on any change; the
  loop brace as ``/jam/loop``; the time signature as ``/jam/set beats_per_bar``.
- Controls (live.* parameters, saved with the set): Checkpoint (a fixed list of the shipped performable
  checkpoints plus ``blend``, so a saved choice always names the same model), Blend (``/jam/blend``
  between two checkpoints; turning it selects ``blend``), Temperature, Lookahead, Recall (how strongly a
  repeated passage recalls its notes, ``/jam/set recall``; default the bridge's), Output, Voicing,
  Grid (where chords may change, ``/jam/set grid``; default the bridge's), Chord channel, Thru, Reset,
  Port; and Secret, a [textedit] in parameter mode (a blob: saved with the set, never automated) for the
  bridge's ``--secret``: every hello (start, Port, watchdog) bangs it, and its text decides the hello,
  ``/jam/hello <reply port>`` when empty, ``/jam/hello <reply port> <word>`` otherwise; Enter in the
  field says hello again with the new word. After every ``/jam/ready`` the device re-sends all of them, the loop and the time signature;
  the menu then follows ``/jam/status checkpoint`` (what really plays). The header shows the chord
  sounding and the checkpoint playing; the status lines the latency, the launcher's status and the
  last ``/jam/error``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bridge import protocol as P  # noqa: E402
from jamcore.checkpoints import DEFAULT_POLICY, DEFAULT_TEMPERATURE, available_checkpoints  # noqa: E402
from jamcore.music.grid import DEFAULT_GRID, GRIDS  # noqa: E402
from jamcore.recall import DEFAULT_RECALL  # noqa: E402
from max_patches.maxpat import Patcher, dumps  # noqa: E402

HERE = Path(__file__).resolve().parent
MAXPAT = HERE / "jam_bridge.maxpat"
PD_DIR = HERE / "pd"

DEVICE_WIDTH = 420
TICKS_PER_BEAT = 480  # Max's transport resolution
TICKS_PER_FRAME = TICKS_PER_BEAT // 4  # 16th-note frames (DESIGN section 2)
CHORD_VELOCITY = 90
CHORD_CHANNEL = 2  # the melody keeps its own channel (usually 1): equal pitches no longer cut each other
PING_MS = 1000
WATCHDOG_MS = 3000
BLEND_RATE_MS = 100  # a turning dial asks for at most ten blends a second
REPLY_PORT_SPAN = 500  # reply port = DEFAULT_REPLY_PORT + (device id mod this)
NEVER = -1000  # "no previous frame": the next frame is a jump
BLEND = "blend"
# The Checkpoint menu: fixed at generation (a set saves the menu's index, so the list must not move).
CHECKPOINT_ITEMS = tuple(available_checkpoints(performable=True)) + (BLEND,)
BLEND_A, BLEND_B = "rl", "gapt-4.0"  # the Blend dial: no adversarial reward ... the strongest one shipped
LAUNCHER = "node.script jam_launcher.js @autostart 1"
DEFAULT_LOOKAHEAD_BEATS = 2.0


def build_device() -> dict[str, Any]:
    p = Patcher()
    send = p.obj(f"udpsend {P.DEFAULT_HOST} {P.DEFAULT_PORT}", 620, 900)
    recv = p.obj(f"udpreceive {P.DEFAULT_REPLY_PORT}", 620, 20)
    launcher = p.obj(LAUNCHER, 20, 900)

    # ---------------------------------------------------------------- UI (device view)
    p.comment("Jam Bridge", 20, 600, present=(8, 4, 110, 20), fontsize=14.0)
    p.comment("link", 20, 630, present=(350, 5, 34, 18))
    light = p.ui("live.toggle", 60, 630, (388, 7, 14, 14), "link", "Link", "Link", 2, enum=("off", "on"),
                 ignoreclick=1, parameter=False)
    p.comment("Checkpoint", 120, 630, present=(8, 28, 66, 18))
    menu = p.ui("live.menu", 120, 660, (76, 28, 120, 18), "checkpoint", "Checkpoint", "Checkpoint", 2,
                enum=CHECKPOINT_ITEMS, initial=CHECKPOINT_ITEMS.index(DEFAULT_POLICY))
    p.comment("Output", 500, 630, present=(204, 28, 46, 18))
    tab = p.ui("live.tab", 500, 660, (252, 28, 160, 18), "output", "Output", "Output", 2, enum=P.OUTPUT_MODES)
    blend = p.ui("live.dial", 260, 660, (8, 50, 46, 48), "blend", "Blend", "Blend", 0, mmin=0.0, mmax=1.0,
                 initial=0.5)
    t_lo, t_hi, _ = P.SETTING_VALUES["temperature"]
    temp = p.ui("live.dial", 340, 660, (56, 50, 46, 48), "temperature", "Temperature", "Temp", 0,
                mmin=t_lo, mmax=t_hi, initial=DEFAULT_TEMPERATURE)
    l_lo, l_hi, _ = P.SETTING_VALUES["lookahead_beats"]
    look = p.ui("live.dial", 420, 660, (104, 50, 46, 48), "lookahead", "Lookahead", "Ahead", 0,
                mmin=l_lo, mmax=l_hi, initial=DEFAULT_LOOKAHEAD_BEATS)
    r_lo, r_hi, _ = P.SETTING_VALUES["recall"]
    recall = p.ui("live.dial", 1080, 660, (152, 50, 46, 48), "recall", "Recall", "Recall", 0,
                  mmin=r_lo, mmax=r_hi, initial=DEFAULT_RECALL)
    p.comment("Voicing", 580, 630, present=(204, 50, 46, 18))
    voicing = p.ui("live.tab", 580, 660, (252, 50, 100, 18), "voicing", "Voicing", "Voicing", 2, enum=P.VOICINGS)
    p.comment("Grid", 1000, 630, present=(204, 72, 46, 18))
    grid = p.ui("live.tab", 1000, 660, (252, 72, 160, 18), "grid", "Grid", "Grid", 2, enum=GRIDS,
                initial=GRIDS.index(DEFAULT_GRID))
    p.comment("Chord ch", 660, 630, present=(204, 94, 56, 18))
    channel = p.ui("live.numbox", 660, 660, (262, 94, 40, 18), "channel", "Chord channel", "Chord ch", 1,
                   mmin=1, mmax=16, initial=CHORD_CHANNEL)
    p.comment("Thru", 720, 630, present=(306, 94, 30, 18))
    thru = p.ui("live.toggle", 720, 660, (338, 96, 14, 14), "thru", "Thru", "Thru", 2, enum=("off", "on"),
                initial=1)
    reset = p.ui("live.button", 780, 660, (360, 94, 16, 16), "reset", "Reset", "Reset", 2, enum=("off", "on"))
    p.comment("Reset", 780, 630, present=(378, 94, 36, 18))
    p.comment("Port", 840, 630, present=(8, 102, 30, 18))
    port = p.ui("live.numbox", 840, 660, (40, 102, 50, 18), "port", "Port", "Port", 1, mmin=1024, mmax=65535,
                initial=P.DEFAULT_PORT)
    p.comment(f"Blend: {BLEND_A} to {BLEND_B}", 900, 630, present=(96, 102, 104, 18))
    # The header: what sounds now and which checkpoint plays it, beside the name and the link light.
    show_chord = p.comment("-", 20, 700, present=(124, 2, 76, 22), fontsize=14.0, varname="status_chord")
    show_ckpt = p.comment(DEFAULT_POLICY, 120, 700, present=(204, 6, 142, 18), varname="status_checkpoint")
    show_lat = p.comment("latency -", 260, 700, present=(8, 124, 120, 18), varname="status_latency")
    show_bridge = p.comment(f"bridge {P.DEFAULT_HOST}", 400, 700, present=(130, 124, 172, 18),
                            varname="status_bridge")
    # The bridge's --secret, if it has one (saved with the set, never automated): /jam/hello carries it.
    p.comment("Secret", 1100, 630, present=(304, 124, 38, 18))
    secret = p.ui("textedit", 1100, 660, (342, 124, 70, 18), "secret", "Secret", "Secret", 3, invisible=1)
    show_error = p.comment("no errors", 560, 700, present=(8, 146, 404, 18), varname="status_error")

    # ---------------------------------------------------------------- startup and registration
    this = p.obj("live.thisdevice", 20, 20)
    init = p.obj("t b b b b b b b", 20, 50)
    p.connect(this, 0, init)
    # 6 (first): this device's id -> the reply port: udpreceive listens there, hello names it
    dev_path_msg = p.msg("path this_device", 20, 90)
    p.connect(init, 6, dev_path_msg)
    dev_path = p.obj("live.path", 20, 120)
    p.connect(dev_path_msg, 0, dev_path)
    dev_id = p.obj("route id", 20, 150)
    p.connect(dev_path, 0, dev_id)
    reply = p.obj(f"expr {P.DEFAULT_REPLY_PORT}+$i1%{REPLY_PORT_SPAN}", 20, 180)
    p.connect(dev_id, 0, reply)
    reply_t = p.obj("t i i i", 20, 210)
    p.connect(reply, 0, reply_t)
    listen = p.msg("port $1", 120, 240)
    p.connect(reply_t, 2, listen)
    p.connect(listen, 0, recv)
    hello = p.msg(f"{P.HELLO.path} {P.DEFAULT_REPLY_PORT}", 20, 300)
    name_port = p.obj(f"prepend set {P.HELLO.path}", 20, 240)
    p.connect(reply_t, 1, name_port)
    p.connect(name_port, 0, hello)
    # Saying hello asks the Secret field for its text: none -> the plain hello; a word -> hello with it.
    hello_secret = p.obj(f"prepend {P.HELLO.path} {P.DEFAULT_REPLY_PORT}", 1100, 760)
    name_port_secret = p.obj(f"prepend set {P.HELLO.path}", 1100, 240)
    p.connect(reply_t, 0, name_port_secret)
    p.connect(name_port_secret, 0, hello_secret)
    secret_text = p.obj("route text", 1100, 700)
    p.connect(secret, 0, secret_text)
    secret_none = p.obj("route bang", 1100, 730)
    p.connect(secret_text, 0, secret_none)
    p.connect(secret_none, 0, hello)
    p.connect(secret_none, 1, hello_secret)
    p.connect(hello_secret, 0, send)
    # 5: the bridge port -> udpsend and the launcher, then hello
    p.connect(init, 5, port)
    port_t = p.obj("t b i i", 840, 700)
    p.connect(port, 0, port_t)
    to_port = p.msg("port $1", 900, 730)
    p.connect(port_t, 2, to_port)
    p.connect(to_port, 0, send)
    start_launcher = p.msg("start $1", 840, 730)
    p.connect(port_t, 1, start_launcher)
    p.connect(start_launcher, 0, launcher)
    hello_t = p.obj("t b", 20, 270)
    p.connect(port_t, 0, hello_t)
    p.connect(hello_t, 0, secret)
    p.connect(hello, 0, send)
    # 4, 3: the set's Thru and Chord channel (wired below); 2: observe Live's song; 1: watchdog; 0: clocks
    song_msg = p.msg("path live_set", 260, 90)
    p.connect(init, 2, song_msg)
    watchdog = p.obj(f"delay {WATCHDOG_MS}", 960, 150)
    p.connect(init, 1, watchdog)
    on = p.msg("1", 220, 120)
    p.connect(init, 0, on)
    on_t = p.obj("t i i", 220, 150)
    p.connect(on, 0, on_t)
    ping_clock = p.obj(f"metro {PING_MS}", 220, 180)
    p.connect(on_t, 1, ping_clock)
    ping = p.msg(f"{P.PING.path} 1", 220, 210)
    p.connect(ping_clock, 0, ping)
    p.connect(ping, 0, send)
    clock = p.obj("metro 16n @quantize 16n", 1000, 20)
    p.connect(on_t, 0, clock)

    # Removal or set closing: release, bye, stop the launcher.
    free = p.obj("freebang", 20, 960)
    bye_t = p.obj("t b b b", 20, 990)
    p.connect(free, 0, bye_t)
    bye = p.msg(P.BYE.path, 100, 1020)
    p.connect(bye_t, 1, bye)
    p.connect(bye, 0, send)
    stop_launcher = p.msg("stop", 20, 1020)
    p.connect(bye_t, 0, stop_launcher)
    p.connect(stop_launcher, 0, launcher)
    launcher_status = p.obj("route status", 20, 930)
    p.connect(launcher, 0, launcher_status)
    launcher_show = p.obj("prepend set bridge", 120, 930)
    p.connect(launcher_status, 0, launcher_show)
    p.connect(launcher_show, 0, show_bridge)

    # ---------------------------------------------------------------- controls -> bridge
    for ui, prefix, outlet, x in ((temp, f"{P.SET.path} temperature", 0, 340),
                                  (tab, f"{P.SET.path} output", 1, 500),
                                  (voicing, f"{P.SET.path} voicing", 1, 580),
                                  (grid, f"{P.SET.path} grid", 1, 1000),
                                  (recall, f"{P.SET.path} recall", 0, 1080)):
        pre = p.obj(f"prepend {prefix}", x, 760)
        p.connect(ui, outlet, pre)
        p.connect(pre, 0, send)
    look_t = p.obj("t f f", 420, 730)
    p.connect(look, 0, look_t)
    look_pre = p.obj(f"prepend {P.SET.path} lookahead_beats", 420, 760)
    p.connect(look_t, 0, look_pre)
    p.connect(look_pre, 0, send)
    ahead = p.obj("expr int($f1*4+2.5)", 480, 790)  # the furthest frame ahead an event may name
    p.connect(look_t, 1, ahead)
    choice = p.obj(f"route {BLEND}", 120, 730)
    p.connect(menu, 1, choice)
    p.connect(choice, 0, blend)  # menu on "blend": the dial says which blend
    ckpt_pre = p.obj(f"prepend {P.CHECKPOINT.path}", 120, 760)
    p.connect(choice, 1, ckpt_pre)
    p.connect(ckpt_pre, 0, send)
    blend_lim = p.obj(f"speedlim {BLEND_RATE_MS}", 260, 730)
    p.connect(blend, 0, blend_lim)
    blend_t = p.obj("t f b", 260, 760)
    p.connect(blend_lim, 0, blend_t)
    select_blend = p.msg(f"set {CHECKPOINT_ITEMS.index(BLEND)}", 320, 790)
    p.connect(blend_t, 1, select_blend)
    p.connect(select_blend, 0, menu)
    blend_msg = p.msg(f"{P.BLEND.path} {BLEND_A} {BLEND_B} $1", 260, 820)
    p.connect(blend_t, 0, blend_msg)
    p.connect(blend_msg, 0, send)
    reset_t = p.obj("t b b b", 780, 700)
    p.connect(reset, 0, reset_t)
    reset_msg = p.msg(P.RESET.path, 780, 730)
    p.connect(reset_t, 0, reset_msg)
    p.connect(reset_msg, 0, send)

    # ---------------------------------------------------------------- melody: thru and notes
    midiin = p.obj("midiin", 320, 20)
    midiout = p.obj("midiout", 320, 420)
    midi_t = p.obj("t i i", 320, 50)
    p.connect(midiin, 0, midi_t)
    thru_gate = p.obj("gate 1 1", 320, 390)
    p.connect(thru, 0, thru_gate, 0)
    p.connect(init, 4, thru)
    p.connect(midi_t, 0, thru_gate, 1)
    p.connect(thru_gate, 0, midiout)
    parse = p.obj("midiparse", 380, 60)
    p.connect(midi_t, 1, parse)
    stamp = p.obj("t l b", 380, 90)
    p.connect(parse, 0, stamp)
    note_pos = p.obj("transport", 440, 120)
    p.connect(stamp, 1, note_pos)
    note_beat = p.obj(f"expr $f1/{TICKS_PER_BEAT}.", 440, 150)
    p.connect(note_pos, 7, note_beat)
    note_pack = p.obj("pack i i f", 380, 180)
    p.connect(note_beat, 0, note_pack, 2)
    p.connect(stamp, 0, note_pack, 0)
    note_out = p.obj(f"prepend {P.NOTE.path}", 380, 210)
    p.connect(note_pack, 0, note_out)
    p.connect(note_out, 0, send)

    # ---------------------------------------------------------------- chord output (release / play)
    midifmt = p.obj("midiformat", 320, 370)
    p.connect(midifmt, 0, midiout)
    channel_t = p.obj("t i b", 660, 700)  # release on the old channel, then switch
    p.connect(channel, 0, channel_t)
    p.connect(init, 3, channel)
    p.connect(channel_t, 0, midifmt, 6)
    sounding = p.obj("zl reg", 1000, 470)  # the pitches now sounding
    release = p.obj("t b b", 1000, 440)  # note-offs for the sounding chord, then forget it
    p.connect(channel_t, 1, release)
    p.connect(reset_t, 2, release)
    p.connect(bye_t, 2, release)
    p.connect(release, 1, sounding, 0)
    forget = p.msg("zlclear", 1060, 440)
    p.connect(release, 0, forget)
    p.connect(forget, 0, sounding, 1)
    offs = p.obj("iter", 1000, 500)
    p.connect(sounding, 0, offs)
    off_pack = p.obj("pack 0 0", 1000, 530)
    p.connect(offs, 0, off_pack)
    p.connect(off_pack, 0, midifmt)

    # The play path: "symbol pitches..." or "nochord" (from the store on a frame, or late on arrival).
    now_reg = p.obj("zl reg", 900, 560)  # the frame now sounding; a bang says "this frame has played"
    played = p.obj("t b", 900, 530)
    p.connect(played, 0, now_reg)
    what = p.obj("route nochord", 700, 340)
    rest = p.obj("t b b b", 620, 370)
    p.connect(what, 0, rest)
    p.connect(rest, 2, release)
    p.connect(rest, 1, played)
    no_chord = p.msg("set -", 620, 400)
    p.connect(rest, 0, no_chord)
    start = p.obj("t l b b", 760, 370)
    p.connect(what, 1, start)
    p.connect(start, 2, release)
    p.connect(start, 1, played)
    name = p.obj("zl slice 1", 760, 400)
    p.connect(start, 0, name)
    name_show = p.obj("prepend set", 760, 430)
    p.connect(name, 0, name_show)
    show_t = p.obj("t l", 700, 460)
    p.connect(name_show, 0, show_t)
    p.connect(no_chord, 0, show_t)
    p.connect(show_t, 0, show_chord)
    play = p.obj("t l l", 840, 430)
    p.connect(name, 1, play)
    p.connect(play, 1, sounding, 1)
    ons = p.obj("iter", 840, 460)
    p.connect(play, 0, ons)
    on_pack = p.obj(f"pack 0 {CHORD_VELOCITY}", 840, 490)
    p.connect(ons, 0, on_pack)
    p.connect(on_pack, 0, midifmt)

    # ---------------------------------------------------------------- receiving
    routed = (P.CHORD, P.NOCHORD, P.READY, P.PONG, P.STATUS, P.ERROR)
    route = p.obj("route " + " ".join(a.path for a in routed), 620, 50)
    p.connect(recv, 0, route)
    chords = p.obj("coll", 700, 300)  # frame it sounds on -> symbol pitches... | nochord
    p.connect(chords, 0, what)
    # Which frame an event sounds on: F, or F minus the loop length for a frame past the loop end
    # while Live loops (the next pass). $i1 F, $i2 looping, $i3 frame now, $i4 loop end, $i5 loop start.
    f_t = p.obj("t i i", 620, 140)
    key = p.obj("expr $i1-$i2*($i3<$i4)*($i1>=$i4)*($i4-$i5)", 680, 170)
    p.connect(f_t, 1, key)
    keyed = p.obj("prepend 0", 700, 270)
    key_t = p.obj("t i i i", 680, 190)
    p.connect(key, 0, key_t)
    key_set = p.msg("set $1", 700, 210)
    p.connect(key_t, 0, key_set)
    p.connect(key_set, 0, keyed)
    # 1: store (ahead, within reach); else 2: play now (its run covers this frame and nothing has played
    # since it began: its onset was late or lost, or came numbered past the loop end just after the
    # wrap); 0: ignore (a re-send of what already plays, or stale).
    # $i1 F, $i2 frame now, $i3 frame last played, $i4 furthest frame ahead allowed, $i5 run length,
    # $i6 the frame it sounds on.
    # $i7 > 0: the bridge has spoken about the present since the last jump (see "synced" below).
    store = "($i1>$i2)*($i1-$i2<=$i4)"
    decide = p.obj(f"expr ({store}+({store}==0)*($i6<=$i2)*($i2<$i6+$i5)*($i3<$i6)*2)*($i7>0)", 620, 210)
    p.connect(key_t, 1, decide, 5)
    # Synced: after a jump (seek, start) the bridge's words already on their way were planned for the old
    # position and may name frames the new one will reach. Its first word after hearing the jump is the
    # run sounding at the new position, which names a frame at or before the one now sounding (or the
    # next: the bridge's clock may be a hair ahead): from that word on, events count again; until it,
    # none is stored or played. $i1 the frame the event sounds on, $i2 the frame now.
    synced = p.obj("expr $i1<=$i2+1", 560, 190)
    p.connect(key_t, 2, synced)
    sync_on = p.obj("sel 1", 560, 215)
    p.connect(synced, 0, sync_on)
    sync_one = p.msg("1", 560, 240)
    p.connect(sync_on, 0, sync_one)
    p.connect(sync_one, 0, decide, 6)
    p.connect(f_t, 0, decide)
    fate = p.obj("gate 2", 620, 240)
    p.connect(decide, 0, fate, 0)
    p.connect(fate, 0, keyed)
    p.connect(keyed, 0, chords)
    p.connect(fate, 1, what)
    chord_in = p.obj("t l l l", 620, 90)
    p.connect(route, 0, chord_in)
    span = p.obj("zl slice 2", 560, 120)
    p.connect(chord_in, 2, span)
    span_args = p.obj("unpack i i", 560, 150)
    p.connect(span, 0, span_args)
    p.connect(span_args, 1, decide, 4)
    frame_of = p.obj("zl slice 1", 620, 120)
    p.connect(chord_in, 1, frame_of)
    p.connect(frame_of, 0, f_t)
    body = p.obj("zl slice 2", 680, 120)
    p.connect(chord_in, 0, body)
    p.connect(body, 1, fate, 1)
    nochord_in = p.obj("t b i b", 760, 90)
    p.connect(route, 1, nochord_in)
    one = p.msg("1", 820, 90)
    p.connect(nochord_in, 2, one)
    p.connect(one, 0, decide, 4)
    p.connect(nochord_in, 1, f_t)
    silence = p.msg("nochord", 820, 120)
    p.connect(nochord_in, 0, silence)
    p.connect(silence, 0, fate, 1)

    light_on = p.msg("1", 840, 200)
    light_off = p.msg("0", 880, 200)
    light_t = p.obj("t i", 860, 230)
    p.connect(light_on, 0, light_t)
    p.connect(light_off, 0, light_t)
    p.connect(light_t, 0, light)

    # /jam/ready: light, watchdog, then every setting again (the set's values win over the bridge's).
    ready = p.obj("t b b b b b b b b b b b", 840, 90)
    p.connect(route, 2, ready)
    p.connect(ready, 10, light_on)
    p.connect(ready, 9, watchdog)
    p.connect(ready, 8, temp)
    p.connect(ready, 7, recall)
    p.connect(ready, 6, look)
    p.connect(ready, 5, tab)
    p.connect(ready, 4, voicing)
    p.connect(ready, 3, grid)
    # 2: time signature, 1: loop (wired below), 0: the checkpoint choice, last
    p.connect(ready, 0, menu)

    pong = p.obj("t b b", 960, 90)
    p.connect(route, 3, pong)
    p.connect(pong, 1, light_on)
    p.connect(pong, 0, watchdog)
    lost = p.obj("t b b b", 960, 180)  # silence: light off, hello again, wait again
    p.connect(watchdog, 0, lost)
    p.connect(lost, 2, light_off)
    p.connect(lost, 1, secret)
    p.connect(lost, 0, watchdog)

    status = p.obj("route checkpoint latency_p50_ms", 1140, 90)
    p.connect(route, 4, status)
    playing_now = p.obj("t l l", 1140, 120)
    p.connect(status, 0, playing_now)
    menu_follow = p.obj("prepend setsymbol", 1140, 150)
    p.connect(playing_now, 1, menu_follow)
    p.connect(menu_follow, 0, menu)
    ckpt_show = p.obj("prepend set", 1200, 150)
    p.connect(playing_now, 0, ckpt_show)
    p.connect(ckpt_show, 0, show_ckpt)
    latency = p.msg("set latency $1 ms", 1260, 120)
    p.connect(status, 1, latency)
    p.connect(latency, 0, show_lat)
    error = p.msg("set $2", 1340, 90)
    p.connect(route, 5, error)
    p.connect(error, 0, show_error)

    clear = p.msg("clear", 780, 260)
    clear_t = p.obj("t b", 780, 240)
    p.connect(reset_t, 1, clear_t)
    p.connect(clear_t, 0, clear)
    p.connect(clear, 0, chords)

    # ---------------------------------------------------------------- transport report
    report = p.obj("t b", 1250, 300)
    rep_pos = p.obj("transport", 1250, 330)
    p.connect(report, 0, rep_pos)
    rep_state = p.obj("zl reg", 1250, 400)
    p.connect(rep_pos, 6, rep_state, 1)
    rep_beat = p.obj(f"expr $f1/{TICKS_PER_BEAT}.", 1330, 370)
    p.connect(rep_pos, 7, rep_beat)
    rep_pack = p.obj("pack i f f", 1250, 440)
    p.connect(rep_beat, 0, rep_pack, 1)
    p.connect(rep_pos, 4, rep_pack, 2)
    rep_last = p.obj("t b", 1200, 370)  # outlet 0 (bars) fires last: all values are in place
    p.connect(rep_pos, 0, rep_last)
    p.connect(rep_last, 0, rep_state, 0)
    p.connect(rep_state, 0, rep_pack, 0)
    rep_out = p.obj(f"prepend {P.TRANSPORT.path}", 1250, 470)
    p.connect(rep_pack, 0, rep_out)
    p.connect(rep_out, 0, send)

    # ---------------------------------------------------------------- Live's song, observed
    song = p.obj("live.path", 1250, 20)
    p.connect(song_msg, 0, song)
    props = ("is_playing", "tempo", "loop", "loop_start", "loop_length", "signature_numerator",
             "signature_denominator")
    fan = p.obj("t " + " ".join("l" for _ in props), 1250, 40)
    p.connect(song, 0, fan)
    obs = {}
    for i, prop in enumerate(props):
        obs[prop] = p.obj(f"live.observer {prop}", 1250 + 110 * i, 60)
        p.connect(fan, i, obs[prop], 1)
    stopped = p.obj("sel 0", 1250, 100)
    p.connect(obs["is_playing"], 0, stopped)
    on_stop = p.obj("t b b b b b", 1250, 130)
    p.connect(stopped, 0, on_stop)
    p.connect(stopped, 1, report)  # started: report at once
    p.connect(obs["tempo"], 0, report)

    loop_pack = p.obj("pack i f f", 1500, 100)
    p.connect(obs["loop"], 0, loop_pack, 0)
    for j, prop in ((1, "loop_start"), (2, "loop_length")):
        t = p.obj("t b f", 1560 + 60 * j, 80)
        p.connect(obs[prop], 0, t)
        p.connect(t, 1, loop_pack, j)
        p.connect(t, 0, loop_pack, 0)
    p.connect(ready, 1, loop_pack, 0)
    loop_t = p.obj("t l l b", 1500, 130)
    p.connect(loop_pack, 0, loop_t)
    loop_out = p.obj(f"prepend {P.LOOP.path}", 1500, 160)
    p.connect(loop_t, 0, loop_out)
    p.connect(loop_out, 0, send)
    loop_args = p.obj("unpack i f f", 1600, 160)
    p.connect(loop_t, 1, loop_args)
    loop_end = p.obj("expr int($f1*4+0.5)+int($f2*4+0.5)", 1700, 190)
    p.connect(loop_args, 2, loop_end, 1)
    start_t = p.obj("t f f", 1650, 190)
    p.connect(loop_args, 1, start_t)
    loop_start = p.obj("expr int($f1*4+0.5)", 1650, 220)
    p.connect(start_t, 1, loop_start)
    p.connect(start_t, 0, loop_end, 0)

    bpb = p.obj("expr $i1*4./($i2+($i2==0))", 1900, 100)
    p.connect(obs["signature_numerator"], 0, bpb, 0)
    den_t = p.obj("t b i", 2000, 80)
    p.connect(obs["signature_denominator"], 0, den_t)
    p.connect(den_t, 1, bpb, 1)
    p.connect(den_t, 0, bpb, 0)
    p.connect(ready, 2, bpb, 0)
    bpb_ok = p.obj("sel 0", 1900, 115)  # 0 while only one of the two has been observed: not a meter
    p.connect(bpb, 0, bpb_ok)
    bpb_out = p.obj(f"prepend {P.SET.path} beats_per_bar", 1900, 130)
    p.connect(bpb_ok, 1, bpb_out)
    p.connect(bpb_out, 0, send)

    # ---------------------------------------------------------------- the 16th clock
    clock_pos = p.obj("transport", 1000, 50)
    p.connect(clock, 0, clock_pos)
    frame = p.obj(f"expr int($f1/{TICKS_PER_FRAME}.+0.5)", 1000, 80)
    p.connect(clock_pos, 7, frame)
    each = p.obj("t i i i i i", 1000, 110)
    p.connect(frame, 0, each)
    # 4 (first): how did we get here? 0 the next frame, 1 Live's loop wrapped, 2 a seek (or a start).
    # $i1 frame, $i2 previous frame, $i3 looping, $i4 loop start, $i5 loop end.
    step = p.obj("expr ($i1!=$i2+1)*(1+($i3*($i1==$i4)*($i2==$i5-1)==0))", 1180, 140)
    p.connect(each, 4, step, 0)
    jumped = p.obj("sel 1 2", 1180, 170)
    p.connect(step, 0, jumped)
    never = p.msg(str(NEVER), 1330, 160)  # no previous frame, nothing played, no frame sounding (stopped)
    never_t = p.obj("t i i i i i", 1330, 190)
    p.connect(never, 0, never_t)
    # A seek, a start or a stop (not a loop wrap, which keeps everything): not synced until the bridge
    # speaks about the new position.
    unsync = p.msg("0", 1400, 160)
    p.connect(unsync, 0, decide, 6)
    wrap = p.obj("t b b", 1120, 200)
    p.connect(jumped, 0, wrap)
    p.connect(wrap, 1, never)
    p.connect(wrap, 0, report)
    on_jump = p.obj("t b b b b b", 1180, 200)
    p.connect(jumped, 1, on_jump)
    p.connect(on_jump, 4, unsync)
    p.connect(on_jump, 3, never)
    p.connect(on_jump, 2, release)
    p.connect(on_jump, 1, clear)
    p.connect(on_jump, 0, report)
    # 3: the frame now sounding, for the receiving side
    now_t = p.obj("t i i i i", 900, 140)
    p.connect(each, 3, now_t)
    p.connect(now_t, 3, synced, 1)
    p.connect(now_t, 2, key, 2)
    p.connect(now_t, 1, decide, 1)
    p.connect(now_t, 0, now_reg, 1)
    p.connect(now_reg, 0, decide, 2)
    p.connect(never_t, 4, synced, 1)
    p.connect(never_t, 3, key, 2)
    p.connect(never_t, 2, decide, 1)
    p.connect(never_t, 1, decide, 2)
    p.connect(never_t, 0, step, 1)
    # 2: play what is stored for this frame, then forget it
    look_up = p.obj("t i i", 700, 220)
    p.connect(each, 2, look_up)
    p.connect(look_up, 1, chords)
    chord_forget = p.msg("remove $1", 700, 250)
    p.connect(look_up, 0, chord_forget)
    p.connect(chord_forget, 0, chords)
    # 1: the transport on every beat
    beat_phase = p.obj("expr $i1%4", 1100, 140)
    p.connect(each, 1, beat_phase)
    on_beat = p.obj("sel 0", 1100, 170)
    p.connect(beat_phase, 0, on_beat)
    p.connect(on_beat, 0, report)
    # 0 (last): remember the frame
    p.connect(each, 0, step, 1)

    # The loop brace and the reach, into the receiving and the jump logic.
    loop_on_t = p.obj("t i i", 1600, 250)
    p.connect(loop_args, 0, loop_on_t)
    p.connect(loop_on_t, 1, key, 1)
    p.connect(loop_on_t, 0, step, 2)
    start_dst = p.obj("t i i", 1650, 250)
    p.connect(loop_start, 0, start_dst)
    p.connect(start_dst, 1, key, 4)
    p.connect(start_dst, 0, step, 3)
    end_dst = p.obj("t i i", 1700, 250)
    p.connect(loop_end, 0, end_dst)
    p.connect(end_dst, 1, key, 3)
    p.connect(end_dst, 0, step, 4)
    p.connect(ahead, 0, decide, 3)
    # A new loop brace: what was stored was keyed for the old one (the bridge re-sends at once).
    p.connect(loop_t, 2, clear)

    # Live stopped: forget the previous frame (the next start is a jump), release, clear, report.
    p.connect(on_stop, 4, unsync)
    p.connect(on_stop, 3, never)
    p.connect(on_stop, 2, release)
    p.connect(on_stop, 1, clear)
    p.connect(on_stop, 0, report)

    return p.device(DEVICE_WIDTH)


def device_json() -> str:
    return dumps(build_device())


def outputs() -> dict[Path, str]:
    """Every generated file and its content."""
    from max_patches.pd_client import client_patch, demo_patch

    return {MAXPAT: device_json(), PD_DIR / "jam_client.pd": client_patch(), PD_DIR / "jam_demo.pd": demo_patch()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a committed file is out of date")
    args = ap.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path.relative_to(HERE.parent)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
