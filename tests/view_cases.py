"""Reusable tests of the pages every registered resource has (as NetBox's `ViewTestCases`).

A resource's test module declares one class that inherits the cases it wants and says how
to make an entity upstream and what a valid form holds; the cases then check its list,
detail, create, edit, delete, bulk delete and export pages against the emulator, through
the recording proxy (`gateway`), as a person and the API see them:

    class TestPhoneConnectionPages(ViewTestCases.AllPages):
        resource_key = "phone_connections"
        edit_change = ("name", "Renamed line")

        @pytest.fixture
        def entity(self, make_row): ...          # an entity made upstream (its JSON)

        def form_data(self, product_id) -> dict: ...  # a valid create form

A resource people only read here (its registration declares `actions = ("view",)`, or has
no form) declares `ViewTestCases.ReadOnlyPages` instead, with an `entity` fixture naming
one that exists upstream: its list, detail and export pages are checked as above, and that
no page, button or role lets anyone create, edit or delete one.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from urllib.parse import parse_qsl

import pytest
from django.urls import NoReverseMatch, reverse

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.lists.registry import site
from tests.html_tree import parse


def page_of(response):
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return parse(response.content.decode())


def hidden_value(doc, name: str) -> str:
    return doc.one("input", name=name).attrs["value"]


class ResourceCase:
    """What every case needs: the resource, its URLs and its entities."""

    resource_key: str
    # Record attributes the API under test does not have (an older or newer generation).
    absent_fields: tuple[str, ...] = ()

    @pytest.fixture
    def entity(self, make_entity) -> dict:
        return make_entity()

    @pytest.fixture
    def other_entity(self, make_entity) -> dict:
        return make_entity()

    @property
    def resource(self):
        return site.get(self.resource_key)

    @property
    def api_path(self) -> str:
        return self.resource.spec.path

    def url(self, page: str, *args) -> str:
        return reverse(f"{self.resource_key}:{page}", args=args)

    def heading(self, entity: dict) -> str:
        """What the entity's page is titled with."""
        return entity["name"]

    def list_calls(self, gateway):
        return [r for r in gateway.received("GET") if r.path == self.api_path]


