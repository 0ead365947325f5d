"""The ledger file: finding it, reading it (with its snapshot), locked atomic writes, the
undo journal and style-preserving TOML edits. Imports only the model below it."""
