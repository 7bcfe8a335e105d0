"""What the browser tests share: the edge's address, HTTP through it, the demo's sign-in, Chromium."""
import json
import os
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import unittest
import uuid
from datetime import datetime, timedelta, timezone

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen

EDGE = os.environ["GRIDMESH_EDGE"]
PASSWORD = os.environ["GRIDMESH_DEMO_PASSWORD"]
SCREENSHOTS = os.environ["GRIDMESH_SCREENSHOTS"]
# the edge's certificate is self-signed for localhost: the tests trust it as the browser is told to
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


def request(method, path, body=None, token=None, headers=None, form=False):
    """One request through the edge: (status, headers, body text)."""
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = body.encode() if form else json.dumps(body).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(EDGE + path, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, context=INSECURE, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


_codes_used = {}


def totp_code(subject):
    """The current code of `subject`'s authenticator, from the demo's secrets (gridctl accounts code).
    A code is good once, so a second sign-in within the same 30-second step waits for the next code."""
    with open(os.environ["GRIDMESH_DEMO_TOTP"]) as secrets:
        secret = dict(line.split() for line in secrets if line.strip())[subject]
    while True:
        code = subprocess.run([os.environ["GRIDMESH_GRIDCTL"], "accounts", "code", secret], check=True, capture_output=True, text=True).stdout.strip()
        if _codes_used.get(subject) != code:
            _codes_used[subject] = code
            return code
        time.sleep(30 - time.time() % 30 + 0.5)


def app_tokens(subject, second_factor=False):
    """A phone app's sign-in through the edge (with the authenticator's code when asked): the access tokens per daemon."""
    body = {"username": subject, "password": PASSWORD, "client": "app"}
    if second_factor:
        body["totp_code"] = totp_code(subject)
    status, _, text = request("POST", "/api/auth/v1/sessions", body)
    assert status == 201, text
    return json.loads(text)["access_tokens"]


def service_token(daemon="patrold"):
    """reentryd's service account's token for `daemon`, by the client-credentials grant with its secret."""
    with open(os.environ["GRIDMESH_REENTRYD_SECRET"]) as file:
        secret = file.read().strip()
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "svc-reentryd", "client_secret": secret, "audience": daemon})
    status, _, text = request("POST", "/api/auth/v1/token", form, form=True)
    assert status == 200, text
    return json.loads(text)["access_token"]


def report_finding(description, category="environmental_sanitation"):
    """张敏 reports a finding through the edge, as her phone does; its id."""
    finding = str(uuid.uuid4())
    body = {"id": finding, "category": category, "description": description, "observed_at": (datetime.now(timezone.utc) - timedelta(minutes=30)).isoformat(),
            "latitude": 30.5570, "longitude": 114.3386}  # the rubbish corner of the week, in grid 东亭-03
    status, _, text = request("POST", "/api/patrol/v1/findings", body, token=app_tokens("zhangmin")["patrold"])
    assert status == 201, text
    return finding


def chromium(width=1280, height=800):
    """Headless Chromium in Chinese, trusting the edge's self-signed certificate."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--ignore-certificate-errors", "--lang=zh-CN",
                     f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    phone_size(driver, width, height)
    return driver


def phone_size(driver, width, height):
    """The viewport itself at `width`×`height` (a window cannot be narrower than 500 px), as a touch phone below 720."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 720})
    if width < 720:
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})


def wait_for(test, driver, condition, what):
    """Waits for `condition`; on a timeout keeps a screenshot and prints the page's console."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, 30).until(condition)
    except TimeoutException:
        screenshot(driver, f"failed-{test.id().split('.')[-1]}")
        for entry in driver.get_log("browser"):
            print("console:", entry.get("level"), entry.get("message"))
        test.fail(f"timed out waiting for {what}; page text: {driver.find_element('css selector', 'body').text[:500]}")


def screenshot(driver, name):
    driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))


class BrowserTest(unittest.TestCase):
    """A test with its own headless Chromium at `size`, and waits that say what they waited for."""
    size = (1280, 800)

    def setUp(self):
        self.driver = chromium(*self.size)

    def tearDown(self):
        self.driver.quit()

    def element(self, css):
        return wait_for(self, self.driver, seen.visibility_of_element_located((By.CSS_SELECTOR, css)), css)

    def text_of(self, css, text):
        wait_for(self, self.driver, seen.text_to_be_present_in_element((By.CSS_SELECTOR, css), text), f"{text} in {css}")
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def wait_until(self, condition, what):
        return wait_for(self, self.driver, condition, what)

    def sign_in(self, subject, code=None):
        """Signs `subject` in through the console's form (`code()` gives the authenticator's code)."""
        self.driver.get(EDGE + "/")
        self.element("#username").send_keys(subject)
        self.element("#password").send_keys(PASSWORD)
        self.element("#signin button[type=submit]").click()
        if code is not None:
            field = self.element("#code")
            self.text_of("#signin-error", "动态验证码")
            field.send_keys(code())
            self.element("#signin button[type=submit]").click()
        self.element("#signout")

    def menu(self):
        return [link.text for link in self.driver.find_elements(By.CSS_SELECTOR, "#menu a")]

    def sign_out(self):
        self.element("#signout").click()
        self.element("#signin")
