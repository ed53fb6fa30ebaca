"""ontrack: project management that starts from the client outcomes."""
