from django.urls import path

from requests_catalog import admin_views, portal_views, views

app_name = "requests_catalog"
urlpatterns = [
    path("requests/", views.request_list, name="list"),
    path("requests/tasks/", views.task_queue, name="tasks"),
    path("requests/tasks/<int:pk>/", views.task_action, name="task_action"),
    path("requests/<int:pk>/", views.request_detail, name="detail"),
    path("requests/<int:pk>/transition/", views.request_transition, name="transition"),
    path("catalogue/manage/", admin_views.item_list, name="admin_items"),
    path("catalogue/manage/new/", admin_views.item_edit, name="admin_item_new"),
    path("catalogue/manage/categories/", admin_views.category_list, name="admin_categories"),
    path("catalogue/manage/categories/<int:pk>/", admin_views.category_list, name="admin_category_edit"),
    path("catalogue/manage/<int:pk>/", admin_views.item_edit, name="admin_item_edit"),
    path("catalogue/manage/<int:pk>/form/", admin_views.item_form_editor, name="admin_item_form"),
    path("portal/catalogue/", portal_views.portal_catalogue, name="portal_catalogue"),
    path("portal/catalogue/<int:pk>/", portal_views.portal_order, name="portal_order"),
    path("portal/requests/", portal_views.portal_list, name="portal_list"),
    path("portal/requests/<int:pk>/", portal_views.portal_detail, name="portal_detail"),
    path("portal/requests/<int:pk>/transition/", portal_views.portal_transition, name="portal_transition"),
    path("portal/requests/<int:pk>/rate/", portal_views.portal_rate, name="portal_rate"),
    path("portal/approvals/", portal_views.portal_approvals, name="portal_approvals"),
    path("portal/approvals/<int:step_id>/decide/", portal_views.portal_decide, name="portal_decide"),
]
