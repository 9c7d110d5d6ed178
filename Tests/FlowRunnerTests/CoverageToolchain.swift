import Foundation

/// The Swift compiler and the LLVM coverage tools of the toolchain running the tests: `swiftc`, `llvm-profdata` and
/// `llvm-cov` from one folder, found through `PATH` (symbolic links resolved, so `/usr/bin/swiftc` pointing into a
/// toolchain finds that toolchain's tools). A system `llvm-cov` of another LLVM version cannot read the toolchain's
/// profiles, so tools are never mixed across folders.
struct CoverageToolchain: Sendable {
    let swiftc: String
    let llvmProfdata: String
    let llvmCov: String
    /// `swift` beside `swiftc`, when there is one.
    let swift: String?

    /// The first `PATH` folder whose `swiftc` has `llvm-profdata` and `llvm-cov` beside it, or `nil`.
    static let located: CoverageToolchain? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) where !folder.isEmpty {
            let candidate = folder + "/swiftc"
            guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
            let binaries = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().deletingLastPathComponent().path
            let swift = binaries + "/swift"
            let toolchain = CoverageToolchain(
                swiftc: binaries + "/swiftc", llvmProfdata: binaries + "/llvm-profdata", llvmCov: binaries + "/llvm-cov",
                swift: FileManager.default.isExecutableFile(atPath: swift) ? swift : nil)
            if [toolchain.swiftc, toolchain.llvmProfdata, toolchain.llvmCov].allSatisfy(FileManager.default.isExecutableFile(atPath:)) {
                return toolchain
            }
        }
        return nil
    }()
}
