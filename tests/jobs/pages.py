"""The bulk-edit pages and a job's page, read the way a person does; the steps of "Edit
selected…" as a person takes them."""

from __future__ import annotations

import re

from tests.pages import FormPage, Page

BULK_EDIT_URL = "/phone-connections/bulk-edit/"
JOBS_URL = "/jobs/"
LEAVE = "(leave)"
JOB_PATH = re.compile(r"^/jobs/(\d+)/$")


def job_url(job_id: int) -> str:
    return f"/jobs/{job_id}/"


class BulkEditFormPage(FormPage):
    """The form of "Edit selected…"."""

    @property
    def field_names(self) -> list[str]:
        return sorted(
            {
                el.attrs["name"]
                for el in self.form.iter()
                if el.tag in ("input", "select", "textarea")
                and el.attrs.get("type") not in ("hidden", "submit")
            }
        )


class ConfirmationPage(Page):
    @property
    def form(self):
        return self.doc.one("form", method="post", data_submit_once=True)

    def form_data(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for el in self.form.find_all("input", type="hidden"):
            if el.attrs["name"] != "csrfmiddlewaretoken":
                data.setdefault(el.attrs["name"], []).append(el.attrs.get("value", ""))
        return data


class JobPage(Page):
    @property
    def state(self) -> str:
        """The job's status as its badge says it ("Done")."""
        return self.doc.one("p", class_="job-status").one("span", class_="badge").text

    @property
    def counts(self) -> str | None:
        """The counts as the job goes (None once it has ended: its result gives them)."""
        found = self.doc.find(id="job-counts")
        return found.text if found is not None else None

    @property
    def result(self) -> str:
        found = self.doc.find("p", class_="job-result")
        return found.text if found else ""

    @property
    def polls(self) -> bool:
        return "hx-trigger" in self.doc.one(id="job-progress").attrs

    @property
    def report(self) -> list[tuple[str, str, str]]:
        """(row, outcome, details) of each item the report lists."""
        table = self.doc.find("table", class_="job-report")
        if table is None:
            return []
        return [
            tuple(td.text for td in tr.find_all("td")[1:])
            for tr in table.one("tbody").find_all("tr")
        ]


def open_form(client, ids, next_url: str = "/phone-connections/?sort=name") -> BulkEditFormPage:
    """Press "Edit selected…" with these rows ticked."""
    return BulkEditFormPage(client.post(BULK_EDIT_URL, {"ids": list(ids), "next": next_url}))


def review(client, ids, **values) -> ConfirmationPage | BulkEditFormPage:
    """Fill in the form (every field left as is unless given) and press "Review the change"."""
    data = {
        "ids": list(ids),
        "next": "/phone-connections/?sort=name",
        "step": "review",
        "agent_speaks_first": LEAVE,
        "voice": LEAVE,
        **values,
    }
    response = client.post(BULK_EDIT_URL, data)
    if response.status_code == 200 and b"Review the change" not in response.content:
        return ConfirmationPage(response)
    return BulkEditFormPage(response)


def start(client, ids, **values):
    """Review, then press "Yes, edit N": the answer (a redirect to the job's page)."""
    confirmation = review(client, ids, **values)
    assert isinstance(confirmation, ConfirmationPage), confirmation.html[:3000]
    return client.post(BULK_EDIT_URL, confirmation.form_data())


def started_job_id(response) -> int:
    assert response.status_code == 302, response.content[:2000]
    match = JOB_PATH.match(response["Location"])
    assert match, response["Location"]
    return int(match.group(1))


def open_job(client, job_id: int) -> JobPage:
    page = JobPage(client.get(job_url(job_id)))
    assert page.status == 200, page.html[:2000]
    return page
