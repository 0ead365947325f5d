"""Keep the Chinese catalogue in step with the source: extract, update, compile, check.

    python scripts/i18n.py update    # add new messages to the .po (empty), drop stale ones
    python scripts/i18n.py compile   # write the .mo from the .po
    python scripts/i18n.py check     # exit 1 if a message is untranslated or the .mo is old

The messages are found by reading the source of src/measures, not by running it:

- the literal first argument of `_("...")` and `N_("...")`, both literals of
  `ngettext("...", "...", n)`;
- every literal `help="..."` keyword (the help of options, arguments and the app);
- the docstring of every function decorated with `@app.command(...)` or
  `@app.callback(...)`: typer shows it as the command's --help.

Only the standard library is used. The .po is the source a translator edits; the
.mo is what gettext reads, compiled deterministically so that a test can tell
when someone forgot to compile.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "measures"
CATALOGUE = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES"
PO = CATALOGUE / "measures.po"
MO = CATALOGUE / "measures.mo"

HEADER = {
    "Project-Id-Version": "measures",
    "Language": "zh_CN",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)?(?:[:!][^{}]*)?\}")


@dataclass
class Message:
    msgid: str
    plural: str | None = None
    translations: list[str] = field(default_factory=list)  # one, or one per plural form
    places: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.msgid, self.plural)

    @property
    def translated(self) -> bool:
        return bool(self.translations) and all(self.translations) and not self.fuzzy


# --- extraction ---------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    msgid: str
    plural: str | None
    place: str  # path:line


@dataclass(frozen=True)
class Problem:
    place: str
    what: str


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _called(node: ast.Call) -> str | None:
    """The name of a plain function call (`_(...)`), not of a method (`catalogue.gettext(...)`)."""
    return node.func.id if isinstance(node.func, ast.Name) else None


def _is_command_decorator(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("command", "callback")
        and _name(node.func.value) == "app"
    )


def extract_file(path: Path, label: str) -> tuple[list[Found], list[Problem]]:
    """The messages in one source file, and calls that cannot be looked up."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[Found] = []
    problems: list[Problem] = []
    for node in ast.walk(tree):
        place = f"{label}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            called = _called(node)
            if called in ("_", "N_") and node.args:
                text = _literal(node.args[0])
                if text is not None:
                    found.append(Found(text, None, place))
                elif isinstance(node.args[0], ast.JoinedStr):
                    problems.append(Problem(place, f"an f-string inside {called}() (use .format)"))
            elif called == "ngettext" and len(node.args) >= 2:
                singular, plural = _literal(node.args[0]), _literal(node.args[1])
                if singular is not None and plural is not None:
                    found.append(Found(singular, plural, place))
                else:
                    problems.append(Problem(place, "ngettext() needs two literal messages"))
            for keyword in node.keywords:
                if keyword.arg == "help":
                    text = _literal(keyword.value)
                    if text is not None:
                        found.append(Found(text, None, place))
                    elif isinstance(keyword.value, ast.JoinedStr):
                        problems.append(
                            Problem(place, "an f-string as help= (cannot be looked up)")
                        )
        elif isinstance(node, ast.FunctionDef) and any(
            _is_command_decorator(d) for d in node.decorator_list
        ):
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                found.append(Found(inspect.cleandoc(doc), None, place))
    return found, problems


def extract(
    package: Path = PACKAGE,
) -> tuple[dict[tuple[str, str | None], list[str]], list[Problem]]:
    """Every message in the package: {(msgid, plural): [places]}, and the problems found."""
    messages: dict[tuple[str, str | None], list[str]] = {}
    problems: list[Problem] = []
    for path in sorted(package.rglob("*.py")):
        label = path.relative_to(package.parent).as_posix()
        found, wrong = extract_file(path, label)
        problems += wrong
        for item in sorted(found, key=lambda f: int(f.place.rsplit(":", 1)[1])):
            if item.msgid:
                messages.setdefault((item.msgid, item.plural), []).append(item.place)
    return messages, problems


# --- the .po file -------------------------------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a PO string is a C string; these escapes agree


def read_po(text: str) -> tuple[dict[str, str], list[Message]]:
    """The header's fields and the messages of a .po file's text."""
    messages: list[Message] = []
    current: Message | None = None
    target: tuple[str, int] | None = None
    fuzzy = False
    places: list[str] = []
    header: dict[str, str] = {}

    def finish() -> None:
        nonlocal current
        if current is None:
            return
        if current.msgid == "" and current.plural is None:
            for line in (current.translations or [""])[0].splitlines():
                name, _, value = line.partition(":")
                header[name.strip()] = value.strip()
        else:
            messages.append(current)
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue  # obsolete
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
            continue
        if line.startswith("#:"):
            places += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgid_plural "):
            assert current is not None, f"line {number}: msgid_plural before msgid"
            current.plural = _unquote(line[len("msgid_plural ") :])
            target = ("plural", 0)
        elif line.startswith("msgid "):
            finish()
            current = Message(_unquote(line[len("msgid ") :]), fuzzy=fuzzy, places=places)
            fuzzy, places = False, []
            target = ("msgid", 0)
        elif line.startswith("msgstr"):
            assert current is not None, f"line {number}: msgstr before msgid"
            keyword, _, value = line.partition(" ")
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            while len(current.translations) <= index:
                current.translations.append("")
            current.translations[index] = _unquote(value)
            target = ("msgstr", index)
        elif line.startswith('"'):
            assert current is not None and target is not None, f"line {number}: stray string"
            part = _unquote(line)
            kind, index = target
            if kind == "msgid":
                current.msgid += part
            elif kind == "plural":
                current.plural = (current.plural or "") + part
            else:
                current.translations[index] += part
        else:
            raise ValueError(f"line {number}: cannot read {raw!r}")
    finish()
    return header, messages


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    )
    return f'"{escaped}"'


