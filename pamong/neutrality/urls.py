from django.urls import path

from pamong.neutrality import document_views, views

app_name = "neutrality"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("baru/", views.campaign_create, name="campaign_create"),
    path("<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("<slug:slug>/ubah/", views.campaign_edit, name="campaign_edit"),
    path("<slug:slug>/tandatangan/", views.sign, name="sign"),
    path("<slug:slug>/tanda-terima/", views.receipt, name="receipt"),
    path("<slug:slug>/apel/", views.assembly, name="assembly"),
    path("<slug:slug>/opd/", views.follow_up_index, name="follow_up_index"),
    path("<slug:slug>/opd/<int:opd_id>/", views.follow_up, name="follow_up"),
    path("<slug:slug>/sertifikat.pdf", document_views.certificate, name="certificate"),
    path("<slug:slug>/sertifikat/<int:signature_id>.pdf", document_views.certificate_of, name="certificate_of"),
    path("<slug:slug>/berita-acara.pdf", document_views.roster_pdf, name="roster_pdf"),
    path("<slug:slug>/berita-acara.xlsx", document_views.roster_xlsx, name="roster_xlsx"),
]
