"""The staffing pages under /kepegawaian/ as a specification: who sees which page and which form,
every form doing what it says, and every refusal said in Indonesian with nothing saved.

The city lives on 17 October 2024, inside the pre-election period and before its queue date
(1 December 2024): eselon II ≤ 2 and eselon III + IV ≤ 15 proposals, the Minister's written approval
needed to replace a JPT Pratama or an Administrator (not a Pengawas, to show the rule is data).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from typing import Any

from django.test import Client, TestCase, override_settings
from django.urls import reverse

from pamong.core import ledger
from pamong.core.models import LedgerEntry, Notification
from pamong.core.testing import CastMixin, login, make_employee
from pamong.organisation.models import Employee, Position, User
from pamong.staffing import acting, services
from pamong.staffing.models import (
    ActingAssignment,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    Vacancy,
)
from pamong.staffing.testing import pre_election_period, qualified_official

S = Proposal.Status
CODE = "pra-pilkada-2024"
TODAY = dt.date(2024, 10, 17)
GRADES = {"jpt_pratama": "II.b", "administrator": "III.a", "pengawas": "IV.a"}
QUOTAS: list[dict[str, Any]] = [
    {"code": "eselon_ii", "label": "eselon II", "levels": ["jpt_pratama"], "limit": 2},
    {"code": "eselon_iii_iv", "label": "eselon III dan IV", "levels": ["administrator", "pengawas"], "limit": 15},
]


@override_settings(PAMONG_BUSINESS_DATE=TODAY.isoformat())
class StaffingPagesCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.period = pre_election_period(
            cls.bkpsdm,
            code=CODE,
            ends_on=dt.date(2025, 2, 20),
            approval_levels=["jpt_pratama", "administrator"],
            quotas=QUOTAS,
            quota_source="Arahan Kemendagri, Juli 2024",
            reason="Arahan Kemendagri sebelum Pilkada",
        )
        # The health secretary's post (Administrator) is vacant; so is the head of the education office.
        cls.secretary = services.open_vacancy(
            cls.health_secretary_post, by=cls.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun", field="kesehatan"
        )
        cls.school_head_post = Position.objects.create(
            opd=cls.schools, name="Kepala Dinas Pendidikan", level="jpt_pratama", grade="II.b", is_head_of_opd=True
        )
        cls.school_head = services.open_vacancy(
            cls.school_head_post, by=cls.bkpsdm, since=dt.date(2024, 8, 1), reason="promosi", field="pendidikan"
        )
        cls.health_head_employee = Employee.objects.get(user=cls.health_head)

    _posts = iter(range(1, 10**6))
    _people = iter(range(1, 10**6))

    # --- the world ---

    def vacancy(self, level: str = "jpt_pratama", *, opd: Any = None, name: str = "") -> Vacancy:
        post = Position.objects.create(
            opd=opd or self.health, name=name or f"Kepala Bagian {next(self._posts)}", level=level, grade=GRADES[level]
        )
        return services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun", field="umum")

    def draft(self, level: str = "jpt_pratama", *, opd: Any = None, name: str = "") -> Proposal:
        return services.draft_proposal(
            self.vacancy(level, opd=opd, name=name), by=self.bkpsdm, urgency=["pa_kpa"], justification="PA kosong."
        )

    def official(self, proposal: Proposal, **extra: Any) -> Employee:
        return qualified_official(
            self.health,
            f"Calon {next(self._people)}",
            level=proposal.vacancy.position.level,
            field=proposal.vacancy.field,
            **extra,
        )

    def with_candidate(self, proposal: Proposal) -> Employee:
        official = self.official(proposal)
        services.add_candidate(proposal, official, by=self.bkpsdm)
        return official

    def submitted(self, level: str = "jpt_pratama", **kwargs: Any) -> Proposal:
        return services.submit_proposal(self.draft(level, **kwargs), by=self.bkpsdm)

    def at_mayor(self, level: str = "jpt_pratama", **kwargs: Any) -> Proposal:
        proposal = self.submitted(level, **kwargs)
        services.approve_by_sekda(proposal, by=self.sekda)
        return services.approve_by_mayor(proposal, by=self.mayor)

    def sent(self, level: str = "jpt_pratama", **kwargs: Any) -> Proposal:
        return services.send_to_kemendagri(self.at_mayor(level, **kwargs), by=self.bkpsdm, letter_number="800/1")

    def approved(self, level: str = "jpt_pratama", **kwargs: Any) -> Proposal:
        return services.record_decision(
            self.sent(level, **kwargs), by=self.bkpsdm, approved=True, letter_number="100.2/7001/SJ", letter_date=TODAY
        )

    # --- requests ---

    def setUp(self) -> None:
        self.clients: dict[int | None, Client] = {}

    def client_as(self, user: User | None) -> Client:
        """One client per person per test, so a flash message set by a POST is read on the next page."""
        key = user.pk if user is not None else None
        if key not in self.clients:
            self.clients[key] = login(Client(), user) if user is not None else Client()
        return self.clients[key]

    def get(self, user: User | None, url: str, data: Any = None, status: int = 200) -> Any:
        response = self.client_as(user).get(url, data)
        self.assertEqual(response.status_code, status, f"{url} as {user}")
        return response

    def post(self, user: User | None, url: str, data: Any = None) -> Any:
        return self.client_as(user).post(url, data or {})

    def act(self, user: User, proposal: Proposal, action: str, data: Any = None) -> Any:
        return self.post(user, reverse("staffing:proposal_action", args=[proposal.pk, action]), data)

    def status_of(self, proposal: Proposal) -> str:
        return Proposal.objects.get(pk=proposal.pk).status

    def assertRefused(self, response: Any, *messages: str) -> None:
        """A refusal: the page again (200), the service's words at the top, nothing else."""
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn("data-refusal", body)
        refusal = body[body.index("data-refusal") :].split("</div>")[0]
        for message in messages:
            self.assertIn(message, refusal)

    def assertFlash(self, response: Any, url: str, message: str) -> None:
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.assertEqual(response["Location"].split("#")[0], url)
        page = self.get(self.bkpsdm, url)
        self.assertContains(page, message)

    def pages(self, proposal: Proposal) -> list[str]:
        return [
            reverse("staffing:overview"),
            reverse("staffing:vacancies"),
            reverse("staffing:vacancy", args=[proposal.vacancy_id]),
            reverse("staffing:proposals"),
            reverse("staffing:proposal", args=[proposal.pk]),
            reverse("staffing:periods"),
            reverse("staffing:acting"),
        ]


# --- who sees what ------------------------------------------------------------------------------------------


