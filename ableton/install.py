"""`jamcore install-device`: put the Max for Live device where Live finds it, and tell it how to start jamcore.

What it writes:
- ``Jam Bridge.amxd`` and its launcher ``jam_launcher.js`` (the device's [node.script], which starts
  ``jamcore serve`` by itself) into ``<User Library>/Presets/MIDI Effects/Max MIDI Effect/``. The User
  Library is the one Live's preferences name (``ableton.live_prefs``; the newest Live version's when
  several are installed, ``--live VERSION`` for another), else Live's default; ``--dest FOLDER`` puts
  the two files in FOLDER instead (required where Live does not run, e.g. Linux).
- ``launcher.json`` in jamcore's per-user folder (macOS ``~/Library/Application Support/jamcore``,
  Windows ``%APPDATA%\\jamcore``, elsewhere ``~/.config/jamcore``; ``JAMCORE_CONFIG_DIR`` overrides):
  the command that runs this jamcore, which the launcher reads.
- ``install.json`` beside it: the manifest of every file and folder written, with a SHA-256 per file.

Running it twice changes nothing. A copy the installer wrote earlier is replaced by the new version; a
copy that someone changed since (edited and saved in Max) is left alone unless --force is given,
because it may hold their work. ``--dry-run`` prints what would happen and writes nothing;
``--uninstall`` removes exactly what the manifest lists (changed files only with --force) and the
folders it created, if they are empty.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ableton import live_prefs
from jamcore.errors import CommandError

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "Jam Bridge.amxd"
LAUNCHER = HERE.parent / "max_patches" / "jam_launcher.js"
SUBDIR = Path("Presets") / "MIDI Effects" / "Max MIDI Effect"
MANIFEST = "install.json"
LAUNCHER_CONFIG = "launcher.json"
LEGACY_RECORD = ".jamcore-install.json"


def config_dir(system: str | None = None, home: Path | None = None, environ: dict[str, str] | None = None) -> Path:
    """jamcore's per-user folder (the launcher computes the same one)."""
    system = system or platform.system()
    home = home or Path.home()
    environ = os.environ if environ is None else environ
    if environ.get("JAMCORE_CONFIG_DIR"):
        return Path(environ["JAMCORE_CONFIG_DIR"])
    if system == "Windows":
        return Path(environ.get("APPDATA") or home / "AppData" / "Roaming") / "jamcore"
    if system == "Darwin":
        return home / "Library" / "Application Support" / "jamcore"
    return Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "jamcore"


def launcher_record() -> dict:
    """How the device's launcher runs this jamcore: this interpreter, with jamcore importable."""
    return {"command": [sys.executable, "-m", "jamcore.cli"], "installed_by": "jamcore install-device"}


# ---------------------------------------------------------------------------------------------
# Choosing the folder


@dataclass
class Choice:
    dest: Path  # the Max MIDI Effect folder the files go into
    why: str  # one line: where that came from
    others: list[str] = field(default_factory=list)  # other Live versions' libraries, for the user to see


def choose_dest(dest: str | None, live: str | None = None, system: str | None = None, home: Path | None = None,
                environ: dict[str, str] | None = None, registry: Path | None = None) -> Choice:
    if dest:
        return Choice(Path(dest).expanduser(), "--dest")
    system = system or platform.system()
    home = home or Path.home()
    environ = os.environ if environ is None else environ
    installs = [i for i in live_prefs.live_installs(system, home, environ) if i.user_library is not None]
    if live:
        picked = [i for i in installs if i.name == live or i.name == f"Live {live}" or
                  i.name.startswith(f"Live {live}.")]
        if not picked:
            known = ", ".join(i.name for i in installs) or "none"
            raise CommandError(f"no preferences of Live {live} found (found: {known})")
        installs = picked + [i for i in installs if i not in picked]
    if installs:
        first = installs[0]
        others = [f"{i.name}: {i.user_library}" for i in installs[1:] if i.user_library != first.user_library]
        return Choice(first.user_library / SUBDIR, f"the User Library of {first.name} (from {first.config})", others)
    if system == "Windows" and registry is None:
        registry = live_prefs.registry_documents()
    lib = live_prefs.default_user_library(system, home, environ, registry)
    if lib is None:
        raise CommandError(f"Live does not run on {system}: give the folder with --dest FOLDER")
    return Choice(lib / SUBDIR, "Live's default User Library (no Live preferences found)")


