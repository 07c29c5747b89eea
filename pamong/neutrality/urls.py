from django.urls import path

from pamong.neutrality import views

app_name = "neutrality"
urlpatterns = [
    path("<slug:slug>/tandatangan/", views.sign, name="sign"),
]
