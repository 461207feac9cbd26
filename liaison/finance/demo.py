from liaison.finance import (
    demo_money,  # noqa: F401 (rates, budgets and expenses: DemoStep order 42)
)
