"""Console entry point.

`measures --version` is answered here, before the command-line framework and
the model are imported, so that it costs little more than starting Python.
The language is chosen next, before the commands are imported, so that their
help is in it.

The command is then offered to the quick path (`quick.py`), which answers the
commonest reads from a validated snapshot and carries out the commonest writes,
without importing typer; whatever it does not take goes to the full command line.

Standard output and error never fail on a character their encoding lacks (a
non-UTF-8 locale, `PYTHONIOENCODING=ascii`): such a character is written as a
backslash escape, as Python already does on standard error; `render/output.py`
writes JSON and HTML so that they stay exact in any encoding.

The cyclic garbage collector is switched off: a command lives for a moment and
makes hundreds of thousands of objects that are never garbage (a big ledger's
records), which the collector would otherwise walk again and again, for nothing
(validating 100,000 measures: 1.6 s with it, 0.35 s without). Reference counting
still frees what is dropped, and the process's memory goes back when it exits.
"""

import gc
import os
import sys


def main() -> None:
    gc.disable()
    _never_fail_to_print()
    if sys.argv[1:] == ["--version"]:
        from measures import __version__

        print(f"measures {__version__}")
        return
    from measures.i18n import detect_language, set_language

    set_language(detect_language(sys.argv, os.environ))
    if _quick(sys.argv[1:]):
        return
    from measures.cli import run

    run()


def _never_fail_to_print() -> None:
    for stream in (sys.stdout, sys.stderr):
        # Under LC_ALL=C Python takes "surrogateescape", which fails on Chinese as "strict" does.
        if getattr(stream, "errors", None) in ("strict", "surrogateescape"):
            try:  # noqa: SIM105  (contextlib is one more import at start-up)
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
            except (AttributeError, ValueError):  # not a text file of io's, or closed
                pass


def _quick(args: list[str]) -> bool:
    """Whether the quick path (`quick.py`) carried out the command."""
    from measures.quick import serve

    try:
        return serve(args)
    except BrokenPipeError:
        # The reader went away (`measures list | head`): end quietly, as the full
        # command line does, with nothing more written to the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
