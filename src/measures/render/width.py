"""Text measured in terminal cells (a Chinese character takes two), for help and tables."""

from rich.cells import cell_len

__all__ = ["cell_len"]
