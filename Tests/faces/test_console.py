"""The console in headless Chromium through nginx: sign-in, a role's menus and pages, a hand-typed
page of another role refused, the session kept across a reload by the refresh cookie, sign-out."""
import json
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from Tests.faces import edge


class Console(edge.BrowserTest):
    def test_a_street_officer_sees_the_ledger_in_chinese_and_not_another_roles_page(self):
        edge.report_finding("东亭路口垃圾堆放，浏览器测试")
        self.sign_in("sgh-officer")
        self.assertIn("水果湖街道干部（街道干部，水果湖街道）", self.element("#who-name").text)
        self.assertEqual(self.menu(), ["实时看板", "问题台账", "网格地图", "五长会议", "督办事项", "一周通报", "我的账户"])
        self.driver.get(edge.EDGE + "/#/ledger")
        row = self.text_of("#ledger-rows", "浏览器测试")
        self.assertIn("已上报", row)
        self.assertIn("环境卫生", row)
        self.assertIn("东亭", row, "the grid by its name, not its code")
        self.assertRegex(row, r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")
        edge.screenshot(self.driver, "console-ledger")
        # the state filter asks patrold again: nothing of ours is dispatched yet
        Select(self.element("#filter-state")).select_by_visible_text("已派遣")
        self.text_of("#ledger-count", "没有符合条件的问题")

        # a page of the inspectors, typed by hand, is refused
        self.driver.get(edge.EDGE + "/#/audit")
        self.assertIn("无权访问", self.element("#refused").text)
        self.assertEqual(self.menu(), ["实时看板", "问题台账", "网格地图", "五长会议", "督办事项", "一周通报", "我的账户"])

        # a reload keeps the session (authd's HttpOnly cookie; no token in the page's storage)
        self.driver.get(edge.EDGE + "/#/account")
        self.text_of("#sessions", "浏览器")
        stored = self.driver.execute_script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")
        self.assertEqual(stored, "{}{}", "no token or refresh token is where a script can read it")

        # signing out ends the session: a reload shows the sign-in form
        self.element("#signout").click()
        self.element("#signin")
        self.driver.get(edge.EDGE + "/")
        self.element("#signin")

    def test_an_inspector_signs_in_with_the_authenticators_code_and_verifies_an_audit_chain(self):
        self.sign_in("inspector-qian", code=lambda: edge.totp_code("inspector-qian"))
        self.assertEqual(self.menu(), ["实时看板", "问题台账", "网格地图", "一周通报", "帮教概况", "审计日志", "我的账户"])
        self.driver.get(edge.EDGE + "/#/audit")
        self.element("#audit-verify").click()
        self.text_of("#audit-verdict", "哈希链完整")
        self.text_of("#audit-rows", "audit.read")
        edge.screenshot(self.driver, "console-audit")

    def test_the_command_centres_board_shows_a_new_finding_as_it_is_reported_pushed_not_polled(self):
        self.sign_in("command", code=lambda: edge.totp_code("command"))
        self.driver.get(edge.EDGE + "/#/live")
        self.text_of("#live-state", "已连接")
        edge.report_finding("实时看板测试：楼顶加层", category="illegal_construction")
        item = self.text_of("#live-events", "违章搭建")
        self.assertIn("新上报", item)
        self.assertIn("东亭", item)
        edge.screenshot(self.driver, "console-live")
        requests = self.driver.execute_script(
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/patrol/v1/live')).length")
        self.assertEqual(requests, 1, "one stream, not a poll")

    def test_the_map_shows_the_streets_grids_and_the_findings_with_a_location(self):
        edge.report_finding("东亭三街转角垃圾，地图测试")
        status, _, text = edge.request("GET", "/api/patrol/v1/grids", token=edge.app_tokens("sgh-officer")["patrold"])
        grids = len(json.loads(text)["features"])
        self.sign_in("sgh-officer")
        self.driver.get(edge.EDGE + "/#/map")
        self.text_of("#map-summary", f"{grids} 个网格")
        self.assertGreater(grids, 1)
        shapes = self.driver.find_elements(By.CSS_SELECTOR, "#map path.leaflet-interactive")
        self.assertGreaterEqual(len(shapes), grids + 1, "every grid a polygon, and the finding a point")
        edge.screenshot(self.driver, "console-map")

    def test_a_wrong_password_is_told_without_saying_which_part_was_wrong(self):
        self.driver.get(edge.EDGE + "/")
        self.element("#username").send_keys("sgh-officer")
        self.element("#password").send_keys("not-the-password-at-all")
        self.element("#signin button[type=submit]").click()
        self.text_of("#signin-error", "账号或密码不正确")

    def test_at_phone_size_the_sign_in_fits_and_every_control_is_a_44px_target(self):
        edge.phone_size(self.driver, 360, 640)
        self.driver.get(edge.EDGE + "/")
        self.element("#signin")
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        self.assertLessEqual(width, 360, "no sideways scrolling")
        heights = self.driver.execute_script(
            "return [...document.querySelectorAll('#signin input:not([type=hidden]), #signin button')]"
            ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)")
        self.assertTrue(heights and all(h >= 44 for h in heights), heights)
        edge.screenshot(self.driver, "console-signin-phone")


if __name__ == "__main__":
    unittest.main()
