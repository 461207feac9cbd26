"""Reads of change requests: the list and one change (change_requests), the new
dates a change proposes (lines), and the impact it would have on the plan
(impact)."""
