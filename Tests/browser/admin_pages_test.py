"""The admin pages in a real browser: headless Chromium driven by Selenium, against a live
`dossier serve` with demo data. Run by `make test` (Tests/browser/run.sh).

An officer signs in, drills down from the staffing overview through the organisation tree to
a person's unit, finds the person by identity number, opens their file and drafts a promotion;
an approver signs in and approves it; the person's rank and their unit's rank quota figures
change, and the unit's file transfers page opens from its page; both sign out. The officer then finds the cases the demo's feeds raised, opens one with
its feed rows and the person's timeline, and dismisses it. A screenshot of every page goes to
browser-screenshots/.
"""
import json
import os
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["DOSSIER_URL"]
DATA = os.environ["DOSSIER_DATA_DIR"]
BIN = os.environ["DOSSIER_BIN"]
SHOTS = os.environ.get("SCREENSHOTS", "browser-screenshots")


def dossier(*args):
    out = subprocess.run([BIN, *args, "--data", DATA], check=True, capture_output=True, text=True)
    return out.stdout


def passwords():
    result = {}
    with open(os.path.join(DATA, "demo-passwords.txt"), encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                user, password = line.split()
                result[user] = password
    return result


class Check:
    failures = 0

    @classmethod
    def that(cls, condition, message):
        print(("ok    " if condition else "FAIL  ") + message)
        if not condition:
            cls.failures += 1


def main():
    os.makedirs(SHOTS, exist_ok=True)
    # A person at 一级主任科员 eligible for promotion today (the promotion rules approve nothing
    # else): a promotion to 四级调研员 moves them from one rank band to another.
    people = json.loads(dossier("person", "list", "--format", "json", "--limit", "5000"))
    eligible = json.loads(dossier("promotion", "eligible", "--format", "json"))
    eligible_ids = {e["person"] for e in eligible if e["rank"] == "L1-principal" and e["eligible"]}
    person = next(p for p in people if p["id"] in eligible_ids)
    full = json.loads(dossier("person", "show", str(person["id"]), "--reveal", "--format", "json"))
    org = person["org"]
    # The way down the tree to the person's unit, top-level unit first.
    parents = {o["code"]: o.get("parent") for o in json.loads(dossier("org", "list", "--format", "json"))}
    way_down = [org]
    while parents.get(way_down[0]):
        way_down.insert(0, parents[way_down[0]])
    # The establishment office sets rank quotas for the person's organisation, so its page
    # counts both bands.
    dossier("quota", "set", org, "--band", "principal-1-4", "--approved", "50", "--from", "2019-06-01")
    dossier("quota", "set", org, "--band", "researcher-1-4", "--approved", "20", "--from", "2019-06-01")
    # The open cases the demo's reconciliation run left, one per planted finding.
    open_cases = json.loads(dossier("case", "list", "--format", "json"))
    case_rules = {c["rule"] for c in open_cases}
    secrets = passwords()

    options = Options()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--window-size=1280,1600")
    options.binary_location = "/usr/bin/chromium"
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.implicitly_wait(5)
    shot = 0

    def snap(name):
        nonlocal shot
        shot += 1
        browser.save_screenshot(os.path.join(SHOTS, f"{shot:02d}-{name}.png"))

    def sign_in(user):
        browser.get(BASE + "/admin/login")
        snap(f"login-{user}")
        browser.find_element(By.ID, "user").send_keys(user)
        browser.find_element(By.ID, "password").send_keys(secrets[user])
        browser.find_element(By.ID, "sign-in").click()
        Check.that(browser.find_element(By.ID, "current-user").text == user, f"{user} is signed in")

    def arrived_at(part):
        # A click returns before the browser has followed the form's redirect: wait for it.
        try:
            WebDriverWait(browser, 10).until(lambda driver: part in driver.current_url)
            return True
        except TimeoutException:
            return False

    def band_occupied(band):
        rows = browser.find_elements(By.CSS_SELECTOR, f'#ranks tr[data-subject="{band}"] td.occupied')
        return int(rows[0].text) if rows else None

    def drill_down_to_unit():
        # From the overview, one level of the tree at a time, to the person's unit.
        browser.find_element(By.ID, "nav-dashboard").click()
        for step, code in enumerate(way_down):
            link = browser.find_element(By.CSS_SELECTOR, f'#units a[data-org="{code}"]')
            if step == 0:
                snap("dashboard")
            link.click()
            Check.that(arrived_at(f"/admin/organizations/{code}"), f"the drill-down opens {code}")
        crumbs = [a.get_attribute("data-org") for a in browser.find_elements(By.CSS_SELECTOR, "#breadcrumb a[data-org]")]
        Check.that(crumbs == way_down[:-1], f"the breadcrumb shows the way down: {crumbs}")

    try:
        # A mistyped password is answered in Chinese, on the sign-in page.
        browser.get(BASE + "/admin/login")
        browser.find_element(By.ID, "user").send_keys("officer")
        browser.find_element(By.ID, "password").send_keys("not-the-password")
        browser.find_element(By.ID, "sign-in").click()
        Check.that(
            browser.find_element(By.ID, "problem").text == "用户名或密码错误。",
            "a wrong password is refused in Chinese on the sign-in page",
        )
        snap("wrong-password")

        # The officer: down the tree to the unit, then the person by identity number, then a promotion draft.
        sign_in("officer")
        drill_down_to_unit()
        before = (band_occupied("principal-1-4"), band_occupied("researcher-1-4"))
        Check.that(None not in before, f"the unit's page shows both rank bands of {org}: {before}")
        snap("unit-before")
        browser.find_element(By.ID, "nav-people").click()
        snap("people")
        browser.find_element(By.ID, "id-number").send_keys(full["id_number"])
        browser.find_element(By.ID, "find").click()
        Check.that(browser.find_element(By.ID, "person-name").text == person["name"], "the search opens the file")
        Check.that(full["id_number"] not in browser.current_url, "the identity number is not in the URL")
        Check.that("********" in browser.find_element(By.ID, "person-id-number").text, "the identity number is masked")
        snap("person-file")
        Select(browser.find_element(By.ID, "promotion-rank")).select_by_value("L4-researcher")
        browser.find_element(By.ID, "submit-promotion").click()
        Check.that(browser.find_element(By.ID, "flash").text != "", "the draft is acknowledged")
        Check.that(
            browser.find_element(By.ID, "person-rank").get_attribute("data-rank") == "L1-principal",
            "a draft changes nothing before approval",
        )
        snap("draft-saved")
        # A change of personal details, drafted on the same page: a new highest education from a date.
        current = browser.find_element(By.ID, "person-education").text
        education = Select(browser.find_element(By.ID, "details-education"))
        chosen = next(o for o in education.options if o.get_attribute("value") and o.text != current)
        chosen_text = chosen.text
        education.select_by_value(chosen.get_attribute("value"))
        browser.find_element(By.ID, "details-note").send_keys("取得新学历")
        browser.find_element(By.ID, "submit-details").click()
        Check.that(browser.find_element(By.ID, "flash").text != "", "the change of details is acknowledged")
        Check.that(
            browser.find_element(By.ID, "person-education").text == current,
            "a change of details waits for approval too",
        )
        snap("details-drafted")
        # The unit's staff roster is one click from its page, as a workbook.
        browser.get(f"{BASE}/admin/organizations/{org}")
        roster = browser.find_element(By.ID, "org-roster")
        Check.that(f"/admin/organizations/{org}/roster?as_of=" in roster.get_attribute("href"), "the unit's page links its roster")
        Check.that(roster.text == "花名册（Excel）", "the roster link is in Chinese")
        browser.find_element(By.ID, "sign-out").click()
        Check.that(arrived_at("/admin/login"), "the officer is signed out")
        browser.get(BASE + "/admin")
        Check.that(arrived_at("/admin/login"), "after signing out the pages ask to sign in")

        # The approver: the queue, approve, then see the change.
        sign_in("approver")
        browser.find_element(By.ID, "nav-approvals").click()
        snap("approvals")
        rows = browser.find_elements(By.CSS_SELECTOR, "#drafts tr[data-draft]")
        Check.that(len(rows) == 2, "the queue holds the officer's two drafts")
        details = [r for r in rows if chosen_text in r.find_element(By.CSS_SELECTOR, "td.changes").text]
        Check.that(len(details) == 1, f"the queue shows what the change of details would change ({chosen_text})")
        Check.that("取得新学历" in details[0].find_element(By.CSS_SELECTOR, "td.note").text, "and the officer's note")
        rows = [r for r in rows if r not in details]
        Check.that(
            "一级主任科员" in rows[0].find_element(By.CSS_SELECTOR, "td.standing").text,
            "the queue shows where the person stands now",
        )
        Check.that(
            "一级主任科员 → 四级调研员" in rows[0].find_element(By.CSS_SELECTOR, "td.changes").text,
            "the queue shows what approving would change",
        )
        rows[0].find_element(By.CSS_SELECTOR, "button.approve").click()
        Check.that(
            len(browser.find_elements(By.CSS_SELECTOR, "#drafts tr[data-draft]")) == 1,
            "after approval the queue holds the change of details only",
        )
        snap("approved")
        browser.get(f"{BASE}/admin/people/{person['id']}")
        Check.that(
            browser.find_element(By.ID, "person-rank").get_attribute("data-rank") == "L4-researcher",
            "the person's rank is now 四级调研员",
        )
        snap("person-promoted")
        drill_down_to_unit()
        after = (band_occupied("principal-1-4"), band_occupied("researcher-1-4"))
        Check.that(
            after == (before[0] - 1, before[1] + 1),
            f"the unit's rank band figures change: {before} -> {after}",
        )
        # The unit's file transfers, one click from its page: the demo sends and receives none.
        browser.find_element(By.ID, "org-exchange").click()
        Check.that(arrived_at(f"/admin/organizations/{org}/exchange"), "the unit's page opens its file transfers")
        Check.that(len(browser.find_elements(By.ID, "exchange-title")) == 1, "the exchange page opens")
        Check.that(
            len(browser.find_elements(By.ID, "outgoing")) + len(browser.find_elements(By.ID, "no-outgoing")) == 1
            and len(browser.find_elements(By.ID, "incoming")) + len(browser.find_elements(By.ID, "no-incoming")) == 1,
            "the exchange page lists the transfers in and out, or says there are none",
        )
        snap("exchange")
        # The promotion pages: the unit's list of who becomes eligible, and the person's reasoning
        # (promoted today, so the wait for the next rank starts again).
        browser.get(f"{BASE}/admin/organizations/{org}/promotion")
        Check.that(len(browser.find_elements(By.ID, "promotion-title")) == 1, "the unit's promotion page opens")
        Check.that(
            len(browser.find_elements(By.ID, "candidates")) + len(browser.find_elements(By.ID, "no-candidates")) == 1,
            "the promotion page lists candidates or says there are none",
        )
        snap("promotion-candidates")
        browser.get(f"{BASE}/admin/people/{person['id']}/promotion")
        Check.that(len(browser.find_elements(By.CSS_SELECTOR, "#steps li")) >= 2, "the reasoning is shown step by step")
        Check.that(len(browser.find_elements(By.ID, "first-unmet")) == 1, "a rank held since today names the rule not yet met")
        snap("promotion-explained")
        snap("unit-after")
        browser.find_element(By.ID, "sign-out").click()
        Check.that(arrived_at("/admin/login"), "the approver is signed out")
        snap("signed-out")

        # The officer: the overview counts the demo's open cases, the list shows them by rule, and
        # one case shows the feed rows it rests on and the person's timeline; the officer
        # dismisses it through its form.
        Check.that(
            {"absent-without-leave", "contributions-stopped", "unknown-person"} <= case_rules,
            f"the demo left open cases to reconcile: {sorted(case_rules)}",
        )
        sign_in("officer")
        browser.find_element(By.ID, "nav-dashboard").click()
        Check.that(
            browser.find_element(By.ID, "open-cases").text == str(len(open_cases)),
            f"the overview counts {len(open_cases)} open cases",
        )
        browser.find_element(By.ID, "cases-link").click()
        Check.that(arrived_at("/admin/cases"), "the overview's tile opens the cases")
        snap("cases")
        listed = browser.find_elements(By.CSS_SELECTOR, "#cases tr[data-case]")
        Check.that(
            sorted(row.get_attribute("data-rule") for row in listed) == sorted(c["rule"] for c in open_cases),
            "the list shows every open case with its rule",
        )
        by_rule = {
            row.get_attribute("data-rule"): row.find_element(By.CSS_SELECTOR, "td.open").text
            for row in browser.find_elements(By.CSS_SELECTOR, "#cases-by-rule tr[data-rule]")
        }
        Check.that(set(by_rule) == case_rules, f"the counts by rule name every rule that found something: {by_rule}")
        absent = next(c for c in open_cases if c["rule"] == "absent-without-leave")
        row = browser.find_element(By.CSS_SELECTOR, f'#cases tr[data-case="{absent["id"]}"]')
        row.find_element(By.CSS_SELECTOR, "a").click()
        Check.that(arrived_at(f"/admin/cases/{absent['id']}"), "the list opens the case")
        Check.that(
            browser.find_element(By.ID, "case-status").get_attribute("data-status") == "open", "the case is open"
        )
        days = absent["evidence"]["facts"]["days"]
        Check.that(
            browser.find_element(By.CSS_SELECTOR, '#facts tr[data-fact="days"] td').text == days,
            f"the evidence says {days} days absent",
        )
        evidence = browser.find_elements(By.CSS_SELECTOR, "#feed-rows tr[data-row]")
        Check.that(
            [int(r.get_attribute("data-row")) for r in evidence] == absent["evidence"]["rows"],
            f"the case shows the {len(evidence)} attendance rows it rests on",
        )
        Check.that(browser.find_element(By.ID, "feed-file").text == "demo-attendance.csv", "the case names its feed")
        timeline = browser.find_elements(By.CSS_SELECTOR, "#timeline tr[data-action]")
        Check.that(
            len(timeline) >= 1 and len(browser.find_elements(By.CSS_SELECTOR, "#timeline tr.cited")) >= 1,
            "the case shows the person's timeline with the action it cites",
        )
        snap("case")
        note = "考勤系统误记, 已核实当月在岗"
        Select(browser.find_element(By.ID, "resolve-outcome")).select_by_value("dismissed")
        browser.find_element(By.ID, "resolve-note").send_keys(note)
        browser.find_element(By.ID, "submit-resolve").click()
        Check.that(arrived_at("done="), "the case page comes back after the decision")
        Check.that(browser.find_element(By.ID, "flash").text != "", "the decision is acknowledged")
        Check.that(
            browser.find_element(By.ID, "case-status").get_attribute("data-status") == "resolved",
            "the case shows as resolved",
        )
        Check.that(browser.find_element(By.ID, "case-note").text == note, "the case keeps the officer's note")
        Check.that(len(browser.find_elements(By.ID, "resolve-form")) == 0, "a resolved case offers no form")
        snap("case-resolved")
        browser.find_element(By.ID, "nav-cases").click()
        still_open = [row.get_attribute("data-case") for row in browser.find_elements(By.CSS_SELECTOR, "#cases tr[data-case]")]
        Check.that(
            str(absent["id"]) not in still_open and len(still_open) == len(open_cases) - 1,
            "the resolved case has left the list of open cases",
        )
        shown = json.loads(dossier("case", "show", str(absent["id"]), "--format", "json"))
        Check.that(
            shown.get("status") == "resolved" and shown.get("outcome") == "dismissed",
            "the record holds the case as resolved, dismissed",
        )
        browser.find_element(By.ID, "sign-out").click()
        Check.that(arrived_at("/admin/login"), "the officer is signed out")

        # A statistician runs the establishment table on the reports page: the preview shows the
        # table with its subtotals, its checks and its chart, with a download in each format.
        sign_in("statistician")
        browser.find_element(By.ID, "nav-reports").click()
        form = browser.find_element(By.CSS_SELECTOR, "#reports tr[data-report='establishment'] form")
        form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
        Check.that(arrived_at("/admin/reports/establishment"), "the table runs from the reports page")
        preview = browser.find_element(By.ID, "report-preview")
        Check.that(len(preview.find_elements(By.CSS_SELECTOR, "table.report tr.subtotal")) >= 1, "the table has subtotals")
        Check.that(len(preview.find_elements(By.CSS_SELECTOR, "figure.chart svg rect")) >= 1, "the table has its chart")
        Check.that(len(browser.find_elements(By.ID, "report-failed")) == 0, "the table's checks hold on the demo")
        Check.that(
            {a.get_attribute("data-format") for a in browser.find_elements(By.CSS_SELECTOR, "a.download")}
            == {"xlsx", "csv", "html", "json"},
            "the table can be downloaded in each format",
        )
        snap("report-establishment")
        browser.find_element(By.ID, "sign-out").click()
        # The printable page as written to a file, opened as a file (no server, no style policy).
        page = os.path.join(SHOTS, "level.html")
        dossier("report", "run", "level", "--format", "html", "--out", os.path.abspath(page))
        browser.get("file://" + os.path.abspath(page))
        Check.that(browser.find_element(By.TAG_NAME, "h1").text.startswith("职务职级层次"), "the printable page opens")
        Check.that(
            browser.find_element(By.CSS_SELECTOR, "table.report th").value_of_css_property("border-top-style") == "solid",
            "the printable page is styled by its own inline style sheet",
        )
        snap("report-level-printable")

        # The administrator switches the viewer off on the users page; the viewer can no longer
        # sign in.
        sign_in("admin")
        browser.find_element(By.ID, "nav-users").click()
        snap("users")
        row = browser.find_element(By.CSS_SELECTOR, "#users tr[data-user='viewer']")
        row.find_element(By.NAME, "reason").send_keys("调离本单位")
        row.find_element(By.ID, "disable-viewer").click()
        Check.that(len(browser.find_elements(By.ID, "flash")) == 1, "the page confirms the viewer is switched off")
        Check.that(
            len(browser.find_elements(By.ID, "enable-viewer")) == 1,
            "the viewer's row offers to switch them on again",
        )
        snap("user-switched-off")
        browser.find_element(By.ID, "sign-out").click()
        browser.get(BASE + "/admin/login")
        browser.find_element(By.ID, "user").send_keys("viewer")
        browser.find_element(By.ID, "password").send_keys(secrets["viewer"])
        browser.find_element(By.ID, "sign-in").click()
        Check.that(
            len(browser.find_elements(By.ID, "current-user")) == 0 and len(browser.find_elements(By.ID, "problem")) == 1,
            "a switched-off user cannot sign in",
        )
        snap("switched-off-sign-in")
    finally:
        browser.quit()
    print(f"{Check.failures} failure(s); screenshots in {SHOTS}/")
    return 1 if Check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
