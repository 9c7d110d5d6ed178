/// How a ``FlowFileParser`` obtains the text of a file a flow names — a step file of `include:`, a JSON Schema of
/// `schema:` — given its path (relative paths already resolved against the flow file's folder): the text without a
/// byte-order mark, or a diagnostic saying why it cannot be read. The core does no I/O itself; the runner passes a
/// reader of the file system (`TextFile.referencedFileReader`), a test may pass one that serves files from memory.
public typealias ReferencedFileReader = @Sendable (_ path: String) throws(FlowDiagnostic) -> String
