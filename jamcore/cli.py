"""`jamcore` command line: a table of commands, each owned by one module.

Every command module exposes ``add_arguments(parser)`` and ``run(args) -> int``; this file only wires
them up. It imports the chosen command's module and no other (``jamcore --help`` loads no model code),
and turns jamcore's own errors (``jamcore.errors``) into one line on stderr with exit code 2, never a
traceback.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys

from jamcore.errors import JamcoreError, MissingExtraError

# One BLAS thread: jamcore's NumPy work is many tiny products (the real-time step), where BLAS worker
# threads only add wake-up jitter; torch sets its own threads per command.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

# (command words, module, the optional extra it needs or None, one-line help)
COMMANDS: list[tuple[tuple[str, ...], str, str | None, str]] = [
    (("serve",), "bridge.daemon", None, "run the real-time OSC daemon (the main job)"),
    (("demo",), "bridge.demo", None, "play a bundled melody through the daemon; write demo.mid and demo.wav"),
    (("harmonize",), "jamcore.harmonize", None, "add chords to a melody (MIDI or MusicXML), exactly as live"),
    (("data", "build"), "jamcore.data.build", "train", "parse, quantize, tokenize, split and cache the datasets"),
    (("train", "mle"), "jamcore.train.mle", "train", "supervised training of the online chord policy"),
    (("train", "dagger"), "jamcore.train.dagger", "train", "a round of the policy on its own chords, from mle"),
    (("train", "anchor"), "jamcore.train.anchor", "train", "supervised training of the offline anchor"),
    (("train", "melody"), "jamcore.train.melody", "train", "supervised training of the melody agent (eval partner)"),
    (("train", "forecast"), "jamcore.train.forecast", "train", "count the next beat's melody after the last notes (live forecast)"),
    (("train", "reward"), "jamcore.train.reward_models", "train", "train a coherence reward model"),
    (("train", "rl"), "jamcore.train.rl", "train", "PPO post-training on coherence rewards (no adversary)"),
    (("train", "gapt"), "jamcore.train.gapt_cli", "train", "PPO + co-evolving discriminator (GAPT)"),
    (("eval",), "jamcore.eval.report", "eval", "evaluate checkpoints against the data and baselines"),
    (("bench",), "jamcore.bench", "train", "streaming latency benchmark of a checkpoint"),
    (("checkpoints",), "jamcore.checkpoints", None, "list available checkpoints with their metrics"),
    (("install-device",), "ableton.install", None, "copy the Max for Live device into Live's User Library"),
]


def chosen_command(argv: list[str]) -> tuple[tuple[str, ...], str, str | None, str] | None:
    """The COMMANDS row named by the leading words of ``argv`` (options skipped), if any."""
    words = [a for a in argv if not a.startswith("-")]
    for row in COMMANDS:
        if tuple(words[: len(row[0])]) == row[0]:
            return row
    return None


# The extras of pyproject.toml: what each installs that the live runtime leaves out. A command that
# meets a missing module of an extra (MusicXML input needs music21, say) names that extra.
EXTRAS: dict[str, tuple[str, ...]] = {"train": ("torch", "tqdm", "matplotlib"),
                                      "eval": ("torch", "tqdm", "matplotlib", "music21")}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: a module set to None in sys.modules (blocked)
        return False


def missing_extra_line(extra: str | None, missing: str | None = None) -> str | None:
    """One line naming the extra to install, if the command's ``extra`` is not all there (or the
    command met the missing module ``missing``); None when nothing is missing."""
    absent = [m for m in EXTRAS[extra] if not _installed(m)] if extra else []
    top = (missing or "").split(".")[0]
    if not absent and top:
        extra = extra or next((e for e, mods in EXTRAS.items() if top in mods), None)
        absent = [top] if extra else []
    if not absent:
        return None
    return (f"this command needs {', '.join(absent)}, which the live runtime leaves out: "
            f"pip install 'jamcore[{extra}]'")


def import_command(module: str, extra: str | None):
    """The command's module; a missing extra becomes a one-line ``MissingExtraError``."""
    needs = missing_extra_line(extra)
    if needs:
        raise MissingExtraError(needs)
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        needs = missing_extra_line(extra, exc.name)
        if needs is None:
            raise
        raise MissingExtraError(needs) from exc


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser: every command's name and help; the options of the one ``argv`` chooses (all of them
    when ``argv`` is None, which imports every command module)."""
    row = chosen_command(argv) if argv is not None else None
    parser = argparse.ArgumentParser(prog="jamcore", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for words, module, extra, help_text in COMMANDS:
        if len(words) == 1:
            p = sub.add_parser(words[0], help=help_text, description=help_text)
        else:
            if words[0] not in groups:
                gp = sub.add_parser(words[0], help=f"{words[0]} commands")
                groups[words[0]] = gp.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
            p = groups[words[0]].add_parser(words[1], help=help_text, description=help_text)
        p.set_defaults(_module=module, _extra=extra)
        if argv is None or (row is not None and row[0] == words):
            import_command(module, extra).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(argv).parse_args(argv)
        if not getattr(args, "_module", None):
            build_parser(argv).print_help()
            return 1
        return int(import_command(args._module, args._extra).run(args) or 0)
    except ModuleNotFoundError as exc:  # met while running, e.g. MusicXML input without music21
        needs = missing_extra_line(None, exc.name)
        if needs is None:
            raise
        print(f"jamcore: error: {needs}", file=sys.stderr)
        return 2
    except JamcoreError as exc:
        print(f"jamcore: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jamcore: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
