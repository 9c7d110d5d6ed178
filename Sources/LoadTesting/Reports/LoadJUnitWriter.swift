import FlowRuntime

/// `load-junit.xml`: one `<testcase>` per threshold in the suite `load thresholds` (class `load.<target>`), failed
/// with the measured value when it broke, so a CI test view names the SLO that failed. Valid against the same JUnit
/// XSD as `junit.xml`.
enum LoadJUnitWriter {
    static func render(_ results: LoadResults) -> String {
        let failures = results.thresholds.filter { !$0.passed }.count
        let seconds = String(format: "%.3f", results.durationSeconds)
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="illajwala-flows load" tests="\#(results.thresholds.count)" failures="\#(failures)" errors="0" time="\#(seconds)">"#,
            #"  <testsuite name="load thresholds" tests="\#(results.thresholds.count)" failures="\#(failures)" errors="0" skipped="0" time="\#(seconds)" timestamp="\#(XMLText.escapeAttribute(String(results.startedAt.prefix(19))))">"#,
        ]
        for outcome in results.thresholds {
            let name = XMLText.escapeAttribute(outcome.threshold)
            let className = XMLText.escapeAttribute("load.\(results.target)")
            if outcome.passed {
                lines.append(#"    <testcase name="\#(name)" classname="\#(className)" time="\#(seconds)"/>"#)
            } else {
                lines.append(#"    <testcase name="\#(name)" classname="\#(className)" time="\#(seconds)">"#)
                lines.append(
                    #"      <failure message="\#(XMLText.escapeAttribute(outcome.message))" type="ThresholdBroken">\#(XMLText.escapeText(outcome.message))</failure>"#
                )
                lines.append("    </testcase>")
            }
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }
}
