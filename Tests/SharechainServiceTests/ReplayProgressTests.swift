import SharechainService
import Testing

@Suite struct ReplayProgressTests {
    @Test func formatsTheLine() {
        let line = ReplayProgress(done: 512_000, total: 1_000_000, elapsedNanoseconds: 1_066_666_667).description
        #expect(line == "replaying sharechain: 512,000/1,000,000 shares (51%), 480,000 shares/s, ETA 1 s")
    }

    @Test func edgeCases() {
        #expect(ReplayProgress(done: 0, total: 0, elapsedNanoseconds: 0).description
            == "replaying sharechain: 0/0 shares (100%)")
        #expect(ReplayProgress(done: 0, total: 10, elapsedNanoseconds: 5).description
            == "replaying sharechain: 0/10 shares (0%)")
        #expect(ReplayProgress(done: 12, total: 10, elapsedNanoseconds: 1_000_000_000).description
            == "replaying sharechain: 12/12 shares (100%), 12 shares/s, ETA 0 s")
        #expect(ReplayProgress(done: 1_000, total: 1_000_000, elapsedNanoseconds: 1_000_000_000).description
            == "replaying sharechain: 1,000/1,000,000 shares (0%), 1,000 shares/s, ETA 16 min 39 s")
        #expect(ReplayProgress(done: 1, total: 10_000, elapsedNanoseconds: 1_000_000_000).description
            .hasSuffix("ETA 2 h 46 min"))
    }
}
