"""The controls' models: risks (`RISK-n`) and issues (`ISS-n`), each in its own module."""
