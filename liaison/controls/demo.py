from liaison.controls import demo_risks  # noqa: F401
