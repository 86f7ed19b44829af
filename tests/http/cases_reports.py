"""cases_reports.py - the head's reports over HTTP: JSON, CSV and XLSX of stats, funnel and reps;
the CSV export equals LibreOffice's own CSV of the XLSX export, sheet by sheet; bad periods are
422 naming the field; a rep sees only himself."""

import glob
import os
import shutil
import subprocess
import tempfile

from lib import case, date_msk

REPORTS = ("stats", "funnel", "reps")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# LibreOffice's CSV filter: comma, double quote, UTF-8, from line 1, cell contents as shown,
# every sheet to its own file (NAME-SHEET.csv)
LO_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def period():
    return f"from={date_msk(-60)}&to={date_msk(0)}"


def sections(csv_text):
    """Our multi-table CSV as {title: the table's CSV with LF line ends}."""
    out = {}
    for block in csv_text.split("\r\n\r\n"):
        title, _, rest = block.partition("\r\n")
        if not rest.endswith("\r\n"):  # the split took the line end of all but the last
            rest += "\r\n"
        out[title.strip('"')] = rest.replace("\r\n", "\n")
    return out


@case
def t_reports_json(t):
    for rep in REPORTS:
        r = t.get(f"/api/v1/reports/{rep}?{period()}", who="elena")
        t.expect(r, 200, what=f"{rep} as JSON")
    s = t.get(f"/api/v1/reports/stats?{period()}", who="elena")
    if t.expect(s, 200):
        for k in ("incoming_calls", "outgoing_calls", "missed_calls", "effective_calls",
                  "talk_seconds", "offers", "pending", "sold", "callbacks_in_time"):
            t.check(isinstance(s.get(k), int), f"stats.{k} is not an integer: {s.get(k)!r}")
        t.check(len(s.get("days", default=[])) == s.get("period", "days"),
                "one entry in days per day of the period")
        t.check(s.get("period", "from") == date_msk(-60), f"period {s.get('period')}")


@case
def t_reports_long_period_by_month(t):
    """Over 92 days the calls chart is by month: JSON "months" (the period's days of each), the
    CSV's "Months" table and the page's chart say the same (docs/reports.md)."""
    q = f"from={date_msk(-199)}&to={date_msk(0)}"
    s = t.get(f"/api/v1/reports/stats?{q}", who="elena")
    t.need(s, 200)
    months = s.get("months", default=[])
    t.check(s.get("days") is None and months, f"a 200-day period charted by day: {list(s.json)}")
    if months:
        t.check(sum(m["days"] for m in months) == s.get("period", "days") == 200,
                "the months cover the period's days")
        t.check(sum(m["incoming"] for m in months) == s.get("incoming_calls"),
                "the months' incoming calls add up")
        t.check(months[0]["from"] == date_msk(-199) and months[-1]["to"] == date_msk(0),
                f"months from {months[0]['from']} to {months[-1]['to']}")
        t.check(all(m["month"] == m["from"][:7] == m["to"][:7] for m in months),
                "each entry lies in its month")
    r = t.get(f"/api/v1/reports/stats?{q}&format=csv", who="elena", check=False)
    if t.expect(r, 200, what="stats as CSV"):
        lines = r.body.decode("utf-8").split("\r\n")
        t.check("Months" in lines and "Days" not in lines, "the CSV lacks the Months table")
        t.check("Month,From,To,Incoming,Outgoing,Missed,Effective,Sold" in lines,
                "no months header")
        t.check(any(x.startswith(f"{m['month']},{m['from']},{m['to']},{m['incoming']},")
                    for m in months for x in lines), "the CSV's months differ from the JSON's")
    page = t.get(f"/reports?{q}", who="elena", check=False)
    if t.expect(page, 200, what="the reports page"):
        html = page.body.decode("utf-8")
        t.check('id="chart-calls"' in html and all(f"{m['month']}</text>" in html for m in months),
                "the page's chart lacks the months")


@case
def t_reports_csv(t):
    s = t.get(f"/api/v1/reports/stats?{period()}", who="elena")
    t.need(s, 200)
    r = t.get(f"/api/v1/reports/stats?{period()}&format=csv", who="elena", check=False)
    t.need(r, 200, "stats as CSV")
    t.check(r.header("Content-Type") == "text/csv; charset=utf-8",
            f"Content-Type {r.header('Content-Type')}")
    disp = r.header("Content-Disposition") or ""
    t.check(disp.startswith("attachment; filename=\"nextcall-stats-") and disp.endswith(".csv\""),
            f"Content-Disposition {disp!r}")
    text = r.body.decode("utf-8")
    t.check(text.startswith("Summary\r\nMetric,This period,Previous period,Change\r\n"),
            f"CSV starts {text[:80]!r}")
    lines = text.split("\r\n")
    t.check(f"Incoming calls,{s.get('incoming_calls')}," in text,
            f"the CSV's incoming calls differ from the JSON's {s.get('incoming_calls')}")
    t.check(any(x.startswith(f"Goods sold,{s.get('sold')},") for x in lines),
            f"the CSV's goods sold differ from the JSON's {s.get('sold')}")
    t.check("Sources" in lines and "Days" in lines, "the CSV lacks the Sources or Days table")
    t.check(any(line.startswith("Source,Calls,Spend,Cost per call,") for line in lines),
            "no sources header")
    for rep in ("funnel", "reps"):
        r = t.get(f"/api/v1/reports/{rep}?{period()}&format=csv", who="elena", check=False)
        if t.expect(r, 200, what=f"{rep} as CSV"):
            first = r.body.decode("utf-8").split("\r\n", 1)[0]
            t.check(first.startswith("Stage,Count," if rep == "funnel" else "Login,Name,"),
                    f"{rep} CSV header {first!r}")


