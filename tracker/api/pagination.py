"""Page-number pagination that never counts.

`COUNT(*)` of the filtered set on every page is what costs most at a million rows (see
PERF-NOTES): this pagination fetches page_size + 1 rows to know whether there is a next page and
returns `next`/`previous` links but no `count`. Pages deeper than MAX_OFFSET rows are refused with
404 (an OFFSET that deep is a scan; use the filters or the streamed export instead), as are pages
past the end and malformed page numbers. The ordering is always total (id is the tie-breaker), so
pages are stable.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from tracker.ids import parse_number


class NoCountPageNumberPagination(BasePagination):
    page_size = 50
    max_page_size = 500
    max_offset = 100_000
    page_query_param = "page"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_value = self._page_size(request)
        self.page_number = self._page_number(request)
        offset = (self.page_number - 1) * self.page_size_value
        if offset > self.max_offset:
            raise NotFound(
                _("Page too deep: at most %(rows)d rows can be skipped. Narrow the filters or use the export.")
                % {"rows": self.max_offset}
            )
        rows = list(queryset[offset : offset + self.page_size_value + 1])
        self.has_next = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        if not rows and self.page_number > 1:
            raise NotFound(_("Invalid page: there are no items on page %(page)d.") % {"page": self.page_number})
        return rows

    def _page_number(self, request) -> int:
        raw = request.query_params.get(self.page_query_param, "1")
        number = parse_number(raw, maximum=999_999_999)
        if number is None:
            raise NotFound(_("Invalid page: “%(page)s” is not a page number (1, 2, ...).") % {"page": raw[:50]})
        return number

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        size = parse_number(raw, maximum=self.max_page_size)
        if size is None:
            raise ValidationError(
                {self.page_size_query_param: [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page_number + 1)

    def get_previous_link(self):
        if self.page_number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.page_number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page_number - 1)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "page": self.page_number,
                "page_size": self.page_size_value,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "page", "page_size", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "page": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": f"Page number (1, 2, ...). No total count is computed; follow `next`. "
                f"At most {self.max_offset} rows can be skipped.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
