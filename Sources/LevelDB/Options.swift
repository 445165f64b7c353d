extension LevelDB {
    /// How a database is opened. The defaults suit the node's store.
    public struct Options: Sendable {
        /// Create the database if the directory holds none (default `true`).
        public var createIfMissing: Bool
        /// Fail if a database already exists (default `false`).
        public var errorIfExists: Bool
        /// Stop at the first sign of corruption instead of skipping damaged data, and verify
        /// block checksums on every read (default `true`).
        public var paranoidChecks: Bool
        /// Bytes of writes kept in memory before they are sorted into a table file (default 4 MiB).
        public var writeBufferSize: Int
        /// Capacity in bytes of an LRU block cache owned by this handle; `nil` uses
        /// leveldb's internal 8 MiB cache (default 8 MiB).
        public var blockCacheCapacity: Int?
        /// Bits per key of a Bloom filter attached to table files, which spares most disk
        /// reads for absent keys; `nil` for none (default 10, about 1% false positives).
        public var bloomFilterBitsPerKey: Int?
        /// Compress table blocks with Snappy when leveldb was built with it (default `true`).
        public var compression: Bool
        /// Upper bound on open table files; `nil` keeps leveldb's default (1000).
        public var maxOpenFiles: Int?

        /// Options with every value given or defaulted as documented on each property.
        public init(createIfMissing: Bool = true,
                    errorIfExists: Bool = false,
                    paranoidChecks: Bool = true,
                    writeBufferSize: Int = 4 << 20,
                    blockCacheCapacity: Int? = 8 << 20,
                    bloomFilterBitsPerKey: Int? = 10,
                    compression: Bool = true,
                    maxOpenFiles: Int? = nil) {
            self.createIfMissing = createIfMissing
            self.errorIfExists = errorIfExists
            self.paranoidChecks = paranoidChecks
            self.writeBufferSize = writeBufferSize
            self.blockCacheCapacity = blockCacheCapacity
            self.bloomFilterBitsPerKey = bloomFilterBitsPerKey
            self.compression = compression
            self.maxOpenFiles = maxOpenFiles
        }
    }
}
