"""The command-line framework's own words, in the chosen language, and Chinese help laid out.

typer 0.29 vendors click, which writes its words ("Usage:", "Options:", "Show this
message and exit.", "Error: No such option: ...") in English with no gettext hook;
typer's few own words go through the standard library's global gettext domain,
which follows the environment rather than `--lang`. So the words are translated
where the framework lets a program step in: the command classes (`cls=`), their
context's help formatter, and `main`, which shows a usage error itself. Messages
the framework builds in English (a bad choice, a missing argument) are rebuilt
from the error's parts or matched against the patterns below; anything not
recognised is shown in English rather than guessed.

The formatter measures text in terminal cells, not characters, so that Chinese
help wraps between characters at the terminal's width and columns stay aligned;
it breaks lines by the rule tables and reports break by (`render/linebreak.py`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer._click import exceptions as click_errors  # typer's vendored click
from typer._click.core import Context as ClickContext
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

from measures.i18n import LANGUAGES, N_, _, language, set_language
from measures.render.linebreak import cells, split_to_fit, wrap

HELP_OPTION_HELP = N_("Show this message and exit.")

# Messages the framework writes in English, matched whole; the groups fill the
# placeholders of the message's translation.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"No such command (?P<name>'.*')\. Did you mean (?P<suggestions>.*)\?"),
        N_("No such command {name}. Did you mean {suggestions}?"),
    ),
    (re.compile(r"No such command (?P<name>'.*')\."), N_("No such command {name}.")),
    (re.compile(r"Missing command\."), N_("Missing command.")),
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)"),
        N_("Got unexpected extra argument(s) ({arguments})"),
    ),
    (
        re.compile(r"Option (?P<name>'.*') requires an argument\."),
        N_("Option {name} requires an argument."),
    ),
    (
        re.compile(r"Option (?P<name>'.*') requires (?P<count>\d+) arguments\."),
        N_("Option {name} requires {count} arguments."),
    ),
    (
        re.compile(r"Option (?P<name>'.*') does not take a value\."),
        N_("Option {name} does not take a value."),
    ),
    (
        re.compile(r"Argument (?P<name>'.*') takes (?P<count>\d+) values\."),
        N_("Argument {name} takes {count} values."),
    ),
    (
        re.compile(r"(?:Value error, )?(?P<value>'.*') is not one of (?P<choices>.*)\."),
        N_("{value} is not one of {choices}."),
    ),
)
# The notes typer adds after an option's help: [default: id; required].
EXTRAS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"default: (?P<default>.*)"), N_("default: {default}")),
    (re.compile(r"required"), N_("required")),
    (re.compile(r"env var: (?P<var>.*)"), N_("env var: {var}")),
)


def translate(message: str, patterns: Sequence[tuple[re.Pattern[str], str]] = PATTERNS) -> str:
    """A message the framework wrote in English, in the current language where it is known."""
    for pattern, msgid in patterns:
        match = pattern.fullmatch(message)
        if match:
            return _(msgid).format(**match.groupdict())
    return message


class Formatter(HelpFormatter):
    """click's help formatter, measuring and wrapping by terminal cells; words translated."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = _("Usage: ") if prefix is None else prefix
        head = f"{'':>{self.current_indent}}{prefix}{prog} "
        indent = " " * min(cells(head), self.width // 2)
        self.write(wrap(args, self.width, head, indent) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_('{heading}:').format(heading=heading)}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        self.write("\n\n".join(wrap(p, self.width, indent, indent) for p in paragraphs) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_width = min(max((cells(first) for first, _second in rows), default=0), col_max)
        column = first_width + col_spacing
        indent = " " * (self.current_indent + column)
        for first, second in rows:
            start = f"{'':>{self.current_indent}}{first}"
            if not second:
                self.write(start + "\n")
                continue
            if cells(first) <= first_width:
                start += " " * (column - cells(first))
            else:
                self.write(start + "\n")
                start = indent
            width = max(self.width - 2, len(indent) + 10)
            self.write(wrap(second, width, start, indent) + "\n")


class Context(typer.Context):
    formatter_class = Formatter


def _shown_help(english: str | None, shown: str) -> str:
    """An option's help as typer composed it (help, then [notes]), translated."""
    help_text = english or ""
    if help_text and shown.startswith(help_text):
        rest = shown[len(help_text) :]
        translated = _(help_text)
    else:
        rest, translated = shown, ""
    notes = re.fullmatch(r"(\s*)\[(.*)\]", rest, re.DOTALL)
    if not notes:
        return translated + rest
    parts = [translate(part, EXTRAS) for part in notes.group(2).split("; ")]
    return f"{translated}{notes.group(1)}[{'; '.join(parts)}]"


class PlainValues:
    """typer's coercion of a text, list of texts, flag or choice, without pydantic.

    typer 0.29 coerces each parameter's value through a pydantic TypeAdapter built
    for it, and importing the adapters imports pydantic: 60-80 ms of every run of
    the full command line, more than the command itself takes for most. These
    kinds need none of it, so their values are coerced here as typer's adapters
    coerce them, with the same results and the same error words (`Value error, 'x'
    is not one of 'table', 'json'.`): a text as text, a list of texts as a list,
    a choice by typer's own `coerce_cli_choice`, a flag's True or False (or None:
    not given) as it is. Any other value (bytes, a flag's text), or kind (a
    number), keeps typer's own coercion.
    """

    def __init__(
        self, choices: Sequence[Any] | None, case_sensitive: bool, flag: bool = False
    ) -> None:
        self.choices = choices
        self.case_sensitive = case_sensitive
        self.flag = flag

    def coerce(self, value: Any, param: Any, ctx: ClickContext) -> Any:
        """As typer's `RuntimeParam.coerce`, then its adapter, give."""
        if self._not_plain(value):
            from typer._coercion import build_runtime_param

            return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many and isinstance(value, str):
            raise click_errors.BadParameter("Value must be an iterable.", ctx=ctx, param=param)
        if many:
            items = value if isinstance(value, (list, tuple)) else [value]
            return [self._one(item, param, ctx) for item in items]
        return self._one(value, param, ctx)

    def _not_plain(self, value: Any) -> bool:
        """Whether `value` is one to leave to typer: bytes, or a flag's anything but
        True, False or None."""
        if self.flag:
            return value is not None and not isinstance(value, bool)
        items = value if isinstance(value, (list, tuple)) else [value]
        return any(isinstance(item, bytes) for item in items)

    def _one(self, value: Any, param: Any, ctx: ClickContext) -> Any:
        if self.flag:
            return value
        if self.choices is None:
            return str(value)
        from typer._param_types import coerce_cli_choice

        try:
            return coerce_cli_choice(
                value, choices=self.choices, case_sensitive=self.case_sensitive, ctx=ctx
            )
        except ValueError as error:
            from typer._click.utils import _escape_control_characters

            message = _escape_control_characters(f"Value error, {error}")
            raise click_errors.BadParameter(message, ctx=ctx, param=param) from None


def coerce_plainly(params: Sequence[Any]) -> None:
    """Give each parameter of a kind `PlainValues` knows its coercion, before typer
    builds its own (typer keeps it in `_runtime_param`, built on first use)."""
    from enum import Enum

    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue  # not typer's, or coerced already
        info = descriptor.parameter_info
        if info.parser is not None or descriptor.file_annotation is not None:
            continue
        annotation = descriptor.annotation
        if annotation is str or annotation == list[str]:
            param._runtime_param = PlainValues(None, info.case_sensitive)
        elif annotation is bool:
            param._runtime_param = PlainValues(None, info.case_sensitive, flag=True)
        elif isinstance(annotation, type) and issubclass(annotation, Enum):
            param._runtime_param = PlainValues(list(annotation), info.case_sensitive)


class _Localized:
    """What command and group share: translated help, options, and framework words."""

    context_class: type[ClickContext] = Context
    help: str | None

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        coerce_plainly(self.get_params(ctx))  # type: ignore[attr-defined]
        return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(_(self.help))

    def get_short_help_str(self, limit: int = 45) -> str:
        if not self.help:
            return ""
        first = re.split(r"\n\s*\n", _(self.help))[0]
        text = " ".join(first.split())
        if language() == "en" or cells(text) <= limit:
            from typer._click.utils import make_default_short_help

            return make_default_short_help(text, limit)
        # Too long: cut after the last clause or list item that fits, and say so.
        head, _rest = split_to_fit(text, limit - 1)
        clause = re.match(r"(.*[，、；：])", head)
        return (clause.group(1)[:-1] if clause else head) + "…"

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                # Named by its metavar alone: typer adds the Python type (`ID <str>`,
                # `ID... <list[str]>`), which says nothing to the person typing it.
                name = param.metavar or (param.name or "").upper()
                arguments.append((name, _shown_help(param.help, record[1])))
                continue
            options.append((record[0], _shown_help(param.help, record[1])))
        if arguments:
            with formatter.section(_("Arguments")):
                formatter.write_dl(arguments)
        if options:
            with formatter.section(_("Options")):
                formatter.write_dl(options)


# Parameters that name files (or a command for git): kept as the system gave
# them, since the system encodes them back to the same bytes to open the file.
RAW_METAVARS = frozenset({"PATH", "FILE", "BASE", "OURS", "THEIRS", "COMMAND"})


class Command(_Localized, TyperCommand):
    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        """Take `--lang zh|en` after the command's name too, as it is often typed.

        Every other text is read as UTF-8 (see `utf8_text`).
        """
        rest = super().parse_args(ctx, take_language(args, ctx))
        for param in self.params:
            if param.name is None or param.name not in ctx.params:
                continue
            if param.metavar in RAW_METAVARS:
                continue
            value = ctx.params[param.name]
            if isinstance(value, str):
                ctx.params[param.name] = _text_of(value, param, ctx)
            elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                ctx.params[param.name] = type(value)(_text_of(v, param, ctx) for v in value)
        return rest


def utf8_text(value: str) -> str | None:
    """An argument as the text the user typed, None if its bytes are not UTF-8.

    The system decodes the command line by the locale; bytes it cannot decode
    (any non-ASCII character under LC_ALL=C, or bytes that are no text at all)
    come as surrogates. A terminal sends UTF-8 whatever the locale says, so
    those bytes are read as UTF-8 again: that is what was typed.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return value
    import os

    try:
        return os.fsencode(value).decode("utf-8")
    except UnicodeError:
        return None


def _text_of(value: str, param: Any, ctx: ClickContext) -> str:
    text = utf8_text(value)
    if text is None:
        from measures.errors import typed

        raise click_errors.BadParameter(
            _("{value} is not UTF-8 text; type it again in UTF-8.").format(value=typed(value)),
            ctx=ctx,
            param=param,
        )
    return text


def take_language(args: Sequence[str], ctx: ClickContext | None = None) -> list[str]:
    """`args` without `--lang VALUE` (up to a `--`), the language set to VALUE.

    The main `--lang` option works before the command's name; here it works
    after it as well. A value other than zh or en is a usage error, as it is there.
    """
    rest: list[str] = []
    position = 0
    while position < len(args):
        argument = args[position]
        position += 1
        if argument == "--":
            rest += args[position - 1 :]
            break
        if argument == "--lang" and position < len(args):
            value = args[position]
            position += 1
        elif argument.startswith("--lang="):
            value = argument.removeprefix("--lang=")
        else:
            rest.append(argument)
            continue
        if value not in LANGUAGES:
            raise click_errors.BadParameter(
                f"{value!r} is not one of 'zh', 'en'.", ctx=ctx, param_hint="'--lang'"
            )
        set_language(value)
    return rest


class Group(_Localized, TyperGroup):
    def format_options(self, ctx: Any, formatter: Any) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        commands = [
            (name, command)
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _command in commands)
        rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line, showing a usage error in the current language."""
        run = super().main
        if not standalone_mode:
            return run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            result = run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except click_errors.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except click_errors.ClickException as error:
            show_error(error)
        except typer.Abort:
            sys.stderr.write(_("Aborted!") + "\n")
            sys.exit(1)
        # Without standalone mode typer returns the code of a typer.Exit, else the
        # command's result; commands here return nothing.
        sys.exit(result if isinstance(result, int) else 0)


def error_message(error: click_errors.ClickException) -> str:
    """The error's message, rebuilt in the current language from its parts."""
    if isinstance(error, click_errors.MissingParameter) and error.param is not None:
        hint = error.param.get_error_hint()
        kinds = {
            "argument": N_("Missing argument {name}."),
            "option": N_("Missing option {name}."),
        }
        kind = kinds.get(error.param.param_type_name, N_("Missing parameter {name}."))
        return _(kind).format(name=hint)
    if isinstance(error, click_errors.BadParameter):
        reason = translate(error.message)
        param = error.param_hint or (error.param.get_error_hint() if error.param else None)
        if param is None:
            return _("Invalid value: {reason}").format(reason=reason)
        if not isinstance(param, str):
            param = " / ".join(repr(name) for name in param)
        return _("Invalid value for {name}: {reason}").format(name=param, reason=reason)
    if isinstance(error, click_errors.NoSuchOption) and error.message == (
        f"No such option: {error.option_name}"
    ):
        message = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            options = ", ".join(sorted(error.possibilities))
            message += " " + _("(Possible options: {options})").format(options=options)
        return message
    return translate(error.format_message())


def show_error(error: click_errors.ClickException) -> NoReturn:
    """A usage error as click shows one (usage, where to get help, the error), translated."""
    lines = []
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(
                _("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                )
            )
        lines.append("")
    lines.append(_("Error: {message}").format(message=error_message(error)))
    sys.stderr.write("\n".join(lines) + "\n")
    sys.exit(error.exit_code)


def command_name(info: Any) -> str:
    """The name typer gives a registered command: its own, else its function's, dashed."""
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__)
