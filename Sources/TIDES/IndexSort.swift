/// In-place sorting of index (or packed key) buffers without allocating (the split sorts
/// payees twice per share validation). `before` must be a strict total order (every caller
/// breaks ties by index), so the result is unique: any correct sort gives exactly this order.
enum IndexSort {
    /// Sorts `buffer` by `before`: introsort (median-of-three quicksort, insertion sort for
    /// short ranges, heapsort past a depth limit, so O(n log n) on any input).
    static func sort<Element>(_ buffer: UnsafeMutableBufferPointer<Element>, by before: (Element, Element) -> Bool) {
        guard buffer.count > 1 else { return }
        var depth = 2 * (Int.bitWidth - buffer.count.leadingZeroBitCount)
        introsort(buffer, 0, buffer.count - 1, &depth, before)
    }

    /// Reorders `buffer` so that its first `count` elements are the `count` first by `before`
    /// (in no particular order), in O(n) on average: quickselect (median of three, Hoare
    /// partition), finishing with a sort of the remaining range past a depth limit or when it
    /// is short. The set chosen is unique because `before` is a strict total order.
    static func selectFirst<Element>(_ count: Int, of buffer: UnsafeMutableBufferPointer<Element>,
                            by before: (Element, Element) -> Bool) {
        guard count > 0, count < buffer.count else { return }
        var low = 0, high = buffer.count - 1
        var depth = 2 * (Int.bitWidth - buffer.count.leadingZeroBitCount)
        let k = count - 1  // the last position that must hold one of the first `count`
        while high - low > 16 {
            if depth == 0 { break }
            depth -= 1
            let j = partition(buffer, low, high, before)
            if j == k { return }
            if j < k { low = j + 1 } else { high = j - 1 }
        }
        var remaining = depth
        introsort(buffer, low, high, &remaining, before)
    }

    /// Hoare partition of `a[low...high]` around the median of three; returns the pivot's
    /// final position: everything before it precedes it, everything after it does not.
    private static func partition<Element>(_ a: UnsafeMutableBufferPointer<Element>, _ low: Int, _ high: Int,
                                  _ before: (Element, Element) -> Bool) -> Int {
        let mid = low + (high - low) / 2
        if before(a[mid], a[low]) { a.swapAt(mid, low) }
        if before(a[high], a[low]) { a.swapAt(high, low) }
        if before(a[high], a[mid]) { a.swapAt(high, mid) }
        a.swapAt(low, mid)
        let pivot = a[low]
        var i = low, j = high + 1
        while true {
            repeat { i += 1 } while i < high && before(a[i], pivot)
            repeat { j -= 1 } while before(pivot, a[j])
            if i >= j { break }
            a.swapAt(i, j)
        }
        a.swapAt(low, j)
        return j
    }

    private static func introsort<Element>(_ a: UnsafeMutableBufferPointer<Element>, _ low: Int, _ high: Int,
                                  _ depth: inout Int, _ before: (Element, Element) -> Bool) {
        var low = low, high = high
        while high - low > 16 {
            if depth == 0 {
                heapsort(a, low, high, before)
                return
            }
            depth -= 1
            let j = partition(a, low, high, before)
            // Recurse into the smaller side, loop on the larger.
            if j - low < high - j {
                introsort(a, low, j - 1, &depth, before)
                low = j + 1
            } else {
                introsort(a, j + 1, high, &depth, before)
                high = j - 1
            }
        }
        insertionSort(a, low, high, before)
    }

    private static func insertionSort<Element>(_ a: UnsafeMutableBufferPointer<Element>, _ low: Int, _ high: Int,
                                      _ before: (Element, Element) -> Bool) {
        guard high > low else { return }
        for i in (low + 1)...high {
            let x = a[i]
            var j = i
            while j > low && before(x, a[j - 1]) {
                a[j] = a[j - 1]
                j -= 1
            }
            a[j] = x
        }
    }

    private static func heapsort<Element>(_ a: UnsafeMutableBufferPointer<Element>, _ low: Int, _ high: Int,
                                 _ before: (Element, Element) -> Bool) {
        let n = high - low + 1
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end && before(a[low + child], a[low + child + 1]) { child += 1 }
                guard before(a[low + root], a[low + child]) else { return }
                a.swapAt(low + root, low + child)
                root = child
            }
        }
        for start in stride(from: n / 2 - 1, through: 0, by: -1) { siftDown(start, n) }
        for end in stride(from: n - 1, to: 0, by: -1) {
            a.swapAt(low, low + end)
            siftDown(0, end)
        }
    }
}
