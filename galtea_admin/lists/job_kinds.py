"""What every job over a registered resource's entities shares (bulk edit, bulk delete,
import): the resource it works on, read again from the job's parameters at each run."""

from __future__ import annotations

from galtea_admin.jobs.kinds import JobKind, JobRefused
from galtea_admin.lists.registry import site


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
