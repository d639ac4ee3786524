from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class FieldConstraintErrorsMixin:
    """Report a violated constraint against the field it protects, so forms and the API can name it.

    Constraints declare `violation_error_code="<field>_taken"`; the error then lands on <field>.
    """

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            remapped: dict[str, list] = {}
            for field, errors in exc.error_dict.items():
                for error in errors:
                    code = error.code or ""
                    target = (
                        code.removesuffix("_taken")
                        if field == NON_FIELD_ERRORS and code.endswith("_taken")
                        else field
                    )
                    remapped.setdefault(target, []).append(error)
            raise ValidationError(remapped) from None
