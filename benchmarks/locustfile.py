"""Locust users of the load run (``benchmarks/load_findings.py`` starts it and passes its settings in ``LOAD_*``).

- ``Leadership`` (the many): GET ``/api/v1/findings`` (JSON, bearer key) or the dashboard overview ``/`` (login
  cookie) with varied filters (agency, programme, region, industry, period), 1–3 s of think time between views.
- ``Uploader`` (one): POSTs a small TXT transcript made now from corpus texts (new bytes each time, so a new
  document) every ``LOAD_UPLOAD_EVERY`` seconds as staff of 기관1.
- ``Corrector`` (one): POSTs a correction of a random unit of 기관1 every ``LOAD_CORRECT_EVERY`` seconds.

Every request's latency and outcome are kept per kind and written to ``LOAD_SAMPLES`` (JSON) when locust quits.
"""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from typing import Any

from bench_findings import PER_MEETING, PROGRAMMES, REGIONS, corpus_industry, labelled_corpus
from common import corpus_texts, minutes_text
from locust import HttpUser, between, constant_pacing, events, task

from analyzer.taxonomy import load_taxonomy

KEYS: dict[str, Any] = json.loads(os.environ.get("LOAD_KEYS", '{"leadership": [], "staff": ""}'))
N_UNITS = int(os.environ.get("LOAD_UNITS", "0"))
MONTHS = [f"{year}-{month:02d}" for year in (2023, 2024) for month in range(1, 13)]
INDUSTRIES = sorted({corpus_industry(row) for row in labelled_corpus()} - {""})  # the filled units' own
TAXONOMY = load_taxonomy()  # the shipped model's taxonomy (the same file)
TIMEOUT = 120.0


class Samples:
    """Latencies (ms) and errors per request kind, written as JSON on quit."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.messages: dict[str, list[str]] = defaultdict(list)

    def record(self, name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
        self.ms[name].append(response_time)
        if exception is not None:
            self.errors[name] += 1
            if len(self.messages[name]) < 20:
                self.messages[name].append(str(exception)[:200])

    def write(self, **_: Any) -> None:
        target = os.environ.get("LOAD_SAMPLES")
        if not target:
            return
        found = {
            name: {"ms": values, "errors": self.errors[name], "messages": self.messages[name]}
            for name, values in self.ms.items()
        }
        with open(target, "w", encoding="utf-8") as out:
            json.dump(found, out)


SAMPLES = Samples()
events.request.add_listener(SAMPLES.record)
events.quitting.add_listener(SAMPLES.write)


def varied_filters(agency: str | None) -> dict[str, str]:
    """The overview's filters as a leader sets them: none, or some of programme, region, industry, period (and, for
    a key of every agency, an agency)."""
    chosen: dict[str, str] = {}
    if agency is None and random.random() < 0.5:
        chosen["agency"] = f"기관{random.randint(1, 5)}"
    if random.random() < 0.3:
        chosen["programme"] = random.choice(PROGRAMMES)
    if random.random() < 0.3:
        chosen["region"] = random.choice(REGIONS)
    if random.random() < 0.2:
        chosen["industry"] = random.choice(INDUSTRIES)
    if random.random() < 0.4:
        first = random.randrange(len(MONTHS))
        last = random.randrange(first, min(len(MONTHS), first + 6))
        chosen["date_from"], chosen["date_to"] = f"{MONTHS[first]}-01", f"{MONTHS[last]}-28"
    return chosen


class Leadership(HttpUser):
    """A leader viewing the overview (the API call or the dashboard page) with changing filters."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        picked = random.choice(KEYS["leadership"])
        self.key, self.agency = picked["key"], picked["agency"]
        self.client.cookies.set("moksori_key", self.key)

    @task
    def findings(self) -> None:
        self.client.get(
            "/api/v1/findings",
            params=varied_filters(self.agency),
            headers={"Authorization": f"Bearer {self.key}"},
            name="findings",
            timeout=TIMEOUT,
        )

    @task
    def overview_page(self) -> None:
        with self.client.get(
            "/",
            params=varied_filters(self.agency),
            name="overview page",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 200 or "<html" not in answer.text:  # a redirect to the login page is a failure
                answer.failure(f"status {answer.status_code}")


class Uploader(HttpUser):
    """Staff of 기관1 uploading a short transcript (20 corpus texts as speaker turns) every few seconds."""

    fixed_count = 1
    wait_time = constant_pacing(float(os.environ.get("LOAD_UPLOAD_EVERY", "5")))

    def on_start(self) -> None:
        self.texts = corpus_texts()
        self.serial = 0

    @task
    def upload(self) -> None:
        self.serial += 1
        body = minutes_text(random.sample(self.texts, 20)).replace(
            "2024년 기업 간담회", f"부하 시험 간담회 {self.serial}"
        )
        month = random.choice(MONTHS)
        self.client.post(
            "/api/v1/uploads",
            files={"file": (f"load-{self.serial}.txt", body.encode("utf-8"), "text/plain")},
            data={"title": f"부하 시험 {self.serial}", "date": f"{month}-15", "programme": PROGRAMMES[0]},
            headers={"Authorization": f"Bearer {KEYS['staff']}"},
            name="upload",
            timeout=TIMEOUT,
        )


class Corrector(HttpUser):
    """Staff of 기관1 correcting a random unit of one of its meetings every few seconds."""

    fixed_count = 1
    wait_time = constant_pacing(float(os.environ.get("LOAD_CORRECT_EVERY", "3")))

    @task
    def correct(self) -> None:
        meeting = 1 + 5 * random.randrange(max(1, N_UNITS // PER_MEETING // 5))  # 기관1 holds meetings 1, 6, 11, …
        unit = (meeting - 1) * PER_MEETING + random.randint(1, PER_MEETING)
        self.client.post(
            f"/api/v1/units/{unit}/corrections",
            json={"categories": random.sample(TAXONOMY.category_ids, 1), "kind": random.choice(TAXONOMY.kind_ids)},
            headers={"Authorization": f"Bearer {KEYS['staff']}"},
            name="correction",
            timeout=TIMEOUT,
        )
