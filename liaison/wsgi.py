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
