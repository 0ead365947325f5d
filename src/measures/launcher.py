"""Console entry point.

`measures --version` is answered here, before the command-line framework and
the model are imported, so that it costs little more than starting Python.
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from measures import __version__

        print(f"measures {__version__}")
        return
    from measures.cli import run

    run()
