"""The project's URLs with the bare flow added to its site under /bare/."""

import warnings

from django.urls import path
from viewflow.workflow.flow import FlowAppViewset

from bench.bareflow.flows import BareFlow
from config import urls as project

site = project.site
bare = FlowAppViewset(BareFlow, app_name="bare", icon="bolt", title="Bare viewflow")
bare.parent = site
site.viewsets.append(bare)
site._children.append(bare)
site._urls_cache = None  # config.urls built the site's URLs already; build them again with /bare/
with warnings.catch_warnings():  # rebuilding sets each app's parent (the same site) again
    warnings.simplefilter("ignore")
    urlpatterns = [*project.urlpatterns[:-1], path("", site.urls)]
