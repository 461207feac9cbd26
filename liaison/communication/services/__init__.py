"""Every write of the communication hub: interactions and their sending,
action items, the communication plan."""
