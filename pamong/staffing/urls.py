from django.urls import path

from pamong.staffing import views

app_name = "staffing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("lowongan/", views.vacancy_list, name="vacancies"),
    path("lowongan/<int:pk>/", views.vacancy_detail, name="vacancy"),
    path("lowongan/<int:pk>/plt/", views.vacancy_assign_acting, name="assign_acting"),
    path("lowongan/<int:pk>/plt/<int:assignment_id>/perpanjang/", views.vacancy_extend_acting, name="extend_acting"),
    path("lowongan/<int:pk>/antrean/", views.vacancy_queue, name="queue_vacancy"),
    path("lowongan/<int:pk>/usulan/", views.vacancy_draft_proposal, name="draft_proposal"),
    path("usulan/", views.proposal_list, name="proposals"),
    path("usulan/<int:pk>/", views.proposal_detail, name="proposal"),
    path("usulan/<int:pk>/surat.pdf", views.request_letter, name="request_letter"),
    path("usulan/<int:pk>/<slug:action>/", views.proposal_action, name="proposal_action"),
    path("periode/", views.period_list, name="periods"),
    path("periode/<slug:code>/ubah/", views.period_revise, name="period_revise"),
    path("plt/", views.acting_list, name="acting"),
]
