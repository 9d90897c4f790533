// swift-tools-version:5.9
// The Swift package of otp-core's UniFFI bindings: `import OtpCore`.
//
// Made by build-xcframework.sh (macOS with Xcode): OtpCoreFFI.xcframework holds
// the Rust static library for iOS devices, iOS simulators and macOS, with the C
// header and its modulemap in each slice's Headers/OtpCoreFFI/ (a folder named
// after the C module, so that Xcode never copies it over another XCFramework's
// modulemap); Sources/OtpCore/OtpCore.swift is the generated Swift binding.
// Neither is committed. `swift test` then runs Tests/OtpCoreTests on the macOS
// slice.
//
// Platforms: the library supports iOS 15 and macOS 12. The vector tests need
// macOS 14 / iOS 17, whose JSONDecoder decodes integers up to 2^64-1 exactly
// (the vectors hold counters and times up to UInt64.max). SwiftPM declares
// platforms per package, not per target, and raising them here would drop
// older systems for every app: instead the tests check the OS version and
// throw XCTSkip, saying why, on older systems (VectorTests.swift).
import PackageDescription

let package = Package(
    name: "OtpCore",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "OtpCore", targets: ["OtpCore"]),
    ],
    targets: [
        .binaryTarget(name: "OtpCoreFFI", path: "OtpCoreFFI.xcframework"),
        .target(name: "OtpCore", dependencies: ["OtpCoreFFI"], path: "Sources/OtpCore", exclude: ["README.md"]),
        .testTarget(name: "OtpCoreTests", dependencies: ["OtpCore"], path: "Tests/OtpCoreTests"),
    ]
)