class AccessTests(StaffingPagesCase):
    def test_every_page_renders_for_bkpsdm_sekda_wali_kota_and_inspektorat(self) -> None:
        proposal = self.submitted()
        self.with_candidate(proposal)
        for user in (self.bkpsdm, self.sekda, self.mayor, self.inspector):
            for url in self.pages(proposal):
                response = self.get(user, url)
                self.assertContains(response, 'aria-current="page"')
            # The citywide roles see the candidates and their checks.
            self.assertContains(self.get(user, self.pages(proposal)[4]), "data-candidate")

    def test_anonymous_visitors_are_sent_to_login(self) -> None:
        proposal = self.draft()
        for url in [*self.pages(proposal), reverse("staffing:request_letter", args=[proposal.pk])]:
            response = self.get(None, url, status=302)
            self.assertIn(reverse("organisation:login"), response["Location"])
        response = self.post(None, reverse("staffing:proposal_action", args=[proposal.pk, "ajukan"]))
        self.assertIn(reverse("organisation:login"), response["Location"])
        self.assertEqual(self.status_of(proposal), S.DRAFT)

    def test_other_roles_get_404_everywhere(self) -> None:
        proposal = self.draft()
        for user in (self.bkad, self.bappeda, self.clerk, self.ptt, self.witness):
            for url in self.pages(proposal):
                self.get(user, url, status=404)
            self.assertEqual(self.post(user, reverse("staffing:vacancies"), {}).status_code, 404)
            self.assertEqual(self.act(user, proposal, "ajukan").status_code, 404)
        self.assertEqual(self.status_of(proposal), S.DRAFT)

    def test_the_menu_shows_kepegawaian_only_to_those_who_may_see_it(self) -> None:
        home = reverse("core:home")
        self.assertContains(self.get(self.health_head, home), reverse("staffing:overview"))
        self.assertContains(self.get(self.inspector, home), reverse("staffing:overview"))
        self.assertNotContains(self.get(self.clerk, home), reverse("staffing:overview"))

    def test_an_opd_head_sees_the_own_opd_only(self) -> None:
        own = self.submitted(name="Kepala Bagian Umum Dinkes")
        other = self.submitted(opd=self.schools, name="Kepala Bagian Umum Dindik")
        listing = self.get(self.health_head, reverse("staffing:vacancies")).content.decode()
        self.assertIn(self.health_secretary_post.name, listing)
        self.assertNotIn("Kepala Dinas Pendidikan", listing)
        proposals = self.get(self.health_head, reverse("staffing:proposals")).content.decode()
        self.assertIn("Kepala Bagian Umum Dinkes", proposals)
        self.assertNotIn("Kepala Bagian Umum Dindik", proposals)
        self.get(self.health_head, reverse("staffing:vacancy", args=[self.secretary.pk]))
        self.get(self.health_head, reverse("staffing:vacancy", args=[self.school_head.pk]), status=404)
        self.get(self.health_head, reverse("staffing:proposal", args=[own.pk]))
        self.get(self.health_head, reverse("staffing:proposal", args=[other.pk]), status=404)
        self.get(self.school_operator, reverse("staffing:proposal", args=[own.pk]), status=404)
        # The coverage report counts the OPD's own vacancies only.
        coverage = self.get(self.health_head, reverse("staffing:acting")).context["coverage"]
        self.assertEqual({row.opd_id for row in coverage.rows}, {self.health.pk})

    def test_an_opd_head_never_sees_candidates_nor_the_letter_that_names_them(self) -> None:
        proposal = self.at_mayor()
        official = self.with_candidate(proposal)
        page = self.get(self.health_head, reverse("staffing:proposal", args=[proposal.pk]))
        self.assertNotContains(page, official.name)
        self.assertNotContains(page, "data-candidate")
        self.assertNotContains(page, 'id="calon"')
        self.assertNotContains(page, reverse("staffing:request_letter", args=[proposal.pk]))
        self.get(self.health_head, reverse("staffing:request_letter", args=[proposal.pk]), status=404)
        # Not even through the eligibility preview's parameters.
        page = self.get(self.health_head, reverse("staffing:proposal", args=[proposal.pk]), {"cari": official.name[:8]})
        self.assertNotContains(page, official.name)
        removal = self.act(self.health_head, proposal, "hapus-calon", {"candidate": proposal.candidates.get().pk})
        self.assertEqual(removal.status_code, 403)
        self.assertTrue(proposal.candidates.exists())

    def test_once_appointed_the_decree_and_its_name_are_public_to_the_opd(self) -> None:
        proposal = self.approved()
        official = self.with_candidate(proposal)
        services.record_appointment(proposal, by=self.bkpsdm, decree_number="SK 821/9/2024", decree_date=TODAY)
        page = self.get(self.health_head, reverse("staffing:proposal", args=[proposal.pk]))
        self.assertContains(page, "SK 821/9/2024")
        self.assertContains(page, official.full_name)
        self.assertNotContains(page, "data-candidate")

    def test_only_bkpsdm_is_offered_the_forms_that_change_data(self) -> None:
        draft = self.draft()
        self.with_candidate(draft)
        forms = ['data-form="lowongan"', 'data-form="plt"', 'data-form="usulan"', 'data-form="ajukan"']
        pages = [
            reverse("staffing:vacancies"),
            reverse("staffing:vacancy", args=[self.secretary.pk]),
            reverse("staffing:proposal", args=[draft.pk]),
        ]
        bkpsdm = "".join(self.get(self.bkpsdm, url).content.decode() for url in pages)
        for form in forms:
            self.assertIn(form, bkpsdm)
        self.assertIn("Hapus calon", bkpsdm)
        for user in (self.sekda, self.mayor, self.inspector, self.health_head, self.health_operator):
            seen = "".join(self.get(user, url).content.decode() for url in pages)
            for form in [*forms, 'data-form="tarik"', 'data-form="setujui"']:
                self.assertNotIn(form, seen, f"{form} shown to {user}")
            self.assertNotIn("Hapus calon", seen)
        periods = self.get(self.sekda, reverse("staffing:periods"))
        self.assertNotContains(periods, 'data-form="periode"')
        self.get(self.sekda, reverse("staffing:period_revise", args=[CODE]), status=403)

    def test_sekda_and_wali_kota_see_the_approval_at_their_step_only(self) -> None:
        proposal = self.submitted()
        url = reverse("staffing:proposal", args=[proposal.pk])
        self.assertContains(self.get(self.sekda, url), "Setujui usulan sebagai Sekda")
        self.assertNotContains(self.get(self.mayor, url), 'data-form="setujui"')
        services.approve_by_sekda(proposal, by=self.sekda)
        self.assertNotContains(self.get(self.sekda, url), 'data-form="setujui"')
        self.assertContains(self.get(self.mayor, url), "Setujui usulan sebagai Wali Kota")

    def test_write_views_refuse_those_who_only_watch_with_403_and_change_nothing(self) -> None:
        draft = self.draft()
        for user in (self.sekda, self.inspector, self.health_head):
            for action in ("ajukan", "tarik"):
                response = self.act(user, draft, action, {"reason": "x"})
                self.assertEqual(response.status_code, 403)
                self.assertContains(response, "tidak mengubah usulan", status_code=403)
            response = self.post(user, reverse("staffing:vacancy", args=[self.secretary.pk]) + "antrean/")
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.act(self.bkpsdm, self.submitted(), "setujui", {"confirm": "on"}).status_code, 403)
        self.assertEqual(self.status_of(draft), S.DRAFT)
        self.assertIsNone(Vacancy.objects.get(pk=self.secretary.pk).queued_until)

    def test_a_vacancy_or_proposal_that_does_not_exist_is_404(self) -> None:
        self.get(self.bkpsdm, reverse("staffing:vacancy", args=[999999]), status=404)
        self.get(self.bkpsdm, reverse("staffing:proposal", args=[999999]), status=404)
        self.get(self.bkpsdm, reverse("staffing:period_revise", args=["tidak-ada"]), status=404)
        draft = self.draft()
        self.assertEqual(self.act(self.bkpsdm, draft, "terbang").status_code, 404)

    def test_csrf_is_enforced_on_the_forms(self) -> None:
        draft = self.draft()
        self.with_candidate(draft)
        client = login(Client(enforce_csrf_checks=True), self.bkpsdm)
        url = reverse("staffing:proposal_action", args=[draft.pk, "ajukan"])
        self.assertEqual(client.post(url).status_code, 403)
        self.assertEqual(self.status_of(draft), S.DRAFT)
        page = client.get(reverse("staffing:proposal", args=[draft.pk])).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        self.assertEqual(client.post(url, {"csrfmiddlewaretoken": token.group(1)}).status_code, 302)
        self.assertEqual(self.status_of(draft), S.SUBMITTED)


