from django.urls import path

from pamong.cases import handler_views, reporter_views

app_name = "cases"
urlpatterns = [
    # The reporter: no account, no identity. Nothing in these addresses names a report or a receipt.
    path("lapor/", reporter_views.start, name="start"),
    path("lapor/kirim/", reporter_views.submit, name="submit"),
    path("lapor/tanda-terima/", reporter_views.receipt, name="receipt"),
    path("lapor/lihat/", reporter_views.follow_up_login, name="follow_up_login"),
    path("lapor/kasus/", reporter_views.follow_up, name="follow_up"),
    path("lapor/kasus/balas/", reporter_views.reply, name="reply"),
    path("lapor/kasus/berkas/<int:attachment_id>/", reporter_views.attachment, name="reporter_attachment"),
    path("lapor/keluar/", reporter_views.leave, name="leave"),
    path("lapor/perlindungan/", reporter_views.protection, name="protection"),
    path("lapor/statistik/", reporter_views.statistics, name="statistics"),
    # The handlers: Inspektorat, BKPSDM and the Wali Kota.
    path("kasus/", handler_views.queue, name="queue"),
    path("kasus/pemulihan/", handler_views.recovery, name="recovery"),
    path("kasus/<uuid:report_id>/", handler_views.case, name="case"),
    path("kasus/<uuid:report_id>/pesan/", handler_views.message, name="message"),
    path("kasus/<uuid:report_id>/tugaskan/", handler_views.assign, name="assign"),
    path("kasus/<uuid:report_id>/lepas/", handler_views.unassign, name="unassign"),
    path("kasus/<uuid:report_id>/terlapor/", handler_views.identify, name="identify"),
    path("kasus/<uuid:report_id>/langkah/<slug:action>/", handler_views.step, name="step"),
    path("kasus/<uuid:report_id>/berkas/<int:attachment_id>/", handler_views.attachment, name="attachment"),
    path("kasus/<uuid:report_id>/paket.zip", handler_views.export, name="export"),
]
