"""The corpus build on real songs: tokens round-trip, online order, transposition, split, cache."""
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jamcore.config import DataConfig
from jamcore.data import build as build_module
from jamcore.data.build import (
    SPLITS, assign_split, build_corpus, cache_dir_for, load_corpus, read_cache, tokenize_song,
)
from jamcore.data.sources import read_song
from jamcore.tokens import (
    BOS, NO_CHORD, SILENCE, TOKEN_CHORD, TOKEN_PITCH, decode_chords, decode_melody, encode_chords,
    encode_melody, interleave, is_chord_token, is_melody_token, transpose_tokens, chord_grammar_violations,
)

DATA = DataConfig().data_dir
pytestmark = pytest.mark.skipif(not (DATA / "pop909").is_dir(), reason="datasets not found")
LIMIT = 12


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    return DataConfig(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def corpus(cfg):
    return build_corpus(cfg, limit=LIMIT, workers=1, progress=False)


def test_corpus_layout(corpus, cfg):
    sources = {r.source for r in corpus.records}
    assert sources == {"nottingham", "pop909"}
    assert corpus.melody.dtype == np.int16 and corpus.chords.shape == corpus.melody.shape
    assert sum(r.n_frames for r in corpus.records) == len(corpus.melody)
    for rec in corpus.records:
        mel, ch = corpus.tokens(rec)
        assert len(mel) == rec.n_frames and all(is_melody_token(int(t)) for t in np.unique(mel))
        assert all(is_chord_token(int(t)) for t in np.unique(ch))
        assert not chord_grammar_violations(ch).any()
    folder = cache_dir_for(cfg, LIMIT)
    stats = json.loads((folder / "stats.json").read_text())
    assert stats["sources"]["pop909"]["parsed"] == LIMIT
    assert (folder / "stats.png").stat().st_size > 1000
    # Plain data on disk: the cache reads back without pickle and equals what was built.
    again = read_cache(folder)
    assert again.records == corpus.records and np.array_equal(again.chords, corpus.chords)


@pytest.mark.parametrize("song_id", ["nottingham/ashover1", "pop909/001"])
def test_round_trip_on_real_songs(song_id):
    source, name = song_id.split("/")
    song = read_song(source, DATA, name).song
    mel, ch = tokenize_song(song)
    assert (mel != SILENCE).mean() > 0.3 and (ch != NO_CHORD).mean() > 0.5
    # tokens -> notes/chords -> tokens is the identity
    assert np.array_equal(encode_melody(decode_melody(mel), len(mel)), mel)
    assert np.array_equal(encode_chords(decode_chords(ch), len(ch)), ch)


def test_online_sequence_puts_chord_before_melody(corpus):
    rec = corpus.records[0]
    mel, ch = corpus.tokens(rec)
    seq = interleave(ch, mel)
    assert seq[0] == BOS
    for t in range(0, len(mel), 97):
        assert seq[1 + 2 * t] == ch[t] and seq[2 + 2 * t] == mel[t]


@pytest.mark.parametrize("k", [-6, -1, 5])
def test_transposition_moves_pitch_and_root_together(corpus, k):
    mel, ch = corpus.tokens(corpus.split("train")[0])
    tm, tc = transpose_tokens(mel.astype(np.int64), k), transpose_tokens(ch.astype(np.int64), k)
    notes = mel != SILENCE
    assert np.array_equal(TOKEN_PITCH[tm[notes]] - TOKEN_PITCH[mel[notes]], np.full(notes.sum(), k))
    chorded = ch != NO_CHORD
    from jamcore.music.chords import ALL_CHORDS
    for a, b in zip(TOKEN_CHORD[ch[chorded]][:200], TOKEN_CHORD[tc[chorded]][:200]):
        assert ALL_CHORDS[b].root == (ALL_CHORDS[a].root + k) % 12
        assert ALL_CHORDS[b].quality == ALL_CHORDS[a].quality
    assert (tm[~notes] == SILENCE).all() and (tc[~chorded] == NO_CHORD).all()


def test_split_is_deterministic_and_disjoint(corpus, cfg):
    by_id = {r.song_id: r.split for r in corpus.records}
    assert len(by_id) == len(corpus.records)  # each song in exactly one split
    assert all(assign_split(sid, cfg) == split for sid, split in by_id.items())
    # Stable in a fresh interpreter (no PYTHONHASHSEED dependence), and the fractions are ~80/10/10.
    ids = [f"pop909/{i:03d}" for i in range(1, 910)]
    code = ("import sys; from jamcore.config import DataConfig; from jamcore.data.build import assign_split;"
            "print(''.join(assign_split(f'pop909/{i:03d}', DataConfig())[1] for i in range(1, 910)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "".join(assign_split(i, DataConfig())[1] for i in ids)
    counts = {s: sum(assign_split(i, DataConfig()) == s for i in ids) for s in SPLITS}
    assert 0.75 < counts["train"] / 909 < 0.85 and counts["valid"] > 60 and counts["test"] > 60
    # Another salt gives another split.
    other = dataclasses.replace(cfg, split_salt="other")
    assert any(assign_split(i, other) != assign_split(i, cfg) for i in ids)


def test_load_corpus_builds_when_missing_then_reads_the_cache(cfg, monkeypatch):
    import jamcore.data.build as build

    small = dataclasses.replace(cfg, pop909=False)
    real_build = build.build_corpus
    calls = []

    def limited_build(c, **kwargs):  # load_corpus has no limit: keep this test fast
        calls.append(c)
        return real_build(c, limit=LIMIT, workers=1, progress=False)

    monkeypatch.setattr(build, "build_corpus", limited_build)
    monkeypatch.setattr(build, "cache_dir_for", lambda c, limit=None: cache_dir_for(c, LIMIT))
    first = load_corpus(small, progress=False)
    assert len(calls) == 1 and {r.source for r in first.records} == {"nottingham"}
    second = load_corpus(small, progress=False)
    assert len(calls) == 1 and second.records == first.records
    assert np.array_equal(second.melody, first.melody)
    load_corpus(small, rebuild=True, progress=False)
    assert len(calls) == 2


def test_a_build_that_finishes_while_another_is_moving_its_cache_in_leaves_one_whole_cache(corpus, tmp_path,
                                                                                         monkeypatch):
    """Two pipelines (or test workers) building one key at once: the other build lands its cache just
    as this one moves its own into place. Both succeed, a reader holding the old cache open reads it to
    the end, and one whole cache is left with no temporary folders beside it."""
    folder = cache_dir_for(DataConfig(cache_dir=tmp_path), LIMIT)  # its own cache: the module's stays as built
    build_module._write_cache(folder, corpus, {"first": True}, {}, None)
    real_replace = build_module.os.replace
    raced = []

    def replace(src, dst):
        if Path(dst) == folder and not raced:  # this build's final move: the other one lands first
            raced.append(True)
            build_module._write_cache(folder, corpus, {"other": True}, {}, None)
        return real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", replace)
    with (folder / "corpus.json").open() as held:
        build_module._write_cache(folder, corpus, {"this": True}, {}, None)
        assert json.loads(held.read())["records"]
    assert raced
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(folder.name)) == [folder.name]
    assert json.loads((folder / "stats.json").read_text()) == {"other": True}  # the first to land stays
    again = read_cache(folder)
    assert again.records == corpus.records and np.array_equal(again.melody, corpus.melody)


def test_a_build_that_cannot_move_its_cache_in_puts_the_old_one_back(corpus, tmp_path, monkeypatch):
    folder = cache_dir_for(DataConfig(cache_dir=tmp_path), LIMIT)
    build_module._write_cache(folder, corpus, {"old": True}, {}, None)
    real_replace = build_module.os.replace

    def replace(src, dst):
        if Path(dst) == folder and Path(src).name.startswith(folder.name + ".tmp-"):  # the new cache only
            raise PermissionError("no room")
        return real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", replace)
    with pytest.raises(PermissionError):
        build_module._write_cache(folder, corpus, {"new": True}, {}, None)
    assert json.loads((folder / "stats.json").read_text()) == {"old": True}
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(folder.name)) == [folder.name]
