"""The staffing API as a specification: real requests with a bearer token, the whole proposal chain,
the quota refusal at POST /proposals/{id}/submit, and who sees and does what.

The city lives on 17 October 2024, inside the pre-election period and before the queue date
(1 December 2024): eselon II ≤ 3 and eselon III + IV ≤ 15 proposals, the Minister's written approval
needed for every structural level.
"""

import datetime as dt
import io
from typing import Any

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import PASSWORD, CastMixin, make_employee, make_user
from pamong.core.workdays import add_working_days
from pamong.organisation.models import Employee, Position, User
from pamong.organisation.services import issue_api_token
from pamong.organisation.tests.test_auth import current_code
from pamong.staffing import acting, services
from pamong.staffing.models import (
    ActingAssignment,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    Vacancy,
)
from pamong.staffing.testing import qualified_official

API = "/api/v1/staffing"
S = Proposal.Status
CODE = "pra-pilkada-2024"
TODAY = dt.date(2024, 10, 17)
GRADES = {"jpt_pratama": "II.b", "administrator": "III.a", "pengawas": "IV.a"}
PERIOD: dict[str, Any] = {
    "code": CODE,
    "name": "Masa pra-Pilkada 2024",
    "starts_on": "2024-03-22",
    "ends_on": "2025-02-20",
    "approval_levels": ["jpt_pratama", "administrator", "pengawas"],
    "quotas": [
        {"code": "eselon_ii", "label": "eselon II", "levels": ["jpt_pratama"], "limit": 3},
        {"code": "eselon_iii_iv", "label": "eselon III dan IV", "levels": ["administrator", "pengawas"], "limit": 15},
    ],
    "quota_source": "Arahan Kemendagri kepada Pemda, Juli 2024",
    "others_from": "2024-12-01",
    "reason": "Arahan Kemendagri sebelum Pilkada",
}


@override_settings(PAMONG_BUSINESS_DATE="2024-10-17")
class StaffingApiCase(CastMixin, TestCase):
    make_period = True

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        if cls.make_period:
            fields = {k: v for k, v in PERIOD.items() if k not in {"code", "reason"}}
            for name in ("starts_on", "ends_on", "others_from"):
                fields[name] = dt.date.fromisoformat(fields[name])
            services.create_period(by=cls.bkpsdm, code=CODE, reason=PERIOD["reason"], **fields)

    def setUp(self) -> None:
        self.tokens: dict[int, str] = {}

    # --- requests ---

    def token(self, user: User) -> str:
        if user.pk not in self.tokens:
            self.tokens[user.pk] = issue_api_token(user).token
        return self.tokens[user.pk]

    def call(self, method: str, path: str, user: User | None, data: Any = None, **extra: Any):
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user is not None else {}
        send = getattr(self.client, method)
        if data is None:
            return send(API + path, headers=headers, **extra)
        if method == "get":
            return send(API + path, data, headers=headers, **extra)
        return send(API + path, data, content_type="application/json", headers=headers, **extra)

    def ok(self, method: str, path: str, user: User | None, data: Any = None, status: int = 200) -> Any:
        response = self.call(method, path, user, data)
        self.assertEqual(response.status_code, status, response.content)
        return response.json() if response.content else None

    # --- the world ---

    _posts = iter(range(1, 10**6))
    _people = iter(range(1, 10**6))

    def vacancy(self, level: str = "jpt_pratama", *, opd: Any = None, name: str = "") -> Vacancy:
        post = Position.objects.create(
            opd=opd or self.health, name=name or f"Kepala Bagian {next(self._posts)}", level=level, grade=GRADES[level]
        )
        return services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun", field="umum")

    def draft(self, level: str = "jpt_pratama", *, opd: Any = None, name: str = "", urgency=("pa_kpa",)) -> Proposal:
        return services.draft_proposal(
            self.vacancy(level, opd=opd, name=name), by=self.bkpsdm, urgency=list(urgency), justification="Mendesak."
        )

    def candidate(self, proposal: Proposal, **extra: Any) -> Employee:
        official = qualified_official(
            self.health,
            f"Calon {next(self._people)}",
            level=proposal.vacancy.position.level,
            field=proposal.vacancy.field,
            **extra,
        )
        services.add_candidate(proposal, official, by=self.bkpsdm)
        return official

    def submitted(self, level: str = "jpt_pratama", **kwargs: Any) -> Proposal:
        return services.submit_proposal(self.draft(level, **kwargs), by=self.bkpsdm)

    def up_to_mayor(self, level: str = "jpt_pratama", **kwargs: Any) -> Proposal:
        proposal = self.submitted(level, **kwargs)
        services.approve_by_sekda(proposal, by=self.sekda)
        return services.approve_by_mayor(proposal, by=self.mayor)

    def status_of(self, proposal: Proposal) -> str:
        return Proposal.objects.get(pk=proposal.pk).status


