"""Matrix (F7): the cases x themes summary grid, its cells and their summaries."""
