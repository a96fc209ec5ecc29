"""A JSON renderer that inserts JSON text rendered elsewhere (by PostgreSQL) without parsing it again."""

from rest_framework import renderers


class RawJSON(str):
    """JSON text that is already valid JSON: rendered verbatim where a value of the response data stands."""


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer, except that top-level RawJSON values of a dict are spliced in as they are."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict) or not any(isinstance(value, RawJSON) for value in data.values()):
            return super().render(data, accepted_media_type, renderer_context)
        # Each RawJSON value is replaced by a marker string that no rendered text can contain unescaped (NUL
        # is always escaped in JSON strings), rendered, and the marker's JSON form swapped for the raw text.
        raw = {}
        stand_ins = {}
        for key, value in data.items():
            if isinstance(value, RawJSON):
                marker = f"\x00raw{len(raw)}\x00"
                raw[marker] = value
                value = marker
            stand_ins[key] = value
        rendered = super().render(stand_ins, accepted_media_type, renderer_context)
        for marker, value in raw.items():
            rendered = rendered.replace(super().render(marker), value.encode(), 1)
        return rendered
