from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.bilingual import BilingualName
from core.models.mixins import FieldConstraintErrorsMixin


class Team(FieldConstraintErrorsMixin, models.Model):
    """An assignment group: the agents who work tickets together, with a manager."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("team e-mail"), blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
        verbose_name=_("manager"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="team_name_unique_ci",
                violation_error_code="name_taken",
                violation_error_message=_("A team with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Service(FieldConstraintErrorsMixin, BilingualName, models.Model):
    """A business service that users consume (e-mail, VPN, ERP ...), named in English and Chinese."""

    class Criticality(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    name = models.CharField(_("name"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_services",
        verbose_name=_("owner"),
    )
    support_team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("support team"),
    )
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("business service")
        verbose_name_plural = _("business services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="service_name_unique_ci",
                violation_error_code="name_taken",
                violation_error_message=_("A service with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name


class ConfigurationItem(FieldConstraintErrorsMixin, models.Model):
    """A component a service runs on (server, application, network device ...)."""

    class Kind(models.TextChoices):
        SERVER = "server", _("Server")
        APPLICATION = "application", _("Application")
        DATABASE = "database", _("Database")
        NETWORK = "network", _("Network device")
        STORAGE = "storage", _("Storage")
        ENDPOINT = "endpoint", _("End-user device")
        CLOUD = "cloud", _("Cloud resource")
        OTHER = "other", _("Other")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="configuration_items", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SERVER)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("configuration item")
        verbose_name_plural = _("configuration items")
        ordering = ["service__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "service",
                Lower("name"),
                name="ci_name_unique_per_service",
                violation_error_code="name_taken",
                violation_error_message=_("This service already has a configuration item with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name
