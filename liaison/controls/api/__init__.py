"""API: the controls (issues; risks as they land), a module per resource."""
