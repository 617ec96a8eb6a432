"""RDF: IRI minting (`namespaces`) and triple building (`build`, no I/O)."""
