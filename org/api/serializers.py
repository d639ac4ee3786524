from django.contrib.auth import get_user_model
from rest_framework import serializers

from org.models import ConfigurationItem, Service, Team

User = get_user_model()


class TeamSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = Team
        fields = ["id", "name", "description", "email", "manager", "members", "is_active"]


class ConfigurationItemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConfigurationItem
        fields = ["id", "name", "kind"]


class ServiceSerializer(serializers.ModelSerializer):
    configuration_items = ConfigurationItemBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "name_zh",
            "description",
            "description_zh",
            "owner",
            "support_team",
            "criticality",
            "is_active",
            "configuration_items",
        ]


class ConfigurationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConfigurationItem
        fields = ["id", "name", "kind", "service", "description", "is_active"]
