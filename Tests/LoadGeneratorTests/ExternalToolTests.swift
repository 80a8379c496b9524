import Foundation
import TestHTTP
import Testing

/// The shared helper behind every test that needs a program outside the package.
struct ExternalToolTests {
    @Test func aMissingToolSaysHowToInstallItAndFailsWhenItsPathIsNeeded() {
        let missing = ExternalTool("ollamamax-no-such-tool", install: "apt-get install -y nothing")
        #expect(missing.url == nil)
        #expect(missing.description == "ollamamax-no-such-tool is missing: apt-get install -y nothing")
        #expect(throws: ExternalTool.Missing.self) { try missing.path() }
    }

    @Test func aToolIsFoundOnThePathOrAtAGivenCandidateOrOverride() throws {
        #expect(try ExternalTool("sh", install: "-").path().lastPathComponent == "sh")
        #expect(ExternalTool("not-on-path", candidates: ["/bin/sh"], install: "-").url?.path == "/bin/sh")
        #expect(ExternalTool("x", override: "/opt/x/bin/x", install: "-").url?.path == "/opt/x/bin/x")
    }
}
