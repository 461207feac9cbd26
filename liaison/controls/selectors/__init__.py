"""Reads of the controls: risks and issues, a module each."""
