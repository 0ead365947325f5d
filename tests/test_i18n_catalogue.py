"""The Chinese catalogue against the source: a message missing from it fails here.

The messages are found as `scripts/i18n.py` finds them, by reading the source of
src/measures (see that script); the catalogue is its .po, and the .mo shipped in
the package must be exactly the .po compiled.
"""

from __future__ import annotations

import gettext
import importlib.util
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

from .conftest import REPO


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", REPO / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
PO_TEXT = TOOL.PO.read_text(encoding="utf-8")


def _catalogue() -> dict[tuple[str, str | None], Any]:
    _header, messages = TOOL.read_po(PO_TEXT)
    return {message.key: message for message in messages}


def test_every_message_in_the_source_has_a_translation() -> None:
    extracted, _problems = TOOL.extract()
    catalogue = _catalogue()
    missing = [key[0] for key in extracted if key not in catalogue]
    untranslated = [
        key[0] for key in extracted if key in catalogue and not catalogue[key].translated
    ]
    assert missing == [], "run: python scripts/i18n.py update, then translate"
    assert untranslated == []
    # The extraction sees every kind of message: the framework's, help, docstrings.
    assert ("Show this message and exit.", None) in extracted  # the framework's words
    assert any(
        key[0].startswith("Show the measures: id, title") for key in extracted
    )  # a docstring
    assert ("Output format.", None) in extracted  # an option's help


def test_every_message_can_be_looked_up() -> None:
    _extracted, problems = TOOL.extract()
    assert [f"{p.place}: {p.what}" for p in problems] == []


def test_no_stale_messages() -> None:
    extracted, _problems = TOOL.extract()
    assert [key[0] for key in _catalogue() if key not in extracted] == []


def test_placeholders_agree() -> None:
    for message in _catalogue().values():
        wanted = TOOL.placeholders(message.msgid)
        for translation in message.translations:
            assert TOOL.placeholders(translation) == wanted, (message.msgid, translation)


def test_the_shipped_catalogue_is_the_source_compiled() -> None:
    assert TOOL.MO.read_bytes() == TOOL.compiled(PO_TEXT), "run: python scripts/i18n.py compile"


def test_gettext_reads_every_translation_back() -> None:
    with TOOL.MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.info()["plural-forms"] == "nplurals=1; plural=0;"
    for message in _catalogue().values():
        if message.plural is None:
            assert catalogue.gettext(message.msgid) == message.translations[0]
        else:
            for count in (1, 2):
                got = catalogue.ngettext(message.msgid, message.plural, count)
                assert got == message.translations[0]


def test_the_catalogue_is_where_the_package_looks() -> None:
    shipped = files("measures") / "locale" / "zh_CN" / "LC_MESSAGES" / "measures.mo"
    assert shipped.is_file() and shipped.read_bytes() == TOOL.MO.read_bytes()


def test_the_check_catches_what_a_developer_forgets(tmp_path: Path) -> None:
    package = tmp_path / "measures"
    package.mkdir()
    (package / "new.py").write_text(
        "from measures.i18n import _, ngettext\n"
        "import typer\n"
        "from measures.cli.app import app\n"
        "def done() -> str:\n"
        '    return _("A brand new message.")\n'
        "def counted(n: int) -> str:\n"
        '    return ngettext("{n} new thing", "{n} new things", n).format(n=n)\n'
        "def wrong(name: str) -> str:\n"
        '    return _(f"Hello {name}")\n'
        "@app.command(help=None)\n"
        "def fresh(x: str = typer.Option('', help='A new option.')) -> None:\n"
        '    """A new command.\n\n    Example: measures fresh\n    """\n',
        encoding="utf-8",
    )
    found = TOOL.check(PO_TEXT, None, package=package)
    assert "measures/new.py:5: not in the catalogue: 'A brand new message.'" in found
    assert "measures/new.py:7: not in the catalogue: '{n} new thing'" in found
    assert "measures/new.py:9: an f-string inside _() (use .format)" in found
    assert "measures/new.py:11: not in the catalogue: 'A new option.'" in found
    assert (
        "measures/new.py:11: not in the catalogue: 'A new command.\\n\\nExample: measures fresh'"
        in (found)
    )
    # Everything the real catalogue holds is stale against this one file.
    assert any(line.startswith("stale (no longer in the source): ") for line in found)


def test_the_check_catches_a_forgotten_compile_and_a_wrong_placeholder() -> None:
    changed = PO_TEXT.replace('msgstr "错误：{message}"', 'msgstr "错误：{messages}"')
    assert changed != PO_TEXT
    found = TOOL.check(changed, TOOL.MO.read_bytes())
    assert "placeholders differ: 'Error: {message}' -> '错误：{messages}'" in found
    assert any("is not the compiled" in line for line in found)


def test_the_script_says_all_is_well() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "i18n.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
