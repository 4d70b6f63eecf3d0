"""Generate the Live side's patches from ``bridge/protocol.py``: the Max for Live device and the Pd client.

    python -m max_patches.generate           # rewrite max_patches/jam_bridge.maxpat and max_patches/pd/*.pd
    python -m max_patches.generate --check   # exit 1 if a committed file differs from what this writes

Addresses, ports, setting names and ranges are read from the protocol module, so the patches cannot
drift from the bridge. How the device works (Max messages fire right-to-left out of a [t ...]):

- MIDI: [midiin] -> [midiout] passes the performer through untouched; [midiparse] note lists get the
  song position from [transport] (ticks / 480 = beats) and go out as ``/jam/note i pitch, i vel, f beat``.
- Registration: when the device is ready ([live.thisdevice]) it sends ``/jam/hello <reply port>`` and
  ``/jam/list``; a ``/jam/ping`` each second keeps the link; every ``/jam/pong`` lights the link light and
  restarts a 3 s watchdog whose expiry turns it off and says hello again, every 3 s until a bridge
  answers (it may start after Live, or restart).
- Chords: [udpreceive] -> [route]; ``/jam/chord frame frames symbol pitches...`` is stored in a [coll] at
  ``frame`` (a re-sent chord overwrites itself), its end frame in a second [coll]; ``/jam/nochord frame``
  stores ``nochord``. A transport-locked 16th clock ([metro 16n @quantize 16n], silent while Live is
  stopped) reads [transport] ticks, turns them into the frame number, releases the sounding chord at an
  end or a new chord, plays the new one through [midiformat] -> [midiout], and forgets played frames.
- A frame that does not follow the previous one is a seek or loop: release, clear both stores and send
  the transport at once. Live stopping ([live.observer is_playing] -> 0): release (note-offs for every
  sounding pitch, so nothing hangs), clear, and send the transport; a tempo change sends it too. The
  transport also goes out on every beat.
- UI (presentation view, live.* so Live saves them): link light, checkpoint menu (items replaced by
  ``/jam/checkpoints``, display follows ``/jam/ready`` and ``/jam/status checkpoint``), temperature and
  lookahead dials, output-mode tab. After every ``/jam/ready`` the dials and tab re-send their values, so
  a restarted bridge gets the device's settings back.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bridge import protocol as P  # noqa: E402
from jamcore.checkpoints import DEFAULT_TEMPERATURE  # noqa: E402
from max_patches.maxpat import Patcher, dumps  # noqa: E402

HERE = Path(__file__).resolve().parent
MAXPAT = HERE / "jam_bridge.maxpat"
PD_DIR = HERE / "pd"

DEVICE_WIDTH = 300
TICKS_PER_BEAT = 480  # Max's transport resolution
TICKS_PER_FRAME = TICKS_PER_BEAT // 4  # 16th-note frames (DESIGN section 2)
CHORD_VELOCITY = 90
PING_MS = 1000
WATCHDOG_MS = 3000
# Menu items until the bridge answers /jam/list with the checkpoints it really has.
INITIAL_CHECKPOINTS = ("mle", "rl", "gapt-1.0")
# Device-view defaults: the bridge's own defaults (bridge/session.py Settings; the temperature dial starts
# at jamcore.checkpoints.DEFAULT_TEMPERATURE) and protocol ranges.
DEFAULT_LOOKAHEAD_BEATS = 2.0


def build_device() -> dict[str, Any]:
    p = Patcher()
    send = p.obj(f"udpsend {P.DEFAULT_HOST} {P.DEFAULT_PORT}", 620, 860)

    # ---------------------------------------------------------------- startup, registration, link
    this = p.obj("live.thisdevice", 20, 20)
    init = p.obj("t b b b b", 20, 50)
    p.connect(this, 0, init)
    hello = p.msg(f"{P.HELLO.path} {P.DEFAULT_REPLY_PORT}", 20, 120)
    listing = p.msg(P.LIST.path, 140, 120)
    on = p.msg("1", 220, 120)
    path = p.msg("path live_set", 260, 120)
    p.connect(init, 3, path)
    p.connect(init, 2, hello)
    p.connect(init, 1, listing)
    p.connect(init, 0, on)
    p.connect(hello, 0, send)
    p.connect(listing, 0, send)
    ping_clock = p.obj(f"metro {PING_MS}", 220, 160)
    p.connect(on, 0, ping_clock)
    ping = p.msg(f"{P.PING.path} 1", 220, 190)
    p.connect(ping_clock, 0, ping)
    p.connect(ping, 0, send)

    # ---------------------------------------------------------------- UI (device view)
    p.comment("Jam Bridge", 20, 600, present=(8, 4, 150, 22), fontsize=14.0)
    p.comment("link", 20, 630, present=(236, 6, 32, 18))
    light = p.ui("live.toggle", 20, 660, (270, 8, 16, 16), "link", "Link", "Link", 2,
                 enum=("off", "on"), ignoreclick=1)
    p.comment("Checkpoint", 120, 630, present=(8, 34, 70, 18))
    menu = p.ui("live.menu", 120, 660, (80, 34, 208, 18), "checkpoint", "Checkpoint", "Checkpoint", 2,
                enum=INITIAL_CHECKPOINTS)
    t_lo, t_hi, _ = P.SETTING_VALUES["temperature"]
    temp = p.ui("live.dial", 340, 660, (8, 64, 64, 48), "temperature", "Temperature", "Temp", 0,
                mmin=t_lo, mmax=t_hi, initial=DEFAULT_TEMPERATURE)
    l_lo, l_hi, _ = P.SETTING_VALUES["lookahead_beats"]
    look = p.ui("live.dial", 420, 660, (80, 64, 64, 48), "lookahead", "Lookahead", "Ahead", 0,
                mmin=l_lo, mmax=l_hi, initial=DEFAULT_LOOKAHEAD_BEATS)
    p.comment("Output", 500, 630, present=(156, 64, 60, 18))
    tab = p.ui("live.tab", 500, 660, (156, 84, 132, 20), "output", "Output", "Output", 2,
               enum=P.OUTPUT_MODES)
    p.comment(f"bridge {P.DEFAULT_HOST}:{P.DEFAULT_PORT}, replies on :{P.DEFAULT_REPLY_PORT}", 20, 720,
              present=(8, 140, 284, 18))
    for ui, prefix, outlet, x in ((temp, f"{P.SET.path} temperature", 0, 340),
                                  (look, f"{P.SET.path} lookahead_beats", 0, 420),
                                  (tab, f"{P.SET.path} output", 1, 500),
                                  (menu, P.CHECKPOINT.path, 1, 120)):
        pre = p.obj(f"prepend {prefix}", x, 760)
        p.connect(ui, outlet, pre)
        p.connect(pre, 0, send)

    # ---------------------------------------------------------------- melody: pass-through and notes
    midiin = p.obj("midiin", 320, 20)
    midiout = p.obj("midiout", 320, 400)
    p.connect(midiin, 0, midiout)
    parse = p.obj("midiparse", 380, 60)
    p.connect(midiin, 0, parse)
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
    sounding = p.obj("zl reg", 1000, 470)  # the pitches now sounding
    release = p.obj("t b b", 1000, 440)  # bang: note-offs for the sounding chord, then forget it
    p.connect(release, 1, sounding, 0)
    forget = p.msg("zlclear", 1060, 440)
    p.connect(release, 0, forget)
    p.connect(forget, 0, sounding, 1)
    offs = p.obj("iter", 1000, 500)
    p.connect(sounding, 0, offs)
    off_pack = p.obj("pack 0 0", 1000, 530)
    p.connect(offs, 0, off_pack)
    p.connect(off_pack, 0, midifmt)

    # ---------------------------------------------------------------- receiving: route and store
    recv = p.obj(f"udpreceive {P.DEFAULT_REPLY_PORT}", 620, 20)
    routed = (P.CHORD, P.NOCHORD, P.READY, P.PONG, P.CHECKPOINTS, P.STATUS)
    route = p.obj("route " + " ".join(a.path for a in routed), 620, 50)
    p.connect(recv, 0, route)
    chords = p.obj("coll", 700, 300)  # frame -> frames symbol pitches... | nochord
    ends = p.obj("coll", 860, 300)  # end frame -> end
    chord_in = p.obj("t l l", 620, 90)
    p.connect(route, 0, chord_in)
    p.connect(chord_in, 0, chords)
    span = p.obj("unpack i i", 680, 120)
    p.connect(chord_in, 1, span)
    end_frame = p.obj("expr $i1+$i2", 680, 150)
    p.connect(span, 1, end_frame, 1)
    p.connect(span, 0, end_frame, 0)
    end_msg = p.msg("$1 end", 680, 180)
    p.connect(end_frame, 0, end_msg)
    p.connect(end_msg, 0, ends)
    nochord = p.msg("$1 nochord", 760, 90)
    p.connect(route, 1, nochord)
    p.connect(nochord, 0, chords)

    ready = p.obj("t l b b", 840, 90)  # light on, re-send settings and ask for the list; show checkpoint
    p.connect(route, 2, ready)
    light_on = p.msg("1", 840, 200)
    light_off = p.msg("0", 880, 200)
    p.connect(light_on, 0, light)
    p.connect(light_off, 0, light)
    p.connect(ready, 2, light_on)
    resend = p.obj("t b b b", 900, 120)
    p.connect(ready, 1, resend)
    p.connect(resend, 2, temp)
    p.connect(resend, 1, look)
    p.connect(resend, 0, tab)
    p.connect(ready, 1, listing)
    ready_args = p.obj("unpack s s", 840, 150)
    p.connect(ready, 0, ready_args)
    show = p.obj("prepend setsymbol", 840, 240)
    p.connect(ready_args, 1, show)
    p.connect(show, 0, menu)

    pong = p.obj("t b b", 960, 90)
    p.connect(route, 3, pong)
    watchdog = p.obj(f"delay {WATCHDOG_MS}", 960, 150)
    p.connect(pong, 1, light_on)
    p.connect(pong, 0, watchdog)
    # Silence: light off, say hello again, and wait again; so the device finds a bridge started later.
    lost = p.obj("t b b b", 960, 180)
    p.connect(watchdog, 0, lost)
    p.connect(lost, 2, light_off)
    p.connect(lost, 1, hello)
    p.connect(lost, 0, watchdog)
    p.connect(ready, 2, watchdog)
    p.connect(init, 0, watchdog)

    items = p.obj("prepend _parameter_range", 1040, 90)
    p.connect(route, 4, items)
    p.connect(items, 0, menu)
    status = p.obj("route checkpoint", 1140, 90)
    p.connect(route, 5, status)
    p.connect(status, 0, show)

    clear = p.msg("clear", 780, 260)
    p.connect(clear, 0, chords)
    p.connect(clear, 0, ends)

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

    live_path = p.obj("live.path", 1250, 20)
    p.connect(path, 0, live_path)
    playing = p.obj("live.observer is_playing", 1250, 60)
    tempo = p.obj("live.observer tempo", 1420, 60)
    p.connect(live_path, 0, playing, 1)
    p.connect(live_path, 0, tempo, 1)
    stopped = p.obj("sel 0", 1250, 100)
    p.connect(playing, 0, stopped)
    on_stop = p.obj("t b b b b", 1250, 130)
    p.connect(stopped, 0, on_stop)
    p.connect(tempo, 0, report)

    # ---------------------------------------------------------------- the 16th clock
    clock = p.obj("metro 16n @quantize 16n", 1000, 20)
    p.connect(on, 0, clock)
    clock_pos = p.obj("transport", 1000, 50)
    p.connect(clock, 0, clock_pos)
    frame = p.obj(f"expr int($f1/{TICKS_PER_FRAME}.+0.5)", 1000, 80)
    p.connect(clock_pos, 7, frame)
    each = p.obj("t i i i i", 1000, 110)
    p.connect(frame, 0, each)
    # outlet 3 (first): seek or loop? frame - previous frame != 1
    step = p.obj("expr $i1-$i2", 1180, 140)
    p.connect(each, 3, step, 0)
    jumped = p.obj("sel 1", 1180, 170)
    p.connect(step, 0, jumped)
    on_jump = p.obj("t b b b", 1180, 200)
    p.connect(jumped, 1, on_jump)
    p.connect(on_jump, 2, release)
    p.connect(on_jump, 1, clear)
    p.connect(on_jump, 0, report)
    # outlet 2: a chord ends here
    end_look = p.obj("t i i", 860, 220)
    p.connect(each, 2, end_look)
    p.connect(end_look, 1, ends)
    end_forget = p.msg("remove $1", 860, 250)
    p.connect(end_look, 0, end_forget)
    p.connect(end_forget, 0, ends)
    p.connect(ends, 0, release)
    # outlet 1: a chord (or silence) starts here
    chord_look = p.obj("t i i", 700, 220)
    p.connect(each, 1, chord_look)
    p.connect(chord_look, 1, chords)
    chord_forget = p.msg("remove $1", 700, 250)
    p.connect(chord_look, 0, chord_forget)
    p.connect(chord_forget, 0, chords)
    what = p.obj("route nochord", 700, 340)
    p.connect(chords, 0, what)
    p.connect(what, 0, release)
    start = p.obj("t l b", 760, 370)
    p.connect(what, 1, start)
    p.connect(start, 1, release)
    pitches = p.obj("zl slice 2", 760, 400)
    p.connect(start, 0, pitches)
    play = p.obj("t l l", 760, 430)
    p.connect(pitches, 1, play)
    p.connect(play, 1, sounding, 1)
    ons = p.obj("iter", 760, 460)
    p.connect(play, 0, ons)
    on_pack = p.obj(f"pack 0 {CHORD_VELOCITY}", 760, 490)
    p.connect(ons, 0, on_pack)
    p.connect(on_pack, 0, midifmt)
    # outlet 0 (last): remember the frame; send the transport on every beat
    p.connect(each, 0, step, 1)
    beat_phase = p.obj("expr $i1%4", 1100, 140)
    p.connect(each, 0, beat_phase)
    on_beat = p.obj("sel 0", 1100, 170)
    p.connect(beat_phase, 0, on_beat)
    p.connect(on_beat, 0, report)

    # Live stopped: forget the previous frame (the next start is a jump), release, clear, report.
    never = p.msg("-1000", 1330, 160)
    p.connect(on_stop, 3, never)
    p.connect(never, 0, step, 1)
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
