"""Serializer helpers shared by the apps' APIs."""

import copy

from rest_framework import serializers


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


class CommentSerializer(serializers.Serializer):
    """A comment on any ticket's timeline (incidents, requests ...): one shape in the API and its schema."""

    id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(max_length=20_000)
    is_internal = serializers.BooleanField(default=False)
    author = serializers.IntegerField(source="author_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class RatingSerializer(serializers.Serializer):
    """A requester's satisfaction rating of a resolved ticket."""

    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
