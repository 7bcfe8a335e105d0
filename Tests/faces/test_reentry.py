"""Reentry work in the console: a caseworker sees an overdue first contact on her due list, opens the
case by its ref (no name anywhere until she asks), shows the identity — a read reentryd audits — and
logs the home visit that clears it; the command centre sees counts per community and nothing else."""
import json
import uuid
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from Tests.faces import edge

BEIJING = timezone(timedelta(hours=8))


def national_id(birth, sequence):
    """A well-formed resident ID number (GB 11643: its check character computed) for Wuchang, 420106."""
    body = f"420106{birth}{sequence:03d}"
    total = sum(int(d) * w for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)))
    return body + "10X98765432"[total % 11]


def open_case(name, id_number):
    """孙主任 opens a post-release case that started twenty days ago in grid 东亭-05, with 刘社工 as its community worker."""
    today = datetime.now(BEIJING).date()
    case = str(uuid.uuid4())
    body = {"id": case, "kind": "post_release", "level": "strict", "starts_on": str(today - timedelta(days=20)),
            "ends_on": str(today + timedelta(days=700)), "residence_grid": "dongting-05", "community_worker": "caseworker-liu",
            "police_officer": "officer-zhao", "person": {"name": name, "national_id": id_number}}
    token = edge.app_tokens("supervisor-sun", second_factor=True)["reentryd"]
    status, _, text = edge.request("POST", "/api/reentry/v1/cases", body, token=token)
    assert status == 201, text
    return case, json.loads(text)["case_ref"]


class Reentry(edge.BrowserTest):
    def test_a_caseworker_clears_an_overdue_contact_and_sees_the_person_only_on_asking(self):
        case, ref = open_case("王强", national_id("19800101", 123))
        self.sign_in("caseworker-liu", code=lambda: edge.totp_code("caseworker-liu"))
        self.assertIn("矫正安置帮教", self.menu())
        self.assertNotIn("帮教概况", self.menu())
        self.driver.get(edge.EDGE + "/#/reentry")
        row = self.text_of(f'#due tr[data-case="{case}"]', ref)
        self.assertIn("已逾期", row)
        self.assertNotIn("王强", self.element("main").text, "the lists show the ref, never the name")
        self.element(f'#due tr[data-case="{case}"] a').click()
        self.text_of("h2", f"案件 {ref}")
        self.assertIn("已逾期", self.element("#obligations").text)
        self.assertNotIn("王强", self.element("main").text)
        self.element("#show-identity").click()
        self.text_of("#identity", "王强")
        self.assertIn("已记入审计日志", self.element("#identity").text)
        edge.screenshot(self.driver, "console-reentry-case")

        Select(self.element("#contact-type")).select_by_visible_text("入户走访")
        self.assertEqual(Select(self.element("#contact-location")).first_selected_option.text, "住所")
        self.driver.execute_script("arguments[0].value = arguments[1]", self.element("#contact-when"),
                                   (datetime.now(BEIJING) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
        self.element("#contact-notes").send_keys("本人在家，情绪稳定")
        self.element("#contact-submit").click()
        self.wait_until(lambda _: "已逾期" not in self.driver.find_element(By.CSS_SELECTOR, "#obligations").text, "the overdue contact to clear")
        self.element("#show-contacts").click()
        self.text_of("#contacts", "入户走访")
        self.driver.get(edge.EDGE + "/#/reentry")
        self.element("#due")
        self.assertNotIn("已逾期", self.element("#due").text if self.driver.find_elements(By.CSS_SELECTOR, f'#due tr[data-case="{case}"]') else "")

        # the identity was read once, and reentryd's audit log says who
        inspector = edge.app_tokens("inspector-qian", second_factor=True)["reentryd"]
        status, _, text = edge.request("GET", "/api/reentry/v1/audit?action=person.read&limit=50", token=inspector)
        self.assertEqual(status, 200, text)
        reads = [e for e in json.loads(text)["entries"] if e["actor"] == "caseworker-liu"]
        self.assertEqual(len(reads), 1, reads)

    def test_the_command_centre_sees_counts_per_community_and_no_case(self):
        open_case("李明", national_id("19850612", 456))
        self.sign_in("command", code=lambda: edge.totp_code("command"))
        self.assertNotIn("矫正安置帮教", self.menu())
        self.driver.get(edge.EDGE + "/#/reentry-counts")
        row = self.text_of("#reentry-counts", "东亭社区")
        self.assertIn("水果湖街道", row)
        self.assertNotIn("RC-", self.element("main").text)
        self.assertNotIn("李明", self.element("main").text)
        self.driver.get(edge.EDGE + "/#/reentry")
        self.assertIn("无权访问", self.element("#refused").text)