# ---------------------------------------------------------------------------------------------
# Manifest


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(cfg: Path) -> dict:
    path = cfg / MANIFEST
    if not path.is_file():
        return {"installs": []}
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise CommandError(f"unreadable install record {path}: {exc}") from exc


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def _missing_dirs(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, outermost first."""
    out = []
    while not folder.exists():
        out.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    return out[::-1]


# ---------------------------------------------------------------------------------------------
# Install / uninstall


def install(dest_dir: Path, force: bool = False, sources: tuple[Path, ...] = (SOURCE, LAUNCHER),
            cfg: Path | None = None, dry_run: bool = False, say=print) -> dict[str, str]:
    """Copy ``sources`` into ``dest_dir`` and record the launcher command; returns name -> what happened
    (installed, updated, unchanged, replaced)."""
    cfg = cfg or config_dir()
    for src in sources:
        if not src.exists():
            raise CommandError(f"the device file is missing: {src} (run: python -m ableton.amxd)")
    dest_dir = dest_dir.resolve() if dest_dir.exists() else dest_dir.absolute()
    manifest = read_manifest(cfg)
    entry = next((e for e in manifest["installs"] if Path(e["dest"]) == dest_dir), None)
    recorded = dict(entry["files"]) if entry else {}
    if (dest_dir / LEGACY_RECORD).is_file():  # what versions before the manifest wrote beside the device
        try:
            recorded = {**json.loads((dest_dir / LEGACY_RECORD).read_text()), **recorded}
        except (OSError, json.JSONDecodeError):
            pass
    outcomes: dict[str, str] = {}
    for src in sources:
        target = dest_dir / src.name
        new_sha = _sha(src)
        if not target.exists():
            outcomes[src.name] = "installed"
        elif _sha(target) == new_sha:
            outcomes[src.name] = "unchanged"
        elif _sha(target) == recorded.get(src.name):
            outcomes[src.name] = "updated"
        elif force:
            outcomes[src.name] = "replaced"
        else:
            raise CommandError(f"{target} was changed since it was installed; not overwriting it "
                               f"(save your version under another name, or use --force)")
    made_dest, made_cfg = _missing_dirs(dest_dir), _missing_dirs(cfg)
    record = launcher_record()
    launcher_path = cfg / LAUNCHER_CONFIG
    if dry_run:
        for d in made_dest + made_cfg:
            say(f"would create {d}")
        for src in sources:
            verb = {"unchanged": "would leave unchanged"}.get(outcomes[src.name], f"would copy ({outcomes[src.name]})")
            say(f"{verb}: {dest_dir / src.name}")
        say(f"would record the launcher command in {launcher_path}: {' '.join(record['command'])}")
        return outcomes
    dest_dir.mkdir(parents=True, exist_ok=True)
    cfg.mkdir(parents=True, exist_ok=True)
    for src in sources:
        if outcomes[src.name] != "unchanged":
            tmp = dest_dir / (src.name + ".tmp")
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest_dir / src.name)  # never a half-written device in Live's browser
    new_entry = {
        "dest": str(dest_dir),
        "files": {src.name: _sha(src) for src in sources},
        "made_dirs": sorted({*(entry or {}).get("made_dirs", []), *map(str, made_dest)}),
    }
    manifest["installs"] = [e for e in manifest["installs"] if Path(e["dest"]) != dest_dir] + [new_entry]
    manifest["launcher"] = str(launcher_path)
    manifest["made_config_dirs"] = sorted({*manifest.get("made_config_dirs", []), *map(str, made_cfg)})
    legacy = dest_dir / LEGACY_RECORD
    if legacy.exists():
        legacy.unlink()
    _write_json(launcher_path, record)
    _write_json(cfg / MANIFEST, manifest)
    return outcomes


def uninstall(dest: Path | None = None, cfg: Path | None = None, force: bool = False, dry_run: bool = False,
              say=print) -> int:
    """Remove what the manifest lists (for ``dest`` only, when given); returns how many files were removed."""
    cfg = cfg or config_dir()
    manifest = read_manifest(cfg)
    if dest is not None:
        dest = dest.resolve() if dest.exists() else dest.absolute()
    chosen = [e for e in manifest["installs"] if dest is None or Path(e["dest"]) == dest]
    if not chosen:
        raise CommandError(f"nothing installed{f' in {dest}' if dest else ''} (no record in {cfg / MANIFEST})")
    verb = "would remove" if dry_run else "removed"
    removed = 0
    kept: list[dict] = []
    for e in chosen:
        left = {}
        for name, sha in e["files"].items():
            target = Path(e["dest"]) / name
            if not target.exists():
                continue
            if _sha(target) != sha and not force:
                say(f"kept {target}: changed since it was installed (--force removes it)")
                left[name] = sha
                continue
            if not dry_run:
                target.unlink()
            say(f"{verb} {target}")
            removed += 1
        for d in sorted(e.get("made_dirs", []), key=len, reverse=True):
            if _empty_dir(Path(d), dry_run, e["dest"]):
                if not dry_run:
                    Path(d).rmdir()
                say(f"{verb} {d}")
        if left:
            kept.append({**e, "files": left})
    remaining = [e for e in manifest["installs"] if e not in chosen] + kept
    if dry_run:
        if not remaining:
            say(f"{verb} {cfg / LAUNCHER_CONFIG} and {cfg / MANIFEST}")
        return removed
    if remaining:
        _write_json(cfg / MANIFEST, {**manifest, "installs": remaining})
        return removed
    for f in (cfg / LAUNCHER_CONFIG, cfg / MANIFEST):
        if f.exists():
            f.unlink()
            say(f"removed {f}")
    for d in sorted(manifest.get("made_config_dirs", []), key=len, reverse=True):
        if Path(d).is_dir() and not any(Path(d).iterdir()):
            Path(d).rmdir()
            say(f"removed {d}")
    return removed


def _empty_dir(d: Path, dry_run: bool, dest: str) -> bool:
    """Is ``d`` empty (in a dry run: would it be, once the device's own files are gone)?"""
    if not d.is_dir():
        return False
    inside = list(d.iterdir())
    if not dry_run:
        return not inside
    gone = {Path(dest) / n for n in (SOURCE.name, LAUNCHER.name)}
    return all(p in gone or (p.is_dir() and _empty_dir(p, True, dest)) for p in inside)


# ---------------------------------------------------------------------------------------------
# `jamcore install-device`


def add_arguments(parser) -> None:
    parser.add_argument("--dest", default=None,
                        help="folder to put the device in (default: the Max MIDI Effect folder of the User "
                             "Library that Live's preferences name)")
    parser.add_argument("--live", default=None, metavar="VERSION",
                        help="use this Live version's User Library (e.g. 11 or 12.1.5; default: the newest)")
    parser.add_argument("--force", action="store_true",
                        help="replace (or with --uninstall remove) a copy that was changed after installing")
    parser.add_argument("--dry-run", action="store_true", help="print what would be done; change nothing")
    parser.add_argument("--uninstall", action="store_true", help="remove what install-device installed")
    parser.add_argument("--yes", action="store_true", help="do not ask which Live's library to use")


def run(args) -> int:
    dry_run = getattr(args, "dry_run", False)
    if getattr(args, "uninstall", False):
        removed = uninstall(Path(args.dest).expanduser() if args.dest else None, force=args.force, dry_run=dry_run)
        print(f"{'would remove' if dry_run else 'removed'} {removed} device file(s)")
        return 0
    choice = choose_dest(args.dest, getattr(args, "live", None))
    print(f"Installing into {choice.why}:\n  {choice.dest}")
    if choice.others:
        print("Other Live versions use other User Libraries (choose one with --live VERSION):")
        for o in choice.others:
            print(f"  {o}")
        if not (dry_run or getattr(args, "yes", False)) and sys.stdin.isatty():
            if input("Install into the first one? [Y/n] ").strip().lower() not in ("", "y", "yes"):
                print("nothing installed")
                return 1
    outcomes = install(choice.dest, force=args.force, dry_run=dry_run)
    if dry_run:
        return 0
    for name, outcome in outcomes.items():
        print(f"{outcome}: {choice.dest / name}")
    print(f"recorded how to start jamcore in {config_dir() / LAUNCHER_CONFIG}")
    if any(o != "unchanged" for o in outcomes.values()):
        print("In Live: Browser > User Library > Presets > MIDI Effects > Max MIDI Effect > Jam Bridge. "
              "The device starts the bridge by itself.")
    return 0