class ViewTestCases:
    class ListView(ResourceCase):
        def test_lists_the_entity_with_a_link_to_its_page(self, viewer_client, gateway, entity):
            response = viewer_client.get(self.url("list"), {"ids": entity["id"]})
            assert response.status_code == 200
            links = [a.attrs.get("href", "") for a in page_of(response).find_all("a")]
            assert any(href.startswith(self.url("detail", entity["id"])) for href in links)

        def test_one_upstream_request_per_view_with_the_page_asked(
            self, viewer_client, gateway, entity
        ):
            gateway.forget()
            response = viewer_client.get(self.url("list"), {"page": "2", "per_page": "50"})
            assert response.status_code == 200
            (call,) = self.list_calls(gateway)
            query = dict(parse_qsl(call.query))
            assert (query["offset"], query["limit"]) == ("50", "51")

        def test_every_sortable_column_sorts_both_ways_upstream(
            self, viewer_client, gateway, entity
        ):
            table_class = self.resource.table_class
            sortable = [
                name for name, column in table_class.base_columns.items() if column.orderable
            ]
            assert sortable
            for name in sortable:
                for sort in (name, f"-{name}"):
                    gateway.forget()
                    response = viewer_client.get(self.url("list"), {"sort": sort})
                    assert response.status_code == 200, sort
                    (call,) = self.list_calls(gateway)
                    sent = [v for k, v in parse_qsl(call.query) if k == "sort[]"]
                    assert sent[1] == ("desc" if sort.startswith("-") else "asc"), (sort, sent)

        def test_a_sort_it_does_not_have_is_reported_with_400(self, viewer_client, gateway):
            response = viewer_client.get(self.url("list"), {"sort": "nonsense"})
            assert response.status_code == 400
            assert "cannot be sorted by “nonsense”" in response.content.decode()

    class DetailView(ResourceCase):
        def test_shows_the_entity(self, viewer_client, gateway, entity):
            response = viewer_client.get(self.url("detail", entity["id"]))
            assert response.status_code == 200
            doc = page_of(response)
            assert doc.one("h1").text == self.heading(entity)
            assert entity["id"] in doc.text

        def test_an_entity_that_does_not_exist_is_a_404_page(self, viewer_client, gateway):
            response = viewer_client.get(self.url("detail", f"missing_{uuid.uuid4().hex}"))
            assert response.status_code == 404
            assert page_of(response).find("section", class_="problem")

    class CreateView(ResourceCase):
        def form_data(self, product_id: str) -> dict:
            raise NotImplementedError

        def product_id(self, api) -> str:
            return api.get("/products").json()[0]["id"]

        def test_add_button_only_for_those_who_may_add(self, client, operator, editor, gateway):
            create_url = self.url("create")
            for user, expected in ((operator, False), (editor, True)):
                client.force_login(user)
                doc = page_of(client.get(self.url("list")))
                hrefs = [a.attrs.get("href", "") for a in doc.find_all("a")]
                assert any(href.startswith(create_url) for href in hrefs) == expected

        def test_a_viewer_may_not_create(self, viewer_client, gateway):
            assert viewer_client.get(self.url("create")).status_code == 403
            assert viewer_client.post(self.url("create"), {}).status_code == 403

        def test_creates_once_records_it_and_opens_its_page(self, editor_client, gateway, api):
            token = hidden_value(page_of(editor_client.get(self.url("create"))), "submission")
            data = {**self.form_data(self.product_id(api)), "submission": token}
            first = editor_client.post(self.url("create"), data)
            again = editor_client.post(self.url("create"), data)  # the same form sent twice
            assert first.status_code == 302
            assert again.status_code == 302 and again["Location"] == first["Location"]
            assert len([r for r in gateway.received("POST") if r.path == self.api_path]) == 1
            (record,) = ChangeRecord.objects.filter(object_type=self.resource_key)
            assert record.action == "create" and record.object_label == data["name"]
            assert first["Location"] == self.url("detail", record.object_id)
            assert api.get(f"{self.api_path}/{record.object_id}").json()["name"] == data["name"]

        def test_a_rejected_form_keeps_what_was_typed(self, editor_client, gateway, api):
            token = hidden_value(page_of(editor_client.get(self.url("create"))), "submission")
            data = {**self.form_data(self.product_id(api)), "submission": token, "name": ""}
            response = editor_client.post(self.url("create"), data)
            assert response.status_code == 400
            doc = page_of(response)
            for name, value in data.items():
                field = doc.find("input", name=name)
                if field is not None and field.attrs.get("type") not in ("radio", "checkbox"):
                    assert field.attrs.get("value", "") == value, name
            assert not [r for r in gateway.received("POST") if r.path == self.api_path]

    class EditView(ResourceCase):
        # (form field, new value): a change the edit form can make.
        edit_change: tuple[str, str]

        def test_sends_only_the_changed_field_and_records_it(
            self, editor_client, gateway, api, entity
        ):
            field, value = self.edit_change
            doc = page_of(editor_client.get(self.url("update", entity["id"])))
            form = doc.one("form", data_submit_once=True)
            data = {}
            for element in form.find_all("input"):
                name, kind = element.attrs.get("name"), element.attrs.get("type")
                if name and (kind not in ("radio", "checkbox") or "checked" in element.attrs):
                    data[name] = element.attrs.get("value", "")
            for select in form.find_all("select"):
                chosen = [o for o in select.find_all("option") if "selected" in o.attrs]
                data[select.attrs["name"]] = chosen[0].attrs["value"] if chosen else ""
            data[field] = value
            gateway.forget()
            response = editor_client.post(self.url("update", entity["id"]), data)
            assert response.status_code == 302
            api_name = self.resource.spec.updatable[field]
            assert gateway.bodies("PATCH") == [{api_name: value}]
            (record,) = ChangeRecord.objects.filter(object_type=self.resource_key, action="update")
            assert record.changes == {field: [entity[api_name], value]}

        def test_a_viewer_may_not_edit(self, viewer_client, gateway, entity):
            assert viewer_client.get(self.url("update", entity["id"])).status_code == 403

        def test_a_viewer_sees_no_edit_or_delete(self, viewer_client, gateway, entity):
            doc = page_of(viewer_client.get(self.url("detail", entity["id"])))
            hrefs = [a.attrs.get("href", "") for a in doc.find_all("a")]
            assert not any(h.startswith(self.url("update", entity["id"])) for h in hrefs)
            assert not any(h.startswith(self.url("delete", entity["id"])) for h in hrefs)

    class DeleteView(ResourceCase):
        def test_asks_then_deletes_and_records_it(self, manager_client, gateway, api, entity):
            confirm = manager_client.get(self.url("delete", entity["id"]))
            assert confirm.status_code == 200
            assert entity["name"] in page_of(confirm).text
            response = manager_client.post(self.url("delete", entity["id"]))
            assert response.status_code == 302
            assert api.get(f"{self.api_path}/{entity['id']}").status_code == 404
            (record,) = ChangeRecord.objects.filter(object_type=self.resource_key)
            assert (record.action, record.object_id) == ("delete", entity["id"])

        def test_an_editor_may_not_delete(self, editor_client, gateway, entity):
            assert editor_client.post(self.url("delete", entity["id"])).status_code == 403

    class BulkDeleteView(ResourceCase):
        def test_lists_the_selection_then_deletes_each_and_records_each(
            self, manager_client, gateway, api, entity, other_entity
        ):
            ids = [entity["id"], other_entity["id"]]
            asked = manager_client.post(self.url("bulk_delete"), {"ids": ids})
            assert asked.status_code == 200
            text = page_of(asked).text
            assert entity["name"] in text and other_entity["name"] in text
            done = manager_client.post(self.url("bulk_delete"), {"ids": ids, "confirm": "yes"})
            assert done.status_code == 302
            for entity_id in ids:
                assert api.get(f"{self.api_path}/{entity_id}").status_code == 404
            deleted = ChangeRecord.objects.filter(object_type=self.resource_key, action="delete")
            assert sorted(deleted.values_list("object_id", flat=True)) == sorted(ids)

        def test_only_managers_and_only_by_post(self, editor_client, gateway, entity):
            assert (
                editor_client.post(self.url("bulk_delete"), {"ids": [entity["id"]]}).status_code
                == 403
            )
            assert editor_client.get(self.url("bulk_delete")).status_code == 405

        def test_opening_it_shows_a_page_that_says_why_and_leads_back_to_the_list(
            self, manager_client, gateway
        ):
            response = manager_client.get(self.url("bulk_delete"))

            assert response.status_code == 405
            assert response["Allow"] == "POST"
            doc = page_of(response)
            assert doc.one("h1").text == "This address is not a page to open"
            back = doc.one("a", class_="button-primary")
            assert back.attrs["href"] == self.url("list")
            assert back.text == f"Back to {self.resource.title.lower()}"

    class ExportView(ResourceCase):
        def test_csv_has_every_export_column_and_the_filtered_rows(
            self, viewer_client, gateway, entity
        ):
            response = viewer_client.get(self.url("export", "csv"), {"ids": entity["id"]})
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment;")
            text = b"".join(response.streaming_content).decode()
            header, *rows = list(csv.reader(io.StringIO(text)))
            expected = [c for c in self.resource.export_columns if c not in self.absent_fields]
            assert header == expected
            assert [row[header.index("id")] for row in rows] == [entity["id"]]

        def test_json_says_it_is_complete(self, viewer_client, gateway, entity):
            response = viewer_client.get(self.url("export", "json"), {"ids": entity["id"]})
            data = json.loads(b"".join(response.streaming_content))
            assert data["complete"] is True and data["count"] == 1

        def test_an_unknown_format_is_not_found(self, viewer_client, gateway):
            assert viewer_client.get(self.url("export", "xml")).status_code == 404

    class ExportEscapingView(ResourceCase):
        """For a resource whose entities the tests can name as they like."""

        def test_a_cell_a_spreadsheet_would_run_is_escaped(
            self, viewer_client, gateway, make_entity
        ):
            formula = make_entity(name=f'=HYPERLINK("x") {uuid.uuid4().hex[:6]}')
            response = viewer_client.get(self.url("export", "csv"), {"ids": formula["id"]})
            text = b"".join(response.streaming_content).decode()
            header, row = list(csv.reader(io.StringIO(text)))
            assert row[header.index("name")] == "'" + formula["name"]

    class ReadOnlyView(ResourceCase):
        """A resource nobody creates, edits or deletes here, whatever their role."""

        def test_has_no_create_edit_delete_or_bulk_pages(self, manager_client, gateway, entity):
            for page, args in (
                ("create", ()),
                ("update", (entity["id"],)),
                ("delete", (entity["id"],)),
                ("bulk_delete", ()),
            ):
                with pytest.raises(NoReverseMatch):
                    self.url(page, *args)
            list_url, detail_url = self.url("list"), self.url("detail", entity["id"])
            gateway.forget()
            assert manager_client.get(f"{list_url}new/").status_code == 404
            assert manager_client.get(f"{detail_url}edit/").status_code == 404
            assert manager_client.post(f"{detail_url}edit/", {}).status_code == 404
            assert manager_client.get(f"{detail_url}delete/").status_code == 404
            assert manager_client.post(f"{detail_url}delete/").status_code == 404
            bulk = manager_client.post(
                f"{list_url}bulk-delete/", {"ids": [entity["id"]], "confirm": "yes"}
            )
            assert bulk.status_code in (404, 405)
            assert not [r for r in gateway.received() if r.method != "GET"]

        def test_a_manager_sees_no_add_edit_delete_or_selection(
            self, manager_client, gateway, entity
        ):
            list_doc = page_of(manager_client.get(self.url("list")))
            list_links = [a.attrs.get("href", "") for a in list_doc.find_all("a")]
            assert not any(h.startswith(self.url("list") + "new/") for h in list_links)
            assert list_doc.find("form", id="bulk-form") is None
            assert not [
                i
                for i in list_doc.find_all("input")
                if i.attrs.get("name") == "ids" and i.attrs.get("type") == "checkbox"
            ]
            doc = page_of(manager_client.get(self.url("detail", entity["id"])))
            actions = doc.one("div", class_="page-header").one("div", class_="actions")
            assert actions.find_all("a") == [] and actions.find_all("button") == []

        def test_not_even_a_manager_may_add_delete_or_bulk(self, manager):
            for action in ("add", "delete", "bulk"):
                assert not manager.has_perm(self.resource.permission(action)), action

    class AllPages(
        ListView,
        DetailView,
        CreateView,
        EditView,
        DeleteView,
        BulkDeleteView,
        ExportView,
        ExportEscapingView,
    ):
        """Every case; a resource declares a `make_entity` fixture (entity(**fields) → its
        JSON, deleted after the test), `form_data()` and `edit_change`."""

    class ReadOnlyPages(ListView, DetailView, ExportView, ReadOnlyView):
        """The cases of a resource people only read here; it declares an `entity` fixture
        (the JSON of one that exists upstream)."""
