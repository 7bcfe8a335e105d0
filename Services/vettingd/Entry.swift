import Daemon
import Vetting

@main
struct Entry {
    static func main() async { await DaemonRuntime.main(Vettingd.definition) }
}
