"""nginx as the one origin: security headers on every answer, what it does not serve, logs without
query strings or tokens, and its own limit on sign-in attempts."""
import os
import unittest

from Tests.faces import edge


class Edge(unittest.TestCase):
    def test_every_answer_carries_the_security_headers(self):
        for path in ("/", "/console/console.js", "/api/patrol/v1/categories", "/api/auth/.well-known/jwks.json", "/nowhere"):
            status, headers, _ = edge.request("GET", path)
            self.assertIn("default-src 'self'", headers.get("Content-Security-Policy", ""), path)
            self.assertIn("frame-ancestors 'none'", headers.get("Content-Security-Policy", ""), path)
            self.assertEqual(headers.get("X-Frame-Options"), "DENY", path)
            self.assertIn("max-age=", headers.get("Strict-Transport-Security", ""), path)
            self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff", path)

    def test_the_apis_are_under_one_prefix_each_and_metrics_stay_inside(self):
        for prefix in ("patrol", "meeting", "reentry", "vetting", "auth"):
            status, _, text = edge.request("GET", f"/api/{prefix}/openapi.json")
            self.assertEqual(status, 200, prefix)
            self.assertIn('"openapi"', text)
            self.assertEqual(edge.request("GET", f"/api/{prefix}/metrics")[0], 404, prefix)
        status, _, _ = edge.request("POST", "/api/patrol/v1/findings", "x" * (9 << 20), headers={"Content-Type": "application/json"})
        self.assertEqual(status, 413)

    def test_the_access_log_has_no_query_string_and_no_token(self):
        token = edge.app_tokens("sgh-officer")["patrold"]
        edge.request("GET", "/api/meeting/v1/feeds/gmcal_thisisnotarealcapability.ics?secret=query-value-here")
        edge.request("GET", "/api/patrol/v1/findings?street=shuiguohu", token=token)
        with open(os.environ["GRIDMESH_EDGE_LOG"]) as log:
            text = log.read()
        self.assertIn("/api/patrol/v1/findings", text)
        self.assertNotIn("query-value-here", text)
        self.assertNotIn("street=shuiguohu", text)
        self.assertNotIn(token, text)

    def test_z_sign_in_attempts_beyond_the_edges_rate_are_refused_by_nginx(self):
        # the last test of all (its address is slowed for a while afterwards)
        # (scripts/faces runs the edge at 120 a minute with bursts of 20: forty at once go past it)
        answers = [edge.request("POST", "/api/auth/v1/sessions", {"username": "nobody", "password": "x" * 12}) for _ in range(40)]
        from_nginx = [status for status, headers, text in answers if status == 429 and "nginx" in text]
        self.assertTrue(from_nginx, [status for status, _, _ in answers])


if __name__ == "__main__":
    unittest.main()
