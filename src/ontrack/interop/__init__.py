"""Other tools' formats to the core model and back."""
