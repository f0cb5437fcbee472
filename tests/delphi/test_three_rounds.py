"""Acceptance: a three-round study of 60 panellists in six groups, end to end through the web
client. Round 2 shows each panellist their own round-1 answer and their group's feedback; the
workbook's statistics equal those computed here, independently, from the answers the test
itself gave (stdlib quantiles for Hyndman-Fan type 7, sklearn's kappa, scipy's Wilcoxon and
binomial test)."""

from __future__ import annotations

import io
import random
import re
import statistics as stdlib

import pytest
from openpyxl import load_workbook
from scipy.stats import binomtest, wilcoxon
from sklearn.metrics import cohen_kappa_score

from tests.conftest import make_app
from tests.delphi import simulation as sim


@pytest.fixture
def delphi_app(engine, connection, smtp, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection, JOBS_IMMEDIATE=True, MAIL_URL=smtp.url,
                    MAIL_FROM="consult@example.org")  # fmt: skip


def run_three_rounds(app, session, smtp, size=60):
    rng = random.Random(2026)
    panel = sim.make_panel(size)
    run = sim.start(app, session, smtp, panel)
    emails = [p.email for p in panel]
    absent = {1: set(emails[:4]), 2: set(emails[4:10]), 3: set(emails[10:18])}
    for number in (1, 2, 3):
        links = sim.open_and_send(run, smtp, number)
        # Every panellist gets a fresh link every round, not only those who answered.
        assert sorted(links) == sorted(emails)
        sim.answer_round(run, app, number, links, absent[number], rng)
        sim.close(run, number)
        # The round's links stop working when it closes.
        first = next(iter(links.values()))
        assert app.test_client().get(first).status_code == 404
    return run