# --- the overview -------------------------------------------------------------------------------------------------


class OverviewTests(StaffingPagesCase):
    def test_the_quota_figures_count_the_proposals_holding_a_place(self) -> None:
        first = self.submitted(name="Kepala Badan Pertama")
        self.submitted("administrator", name="Kepala Bagian Kedua")
        withdrawn = self.submitted("pengawas", name="Kepala Subbagian Ketiga")
        services.withdraw(withdrawn, by=self.bkpsdm, reason="Tidak jadi.")  # frees its place
        self.draft(name="Draf belum diajukan")  # a draft holds nothing
        response = self.get(self.inspector, reverse("staffing:overview"))
        quotas = {q.code: q for q in response.context["quotas"]}
        self.assertEqual((quotas["eselon_ii"].used, quotas["eselon_ii"].limit, quotas["eselon_ii"].left), (1, 2, 1))
        self.assertEqual([p.pk for p in quotas["eselon_ii"].holders], [first.pk])
        self.assertEqual((quotas["eselon_iii_iv"].used, quotas["eselon_iii_iv"].limit), (1, 15))
        self.assertTrue(response.context["quotas_apply"])
        body = response.content.decode()
        section = body[body.index('data-quota="eselon_ii"') :].split("</details>")[0]
        self.assertIn("<strong data-used>1</strong> dari 2 terpakai", section)
        self.assertIn("Kepala Badan Pertama", section)
        self.assertIn("Masa pra-Pilkada 2024", body)

    def test_a_full_quota_says_so(self) -> None:
        self.submitted()
        self.submitted()
        response = self.get(self.bkpsdm, reverse("staffing:overview"))
        quota = response.context["quotas"][0]
        self.assertEqual((quota.used, quota.full, quota.meter), (2, True, 100))
        self.assertContains(response, "penuh")

    def test_the_proposals_waiting_are_those_of_each_persons_step(self) -> None:
        draft = self.draft(name="Jabatan Draf")
        submitted = self.submitted(name="Jabatan Diajukan")
        at_sekda = self.submitted("administrator", name="Jabatan Disetujui Sekda")
        services.approve_by_sekda(at_sekda, by=self.sekda)
        at_mayor = self.at_mayor("administrator", name="Jabatan Disetujui Wali Kota")

        def waiting(user: User) -> dict[str, list[int]]:
            groups = self.get(user, reverse("staffing:overview")).context["waiting"]
            return {g["status"]: [p.pk for p in g["proposals"]] for g in groups}

        self.assertEqual(waiting(self.sekda), {S.SUBMITTED: [submitted.pk]})
        self.assertEqual(waiting(self.mayor), {S.SEKDA: [at_sekda.pk]})
        self.assertEqual(
            waiting(self.bkpsdm), {S.DRAFT: [draft.pk], S.WALI_KOTA: [at_mayor.pk], S.SENT: [], S.APPROVED: []}
        )
        self.assertEqual(waiting(self.inspector), {})
        self.assertContains(self.get(self.sekda, reverse("staffing:overview")), "Jabatan Diajukan")

    def test_coverage_and_the_queue_are_shown(self) -> None:
        acting.assign_acting(
            self.secretary,
            self.health_head_employee,
            "plt",
            dt.date(2024, 10, 1),
            dt.date(2024, 12, 31),
            by=self.bkpsdm,
        )
        queued = services.queue_vacancy(self.vacancy("pengawas", name="Kepala Seksi Antre"), by=self.bkpsdm)
        response = self.get(self.mayor, reverse("staffing:overview"))
        coverage = response.context["coverage"]
        self.assertEqual((coverage.open, coverage.covered), (3, 1))
        self.assertEqual(response.context["uncovered"], 2)
        self.assertEqual(response.context["queued"], [queued])
        self.assertContains(response, "Kepala Seksi Antre")
        self.assertContains(response, "boleh diusulkan mulai 1 Desember 2024")

    def test_without_a_period_in_force_the_overview_says_so(self) -> None:
        with override_settings(PAMONG_BUSINESS_DATE="2025-06-01"):
            response = self.get(self.bkpsdm, reverse("staffing:overview"))
        self.assertIsNone(response.context["period"])
        self.assertContains(response, "Tidak ada periode kebijakan yang berlaku hari ini")


# --- vacancies and acting officials ---------------------------------------------------------------------------


