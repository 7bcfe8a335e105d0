"""A 五长 meeting run through the console, person by person as on the day: the street officer
schedules it, the city squad's head adds an agenda item, the officer calls the roll (four of five:
quorum), records an action item for the squad and closes the meeting; the head reports the item done
with evidence and the officer verifies it — each step through the pages, checked against meetingd."""
import json
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from Tests.faces import edge

BEIJING = timezone(timedelta(hours=8))


class Meetings(edge.BrowserTest):
    def set_value(self, css, value):
        """Types into a date or datetime-local input as the browser's own picker would fill it."""
        self.driver.execute_script("arguments[0].value = arguments[1]", self.element(css), value)

    def test_a_meeting_is_scheduled_built_held_and_its_action_item_done_and_verified(self):
        starts = (datetime.now(BEIJING) + timedelta(hours=2)).replace(second=0, microsecond=0)
        self.sign_in("sgh-officer")
        self.driver.get(edge.EDGE + "/#/meetings")
        self.element("#new-title").clear()
        self.element("#new-title").send_keys("浏览器测试碰头会")
        self.set_value("#new-start", starts.strftime("%Y-%m-%dT%H:%M"))
        self.element("#new-location").send_keys("街道办三楼会议室")
        self.element("#schedule-submit").click()
        self.text_of("#meeting-state", "待召开")
        meeting = self.driver.current_url.split("id=")[1]
        self.sign_out()

        # the city squad's head puts a matter on the agenda before the meeting
        self.sign_in("sgh-city")
        self.assertIn("五长会议", edge_menu := self.menu())
        self.assertNotIn("审计日志", edge_menu)
        self.driver.get(edge.EDGE + f"/#/meetings?id={meeting}")
        self.element("#item-title").send_keys("东亭路夜市占道回潮，需联合执法")
        self.element("#propose-submit").click()
        self.text_of("#agenda", "东亭路夜市占道")
        self.assertIn("成员议题", self.element("#agenda").text)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "#start"), [], "heads do not open meetings")
        self.sign_out()

        # the officer calls the roll: the food and drug office is absent, four of five is quorum
        self.sign_in("sgh-officer")
        self.driver.get(edge.EDGE + f"/#/meetings?id={meeting}")
        self.text_of("#agenda", "东亭路夜市占道")
        self.element("#present-food_and_drug").click()
        self.text_of("#present-count", "到会 4 / 法定人数 4")
        self.element("#present-market_regulation").click()
        self.text_of("#present-count", "不足法定人数")
        self.element("#present-market_regulation").click()
        self.element("#start-submit").click()
        self.text_of("#meeting-state", "进行中")
        self.text_of("#attendance", "缺席：水果湖食药监所")

        Select(self.element("#outcome-kind")).select_by_visible_text("督办事项")
        Select(self.element("#outcome-agenda")).select_by_index(1)
        self.element("#outcome-text").send_keys("联合执法清理东亭路夜市占道")
        Select(self.element("#outcome-owner")).select_by_visible_text("水果湖城管中队")
        # a deadline before today is refused, and said so beside the form
        self.set_value("#outcome-deadline", (starts - timedelta(days=3)).strftime("%Y-%m-%d"))
        self.element("#outcome-submit").click()
        self.text_of("#outcome-error", "填写有误")
        self.set_value("#outcome-deadline", (starts + timedelta(days=7)).strftime("%Y-%m-%d"))
        self.element("#outcome-submit").click()
        self.text_of("#outcomes", "联合执法清理东亭路夜市占道")
        self.assertIn("水果湖城管中队", self.element("#outcomes").text)
        edge.screenshot(self.driver, "console-meeting")
        self.element("#close-meeting").click()
        self.text_of("#meeting-state", "已结束")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "#outcome"), [], "closed minutes take no more outcomes")
        self.element("#outcomes a").click()
        self.text_of("#item-state", "办理中")
        item = self.driver.current_url.split("id=")[1]
        self.sign_out()

        # the head reports it done with evidence; the street's list shows it waiting for verification
        self.sign_in("sgh-city")
        self.driver.get(edge.EDGE + "/#/actions")
        self.text_of("#action-items", "联合执法清理东亭路夜市占道")
        self.element(f'#action-items tr[data-id="{item}"] a').click()
        self.element("#evidence").send_keys("已联合派出所清理，设置隔离栏 20 米")
        self.element("#done-submit").click()
        self.text_of("#item-state", "已办结待核")
        self.text_of("#history", "报告办结：已联合派出所清理")
        self.sign_out()

        self.sign_in("sgh-officer")
        self.driver.get(edge.EDGE + f"/#/actions?id={item}")
        self.element("#verify-submit").click()
        self.text_of("#item-state", "已核销")
        edge.screenshot(self.driver, "console-action-item")

        # what the pages did is what meetingd holds
        status, _, text = edge.request("GET", f"/api/meeting/v1/action-items/{item}", token=edge.app_tokens("sgh-officer")["meetingd"])
        self.assertEqual(status, 200, text)
        held = json.loads(text)
        self.assertEqual(held["state"], "verified")
        self.assertEqual([c["change"] for c in held["history"]], ["done", "verify"])
        status, _, text = edge.request("GET", f"/api/meeting/v1/meetings/{meeting}", token=edge.app_tokens("sgh-officer")["meetingd"])
        minutes = json.loads(text)
        self.assertEqual(minutes["absent"], ["shuiguohu/food_and_drug"])
        self.assertEqual([a["kind"] for a in minutes["agenda"]], ["member_item"])
