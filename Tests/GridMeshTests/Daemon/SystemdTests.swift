import Daemon
import Foundation
import Testing

@Suite("systemd integration")
struct SystemdTests {
    @Test func theDaemonSaysReadyAndStoppingAndExitsCleanlyOnSIGTERM() async throws {
        let database = try await TestDatabase.make()
        let patrold = try await Mesh.start("patrold", database: database, extra: ["WATCHDOG_USEC": "400000"])
        let ready = try #require(patrold.notifications.first { $0.contains("READY=1") })
        #expect(ready.contains("STATUS=listening on 127.0.0.1:\(patrold.port)"))
        #expect(ready.contains("MAINPID=\(patrold.process.processIdentifier)"))
        // with WATCHDOG_USEC set (and no WATCHDOG_PID), it pings at half the interval
        #expect(
            try await TestSupport.eventually {
                patrold.collect()
                return patrold.notifications.filter { $0 == "WATCHDOG=1" }.count >= 2
            })
        #expect(try await patrold.terminate() == 0)
        #expect(patrold.notifications.contains("STOPPING=1"))
    }

    @Test func aDaemonRefusesToStartOnASchemaBehindItsCode() async throws {
        let database = try await TestDatabase.make()
        try database.connect().execute("DELETE FROM mesh.schema_migrations WHERE schema_name = 'patrol'")
        let process = try DaemonProcess("patrold", environment: Mesh.environment("patrold", database: database))
        await #expect(throws: Failure.self) { try await process.start(timeout: .seconds(20)) }
        #expect(process.process.terminationStatus != 0)
        #expect(process.log.contains("run `gridctl migrate` first"))
    }

    @Test func notifierSpeaksToAbstractAndPathSockets() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path])
        #expect(notifier.send("STATUS=hello"))
        #expect(socket.receiveAll() == ["STATUS=hello"])
        #expect(SystemdNotifier(environment: [:]).send("READY=1") == false)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000"]) == .seconds(2))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"]) == nil)
    }
}
