// TraRanking: query parsing and evaluation (query language, diacritic-aware term expansion, BM25F,
// proximity, exact top-k pruning, snippets and highlighting, explain). See ARCHITECTURE.md.
