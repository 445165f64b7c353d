// StratumServer
