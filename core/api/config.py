from core.services.config import config_object_delete, config_object_save


class AuditedConfigMixin:
    """ModelViewSet writes for configuration objects: validated (constraints → 400) and audited."""

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        m2m = {k: data.pop(k) for k in list(data) if serializer.Meta.model._meta.get_field(k).many_to_many}
        obj = serializer.Meta.model()
        serializer.instance = config_object_save(obj=obj, actor=self.request.user, values=data, m2m=m2m)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        m2m = {k: data.pop(k) for k in list(data) if serializer.Meta.model._meta.get_field(k).many_to_many}
        serializer.instance = config_object_save(
            obj=serializer.instance, actor=self.request.user, values=data, m2m=m2m
        )

    def perform_destroy(self, instance):
        config_object_delete(obj=instance, actor=self.request.user)
