import JSON
import BitcoinPrimitives

/// Rendering of the statistics (Docs/HTTP-API.md, "Statistics"). Exact numbers that
/// can exceed 2^53 (hashes, work) are decimal strings; Doubles are display only.
extension StatisticsBucket {
    var jsonMembers: [(String, JSONValue)] {
        [("hashes", .string(String(hashes))), ("accepted", .uint(accepted)), ("stale", .uint(stale)),
         ("rejected", .uint(rejected))]
    }
}

extension TimedBucket {
    var json: JSONValue {
        .fields([("start", .uint(start)), ("seconds", .uint(seconds))] + bucket.jsonMembers
                + [("hashes_per_second", .double(hashesPerSecond))])
    }
}

extension HashrateEstimate {
    var json: JSONValue {
        .fields([
            ("window_seconds", .uint(windowSeconds)), ("covered_seconds", .uint(coveredSeconds)),
            ("hashes", .string(String(hashes))), ("samples", .uint(samples)),
            ("hashes_per_second", .double(hashesPerSecond)),
            ("relative_error", relativeError.map(JSONValue.double) ?? .null),
        ])
    }
}

extension SeriesReport {
    var json: JSONValue {
        .fields([
            ("hashrate", .array(hashrate.map(\.json))),
            ("last_hour", .fields(lastHour.jsonMembers)),
            ("history", .fields([("hour", .array(hour.map(\.json))), ("day", .array(day.map(\.json))),
                                 ("week", .array(week.map(\.json)))])),
        ])
    }
}

extension NextBlockEstimate {
    var json: JSONValue {
        .fields([
            ("network_target", .string(networkTarget.hexString)),
            ("expected_hashes", .string(expectedHashes.description)),
            ("hashrate_basis", .optional(basis?.rawValue)),
            ("hashes_per_second", .double(hashesPerSecond)),
            ("expected_seconds", expectedSeconds.map(JSONValue.double) ?? .null),
        ])
    }
}

extension BlockLuck {
    var json: JSONValue {
        .fields([
            ("height", .uint(UInt64(block.height))), ("hash", .string(block.hash.description)),
            ("found_at", .uint(block.foundAt)), ("expected_work", .string(expectedWork.description)),
            ("work_done", .optional(workDone.map { String($0) })), ("partial_round", .bool(partialRound)),
            ("effort_percent", effortPercent.map(JSONValue.double) ?? .null),
        ])
    }
}

extension LuckSummary {
    var json: JSONValue {
        .fields([
            ("blocks", .int(Int64(blocks))), ("work_done", .string(workDone.description)),
            ("expected_work", .string(expectedWork.description)),
            ("effort_percent", effortPercent.map(JSONValue.double) ?? .null),
        ])
    }
}

extension PoolStatisticsReport {
    var json: JSONValue {
        .fields([
            ("time", time.map(JSONValue.uint) ?? .null),
            ("sample_seconds", .uint(60)),
            ("covered_minutes", .uint(coveredMinutes)),
            ("estimator", .string(HashrateEstimatorText.text)),
            ("node_miners", nodeMiners.json),
            ("sharechain", sharechain.json),
            ("connected_workers", .int(Int64(connectedWorkers))),
            ("addresses", .int(Int64(addresses))),
            ("next_block", nextBlock?.json ?? .null),
            ("luck", .fields([
                ("round", round?.json ?? .null),
                ("day", luckDay.json), ("week", luckWeek.json), ("all", luckAll.json),
                ("blocks", .array(blocks.map(\.json))),
            ])),
        ])
    }
}

extension PayoutOutlook {
    var json: JSONValue {
        .fields([
            ("payout_script", .string(script.hex)),
            ("window_work", .string(windowWork.description)),
            ("window_total_work", .string(totalWork.description)),
            ("window_share", .double(windowShare)),
            ("paid", .int(paid.satoshis)),
            ("lottery_entry", .int(lotteryEntry.satoshis)),
            ("lottery_pool", .int(lotteryPool.satoshis)),
            ("lottery_won", .bool(wonLottery)),
            ("if_found_now", .int(ifFoundNow)),
            ("expected_value", .int(expectedValue)),
        ])
    }
}

extension MinerStatisticsReport {
    var json: JSONValue {
        .fields([
            ("address", .string(address)),
            ("time", time.map(JSONValue.uint) ?? .null),
            ("estimator", .string(HashrateEstimatorText.text)),
            ("statistics", series.json),
            ("workers", .array(workers.map { w in
                .fields([("worker", .string(w.worker)), ("connected", .bool(w.connected)), ("statistics", w.series.json)])
            })),
            ("payout", payout?.json ?? .null),
            ("next_block", nextBlock?.json ?? .null),
        ])
    }
}

/// The estimator, stated in every statistics answer.
enum HashrateEstimatorText {
    static let text = "hashes = sum of accepted pseudo-share difficulty x 2^32; hashes_per_second = hashes / covered_seconds; relative error ~ 1/sqrt(samples)"
}
