"""Other formats, each with its reader and writer side by side: the exchange columns and
the checked import, CSV and xlsx files, and the cells spreadsheets are given."""
