/// The coverage of one module of a package's `Sources/` (or of the total row): sums over its files.
public struct ModuleCoverage: Sendable, Hashable {
    /// The module's folder name under `Sources/` (`BookingCore`, `illajwala-api`, …).
    public var name: String
    /// How many of the module's files the coverage data has (0: the module is not in the instrumented binary).
    public var fileCount: Int
    /// Instrumented and executed lines, summed over the files.
    public var lines: CoverageCounts
    /// Instrumented and executed functions, summed over the files.
    public var functions: CoverageCounts
    /// Instrumented and executed regions, summed over the files.
    public var regions: CoverageCounts

    /// Creates a module summary (by default with no files).
    public init(
        name: String, fileCount: Int = 0, lines: CoverageCounts = .zero, functions: CoverageCounts = .zero,
        regions: CoverageCounts = .zero
    ) {
        self.name = name
        self.fileCount = fileCount
        self.lines = lines
        self.functions = functions
        self.regions = regions
    }

    /// Adds one file's counts.
    public mutating func add(_ file: FileCoverage) {
        fileCount += 1
        lines = lines + file.lines
        functions = functions + file.functions
        regions = regions + file.regions
    }

    /// Adds another module's counts (for totals).
    public mutating func add(_ module: ModuleCoverage) {
        fileCount += module.fileCount
        lines = lines + module.lines
        functions = functions + module.functions
        regions = regions + module.regions
    }
}
