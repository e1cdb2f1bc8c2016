"""One escaping function per output format: every text a user wrote passes through one of these.

Names, descriptions and ids come from files anyone with write access to a workspace can
edit (a pull request, a shared folder). Written into a report unescaped, a name can run
script in a browser (``<script>``), a formula in a spreadsheet (``=HYPERLINK(…)``), draw
an extra node in the diagram (a graphviz HTML label), break an XML file (a control
character), change the terminal (an escape sequence, Rich markup such as ``[link=…]``) or
add a line to a calendar. Each function below makes a text inert for one format.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Rich is imported by the outputs that draw with it, not by every command
    from rich.text import Text

#: C0 controls but tab and line feed, DEL, C1 controls
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: bidirectional overrides and isolates: they make text read in another order than it is stored
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: what XML 1.0 does not allow at all (not even as a character reference), and the controls it
#: discourages (DEL, C1: §2.2), which a terminal showing the file may act on: the complement of
#: ``[\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]`` spelled as what
#: is refused (the same characters; compiling the negated form costs every command ~10 ms)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: cells a spreadsheet would read as a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: markdown punctuation that can start markup anywhere in a line (links and images need ``[``;
#: a cell never starts a line, so list and heading markers need no escape there)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group(0)):02x}"


def plain(text: str) -> str:
    """Control characters shown as ``\\xNN``, bidi overrides removed; line feeds and tabs kept.

    Unicode's line and paragraph separators become line feeds: whatever splits lines on them
    (a log viewer, a terminal) then sees the same lines as the escaping that follows.
    """
    return _BIDI.sub("", _CONTROL.sub(_visible, text)).replace("\u2028", "\n").replace("\u2029", "\n")


def terminal_safe(text: str) -> str:
    """For a terminal line: no escape sequence or other control character reaches the terminal."""
    return plain(text)


def rich_text(text: str, style: str = "") -> Text:
    """For a Rich table or console: literal text (``[/]`` and ``[link=…]`` are not markup)."""
    from rich.text import Text

    return Text(plain(text), style=style)


def xml_text(text: str) -> str:
    """For XML 1.0 (JUnit, GraphML, SVG text): characters XML forbids replaced by U+FFFD.

    ``<``, ``&`` and quotes are escaped by the XML writer (ElementTree, networkx); what it
    cannot escape is a character XML 1.0 does not allow at all.
    """
    return _XML_FORBIDDEN.sub("\ufffd", _BIDI.sub("", text))


#: characters JSON allows raw in a string but a terminal may act on (DEL, C1: U+009B is CSI)
JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(dumped: str) -> str:
    """For JSON written with ``ensure_ascii=False`` (json escapes C0 itself): DEL, C1 controls,
    line separators and bidi overrides as ``\\uXXXX`` escapes, so the file stays the same data."""
    return JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def html_text(text: str) -> str:
    """For HTML and graphviz HTML-like labels: ``<``, ``>``, ``&`` and quotes as entities."""
    return html.escape(xml_text(plain(text)), quote=True)


def markdown_text(text: str) -> str:
    """For markdown prose and GFM table cells: no HTML, no markup, one line.

    HTML's specials become entities; markdown's punctuation is backslash-escaped (CommonMark);
    a line break becomes ``<br>``, the only break a GFM table cell can hold.
    """
    escaped = html.escape(plain(text).replace("\r\n", "\n").replace("\r", "\n"), quote=False)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)
    return escaped.replace("\n", "<br>")


def markdown_code(text: str) -> str:
    """An id as an inline code span; escaped text instead when it holds a backtick, a pipe or a line break."""
    shown = plain(text)
    if not shown or any(c in shown for c in "`|\n\r\\"):
        return markdown_text(text)
    return f"`{shown}`"


def csv_cell(text: str) -> str:
    """For a CSV cell opened in a spreadsheet: a formula-like start neutralised with ``'`` (OWASP)."""
    return "'" + plain(text) if text.lstrip(" ").startswith(_FORMULA_START) else plain(text)


def dot_string(text: str) -> str:
    """For a double-quoted graphviz string (an id or a plain label): quotes and backslashes escaped.

    The result goes between double quotes; a trailing backslash can no longer escape the
    closing quote, and ``\\l``/``\\N`` are not read as graphviz escapes.
    """
    return xml_text(plain(text)).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def github_data(text: str) -> str:
    """The message of a GitHub workflow command: %, CR and LF percent-encoded, no control characters."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\u2028", "\n").replace("\u2029", "\n")
    return plain(text.replace("\n", "%0A"))


def github_property(text: str) -> str:
    """A property of a GitHub workflow command (file, title): also ``:`` and ``,``."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def ics_text(text: str) -> str:
    """For an iCalendar TEXT value before the icalendar library escapes it (RFC 5545 §3.3.11).

    The library escapes ``\\``, ``;``, ``,`` and line breaks; control characters, which
    RFC 5545 does not allow in a TEXT value, are made visible here.
    """
    return plain(text.replace("\r\n", "\n").replace("\r", "\n"))
