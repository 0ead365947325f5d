"""Cell values made safe for spreadsheets."""

# A spreadsheet reads a cell that starts with one of these as a formula (or, for
# tab and CR, may shift it into one): `=HYPERLINK(...)` in a title must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """`value`, with a leading `'` if a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
