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
