#!/usr/bin/env python3
"""Checks the documentation's links and the alerts' runbooks (docs/testing.md, "Documentation test").

1. Every relative link in README.md and docs/**/*.md resolves: the file or folder exists and its `#anchor` names a
   heading of the target (GitHub's slugs: lower case, punctuation dropped, spaces to '-', repeats numbered -1, -2…)
   or an explicit `<a id="…">`. External links (http, https, mailto) are not fetched.
2. Every alert of ops/prometheus/alerts.yml has a `runbook_url` that resolves the same way, and every section of
   docs/runbooks.md that names alerts (`**Alert** `Name`` / `**Alerts** `A` and `B``) names only alerts that exist
   — each alert has a runbook section and each runbook section an alert.

Usage: scripts/check-doc-links.py [ROOT]   (exit 1 listing every broken link as FILE:LINE: message)
"""
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
INLINE_LINK = re.compile(r"(?<!!)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+\".*\")?\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
CODE_SPAN = re.compile(r"`+[^`]*`+")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup removed, lower case, only letters, digits, '-', '_' and spaces kept,
    spaces turned into '-'."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("*", "").strip().lower()
    text = "".join(ch for ch in text if ch.isalnum() or ch in "-_ ")
    return text.replace(" ", "-")


def prose_lines(path: pathlib.Path):
    """(line number, text) of the lines outside fenced code blocks."""
    inside = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(line):
            inside = not inside
            continue
        if not inside:
            yield number, line


_anchors: dict[pathlib.Path, set[str]] = {}


def anchors(path: pathlib.Path) -> set[str]:
    if path not in _anchors:
        found: set[str] = set()
        counts: dict[str, int] = {}
        for _, line in prose_lines(path):
            found.update(HTML_ANCHOR.findall(line))
            match = HEADING.match(line)
            if match:
                base = slug(match.group(2))
                count = counts.get(base, 0)
                counts[base] = count + 1
                found.add(base if count == 0 else f"{base}-{count}")
        _anchors[path] = found
    return _anchors[path]


def check_target(source: pathlib.Path, target: str, base: pathlib.Path) -> str | None:
    """A message when `target` (relative to `base`) does not resolve, else None."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
        return None
    path_part, _, anchor = target.partition("#")
    resolved = (base / path_part).resolve() if path_part else source
    if not resolved.exists():
        return f"'{target}': {path_part} does not exist"
    if anchor:
        if resolved.is_dir() or resolved.suffix.lower() != ".md":
            return f"'{target}': an anchor into {path_part or source.name}, which is not a Markdown file"
        if anchor not in anchors(resolved):
            return f"'{target}': no heading or anchor '#{anchor}' in {resolved.relative_to(ROOT)}"
    return None


def check_markdown(problems: list[str]) -> int:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    links = 0
    for path in files:
        for number, line in prose_lines(path):
            text = CODE_SPAN.sub("", line)
            targets = INLINE_LINK.findall(text) + IMAGE_LINK.findall(text)
            definition = REFERENCE_DEFINITION.match(text)
            if definition:
                targets.append(definition.group(1))
            for target in targets:
                links += 1
                message = check_target(path, target, path.parent)
                if message:
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {message}")
    return links


def check_runbooks(problems: list[str]) -> int:
    rules_path = ROOT / "ops/prometheus/alerts.yml"
    runbooks = ROOT / "docs/runbooks.md"
    alerts: dict[str, str] = {}
    for group in yaml.safe_load(rules_path.read_text(encoding="utf-8"))["groups"]:
        for rule in group["rules"]:
            if "alert" in rule:
                alerts[rule["alert"]] = rule.get("annotations", {}).get("runbook_url", "")
    for name, url in alerts.items():
        if not url:
            problems.append(f"{rules_path.relative_to(ROOT)}: alert {name} has no runbook_url")
            continue
        message = check_target(rules_path, url, ROOT)
        if message:
            problems.append(f"{rules_path.relative_to(ROOT)}: alert {name}: runbook_url {message}")
        elif not url.startswith("docs/runbooks.md#"):
            problems.append(f"{rules_path.relative_to(ROOT)}: alert {name}: runbook_url '{url}' is not a section of docs/runbooks.md")

    named_in_sections: dict[str, str] = {}
    section, section_line, section_alerts = None, 0, []

    def close_section():
        if section is None:
            return
        if not section_alerts:
            problems.append(f"docs/runbooks.md:{section_line}: section '{section}' names no alert (**Alert** `Name`)")
        for alert in section_alerts:
            if alert not in alerts:
                problems.append(f"docs/runbooks.md:{section_line}: section '{section}' names {alert}, which is not an alert of {rules_path.relative_to(ROOT)}")
            named_in_sections[alert] = slug(section)

    for number, line in prose_lines(runbooks):
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) == 2:
            close_section()
            section, section_line, section_alerts = heading.group(2), number, []
        elif section is not None and re.match(r"^\*\*Alerts?\*\*", line):
            section_alerts += re.findall(r"`(Illajwala\w+)`", line)
    close_section()
    for name, url in alerts.items():
        anchor = url.partition("#")[2]
        if named_in_sections.get(name) != anchor and url:
            problems.append(f"{rules_path.relative_to(ROOT)}: alert {name} links to #{anchor}, but docs/runbooks.md's section for it is "
                            + (f"#{named_in_sections[name]}" if name in named_in_sections else "missing"))
    return len(alerts)


def main() -> int:
    problems: list[str] = []
    links = check_markdown(problems)
    alerts = check_runbooks(problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"check-doc-links: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-doc-links: {links} relative links and anchors resolve; {alerts} alerts, each with its runbook section")
    return 0


if __name__ == "__main__":
    sys.exit(main())
