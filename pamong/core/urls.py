from django.urls import path

from pamong.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("transparansi/", views.transparency, name="transparency"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
    path("verifikasi/<str:code>/tanda-terima.json", views.receipt_file, name="receipt_file"),
]
