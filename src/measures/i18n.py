"""The language everything the tool says is in: Chinese or English.

English is the messages as written in the source (the msgids); Chinese comes from
the gettext catalogue `locale/zh_CN/LC_MESSAGES/measures.mo`, loaded the first time
a Chinese message is needed. This module imports nothing heavy, so the launcher
can choose the language before the command line is imported.

Write every message as `_("... {name} ...").format(name=...)`: a literal inside
`_()` (never an f-string, which cannot be looked up), named placeholders filled in
afterwards. `N_("...")` marks a literal for the catalogue without translating it
where it stands (a table of messages translated later).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gettext import NullTranslations

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DOMAIN = "measures"
# os.path, not pathlib: the quick path (quick.py) does without importing pathlib.
LOCALEDIR = os.path.join(os.path.dirname(os.path.realpath(__file__)), "locale")  # noqa: PTH118, PTH120
# The POSIX order: LC_ALL overrides LC_MESSAGES, which overrides LANG.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_language: Language = "en"
_catalogue: NullTranslations | None = None


def detect_language(argv: Sequence[str], environ: Mapping[str, str]) -> Language:
    """The language a command line asks for: `--lang zh|en`, else the locale, else English.

    `--lang` is looked for among the arguments (up to a `--`); otherwise the first
    of LC_ALL, LC_MESSAGES and LANG that is set decides: a value starting with
    `zh` means Chinese, anything else English.
    """
    arguments = list(argv[1:])
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        value = None
        if argument == "--lang" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--lang="):
            value = argument.removeprefix("--lang=")
        if value in LANGUAGES:
            return "zh" if value == "zh" else "en"
    for variable in LOCALE_VARIABLES:
        setting = environ.get(variable)
        if setting:
            return "zh" if setting.lower().startswith("zh") else "en"
    return "en"


def set_language(code: str) -> None:
    """Speak `code` ("zh" or "en") from now on."""
    global _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; use zh or en")
    _language = "zh" if code == "zh" else "en"


def language() -> Language:
    return _language


def _translations() -> NullTranslations:
    global _catalogue
    if _catalogue is None:
        import gettext

        _catalogue = gettext.translation(
            DOMAIN, localedir=LOCALEDIR, languages=["zh_CN"], fallback=True
        )
    return _catalogue


def _(message: str) -> str:
    """`message` in the current language."""
    if _language == "en":
        return message
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message with a count, in the current language."""
    if _language == "en":
        return singular if count == 1 else plural
    return _translations().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """`message` itself, marked for the catalogue; translate it with `_()` where it is shown."""
    return message
