// TraIndex: the on-disk inverted index (segments, postings, commits). Filled in by the index work;
