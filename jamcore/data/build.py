"""`jamcore data build` and ``load_corpus``: parse every enabled source, split by song, tokenize, cache.

The cache is plain data (no pickle): ``corpus.npz`` (melody and chord token arrays, all songs
concatenated), ``corpus.json`` (one record per song: id, source, split, slice, meter, metadata),
``stats.json`` and ``stats.png``. It lives in ``cfg.cache_dir/<key>/`` where the key hashes everything
that changes the parsed result (data dir, enabled sources, split salt and fractions, ``CODE_VERSION``,
the vocabulary version), so a stale cache is never read after the parsing code changes: bump
``CODE_VERSION`` when it does.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import math
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from jamcore.config import DataConfig
from jamcore.data.cocopops import read_cocopops
from jamcore.data.sources import SOURCES, read_song
from jamcore.data.stats import chord_onset_counts, note_in_chord, plot_stats, source_summary
from jamcore.errors import CommandError
from jamcore.music.song import Song
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.tokens import NO_CHORD, VOCAB_VERSION, encode_chords, encode_melody

CODE_VERSION = "data-4"
SPLITS = ("train", "valid", "test")
DEFAULT_WORKERS = 2  # the shared machine has 2 cores


@dataclass(frozen=True)
class SongRecord:
    song_id: str
    source: str
    split: str
    start: int  # offset of the song's first frame in TokenCorpus.melody / .chords
    n_frames: int
    beats_per_bar: float
    meta: dict


@dataclass
class TokenCorpus:
    records: list[SongRecord]
    melody: np.ndarray  # int16, all songs concatenated
    chords: np.ndarray  # int16, aligned with melody

    def split(self, name: str) -> list[SongRecord]:
        if name not in SPLITS:
            raise ValueError(f"unknown split {name!r}; expected one of {SPLITS}")
        return [r for r in self.records if r.split == name]

    def tokens(self, rec: SongRecord) -> tuple[np.ndarray, np.ndarray]:
        """(melody, chords) token arrays of one song (views, do not modify)."""
        end = rec.start + rec.n_frames
        return self.melody[rec.start:end], self.chords[rec.start:end]


# ---------------------------------------------------------------------------------------------
# Split and cache key


def assign_split(song_id: str, cfg: DataConfig) -> str:
    """Deterministic split of a song by a salted hash of its id (stable across runs and machines)."""
    digest = hashlib.sha256(f"{cfg.split_salt}:{song_id}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    if u < cfg.test_fraction:
        return "test"
    if u < cfg.test_fraction + cfg.valid_fraction:
        return "valid"
    return "train"


def _limit(cfg: DataConfig, limit: int | None) -> int | None:
    # An explicit argument wins; else the config's `limit` field (added for the trainers' quick runs;
    # read with getattr so this module works with configs that lack it).
    return limit if limit is not None else getattr(cfg, "limit", None)


def enabled_sources(cfg: DataConfig) -> list[str]:
    return [name for name in ("nottingham", "pop909", "cocopops") if getattr(cfg, name)]


def cache_dir_for(cfg: DataConfig, limit: int | None = None) -> Path:
    """``cfg.cache_dir/<hash of the parsing-relevant config + CODE_VERSION + VOCAB_VERSION>``."""
    limit = _limit(cfg, limit)
    relevant = {
        "data_dir": str(Path(cfg.data_dir).resolve()),
        "sources": enabled_sources(cfg),
        "split_salt": cfg.split_salt,
        "valid_fraction": cfg.valid_fraction,
        "test_fraction": cfg.test_fraction,
        "frames_per_beat": FRAMES_PER_BEAT,
        "code": CODE_VERSION,
        "vocab": VOCAB_VERSION,
        "limit": limit,
    }
    key = hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]
    return Path(cfg.cache_dir) / key


# ---------------------------------------------------------------------------------------------
# Parsing


def _parse_one(job: tuple[str, str, str]):
    # Top-level so worker processes can import it.
    source, data_dir, name = job
    return source, read_song(source, Path(data_dir), name)


def parse_sources(cfg: DataConfig, *, limit: int | None = None, workers: int = DEFAULT_WORKERS,
                  progress: bool = True) -> tuple[dict[str, list[Song]], dict[str, list[tuple[str, str]]],
                                                   dict[str, Counter], dict[str, str]]:
    """Read every enabled source: (songs, skipped (id, reason), unknown labels, source errors) by source.

    ``limit`` keeps the first N ids of each source (tests and quick looks).
    """
    data_dir = Path(cfg.data_dir)
    songs: dict[str, list[Song]] = {}
    skipped: dict[str, list[tuple[str, str]]] = {}
    unknown: dict[str, Counter] = {}
    errors: dict[str, str] = {}
    jobs = []
    for source in enabled_sources(cfg):
        songs[source], skipped[source], unknown[source] = [], [], Counter()
        if source not in SOURCES:
            continue
        folder = data_dir / source
        if not folder.is_dir():
            errors[source] = f"{folder} not found"
            continue
        ids = SOURCES[source][0](data_dir)
        jobs += [(source, str(data_dir), name) for name in ids[:limit]]

    bar = tqdm(total=len(jobs), desc="parsing songs", unit="song", disable=not progress, file=sys.stderr)
    if workers > 1 and len(jobs) > 50:
        with mp.get_context("spawn" if sys.platform == "darwin" else "fork").Pool(workers) as pool:
            results = []
            for item in pool.imap(_parse_one, jobs, chunksize=8):
                results.append(item)
                bar.update()
    else:
        results = []
        for job in jobs:
            results.append(_parse_one(job))
            bar.update()
    bar.close()
    for source, res in results:
        unknown[source].update(res.unknown)
        if res.song is None:
            skipped[source].append((res.song_id, res.skip or "unknown reason"))
        else:
            songs[source].append(res.song)

    if cfg.cocopops:
        try:
            cs, cskip = read_cocopops(data_dir)
        except (OSError, ValueError) as exc:
            errors["cocopops"] = f"CoCoPops reader failed: {exc}"
        else:
            songs["cocopops"] = list(cs[:limit] if limit else cs)
            skipped["cocopops"] = [tuple(s) for s in cskip]
    for source, message in errors.items():
        print(f"jamcore: warning: source {source} left out: {message}", file=sys.stderr)
    return songs, skipped, unknown, errors


def tokenize_song(song: Song) -> tuple[np.ndarray, np.ndarray]:
    """(melody, chords) int16 tokens on the 16th-note grid, long enough for every event."""
    n_frames = max(math.ceil(song.length_beats * FRAMES_PER_BEAT - 1e-6), 1)
    return encode_melody(song.melody, n_frames), encode_chords(song.chords, n_frames)


# ---------------------------------------------------------------------------------------------
# Build and load


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def build_corpus(cfg: DataConfig | None = None, *, limit: int | None = None, workers: int = DEFAULT_WORKERS,
                 progress: bool = True, verbose: bool = False) -> TokenCorpus:
    """Parse, split, tokenize and write the cache (replacing any existing one for this config)."""
    cfg = cfg or DataConfig()
    limit = _limit(cfg, limit)
    t0 = time.perf_counter()
    songs, skipped, unknown, errors = parse_sources(cfg, limit=limit, workers=workers, progress=progress)
    t_parse = time.perf_counter() - t0

    records: list[SongRecord] = []
    mel_parts, chord_parts = [], []
    start = 0
    per_source: dict[str, dict] = {}
    onsets: dict[str, np.ndarray] = {}
    for source in songs:
        splits = Counter({s: 0 for s in SPLITS})
        hits = both = no_chord = frames = n_chords = n_exact = n_reported = 0
        chord_sources: Counter = Counter()
        nic_by: dict[str, tuple[int, int]] = {}
        for song in sorted(songs[source], key=lambda s: s.song_id):
            mel, ch = tokenize_song(song)
            split = assign_split(song.song_id, cfg)
            meta = {**song.meta, "key": song.key, "tempo_bpm": song.tempo_bpm, "meter": str(song.meter)}
            records.append(SongRecord(song.song_id, source, split, start, len(mel), song.meter.beats_per_bar,
                                      _json_safe(meta)))
            mel_parts.append(mel)
            chord_parts.append(ch)
            start += len(mel)
            splits[split] += 1
            h, b = note_in_chord(mel, ch)
            hits, both = hits + h, both + b
            no_chord += int((ch == NO_CHORD).sum())
            frames += len(mel)
            n_chords += song.meta.get("n_chords", sum(c.chord is not None for c in song.chords))
            if "n_exact" in song.meta:
                n_exact, n_reported = n_exact + song.meta["n_exact"], n_reported + song.meta.get("n_chords", 0)
            cs = song.meta.get("chord_source", source)
            chord_sources[cs] += 1
            nic_by[cs] = (nic_by.get(cs, (0, 0))[0] + h, nic_by.get(cs, (0, 0))[1] + b)
            onsets[source] = onsets.get(source, 0) + chord_onset_counts(ch)
        per_source[source] = {
            "source": source,
            "parsed": len(songs[source]),
            "skipped": len(skipped[source]),
            "skip_reasons": dict(Counter(reason for _, reason in skipped[source])),
            "skipped_songs": [list(s) for s in skipped[source]],
            "frames": frames,
            "n_chords": n_chords,
            # Share of chords named exactly (not folded); None where the reader does not report it.
            "chord_coverage": n_exact / n_reported if n_reported else None,
            "unknown_labels": dict(unknown.get(source, Counter())),
            "note_in_chord": hits / max(both, 1),
            "no_chord_share": no_chord / max(frames, 1),
            "chord_sources": dict(chord_sources),
            "splits": dict(splits),
            "error": errors.get(source),
        }
        if len(nic_by) > 1:
            # The same check by chord source: a misaligned source shows as a lower rate.
            per_source[source]["note_in_chord_by_chord_source"] = {k: h / max(b, 1) for k, (h, b) in nic_by.items()}
    for source, message in errors.items():
        per_source.setdefault(source, {"source": source, "error": message})

    melody = np.concatenate(mel_parts) if mel_parts else np.zeros(0, np.int16)
    chords = np.concatenate(chord_parts) if chord_parts else np.zeros(0, np.int16)
    corpus = TokenCorpus(records, melody.astype(np.int16), chords.astype(np.int16))

    stats = {
        "code_version": CODE_VERSION, "vocab_version": VOCAB_VERSION, "data_dir": str(cfg.data_dir),
        "limit": limit, "parse_seconds": round(t_parse, 1), "build_seconds": round(time.perf_counter() - t0, 1),
        "songs": len(records), "frames": int(len(melody)), "sources": _json_safe(per_source),
    }
    out = cache_dir_for(cfg, limit)
    _write_cache(out, corpus, stats, onsets, plot_stats)
    if verbose:
        for s in per_source.values():
            if "parsed" in s:
                print(source_summary(s))
            else:
                print(f"{s['source']}: left out ({s['error']})")
        print(f"{len(records)} songs, {len(melody):,} frames in {stats['build_seconds']} s -> {out}")
    return corpus


def _write_cache(out: Path, corpus: TokenCorpus, stats: dict, onsets: dict, plot_stats) -> None:
    """Write into a temporary sibling folder and rename it into place, so readers never see half a cache."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".tmp-", dir=out.parent))
    try:
        np.savez(tmp / "corpus.npz", melody=corpus.melody, chords=corpus.chords)
        records = [dataclasses.asdict(r) for r in corpus.records]
        (tmp / "corpus.json").write_text(json.dumps({"records": records}, indent=0))
        (tmp / "stats.json").write_text(json.dumps(stats, indent=2))
        if onsets:
            plot_stats(onsets, tmp / "stats.png")
        # An older build of the same key steps aside by rename (one atomic step; files a reader has
        # open stay readable) rather than being deleted in place under a reader. Two builds of one key
        # at once (two pipelines, parallel tests) both succeed: the first to land stays, the other's
        # copy of the same data is dropped.
        old = out.with_name(f"{out.name}.old-{tmp.name}")
        try:
            os.replace(out, old)
        except FileNotFoundError:
            pass
        try:
            os.replace(tmp, out)
        except OSError:
            if not out.is_dir():  # no concurrent build's cache in the way: a real error
                with contextlib.suppress(OSError):
                    os.replace(old, out)  # the old cache back where it was
                raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def read_cache(folder: Path) -> TokenCorpus:
    arrays = np.load(folder / "corpus.npz", allow_pickle=False)
    records = [SongRecord(**r) for r in json.loads((folder / "corpus.json").read_text())["records"]]
    return TokenCorpus(records, arrays["melody"].astype(np.int16), arrays["chords"].astype(np.int16))


