"""Make an SVG safe and self-contained for inlining in the report's HTML.

Diagrams and charts carry text users wrote (names, risk points). graphviz and matplotlib
escape it, but the page must not trust that: the SVG is parsed as XML and rebuilt keeping
only drawing elements and attributes; scripts, event handlers, foreign content and any
link or reference outside the document are dropped. Ids are prefixed, so that several SVGs
on one page (each with its own ``node1`` or ``glyph`` ids) do not collide.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

#: drawing elements kept (anything else, e.g. script, foreignObject, image, is dropped)
ALLOWED = {
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "use",
    "clipPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "symbol",
    "marker",
    "pattern",
    "mask",
    "style",
    "metadata",
    "a",
}
#: elements whose content is not needed and may name outside resources
DROP_CONTENT = {"metadata"}
URL_REF = re.compile(r"url\(\s*['\"]?#([^)'\"]+)['\"]?\s*\)")
ANY_URL = re.compile(r"url\(", re.IGNORECASE)


class UnsafeSvg(ValueError):
    """The SVG could not be parsed."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def sanitize_svg(text: str | bytes, prefix: str) -> str:
    """The SVG as markup for inlining: drawing only, ids prefixed, no outside reference."""
    try:
        # ElementTree resolves no external entity and no DTD
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise UnsafeSvg(str(error)) from None
    if _local(root.tag) != "svg":
        raise UnsafeSvg("not an SVG document")
    _clean(root, prefix)
    # the page sizes the drawing: keep the viewBox, drop the fixed size
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("preserveAspectRatio", "xMidYMin meet")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _clean(element: ET.Element, prefix: str) -> None:
    for child in list(element):
        name = _local(child.tag) if isinstance(child.tag, str) else ""
        if name not in ALLOWED:
            element.remove(child)
            continue
        if name in DROP_CONTENT:
            element.remove(child)
            continue
        if name == "style" and ANY_URL.search(child.text or "") and not URL_REF.search(child.text or ""):
            element.remove(child)
            continue
        _clean(child, prefix)
    for key in list(element.attrib):
        value = element.attrib[key]
        local = _local(key).lower()
        if local.startswith("on"):
            del element.attrib[key]
        elif local == "href":
            if value.startswith("#"):
                element.attrib[key] = f"#{prefix}{value[1:]}"
            else:
                del element.attrib[key]  # a link out of the page: the report opens offline
        elif local == "id":
            element.attrib[key] = prefix + value
        elif "url(" in value.lower():
            if ANY_URL.findall(value) and len(URL_REF.findall(value)) != len(ANY_URL.findall(value)):
                del element.attrib[key]
            else:
                element.attrib[key] = URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", value)
    if element.text and _local(str(element.tag)) == "style":
        element.text = URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", element.text)
