@_exported import TraTokenizer
