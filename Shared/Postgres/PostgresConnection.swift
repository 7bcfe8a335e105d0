import CLibPQ
import Foundation

/// One libpq connection. Blocking: it is only ever used on a thread the pool or the listener owns,
/// never on the Swift cooperative pool or an event loop.
public final class PostgresConnection {
    let handle: OpaquePointer
    /// Statements prepared on this session, by SQL text and parameter types: the server parses and
    /// plans each once per connection instead of on every execution.
    private var prepared: [PreparedKey: String] = [:]
    static let preparedLimit = 256
    /// Work to run once the enclosing transaction has committed (for example, wake-up hints).
    private var afterCommit: [@Sendable () -> Void] = []
    private var transactionDepth = 0
    /// Set when the server said FATAL while the session was idle (a terminated backend): the
    /// message arrives before the socket closes, so the session is known dead a moment sooner.
    private let farewell = Farewell()

    final class Farewell {
        var heard = false
    }

    /// Connects with a libpq conninfo string; an empty string means libpq's defaults
    /// (`PG*` environment variables, the service file, `.pgpass`).
    public init(conninfo: String, settings: SessionSettings = .init()) throws {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(code: .connectionFailure, message: "out of memory creating a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let error = PostgresError(result: nil, connection: handle)
            PQfinish(handle)
            throw error
        }
        self.handle = handle
        // libpq hands a message that arrives while idle to the notice receiver; other notices
        // (NOTICE, WARNING) are dropped rather than printed to stderr, where a DETAIL could carry a row
        PQsetNoticeReceiver(
            handle,
            { context, result in
                guard let context, let result, let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))) else { return }
                if ["FATAL", "PANIC"].contains(String(cString: severity)) { Unmanaged<Farewell>.fromOpaque(context).takeUnretainedValue().heard = true }
            }, Unmanaged.passUnretained(farewell).toOpaque())
        try execute(script: settings.sql)
    }

    deinit { PQfinish(handle) }

    /// False once the session is gone. An idle connection whose socket turned readable has heard
    /// from the server (a termination notice, or EOF): reading that input reveals a dead session
    /// before a statement fails on it.
    public var isHealthy: Bool {
        guard PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) == PQTRANS_IDLE else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        // A termination arrives as an error message and then EOF: read until nothing is pending.
        for _ in 0..<4 where poll(&descriptor, 1, 0) > 0 {
            if PQconsumeInput(handle) == 0 { return false }
            while let notify = PQnotifies(handle) { PQfreemem(notify) }
        }
        return !farewell.heard && PQstatus(handle) == CONNECTION_OK
    }

    /// The server process id of this session (what `pg_terminate_backend` takes).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Runs one parameterised statement and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> PostgresRows {
        let binds = parameters.map(\.postgresBind)
        var types = [UInt32]()
        var formats = [Int32]()
        var lengths = [Int32]()
        var buffers = [[UInt8]?]()
        types.reserveCapacity(binds.count)
        for bind in binds {
            switch bind {
            case .text(let text, let oid):
                types.append(oid)
                formats.append(0)
                lengths.append(0)
                buffers.append(Array(text.utf8) + [0])
            case .binary(let bytes, let oid):
                types.append(oid)
                formats.append(1)
                lengths.append(Int32(bytes.count))
                buffers.append(bytes.isEmpty ? [0] : bytes)
            case .null(let oid):
                types.append(oid)
                formats.append(0)
                lengths.append(0)
                buffers.append(nil)
            }
        }
        let name = try preparedName(sql, types: types)
        let result = withPointers(buffers) { values in
            PQexecPrepared(handle, name, Int32(binds.count), values, lengths, formats, 0)
        }
        do {
            return try PostgresRows(checking: result, connection: handle)
        } catch let error as PostgresError where error.code == .cachedPlanChanged && error.message.contains("cached plan") && !inTransaction {
            // the schema changed under a prepared statement: prepare it again, once
            prepared[PreparedKey(sql: sql, types: types)] = nil
            return try query(sql, parameters)
        }
    }

    struct PreparedKey: Hashable {
        let sql: String
        let types: [UInt32]
    }

    private func preparedName(_ sql: String, types: [UInt32]) throws -> String {
        let key = PreparedKey(sql: sql, types: types)
        if let name = prepared[key] { return name }
        if prepared.count >= Self.preparedLimit {
            try execute(script: "DEALLOCATE ALL")
            prepared.removeAll()
        }
        let name = "gm\(prepared.count + 1)"
        let result = PQprepare(handle, name, sql, Int32(types.count), types)
        _ = try PostgresRows(checking: result, connection: handle)
        prepared[key] = name
        return name
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs a script of one or more statements with no parameters (migrations, session set-up).
    public func execute(script: String) throws {
        let result = PQexec(handle, script)
        _ = try PostgresRows(checking: result, connection: handle)
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    /// Nested calls join the outer transaction.
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted, statementTimeout: Duration? = nil, _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body(self)
        }
        try execute(script: "BEGIN ISOLATION LEVEL \(isolation.sql)")
        transactionDepth = 1
        defer {
            transactionDepth = 0
            afterCommit.removeAll()
        }
        do {
            if let statementTimeout {
                try execute("SELECT set_config('statement_timeout', $1, true)", [String(statementTimeout.milliseconds)])
            }
            let value = try body(self)
            try execute(script: "COMMIT")
            let actions = afterCommit
            afterCommit.removeAll()
            for action in actions { action() }
            return value
        } catch {
            if PQstatus(handle) == CONNECTION_OK { _ = try? execute(script: "ROLLBACK") }
            throw error
        }
    }

    /// Registers work to run after the current transaction commits; dropped if it rolls back.
    /// Outside a transaction, runs at once.
    public func onCommit(_ action: @escaping @Sendable () -> Void) {
        if transactionDepth > 0 { afterCommit.append(action) } else { action() }
    }

    public var inTransaction: Bool { transactionDepth > 0 }
}

public enum IsolationLevel: Sendable {
    case readCommitted, repeatableRead, serializable

    var sql: String {
        switch self {
        case .readCommitted: "READ COMMITTED"
        case .repeatableRead: "REPEATABLE READ"
        case .serializable: "SERIALIZABLE"
        }
    }
}

/// Settings every session starts with, so decoding does not depend on the server's defaults.
public struct SessionSettings: Sendable {
    public var applicationName: String
    public var statementTimeout: Duration
    public var lockTimeout: Duration

    public init(applicationName: String = "gridmesh", statementTimeout: Duration = .seconds(15), lockTimeout: Duration = .seconds(5)) {
        self.applicationName = applicationName
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
    }

    var sql: String {
        let name = applicationName.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return """
            SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601';
            SET extra_float_digits = 3; SET bytea_output = 'hex'; SET client_encoding = 'UTF8';
            SET application_name = '\(name)';
            SET statement_timeout = \(statementTimeout.milliseconds); SET lock_timeout = \(lockTimeout.milliseconds);
            """
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

private func withPointers<R>(_ buffers: [[UInt8]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var pointers = [UnsafePointer<CChar>?]()
    pointers.reserveCapacity(buffers.count)
    func recurse(_ index: Int) -> R {
        if index == buffers.count { return body(pointers) }
        guard let buffer = buffers[index] else {
            pointers.append(nil)
            return recurse(index + 1)
        }
        return buffer.withUnsafeBufferPointer { raw in
            raw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: raw.count) { pointer in
                pointers.append(pointer)
                return recurse(index + 1)
            }
        }
    }
    return recurse(0)
}
