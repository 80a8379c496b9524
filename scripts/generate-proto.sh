#!/usr/bin/env bash
# Generates the Swift code of proto/profile.proto (pprof's profile format) with protoc and
# swift-protobuf's protoc-gen-swift, into Sources/Pprof/profile.pb.swift, which is committed:
# building the plugin takes minutes (80 s here, up to 10 on a cold cache), so builds and CI
# never run it. Run it again only when the .proto or the swift-protobuf version changes.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v protoc >/dev/null 2>&1; then
    echo "generate-proto.sh: installing protobuf-compiler (protoc)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
fi
# The plugin of the swift-protobuf version Package.swift resolves, in its own build directory.
swift build -c release --product protoc-gen-swift --scratch-path .build-protoc
plugin="$(swift build -c release --product protoc-gen-swift --scratch-path .build-protoc --show-bin-path)/protoc-gen-swift"
protoc --plugin=protoc-gen-swift="$plugin" --swift_opt=Visibility=Public \
    --swift_out=Sources/Pprof -I proto proto/profile.proto
echo "generate-proto.sh: wrote Sources/Pprof/profile.pb.swift" >&2
