"""Serializer helpers shared by the apps' APIs."""

import copy


class FieldsBuiltOnce:
    """A ModelSerializer mixin that builds its fields from the model once per class, not per request.

    DRF's ModelSerializer inspects the model and constructs every field anew for each serializer
    instance (~3 ms for an incident). The fields depend only on the class (Meta and declared fields),
    so the first instance's are kept as a template and later instances get a deep copy (~0.8 ms),
    exactly what DRF gives each instance of its declared fields. Not for serializers whose fields
    depend on the request or instance (those override get_fields or edit self.fields).
    """

    def get_fields(self):
        cls = type(self)
        template = cls.__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            cls._fields_template = template
        return copy.deepcopy(template)
