import Daemon
import Meeting

@main
struct Entry {
    static func main() async { await DaemonRuntime.main(Meetingd.definition) }
}
