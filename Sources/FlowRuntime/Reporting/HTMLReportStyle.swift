/// The inline style sheet of `report.html`: system fonts only, no `url(…)`, no `@import`, so the file never fetches
/// anything.
enum HTMLReportStyle {
    static let css = """
        :root { --pass: #1a7f37; --fail: #cf222e; --error: #9a3412; --skip: #6e7781; --flaky: #9a6700;
          --line: #d0d7de; --muted: #57606a; --bg-soft: #f6f8fa; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1200px;
          padding: 16px 24px 48px; color: #1f2328; }
        h1 { font-size: 22px; margin: 8px 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px;
          white-space: pre-wrap; word-break: break-word; max-height: 420px; overflow: auto; margin: 4px 0; }
        .meta { color: var(--muted); margin: 0 0 12px; }
        .banner { padding: 10px 14px; border-radius: 6px; font-weight: 600; margin: 12px 0; color: #fff; }
        .banner.passed { background: var(--pass); }
        .banner.failed { background: var(--fail); }
        .banner.interrupted { background: var(--flaky); }
        .counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
        .count { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 92px; }
        .count b { display: block; font-size: 20px; }
        .count.passed b { color: var(--pass); } .count.failed b { color: var(--fail); } .count.errored b { color: var(--error); }
        .count.skipped b { color: var(--skip); } .count.flaky b { color: var(--flaky); }
        .stack { display: flex; height: 10px; border-radius: 5px; overflow: hidden; background: var(--bg-soft); margin: 8px 0 16px; }
        .stack span { display: block; height: 100%; }
        .stack .passed { background: var(--pass); } .stack .failed { background: var(--fail); }
        .stack .errored { background: var(--error); } .stack .skipped { background: var(--skip); }
        details.flow { border: 1px solid var(--line); border-left-width: 5px; border-radius: 6px; margin: 8px 0; padding: 0 12px; }
        details.flow.passed { border-left-color: var(--pass); } details.flow.failed { border-left-color: var(--fail); }
        details.flow.errored { border-left-color: var(--error); } details.flow.skipped { border-left-color: var(--skip); }
        details.flow.flaky { border-left-color: var(--flaky); }
        details.flow > summary { cursor: pointer; padding: 8px 0; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
        .badge { font-size: 11px; font-weight: 700; text-transform: uppercase; border-radius: 10px; padding: 1px 8px; color: #fff; }
        .badge.passed { background: var(--pass); } .badge.failed { background: var(--fail); } .badge.errored { background: var(--error); }
        .badge.skipped { background: var(--skip); } .badge.flaky { background: var(--flaky); }
        .suite, .time { color: var(--muted); }
        .time { margin-left: auto; font-variant-numeric: tabular-nums; }
        .failure { border: 1px solid var(--fail); border-radius: 6px; padding: 8px; margin: 8px 0; background: #fff5f5; }
        .failure .summary { font-weight: 600; color: var(--fail); }
        table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
        th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: 12px; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .timeline td.bar { width: 28%; min-width: 120px; }
        .track { position: relative; height: 12px; background: var(--bg-soft); border-radius: 3px; }
        .track span { position: absolute; top: 0; bottom: 0; min-width: 2px; border-radius: 3px; background: var(--pass); }
        tr.step.failed .track span { background: var(--fail); } tr.step.errored .track span { background: var(--error); }
        tr.step.skipped .track span { background: var(--skip); }
        tr.step.failed td, tr.step.errored td { background: #fff5f5; }
        .phase { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
        .url { word-break: break-all; }
        .assertion.failed { color: var(--fail); font-weight: 600; }
        details.exchange > summary { cursor: pointer; color: var(--muted); }
        .matrix { font-size: 12px; color: var(--muted); }
        .empty { color: var(--muted); font-style: italic; }
        @media print { details { break-inside: avoid; } }
        """
}
