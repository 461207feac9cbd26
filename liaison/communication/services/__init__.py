"""Every write of the communication hub: interactions, sending their agenda or
minutes, action items, the communication plan."""
