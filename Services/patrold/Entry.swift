import Daemon
import Patrol

@main
struct Entry {
    static func main() async { await DaemonRuntime.main(Patrold.definition) }
}
