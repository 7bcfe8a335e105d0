extension StringProtocol {
    /// The length PostgreSQL's `char_length` and `varchar(n)` count: Unicode code points, not the
    /// characters Swift's `count` sees (a flag emoji is one character and two code points). Every
    /// length limit checked against a column's CHECK uses this, so input over it gets a 422, not a
    /// failed statement.
    public var length: Int { unicodeScalars.count }
}
