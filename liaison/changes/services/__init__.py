"""Writes of change requests: raised and edited (change_requests), moved along
their lifecycle (lifecycle), decided by the client and, when approved, applied
to the plan and the requirements in the same transaction (decision)."""
