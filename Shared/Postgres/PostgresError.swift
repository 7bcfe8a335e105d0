import CLibPQ

/// An error from PostgreSQL or from talking to it: the SQLSTATE code and the server's own words.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// A SQLSTATE code (five characters), or one of the client-side codes below.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let uniqueViolation = Code(rawValue: "23505")
        public static let foreignKeyViolation = Code(rawValue: "23503")
        public static let checkViolation = Code(rawValue: "23514")
        public static let notNullViolation = Code(rawValue: "23502")
        public static let serializationFailure = Code(rawValue: "40001")
        public static let deadlockDetected = Code(rawValue: "40P01")
        public static let queryCanceled = Code(rawValue: "57014")
        public static let adminShutdown = Code(rawValue: "57P01")
        public static let insufficientPrivilege = Code(rawValue: "42501")
        public static let undefinedTable = Code(rawValue: "42P01")
        public static let invalidTextRepresentation = Code(rawValue: "22P02")
        public static let lockNotAvailable = Code(rawValue: "55P03")
        /// SQLSTATE class 08: the connection is gone or could not be made.
        public static let connectionFailure = Code(rawValue: "08006")
        /// "cached plan must not change result type": a prepared statement outlived a schema change.
        public static let cachedPlanChanged = Code(rawValue: "0A000")
        /// Client side: a value could not be decoded into the requested Swift type.
        public static let decoding = Code(rawValue: "GMDEC")
        /// Client side: no connection of the pool became free in time.
        public static let poolTimeout = Code(rawValue: "GMPTO")
        /// Client side: the pool was closed.
        public static let poolClosed = Code(rawValue: "GMPCL")
    }

    public let code: Code
    public let message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var column: String?

    public init(code: Code, message: String, detail: String? = nil, hint: String? = nil, constraint: String? = nil, column: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.column = column
    }

    /// True for the failures a transaction should simply be retried after.
    public var isTransient: Bool { code == .serializationFailure || code == .deadlockDetected }

    /// True when the connection itself is unusable (SQLSTATE class 08, or an administrator ended the session).
    public var isConnectionLoss: Bool { code.rawValue.hasPrefix("08") || code == .adminShutdown || code.rawValue == "57P02" || code.rawValue == "57P03" }

    /// Code, message and constraint only: PostgreSQL's DETAIL may quote the failing row (a clue's
    /// text, a person's name), so it is never part of what gets logged; read `detail` where needed.
    /// A data exception's message may quote the offending input, so only its code is told.
    public var description: String {
        if code.rawValue.hasPrefix("22") { return "PostgreSQL \(code): data exception" + (constraint.map { " (\($0))" } ?? "") }
        return "PostgreSQL \(code): \(message)" + (constraint.map { " (constraint \($0))" } ?? "")
    }

    /// A statement refused for the values it was given (SQLSTATE class 22, a CHECK or NOT NULL):
    /// input validation let something through that the schema does not take.
    public var isRefusedValue: Bool { code.rawValue.hasPrefix("22") || code == .checkViolation || code == .notNullViolation }

    init(result: OpaquePointer?, connection: OpaquePointer?) {
        func field(_ name: Int32) -> String? {
            guard let result, let value = PQresultErrorField(result, name) else { return nil }
            return String(cString: value)
        }
        let state = field(Int32(UInt8(ascii: "C")))  // PG_DIAG_SQLSTATE
        var message = field(Int32(UInt8(ascii: "M")))  // PG_DIAG_MESSAGE_PRIMARY
        if message == nil, let connection, let text = PQerrorMessage(connection) {
            message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let connectionBad = connection.map { PQstatus($0) != CONNECTION_OK } ?? true
        self.init(
            code: state.map(Code.init(rawValue:)) ?? (connectionBad ? .connectionFailure : Code(rawValue: "XX000")),
            message: message ?? "unknown error",
            detail: field(Int32(UInt8(ascii: "D"))),
            hint: field(Int32(UInt8(ascii: "H"))),
            constraint: field(Int32(UInt8(ascii: "n"))),
            column: field(Int32(UInt8(ascii: "c"))))
    }

    static func decoding(_ message: String) -> PostgresError { PostgresError(code: .decoding, message: message) }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var text = Substring(self)
        while let c = text.first, set.contains(c) { text = text.dropFirst() }
        while let c = text.last, set.contains(c) { text = text.dropLast() }
        return String(text)
    }
}

extension Set where Element == Character {
    fileprivate static var whitespacesAndNewlines: Set<Character> { [" ", "\n", "\t", "\r"] }
}
