// DescryStore: the SQLite knowledge base.
