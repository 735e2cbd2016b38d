"""Output without computation: figures and reproducible figure files, text views (Rich)
of list/info/verify, tidy CSV, and atomic file writes. Builds things; prints nothing."""
