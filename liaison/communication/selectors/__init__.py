"""Reads of the communication hub that serve pages and endpoints. Each page runs
a fixed number of queries whatever the size of the log."""
