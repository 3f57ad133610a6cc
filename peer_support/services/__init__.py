"""Qt-free use cases. Each public function is one user action in one transaction,
takes an AppContext, returns frozen domain dataclasses and raises only
PeerSupportError subclasses."""
