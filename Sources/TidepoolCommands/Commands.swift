// Command implementations
