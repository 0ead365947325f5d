"""The records and their rules: measures, log entries, the plan, statuses, and the words for
what makes a ledger invalid. Imports nothing of the other layers."""
