from core.services.config import config_object_delete, config_object_save
from org.models import ConfigurationItem, Service, Team


def team_save(*, actor, team: Team | None = None, members=None, **values) -> Team:
    m2m = {"members": members} if members is not None else None
    return config_object_save(obj=team or Team(), actor=actor, values=values, m2m=m2m)


def service_save(*, actor, service: Service | None = None, **values) -> Service:
    return config_object_save(obj=service or Service(), actor=actor, values=values)


def configuration_item_save(*, actor, item: ConfigurationItem | None = None, **values) -> ConfigurationItem:
    return config_object_save(obj=item or ConfigurationItem(), actor=actor, values=values)


def org_object_delete(*, actor, obj) -> None:
    config_object_delete(obj=obj, actor=actor)
