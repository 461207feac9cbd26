import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
application = get_wsgi_application()

# Django, the apps, the URL conf and every view module live as long as the
# process. Load them now and move them out of the collector's sight: otherwise a
# full collection, which a request building a 2,000-bar Gantt or 100 API rows
# triggers now and then, walks them all again (it doubled such a request, ~80 →
# ~150 ms).
_views = get_resolver().url_patterns  # imports the URL conf and every view
gc.collect()
gc.freeze()
# A page of 200 board cards or 100 rows allocates objects by the tens of
# thousands, nearly all freed by reference counting; with the default threshold
# (700) the collector still runs many times per such request, and its passes
# made the slowest requests (the p95 of `make bench`: board 53–75 → 45 ms,
# 2,000-bar Gantt ~150 → 118–130 ms). Collect far less often. Under 32 people at
# once (`manage.py loadtest --gc python` undoes both in each worker) they save 4–10 %
# of the CPU a request costs.
gc.set_threshold(50_000, 20, 20)
