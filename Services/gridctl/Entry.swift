import GridCtl

@main
struct Entry {
    static func main() async { await GridCtlCommand.main() }
}