class ProposalChainTests(StaffingApiCase):
    make_period = False

    def test_bkpsdm_runs_a_proposal_from_the_period_to_the_appointment_through_the_api(self) -> None:
        # A real token from the login endpoint, second factor and all.
        device = self.bkpsdm.totpdevice_set.get()
        response = self.client.post(
            "/api/v1/auth/token",
            {"identity_number": self.bkpsdm.username, "password": PASSWORD, "otp_token": current_code(device)},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.tokens[self.bkpsdm.pk] = response.json()["token"]

        period = self.ok("post", "/periods", self.bkpsdm, PERIOD, status=201)
        self.assertEqual((period["code"], period["version"], period["is_latest"]), (CODE, 1, True))
        self.assertEqual(period["quotas"][0], {**PERIOD["quotas"][0], "used": 0, "left": 3})

        post = Position.objects.create(opd=self.health, name="Kepala Dinas Sosial", level="jpt_pratama", grade="II.b")
        vacancy = self.ok(
            "post",
            "/vacancies",
            self.bkpsdm,
            {"position_id": post.pk, "since": "2024-09-01", "reason": "pensiun", "field": "sosial"},
            status=201,
        )
        self.assertEqual(vacancy["position"]["level_label"], "JPT Pratama (eselon II)")
        self.assertEqual((vacancy["days_empty"], vacancy["field"]["code"], vacancy["acting"]), (46, "sosial", None))

        proposal = self.ok(
            "post",
            "/proposals",
            self.bkpsdm,
            {"vacancy_id": vacancy["id"], "urgency": ["pa_kpa", "layanan_terhenti"], "justification": "PA kosong."},
            status=201,
        )
        pid = proposal["id"]
        self.assertEqual(proposal["status"]["code"], S.DRAFT)
        self.assertEqual([u["code"] for u in proposal["urgency"]], ["layanan_terhenti", "pa_kpa"])
        self.assertEqual(proposal["candidates"], [])
        official = qualified_official(self.health, "Calon Kepala Dinsos", level="jpt_pratama", field="sosial")
        proposal = self.ok("post", f"/proposals/{pid}/candidates", self.bkpsdm, {"employee_id": official.pk}, 201)
        [candidate] = proposal["candidates"]
        self.assertEqual((candidate["employee_id"], candidate["eligible"]), (official.pk, True))
        self.assertTrue(candidate["checks"] and all(check["passed"] for check in candidate["checks"]))
        self.assertIn("PP 17/2020 Pasal 107", " ".join(check["source"] for check in candidate["checks"]))
        self.assertEqual(self.ok("get", f"/vacancies/{vacancy['id']}", self.bkpsdm)["live_proposal"]["id"], pid)

        proposal = self.ok("post", f"/proposals/{pid}/submit", self.bkpsdm)
        self.assertEqual((proposal["status"]["code"], proposal["quota_group"]), (S.SUBMITTED, "eselon_ii"))
        quota = self.ok("get", f"/periods/{CODE}", self.bkpsdm)["quotas"][0]
        self.assertEqual((quota["used"], quota["left"]), (1, 2))

        self.assertEqual(self.ok("post", f"/proposals/{pid}/approve", self.sekda)["status"]["code"], S.SEKDA)
        self.assertEqual(self.ok("post", f"/proposals/{pid}/approve", self.mayor)["status"]["code"], S.WALI_KOTA)
        proposal = self.ok("post", f"/proposals/{pid}/send", self.bkpsdm, {"letter_number": "800/123/BKPSDM/2024"})
        self.assertEqual(proposal["status"]["code"], S.SENT)
        self.assertEqual(proposal["letters"]["request_letter_number"], "800/123/BKPSDM/2024")
        self.assertTrue(proposal["letters"]["request_letter_url"].endswith(f"/proposals/{pid}/letter.pdf"))
        proposal = self.ok(
            "post",
            f"/proposals/{pid}/decision",
            self.bkpsdm,
            {"approved": True, "letter_number": "100.2.2.6/7001/SJ", "letter_date": "2024-10-16"},
        )
        self.assertEqual(proposal["letters"]["mendagri_letter_number"], "100.2.2.6/7001/SJ")
        self.assertEqual(proposal["letters"]["mendagri_letter_date"], "2024-10-16")
        proposal = self.ok(
            "post",
            f"/proposals/{pid}/appointment",
            self.bkpsdm,
            {"decree_number": "SK 821/001/2024", "decree_date": "2024-10-17"},
        )
        self.assertEqual(proposal["status"]["code"], S.APPOINTED)
        due = add_working_days(TODAY, 7).isoformat()
        self.assertEqual(
            proposal["decree"],
            {
                "number": "SK 821/001/2024",
                "date": "2024-10-17",
                "appointee": official.full_name,
                "report_due_on": due,
                "reported_on": None,
                "report_letter_number": "",
                "report_overdue": False,
            },
        )
        self.assertEqual(self.ok("get", f"/vacancies/{vacancy['id']}", self.bkpsdm)["filled_on"], "2024-10-17")
        # The appointment is reported to Kemendagri within 7 working days of the decree.
        unsigned = self.call("post", f"/proposals/{pid}/report", self.bkpsdm, {"reported_on": "2024-10-17"})
        self.assertEqual((unsigned.status_code, unsigned.json()["errors"][0]["field"]), (422, "letter_number"))
        report = {"letter_number": "800/130/BKPSDM/2024", "reported_on": "2024-10-17"}
        self.assertEqual(self.call("post", f"/proposals/{pid}/report", self.sekda, report).status_code, 403)
        proposal = self.ok("post", f"/proposals/{pid}/report", self.bkpsdm, report)
        self.assertEqual(
            (proposal["decree"]["reported_on"], proposal["decree"]["report_letter_number"]),
            ("2024-10-17", "800/130/BKPSDM/2024"),
        )
        self.assertEqual(proposal["steps"][-1]["facts"]["late"], False)
        twice = self.call("post", f"/proposals/{pid}/report", self.bkpsdm, report)
        self.assertEqual(twice.status_code, 409, twice.content)
        self.assertIn("sudah dicatat", twice.json()["detail"])

        # Every step is in the ledger, and the API shows each step's receipt and the role that took it.
        steps = proposal["steps"]
        self.assertEqual(
            [s["to_status"]["code"] for s in steps],
            [S.SUBMITTED, S.SEKDA, S.WALI_KOTA, S.SENT, S.APPROVED, S.APPOINTED, S.APPOINTED],
        )
        self.assertEqual(
            [s["by_role"]["code"] for s in steps],
            ["bkpsdm", "sekda", "wali_kota", "bkpsdm", "bkpsdm", "bkpsdm", "bkpsdm"],
        )
        entries = LedgerEntry.objects.filter(kind="staffing.proposal_step").order_by("index")
        self.assertEqual(
            [s["receipt_code"] for s in steps], [ledger.format_receipt_code(e.receipt_code) for e in entries]
        )
        self.assertEqual(
            [e.subject_id for e in entries],
            [str(pk) for pk in ProposalStep.objects.order_by("id").values_list("pk", flat=True)],
        )
        self.assertEqual(steps[-2]["facts"]["decree"], "SK 821/001/2024")


class QuotaTests(StaffingApiCase):
    def test_a_fourth_eselon_ii_submission_is_refused_with_409_naming_the_quota_and_its_holders(self) -> None:
        holders = [self.submitted(name=f"Kepala Badan {n}") for n in range(3)]
        fourth = self.draft(name="Kepala Badan Keempat")
        entries, steps = LedgerEntry.objects.count(), ProposalStep.objects.count()

        response = self.call("post", f"/proposals/{fourth.pk}/submit", self.bkpsdm)

        self.assertEqual(response.status_code, 409, response.content)
        detail = response.json()["detail"]
        self.assertIn("Kuota eselon II", detail)
        self.assertIn("3 dari 3 usulan terpakai", detail)
        self.assertIn(PERIOD["quota_source"], detail)
        for holder in holders:
            self.assertIn(f"#{holder.pk} {holder.vacancy.position.name}", detail)
        self.assertEqual(response.json()["errors"], [{"field": "", "message": detail}])
        # Nothing changed.
        fresh = Proposal.objects.get(pk=fourth.pk)
        self.assertEqual((fresh.status, fresh.counts_against_quota, fresh.submitted_on), (S.DRAFT, False, None))
        self.assertEqual((LedgerEntry.objects.count(), ProposalStep.objects.count()), (entries, steps))
        quota = self.ok("get", "/periods", self.sekda)["items"][0]["quotas"][0]
        self.assertEqual((quota["used"], quota["left"]), (3, 0))

    def test_a_withdrawn_proposal_gives_its_place_back_so_the_fourth_goes_through(self) -> None:
        first = self.submitted()
        for _n in range(2):
            self.submitted()
        fourth = self.draft()
        self.assertEqual(self.call("post", f"/proposals/{fourth.pk}/submit", self.bkpsdm).status_code, 409)
        missing = self.call("post", f"/proposals/{first.pk}/withdraw", self.bkpsdm, {"reason": " "})
        self.assertEqual(missing.status_code, 422, missing.content)
        self.assertEqual(missing.json()["errors"][0]["field"], "reason")
        withdrawn = self.ok(
            "post", f"/proposals/{first.pk}/withdraw", self.bkpsdm, {"reason": "Calon mengundurkan diri"}
        )
        self.assertEqual((withdrawn["status"]["code"], withdrawn["counts_against_quota"]), (S.WITHDRAWN, False))
        self.assertEqual(self.ok("post", f"/proposals/{fourth.pk}/submit", self.bkpsdm)["status"]["code"], S.SUBMITTED)

    def test_a_vacancy_without_urgency_waits_for_the_queue_date_409(self) -> None:
        draft = self.draft(urgency=())
        response = self.call("post", f"/proposals/{draft.pk}/submit", self.bkpsdm)
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("baru dapat diusulkan mulai 1 Desember 2024", response.json()["detail"])
        self.assertEqual(self.status_of(draft), S.DRAFT)

    def test_a_queued_vacancy_waits_until_the_period_date_and_the_list_filters_it(self) -> None:
        waiting = self.vacancy("pengawas")
        other = self.vacancy("pengawas")
        queued = self.ok("post", f"/vacancies/{waiting.pk}/queue", self.bkpsdm)
        self.assertEqual((queued["queued_until"], queued["released_on"]), ("2024-12-01", None))
        self.assertEqual(
            [v["id"] for v in self.ok("get", "/vacancies?queued=true", self.bkpsdm)["items"]], [waiting.pk]
        )
        self.assertNotIn(waiting.pk, [v["id"] for v in self.ok("get", "/vacancies?queued=false", self.bkpsdm)["items"]])
        self.assertIn(other.pk, [v["id"] for v in self.ok("get", "/vacancies?queued=false", self.bkpsdm)["items"]])
        self.assertEqual(self.call("post", f"/vacancies/{waiting.pk}/queue", self.health_head).status_code, 403)


class GateAndOrderTests(StaffingApiCase):
    def test_an_appointment_without_the_ministers_approval_is_refused(self) -> None:
        proposal = self.up_to_mayor()
        self.candidate(proposal)
        entries = LedgerEntry.objects.count()
        response = self.call(
            "post",
            f"/proposals/{proposal.pk}/appointment",
            self.bkpsdm,
            {"decree_number": "SK 821/009/2024", "decree_date": "2024-10-17"},
        )
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("perlu persetujuan tertulis Mendagri", response.json()["detail"])
        self.assertIn("UU 10/2016 Pasal 71", response.json()["detail"])
        fresh = Proposal.objects.get(pk=proposal.pk)
        self.assertEqual((fresh.status, fresh.decree_number), (S.WALI_KOTA, ""))
        self.assertEqual(LedgerEntry.objects.count(), entries)
        self.assertIsNone(Vacancy.objects.get(pk=proposal.vacancy_id).filled_on)

    def test_an_ineligible_candidate_is_refused_with_422_naming_the_rule(self) -> None:
        proposal = self.draft()
        too_old = qualified_official(self.health, "Pejabat Senior", birth_date=dt.date(1964, 1, 15), field="umum")
        response = self.call("post", f"/proposals/{proposal.pk}/candidates", self.bkpsdm, {"employee_id": too_old.pk})
        self.assertEqual(response.status_code, 422, response.content)
        body = response.json()
        self.assertIn("Pejabat Senior belum memenuhi syarat", body["detail"])
        self.assertIn("Usia paling tinggi 56 tahun", body["detail"])
        self.assertIn("PP 17/2020 Pasal 107", body["detail"])
        self.assertEqual(body["errors"][0]["field"], "employee_id")
        self.assertFalse(ProposalCandidate.objects.filter(proposal=proposal).exists())
        unknown = self.call("post", f"/proposals/{proposal.pk}/candidates", self.bkpsdm, {"employee_id": 10**8})
        self.assertEqual((unknown.status_code, unknown.json()["errors"][0]["field"]), (422, "employee_id"))

    def test_a_decision_out_of_order_is_409_and_one_without_its_letter_422(self) -> None:
        proposal = self.submitted()
        decision = {"approved": True, "letter_number": "100.2.2.6/7001/SJ", "letter_date": "2024-10-16"}
        early = self.call("post", f"/proposals/{proposal.pk}/decision", self.bkpsdm, decision)
        self.assertEqual(early.status_code, 409, early.content)
        self.assertIn("pencatatan keputusan Kemendagri tidak bisa dilakukan sekarang", early.json()["detail"])
        self.assertEqual(self.status_of(proposal), S.SUBMITTED)

        services.approve_by_sekda(proposal, by=self.sekda)
        services.approve_by_mayor(proposal, by=self.mayor)
        services.send_to_kemendagri(proposal, by=self.bkpsdm)
        no_letter = self.call("post", f"/proposals/{proposal.pk}/decision", self.bkpsdm, {"approved": False})
        self.assertEqual(no_letter.status_code, 422, no_letter.content)
        self.assertEqual(no_letter.json()["errors"][0]["field"], "letter_number")
        self.assertIn("Catat nomor dan tanggal surat Kemendagri", no_letter.json()["detail"])
        self.assertEqual(self.status_of(proposal), S.SENT)
        rejected = self.ok("post", f"/proposals/{proposal.pk}/decision", self.bkpsdm, {**decision, "approved": False})
        self.assertEqual(rejected["status"]["code"], S.REJECTED)

    def test_the_wrong_role_gets_403_with_an_indonesian_message_and_nothing_changes(self) -> None:
        draft = self.draft()
        submitted = self.submitted()
        cases = [
            (self.sekda, f"/proposals/{draft.pk}/submit", None),
            (self.health_head, f"/proposals/{submitted.pk}/approve", None),
            (self.bkpsdm, f"/proposals/{submitted.pk}/approve", None),
            (self.inspector, f"/proposals/{submitted.pk}/approve", None),
            (self.mayor, f"/proposals/{submitted.pk}/withdraw", {"reason": "Tidak jadi"}),
            (self.sekda, "/periods", {**PERIOD, "code": "lain"}),
        ]
        for user, path, data in cases:
            with self.subTest(user=user.username, path=path):
                response = self.call("post", path, user, data)
                self.assertEqual(response.status_code, 403, response.content)
                self.assertRegex(response.json()["detail"], r"wewenang|disetujui oleh Sekda")
        self.assertEqual((self.status_of(draft), self.status_of(submitted)), (S.DRAFT, S.SUBMITTED))
        self.assertFalse(PolicyPeriod.objects.filter(code="lain").exists())

    def test_the_wali_kota_cannot_approve_before_the_sekda(self) -> None:
        submitted = self.submitted()
        response = self.call("post", f"/proposals/{submitted.pk}/approve", self.mayor)
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("persetujuan Wali Kota tidak bisa dilakukan sekarang", response.json()["detail"])
        self.assertEqual(self.ok("post", f"/proposals/{submitted.pk}/approve", self.sekda)["status"]["code"], S.SEKDA)
        again = self.call("post", f"/proposals/{submitted.pk}/approve", self.sekda)
        self.assertEqual(again.status_code, 409, again.content)

    def test_an_acting_official_may_not_approve_an_appointment(self) -> None:
        # The Sekda also acts as Plt of a vacant post today: the SE forbids appointing in that capacity.
        vacant = self.vacancy()
        ActingAssignment.objects.create(
            vacancy=vacant,
            employee_id=self.sekda.employee_id,
            kind="plt",
            starts_on=dt.date(2024, 10, 1),
            ends_on=dt.date(2024, 12, 31),
        )
        submitted = self.submitted()
        response = self.call("post", f"/proposals/{submitted.pk}/approve", self.sekda)
        self.assertEqual(response.status_code, 403, response.content)
        self.assertIn("Pejabat Plt/Plh tidak berwenang", response.json()["detail"])
        self.assertEqual(self.status_of(submitted), S.SUBMITTED)


class ScopeTests(StaffingApiCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ours = services.submit_proposal(
            services.draft_proposal(
                services.open_vacancy(
                    Position.objects.create(
                        opd=cls.health, name="Kepala Bidang P2P", level="administrator", grade="III.a"
                    ),
                    by=cls.bkpsdm,
                    since=dt.date(2024, 8, 1),
                    reason="mutasi",
                ),
                by=cls.bkpsdm,
                urgency=["layanan_terhenti"],
                justification="Wabah DBD.",
            ),
            by=cls.bkpsdm,
        )
        official = qualified_official(cls.health, "Calon Kabid P2P", level="administrator", field="umum")
        services.add_candidate(cls.ours, official, by=cls.bkpsdm)
        cls.theirs_vacancy = services.open_vacancy(
            Position.objects.create(opd=cls.schools, name="Kepala Bidang SD", level="administrator", grade="III.a"),
            by=cls.bkpsdm,
            since=dt.date(2024, 9, 2),
            reason="pensiun",
        )
        cls.theirs = services.draft_proposal(cls.theirs_vacancy, by=cls.bkpsdm, urgency=["amanat_uu"], justification="")
        cls.pegawai = make_user(make_employee(cls.health, "Pegawai Saja"))

    def test_an_opd_head_sees_own_vacancies_and_proposals_but_never_the_candidates(self) -> None:
        vacancies = self.ok("get", "/vacancies", self.health_head)
        self.assertEqual([v["id"] for v in vacancies["items"]], [self.ours.vacancy_id])
        self.assertEqual(vacancies["items"][0]["live_proposal"]["id"], self.ours.pk)
        proposals = self.ok("get", "/proposals", self.health_head)
        self.assertEqual([p["id"] for p in proposals["items"]], [self.ours.pk])
        detail = self.ok("get", f"/proposals/{self.ours.pk}", self.health_head)
        self.assertNotIn("candidates", detail)
        self.assertNotIn("Calon Kabid P2P", str(detail))
        self.assertIsNone(detail["letters"]["request_letter_url"])
        self.assertEqual(detail["steps"][0]["to_status"]["code"], S.SUBMITTED)
        # Citywide roles see the candidates.
        for user in (self.bkpsdm, self.sekda, self.mayor, self.inspector):
            with self.subTest(user=user.username):
                [candidate] = self.ok("get", f"/proposals/{self.ours.pk}", user)["candidates"]
                self.assertEqual(candidate["name"], "Calon Kabid P2P")
                self.assertNotIn(candidate["name"], candidate["identity_masked"])

    def test_other_opd_objects_are_404_for_an_opd_head_and_an_operator(self) -> None:
        for user, path in [
            (self.health_head, f"/vacancies/{self.theirs_vacancy.pk}"),
            (self.health_head, f"/proposals/{self.theirs.pk}"),
            (self.health_head, f"/proposals/{self.theirs.pk}/submit"),
            (self.school_operator, f"/proposals/{self.ours.pk}"),
            (self.school_operator, f"/proposals/{self.ours.pk}/approve"),
            (self.school_operator, f"/vacancies/{self.ours.vacancy_id}/queue"),
            (self.bkpsdm, "/proposals/999999"),
        ]:
            with self.subTest(user=user.username, path=path):
                method = "post" if path.endswith(("submit", "approve", "queue")) else "get"
                response = self.call(method, path, user)
                self.assertEqual(response.status_code, 404, response.content)
                self.assertTrue(response.json()["detail"])
        self.assertEqual(self.status_of(self.theirs), S.DRAFT)

    def test_a_pegawai_only_user_gets_404_on_every_list(self) -> None:
        for user in (self.clerk, self.pegawai, self.witness, self.bkad):
            for path in ("/vacancies", "/proposals", "/periods", "/acting", "/coverage", f"/proposals/{self.ours.pk}"):
                with self.subTest(user=user.username, path=path):
                    response = self.call("get", path, user)
                    self.assertEqual(response.status_code, 404, response.content)
                    self.assertEqual(response.json()["detail"], "Data kepegawaian tidak tersedia untuk Anda.")
        response = self.call("post", f"/proposals/{self.ours.pk}/withdraw", self.clerk, {"reason": "x"})
        self.assertEqual(response.status_code, 404)

    def test_anonymous_gets_401(self) -> None:
        for method, path in [
            ("get", "/vacancies"),
            ("get", "/proposals"),
            ("get", f"/proposals/{self.ours.pk}"),
            ("post", f"/proposals/{self.ours.pk}/approve"),
            ("get", "/coverage"),
        ]:
            with self.subTest(path=path):
                response = self.call(method, path, None)
                self.assertEqual(response.status_code, 401, response.content)
                self.assertIn("Perlu masuk", response.json()["detail"])
        bogus = self.client.get(API + "/vacancies", headers={"Authorization": "Bearer palsu"})
        self.assertEqual(bogus.status_code, 401)

    def test_only_bkpsdm_checks_eligibility_and_nothing_is_saved(self) -> None:
        official = qualified_official(self.schools, "Calon Lain", level="administrator", field="umum")
        path = f"/proposals/{self.theirs.pk}/eligibility?employee_id={official.pk}"
        result = self.ok("get", path, self.bkpsdm)
        self.assertEqual((result["eligible"], result["message"]), (True, ""))
        self.assertFalse(ProposalCandidate.objects.filter(proposal=self.theirs).exists())
        young = make_employee(self.schools, "Staf Muda", education="sma")
        failed = self.ok("get", f"/proposals/{self.theirs.pk}/eligibility?employee_id={young.pk}", self.bkpsdm)
        self.assertFalse(failed["eligible"])
        self.assertIn("Staf Muda belum memenuhi syarat", failed["message"])
        self.assertIn("education", [c["code"] for c in failed["checks"] if not c["passed"]])
        self.assertEqual(self.call("get", path, self.sekda).status_code, 403)
        self.assertEqual(
            self.call("get", f"/proposals/{self.ours.pk}/eligibility?employee_id=1", self.school_operator).status_code,
            404,
        )
        self.assertEqual(self.call("get", f"/proposals/{self.theirs.pk}/eligibility", self.bkpsdm).status_code, 422)

    def test_a_candidate_is_removed_by_bkpsdm_only(self) -> None:
        candidate = ProposalCandidate.objects.get(proposal=self.ours)
        path = f"/proposals/{self.ours.pk}/candidates/{candidate.pk}"
        self.assertEqual(self.call("delete", path, self.health_head).status_code, 404)
        self.assertEqual(self.call("delete", path, self.sekda).status_code, 403)
        self.assertEqual(self.call("delete", path, self.bkpsdm).status_code, 204)
        self.assertFalse(ProposalCandidate.objects.filter(pk=candidate.pk).exists())
        self.assertEqual(self.call("delete", path, self.bkpsdm).status_code, 404)

    def test_lists_filter_by_status_period_opd_and_level(self) -> None:
        def ids(path: str) -> list[int]:
            return [row["id"] for row in self.ok("get", path, self.bkpsdm)["items"]]

        self.assertEqual(ids("/proposals?status=draf"), [self.theirs.pk])
        self.assertEqual(ids(f"/proposals?opd={self.health.pk}"), [self.ours.pk])
        self.assertEqual(ids(f"/proposals?period={CODE}"), [self.theirs.pk, self.ours.pk])
        self.assertEqual(ids("/proposals?period=lain"), [])
        self.assertEqual(ids(f"/vacancies?opd={self.schools.pk}"), [self.theirs_vacancy.pk])
        self.assertEqual(ids("/vacancies?level=jpt_pratama"), [])
        self.assertEqual(ids("/vacancies?open=false"), [])
        self.assertEqual(len(ids("/vacancies?open=true")), 2)
        bad = self.call("get", "/proposals?status=entah", self.bkpsdm)
        self.assertEqual(bad.status_code, 422, bad.content)

    def test_list_pages_do_not_grow_queries_with_rows(self) -> None:
        def count(path: str) -> int:
            self.call("get", path, self.bkpsdm)  # the token's last use is written once
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.call("get", path, self.bkpsdm).status_code, 200)
            return len(queries)

        before = {path: count(path) for path in ("/vacancies", "/proposals", "/acting")}
        for n in range(3):
            proposal = self.draft("pengawas", name=f"Kepala Seksi {n}")
            official = make_employee(self.health, f"Plt {n}", position=self.health_secretary_post)
            acting.assign_acting(
                proposal.vacancy, official, "plt", dt.date(2024, 10, 1), dt.date(2024, 12, 31), by=self.bkpsdm
            )
        after = {path: count(path) for path in before}
        self.assertEqual(after, before)


class PeriodTests(StaffingApiCase):
    def test_a_revision_needs_a_reason_and_makes_a_new_version_with_history(self) -> None:
        path = f"/periods/{CODE}/revisions"
        missing = self.call("post", path, self.bkpsdm, {"others_from": "2025-01-02"})
        self.assertEqual(missing.status_code, 422, missing.content)
        self.assertEqual(missing.json()["errors"][0]["field"], "reason")
        blank = self.call("post", path, self.bkpsdm, {"reason": "  ", "others_from": "2025-01-02"})
        self.assertEqual(blank.status_code, 422, blank.content)
        self.assertIn("Tuliskan alasan perubahan", blank.json()["detail"])
        self.assertEqual(PolicyPeriod.objects.filter(code=CODE).count(), 1)

        quotas = [dict(PERIOD["quotas"][0], limit=2), PERIOD["quotas"][1]]
        revised = self.ok("post", path, self.bkpsdm, {"reason": "Surat Mendagri 14 Agustus", "quotas": quotas}, 201)
        self.assertEqual((revised["version"], revised["reason"]), (2, "Surat Mendagri 14 Agustus"))
        self.assertEqual(revised["quotas"][0]["limit"], 2)
        self.assertEqual(revised["others_from"], "2024-12-01")  # carried over
        self.assertEqual([h["version"] for h in revised["history"]], [1])
        self.assertFalse(revised["history"][0]["is_latest"])
        self.assertEqual(revised["history"][0]["quotas"][0]["limit"], 3)
        listed = self.ok("get", f"/periods?code={CODE}", self.health_head)["items"]
        self.assertEqual([p["version"] for p in listed], [2, 1])
        cleared = self.ok("post", path, self.bkpsdm, {"reason": "Tanpa antrean", "others_from": None}, 201)
        self.assertIsNone(cleared["others_from"])
        self.assertEqual(
            self.call("post", "/periods/tidak-ada/revisions", self.bkpsdm, {"reason": "x"}).status_code, 404
        )
        self.assertEqual(self.call("get", "/periods/tidak-ada", self.bkpsdm).status_code, 404)

    def test_a_period_with_unknown_levels_or_a_used_code_is_422(self) -> None:
        used = self.call("post", "/periods", self.bkpsdm, PERIOD)
        self.assertEqual((used.status_code, used.json()["errors"][0]["field"]), (422, "code"))
        bad_levels = self.call(
            "post", "/periods", self.bkpsdm, {**PERIOD, "code": "baru", "approval_levels": ["menteri"]}
        )
        self.assertEqual((bad_levels.status_code, bad_levels.json()["errors"][0]["field"]), (422, "approval_levels"))
        backwards = self.call("post", "/periods", self.bkpsdm, {**PERIOD, "code": "baru", "ends_on": "2024-01-01"})
        self.assertEqual((backwards.status_code, backwards.json()["errors"][0]["field"]), (422, "ends_on"))
        self.assertFalse(PolicyPeriod.objects.filter(code="baru").exists())


class BadInputTests(StaffingApiCase):
    def test_bad_json_and_missing_fields_get_an_indonesian_message_never_a_500(self) -> None:
        headers = {"Authorization": f"Bearer {self.token(self.bkpsdm)}"}
        proposal = self.draft()
        broken = self.client.post(API + "/proposals", "{nope", content_type="application/json", headers=headers)
        # The API answers unparseable JSON with 400 everywhere (pamong/api.py), in Indonesian.
        self.assertEqual(broken.status_code, 400, broken.content)
        self.assertEqual(broken.json()["detail"], "Isi permintaan bukan JSON yang sah.")
        for path, data, field in [
            ("/proposals", {}, "vacancy_id"),
            ("/vacancies", {"position_id": 1, "reason": "pensiun"}, "since"),
            ("/vacancies", {"position_id": 1, "since": "kemarin", "reason": "pensiun"}, "since"),
            ("/acting", {"vacancy_id": proposal.vacancy_id}, "employee_id"),
            (f"/proposals/{proposal.pk}/decision", {"letter_number": "1"}, "approved"),
            (f"/proposals/{proposal.pk}/candidates", {"employee_id": "satu"}, "employee_id"),
            ("/periods", {"code": "x"}, "name"),
        ]:
            with self.subTest(path=path, data=data):
                response = self.call("post", path, self.bkpsdm, data)
                self.assertEqual(response.status_code, 422, response.content)
                body = response.json()
                self.assertIn("periksa isian", body["detail"])
                self.assertIn(field, [e["field"] for e in body["errors"]])

    def test_service_refusals_name_the_request_fields(self) -> None:
        post = Position.objects.create(opd=self.health, name="Pelaksana", level="pelaksana")
        for data, field in [
            ({"position_id": 10**8, "since": "2024-09-01", "reason": "pensiun"}, "position_id"),
            ({"position_id": post.pk, "since": "2024-09-01", "reason": "pensiun"}, "position_id"),
            ({"position_id": self.health_head_post.pk, "since": "2024-09-01", "reason": "bosan"}, "reason"),
            ({"position_id": self.health_head_post.pk, "since": "2024-11-01", "reason": "pensiun"}, "since"),
        ]:
            with self.subTest(data=data):
                response = self.call("post", "/vacancies", self.bkpsdm, data)
                self.assertEqual(response.status_code, 422, response.content)
                self.assertEqual(response.json()["errors"][0]["field"], field)
        self.assertFalse(Vacancy.objects.exists())
        fresh = self.vacancy()
        unknown = self.call("post", "/proposals", self.bkpsdm, {"vacancy_id": fresh.pk, "urgency": ["entah"]})
        self.assertEqual(unknown.status_code, 422, unknown.content)
        self.assertEqual(unknown.json()["errors"][0]["field"], "urgency")
        taken = self.draft()
        again = self.call("post", "/proposals", self.bkpsdm, {"vacancy_id": taken.vacancy_id, "urgency": ["pa_kpa"]})
        self.assertEqual((again.status_code, again.json()["errors"][0]["field"]), (422, "vacancy_id"))
        self.assertEqual(Proposal.objects.filter(vacancy=taken.vacancy).count(), 1)

    def test_the_openapi_document_lists_the_staffing_paths(self) -> None:
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        for path in (
            "/api/v1/staffing/vacancies",
            "/api/v1/staffing/periods/{code}/revisions",
            "/api/v1/staffing/proposals/{proposal_id}/submit",
            "/api/v1/staffing/proposals/{proposal_id}/approve",
            "/api/v1/staffing/proposals/{proposal_id}/letter.pdf",
            "/api/v1/staffing/acting/{assignment_id}/extend",
            "/api/v1/staffing/coverage",
        ):
            self.assertIn(path, paths)
        submit = paths["/api/v1/staffing/proposals/{proposal_id}/submit"]["post"]
        self.assertIn("kuota", submit["description"])
        self.assertIn("409", submit["responses"])


class ActingApiTests(StaffingApiCase):
    def test_bkpsdm_assigns_and_extends_a_plt_and_the_coverage_report_counts_it(self) -> None:
        covered = self.vacancy("pengawas", name="Kepala Seksi Surveilans")
        self.vacancy("pengawas", opd=self.schools, name="Kepala Seksi Kurikulum")
        official = make_employee(self.health, "Sekretaris Dinkes", position=self.health_secretary_post)
        body = {
            "vacancy_id": covered.pk,
            "employee_id": official.pk,
            "kind": "plt",
            "starts_on": "2024-10-01",
            "ends_on": "2024-12-31",
        }
        self.assertEqual(self.call("post", "/acting", self.health_head, body).status_code, 403)
        too_long = self.call("post", "/acting", self.bkpsdm, {**body, "ends_on": "2025-02-01"})
        self.assertEqual(too_long.status_code, 422, too_long.content)
        self.assertIn("paling lama 3 bulan", too_long.json()["detail"])
        assignment = self.ok("post", "/acting", self.bkpsdm, body, status=201)
        self.assertEqual((assignment["kind"]["code"], assignment["current"]), ("plt", True))
        self.assertEqual(
            assignment["employee"],
            {"id": official.pk, "name": official.full_name, "position": "Sekretaris Dinas Kesehatan"},
        )
        entry = LedgerEntry.objects.get(kind="staffing.acting")
        self.assertEqual(assignment["receipt_code"], ledger.format_receipt_code(entry.receipt_code))
        overlap = self.call("post", "/acting", self.bkpsdm, {**body, "kind": "plh", "starts_on": "2024-11-01"})
        self.assertEqual(overlap.status_code, 409, overlap.content)
        self.assertIn("sudah dijabat", overlap.json()["detail"])

        row = self.ok("get", f"/vacancies/{covered.pk}", self.health_head)
        self.assertEqual(row["acting"]["employee_name"], official.full_name)
        self.assertEqual((row["acting"]["kind"], row["acting"]["ends_on"]), ("plt", "2024-12-31"))

        extended = self.ok("post", f"/acting/{assignment['id']}/extend", self.bkpsdm, {"ends_on": "2025-03-31"})
        self.assertEqual(
            (extended["ends_on"], extended["first_ends_on"], extended["extended"]), ("2025-03-31", "2024-12-31", True)
        )
        self.assertEqual(extended["extension"]["from_ends_on"], "2024-12-31")
        twice = self.call("post", f"/acting/{assignment['id']}/extend", self.bkpsdm, {"ends_on": "2025-04-30"})
        self.assertEqual(twice.status_code, 409, twice.content)
        self.assertIn("hanya satu kali", twice.json()["detail"])

        self.assertEqual(
            [a["id"] for a in self.ok("get", "/acting?current=true", self.sekda)["items"]], [assignment["id"]]
        )
        self.assertEqual(self.ok("get", "/acting?current=false", self.sekda)["items"], [])
        self.assertEqual(self.ok("get", "/acting", self.school_operator)["items"], [])
        self.assertEqual(
            self.call(
                "post", f"/acting/{assignment['id']}/extend", self.school_operator, {"ends_on": "2025-03-31"}
            ).status_code,
            404,
        )

        report = self.ok("get", "/coverage", self.bkpsdm)
        self.assertEqual(report["on"], "2024-10-17")
        self.assertEqual(report["totals"], {"open": 2, "covered": 1, "uncovered": 1, "share": 0.5})
        self.assertEqual(
            {r["opd"]["name"]: r["covered"] for r in report["rows"]}, {"Dinas Kesehatan": 1, "Dinas Pendidikan": 0}
        )
        mine = self.ok("get", "/coverage", self.health_head)
        self.assertEqual([r["opd"]["id"] for r in mine["rows"]], [self.health.pk])
        self.assertEqual(mine["totals"], {"open": 1, "covered": 1, "uncovered": 0, "share": 1.0})
        before = self.ok("get", "/coverage?on=2024-09-15", self.bkpsdm)
        self.assertEqual(before["totals"]["covered"], 0)


class LetterTests(StaffingApiCase):
    def test_the_request_letter_is_a_pdf_for_citywide_roles_once_the_wali_kota_approved(self) -> None:
        submitted = self.submitted(name="Kepala Dinas Pariwisata")
        early = self.call("get", f"/proposals/{submitted.pk}/letter.pdf", self.bkpsdm)
        self.assertEqual(early.status_code, 409, early.content)
        self.assertIn("setelah Wali Kota menyetujui usulan", early.json()["detail"])
        self.assertEqual(self.call("get", f"/proposals/{submitted.pk}/letter.pdf", self.clerk).status_code, 404)
        services.approve_by_sekda(submitted, by=self.sekda)
        services.approve_by_mayor(submitted, by=self.mayor)
        self.candidate(submitted)
        self.assertEqual(self.call("get", f"/proposals/{submitted.pk}/letter.pdf", self.health_head).status_code, 403)
        response = self.call("get", f"/proposals/{submitted.pk}/letter.pdf", self.bkpsdm)
        self.assertEqual(response.status_code, 200, response.content[:500])
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        data = response.content
        self.assertTrue(data.startswith(b"%PDF"))
        from pypdf import PdfReader

        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        self.assertIn("Kepala Dinas Pariwisata", " ".join(text.split()))
        detail = self.ok("get", f"/proposals/{submitted.pk}", self.bkpsdm)
        self.assertTrue(detail["letters"]["request_letter_url"].endswith(f"/proposals/{submitted.pk}/letter.pdf"))

        services.withdraw(submitted, by=self.bkpsdm, reason="Tetap Plt sampai Pilkada.")
        withdrawn = self.call("get", f"/proposals/{submitted.pk}/letter.pdf", self.bkpsdm)
        self.assertEqual(withdrawn.status_code, 409, withdrawn.content)
        self.assertIn("sudah ditarik", withdrawn.json()["detail"])
        self.assertIsNone(self.ok("get", f"/proposals/{submitted.pk}", self.bkpsdm)["letters"]["request_letter_url"])
