"""What the browser tests share: the edge's address, HTTP through it, the demo's sign-in, Chromium."""
import json
import os
import ssl
import subprocess
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

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


def totp_code(subject):
    """The current code of `subject`'s authenticator, from the demo's secrets (gridctl accounts code)."""
    with open(os.environ["GRIDMESH_DEMO_TOTP"]) as secrets:
        secret = dict(line.split() for line in secrets if line.strip())[subject]
    return subprocess.run([os.environ["GRIDMESH_GRIDCTL"], "accounts", "code", secret], check=True, capture_output=True, text=True).stdout.strip()


def app_tokens(subject):
    """A phone app's sign-in through the edge: the access tokens per daemon."""
    status, _, text = request("POST", "/api/auth/v1/sessions", {"username": subject, "password": PASSWORD, "client": "app"})
    assert status == 201, text
    return json.loads(text)["access_tokens"]


def report_finding(description, category="environmental_sanitation"):
    """张敏 reports a finding through the edge, as her phone does; its id."""
    finding = str(uuid.uuid4())
    body = {"id": finding, "category": category, "description": description, "observed_at": (datetime.now(timezone.utc) - timedelta(minutes=30)).isoformat()}
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
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    return driver


def screenshot(driver, name):
    driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
