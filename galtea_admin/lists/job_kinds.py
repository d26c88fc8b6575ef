"""What every job over a registered resource's entities shares (bulk edit, bulk delete,
import): the resource it works on, read again from the job's parameters at each run."""

from __future__ import annotations

from galtea_admin.galtea.errors import GalteaError, GalteaNotFound
from galtea_admin.galtea.products import cached_products
from galtea_admin.galtea.resources import resource_absent_fields, resource_update
from galtea_admin.jobs.kinds import FAILED, JobKind, JobRefused, Outcome
from galtea_admin.lists import all_matching, editing
from galtea_admin.lists.navigation import EntityUrls
from galtea_admin.lists.registry import site

# One per resource: the URLs of its entities' pages, for the jobs' reports.
_entity_urls: dict[str, EntityUrls] = {}


class ResourceJobKind(JobKind):
    # What the job's page says when the resource no longer offers this kind of job.
    no_longer = "This admin no longer does this."

    def offered_by(self, resource) -> bool:
        raise NotImplementedError

    def resource(self, job):
        resource = site.get(job.params.get("resource", ""))
        if resource is None or not self.offered_by(resource):
            raise JobRefused(self.no_longer)
        if job.started_by is None:
            raise JobRefused("The account that started the job no longer exists.")
        return resource

    @staticmethod
    def warm(resource) -> None:
        """The lookup `record` reads (which fields the API has), made on the pool (in
        `load`, `check`), so that `record` finds it cached and never asks Galtea."""
        resource_absent_fields(resource.spec)

    @staticmethod
    def product_names() -> dict[str, str]:
        """The products' names by id, for the activity log."""
        try:
            return {product.id: product.name for product in cached_products()}
        except GalteaError:
            return {}  # names are a help in the activity log, never needed

    @staticmethod
    def send_update(resource, work, entity_id: str, changes: dict):
        """PATCH `changes`: the entity after it, or the item's Outcome when it was deleted
        meanwhile. When the answer is lost, the entity is asked whether it holds them."""
        try:
            return resource_update(resource.spec, entity_id=entity_id, changes=changes)
        except editing.LOST_ANSWER as error:
            if not error.may_have_arrived:
                raise
            after = editing.applied_meanwhile(resource, entity_id, changes)
            if after is None:
                raise
            return after
        except GalteaNotFound:
            return Outcome(FAILED, work.label, "Someone deleted it meanwhile.")

    @staticmethod
    def entity_url(job, entity_id: str) -> str | None:
        """The detail page of an entity of the job's resource (None: no such resource now)."""
        key = job.params.get("resource", "")
        if site.get(key) is None:
            return None
        if key not in _entity_urls:
            _entity_urls[key] = EntityUrls(key)
        return _entity_urls[key]("detail", entity_id)


class AllMatchingJobKind(ResourceJobKind):
    """A job that may be started over every row matching a list's filters (its `query`
    parameter): it finds them itself (lists/all_matching.py)."""

    def collect(self, job):
        resource = self.resource(job)
        try:
            yield from all_matching.matching_ids(resource, job.params.get("query", ""))
        except all_matching.BadFilters as problem:
            raise JobRefused(str(problem)) from None
