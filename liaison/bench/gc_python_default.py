"""A gunicorn config for `manage.py loadtest --gc python`: each worker undoes what
liaison/wsgi.py does to the garbage collector (gc.freeze after loading the app,
a threshold of 50,000), so the load test measures what that tuning buys."""

import gc


def post_fork(server, worker) -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)  # Python's own
