"""`jamcore install-device`: copy the Max for Live device into Live's User Library.

Where it goes (Live's default User Library; change it with --dest if you moved yours in Live's
Preferences > Library):
- macOS:   ~/Music/Ableton/User Library/Presets/MIDI Effects/Max MIDI Effect/Jam Bridge.amxd
- Windows: %USERPROFILE%\\Documents\\Ableton\\User Library\\Presets\\MIDI Effects\\Max MIDI Effect\\Jam Bridge.amxd
- elsewhere (Live does not run there, but a copy may be wanted): --dest DIR is required.

Running it twice changes nothing. A copy that the installer wrote earlier is replaced by the new
version; a copy that someone changed since (edited and saved in Max) is left alone unless --force is
given, because it may hold their work. The installer remembers what it wrote as a SHA-256 in
``.jamcore-install.json`` beside the device.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from pathlib import Path

from jamcore.errors import CommandError

SOURCE = Path(__file__).resolve().parent / "Jam Bridge.amxd"
RECORD = ".jamcore-install.json"
SUBDIR = Path("Presets") / "MIDI Effects" / "Max MIDI Effect"


def default_dest(system: str | None = None, home: Path | None = None) -> Path | None:
    """The Max MIDI Effect folder of Live's default User Library on this system (None: no default)."""
    system = system or platform.system()
    home = home or Path.home()
    if system == "Darwin":
        return home / "Music" / "Ableton" / "User Library" / SUBDIR
    if system == "Windows":
        profile = Path(os.environ.get("USERPROFILE", str(home)))
        return profile / "Documents" / "Ableton" / "User Library" / SUBDIR
    return None


def add_arguments(parser) -> None:
    parser.add_argument("--dest", default=None,
                        help="folder to copy the device into (default: Live's User Library on macOS/Windows)")
    parser.add_argument("--force", action="store_true", help="replace a copy that was changed after installing")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install(dest_dir: Path, force: bool = False, source: Path = SOURCE) -> str:
    """Copy ``source`` into ``dest_dir``; returns what happened: installed, updated, unchanged, replaced."""
    if not source.exists():
        raise CommandError(f"the device file is missing: {source} (run: python -m ableton.amxd)")
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / source.name
    record_path = dest_dir / RECORD
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    new_sha = _sha(source)
    if target.exists():
        current = _sha(target)
        if current == new_sha:
            outcome = "unchanged"
        elif current == record.get(source.name) or force:
            outcome = "replaced" if current != record.get(source.name) else "updated"
        else:
            raise CommandError(f"{target} was changed since it was installed; not overwriting it "
                               f"(save your version under another name, or use --force)")
    else:
        outcome = "installed"
    if outcome != "unchanged":
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)  # never a half-written device in Live's browser
    record[source.name] = new_sha
    record_path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return outcome


def run(args) -> int:
    dest = Path(args.dest).expanduser() if args.dest else default_dest()
    if dest is None:
        raise CommandError(f"no default Ableton User Library on {platform.system()}; give --dest DIR")
    outcome = install(dest, force=args.force)
    print(f"{outcome}: {dest / SOURCE.name}")
    if outcome != "unchanged":
        print("In Live: Browser > User Library > Presets > MIDI Effects > Max MIDI Effect > Jam Bridge; "
              "start the bridge with `jamcore serve`.")
    return 0
