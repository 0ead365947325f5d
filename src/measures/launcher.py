"""Console entry point.

`measures --version` is answered here, before the command-line framework and
the model are imported, so that it costs little more than starting Python.
The language is chosen next, before the commands are imported, so that their
help is in it.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from measures import __version__

        print(f"measures {__version__}")
        return
    from measures.i18n import detect_language, set_language

    set_language(detect_language(sys.argv, os.environ))
    from measures.cli import run

    run()
