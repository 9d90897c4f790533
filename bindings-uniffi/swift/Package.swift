// swift-tools-version:5.9
// The Swift package of otp-core's UniFFI bindings: `import OtpCore`.
//
// Made by build-xcframework.sh (macOS with Xcode): OtpCoreFFI.xcframework holds
// the Rust static library for iOS devices, iOS simulators and macOS with the C
// header; Sources/OtpCore/OtpCore.swift is the generated Swift binding. Neither
// is committed. `swift test` then runs Tests/OtpCoreTests on the macOS slice.
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
