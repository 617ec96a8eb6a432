"""Text from articles made safe to show on a terminal.

Article text, titles, URLs and file names are untrusted: an ESC byte starts a terminal
control sequence (colours, cursor moves, window titles, on some terminals key
rebinding), BEL rings, NUL and C1 controls do worse, and bidirectional overrides make a
line read differently from what it holds. `printable` writes each of them as a visible
escape (``\\x1b``, ``\\u202e``); `json_ascii_controls` does the same inside JSON text,
where ``\\u`` escapes keep the parsed value exact.
"""

from __future__ import annotations

import re

__all__ = ["json_ascii_controls", "printable"]

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROLS}]")
_UNSAFE_OR_NEWLINE = re.compile(f"[{_CONTROLS}\t\n\r]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with control and bidirectional-override characters escaped; tabs and
    newlines too unless ``keep_newlines`` (for multi-line output)."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_OR_NEWLINE
    return pattern.sub(_escape, text)


def json_ascii_controls(text: str) -> str:
    """JSON text with the characters `json.dumps` leaves raw (DEL, C1 controls,
    bidirectional overrides) written as ``\\u`` escapes: the same JSON value, safe to show."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
