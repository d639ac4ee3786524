from django.urls import path

from problems import portal_views, suggestion_views, views

app_name = "problems"
urlpatterns = [
    path("problems/", views.problem_list, name="list"),
    path("problems/new/", views.problem_create, name="create"),
    path("problems/proposals/", views.proposal_list, name="proposals"),
    path("problems/proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("problems/proposals/<int:pk>/dismiss/", views.proposal_dismiss, name="proposal_dismiss"),
    path("problems/suggestions/", suggestion_views.suggest, name="suggest"),
    path(
        "problems/suggestions/incident/<int:incident_pk>/",
        suggestion_views.incident_panel,
        name="incident_panel",
    ),
    path("problems/suggestions/apply/", suggestion_views.apply, name="apply"),
    path("problems/suggestions/log-and-apply/", suggestion_views.log_and_apply, name="log_and_apply"),
    path("problems/<int:pk>/", views.problem_detail, name="detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="edit"),
    path("problems/<int:pk>/transition/", views.problem_transition, name="transition"),
    path("problems/<int:pk>/publish/", views.problem_publish, name="publish"),
    path("problems/<int:pk>/incidents/link/", views.problem_link, name="link"),
    path("problems/<int:pk>/incidents/<int:incident_pk>/unlink/", views.problem_unlink, name="unlink"),
    path("known-errors/", suggestion_views.kedb, name="kedb"),
    path("portal/known-issues/", portal_views.portal_kedb, name="portal_kedb"),
    path("portal/known-issues/suggestions/", portal_views.portal_suggest, name="portal_suggest"),
    path("portal/known-issues/solved/", portal_views.portal_solved, name="portal_solved"),
    path("portal/known-issues/<int:pk>/", portal_views.portal_known_error, name="portal_detail"),
    path("portal/known-issues/<int:pk>/thanks/", portal_views.portal_thanks, name="portal_thanks"),
]
