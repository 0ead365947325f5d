"""Everything that turns core data into text for a terminal or a file.

This package is the only place that imports rich.
"""
