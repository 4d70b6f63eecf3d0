"""Where Live keeps the User Library, read from Live's own preferences.

Each installed Live version has a preferences folder holding ``Library.cfg``:

- macOS:   ``~/Library/Preferences/Ableton/Live 12.1.5/Library.cfg``
- Windows: ``%APPDATA%\\Ableton\\Live 12.1.5\\Preferences\\Library.cfg``

``Library.cfg`` is Live's XML; its ``UserLibrary`` element names the User Library as a ``ProjectPath``
(the folder that holds it) and a ``ProjectName`` (normally ``User Library``), so a library moved in
Live's Preferences > Library, or one Live put in a OneDrive-redirected Documents folder, is found where
Live itself looks. Without any preferences (Live never started) the default applies: ``~/Music/Ableton/
User Library`` on macOS, ``Documents\\Ableton\\User Library`` on Windows, with Documents as Windows
places it (the registry's shell folder, which OneDrive redirects), not assumed under the profile.
The layout was written from the public descriptions of these files and is tested on fake trees only.
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

LIBRARY_NAME = "User Library"
_VERSION = re.compile(r"^Live (\d+(?:\.\d+)*)(.*)$")


@dataclass(frozen=True)
class LiveInstall:
    """One Live version's preferences and the User Library they name (None: unreadable)."""

    name: str  # the preferences folder, e.g. "Live 12.1.5"
    version: tuple[int, ...]
    config: Path  # its Library.cfg
    user_library: Path | None


def preferences_root(system: str, home: Path, environ: dict[str, str]) -> Path | None:
    """The folder holding one ``Live x.y.z`` folder per installed version."""
    if system == "Darwin":
        return home / "Library" / "Preferences" / "Ableton"
    if system == "Windows":
        appdata = environ.get("APPDATA")
        return (Path(appdata) if appdata else home / "AppData" / "Roaming") / "Ableton"
    return None


def read_user_library(config: Path) -> Path | None:
    """The User Library a ``Library.cfg`` names, or None if the file does not say."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    path = name = None
    try:
        root = ET.fromstring(text)
        lib = root if root.tag == "UserLibrary" else root.find(".//UserLibrary")
        if lib is not None:
            p, n = lib.find(".//ProjectPath"), lib.find(".//ProjectName")
            path = p.get("Value") if p is not None else None
            name = n.get("Value") if n is not None else None
    except ET.ParseError:  # not well-formed: read the two values as text
        tail = text[text.find("<UserLibrary"):] if "<UserLibrary" in text else ""
        m = re.search(r'<ProjectPath\s+Value="([^"]*)"', tail)
        path = m.group(1) if m else None
        m = re.search(r'<ProjectName\s+Value="([^"]*)"', tail)
        name = m.group(1) if m else None
    if not path:
        return None
    folder = Path(path)
    if name:
        return folder / name
    # No name recorded: the path is the library itself, or the folder that holds one.
    return folder / LIBRARY_NAME if (folder / LIBRARY_NAME).is_dir() else folder


def live_installs(system: str, home: Path, environ: dict[str, str]) -> list[LiveInstall]:
    """Every Live version with preferences on this computer, newest first."""
    root = preferences_root(system, home, environ)
    if root is None or not root.is_dir():
        return []
    found = []
    for d in root.iterdir():
        m = _VERSION.match(d.name)
        if not m or not d.is_dir():
            continue
        config = d / "Library.cfg" if system == "Darwin" else d / "Preferences" / "Library.cfg"
        if not config.is_file():
            continue
        version = tuple(int(x) for x in m.group(1).split("."))
        found.append(LiveInstall(d.name, version, config, read_user_library(config)))
    # Newest first; a release sorts above a beta of the same number ("Live 12.1 Beta" has a suffix).
    return sorted(found, key=lambda i: (i.version, not _VERSION.match(i.name).group(2).strip()), reverse=True)


def registry_documents() -> Path | None:
    """Windows' Documents folder from the registry (where OneDrive redirects it); None elsewhere."""
    try:
        import winreg
    except ImportError:
        return None
    key = r"Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders"
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as k:
            value, _ = winreg.QueryValueEx(k, "Personal")
    except OSError:
        return None
    return Path(os.path.expandvars(value))


def windows_documents(home: Path, environ: dict[str, str], registry: Path | None) -> Path:
    """Documents as Windows places it: the registry's answer, else a OneDrive Documents folder that
    holds an Ableton folder, else the profile's Documents."""
    profile = Path(environ.get("USERPROFILE") or home)
    candidates = [registry] if registry is not None else []
    for var in ("OneDrive", "OneDriveConsumer", "OneDriveCommercial"):
        if environ.get(var):
            candidates.append(Path(environ[var]) / "Documents")
    candidates.append(profile / "Documents")
    for c in candidates:
        if (c / "Ableton" / LIBRARY_NAME).is_dir():
            return c
    return registry if registry is not None else profile / "Documents"


def default_user_library(system: str, home: Path, environ: dict[str, str],
                         registry: Path | None = None) -> Path | None:
    """Where Live creates the User Library when nobody moved it (None: Live does not run here)."""
    if system == "Darwin":
        return home / "Music" / "Ableton" / LIBRARY_NAME
    if system == "Windows":
        return windows_documents(home, environ, registry) / "Ableton" / LIBRARY_NAME
    return None
