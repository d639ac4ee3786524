"""The base of our FilterSets (one per process, shared by its pages and its API)."""

import django_filters


class FilterSet(django_filters.FilterSet):
    """Builds only the filters a request names.

    django-filter deep-copies every declared filter and builds a form field for each on every
    request; a list that names two filters should not pay for fifteen. Unnamed filters would not
    filter anyway (an absent value is no filter), so the result is the same. An unbound FilterSet
    (a page showing an empty filter form) keeps all of them.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and prefix is None:
            keys = list(data.keys())
            self.base_filters = {
                name: flt
                for name, flt in type(self).base_filters.items()
                if any(key == name or key.startswith(f"{name}_") for key in keys)
            }
        super().__init__(data, queryset, request=request, prefix=prefix)
