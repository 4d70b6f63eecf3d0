"""Strict decoding of incoming OSC datagrams, with limits: what a stranger's bytes may cost.

python-osc's parser pads a message cut short (a note missing its last float read as beat 0), raises
``UnicodeDecodeError`` on invalid UTF-8 and ``RecursionError`` on bundles nested a few hundred deep.
This decoder reads the OSC 1.0 layout byte by byte, iteratively: every argument must be whole, strings
UTF-8, a message must end exactly where its last argument does, and a bundle may nest at most
``MAX_BUNDLE_DEPTH`` deep and hold at most ``MAX_ELEMENTS`` elements (messages and bundles) in all. Anything else raises
``Malformed`` with a short reason (no traceback, no echo of the bytes). Bundle timetags are ignored:
musical time travels in the arguments.
"""
from __future__ import annotations

import math
import struct
from typing import Any

MAX_BUNDLE_DEPTH = 4  # a bundle in a bundle in a bundle in a bundle
MAX_ELEMENTS = 64  # messages and bundles per datagram, over all nesting levels
MAX_ARGS = 64  # arguments per message (the longest the protocol sends itself is a chord: 3 + 7)
_BUNDLE = b"#bundle\0"


class Malformed(ValueError):
    """Bytes that are not one well-formed OSC packet within the limits."""


def decode(data: bytes) -> list[tuple[str, tuple[Any, ...]]]:
    """(address, args) of every message in a datagram, in order."""
    if data[:8] == _BUNDLE:
        return _bundle(data)
    return [_message(data)]


def _bundle(data: bytes) -> list[tuple[str, tuple[Any, ...]]]:
    out: list[tuple[str, tuple[Any, ...]]] = []
    stack = [(memoryview(data), 16, 1)]  # (bundle bytes, read offset, depth); 8 + 8 timetag bytes
    if len(data) < 16:
        raise Malformed("bundle header cut short")
    elements = 0
    while stack:
        buf, pos, depth = stack.pop()
        if pos >= len(buf):
            continue
        if pos + 4 > len(buf):
            raise Malformed("bundle element size cut short")
        (size,) = struct.unpack_from(">i", buf, pos)
        if size <= 0 or size % 4 or pos + 4 + size > len(buf):
            raise Malformed(f"bundle element of {size} bytes does not fit")
        elem = buf[pos + 4: pos + 4 + size]
        elements += 1
        if elements > MAX_ELEMENTS:
            raise Malformed(f"more than {MAX_ELEMENTS} elements in one bundle")
        stack.append((buf, pos + 4 + size, depth))  # the rest of this bundle after the element
        if bytes(elem[:8]) == _BUNDLE:
            if depth >= MAX_BUNDLE_DEPTH:
                raise Malformed(f"bundles nested deeper than {MAX_BUNDLE_DEPTH}")
            if size < 16:
                raise Malformed("bundle header cut short")
            stack.append((elem, 16, depth + 1))  # read the inner bundle first: messages stay in order
        else:
            out.append(_message(bytes(elem)))
    return out


def _string(data: bytes, pos: int, what: str) -> tuple[str, int]:
    end = data.find(b"\0", pos)
    if end < 0:
        raise Malformed(f"{what} is not terminated")
    try:
        s = data[pos:end].decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed(f"{what} is not valid UTF-8") from None
    nxt = (end + 4) & ~3
    if nxt > len(data):
        raise Malformed(f"{what} padding cut short")
    return s, nxt


_FIXED = {"i": (">i", 4), "f": (">f", 4), "h": (">q", 8), "d": (">d", 8), "t": (">Q", 8), "c": (">I", 4),
          "r": (">I", 4), "m": ("4s", 4)}
_NO_DATA = {"T": True, "F": False, "N": None, "I": math.inf}


def _message(data: bytes) -> tuple[str, tuple[Any, ...]]:
    if not data[:1] == b"/":
        raise Malformed("not an OSC message (the address must start with /)")
    address, pos = _string(data, 0, "address")
    if pos == len(data):
        return address, ()  # no type-tag string: an old-style message without arguments
    if data[pos:pos + 1] != b",":
        raise Malformed("type tags missing")
    tags, pos = _string(data, pos, "type tags")
    tags = tags[1:]
    if len(tags) > MAX_ARGS:
        raise Malformed(f"more than {MAX_ARGS} arguments")
    args: list[Any] = []
    for n, tag in enumerate(tags, 1):
        if tag in _FIXED:
            fmt, size = _FIXED[tag]
            if pos + size > len(data):
                raise Malformed(f"argument {n} ({tag}) is cut short")
            (v,) = struct.unpack_from(fmt, data, pos)
            args.append(chr(v) if tag == "c" and v < 0x110000 else v)
            pos += size
        elif tag == "s" or tag == "S":
            if pos >= len(data):
                raise Malformed(f"argument {n} ({tag}) is cut short")
            v, pos = _string(data, pos, f"argument {n}")
            args.append(v)
        elif tag == "b":
            if pos + 4 > len(data):
                raise Malformed(f"argument {n} (b) is cut short")
            (size,) = struct.unpack_from(">i", data, pos)
            end = pos + 4 + size
            if size < 0 or end > len(data):
                raise Malformed(f"argument {n} (b) is cut short")
            args.append(bytes(data[pos + 4:end]))
            pos = (end + 3) & ~3
        elif tag in _NO_DATA:
            args.append(_NO_DATA[tag])
        else:
            raise Malformed(f"type tag {tag!r} is not supported")
    if pos != len(data):
        raise Malformed(f"{len(data) - pos} bytes after the last argument")
    return address, tuple(args)