def _po_string(keyword: str, text: str) -> str:
    """`msgid "..."`, split after each newline when there are several lines."""
    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return f"{keyword} {_quote(text)}\n"
    return f'{keyword} ""\n' + "".join(_quote(line) + "\n" for line in lines)


def write_po(messages: list[Message]) -> str:
    header = "".join(f"{name}: {value}\n" for name, value in HEADER.items())
    parts = [
        "# Chinese (zh_CN) messages of measures. Edit the msgstr lines; then run\n"
        "# `python scripts/i18n.py compile` (see scripts/i18n.py).\n",
        _po_string("msgid", "") + _po_string("msgstr", header),
    ]
    for message in messages:
        lines = "".join(f"#: {place}\n" for place in sorted(set(message.places)))
        if message.fuzzy:
            lines += "#, fuzzy\n"
        lines += _po_string("msgid", message.msgid)
        if message.plural is None:
            lines += _po_string("msgstr", (message.translations or [""])[0])
        else:
            lines += _po_string("msgid_plural", message.plural)
            for index, translation in enumerate(message.translations or [""]):
                lines += _po_string(f"msgstr[{index}]", translation)
        parts.append(lines)
    return "\n".join(parts)


def _file_of(place: str) -> str:
    return place.rsplit(":", 1)[0]


def updated(
    existing: list[Message], extracted: dict[tuple[str, str | None], list[str]]
) -> tuple[list[Message], list[Message]]:
    """The catalogue for the extracted messages, keeping known translations; and the stale."""
    known = {message.key: message for message in existing}
    result = []
    for key, places in extracted.items():
        old = known.get(key)
        result.append(
            Message(
                key[0],
                key[1],
                list(old.translations) if old else [""],
                [_file_of(place) for place in places],
                old.fuzzy if old else False,
            )
        )
    stale = [message for message in existing if message.key not in extracted]
    return result, stale


# --- the .mo file -------------------------------------------------------------------


def compile_mo(header: dict[str, str], messages: list[Message]) -> bytes:
    """The GNU .mo bytes of the translated messages, as msgfmt writes them (no hash table)."""
    entries: dict[bytes, bytes] = {
        b"": "".join(f"{name}: {value}\n" for name, value in header.items()).encode("utf-8")
    }
    for message in messages:
        if not message.translated:
            continue
        key = message.msgid.encode("utf-8")
        if message.plural is not None:
            key += b"\0" + message.plural.encode("utf-8")
        entries[key] = b"\0".join(t.encode("utf-8") for t in message.translations)
    keys = sorted(entries)
    ids = b"".join(key + b"\0" for key in keys)
    strs = b"".join(entries[key] + b"\0" for key in keys)
    count = len(keys)
    start = 7 * 4 + 16 * count  # after the header and both tables
    id_offsets, str_offsets = [], []
    position = 0
    for key in keys:
        id_offsets += [len(key), start + position]
        position += len(key) + 1
    position = 0
    for key in keys:
        str_offsets += [len(entries[key]), start + len(ids) + position]
        position += len(entries[key]) + 1
    head = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    tables = struct.pack(f"<{4 * count}I", *id_offsets, *str_offsets)
    return head + tables + ids + strs


def compiled(po_text: str) -> bytes:
    header, messages = read_po(po_text)
    return compile_mo(header, messages)


# --- checks -------------------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    return sorted(match.group(1) or "" for match in PLACEHOLDER.finditer(text))


def check(po_text: str, mo_bytes: bytes | None, package: Path = PACKAGE) -> list[str]:
    """Every way the catalogue is out of step with the source, one line each."""
    extracted, problems = extract(package)
    _, messages = read_po(po_text)
    known = {message.key: message for message in messages}
    lines = [f"{p.place}: {p.what}" for p in problems]
    for key, places in extracted.items():
        message = known.get(key)
        if message is None:
            lines.append(f"{places[0]}: not in the catalogue: {key[0]!r}")
        elif not message.translated:
            lines.append(f"{places[0]}: not translated: {key[0]!r}")
    for message in messages:
        if message.key not in extracted:
            lines.append(f"stale (no longer in the source): {message.msgid!r}")
        originals = [message.msgid] + ([message.plural] if message.plural else [])
        for translation in message.translations:
            if translation and placeholders(translation) not in (
                placeholders(o) for o in originals
            ):
                lines.append(f"placeholders differ: {message.msgid!r} -> {translation!r}")
    if mo_bytes is not None and mo_bytes != compiled(po_text):
        lines.append(f"{MO.name} is not the compiled {PO.name}: run scripts/i18n.py compile")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["update", "compile", "check"])
    action = parser.parse_args(argv).action
    po_text = PO.read_text(encoding="utf-8") if PO.exists() else ""
    if action == "update":
        extracted, problems = extract()
        for problem in problems:
            print(f"{problem.place}: {problem.what}", file=sys.stderr)
        _, existing = read_po(po_text)
        messages, stale = updated(existing, extracted)
        for message in stale:
            print(f"dropped (no longer in the source): {message.msgid!r}")
        PO.parent.mkdir(parents=True, exist_ok=True)
        PO.write_text(write_po(messages), encoding="utf-8")
        missing = sum(1 for message in messages if not message.translated)
        print(f"{PO.relative_to(REPO)}: {len(messages)} messages, {missing} to translate")
        return 0
    if action == "compile":
        MO.write_bytes(compiled(po_text))
        print(f"wrote {MO.relative_to(REPO)}")
        return 0
    lines = check(po_text, MO.read_bytes() if MO.exists() else b"")
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
