"""The grid worker's phone page at 360×640 in headless Chromium: a report with a photo made while
offline waits in the outbox, is sent once when the network returns, and the page itself opens with
no network (its service worker)."""
import json
import os
import struct
import tempfile
import unittest
import uuid
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from Tests.faces import edge


def png(width=64, height=48):
    """A small real PNG (a red and white stripe), written without any imaging library."""
    rows = b"".join(b"\x00" + (b"\xb3\x26\x1e" if y % 8 < 4 else b"\xff\xff\xff") * width for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Phone(edge.BrowserTest):
    size = (360, 640)

    def setUp(self):
        super().setUp()
        self.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": edge.EDGE, "permissions": ["geolocation"]})
        # the rubbish corner of the week, in grid dongting-03 (WGS84, as a phone's GPS gives it)
        self.driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 30.5570, "longitude": 114.3386, "accuracy": 12})

    def network(self, up):
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                    {"offline": not up, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    def test_a_report_made_offline_with_a_photo_arrives_once_when_the_network_returns(self):
        self.driver.get(edge.EDGE + "/phone/")
        self.element("#username").send_keys("zhangmin")
        self.element("#password").send_keys(edge.PASSWORD)
        self.element("#signin button[type=submit]").click()
        self.text_of("#who", "张敏")
        # the service worker has the page's files before the network goes
        edge.wait_for(self, self.driver, lambda d: d.execute_script("return navigator.serviceWorker.controller !== null || (location.reload(), false)"),
                      "the service worker to control the page")
        self.element("#start-patrol").click()
        self.text_of("#outbox", "开始巡查")
        self.element("#outbox li[data-state=sent]")
        edge.screenshot(self.driver, "phone-home")

        self.network(False)
        self.text_of("#status", "离线")
        self.element("#new-report").click()
        Select(self.element("#category")).select_by_value("environmental_sanitation")
        self.element("#description").send_keys("东亭二路垃圾桶满溢（离线上报）")
        self.text_of("#location", "精度约 12 米")
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as photo:
            photo.write(png())
        self.element("#photo").send_keys(photo.name)
        edge.screenshot(self.driver, "phone-report")
        self.element("#report button[type=submit]").click()
        item = self.element("#outbox li[data-state=queued]")
        finding = item.get_attribute("data-id")
        self.assertIn("照片 0/1", item.text)
        edge.screenshot(self.driver, "phone-offline-queue")

        # the page itself opens with no network, outbox and all
        self.driver.refresh()
        self.text_of("#outbox", "待发送")

        self.network(True)
        self.element(f"#outbox li[data-id='{finding}'][data-state=sent]")
        self.text_of(f"#outbox li[data-id='{finding}']", "照片 1/1")
        os.unlink(photo.name)

        # the street officer sees it once, with its photo and the phone's location
        officer = edge.app_tokens("sgh-officer")["patrold"]
        status, _, text = edge.request("GET", f"/api/patrol/v1/findings/{finding}", token=officer)
        self.assertEqual(status, 200, text)
        stored = json.loads(text)["finding"]
        self.assertEqual(stored["description"], "东亭二路垃圾桶满溢（离线上报）")
        self.assertAlmostEqual(stored["latitude"], 30.5570, places=3)
        status, _, text = edge.request("GET", f"/api/patrol/v1/findings/{finding}/photos", token=officer)
        self.assertEqual(len(json.loads(text)["items"] if isinstance(json.loads(text), dict) else json.loads(text)), 1, text)
        status, _, text = edge.request("GET", "/api/patrol/v1/findings?limit=200", token=officer)
        self.assertEqual(sum(1 for f in json.loads(text)["items"] if f["id"].lower() == finding), 1, text[:600])

    def test_a_home_visit_reentryd_asked_for_is_reported_with_one_tap(self):
        visit = str(uuid.uuid4())
        body = {"id": visit, "case_id": "c-" + uuid.uuid4().hex[:12], "grid_code": "dongting-03", "due_by": "2030-01-01T18:00:00+08:00"}
        status, _, text = edge.request("POST", "/api/patrol/v1/visit-requests", body, token=edge.service_token())
        self.assertEqual(status, 201, text)
        self.driver.get(edge.EDGE + "/phone/")
        self.element("#username").send_keys("zhangmin")
        self.element("#password").send_keys(edge.PASSWORD)
        self.element("#signin button[type=submit]").click()
        self.element(f"#visits li[data-id='{visit}'] button[data-outcome=not_home]").click()
        self.element(f"#outbox li[data-id='{visit}-report'][data-state=sent]")
        self.assertIn("走访：不在家", self.driver.find_element(By.CSS_SELECTOR, f"#outbox li[data-id='{visit}-report']").text)
        # reported, so no longer among the open requests patrold gives reentryd and the grid
        status, _, text = edge.request("GET", "/api/patrol/v1/visit-requests", token=edge.app_tokens("zhangmin")["patrold"])
        self.assertNotIn(visit, text.lower())

    def test_on_slow_3g_the_page_opens_and_a_grid_worker_signs_in(self):
        # Chromium DevTools' "Slow 3G": 400 ms round trips, about 50 KB/s each way
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                    {"offline": False, "latency": 400, "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024})
        self.driver.get(edge.EDGE + "/phone/")
        self.element("#username").send_keys("chenjie")
        self.element("#password").send_keys(edge.PASSWORD)
        self.element("#signin button[type=submit]").click()
        self.text_of("#who", "陈杰")
        self.element("#new-report")

    def test_the_first_load_is_small_and_the_page_is_installable(self):
        self.driver.get(edge.EDGE + "/phone/")
        self.element("#signin")
        sizes = self.driver.execute_script(
            "return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))"
            ".map(e => e.transferSize || e.encodedBodySize)")
        self.assertLess(sum(sizes), 150 * 1024, sizes)
        manifest = json.loads(edge.request("GET", "/phone/manifest.webmanifest")[2])
        self.assertEqual(manifest["display"], "standalone")
        self.assertEqual(manifest["start_url"], "/phone/")
        heights = self.driver.execute_script(
            "return [...document.querySelectorAll('input, button, select')].filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)")
        self.assertTrue(all(h >= 44 for h in heights), heights)
        edge.screenshot(self.driver, "phone-signin")


if __name__ == "__main__":
    unittest.main()
