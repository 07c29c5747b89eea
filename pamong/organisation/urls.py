from django.urls import path

from pamong.organisation import views

app_name = "organisation"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("masuk/otp/", views.otp_verify, name="otp_verify"),
    path("masuk/otp/daftar/", views.otp_enrol, name="otp_enrol"),
    path("keluar/", views.logout_view, name="logout"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("organisasi/pegawai/", views.employee_list, name="employee_list"),
    path("organisasi/pegawai/baru/", views.employee_create, name="employee_create"),
    path("organisasi/pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("organisasi/pegawai/<int:pk>/ubah/", views.employee_edit, name="employee_edit"),
    path("organisasi/opd/", views.opd_list, name="opd_list"),
    path("organisasi/opd/<int:pk>/", views.opd_detail, name="opd_detail"),
    path("organisasi/wilayah/", views.region_list, name="region_list"),
]
