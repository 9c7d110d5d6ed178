import Foundation

/// Where the package's checked-in data lives, found from this source file's location so tests work
/// from any working directory.
public enum PackagePaths {
    /// The package root (the folder holding `Package.swift`).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/`: the development seed data.
    public static var fixtures: URL { root.appendingPathComponent("Fixtures", isDirectory: true) }

    /// `Flows/`: the shipped journeys.
    public static var flows: URL { root.appendingPathComponent("Flows", isDirectory: true) }
}
