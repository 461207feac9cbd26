"""Reads of the plan that serve pages and endpoints. Each page runs a fixed
number of queries whatever the size of the plan."""
