#!/usr/bin/env python3
"""A loopback webhook receiver for the drills: the stand-in for the pager and the team chat.

    webhook-receiver.py PORT OUT.jsonl

Listens on 127.0.0.1:PORT and appends one JSON line per POST to OUT.jsonl: {"path", "receivedAt" (Unix seconds),
"body" (the parsed JSON), "problems" (list)}. A POST under /alertmanager/ must be an Alertmanager webhook
notification as Alertmanager documents it (prometheus.io/docs/alerting/latest/configuration/#webhook_config:
version "4", groupKey, status firing|resolved, receiver, groupLabels, commonLabels, commonAnnotations, externalURL,
alerts with status, labels, annotations, startsAt, endsAt, fingerprint); anything else is answered 400 and its
problems recorded, so a drill sees a malformed notification instead of counting it as delivered.
"""
import http.server
import json
import sys
import time

PORT, OUT = int(sys.argv[1]), sys.argv[2]
NOTIFICATION_KEYS = {"version": str, "groupKey": str, "status": str, "receiver": str, "groupLabels": dict,
                     "commonLabels": dict, "commonAnnotations": dict, "externalURL": str, "alerts": list}
ALERT_KEYS = {"status": str, "labels": dict, "annotations": dict, "startsAt": str, "endsAt": str, "fingerprint": str}


def alertmanager_problems(body) -> list[str]:
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = [f"'{key}' is missing or not a {kind.__name__}" for key, kind in NOTIFICATION_KEYS.items()
                if not isinstance(body.get(key), kind)]
    if body.get("version") != "4":
        problems.append(f"version is {body.get('version')!r}, not '4'")
    if body.get("status") not in ("firing", "resolved"):
        problems.append(f"status is {body.get('status')!r}")
    for index, alert in enumerate(body.get("alerts") or []):
        problems += [f"alerts[{index}].{key} is missing or not a {kind.__name__}" for key, kind in ALERT_KEYS.items()
                     if not isinstance(alert, dict) or not isinstance(alert.get(key), kind)]
    return problems


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw)
            problems = []
        except ValueError as error:
            body, problems = raw.decode("utf-8", "replace"), [f"not JSON: {error}"]
        if self.path.startswith("/alertmanager/") and not problems:
            problems = alertmanager_problems(body)
        record = {"path": self.path, "receivedAt": time.time(), "body": body, "problems": problems}
        with open(OUT, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        self.send_response(400 if problems else 200)
        self.end_headers()
        self.wfile.write(b"bad notification\n" if problems else b"ok\n")

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
