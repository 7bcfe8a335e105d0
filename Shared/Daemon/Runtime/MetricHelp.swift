/// The HELP text of every metric family the mesh exports. swift-metrics has no place for it, so
/// `/metrics` writes each one above its family's `# TYPE` line (Prometheus' text format, and what
/// `promtool check metrics` asks for).
enum MetricHelp {
    static let texts: [String: String] = [
        "gridmesh_http_requests_total": "HTTP requests answered, by method, route and status.",
        "gridmesh_http_request_duration_seconds": "Time to answer an HTTP request, by route.",
        "gridmesh_bus_handled_total": "Events this daemon's handlers finished, by subscriber.",
        "gridmesh_bus_failed_total": "Handler attempts that failed and will be retried, by subscriber.",
        "gridmesh_bus_dead_total": "Deliveries that ran out of attempts, by subscriber.",
        "gridmesh_bus_lag_seconds": "From an event's commit to its handler finishing, by subscriber.",
        "gridmesh_bus_dead_deliveries": "Deliveries of this subscriber that are dead and wait for a replay.",
        "gridmesh_bus_waiting_deliveries": "Deliveries of this subscriber not yet handled.",
        "gridmesh_bus_oldest_waiting_seconds": "Age of the oldest delivery this subscriber has not handled.",
        "gridmesh_pg_notification_queue_usage": "Fraction of PostgreSQL's NOTIFY queue in use (pg_notification_queue_usage).",
        "gridmesh_webhook_deliveries_total": "Outbound webhook attempts, by outcome (delivered or failed).",
        "gridmesh_calendar_missing_years": "Years the holiday calendar should hold and does not (this year; from 1 December, the next).",
        "gridmesh_findings_overdue": "Open findings past their deadline.",
    ]

    /// `text` (Prometheus' exposition format) with a `# HELP` line above each known family's `# TYPE`.
    static func annotate(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE "), let name = line.dropFirst(7).split(separator: " ").first, let help = texts[String(name)] {
                lines.append("# HELP \(name) \(help)")
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
