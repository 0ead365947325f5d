"""measures: keep the ledger (台账) of a government action plan."""

__version__ = "0.1.0"
