from liaison.finance import (
    demo_value,  # noqa: F401 (after the time and money steps: DemoStep order 43)
)
