"""Which columns of a table a person sees, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connection

from galtea_admin.preferences.models import TableConfig


@dataclass(frozen=True)
class ColumnChoice:
    name: str
    label: str
    shown: bool


def configurable_columns(table_class, fixed: tuple[str, ...]) -> dict[str, str]:
    """name → label of the columns a person may hide or move (not the `fixed` ones)."""
    return {
        name: str(column.verbose_name or name.replace("_", " ").capitalize())
        for name, column in table_class.base_columns.items()
        if name not in fixed
    }


def chosen_columns(user, table: str, available: list[str]) -> list[str]:
    """The columns the user chose to see, in order; all of them when never configured."""
    if user is None:
        return list(available)
    config = next(iter(TableConfig.objects.raw(table_config_sql(), [user.pk, table])), None)
    if config is None:
        return list(available)
    return [name for name in config.columns if name in available]


@cache
def table_config_sql() -> str:
    """Read on every list page, so written out: building it through the ORM took longer
    than running it."""
    q = connection.ops.quote_name
    user, table = (q(TableConfig._meta.get_field(name).column) for name in ("user", "table"))
    # Every identifier comes from the model; values are passed as parameters.
    return f"SELECT * FROM {q(TableConfig._meta.db_table)} WHERE {user} = %s AND {table} = %s"  # noqa: S608


def column_choices(columns: dict[str, str], shown: list[str]) -> list[ColumnChoice]:
    """Every configurable column, the `shown` ones first in their chosen order."""
    hidden = [name for name in columns if name not in shown]
    return [ColumnChoice(name, columns[name], name in shown) for name in shown + hidden]


def move(order: list[str], name: str, step: int) -> list[str]:
    """`order` with `name` moved `step` places (clamped at the ends)."""
    if name not in order:
        return order
    order = list(order)
    index = order.index(name)
    target = max(0, min(len(order) - 1, index + step))
    order.insert(target, order.pop(index))
    return order


def save_columns(user, table: str, shown: list[str]) -> None:
    TableConfig.objects.update_or_create(user=user, table=table, defaults={"columns": shown})


def reset_columns(user, table: str) -> None:
    TableConfig.objects.filter(user=user, table=table).delete()
