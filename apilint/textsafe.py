"""Text from inputs made safe for a terminal or a log: controls shown, one line kept.

Spec text, capture keys and file names come from anywhere. An ANSI escape could recolour or
rewrite a terminal, a CR or LF could forge a second report line or a second error line. Every
human-facing output (the text report, error and warning lines) passes such text through here;
the machine formats escape with their own syntax (JSON, XML) on top.
"""

from __future__ import annotations

import re

# C0/C1 controls (ESC included) and the Unicode line and paragraph separators: some viewers
# break lines on them, and none of them belongs in a one-line message. Tab and LF/CR are
# handled by ``one_line`` (folded to a space) and made visible by ``visible_controls``.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """Control characters as ``\\xNN``/``\\uNNNN`` text, so nothing invisible reaches a log.
    Tab, LF and CR are kept (callers fold them with ``one_line``)."""
    return _CONTROL.sub(_escape, text)


def one_line(text: str) -> str:
    """Controls made visible, then all whitespace runs (newlines too) folded to one space."""
    return " ".join(visible_controls(str(text)).split())


def escape_name(name: str) -> str:
    """A file name on one line with every control character (tab, LF, CR too) escaped, so
    ``svc\\nx.json`` prints as ``svc\\x0ax.json``: one name, one line, still recognisable."""
    return _ANY_CONTROL.sub(_escape, str(name))
