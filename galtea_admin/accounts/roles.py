"""The three roles, as Django groups: what each may do with phone connections."""

VIEWER = "Viewer"
EDITOR = "Editor"
MANAGER = "Manager"

VIEW = "phone_connections.view_phone_connections"
ADD = "phone_connections.add_phone_connections"
CHANGE = "phone_connections.change_phone_connections"
DELETE = "phone_connections.delete_phone_connections"
BULK = "phone_connections.bulk_phone_connections"
VIEW_ACTIVITY = "audit.view_changerecord"
