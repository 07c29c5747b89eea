"""The quota under real concurrency (issue 6, point 5): many submitters at once never exceed it.

Eight child processes (``manage.py shell -c``, as in pamong/neutrality/tests/test_concurrency.py),
each with its own database connection, load their drafts, wait behind a sync file and then call
``services.submit_proposal`` for the drafts they were dealt (both quota groups shuffled among them),
one per round, with a barrier before every round so that eight submissions start at the same moment
each time, including at the last places of each quota. Every post sits in an OPD of its own, so the
submissions share no row but the period's. Without the period's lock this race does exceed the
quota on PostgreSQL (19 and 20 eselon III/IV accepted out of 15 in trial runs).

Each child writes down what every submission answered: accepted, refused by the quota (the
ValidationError naming it), refused otherwise, or an error. On PostgreSQL the children share the
test database; on SQLite they work on a file copy of it (WAL, BEGIN IMMEDIATE, as in settings),
copied back to be checked here; there the single writer queues the submissions as the lock does.

The policy is the 2024 pre-election one: eselon II ≤ 3, eselon III + IV ≤ 15. Whatever the
interleaving, exactly the quota is accepted, every other submission gets the quota's message, the
refused drafts stay drafts and the ledger has one entry per accepted submission.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.test import TransactionTestCase

from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import CastMixin, RaceMixin
from pamong.organisation.models import OPD, Position
from pamong.staffing import services
from pamong.staffing.models import PolicyPeriod, Proposal, ProposalStep

DAY = dt.date(2024, 10, 17)  # before the queue date: the quotas apply
CHILDREN = 8
II, III_IV = "eselon_ii", "eselon_iii_iv"
QUOTAS = [
    {"code": II, "label": "eselon II", "levels": ["jpt_pratama"], "limit": 3},
    {"code": III_IV, "label": "eselon III dan IV", "levels": ["administrator", "pengawas"], "limit": 15},
]
QUOTA_FULL = "sudah penuh"
S = Proposal.Status


class QuotaRaceTests(CastMixin, RaceMixin, TransactionTestCase):
    period: PolicyPeriod

    def setUp(self) -> None:
        super().setUp()
        self.build_cast()
        self.period = services.create_period(
            by=self.bkpsdm,
            code="pra-pilkada-2024",
            name="Masa pra-Pilkada 2024",
            starts_on=dt.date(2024, 3, 22),
            approval_levels=["jpt_pratama", "administrator", "pengawas"],
            quotas=QUOTAS,
            quota_source="Arahan Kemendagri 2024",
            others_from=dt.date(2024, 12, 1),
            frees_on_withdrawal=True,
            frees_on_rejection=False,
        )
        self.posts = 0

    # --- the races ---

    def test_many_submitters_at_once_get_exactly_the_quota_of_both_groups(self) -> None:
        drafts = self.drafts("jpt_pratama", 8) + self.drafts("administrator", 15) + self.drafts("pengawas", 15)
        outcomes = self.race(drafts)

        accepted = self.accepted_by_group(outcomes)
        self.assertEqual(accepted, {II: 3, III_IV: 15})
        self.assertEveryOtherRefusedByTheQuota(outcomes, drafts, refused=8 - 3 + 30 - 15)
        self.assertHolders({II: 3, III_IV: 15})
        self.assertLedgerHasOneStepPerSubmission(sum(accepted.values()))

    def test_a_withdrawn_proposal_frees_exactly_one_place_for_the_race(self) -> None:
        # Both quotas full, one proposal of each group withdrawn (frees_on_withdrawal=True).
        held = self.submit_in_turn(self.drafts("jpt_pratama", 3) + self.drafts("pengawas", 15))
        withdrawn = [held[0], held[-1]]
        for proposal in withdrawn:
            services.withdraw(proposal, by=self.bkpsdm, reason="Pejabat lama batal pensiun", today=DAY)
        drafts = self.drafts("jpt_pratama", 8) + self.drafts("administrator", 8)
        before = len(held) + len(withdrawn)

        outcomes = self.race(drafts)

        self.assertEqual(self.accepted_by_group(outcomes), {II: 1, III_IV: 1})
        self.assertEveryOtherRefusedByTheQuota(outcomes, drafts, refused=len(drafts) - 2)
        self.assertHolders({II: 3, III_IV: 15})
        for proposal in withdrawn:
            proposal.refresh_from_db()
            self.assertEqual((proposal.status, proposal.counts_against_quota), (S.WITHDRAWN, False))
        self.assertLedgerHasOneStepPerSubmission(before + 2)

    def test_a_rejected_proposal_keeps_its_place_when_the_policy_says_so(self) -> None:
        # frees_on_rejection=False: Kemendagri's refusal does not give the place back.
        held = self.submit_in_turn(self.drafts("jpt_pratama", 3))
        rejected = held[1]
        services.approve_by_sekda(rejected, by=self.sekda, today=DAY)
        services.approve_by_mayor(rejected, by=self.mayor, today=DAY)
        services.send_to_kemendagri(rejected, by=self.bkpsdm, today=DAY)
        services.record_decision(
            rejected, by=self.bkpsdm, approved=False, letter_number="100.2.2.6/1234/SJ", letter_date=DAY
        )
        drafts = self.drafts("jpt_pratama", 8)

        outcomes = self.race(drafts)

        self.assertEqual(self.accepted_by_group(outcomes), {})
        self.assertEveryOtherRefusedByTheQuota(outcomes, drafts, refused=len(drafts))
        for outcome in outcomes:  # the refusal names the rejected proposal among those holding the quota
            self.assertIn(f"#{rejected.pk} ", outcome["message"])
            self.assertIn("3 dari 3 usulan terpakai", outcome["message"])
        rejected.refresh_from_db()
        self.assertEqual((rejected.status, rejected.counts_against_quota), (S.REJECTED, True))
        self.assertHolders({II: 3})
        self.assertLedgerHasOneStepPerSubmission(3 + 4)  # three submissions, the rejected one's four steps

    # --- setting up ---

    def drafts(self, level: str, count: int) -> list[Proposal]:
        grade = {"jpt_pratama": "II.b", "administrator": "III.a", "pengawas": "IV.a"}[level]
        made = []
        for _n in range(count):
            self.posts += 1
            # Each post in an OPD of its own: submissions share no row but the period's (locking a
            # proposal also locks its position's OPD row, which alone would queue posts of one OPD).
            opd = OPD.objects.create(
                pemda=self.pemda, code=f"opd-{self.posts:02d}", name=f"Dinas {self.posts:02d}", kind="dinas"
            )
            post = Position.objects.create(opd=opd, name=f"Jabatan {level} {self.posts:02d}", level=level, grade=grade)
            vacancy = services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun")
            made.append(
                services.draft_proposal(
                    vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="PA/KPA kosong", today=DAY
                )
            )
        return made

    def submit_in_turn(self, drafts: list[Proposal]) -> list[Proposal]:
        return [services.submit_proposal(draft, by=self.bkpsdm, today=DAY) for draft in drafts]

    # --- running the race ---

    def race(self, drafts: list[Proposal]) -> list[dict[str, Any]]:
        """Deal the drafts, shuffled, to CHILDREN processes; each submits its own in turn, all at once."""
        ids = [draft.pk for draft in drafts]
        random.Random(len(ids)).shuffle(ids)
        hands = [ids[n::CHILDREN] for n in range(CHILDREN)]
        with tempfile.TemporaryDirectory(prefix="pamong-quota-race-") as tmp:
            sync = Path(tmp)
            env = {
                **os.environ,
                "PAMONG_ENV": "test",
                "DJANGO_SETTINGS_MODULE": "pamong.settings",
                "QUOTA_RACE_SYNC": tmp,
                "QUOTA_RACE_BY": str(self.bkpsdm.pk),
                "QUOTA_RACE_DAY": DAY.isoformat(),
                "QUOTA_RACE_CHILDREN": str(CHILDREN),
                "QUOTA_RACE_ROUNDS": str(max(map(len, hands))),
            }
            self.run_children(
                sync,
                RACE_CHILD,
                env,
                [
                    {"QUOTA_RACE_NAME": f"c{n}", "QUOTA_RACE_DRAFTS": ",".join(map(str, hand))}
                    for n, hand in enumerate(hands)
                ],
            )
            outcomes: list[dict[str, Any]] = []
            for n in range(CHILDREN):
                outcomes += json.loads((sync / f"result-c{n}.json").read_text())
        self.assertEqual(sorted(o["proposal"] for o in outcomes), sorted(ids), "every submission answered once")
        self.assertEqual([o for o in outcomes if o["kind"] == "error"], [], "a submission crashed")
        return outcomes

    # --- what must hold afterwards ---

    def accepted_by_group(self, outcomes: list[dict[str, Any]]) -> dict[str, int]:
        accepted = [o["proposal"] for o in outcomes if o["kind"] == "accepted"]
        groups = Proposal.objects.filter(pk__in=accepted).values_list("quota_group", flat=True)
        return dict(Counter(groups))

    def assertEveryOtherRefusedByTheQuota(
        self, outcomes: list[dict[str, Any]], drafts: list[Proposal], *, refused: int
    ) -> None:
        kinds = Counter(o["kind"] for o in outcomes)
        self.assertEqual(kinds, Counter({"accepted": len(drafts) - refused, "quota": refused}) - Counter())
        by_pk = {o["proposal"]: o for o in outcomes}
        for draft in drafts:
            stored = Proposal.objects.get(pk=draft.pk)
            if by_pk[draft.pk]["kind"] == "quota":
                self.assertEqual(stored.status, S.DRAFT)
                self.assertEqual(
                    (stored.quota_group, stored.counts_against_quota, stored.submitted_on), ("", False, None)
                )
                self.assertFalse(stored.steps.exists(), "a refused submission left a step")
                self.assertIn(QUOTA_FULL, by_pk[draft.pk]["message"])
            else:
                self.assertEqual(stored.status, S.SUBMITTED)
                self.assertTrue(stored.counts_against_quota)

    def assertHolders(self, expected: dict[str, int]) -> None:
        holders = (
            Proposal.objects.filter(period_code=self.period.code, counts_against_quota=True)
            .values("quota_group")
            .annotate(n=Count("id"))
        )
        self.assertEqual({row["quota_group"]: row["n"] for row in holders}, expected)

    def assertLedgerHasOneStepPerSubmission(self, steps: int) -> None:
        entries = LedgerEntry.objects.filter(kind="staffing.proposal_step")
        self.assertEqual(entries.count(), steps)
        self.assertEqual(ProposalStep.objects.count(), steps)
        self.assertEqual(
            sorted(int(pk) for pk in entries.values_list("subject_id", flat=True)),
            sorted(ProposalStep.objects.values_list("pk", flat=True)),
            "a step without its own entry",
        )
        submitted = ProposalStep.objects.filter(to_status=S.SUBMITTED)
        self.assertEqual(
            submitted.count(), submitted.values("proposal").distinct().count(), "a proposal submitted twice"
        )
        self.assertEqual(
            list(LedgerEntry.objects.order_by("index").values_list("index", flat=True)),
            list(range(ledger.ledger_size())),
        )
        self.assertTrue(ledger.verify_ledger().ok)


# Run by each child of the race, through ``manage.py shell -c``: its drafts, one after another.
RACE_CHILD = """
import datetime as dt, json, os, time
from pathlib import Path
from django.core.exceptions import ValidationError
from django.db import connection
from pamong.organisation.models import User
from pamong.staffing import services
from pamong.staffing.models import Proposal

