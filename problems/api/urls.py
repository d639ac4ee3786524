from rest_framework.routers import DefaultRouter

from problems.api.views import (
    IncidentSuggestionViewSet,
    KnownErrorViewSet,
    ProblemProposalViewSet,
    ProblemViewSet,
)

router = DefaultRouter()
router.register("problems", ProblemViewSet, basename="problem")
router.register("known-errors", KnownErrorViewSet, basename="known-error")
router.register("problem-proposals", ProblemProposalViewSet, basename="problem-proposal")
# Nested under incidents, but served from here: incidents know nothing of problems.
router.register(
    r"incidents/(?P<incident_pk>\d+)/suggestions", IncidentSuggestionViewSet, basename="incident-suggestion"
)
