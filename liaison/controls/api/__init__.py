"""API of the controls: risks and issues, a module each with its own router."""
