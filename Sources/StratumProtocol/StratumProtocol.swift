// StratumProtocol
