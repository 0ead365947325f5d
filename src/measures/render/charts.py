"""The HTML report's SVG charts (render/html.py) as PNG images, for a Word document.

Drawn by resvg (the `resvg-py` package, optional: `pip install 'measures[charts]'`):
one self-contained wheel, no system library, that renders the very SVG the
HTML page shows, Chinese text in the system's CJK fonts. Without it the Word
bulletin leaves its charts out and says so; everything else is the same.
"""

from __future__ import annotations

# The page's own rules for the charts' text (html.py sets them in its <style>).
_STYLE = (
    "svg{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',SimHei,"
    "'PingFang SC','WenQuanYi Zen Hei',sans-serif;font-size:19px}"
    ".muted{fill:#666}.axis{stroke:#999}.grid{stroke:#eee}"
)


def available() -> bool:
    try:
        import resvg_py  # noqa: F401
    except ImportError:
        return False
    return True


def svg_png(svg: str, zoom: float = 2.0) -> bytes:
    """The SVG as PNG, at `zoom` times its size, on white."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(svg_string=svg, style_sheet=_STYLE, zoom=zoom, background="#ffffff")
    )


def svg_and_notes(markup: str) -> tuple[str, list[str]]:
    """A chart as html.py writes it, parted: the SVG, and the text of the notes after it
    (the burn-up's "1 more measure is due on …"), which an image cannot hold."""
    import html
    import re

    end = markup.rfind("</svg>") + len("</svg>")
    notes = [
        html.unescape(re.sub(r"<[^>]*>", "", paragraph)).strip()
        for paragraph in re.findall(r"<p\b[^>]*>.*?</p>", markup[end:], re.DOTALL)
    ]
    return markup[:end], [note for note in notes if note]
