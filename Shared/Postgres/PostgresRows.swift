import CLibPQ

/// The rows of one statement's result. A finished libpq result is read-only and may be read
/// from any thread; it is freed with the last reference.
public final class PostgresRows: @unchecked Sendable, Sequence {
    private let result: OpaquePointer?
    public let count: Int
    public let affectedRows: Int

    init(checking result: OpaquePointer?, connection: OpaquePointer) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            let error = PostgresError(result: result, connection: connection)
            if let result { PQclear(result) }
            throw error
        }
        self.result = result
        self.count = result.map { Int(PQntuples($0)) } ?? 0
        let affected = result.flatMap { PQcmdTuples($0) }.map { String(cString: $0) } ?? ""
        self.affectedRows = Int(affected) ?? 0
    }

    deinit { if let result { PQclear(result) } }

    public var columnNames: [String] {
        guard let result else { return [] }
        return (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
    }

    public subscript(index: Int) -> PostgresRow { PostgresRow(rows: self, index: Int32(index)) }

    public var first: PostgresRow? { count > 0 ? self[0] : nil }

    public func makeIterator() -> AnyIterator<PostgresRow> {
        var index = 0
        return AnyIterator {
            guard index < self.count else { return nil }
            defer { index += 1 }
            return self[index]
        }
    }

    func text(row: Int32, column: Int32) -> String? {
        guard let result, column >= 0, column < PQnfields(result) else { return nil }
        if PQgetisnull(result, row, column) == 1 { return nil }
        return String(cString: PQgetvalue(result, row, column))
    }

    func columnIndex(_ name: String) -> Int32 {
        guard let result else { return -1 }
        return PQfnumber(result, "\"\(name)\"")
    }

    func hasColumn(_ column: Int32) -> Bool {
        guard let result else { return false }
        return column >= 0 && column < PQnfields(result)
    }
}

/// One row; decode its fields by position or by column name.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int32
    /// Where column 0 of this view of the row is: a query that selects two records side by side
    /// decodes the second from `dropping(n)`.
    var offset = 0

    /// The same row seen from column `count` on.
    public func dropping(_ count: Int) -> PostgresRow {
        PostgresRow(rows: rows, index: index, offset: offset + count)
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        let column = column + offset
        guard rows.hasColumn(Int32(column)) else { throw PostgresError.decoding("no column \(column)") }
        guard let text = rows.text(row: index, column: Int32(column)) else {
            throw PostgresError.decoding("column \(column) is NULL, expected \(T.self)")
        }
        return try T(postgresText: text)
    }

    public func decode<T: PostgresDecodable>(_ type: T?.Type = T?.self, at column: Int) throws -> T? {
        let column = column + offset
        guard rows.hasColumn(Int32(column)) else { throw PostgresError.decoding("no column \(column)") }
        return try rows.text(row: index, column: Int32(column)).map(T.init(postgresText:))
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: String) throws -> T {
        let position = rows.columnIndex(column)
        guard position >= 0 else { throw PostgresError.decoding("no column named \(column)") }
        return try decode(type, at: Int(position) - offset)
    }

    public func decode<T: PostgresDecodable>(_ type: T?.Type = T?.self, _ column: String) throws -> T? {
        let position = rows.columnIndex(column)
        guard position >= 0 else { throw PostgresError.decoding("no column named \(column)") }
        return try decode(type, at: Int(position) - offset)
    }
}
