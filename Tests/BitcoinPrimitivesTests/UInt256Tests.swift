import Foundation
import Testing
@testable import BitcoinPrimitives

/// A UInt256 from a hex string in parsed JSON.
private func number(_ value: Any) throws -> UInt256 {
    let text = try #require(value as? String)
    return try #require(UInt256(hex: text))
}

@Suite struct UInt256Tests {
    /// Every arithmetic case of `uint256.json`, computed with Python's big integers.
    @Test func arithmeticMatchesReference() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Vectors.data("uint256")) as? [String: Any])
        let cases = try #require(json["cases"] as? [[Any]])
        #expect(cases.count > 1000)
        for c in cases {
            let op = try #require(c[0] as? String)
            let a = try number(c[1])
            let b = try number(c[2])
            let expected = try number(c[3])
            let overflow = try #require(c[4] as? Bool)
            switch op {
            case "add":
                let r = a.addingReportingOverflow(b)
                #expect(r.partialValue == expected && r.overflow == overflow, "\(a.hexString) + \(b.hexString)")
                if !overflow { #expect(a + b == expected) }
                #expect(a &+ b == expected)
            case "sub":
                let r = a.subtractingReportingOverflow(b)
                #expect(r.partialValue == expected && r.overflow == overflow, "\(a.hexString) - \(b.hexString)")
                if !overflow { #expect(a - b == expected) }
                #expect(a &- b == expected)
            case "mul":
                let r = a.multipliedReportingOverflow(by: b)
                #expect(r.partialValue == expected && r.overflow == overflow, "\(a.hexString) * \(b.hexString)")
                if !overflow { #expect(a * b == expected) }
            case "div":
                #expect(a / b == expected, "\(a.hexString) / \(b.hexString)")
            case "mod":
                #expect(a % b == expected, "\(a.hexString) % \(b.hexString)")
            case "shl":
                #expect(a << Int(b.w0) == expected, "\(a.hexString) << \(b.w0)")
            case "shr":
                #expect(a >> Int(b.w0) == expected, "\(a.hexString) >> \(b.w0)")
            default:
                Issue.record("unknown op \(op)")
            }
        }
    }

    @Test func decimalAndHexRoundTrip() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Vectors.data("uint256")) as? [String: Any])
        let cases = try #require(json["decimal"] as? [[String: String]])
        for c in cases {
            let fromHex = try number(c["hex"] as Any)
            let fromDecimal = try #require(UInt256(decimal: c["decimal"] ?? ""))
            #expect(fromHex == fromDecimal)
            #expect(fromHex.description == c["decimal"])
            #expect(fromHex.hexString == c["hex"])
            #expect(UInt256(littleEndianBytes: fromHex.littleEndianBytes) == fromHex)
        }
    }

    @Test func edgeCases() {
        #expect(UInt256.max.addingReportingOverflow(.one) == (.zero, true))
        #expect(UInt256.zero.subtractingReportingOverflow(.one) == (.max, true))
        #expect(UInt256.max.multipliedReportingOverflow(by: .max).overflow)
        #expect(UInt256.max / .one == .max)
        #expect(UInt256.max % .max == .zero)
        #expect((UInt256.one << 255) >> 255 == .one)
        #expect(UInt256.max << 256 == .zero)
        #expect(UInt256.max >> 300 == .zero)
        #expect(UInt256.zero.leadingZeroBitCount == 256)
        #expect(UInt256.max.bitLength == 256)
        #expect((UInt256.one << 64).uint64Value == nil)
        #expect(UInt256(hex: "0x" + String(repeating: "f", count: 64)) == .max)
        #expect(UInt256(hex: String(repeating: "f", count: 65)) == nil)
        #expect(UInt256(hex: "") == nil)
        #expect(UInt256(hex: "xyz") == nil)
        // 2^256 has 78 digits and does not fit.
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639935") == .max)
        #expect(UInt256(decimal: "-1") == nil)
        #expect(UInt256(decimal: "") == nil)
        #expect(UInt256.zero.description == "0")
        #expect(UInt256(10_000_000_000_000_000_000).description == "10000000000000000000")
    }

    @Test func oneLimbRemainderMatchesFullDivision() {
        var x: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
        for round in 0..<2_000 {
            let value = UInt256(w0: next(), w1: next(), w2: round % 3 == 0 ? 0 : next(), w3: round % 5 == 0 ? 0 : next())
            let d = round % 7 == 0 ? UInt64(round + 1) : next() | 1
            #expect(value.remainder(dividingBy: d) == (value % UInt256(d)).w0)
        }
        #expect(UInt256.max.remainder(dividingBy: .max) == (UInt256.max % UInt256(UInt64.max)).w0)
        #expect(UInt256.zero.remainder(dividingBy: 7) == 0)
    }

    @Test func littleEndianBytesRoundTrip() {
        let value = UInt256(w0: 0x0102_0304_0506_0708, w1: 0x1112_1314_1516_1718, w2: 0x2122_2324_2526_2728, w3: 0x3132_3334_3536_3738)
        let bytes = value.littleEndianBytes
        #expect(bytes.count == 32)
        #expect(bytes[0] == 0x08 && bytes[7] == 0x01 && bytes[8] == 0x18 && bytes[31] == 0x31)
        #expect(UInt256(littleEndianBytes: bytes) == value)
    }
}

/// `InvariantDivisor` against the hardware-independent `dividingFullWidth`.
@Suite struct InvariantDivisorTests {
    @Test func matchesDividingFullWidth() {
        var x: UInt64 = 0x2545_f491_4f6c_dd1d
        func next() -> UInt64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
        var divisors: [UInt64] = [1, 2, 3, 7, 10, 255, 1 << 32, (1 << 32) + 1, 1 << 63, (1 << 63) + 1, .max, .max - 1]
        for shift in 0..<64 { divisors.append(next() >> UInt64(shift) | 1) }
        for d in divisors {
            let divisor = InvariantDivisor(d)
            #expect(divisor.divisor == d)
            var highs: [UInt64] = [0, d - 1, d / 2]
            for _ in 0..<200 { highs.append(next() % d) }
            for high in highs {
                for low in [0, 1, .max, d, d &- 1, next(), next()] as [UInt64] {
                    let expected = d.dividingFullWidth((high: high, low: low))
                    let got = divisor.divide(high: high, low: low)
                    #expect(got.quotient == expected.quotient && got.remainder == expected.remainder,
                            "\(high):\(low) / \(d)")
                }
            }
        }
    }
}
