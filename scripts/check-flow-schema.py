#!/usr/bin/env python3
"""Checks Flows/flow.schema.json with an independent validator (Python jsonschema, draft-07):
the schema itself is valid, every shipped flow and step file satisfies it, and every file of the
broken-flow corpus that is malformed in shape (not only in templates or references) is rejected.
Usage: scripts/check-flow-schema.py [REPO_ROOT]   (exit 0 ok, 1 a check failed)"""
import glob
import json
import os
import sys

import jsonschema
import yaml

root = sys.argv[1] if len(sys.argv) > 1 else "."
schema = json.load(open(os.path.join(root, "Flows/flow.schema.json")))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
failures = 0
checked = 0
for path in sorted(glob.glob(os.path.join(root, "Flows/**/*.yaml"), recursive=True)):
    if os.path.basename(path) in ("targets.yaml", "quarantine.yaml"):
        continue
    checked += 1
    for error in validator.iter_errors(yaml.safe_load(open(path))):
        failures += 1
        print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
corpus = sorted(glob.glob(os.path.join(root, "Tests/FlowRunnerTests/Resources/broken-flows/*.yaml")))
rejected = 0
for path in corpus:
    text = open(path).read()
    if "# schema: rejects" not in text.split("name:", 1)[0]:
        continue
    try:
        errors = list(validator.iter_errors(yaml.safe_load(text)))
    except yaml.YAMLError:
        errors = ["not YAML"]
    if errors:
        rejected += 1
    else:
        failures += 1
        print(f"{path}: marked '# schema: rejects' but the schema accepts it")
print(f"flow.schema.json: {checked} shipped files accepted, {rejected} malformed corpus files rejected, {failures} problems")
sys.exit(1 if failures else 0)