def sheet(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def type7(values):
    """Quartiles by Hyndman & Fan type 7, from the standard library ("inclusive")."""
    q1, median, q3 = stdlib.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def test_three_rounds_feedback_and_statistics(delphi_app, session, smtp):
    run = run_three_rounds(delphi_app, session, smtp)
    codes, first_code = run.codes, run.codes[0]
    group_of = {p.email: p.group for p in run.panel}
    # Round 2: each panellist who answered round 1 finds that answer chosen, and the panel's
    # and their own group's round-1 figures (groups of 10 are over k = 5).
    for email, page in run.pages[2].items():
        before = run.answers[1].get(email)
        if before is None:
            assert "You did not answer this in round 1." in page
            continue
        for code in codes:
            value = "cj" if before[code] is None else str(before[code])
            assert re.search(rf'name="item-{code}" value="{value}" checked', page), (email, code)
        assert "The whole panel in round 1" in page
        assert "Your stakeholder group in round 1" in page
        overall = [r[first_code] for r in run.answers[1].values() if r[first_code] is not None]
        q1, median, q3 = type7(overall)
        assert (f"{len(overall)} panellists; median {median:g}, middle half {q1:g} to {q3:g}."
                in page)  # fmt: skip
        mine = [r[first_code] for e, r in run.answers[1].items()
                if group_of[e] == group_of[email] and r[first_code] is not None]  # fmt: skip
        q1, median, q3 = type7(mine)
        assert f"{len(mine)} panellists; median {median:g}, middle half {q1:g} to {q3:g}." in page
        assert "consensus" not in page.lower()  # figures, never verdicts
        for place, item in enumerate(run.rankings[1].get(email, []), start=1):
            name = f'name="rank-{run.ranking}-{item}">'
            select = page[page.index(name) : page.index("</select>", page.index(name))]
            assert f'<option value="{place}" selected>' in select

    # Later rounds are copies of the survey, with the same team.
    for number in (2, 3):
        assert run.client.get(f"/admin/surveys/{run.survey.slug}-r{number}").status_code == 200
    base = f"/admin/surveys/{run.survey.slug}/delphi"
    study_page = run.client.get(f"{base}/").get_data(as_text=True)
    for invited, answered in ((60, 56), (60, 54), (60, 52)):
        assert f'<td class="num">{invited}</td><td class="num">{answered}</td>' in study_page
    response = run.client.get(f"{base}/study.xlsx")
    assert response.status_code == 200
    data = response.data
    response.close()
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[:6] == ["Protocol", "Participation", "Item_Stats",
                                   "Consensus_Matrix", "Stability", "Attrition"]  # fmt: skip
    protocol = dict(r for r in book["Protocol"].iter_rows(values_only=True))
    assert "type 7" in protocol["Quantile method"]
    assert protocol["Consensus in"] == ">= 75% agree and <= 15% disagree"
    check_item_stats(run, sheet(book, "Item_Stats"))
    check_stability(run, sheet(book, "Stability"))
    check_participation(run, sheet(book, "Participation"))
    check_attrition(run, sheet(book, "Attrition"))
    check_kendall(run, sheet(book, "Concordance"))


def check_kendall(run, rows):
    """Kendall's W of the ranking, from its textbook formula (no ties in a ranking)."""
    for number in (1, 2, 3):
        ranks = [[order.index(item) + 1 for item in run.items]
                 for order in run.rankings[number].values()]  # fmt: skip
        m, n = len(ranks), len(run.items)
        sums = [sum(row[i] for row in ranks) for i in range(n)]
        s = sum((x - m * (n + 1) / 2) ** 2 for x in sums)
        [row] = [r for r in rows if r["Round"] == number and r["Of"] == run.ranking]
        assert row["Panellists"] == m
        assert row["Kendall's W"] == pytest.approx(12 * s / (m**2 * (n**3 - n)))


def check_item_stats(run, rows):
    assert len(rows) == 3 * len(run.codes)
    for row in rows:
        answers = run.answers[row["Round"]]
        values = [a[row["Item"]] for a in answers.values() if a[row["Item"]] is not None]
        q1, median, q3 = type7(values)
        assert row["Invited"] == 60
        assert row["Responded"] == len(answers)
        assert row["Cannot judge"] == sum(a[row["Item"]] is None for a in answers.values())
        assert row["Median"] == pytest.approx(median)
        assert row["Q1"] == pytest.approx(q1) and row["Q3"] == pytest.approx(q3)
        assert row["IQR"] == pytest.approx(q3 - q1)
        assert row["Mean"] == pytest.approx(stdlib.mean(values))
        assert row["SD"] == pytest.approx(stdlib.stdev(values))
        agree = 100 * sum(v >= 4 for v in values) / len(values)
        disagree = 100 * sum(v <= 2 for v in values) / len(values)
        assert row["% agree"] == pytest.approx(agree)
        assert row["% disagree"] == pytest.approx(disagree)
        expected = ("consensus in" if agree >= 75 and disagree <= 15 else "consensus out"
                    if disagree >= 75 and agree <= 15 else "no consensus")  # fmt: skip
        assert row["Status"] == expected


def check_stability(run, rows):
    assert len(rows) == 2 * len(run.codes)
    for row in rows:
        before_n, after_n = (int(n) for n in row["Rounds"].split("->"))
        before, after = run.answers[before_n], run.answers[after_n]
        code = row["Item"]
        both = [e for e in after if e in before and after[e][code] is not None
                and before[e][code] is not None]  # fmt: skip
        b = [before[e][code] for e in both]
        a = [after[e][code] for e in both]
        assert row["Paired"] == len(both)
        unchanged = 100 * sum(x == y for x, y in zip(b, a, strict=True)) / len(both)
        assert row["% unchanged"] == pytest.approx(unchanged)
        kappa = cohen_kappa_score(b, a, weights="linear", labels=[1, 2, 3, 4, 5])
        assert row["Weighted kappa"] == pytest.approx(kappa)
        if any(x != y for x, y in zip(b, a, strict=True)):
            assert row["Wilcoxon p"] == pytest.approx(wilcoxon(a, b).pvalue)
        discordant = [(x >= 4, y >= 4) for x, y in zip(b, a, strict=True) if (x >= 4) != (y >= 4)]
        to_agree = sum(1 for x, y in discordant if y)
        expected = binomtest(to_agree, len(discordant)).pvalue if discordant else 1.0
        assert row["McNemar p"] == pytest.approx(expected)
        delta = 100 * (sum(y >= 4 for y in a) - sum(x >= 4 for x in b)) / len(both)
        assert row["Change in % agree"] == pytest.approx(delta)
        iqr = type7(a)[2] - type7(a)[0] - (type7(b)[2] - type7(b)[0])
        assert row["Change in IQR"] == pytest.approx(iqr)
        stable = unchanged >= 85 and abs(delta) < 10
        assert row["Stability"] == ("stable" if stable else "not stable")


def check_participation(run, rows):
    everyone = {r["Round"]: r for r in rows if r["Group"] == "all"}
    assert [everyone[n]["Responded"] for n in (1, 2, 3)] == [56, 54, 52]
    assert all(everyone[n]["Invited"] == 60 for n in (1, 2, 3))
    stayed = len(set(run.answers[1]) & set(run.answers[3]))
    assert everyone[3]["Retention %"] == pytest.approx(100 * stayed / 56)


def check_attrition(run, rows):
    first, last = run.answers[1], run.answers[3]
    for row in (r for r in rows if r["Group"] == "all"):
        code = row["Item"]
        stayed = [a[code] for e, a in first.items() if e in last and a[code] is not None]
        left = [a[code] for e, a in first.items() if e not in last and a[code] is not None]
        assert row["Stayed"] == len(stayed) and row["Left"] == len(left)
        assert row["Round-1 % agree, stayed"] == pytest.approx(
            100 * sum(v >= 4 for v in stayed) / len(stayed))  # fmt: skip
        assert row["Round-1 % agree, left"] == pytest.approx(
            100 * sum(v >= 4 for v in left) / len(left))  # fmt: skip
