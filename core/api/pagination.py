from rest_framework.pagination import PageNumberPagination

from core.pagination import DeepPaginator


class StandardPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = DeepPaginator  # deep pages read ids first (core.pagination)
