"""Pages that stay fast deep into a list of millions of rows."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable


def _of_model_instances(object_list) -> bool:
    return isinstance(object_list, QuerySet) and issubclass(object_list._iterable_class, ModelIterable)


class DeepPaginator(Paginator):
    """Django's paginator, except that a deep page is read in two steps: first the ids of its rows —
    an index-only scan walks past the skipped rows cheaply — then only those rows. A plain OFFSET
    fetches every skipped row in full and throws it away, so page 4,000 cost ten times page 1.

    The result is the same page: same rows, same order, with the queryset's select_related and
    prefetch_related applied. Shallow pages keep the single query (`DEEP` rows skipped or fewer).
    """

    DEEP = 500

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        """`count`: the list's size when the caller already knows it (a queue's tab count), so it is
        not counted twice."""
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom <= self.DEEP or not _of_model_instances(self.object_list):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        by_id = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)
