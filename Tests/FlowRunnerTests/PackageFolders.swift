import Foundation

/// Where the package's checked-in files are, found from this source file's location so tests work from any
/// working directory (the runner's tests do not link the test-support library, which links the service).
enum PackageFolders {
    /// The package root (the folder holding `Package.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Flows/`: the shipped journeys.
    static var flows: URL { root.appendingPathComponent("Flows", isDirectory: true) }
}
