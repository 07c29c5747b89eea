from django.urls import path

from pamong.staffing import public_views

app_name = "staffing_public"
urlpatterns = [
    path("", public_views.proposal_list, name="list"),
    path("<int:pk>/", public_views.proposal_detail, name="detail"),
]
