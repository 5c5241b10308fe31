// TraRanking: query parsing, matching and scoring. Filled in by the search work.
