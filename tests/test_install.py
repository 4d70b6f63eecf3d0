"""`jamcore install-device` against fake macOS and Windows homes: Live's preferences of several versions,
a moved User Library, a OneDrive Documents folder; the manifest, --dry-run and --uninstall."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ableton import install, live_prefs
from jamcore.cli import main
from jamcore.errors import CommandError

ROOT = Path(__file__).resolve().parents[1]
DEVICE = ROOT / "ableton" / "Jam Bridge.amxd"
LAUNCHER = ROOT / "max_patches" / "jam_launcher.js"
SUB = Path("Presets") / "MIDI Effects" / "Max MIDI Effect"


def library_cfg(project_path: Path | str, name: str | None = "User Library", version: str = "12.1.5") -> str:
    """A Library.cfg as Live writes it (the parts the installer reads, among others it ignores)."""
    name_el = f'\n\t\t\t<ProjectName Value="{name}" />' if name is not None else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<Ableton MajorVersion="5" MinorVersion="12.0_12049" Creator="Ableton Live {version}">\n'
            f'\t<ContentLibrary>\n\t\t<ProjectPath Value="/Applications/Ableton Live 12 Suite.app/Contents/App-Resources" />\n'
            f'\t</ContentLibrary>\n'
            f'\t<UserLibrary>\n\t\t<LibraryProject>\n\t\t\t<ProjectPath Value="{project_path}" />{name_el}\n'
            f'\t\t</LibraryProject>\n\t</UserLibrary>\n</Ableton>\n')


def mac_live(home: Path, version: str, library_parent: Path, name: str | None = "User Library") -> Path:
    d = home / "Library" / "Preferences" / "Ableton" / f"Live {version}"
    d.mkdir(parents=True)
    (d / "Library.cfg").write_text(library_cfg(library_parent, name, version))
    return d / "Library.cfg"


def win_live(appdata: Path, version: str, library_parent: Path) -> Path:
    d = appdata / "Ableton" / f"Live {version}" / "Preferences"
    d.mkdir(parents=True)
    (d / "Library.cfg").write_text(library_cfg(library_parent, "User Library", version))
    return d / "Library.cfg"


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    d = tmp_path / "config" / "jamcore"
    monkeypatch.setenv("JAMCORE_CONFIG_DIR", str(d))
    return d


def test_macos_newest_live_version_wins_and_a_moved_library_is_followed(tmp_path):
    home = tmp_path / "ana"
    mac_live(home, "11.3.13", home / "Music" / "Ableton")
    moved = tmp_path / "Volumes" / "Studio SSD" / "Ableton"  # moved in Live 12's Preferences > Library
    mac_live(home, "12.1.5", moved)
    mac_live(home, "12.1.5 Beta", tmp_path / "beta")  # a beta of the same number ranks below the release
    mac_live(home, "9.7.7", home / "Old")
    (home / "Library" / "Preferences" / "Ableton" / "Live Reports").mkdir()  # not a version folder
    installs = live_prefs.live_installs("Darwin", home, {})
    assert [i.name for i in installs] == ["Live 12.1.5", "Live 12.1.5 Beta", "Live 11.3.13", "Live 9.7.7"]
    choice = install.choose_dest(None, system="Darwin", home=home, environ={})
    assert choice.dest == moved / "User Library" / SUB
    assert "Live 12.1.5" in choice.why
    assert f"Live 11.3.13: {home / 'Music' / 'Ableton' / 'User Library'}" in choice.others
    # --live picks another version's library.
    assert install.choose_dest(None, "11", system="Darwin", home=home, environ={}).dest == \
        home / "Music" / "Ableton" / "User Library" / SUB
    with pytest.raises(CommandError, match="Live 10"):
        install.choose_dest(None, "10", system="Darwin", home=home, environ={})


def test_windows_library_in_onedrive_documents_from_lives_preferences(tmp_path):
    home = tmp_path / "Users" / "ana"
    appdata = home / "AppData" / "Roaming"
    onedrive_docs = home / "OneDrive" / "Documents" / "Ableton"
    win_live(appdata, "12.0.25", onedrive_docs)
    env = {"APPDATA": str(appdata), "USERPROFILE": str(home)}
    choice = install.choose_dest(None, system="Windows", home=home, environ=env, registry=None)
    assert choice.dest == onedrive_docs / "User Library" / SUB


def test_windows_without_preferences_finds_documents_where_onedrive_put_them(tmp_path):
    home = tmp_path / "Users" / "ana"
    env = {"APPDATA": str(home / "AppData" / "Roaming"), "USERPROFILE": str(home),
           "OneDrive": str(home / "OneDrive")}
    (home / "Documents").mkdir(parents=True)  # an empty local Documents, as Windows leaves it
    lib = home / "OneDrive" / "Documents" / "Ableton" / "User Library"
    lib.mkdir(parents=True)
    assert install.choose_dest(None, system="Windows", home=home, environ=env, registry=None).dest == lib / SUB
    # The registry's Documents (the shell folder OneDrive redirects) comes first.
    elsewhere = tmp_path / "D" / "Docs"
    assert install.choose_dest(None, system="Windows", home=home, environ=env,
                               registry=elsewhere).dest == lib / SUB  # it holds no Ableton folder: not it
    (elsewhere / "Ableton" / "User Library").mkdir(parents=True)
    assert install.choose_dest(None, system="Windows", home=home, environ=env,
                               registry=elsewhere).dest == elsewhere / "Ableton" / "User Library" / SUB


def test_defaults_without_preferences_and_linux_needs_dest(tmp_path):
    assert install.choose_dest(None, system="Darwin", home=tmp_path, environ={}).dest == \
        tmp_path / "Music" / "Ableton" / "User Library" / SUB
    env = {"USERPROFILE": str(tmp_path)}
    assert install.choose_dest(None, system="Windows", home=tmp_path, environ=env, registry=None).dest == \
        tmp_path / "Documents" / "Ableton" / "User Library" / SUB
    with pytest.raises(CommandError, match="--dest"):
        install.choose_dest(None, system="Linux", home=tmp_path, environ={})
    assert install.choose_dest(str(tmp_path / "x"), system="Linux").dest == tmp_path / "x"


def test_library_cfg_variants(tmp_path):
    plain = tmp_path / "a.cfg"  # no ProjectName: the path holds a "User Library" folder, or is the library
    plain.write_text(library_cfg(tmp_path / "lib", name=None))
    assert live_prefs.read_user_library(plain) == tmp_path / "lib"
    (tmp_path / "lib" / "User Library").mkdir(parents=True)
    assert live_prefs.read_user_library(plain) == tmp_path / "lib" / "User Library"
    broken = tmp_path / "b.cfg"  # not well-formed XML: the values are still read
    broken.write_text(library_cfg(tmp_path / "x").replace("</Ableton>", "<Trunc"))
    assert live_prefs.read_user_library(broken) == tmp_path / "x" / "User Library"
    empty = tmp_path / "c.cfg"
    empty.write_text('<?xml version="1.0"?><Ableton><UserLibrary /></Ableton>')
    assert live_prefs.read_user_library(empty) is None


def test_install_records_the_launcher_and_uninstall_removes_exactly_that(tmp_path, cfg, capsys):
    lib = tmp_path / "User Library"
    (lib / "Presets" / "Audio Effects").mkdir(parents=True)  # Live's own folders: never touched
    mine = lib / "Presets" / "MIDI Effects" / "Max MIDI Effect" / "My Own.amxd"
    dest = lib / SUB
    assert install.install(dest, cfg=cfg) == {DEVICE.name: "installed", LAUNCHER.name: "installed"}
    assert (dest / DEVICE.name).read_bytes() == DEVICE.read_bytes()
    assert (dest / LAUNCHER.name).read_bytes() == LAUNCHER.read_bytes()
    record = json.loads((cfg / "launcher.json").read_text())
    assert record["command"] == [sys.executable, "-m", "jamcore.cli"]
    # The recorded command really runs this jamcore.
    out = subprocess.run([*record["command"], "--help"], capture_output=True, text=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0 and "serve" in out.stdout
    assert install.install(dest, cfg=cfg) == {DEVICE.name: "unchanged", LAUNCHER.name: "unchanged"}
    mine.write_bytes(b"someone's device")  # added later beside ours

    assert install.uninstall(cfg=cfg) == 2
    assert not (dest / DEVICE.name).exists() and not (dest / LAUNCHER.name).exists()
    assert mine.read_bytes() == b"someone's device" and (lib / "Presets" / "Audio Effects").is_dir()
    assert not (cfg / "launcher.json").exists() and not (cfg / "install.json").exists()
    assert (lib / SUB).is_dir()  # a folder it made that holds someone's file stays

    fresh = tmp_path / "Fresh Library"
    (fresh / "Presets" / "Audio Effects").mkdir(parents=True)
    install.install(fresh / SUB, cfg=cfg)
    install.uninstall(cfg=cfg)  # the folders it created are removed when empty, Live's are kept
    assert not (fresh / "Presets" / "MIDI Effects").exists() and (fresh / "Presets" / "Audio Effects").is_dir()
    assert not cfg.exists()
    with pytest.raises(CommandError, match="nothing installed"):
        install.uninstall(cfg=cfg)


def test_a_changed_copy_is_protected_on_install_and_uninstall(tmp_path, cfg):
    dest = tmp_path / "lib"
    install.install(dest, cfg=cfg)
    target = dest / DEVICE.name
    target.write_bytes(target.read_bytes() + b"edited")
    with pytest.raises(CommandError, match="--force"):
        install.install(dest, cfg=cfg)
    assert target.read_bytes().endswith(b"edited")
    assert install.uninstall(cfg=cfg) == 1  # the launcher goes, the edited device stays
    assert target.read_bytes().endswith(b"edited") and not (dest / LAUNCHER.name).exists()
    assert install.install(dest, cfg=cfg, force=True)[DEVICE.name] == "replaced"
    assert target.read_bytes() == DEVICE.read_bytes()
    # An older device the installer wrote is updated without --force.
    old = tmp_path / DEVICE.name
    old.write_bytes(DEVICE.read_bytes()[:-1] + b" ")
    install.install(tmp_path / "lib2", sources=(old, LAUNCHER), cfg=cfg)
    assert install.install(tmp_path / "lib2", cfg=cfg)[DEVICE.name] == "updated"
    assert not list(dest.glob("*.tmp"))


def test_a_copy_from_the_installer_before_the_manifest_is_updated(tmp_path, cfg):
    dest = tmp_path / "lib"
    dest.mkdir()
    old = b"an older Jam Bridge"
    (dest / DEVICE.name).write_bytes(old)
    (dest / ".jamcore-install.json").write_text(json.dumps({DEVICE.name: hashlib.sha256(old).hexdigest()}))
    assert install.install(dest, cfg=cfg)[DEVICE.name] == "updated"
    assert not (dest / ".jamcore-install.json").exists()


def test_dry_run_writes_nothing(tmp_path, cfg, capsys):
    dest = tmp_path / "lib" / "Max MIDI Effect"
    assert main(["install-device", "--dest", str(dest), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"would create {tmp_path / 'lib'}" in out and "would copy (installed)" in out
    assert "would record the launcher command" in out
    assert not (tmp_path / "lib").exists() and not cfg.exists()
    assert main(["install-device", "--dest", str(dest)]) == 0
    assert main(["install-device", "--uninstall", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"would remove {dest / DEVICE.name}" in out and f"would remove {tmp_path / 'lib'}" in out
    assert (dest / DEVICE.name).exists() and (cfg / "launcher.json").exists()
    assert main(["install-device", "--uninstall"]) == 0
    assert not (tmp_path / "lib").exists()


def test_the_command_finds_lives_library_from_a_fake_home(tmp_path, cfg, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setattr(install.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(install.Path, "home", lambda: home)
    mac_live(home, "12.0.1", tmp_path / "Moved")
    mac_live(home, "11.0", home / "Music" / "Ableton")
    assert main(["install-device", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "User Library of Live 12.0.1" in out and "--live VERSION" in out
    assert (tmp_path / "Moved" / "User Library" / SUB / DEVICE.name).exists()
    assert not (home / "Music").exists()