class VacancyTests(StaffingPagesCase):
    def test_the_list_shows_days_empty_acting_official_queue_and_live_proposal(self) -> None:
        acting.assign_acting(
            self.secretary,
            self.health_head_employee,
            "plh",
            dt.date(2024, 10, 1),
            dt.date(2024, 12, 31),
            by=self.bkpsdm,
        )
        proposal = self.submitted(name="Kepala Bagian Keuangan")
        response = self.get(self.bkpsdm, reverse("staffing:vacancies"))
        rows = {row["vacancy"].pk: row for row in response.context["rows"]}
        secretary = rows[self.secretary.pk]
        self.assertEqual(secretary["days_empty"], 46)
        self.assertEqual(secretary["acting"].employee, self.health_head_employee)
        self.assertEqual(rows[proposal.vacancy_id]["proposal"], proposal)
        body = response.content.decode()
        row = body[body.index(f'data-vacancy="{self.secretary.pk}"') :].split("</tr>")[0]
        self.assertIn("46 hari", row)
        self.assertIn("Kepala Dinkes", row)
        self.assertIn("sampai 31 Desember 2024", row)
        school = body[body.index(f'data-vacancy="{self.school_head.pk}"') :].split("</tr>")[0]
        self.assertIn("tidak ada", school)
        self.assertIn("Diajukan BKPSDM", body)

    def test_the_list_filters_by_opd_level_state_and_queue(self) -> None:
        queued = services.queue_vacancy(self.vacancy("pengawas"), by=self.bkpsdm)
        released = services.queue_vacancy(self.vacancy("pengawas"), by=self.bkpsdm)
        Vacancy.objects.filter(pk=released.pk).update(released_on=dt.date(2024, 10, 16))
        url = reverse("staffing:vacancies")

        def listed(**params: str) -> set[int]:
            return {row["vacancy"].pk for row in self.get(self.bkpsdm, url, params).context["rows"]}

        self.assertEqual(listed(antrean="dilepas"), {released.pk})
        self.assertEqual(listed(antrean="menunggu"), {queued.pk})
        self.assertEqual(listed(opd=str(self.schools.pk)), {self.school_head.pk})
        self.assertEqual(listed(level="administrator"), {self.secretary.pk})
        Vacancy.objects.filter(pk=self.secretary.pk).update(filled_on=TODAY)
        self.assertNotIn(self.secretary.pk, listed())
        self.assertEqual(listed(keadaan="terisi"), {self.secretary.pk})
        self.assertContains(self.get(self.bkpsdm, url, {"antrean": "dilepas"}), "dilepas dari antrean")

    def test_the_list_does_not_grow_queries_with_its_rows(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.client_as(self.inspector)
        client.get(reverse("staffing:overview"))  # the session is settled before counting

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(client.get(reverse("staffing:vacancies")).status_code, 200)
            return len(queries)

        before = count()
        for _n in range(5):
            proposal = self.submitted("administrator")
            acting.assign_acting(
                proposal.vacancy, self.health_head_employee, "plt", TODAY, dt.date(2024, 12, 31), by=self.bkpsdm
            )
        self.assertEqual(count(), before)

    def test_bkpsdm_records_a_vacancy(self) -> None:
        post = Position.objects.create(opd=self.health, name="Kepala Bidang P2P", level="administrator", grade="III.b")
        response = self.post(
            self.bkpsdm,
            reverse("staffing:vacancies"),
            {"position": post.pk, "since": "2024-10-01", "reason": "mutasi", "field": "kesehatan"},
        )
        vacancy = Vacancy.objects.get(position=post)
        self.assertEqual((vacancy.since, vacancy.reason, vacancy.field), (dt.date(2024, 10, 1), "mutasi", "kesehatan"))
        self.assertFlash(
            response, reverse("staffing:vacancy", args=[vacancy.pk]), "Lowongan Kepala Bidang P2P tercatat"
        )

    def test_only_structural_posts_without_an_open_vacancy_are_offered(self) -> None:
        Position.objects.create(opd=self.health, name="Pengadministrasi Umum", level="pelaksana")
        Position.objects.create(opd=self.health, name="Kepala Seksi Gizi", level="pengawas", grade="IV.a")
        form = self.get(self.bkpsdm, reverse("staffing:vacancies")).context["create_form"]
        offered = {post.name for post in form.fields["position"].queryset}
        self.assertIn("Kepala Seksi Gizi", offered)
        self.assertIn(self.health_head_post.name, offered)
        self.assertNotIn("Pengadministrasi Umum", offered)
        self.assertNotIn(self.health_secretary_post.name, offered)  # already vacant

    def test_a_vacancy_in_the_future_or_without_a_reason_is_refused_and_nothing_is_saved(self) -> None:
        post = Position.objects.create(opd=self.health, name="Kepala Seksi Gizi", level="pengawas", grade="IV.a")
        url = reverse("staffing:vacancies")
        response = self.post(
            self.bkpsdm, url, {"position": post.pk, "since": "2024-11-01", "reason": "pensiun", "field": "umum"}
        )
        self.assertRefused(response, "Tanggal lowong tidak boleh di masa depan.")
        self.assertContains(response, 'value="2024-11-01"')  # the input is kept
        response = self.post(self.bkpsdm, url, {"position": post.pk, "since": "2024-10-01", "field": "umum"})
        self.assertRefused(response, "Pilih sebab jabatan lowong.")
        response = self.post(self.bkpsdm, url, {"since": "2024-10-01", "reason": "pensiun", "field": "umum"})
        self.assertRefused(response, "Jabatan struktural yang lowong: Bidang ini tidak boleh kosong.")
        self.assertFalse(Vacancy.objects.filter(position=post).exists())

    def test_bkpsdm_finds_an_official_and_assigns_a_plt(self) -> None:
        url = reverse("staffing:vacancy", args=[self.secretary.pk])
        # Before any search, the officials of the same OPD one level higher or the same are offered.
        suggested = self.get(self.bkpsdm, url).context["offered"]
        self.assertEqual(suggested, [self.health_head_employee])
        found = self.get(self.bkpsdm, url, {"cari": "Kepala Dinkes"})
        self.assertContains(found, f'<option value="{self.health_head_employee.pk}">')
        self.assertEqual(
            self.get(self.bkpsdm, url, {"cari": self.health_head_employee.identity_number}).context["offered"],
            [self.health_head_employee],
        )
        response = self.post(
            self.bkpsdm,
            reverse("staffing:assign_acting", args=[self.secretary.pk]),
            {
                "employee": self.health_head_employee.pk,
                "kind": "plt",
                "starts_on": "2024-10-01",
                "ends_on": "2024-12-31",
            },
        )
        assignment = ActingAssignment.objects.get(vacancy=self.secretary)
        self.assertEqual((assignment.employee, assignment.kind), (self.health_head_employee, "plt"))
        self.assertFlash(response, url, "ditugaskan sebagai Pelaksana Tugas (Plt)")
        page = self.get(self.inspector, url)
        receipt = ledger.format_receipt_code(LedgerEntry.objects.get(kind="staffing.acting").receipt_code)
        self.assertContains(page, reverse("core:verify", args=[receipt]))
        self.assertContains(page, "menjabat hari ini")

    def test_a_plt_term_beyond_the_limit_is_refused_naming_the_rule_and_keeping_the_input(self) -> None:
        response = self.post(
            self.bkpsdm,
            reverse("staffing:assign_acting", args=[self.secretary.pk]),
            {
                "employee": self.health_head_employee.pk,
                "kind": "plt",
                "starts_on": "2024-10-01",
                "ends_on": "2025-03-31",
            },
        )
        self.assertRefused(response, "Masa Plt/Plh paling lama 3 bulan", "SE Kepala BKN Nomor 1/SE/I/2021")
        self.assertContains(response, 'value="2025-03-31"')
        self.assertContains(response, f'<option value="{self.health_head_employee.pk}" selected>')
        self.assertFalse(ActingAssignment.objects.exists())
        response = self.post(
            self.bkpsdm,
            reverse("staffing:assign_acting", args=[self.secretary.pk]),
            {"kind": "plt", "starts_on": "2024-10-01", "ends_on": "2024-12-31"},
        )
        self.assertRefused(response, "Pilih pejabat yang ditugaskan")

    def test_bkpsdm_extends_a_plt_once(self) -> None:
        assignment = acting.assign_acting(
            self.secretary,
            self.health_head_employee,
            "plt",
            dt.date(2024, 10, 1),
            dt.date(2024, 12, 31),
            by=self.bkpsdm,
        )
        url = reverse("staffing:extend_acting", args=[self.secretary.pk, assignment.pk])
        page = self.get(self.bkpsdm, reverse("staffing:vacancy", args=[self.secretary.pk]))
        self.assertContains(page, 'value="2025-03-31"')  # the longest extension, offered
        self.assertContains(page, 'name="starts_on" value="2025-01-01"')  # a next Plt starts when this one ends
        response = self.post(self.bkpsdm, url, {"ends_on": "2025-03-31"})
        assignment.refresh_from_db()
        self.assertEqual((assignment.ends_on, assignment.extended), (dt.date(2025, 3, 31), True))
        self.assertFlash(
            response, reverse("staffing:vacancy", args=[self.secretary.pk]), "diperpanjang sampai 31 Maret 2025"
        )
        again = self.post(self.bkpsdm, url, {"ends_on": "2025-04-30"})
        self.assertRefused(again, "perpanjangan hanya satu kali")
        assignment.refresh_from_db()
        self.assertEqual(assignment.ends_on, dt.date(2025, 3, 31))
        other = self.vacancy("administrator")
        self.assertEqual(
            self.post(self.bkpsdm, reverse("staffing:extend_acting", args=[other.pk, assignment.pk])).status_code, 404
        )

    def test_bkpsdm_puts_a_vacancy_in_the_queue_until_the_periods_date(self) -> None:
        page = self.get(self.bkpsdm, reverse("staffing:vacancy", args=[self.secretary.pk]))
        self.assertContains(page, "Masukkan ke antrean")
        response = self.post(self.bkpsdm, reverse("staffing:queue_vacancy", args=[self.secretary.pk]))
        self.assertEqual(Vacancy.objects.get(pk=self.secretary.pk).queued_until, dt.date(2024, 12, 1))
        self.assertFlash(
            response, reverse("staffing:vacancy", args=[self.secretary.pk]), "boleh diusulkan mulai 1 Desember 2024"
        )
        with override_settings(PAMONG_BUSINESS_DATE="2024-12-05"):
            late = self.post(self.bkpsdm, reverse("staffing:queue_vacancy", args=[self.school_head.pk]))
        self.assertRefused(late, "Tidak ada antrean yang berlaku hari ini")
        self.assertIsNone(Vacancy.objects.get(pk=self.school_head.pk).queued_until)

    def test_the_release_notice_leads_to_the_released_vacancies(self) -> None:
        queued = services.queue_vacancy(self.secretary, by=self.bkpsdm)
        services.release_queue(dt.date(2024, 12, 1))
        notice = Notification.objects.get(user=self.bkpsdm)
        response = self.get(self.bkpsdm, notice.url)
        self.assertEqual([row["vacancy"].pk for row in response.context["rows"]], [queued.pk])

    def test_bkpsdm_drafts_a_proposal_with_its_urgency(self) -> None:
        response = self.post(
            self.bkpsdm,
            reverse("staffing:draft_proposal", args=[self.secretary.pk]),
            {"urgency": ["layanan_terhenti", "pa_kpa"], "justification": "Layanan rujukan terhenti."},
        )
        proposal = Proposal.objects.get(vacancy=self.secretary)
        self.assertEqual((proposal.status, proposal.urgency), (S.DRAFT, ["layanan_terhenti", "pa_kpa"]))
        self.assertFlash(response, reverse("staffing:proposal", args=[proposal.pk]), "Draf usulan")
        page = self.get(self.sekda, reverse("staffing:proposal", args=[proposal.pk]))
        self.assertContains(page, "Layanan kepada masyarakat terhenti")
        self.assertContains(page, "Layanan rujukan terhenti.")
        # A second live proposal for the same vacancy is not offered, and refused if sent.
        self.assertNotContains(
            self.get(self.bkpsdm, reverse("staffing:vacancy", args=[self.secretary.pk])), 'data-form="usulan"'
        )
        again = self.post(
            self.bkpsdm, reverse("staffing:draft_proposal", args=[self.secretary.pk]), {"urgency": ["pa_kpa"]}
        )
        self.assertRefused(again, "sudah punya usulan yang berjalan")
        self.assertEqual(Proposal.objects.filter(vacancy=self.secretary).count(), 1)


# --- proposals ----------------------------------------------------------------------------------------------


class ProposalFormTests(StaffingPagesCase):
    def test_the_list_filters_by_status_opd_and_period(self) -> None:
        draft = self.draft()
        submitted = self.submitted(opd=self.schools)
        url = reverse("staffing:proposals")

        def listed(**params: str) -> list[int]:
            return [p.pk for p in self.get(self.inspector, url, params).context["page"].object_list]

        self.assertEqual(listed(), [submitted.pk, draft.pk])
        self.assertEqual(listed(status=S.DRAFT), [draft.pk])
        self.assertEqual(listed(opd=str(self.schools.pk)), [submitted.pk])
        self.assertEqual(listed(periode=CODE), [submitted.pk, draft.pk])
        self.assertContains(self.get(self.inspector, url), "Masa pra-Pilkada 2024")

    def test_the_eligibility_preview_shows_each_check_in_words_before_adding(self) -> None:
        draft = self.draft()
        official = self.official(draft)
        url = reverse("staffing:proposal", args=[draft.pk])
        found = self.get(self.bkpsdm, url, {"cari": official.name})
        self.assertContains(found, f'<option value="{official.pk}"')
        preview = self.get(self.bkpsdm, url, {"cari": official.name, "pratinjau": official.pk})
        self.assertTrue(preview.context["preview"]["eligible"])
        self.assertContains(preview, "Memenuhi semua syarat untuk jabatan ini.")
        self.assertContains(preview, "Tambahkan sebagai calon")
        self.assertContains(preview, "PP 11/2017 jo. PP 17/2020 Pasal 107 huruf c")
        self.assertNotContains(preview, "Tidak memenuhi")
        self.assertFalse(draft.candidates.exists())  # a preview saves nothing

    def test_before_a_search_the_officials_one_level_below_in_the_same_opd_are_suggested(self) -> None:
        draft = self.draft()  # a JPT Pratama post of the health office
        division = Position.objects.create(
            opd=self.health, name="Kepala Bidang P2P", level="administrator", grade="III.b"
        )
        below = make_employee(self.health, "Kabid P2P", position=division)
        make_employee(
            self.schools,
            "Kabid Dindik",
            position=Position.objects.create(
                opd=self.schools, name="Kepala Bidang SD", level="administrator", grade="III.b"
            ),
        )
        url = reverse("staffing:proposal", args=[draft.pk])
        self.assertEqual(self.get(self.bkpsdm, url).context["results"], [below])
        found = self.get(self.bkpsdm, url, {"cari": "kepala bidang sd"}).context["results"]
        self.assertEqual([e.name for e in found], ["Kabid Dindik"])  # by the post's name too

    def test_bkpsdm_adds_an_eligible_candidate_and_removes_one(self) -> None:
        draft = self.draft()
        official = self.official(draft)
        response = self.act(self.bkpsdm, draft, "calon", {"employee": official.pk})
        candidate = ProposalCandidate.objects.get(proposal=draft)
        self.assertEqual((candidate.employee, candidate.eligible), (official, True))
        self.assertFlash(response, reverse("staffing:proposal", args=[draft.pk]), "ditambahkan sebagai calon")
        page = self.get(self.inspector, reverse("staffing:proposal", args=[draft.pk])).content.decode()
        self.assertIn(official.full_name, page)
        self.assertIn("memenuhi semua syarat", page)
        self.assertIn("Memenuhi</strong> · Pendidikan paling rendah S-1/D-IV", page)
        response = self.act(self.bkpsdm, draft, "hapus-calon", {"candidate": candidate.pk})
        self.assertFalse(ProposalCandidate.objects.exists())
        self.assertFlash(response, reverse("staffing:proposal", args=[draft.pk]), "tidak lagi menjadi calon")

    def test_an_ineligible_candidate_is_shown_failing_and_refused_with_the_rules_failed(self) -> None:
        draft = self.draft()
        young = self.official(draft, education="d3")
        url = reverse("staffing:proposal", args=[draft.pk])
        preview = self.get(self.bkpsdm, url, {"cari": young.name, "pratinjau": young.pk})
        self.assertFalse(preview.context["preview"]["eligible"])
        self.assertContains(preview, "Belum memenuhi syarat: tidak dapat ditambahkan sebagai calon.")
        self.assertContains(preview, "Tidak memenuhi</strong> · Pendidikan paling rendah S-1/D-IV")
        self.assertNotContains(preview, "Tambahkan sebagai calon")
        response = self.act(self.bkpsdm, draft, "calon", {"employee": young.pk})
        self.assertRefused(response, f"{young.full_name} belum memenuhi syarat", "Pendidikan paling rendah S-1/D-IV")
        self.assertContains(response, f'data-preview="{young.pk}"')  # the checks stay in view
        self.assertFalse(ProposalCandidate.objects.exists())

    def test_bkpsdm_submits_and_the_step_shows_its_ledger_receipt(self) -> None:
        draft = self.draft()
        self.with_candidate(draft)
        response = self.act(self.bkpsdm, draft, "ajukan")
        self.assertEqual(self.status_of(draft), S.SUBMITTED)
        self.assertFlash(response, reverse("staffing:proposal", args=[draft.pk]), "memakai satu tempat kuota")
        step = ProposalStep.objects.get(proposal=draft)
        entry = LedgerEntry.objects.get(subject_type="staffing.proposalstep", subject_id=str(step.pk))
        page = self.get(self.health_head, reverse("staffing:proposal", args=[draft.pk]))
        self.assertContains(page, reverse("core:verify", args=[ledger.format_receipt_code(entry.receipt_code)]))
        self.assertContains(page, "BKPSDM / BKPPD")  # who, by role
        self.assertContains(page, "17 Oktober 2024")
        self.assertContains(page, "eselon II")

    def test_a_submission_over_the_quota_is_refused_at_the_top_naming_the_quota_count_and_holders(self) -> None:
        holders = [self.submitted(name=f"Kepala Badan {n}") for n in ("Satu", "Dua")]
        third = self.draft(name="Kepala Badan Tiga")
        entries = LedgerEntry.objects.count()
        response = self.act(self.bkpsdm, third, "ajukan")
        self.assertRefused(
            response,
            "Kuota eselon II periode Masa pra-Pilkada 2024 sudah penuh: 2 dari 2 usulan terpakai",
            "Arahan Kemendagri, Juli 2024",
            f"#{holders[0].pk} Kepala Badan Satu (Dinkes)",
            f"#{holders[1].pk} Kepala Badan Dua (Dinkes)",
        )
        body = response.content.decode()
        self.assertLess(body.index("data-refusal"), body.index('id="ringkasan"'))  # at the top
        self.assertEqual(self.status_of(third), S.DRAFT)
        self.assertEqual(LedgerEntry.objects.count(), entries)
        # Withdrawing a holder frees the place, as the period says.
        self.act(self.bkpsdm, holders[0], "tarik", {"reason": "Pejabat definitif kembali."})
        self.assertEqual(self.act(self.bkpsdm, third, "ajukan").status_code, 302)
        self.assertEqual(self.status_of(third), S.SUBMITTED)

    def test_sekda_then_wali_kota_approve_with_a_confirmation(self) -> None:
        proposal = self.submitted()
        unconfirmed = self.act(self.sekda, proposal, "setujui")
        self.assertRefused(unconfirmed, "Centang pernyataan persetujuan dulu.")
        self.assertEqual(self.status_of(proposal), S.SUBMITTED)
        self.assertEqual(self.act(self.mayor, proposal, "setujui", {"confirm": "on"}).status_code, 200)
        self.assertEqual(self.status_of(proposal), S.SUBMITTED)  # not the mayor's step yet
        response = self.act(self.sekda, proposal, "setujui", {"confirm": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.status_of(proposal), S.SEKDA)
        response = self.act(self.mayor, proposal, "setujui", {"confirm": "on"})
        self.assertEqual(self.status_of(proposal), S.WALI_KOTA)
        page = self.client_as(self.mayor).get(response["Location"])
        self.assertContains(page, "disetujui Wali Kota")
        roles = [t["role"] for t in page.context["timeline"]]
        self.assertEqual([str(r) for r in roles], ["BKPSDM / BKPPD", "Sekda", "Wali Kota"])

    def test_an_acting_official_may_not_approve(self) -> None:
        proposal = self.submitted()
        sekda_employee = Employee.objects.get(user=self.sekda)
        vacancy = self.vacancy("jpt_pratama")
        sekda_post = Position.objects.create(
            opd=self.setda, name="Sekretaris Daerah", level="jpt_pratama", grade="II.a"
        )
        Employee.objects.filter(pk=sekda_employee.pk).update(position=sekda_post)
        acting.assign_acting(vacancy, sekda_employee, "plt", TODAY, dt.date(2024, 12, 31), by=self.bkpsdm)
        response = self.act(self.sekda, proposal, "setujui", {"confirm": "on"})
        self.assertContains(response, "tidak berwenang mengangkat pegawai dalam jabatan", status_code=403)
        self.assertEqual(self.status_of(proposal), S.SUBMITTED)

    def test_bkpsdm_sends_to_kemendagri_and_the_letter_link_appears(self) -> None:
        proposal = self.at_mayor()
        self.with_candidate(proposal)
        page = self.get(self.bkpsdm, reverse("staffing:proposal", args=[proposal.pk]))
        self.assertContains(page, reverse("staffing:request_letter", args=[proposal.pk]))
        self.assertContains(page, "Catat pengiriman ke Kemendagri")
        response = self.act(self.bkpsdm, proposal, "kirim", {"letter_number": "800/123/BKPSDM/2024"})
        self.assertEqual(self.status_of(proposal), S.SENT)
        self.assertFlash(response, reverse("staffing:proposal", args=[proposal.pk]), "800/123/BKPSDM/2024")
        draft = self.draft()
        self.assertNotContains(
            self.get(self.bkpsdm, reverse("staffing:proposal", args=[draft.pk])),
            reverse("staffing:request_letter", args=[draft.pk]),
        )
        self.get(self.bkpsdm, reverse("staffing:request_letter", args=[draft.pk]), status=404)

    def test_a_decision_out_of_order_or_without_its_letter_is_refused(self) -> None:
        submitted = self.submitted()
        early = self.act(
            self.bkpsdm,
            submitted,
            "keputusan",
            {"decision": "disetujui", "letter_number": "100.2/1/SJ", "letter_date": "2024-10-16"},
        )
        self.assertRefused(early, "Usulan ini berstatus Diajukan BKPSDM; pencatatan keputusan Kemendagri tidak bisa")
        self.assertEqual(self.status_of(submitted), S.SUBMITTED)
        sent = self.sent()
        unsigned = self.act(self.bkpsdm, sent, "keputusan", {"decision": "disetujui"})
        self.assertRefused(unsigned, "Catat nomor dan tanggal surat Kemendagri")
        self.assertContains(unsigned, 'id="id_keputusan_decision_0" checked')  # the choice is kept
        self.assertEqual(self.status_of(sent), S.SENT)
        undecided = self.act(self.bkpsdm, sent, "keputusan", {"letter_number": "100.2/1/SJ"})
        self.assertRefused(undecided, "Pilih: disetujui atau ditolak.")
        response = self.act(
            self.bkpsdm,
            sent,
            "keputusan",
            {"decision": "disetujui", "letter_number": "100.2/1/SJ", "letter_date": "2024-10-16"},
        )
        self.assertEqual(response.status_code, 302)
        fresh = Proposal.objects.get(pk=sent.pk)
        self.assertEqual((fresh.status, fresh.mendagri_letter_number), (S.APPROVED, "100.2/1/SJ"))

    def test_a_rejection_is_recorded(self) -> None:
        sent = self.sent()
        self.act(
            self.bkpsdm,
            sent,
            "keputusan",
            {"decision": "ditolak", "letter_number": "100.2/2/SJ", "letter_date": "2024-10-16"},
        )
        self.assertEqual(self.status_of(sent), S.REJECTED)

    def test_an_appointment_without_the_ministers_approval_is_refused(self) -> None:
        proposal = self.at_mayor()
        self.with_candidate(proposal)
        self.assertNotContains(
            self.get(self.bkpsdm, reverse("staffing:proposal", args=[proposal.pk])), 'data-form="sk"'
        )
        response = self.act(
            self.bkpsdm, proposal, "sk", {"decree_number": "SK 821/1/2024", "decree_date": "2024-10-17"}
        )
        self.assertRefused(response, "perlu persetujuan tertulis Mendagri", "UU 10/2016 Pasal 71 ayat (2)")
        self.assertEqual(self.status_of(proposal), S.WALI_KOTA)
        self.assertIsNone(Vacancy.objects.get(pk=proposal.vacancy_id).filled_on)

    def test_a_pengawas_needs_no_approval_and_is_appointed_after_the_wali_kota(self) -> None:
        proposal = self.at_mayor("pengawas")
        official = self.with_candidate(proposal)
        page = self.get(self.bkpsdm, reverse("staffing:proposal", args=[proposal.pk]))
        self.assertContains(page, 'data-form="sk"')
        self.act(
            self.bkpsdm,
            proposal,
            "sk",
            {"appointee": official.pk, "decree_number": "SK 821/2/2024", "decree_date": "2024-10-17"},
        )
        self.assertEqual(self.status_of(proposal), S.APPOINTED)

    def test_bkpsdm_records_the_appointment_and_its_report_to_kemendagri(self) -> None:
        proposal = self.approved()
        official = self.with_candidate(proposal)
        url = reverse("staffing:proposal", args=[proposal.pk])
        form = self.get(self.bkpsdm, url).context["forms"]["sk"]
        self.assertEqual(form.initial["appointee"], official.pk)  # the only candidate, chosen already
        nodecree = self.act(self.bkpsdm, proposal, "sk", {"appointee": official.pk})
        self.assertRefused(nodecree, "Catat nomor dan tanggal SK pengangkatan.")
        self.assertEqual(self.status_of(proposal), S.APPROVED)
        stranger = self.official(proposal)
        wrong = self.act(
            self.bkpsdm,
            proposal,
            "sk",
            {"appointee": stranger.pk, "decree_number": "SK 1", "decree_date": "2024-10-17"},
        )
        self.assertRefused(wrong, "Yang diangkat harus salah satu calon dalam usulan ini.")
        response = self.act(
            self.bkpsdm,
            proposal,
            "sk",
            {"appointee": official.pk, "decree_number": "SK 821/3/2024", "decree_date": "2024-10-17"},
        )
        self.assertFlash(response, url, "SK pengangkatan tercatat")
        self.assertEqual(self.status_of(proposal), S.APPOINTED)
        self.assertEqual(Vacancy.objects.get(pk=proposal.vacancy_id).filled_on, TODAY)
        page = self.get(self.bkpsdm, url)
        self.assertContains(page, "paling lambat")
        self.assertContains(page, 'data-form="laporan"')
        self.act(self.bkpsdm, proposal, "laporan", {"reported_on": "2024-10-17", "letter_number": "800/9/BKPSDM"})
        fresh = Proposal.objects.get(pk=proposal.pk)
        self.assertEqual((fresh.reported_on, fresh.report_letter_number), (TODAY, "800/9/BKPSDM"))
        self.assertContains(self.get(self.bkpsdm, url), "Pengangkatan dilaporkan ke Kemendagri")

    def test_a_withdrawal_needs_a_reason(self) -> None:
        proposal = self.submitted()
        response = self.act(self.bkpsdm, proposal, "tarik", {"reason": "  "})
        self.assertRefused(response, "Tuliskan alasan penarikan usulan.")
        self.assertEqual(self.status_of(proposal), S.SUBMITTED)
        response = self.act(self.bkpsdm, proposal, "tarik", {"reason": "Pejabat definitif kembali."})
        self.assertEqual(self.status_of(proposal), S.WITHDRAWN)
        self.assertFlash(response, reverse("staffing:proposal", args=[proposal.pk]), "tempat kuotanya kembali")
        page = self.get(self.bkpsdm, reverse("staffing:proposal", args=[proposal.pk]))
        self.assertNotContains(page, 'data-form="tarik"')
        self.assertContains(page, "Selesai: usulan ditarik.")

    @staticmethod
    def letters_written() -> bool:
        return importlib.util.find_spec("pamong.staffing.letters") is not None

    def test_the_request_letter_downloads_as_a_pdf(self) -> None:
        if not self.letters_written():
            self.skipTest("pamong.staffing.letters belum ada")
        proposal = self.at_mayor()
        self.with_candidate(proposal)
        response = self.get(self.sekda, reverse("staffing:request_letter", args=[proposal.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"%PDF"))


# --- policy periods ---------------------------------------------------------------------------------------


class PeriodTests(StaffingPagesCase):
    NEW: dict[str, Any] = {
        "code": "pasca-pilkada-2025",
        "name": "Masa sesudah pelantikan 2025",
        "starts_on": "2025-02-21",
        "approval_levels": ["jpt_pratama"],
        "quota_0_label": "Eselon II",
        "quota_0_levels": ["jpt_pratama"],
        "quota_0_limit": "5",
        "quota_1_label": "Eselon III dan IV",
        "quota_1_levels": ["administrator", "pengawas"],
        "quota_1_limit": "20",
        "quota_source": "Surat Mendagri 2025",
        "frees_on_withdrawal": "on",
        "reason": "Arahan baru",
    }

    def test_the_page_shows_each_period_with_its_rules_and_versions(self) -> None:
        services.revise_period(
            CODE, by=self.bkpsdm, reason="Surat Mendagri 14 Agustus 2024", quotas=[dict(QUOTAS[0], limit=3), QUOTAS[1]]
        )
        self.submitted()
        page = self.get(self.mayor, reverse("staffing:periods"))
        body = page.content.decode()
        self.assertIn("berlaku hari ini", body)
        self.assertIn("JPT Pratama (eselon II), Administrator (eselon III)", body)
        self.assertIn("Surat Mendagri 14 Agustus 2024", body)
        self.assertIn("Kuota usulan", body)  # what changed
        self.assertIn("eselon II (JPT Pratama (eselon II)) paling banyak 2", body)
        self.assertIn("eselon II (JPT Pratama (eselon II)) paling banyak 3", body)
        self.assertIn(self.bkpsdm.full_name, body)  # who
        quota = page.context["groups"][0]["quotas"][0]
        self.assertEqual((quota.used, quota.limit), (1, 3))

    def test_bkpsdm_creates_a_period_with_quota_rows(self) -> None:
        response = self.post(self.bkpsdm, reverse("staffing:periods"), self.NEW)
        period = PolicyPeriod.objects.get(code="pasca-pilkada-2025")
        self.assertEqual(
            period.quotas,
            [
                {"code": "eselon_ii", "label": "Eselon II", "levels": ["jpt_pratama"], "limit": 5},
                {
                    "code": "eselon_iii_dan_iv",
                    "label": "Eselon III dan IV",
                    "levels": ["administrator", "pengawas"],
                    "limit": 20,
                },
            ],
        )
        self.assertEqual(
            (period.approval_levels, period.frees_on_withdrawal, period.frees_on_rejection),
            (["jpt_pratama"], True, False),
        )
        self.assertEqual((period.version, period.created_by), (1, self.bkpsdm))
        self.assertFlash(response, reverse("staffing:periods"), "ditetapkan (versi 1)")

    def test_a_bad_period_is_refused_and_nothing_is_saved(self) -> None:
        overlapping = dict(self.NEW, quota_1_levels=["jpt_pratama", "pengawas"])
        self.assertRefused(
            self.post(self.bkpsdm, reverse("staffing:periods"), overlapping),
            "Satu jenjang hanya boleh masuk satu kelompok kuota.",
        )
        no_limit = dict(self.NEW, quota_0_limit="")
        self.assertRefused(self.post(self.bkpsdm, reverse("staffing:periods"), no_limit), "Isi batas usulan")
        backwards = dict(self.NEW, ends_on="2025-01-01")
        self.assertRefused(
            self.post(self.bkpsdm, reverse("staffing:periods"), backwards),
            "Tanggal berakhir tidak boleh sebelum tanggal mulai.",
        )
        taken = dict(self.NEW, code=CODE)
        self.assertRefused(self.post(self.bkpsdm, reverse("staffing:periods"), taken), "Kode periode sudah dipakai")
        self.assertEqual(PolicyPeriod.objects.count(), 1)

    def test_a_revision_needs_a_reason_and_keeps_the_quota_codes(self) -> None:
        url = reverse("staffing:period_revise", args=[CODE])
        form = self.get(self.bkpsdm, url).context["form"]
        self.assertEqual(form.initial["quota_0_code"], "eselon_ii")
        data = {
            "name": "Masa pra-Pilkada 2024",
            "starts_on": "2024-03-22",
            "ends_on": "2025-02-20",
            "approval_levels": ["jpt_pratama", "administrator"],
            "quota_0_code": "eselon_ii",
            "quota_0_label": "JPT Pratama",  # renamed: the code stays, so places already taken still count
            "quota_0_levels": ["jpt_pratama"],
            "quota_0_limit": "3",
            "quota_1_code": "eselon_iii_iv",
            "quota_1_label": "eselon III dan IV",
            "quota_1_levels": ["administrator", "pengawas"],
            "quota_1_limit": "15",
            "others_from": "2024-12-01",
            "frees_on_withdrawal": "on",
            "reason": "",
        }
        response = self.post(self.bkpsdm, url, data)
        self.assertRefused(response, "Tuliskan alasan perubahan periode kebijakan.")
        self.assertContains(response, 'value="JPT Pratama"')
        self.assertEqual(PolicyPeriod.objects.filter(code=CODE).count(), 1)
        response = self.post(self.bkpsdm, url, dict(data, reason="Surat Mendagri 14 Agustus 2024"))
        self.assertFlash(response, reverse("staffing:periods"), "versi 2 berlaku")
        latest = services.current_version(CODE)
        assert latest is not None
        self.assertEqual(
            latest.quotas[0], {"code": "eselon_ii", "label": "JPT Pratama", "levels": ["jpt_pratama"], "limit": 3}
        )
        self.assertEqual(latest.reason, "Surat Mendagri 14 Agustus 2024")


# --- acting officials -------------------------------------------------------------------------------------------


class ActingListTests(StaffingPagesCase):
    def test_the_coverage_report_and_the_assignments_per_opd_and_level(self) -> None:
        assignment = acting.assign_acting(
            self.secretary,
            self.health_head_employee,
            "plt",
            dt.date(2024, 10, 1),
            dt.date(2024, 12, 31),
            by=self.bkpsdm,
        )
        ended_vacancy = self.vacancy("administrator")
        make_employee(self.health, "Kepala Bidang Lain")
        acting.assign_acting(
            ended_vacancy, self.health_head_employee, "plh", dt.date(2024, 9, 2), dt.date(2024, 9, 30), by=self.bkpsdm
        )
        response = self.get(self.inspector, reverse("staffing:acting"))
        rows = {(r.opd_id, r.level): (r.open, r.covered, r.uncovered) for r in response.context["coverage"].rows}
        self.assertEqual(rows[(self.health.pk, "administrator")], (2, 1, 1))
        self.assertEqual(rows[(self.schools.pk, "jpt_pratama")], (1, 0, 1))
        self.assertEqual([r["assignment"] for r in response.context["rows"]], [assignment])
        everything = self.get(self.inspector, reverse("staffing:acting"), {"keadaan": "semua"})
        self.assertEqual(len(everything.context["rows"]), 2)
        self.assertContains(everything, "berakhir")
