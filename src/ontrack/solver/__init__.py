"""Optional solvers for the core's problems (the `optimize` extra)."""
