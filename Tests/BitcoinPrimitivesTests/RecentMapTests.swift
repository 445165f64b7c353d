import BitcoinPrimitives
import Testing

@Suite struct RecentMapTests {
    @Test("forgets the oldest key past capacity, keeps the newest")
    func evictsOldest() {
        var map = RecentMap<Int, String>(capacity: 3)
        for k in 1...5 {
            let added = map.insert(k, value: "v\(k)")
            #expect(added)
        }
        #expect(map.count == 3)
        #expect(!map.contains(1) && !map.contains(2))
        #expect(map[3] == "v3" && map[4] == "v4" && map[5] == "v5")
    }

    @Test("updating a remembered key changes its value, not its age")
    func updateKeepsAge() {
        var map = RecentMap<Int, Int>(capacity: 2)
        map.insert(1, value: 10)
        map.insert(2, value: 20)
        let again = map.insert(1, value: 11)
        #expect(!again)
        #expect(map[1] == 11)
        map.insert(3, value: 30)  // 1 is still the oldest: it goes
        #expect(!map.contains(1) && map[2] == 20 && map[3] == 30)
    }

    @Test("a set says whether an element is new, over many wraps of the ring")
    func setAcrossWraps() {
        var set = RecentSet<Int>(capacity: 4)
        for round in 0..<10 {
            for k in 0..<4 {
                let added = set.insert(round * 4 + k)
                #expect(added)
            }
            for k in 0..<4 {
                let added = set.insert(round * 4 + k)
                #expect(!added)
            }
            #expect(set.count == 4)
        }
        #expect(!set.contains(0) && set.contains(39))
    }
}