name = os.environ["QUOTA_RACE_NAME"]
sync = Path(os.environ["QUOTA_RACE_SYNC"])
day = dt.date.fromisoformat(os.environ["QUOTA_RACE_DAY"])
outcomes = []
try:
    by = User.objects.get(pk=int(os.environ["QUOTA_RACE_BY"]))
    drafts = [Proposal.objects.get(pk=int(pk)) for pk in os.environ["QUOTA_RACE_DRAFTS"].split(",") if pk]
finally:
    (sync / f"ready-{name}").touch()
children = int(os.environ["QUOTA_RACE_CHILDREN"])
rounds = int(os.environ["QUOTA_RACE_ROUNDS"])
while not (sync / "go").exists():
    time.sleep(0.001)
for number in range(rounds):
    # A barrier per round: every child starts its next submission at the same moment.
    (sync / f"round{number}-{name}").touch()
    deadline = time.monotonic() + 60
    while len(list(sync.glob(f"round{number}-*"))) < children and time.monotonic() < deadline:
        time.sleep(0.001)
    if number >= len(drafts):
        continue
    draft = drafts[number]
    try:
        services.submit_proposal(draft, by=by, today=day)
        outcomes.append({"proposal": draft.pk, "kind": "accepted", "message": ""})
    except ValidationError as refused:
        message = " ".join(refused.messages)
        kind = "quota" if "sudah penuh" in message else "refused"
        outcomes.append({"proposal": draft.pk, "kind": kind, "message": message})
    except Exception as error:  # reported by the test
        outcomes.append({"proposal": draft.pk, "kind": "error", "message": repr(error)})
connection.close()
(sync / f"result-{name}.json").write_text(json.dumps(outcomes))
"""
