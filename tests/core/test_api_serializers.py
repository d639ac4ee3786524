"""Fields built once per serializer class: same fields as DRF builds, never shared between instances."""

from rest_framework import serializers

from incidents.api.serializers import IncidentSerializer, RequesterIncidentSerializer


def test_cached_fields_match_what_drf_builds_and_are_not_shared():
    class Plain(serializers.ModelSerializer):  # DRF's own construction, for comparison
        class Meta(IncidentSerializer.Meta):
            fields = [name for name in IncidentSerializer.Meta.fields if name != "sla"]

    plain = Plain().get_fields()
    first, second = IncidentSerializer(), IncidentSerializer()
    for name, field in first.fields.items():
        if name in plain:  # declared fields (sla, service ...) are the subclass's own
            assert type(field) is type(plain[name]), name
            assert field.read_only == plain[name].read_only, name
        assert field is not second.fields[name], name
        assert field.parent is first and second.fields[name].parent is second


def test_each_serializer_class_keeps_its_own_fields():
    IncidentSerializer().fields  # noqa: B018 - builds the agent serializer's template first
    agent, requester = IncidentSerializer().fields, RequesterIncidentSerializer().fields
    assert not agent["is_major"].read_only and not agent["outage_start"].read_only
    assert requester["is_major"].read_only and requester["outage_start"].read_only
    # declared on the agent serializer, so read-only for requesters by being declared again
    writable = {name for name, field in requester.items() if not field.read_only}
    assert writable == {"title", "description", "service"}
