"""Export and import writers and readers: spreadsheets, documents, REFI-QDA."""
