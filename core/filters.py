"""The base of our FilterSets (one per process, shared by its pages and its API)."""

import django_filters
from django.http import QueryDict


def _without_blanks(data):
    """The parameters that say something: `state=` (a select left at "Any") filters nothing.

    Filter forms send every select, chosen or not, and a blank value given to a choice filter would
    otherwise be an invalid choice, which empties the whole list.
    """
    if isinstance(data, QueryDict):
        kept = QueryDict(mutable=True)
        for key, values in data.lists():
            values = [value for value in values if value != ""]
            if values:
                kept.setlist(key, values)
        return kept
    return {key: value for key, value in data.items() if value not in ("", None)}


class FilterSet(django_filters.FilterSet):
    """Builds only the filters a request names, and ignores blank parameters.

    django-filter deep-copies every declared filter and builds a form field for each on every
    request; a list that names two filters should not pay for fifteen. Unnamed filters would not
    filter anyway (an absent value is no filter), so the result is the same. An unbound FilterSet
    (a page showing an empty filter form) keeps all of them.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and prefix is None:
            data = _without_blanks(data)
            keys = list(data.keys())
            self.base_filters = {
                name: flt
                for name, flt in type(self).base_filters.items()
                if any(key == name or key.startswith(f"{name}_") for key in keys)
            }
        super().__init__(data, queryset, request=request, prefix=prefix)
