"""The MILP: its sets and data, its constraint families, and solving it."""
