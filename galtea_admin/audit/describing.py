"""How a change record's fields and values read to a person: as the registered resource
it belongs to says (a record of a resource no longer registered reads plainly)."""

from __future__ import annotations

from galtea_admin.galtea.resources import resource_absent_fields
from galtea_admin.lists.registry import describe_plainly, site


class Describers:
    """The value describers of one page: one per resource, made when first needed (a
    describer may ask Galtea for labels, e.g. voice names)."""

    def __init__(self):
        self._made: dict[str, object] = {}
        self._absent: dict[str, frozenset[str]] = {}

    def changes(self, record) -> list[tuple[str, str, str]]:
        resource = site.get(record.object_type)
        describe = self._made.get(record.object_type)
        if describe is None:
            describe = resource.value_describer() if resource else describe_plainly
            self._made[record.object_type] = describe
        labels = resource.field_labels if resource else {}
        absent = self._absent.get(record.object_type)
        if absent is None:
            # Fields the API no longer has (voices, say) are not shown in older records.
            absent = resource_absent_fields(resource.spec) if resource else frozenset()
            self._absent[record.object_type] = absent
        return [
            (labels.get(name, name), describe(name, before), describe(name, after))
            for name, (before, after) in record.changes.items()
            if name not in absent
        ]
