"""Rendering: melody and chords come out audible, in time, on separate instruments; WAV round-trips."""
import wave

import numpy as np
import pytest

from jamcore.music.chords import parse_symbol
from jamcore.music.render import SMALL_SOUNDFONT, RenderError, find_soundfont, render, write_wav
from jamcore.music.song import ChordSpan, Note
from jamcore.music.voicing import voice_spans

SF = SMALL_SOUNDFONT
SR = 22050


def _rms(a):
    return float(np.sqrt(np.mean(np.square(a)))) if len(a) else 0.0


@pytest.mark.skipif(not SF.is_file(), reason="timgm6mb-soundfont not installed")
def test_render_is_audible_where_notes_are_and_quiet_elsewhere(tmp_path):
    bpm = 120.0  # 0.5 s per beat
    melody = [Note(72, 0.0, 1.0), Note(76, 1.0, 2.0)]
    chords = voice_spans([ChordSpan(parse_symbol("C"), 0.0, 2.0)])
    audio = render(melody, chords, bpm, soundfont=SF, sample_rate=SR, tail_seconds=2.0)
    assert audio.dtype == np.float32 and audio.shape[1] == 2
    assert len(audio) >= int(3.0 * SR)
    playing = audio[: SR]  # first second: both parts
    tail = audio[int(2.9 * SR):]  # almost two seconds after everything stopped
    assert _rms(playing) > 0.01
    assert _rms(tail) < 0.1 * _rms(playing)

    path = tmp_path / "x.wav"
    write_wav(path, audio, SR)
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, SR)
        assert w.getnframes() == len(audio)


@pytest.mark.skipif(not SF.is_file(), reason="timgm6mb-soundfont not installed")
def test_chords_alone_and_melody_alone_both_sound():
    chords = voice_spans([ChordSpan(parse_symbol("Am"), 0.0, 2.0)])
    assert _rms(render([], chords, 120.0, soundfont=SF, sample_rate=SR)[: SR]) > 0.005
    assert _rms(render([Note(69, 0.0, 2.0)], [], 120.0, soundfont=SF, sample_rate=SR)[: SR]) > 0.005


def test_missing_soundfont_is_a_clear_error(tmp_path):
    with pytest.raises(RenderError, match="soundfont not found"):
        find_soundfont(tmp_path / "nope.sf2")


@pytest.mark.skipif(not SF.is_file(), reason="timgm6mb-soundfont not installed")
def test_render_wav_accepts_plain_tuples(tmp_path):
    from jamcore.music.render import render_wav

    audio = render_wav(tmp_path / "t.wav", [Note(60, 0.0, 1.0)], [(0.0, 1.0, [48, 55, 64])], 120.0,
                       soundfont=SF, sample_rate=SR)
    assert (tmp_path / "t.wav").stat().st_size > 44 and _rms(audio[: SR // 2]) > 0.005
