"""API of finance: a module per resource, each with its own router."""
