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
}
