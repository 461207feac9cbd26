"""The team's pages of the controls: risks and issues, a module each."""
