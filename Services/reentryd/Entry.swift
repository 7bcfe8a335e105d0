import Daemon
import Reentry

@main
struct Entry {
    static func main() async { await DaemonRuntime.main(Reentryd.definition) }
}
