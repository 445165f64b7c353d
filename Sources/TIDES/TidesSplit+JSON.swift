import JSON

extension TidesSplit {
    /// The split as `tidepool tides` prints it and `/api/v1/payouts` serves it
    /// (Docs/TIDES.md §1): `outputs` in coinbase order, `window_work` in decimal,
    /// `lottery` with its pool and winner script (or null).
    public var json: JSONValue {
        .fields([
            ("outputs", .array(outputs.map { .fields([("script", .string($0.script.hex)), ("amount", .int($0.amount.satoshis))]) })),
            ("window_work", .string(windowWork.description)),
            ("lottery", .fields([
                ("pool", .int(budgeted.lotteryPool.satoshis)),
                ("winner", .optional(budgeted.lotteryWinner?.hex)),
            ])),
        ])
    }
}
