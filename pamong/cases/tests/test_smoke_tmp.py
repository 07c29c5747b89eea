from django.test import TestCase

from pamong.cases import keyring, services
from pamong.cases.models import Report, Stage
from pamong.core import ledger
from pamong.core.testing import PASSWORD, CastMixin


class Smoke(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.build_cast()

    def test_flow(self):
        k_insp = keyring.key_for_password(self.inspector, PASSWORD)
        k_mayor = keyring.key_for_password(self.mayor, PASSWORD)
        sub = services.submit_report(
            kind="tekanan",
            answers={"what": "Saya ditekan MARKER", "who": "Kabid X", "pressure_form": "ajakan_dukung"},
            opd=self.health,
        )
        r = sub.report
        print(sub.receipt, r.number, list(r.assignments.values_list("user__username", "role")))
        acc = services.open_with_receipt(sub.receipt)
        print(services.read_report(acc.report, acc.key, internal=False).rows)
        h = services.open_as_handler(r.pk, self.inspector, k_insp)
        services.start_verification(h)
        services.post_message(h, "Terima kasih, kami periksa.")
        services.reporter_reply(acc, "Baik pak")
        print([m.body for m in services.thread(r, acc.key, internal=False)])
        services.identify(h, employee=self.clerk.employee, opd=None)
        services.begin_examination(h, "inspektorat")
        services.recommend(h, track="disiplin", discipline_sanction="teguran_tertulis")
        m = services.open_as_handler(r.pk, self.mayor, k_mayor)
        services.decide(m, approve=True)
        h = services.open_as_handler(r.pk, self.inspector, k_insp)
        services.close(h)
        print(services.flush_intake_entries(), ledger.verify_ledger().ok, Report.objects.get().stage)
        print(services.statistics())
        self.assertEqual(Report.objects.get().stage, Stage.SELESAI)
