// BitcoinRPC
