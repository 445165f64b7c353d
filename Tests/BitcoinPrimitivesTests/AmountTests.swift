import Testing
@testable import BitcoinPrimitives

@Suite struct AmountTests {
    @Test func range() {
        #expect(Amount(satoshis: Int64(0)) == .zero)
        #expect(Amount(satoshis: Int64(-1)) == nil)
        #expect(Amount(satoshis: Int64(2_100_000_000_000_000))?.satoshis == 2_100_000_000_000_000)
        #expect(Amount(satoshis: Int64(2_100_000_000_000_001)) == nil)
        #expect(Amount(satoshis: Int64.max) == nil)
        #expect(Amount(satoshis: Int64.min) == nil)
        #expect(Amount(satoshis: UInt64(2_100_000_000_000_000)) == .maxMoney)
        #expect(Amount(satoshis: UInt64(2_100_000_000_000_001)) == nil)
        #expect(Amount(satoshis: UInt64.max) == nil)
        #expect(Amount.maxMoney.satoshis == 21_000_000 * Amount.satoshisPerBitcoin)
    }

    @Test func checkedArithmetic() throws {
        let fifty = try #require(Amount(satoshis: Int64(5_000_000_000)))
        let one = try #require(Amount(satoshis: Int64(1)))
        #expect(fifty.adding(one)?.satoshis == 5_000_000_001)
        #expect(Amount.maxMoney.adding(.zero) == .maxMoney)
        #expect(Amount.maxMoney.adding(one) == nil)
        #expect(Amount.maxMoney.adding(.maxMoney) == nil)
        #expect(fifty.subtracting(fifty) == .zero)
        #expect(Amount.zero.subtracting(one) == nil)
        #expect(Amount.sum([fifty, fifty, one])?.satoshis == 10_000_000_001)
        #expect(Amount.sum([Amount.maxMoney, one]) == nil)
        #expect(Amount.sum([Amount]()) == .zero)
        #expect(one < fifty)
        #expect(fifty.description == "5000000000 sat")
    }
}
