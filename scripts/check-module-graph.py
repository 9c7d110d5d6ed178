#!/usr/bin/env python3
"""Checks that the package graph reads one way (docs/architecture.md): core <- runner <- command line for the flow
runner, domain <- service <- test support for the booking platform, and only LocalTarget and the executables join the
two lines. Reads `swift package describe --type json` on standard input; prints each rule and exits 1 naming every
module that breaks one."""
import json
import sys

RUNNER = ["FlowCore", "TextFileIO", "APITransport", "FlowRuntime", "CoverageGate", "FlowCommands"]
SERVICE = {"BookingCore", "BookingServer", "IllajwalaTesting", "IllajwalaSwiftTesting", "IllajwalaXCTest", "LocalTarget"}
RULES = {
    # module: modules of this package it may reach (transitively)
    "BookingCore": set(),
    "FlowCore": set(),
    "APITransport": set(),
    "TextFileIO": {"FlowCore"},
    "CoverageGate": {"FlowCore", "TextFileIO"},
}


def main() -> int:
    try:
        package = json.load(sys.stdin)
    except json.JSONDecodeError as error:
        print(f"check-module-graph: standard input is not `swift package describe --type json` output: {error}", file=sys.stderr)
        return 2
    targets = {target["name"]: target for target in package.get("targets", [])}
    missing = [name for name in RUNNER + list(RULES) if name not in targets]
    if missing:
        print(f"check-module-graph: Package.swift has no target {', '.join(missing)}", file=sys.stderr)
        return 1

    def closure(name: str) -> set:
        seen, stack = set(), [name]
        while stack:
            for dependency in targets[stack.pop()].get("target_dependencies", []):
                if dependency not in seen and dependency in targets:
                    seen.add(dependency)
                    stack.append(dependency)
        return seen - {"BuildInfoPlugin"}

    failures = 0
    for name in RUNNER:
        reached = closure(name) & SERVICE
        print(f"{name}: reaches {', '.join(sorted(closure(name))) or 'no module of this package'}")
        if reached:
            print(f"  FAIL: the runner module {name} depends on the service: {', '.join(sorted(reached))}")
            failures += 1
    for name, allowed in RULES.items():
        extra = closure(name) - allowed - {"BuildInfo"}
        if extra:
            print(f"  FAIL: {name} may reach only {', '.join(sorted(allowed)) or 'nothing'} but reaches {', '.join(sorted(extra))}")
            failures += 1
    print("module graph: " + ("OK" if failures == 0 else f"{failures} rule(s) broken"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