def load_corpus(cfg: DataConfig | None = None, *, rebuild: bool = False, progress: bool = True) -> TokenCorpus:
    """The tokenized corpus for ``cfg``: read from the cache, built first when missing (or ``rebuild``)."""
    cfg = cfg or DataConfig()
    folder = cache_dir_for(cfg)  # honours the config's `limit` when it has one
    if not rebuild and (folder / "corpus.npz").exists() and (folder / "corpus.json").exists():
        return read_cache(folder)
    return build_corpus(cfg, progress=progress)


# ---------------------------------------------------------------------------------------------
# Command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None, help="datasets folder (default: ../shared/datasets)")
    parser.add_argument("--out", type=Path, default=None, help="cache folder (default: jamcore/cache or $JAMCORE_CACHE_DIR)")
    parser.add_argument("--cocopops", action="store_true", help="also read CoCoPops (research use only)")
    parser.add_argument("--force", action="store_true", help="rebuild even if a cache for this config exists")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N songs of each source")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="parsing processes")


def run(args: argparse.Namespace) -> int:
    cfg = DataConfig()
    changes = {}
    if args.data_dir is not None:
        changes["data_dir"] = args.data_dir
    if args.out is not None:
        changes["cache_dir"] = args.out
    if args.cocopops:
        changes["cocopops"] = True
    cfg = dataclasses.replace(cfg, **changes)
    if not Path(cfg.data_dir).is_dir():
        raise CommandError(f"data dir {cfg.data_dir} not found; pass --data-dir or set JAMCORE_DATA_DIR")
    folder = cache_dir_for(cfg, args.limit)
    t0 = time.perf_counter()
    if not args.force and (folder / "corpus.npz").exists():
        corpus = read_cache(folder)
        stats = json.loads((folder / "stats.json").read_text())
        for s in stats["sources"].values():
            print(source_summary(s) if "parsed" in s else f"{s['source']}: left out ({s['error']})")
        print(f"{len(corpus.records)} songs, {len(corpus.melody):,} frames: cached in {folder} "
              f"(loaded in {time.perf_counter() - t0:.1f} s; --force to rebuild)")
        return 0
    build_corpus(cfg, limit=args.limit, workers=args.workers, progress=True, verbose=True)
    return 0
