"""`jamcore` command line: a table of commands, each owned by one module.

Every command module exposes ``add_arguments(parser)`` and ``run(args) -> int``; this file only wires
them up, imports them lazily (so ``jamcore --help`` is instant) and turns expected errors into one
line on stderr with a non-zero exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys

# One BLAS thread: jamcore's NumPy work is many tiny products (the real-time step), where BLAS worker
# threads only add wake-up jitter; torch sets its own threads per command.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

# (command words, module, one-line help)
COMMANDS: list[tuple[tuple[str, ...], str, str]] = [
    (("serve",), "bridge.daemon", "run the real-time OSC daemon (the main job)"),
    (("demo",), "bridge.demo", "play a bundled melody through the daemon; write demo.mid and demo.wav"),
    (("harmonize",), "jamcore.harmonize", "add chords to a melody (MIDI or MusicXML), exactly as live"),
    (("data", "build"), "jamcore.data.build", "parse, quantize, tokenize, split and cache the datasets"),
    (("train", "mle"), "jamcore.train.mle", "supervised training of the online chord policy"),
    (("train", "anchor"), "jamcore.train.anchor", "supervised training of the offline anchor"),
    (("train", "melody"), "jamcore.train.melody", "supervised training of the melody agent (eval partner)"),
    (("train", "reward"), "jamcore.train.reward_models", "train a coherence reward model"),
    (("train", "rl"), "jamcore.train.rl", "PPO post-training on coherence rewards (no adversary)"),
    (("train", "gapt"), "jamcore.train.gapt_cli", "PPO + co-evolving discriminator (GAPT)"),
    (("eval",), "jamcore.eval.report", "evaluate checkpoints against the data and baselines"),
    (("bench",), "jamcore.bench", "streaming latency benchmark of a checkpoint"),
    (("checkpoints",), "jamcore.checkpoints", "list available checkpoints with their metrics"),
    (("install-device",), "ableton.install", "copy the Max for Live device into Live's User Library"),
]


from jamcore.errors import CommandError  # noqa: E402  (re-exported: commands raise jamcore.cli.CommandError)


# The extras of pyproject.toml: what each installs that the live runtime leaves out, and the commands
# that need one. Any other command that meets a missing module of an extra names that extra.
EXTRAS: dict[str, tuple[str, ...]] = {"train": ("torch", "tqdm", "matplotlib"),
                                      "eval": ("torch", "tqdm", "matplotlib", "music21")}
COMMAND_EXTRAS: dict[str, str] = {"jamcore.data.build": "train", "jamcore.bench": "train",
                                  "jamcore.eval.report": "eval"}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: a module set to None in sys.modules (blocked)
        return False


def command_extra(module: str) -> str | None:
    """The extra a command's module needs (None: the live runtime runs it)."""
    if module.startswith("jamcore.train."):
        return "train"
    return COMMAND_EXTRAS.get(module)


def missing_extra_line(module: str, missing: str | None = None) -> str | None:
    """One line naming the extra to install, if ``module``'s command lacks one (or met ``missing``)."""
    extra = command_extra(module)
    absent = [m for m in EXTRAS[extra] if not _installed(m)] if extra else []
    top = (missing or "").split(".")[0]
    if not absent and top:
        extra = extra or next((e for e, mods in EXTRAS.items() if top in mods), None)
        absent = [top] if extra else []
    if not absent:
        return None
    return (f"this command needs {', '.join(absent)}, which the live runtime leaves out: "
            f"pip install 'jamcore[{extra}]'")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jamcore", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for words, module, help_text in COMMANDS:
        if len(words) == 1:
            p = sub.add_parser(words[0], help=help_text, description=help_text)
        else:
            if words[0] not in groups:
                gp = sub.add_parser(words[0], help=f"{words[0]} commands")
                groups[words[0]] = gp.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
            p = groups[words[0]].add_parser(words[1], help=help_text, description=help_text)
        p.set_defaults(_module=module)
        p.set_defaults(_parser=p)
        try:
            importlib.import_module(module).add_arguments(p)
        except (ModuleNotFoundError, AttributeError) as exc:
            # A command whose module is not built yet says so instead of breaking the whole CLI.
            p.set_defaults(_missing=str(exc))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help()
        return 1
    needs = missing_extra_line(args._module)
    if needs:
        print(f"jamcore: error: {needs}", file=sys.stderr)
        return 2
    if getattr(args, "_missing", None):
        print(f"jamcore: this command is not available in this build ({args._missing})", file=sys.stderr)
        return 2
    try:
        return int(importlib.import_module(args._module).run(args) or 0)
    except ModuleNotFoundError as exc:
        needs = missing_extra_line(args._module, exc.name)
        if needs is None:
            raise
        print(f"jamcore: error: {needs}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"jamcore: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jamcore: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
