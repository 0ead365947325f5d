"""The rules and questions: the changes a command makes, queries, reports, the log's
history, checks, the three-way merge, dates and labels. Pure: no files, no output."""
