// LevelDB implementation of ShareStore
