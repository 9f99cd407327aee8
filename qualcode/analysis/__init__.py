"""Analysis over a study's data: agreement, matrices, counts (numpy/pandas)."""