@case
def t_reports_xlsx(t):
    for rep in REPORTS:
        r = t.get(f"/api/v1/reports/{rep}?{period()}&format=xlsx", who="elena", check=False)
        if not t.expect(r, 200, what=f"{rep} as XLSX"):
            continue
        t.check(r.header("Content-Type") == XLSX, f"Content-Type {r.header('Content-Type')}")
        t.check(r.body[:4] == b"PK\x03\x04", "the XLSX is not a ZIP file")
        t.check((r.header("Content-Disposition") or "").endswith(".xlsx\""),
                f"Content-Disposition {r.header('Content-Disposition')}")


@case
def t_reports_xlsx_opens_in_libreoffice(t):
    lo = shutil.which("libreoffice") or shutil.which("soffice")
    t.require(lo, "libreoffice is not installed (scripts/deps.sh test installs "
                  "libreoffice-calc-nogui)")
    tmp = tempfile.mkdtemp(prefix="nc-lo-")
    try:
        for rep in REPORTS:
            q = f"/api/v1/reports/{rep}?{period()}"
            csv = t.get(q + "&format=csv", who="elena", check=False)
            xlsx = t.get(q + "&format=xlsx", who="elena", check=False)
            if not (t.expect(csv, 200, what=f"{rep} CSV") and
                    t.expect(xlsx, 200, what=f"{rep} XLSX")):
                continue
            path = os.path.join(tmp, f"{rep}.xlsx")
            with open(path, "wb") as f:
                f.write(xlsx.body)
            out = os.path.join(tmp, rep)
            p = subprocess.run([lo, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                                "--convert-to", LO_FILTER, "--outdir", out, path],
                               capture_output=True, timeout=180, check=False)
            sheets = {os.path.basename(f)[len(rep) + 1:-4]: open(f, encoding="utf-8").read()
                      for f in glob.glob(os.path.join(out, f"{rep}-*.csv"))}
            if not t.check(sheets, f"LibreOffice converted nothing: {p.stdout!r} {p.stderr!r}"):
                continue
            ours = csv.body.decode("utf-8")
            want = sections(ours) if len(sheets) > 1 else {
                next(iter(sheets)): ours.replace("\r\n", "\n")}
            t.check(sorted(sheets) == sorted(want),
                    f"{rep}: LibreOffice's sheets {sorted(sheets)}, our tables {sorted(want)}")
            for name, text in sheets.items():
                if name in want and text != want[name]:
                    a, b = text.split("\n"), want[name].split("\n")
                    diff = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                                min(len(a), len(b)))
                    t.fail(f"{rep}/{name}: line {diff + 1}: LibreOffice "
                           f"{a[diff] if diff < len(a) else None!r}, our CSV "
                           f"{b[diff] if diff < len(b) else None!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@case
def t_reports_bad_input(t):
    for q, field, what in (("from=2026-02-30&to=2026-03-05", "from", "30 February"),
                           ("from=yesterday&to=2026-03-05", "from", "a word for a date"),
                           ("from=2026-03-01&to=2026-13-01", "to", "month 13"),
                           ("from=2026-03-10&to=2026-03-01", "to", "to before from")):
        for rep in REPORTS:
            t.expect(t.get(f"/api/v1/reports/{rep}?{q}", who="elena"), 422, code="invalid",
                     field=field, what=f"{rep}: {what}")
    t.expect(t.get(f"/api/v1/reports/stats?{period()}&format=pdf", who="elena"), 400,
             field="format", what="format=pdf")
    t.expect(t.get(f"/api/v1/reports/stats?{period()}", who=None), 401, what="no credentials")


@case
def t_reports_rep_sees_only_himself(t):
    for rep in REPORTS:
        t.expect(t.get(f"/api/v1/reports/{rep}?{period()}&rep=oleg", who="anna"), 403,
                 what=f"anna asks for oleg's {rep}")
        t.expect(t.get(f"/api/v1/reports/{rep}?{period()}&rep=oleg&format=csv", who="anna",
                       check=False), 403, what=f"anna asks for oleg's {rep} as CSV")
        t.expect(t.get(f"/api/v1/reports/{rep}?{period()}&rep=anna", who="anna"), 200,
                 what=f"anna asks for her own {rep}")
    r = t.get(f"/api/v1/reports/reps?{period()}", who="anna")
    if t.expect(r, 200, what="anna's reps report"):
        logins = [x.get("login") for x in r.get("reps", default=[])]
        t.check(logins == ["anna"], f"a rep sees other reps: {logins}")
