"""The tracker's REST API (version 1, under /api/v1/): serializers, viewsets, pagination, exports."""
