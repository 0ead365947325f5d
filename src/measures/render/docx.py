"""Word documents as offices send them: A4, GB/T 9704 margins, the fonts offices use.

Shared by the reminder notice (docx_notice.py) and the bulletin (docx_report.py).
python-docx is imported here, and this module only where a .docx is written.

Chinese documents: the title in 方正小标宋简体 (2号, 22 pt), headings in 黑体,
the body in 仿宋_GB2312 (3号, 16 pt; tables smaller). Word and WPS apply a
Chinese font only when the run or style names it as the East Asian font
(`w:eastAsia` in `w:rFonts`), so every font set here is set as that too. Where
a machine lacks a font (LibreOffice on Linux), it shows a fallback; the names
stay in the file for the office's machines. English documents use Times New
Roman and Arial, the same layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from measures.i18n import language

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# GB/T 9704-2012: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


@dataclass(frozen=True)
class Fonts:
    title: str
    heading: str
    body: str
    latin: str
    latin_heading: str


CHINESE = Fonts(
    title="方正小标宋简体",
    heading="黑体",
    body="仿宋_GB2312",
    latin="Times New Roman",
    latin_heading="Times New Roman",
)
ENGLISH = Fonts(
    title="Arial", heading="Arial", body="Times New Roman", latin="Times New Roman",
    latin_heading="Arial",
)  # fmt: skip

TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
TABLE_PT = 12  # 小四: a table of many columns on 156 mm
SMALL_PT = 10.5  # 五号


def fonts() -> Fonts:
    return CHINESE if language() == "zh" else ENGLISH


def set_font(run: Run, east_asian: str, latin: str, size: float | None = None) -> None:
    """The run's fonts, the East Asian one named as such (w:eastAsia) for Word and WPS."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = latin
    fonts_element = run._element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts_element.set(qn(key), latin)
    fonts_element.set(qn("w:eastAsia"), east_asian)
    if size is not None:
        run.font.size = Pt(size)


def new_document() -> Document:
    """An empty A4 document with the official margins and the body font as its default."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    chosen = fonts()
    normal: Any = document.styles["Normal"]
    normal.font.name = chosen.latin
    normal.font.size = Pt(BODY_PT)
    style_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    style_fonts.set(qn("w:eastAsia"), chosen.body)
    style_fonts.set(qn("w:ascii"), chosen.latin)
    style_fonts.set(qn("w:hAnsi"), chosen.latin)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    _page_numbers(document)
    document.core_properties.author = ""
    return document


def _page_numbers(document: Document) -> None:
    """Page numbers at the foot as offices print them: — 1 —, 4号 (14 pt) 宋体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def text(value: str) -> None:
        set_font(paragraph.add_run(value), "宋体", "Times New Roman", 14)

    text("— ")
    run = paragraph.add_run()
    set_font(run, "宋体", "Times New Roman", 14)
    for kind, body in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = body
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
    text(" —")


def title(document: Document, words: str) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    chosen = fonts()
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(words), chosen.title, chosen.latin_heading, TITLE_PT)
    return paragraph


def heading(document: Document, words: str) -> Paragraph:
    """A first-level heading: 黑体, the body's size, as official documents set it."""
    from docx.shared import Pt

    chosen = fonts()
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True  # never the last line of a page
    set_font(paragraph.add_run(words), chosen.heading, chosen.latin_heading, BODY_PT)
    return paragraph


def body(
    document: Document | _Cell,
    words: str,
    *,
    indent: bool = True,
    size: float = BODY_PT,
    align: str = "",
    bold: bool = False,
) -> Paragraph:
    """A paragraph of body text; indented by two characters, as Chinese text is."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    chosen = fonts()
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if align:
        paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, align)
    run = paragraph.add_run(words)
    run.bold = bold
    set_font(run, chosen.body, chosen.latin, size)
    return paragraph


def table(
    document: Document,
    headings: list[str],
    rows: list[list[str]],
    widths_mm: list[float],
    size: float = TABLE_PT,
    header: bool = True,
) -> Table:
    """A grid table, its heading row repeated on every page, no row split across pages.

    Without `header`, the first row is a row like the others and the first column
    holds the labels (a form to fill in)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    chosen = fonts()
    grid: Table = document.add_table(rows=1 + len(rows), cols=len(headings))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for index, row in enumerate([headings, *rows]):
        for column, value in enumerate(row):
            cell = grid.rows[index].cells[column]
            cell.width = Mm(widths_mm[column])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = 1.0  # the body's 1.25 makes rows tall
            run = paragraph.add_run(value)
            if (index == 0 and header) or (column == 0 and not header):
                run.bold = True
                set_font(run, chosen.heading, chosen.latin_heading, size)
            else:
                set_font(run, chosen.body, chosen.latin, size)
        properties = grid.rows[index]._tr.get_or_add_trPr()
        if index == 0 and header:
            properties.append(OxmlElement("w:tblHeader"))
        properties.append(OxmlElement("w:cantSplit"))
    for column, width in enumerate(widths_mm):
        grid.columns[column].width = Mm(width)
    # The columns as given, whatever the words in them: Word and WPS honour tblLayout fixed.
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    return grid


def shade(cell: _Cell, colour: str) -> None:
    """A cell's background (hex, no #): the light it stands for, beside its word."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def to_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Light colours soft enough to print the word on them in black.
LIGHT_FILL = {"red": "F4B6B0", "yellow": "FCE8A6", "green": "C9E7C1"}
