import Auth
import Daemon

@main
struct Entry {
    static func main() async { await DaemonRuntime.main(Authd.definition) }
}
