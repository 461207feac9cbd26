"""Finance's part of the demo data: each part registers its DemoStep when
imported (the demo app imports this module; production never does)."""

from liaison.finance import (
    demo_money,  # noqa: F401 (rates, budgets and expenses: DemoStep order 42)
    demo_time,  # noqa: F401 (DemoStep order 41: after the plan and changes)
    demo_value,  # noqa: F401 (after the time and money steps: DemoStep order 43)
)
