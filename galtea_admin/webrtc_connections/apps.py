from django.apps import AppConfig


class WebRtcConnectionsConfig(AppConfig):
    name = "galtea_admin.webrtc_connections"
    verbose_name = "WebRTC connections"
