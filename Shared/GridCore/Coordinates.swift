import Foundation

/// A point on the earth, and the three coordinate systems phones in China report in.
/// GCJ-02 is the obfuscated system of Chinese maps; BD-09 is Baidu's further offset of it.
public struct Coordinates: Sendable, Hashable, Codable {
    public let latitude: Double
    public let longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    public enum System: String, Sendable, Codable, CaseIterable {
        case wgs84, gcj02, bd09
    }

    /// The same place in WGS84, which is what is stored.
    public func toWGS84(from system: System) -> Coordinates {
        switch system {
        case .wgs84: self
        case .gcj02: Self.gcjToWGS(self)
        case .bd09: Self.gcjToWGS(Self.bdToGCJ(self))
        }
    }

    /// WGS84 to GCJ-02 (the published forward transform); identity outside mainland China.
    public static func wgsToGCJ(_ point: Coordinates) -> Coordinates {
        guard isInChina(point) else { return point }
        let (dLat, dLon) = offset(point)
        return Coordinates(latitude: point.latitude + dLat, longitude: point.longitude + dLon)
    }

    /// GCJ-02 to WGS84 by fixed-point iteration on the forward transform: within a few millimetres.
    static func gcjToWGS(_ point: Coordinates) -> Coordinates {
        guard isInChina(point) else { return point }
        var guess = point
        for _ in 0..<10 {
            let forward = wgsToGCJ(guess)
            let dLat = forward.latitude - point.latitude
            let dLon = forward.longitude - point.longitude
            guess = Coordinates(latitude: guess.latitude - dLat, longitude: guess.longitude - dLon)
            if abs(dLat) < 1e-9 && abs(dLon) < 1e-9 { break }
        }
        return guess
    }

    static func bdToGCJ(_ point: Coordinates) -> Coordinates {
        let xPi = Double.pi * 3000.0 / 180.0
        let x = point.longitude - 0.0065
        let y = point.latitude - 0.006
        let z = (x * x + y * y).squareRoot() - 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) - 0.000003 * cos(x * xPi)
        return Coordinates(latitude: z * sin(theta), longitude: z * cos(theta))
    }

    public static func gcjToBD(_ point: Coordinates) -> Coordinates {
        let xPi = Double.pi * 3000.0 / 180.0
        let x = point.longitude
        let y = point.latitude
        let z = (x * x + y * y).squareRoot() + 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) + 0.000003 * cos(x * xPi)
        return Coordinates(latitude: z * sin(theta) + 0.006, longitude: z * cos(theta) + 0.0065)
    }

    static func isInChina(_ point: Coordinates) -> Bool {
        (72.004...137.8347).contains(point.longitude) && (0.8293...55.8271).contains(point.latitude)
    }

    private static func offset(_ point: Coordinates) -> (Double, Double) {
        let a = 6_378_245.0
        let ee = 0.006_693_421_622_965_943_23
        let x = point.longitude - 105.0
        let y = point.latitude - 35.0
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLat += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        dLat += (160.0 * sin(y / 12.0 * .pi) + 320 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLon += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        dLon += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radLat = point.latitude / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180.0) / (a / sqrtMagic * cos(radLat) * .pi)
        return (dLat, dLon)
    }
}
