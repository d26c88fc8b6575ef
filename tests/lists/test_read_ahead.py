"""Rows read ahead (RemoteTableData.read_ahead): the slice a paginator then asks for is
answered by the request already sent, anything else by a request of its own; and the
slice LazyPaginator reads is the one lazy_page_rows names."""

from __future__ import annotations

from concurrent.futures import Future

import pytest
from django_tables2 import LazyPaginator

from galtea_admin.lists.controls import lazy_page_rows
from galtea_admin.lists.remote_tables import RemoteTableData

ORDER = (("name", "asc"),)


class Api:
    """fetch(order, offset, limit) that records each call; `send` runs it into a future
    (on this thread: the tests are about which requests are made, not about threads)."""

    def __init__(self, error: Exception | None = None):
        self.calls: list[tuple] = []
        self.sent: list[tuple] = []
        self.error = error

    def fetch(self, order, offset, limit):
        self.calls.append((order, offset, limit))
        if self.error:
            raise self.error
        return [f"row{i}" for i in range(offset, offset + limit)]

    def send(self, fetch, *args):
        self.sent.append(args)
        future = Future()
        try:
            future.set_result(fetch(*args))
        except Exception as error:
            future.set_exception(error)
        return future


def data_for(api: Api) -> RemoteTableData:
    data = RemoteTableData(api.fetch)
    data.api_order = ORDER  # as the table's sort sets it
    return data


def test_the_slice_read_ahead_is_answered_by_the_request_already_sent():
    api = Api()
    data = data_for(api)

    data.read_ahead(ORDER, 50, 76, send=api.send)
    rows = data[50:76]

    assert rows == [f"row{i}" for i in range(50, 76)]
    assert api.sent == [(ORDER, 50, 26)]
    assert api.calls == [(ORDER, 50, 26)]  # the one request, not a second


@pytest.mark.parametrize(
    ("asked", "order"),
    [((50, 75), ORDER), ((0, 26), ORDER), ((50, 76), (("name", "desc"),))],
    ids=["another stop", "another start", "another order"],
)
def test_any_other_slice_or_order_is_asked_for_on_its_own(asked, order, caplog):
    api = Api()
    data = data_for(api)
    data.read_ahead(ORDER, 50, 76, send=api.send)

    data.api_order = order
    rows = data[slice(*asked)]

    start, stop = asked
    assert rows == [f"row{i}" for i in range(start, stop)]
    assert api.calls == [(ORDER, 50, 26), (order, start, stop - start)]
    assert "were not the rows asked for" in caplog.text  # a second request is a mistake


def test_the_answer_read_ahead_is_used_once():
    api = Api()
    data = data_for(api)
    data.read_ahead(ORDER, 0, 26, send=api.send)

    assert data[0:26] == data[0:26]
    assert len(api.calls) == 2  # the second read asks again: rows may have changed since


def test_an_error_of_the_request_sent_ahead_is_raised_when_the_rows_are_read():
    api = Api(error=LookupError("gone"))
    data = data_for(api)
    data.read_ahead(ORDER, 0, 26, send=api.send)  # sending does not raise

    with pytest.raises(LookupError, match="gone"):
        data[0:26]


class Recording:
    """A sequence that records the slices read from it (as LazyPaginator reads rows)."""

    def __init__(self, total: int):
        self.total = total
        self.slices: list[tuple[int, int]] = []

    def __getitem__(self, key: slice):
        self.slices.append((key.start, key.stop))
        return list(range(key.start, min(key.stop, self.total)))


@pytest.mark.parametrize("per_page", [25, 50, 100])
@pytest.mark.parametrize("page", [1, 2, 3601])
def test_lazy_page_rows_is_the_slice_lazy_paginator_reads(page, per_page):
    rows = Recording(total=1_000_000)

    LazyPaginator(rows, per_page).page(page)

    assert rows.slices == [lazy_page_rows(page, per_page)]
