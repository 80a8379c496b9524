import ConfigFile
import Foundation
import HTTPTypes
import NIOHTTP1
import Testing

@testable import Gateway

/// The access core without sockets: roles, the decision, key matching and the key file.
struct AccessTests {
    static let alice = Caller(name: "alice", role: .inference, models: ["llama3.2", "qwen2.5:0.5b"])

    @Test func eachRoleReachesExactlyItsLevels() {
        #expect(RouteAccess.allCases.filter(Role.admin.permits) == RouteAccess.allCases)
        #expect(RouteAccess.allCases.filter(Role.inference.permits) == [.open, .inference])
        #expect(RouteAccess.allCases.filter(Role.metrics.permits) == [.open, .metrics])
    }

    @Test func theDecisionAnswers401WithoutAValidKeyAnd403ForARoleThatMayNot() {
        func decide(
            _ access: RouteAccess,
            _ caller: Caller?,
            presented: Bool = true,
            loopback: Bool = false,
            keys: Bool = true
        )
            -> AccessDecision
        {
            AccessDecision.decide(
                access: access,
                caller: caller,
                keyPresented: presented,
                peerIsLoopback: loopback,
                keysConfigured: keys,
                route: "POST /api/pull"
            )
        }
        let admin = Caller(name: "root", role: .admin)
        let metrics = Caller(name: "prom", role: .metrics)
        // Without keys nothing is checked.
        #expect(decide(.admin, nil, presented: false, keys: false) == .allowed(nil))
        #expect(decide(.open, nil, presented: false) == .allowed(nil))
        #expect(decide(.inference, nil, presented: false) == .refused(.unauthorized, AccessDecision.missingKey))
        #expect(decide(.inference, nil, presented: true) == .refused(.unauthorized, AccessDecision.invalidKey))
        #expect(decide(.metrics, nil, presented: false, loopback: true) == .allowed(nil))
        // A wrong key is wrong on loopback too.
        #expect(decide(.metrics, nil, presented: true, loopback: true) == .refused(.unauthorized, AccessDecision.invalidKey))
        #expect(decide(.admin, nil, presented: false, loopback: true) == .refused(.unauthorized, AccessDecision.missingKey))
        #expect(decide(.admin, admin) == .allowed(admin))
        #expect(decide(.metrics, metrics) == .allowed(metrics))
        #expect(
            decide(.admin, Self.alice)
                == .refused(.forbidden, #"API key "alice" (role inference) may not use POST /api/pull: it needs an admin key"#)
        )
        #expect(
            decide(.inference, metrics)
                == .refused(.forbidden, #"API key "prom" (role metrics) may not use POST /api/pull: it needs an inference or admin key"#)
        )
    }

    @Test func aKeyMatchesOnlyItsOwnDigestAndAnyOtherMatchesNone() throws {
        let settings = AccessSettings(keys: [
            APIKey(name: "a", key: "key-a", role: .admin),
            APIKey(name: "b", key: "key-b", role: .inference, models: ["llama3.2"]),
            APIKey(name: "c", digest: APIKey.digest(of: "key-c"), role: .metrics),
        ])
        let access = try #require(AccessControl(settings: settings, metrics: nil))
        #expect(access.caller(presenting: "key-a".utf8)?.name == "a")
        #expect(access.caller(presenting: "key-b".utf8) == Caller(name: "b", role: .inference, models: ["llama3.2"]))
        #expect(access.caller(presenting: "key-c".utf8)?.role == .metrics)
        for wrong in ["", "key-", "key-d", "key-a ", "KEY-A"] { #expect(access.caller(presenting: wrong.utf8) == nil) }
        #expect(AccessControl(settings: AccessSettings(), metrics: nil) == nil)
    }

    @Test func theKeyComesFromABearerAuthorizationOrXAPIKey() {
        func key(_ headers: [(String, String)]) -> String? {
            AccessControl.presentedKey(HTTPHeaders(headers)).map(String.init)
        }
        #expect(key([("Authorization", "Bearer sk-1")]) == "sk-1")
        #expect(key([("authorization", "bearer  sk-1 ")]) == "sk-1")
        #expect(key([("x-api-key", "sk-2")]) == "sk-2")
        #expect(key([("X-Api-Key", " sk-2 ")]) == "sk-2")
        #expect(key([("Authorization", "Basic dTpw"), ("x-api-key", "sk-3")]) == "sk-3")
        #expect(key([("Authorization", "Bearer ")]) == nil)
        #expect(key([]) == nil)
        var headers = HTTPHeaders([("Authorization", "Bearer x"), ("X-API-KEY", "y"), ("x-ollamamax-key-name", "root"), ("A", "b")])
        AccessControl.removeCredentials(&headers)
        #expect(headers.map(\.name) == ["A"])
    }

    @Test func modelListsCompareAsOllamaNamesModels() {
        #expect(Self.alice.allows(model: "llama3.2:latest"))
        #expect(Self.alice.allows(model: "Llama3.2"))
        #expect(Self.alice.allows(model: "qwen2.5:0.5b"))
        #expect(!Self.alice.allows(model: "qwen2.5:7b"))
        #expect(Caller(name: "any", role: .admin).allows(model: "whatever"))
        #expect(Self.alice.modelRefusal("mistral") == #"API key "alice" may not use model "mistral"; its models: llama3.2:latest, qwen2.5:0.5b"#)
    }

    @Test(arguments: [
        ("localhost", true), ("127.0.0.1", true), ("127.1.2.3", true), ("::1", true),
        ("0.0.0.0", false), ("::", false), ("", false), ("10.0.0.5", false), ("gpu-a", false), ("127.0.0.1.example", false),
    ])
    func loopbackListenAddresses(host: String, loopback: Bool) {
        #expect(AccessSettings.isLoopback(host: host) == loopback)
        #expect((AccessSettings().exposureProblem(host: host) == nil) == loopback)
        #expect(AccessSettings(insecureNoAuth: true).exposureProblem(host: host) == nil)
        #expect(AccessSettings(keys: [APIKey(name: "k", key: "k", role: .admin)]).exposureProblem(host: host) == nil)
    }

    @Test func debugEndpointsAreOffBeyondLoopbackWithoutKeysEvenWhenInsecure() {
        var configuration = GatewayConfiguration(host: "0.0.0.0", access: AccessSettings(insecureNoAuth: true))
        #expect(!configuration.servesDebugEndpoints)
        configuration.access.keys = [APIKey(name: "k", key: "k", role: .admin)]
        #expect(configuration.servesDebugEndpoints)
        #expect(GatewayConfiguration(host: "127.0.0.1").servesDebugEndpoints)
        #expect(!GatewayConfiguration(host: "127.0.0.1", debugEndpoints: false).servesDebugEndpoints)
    }
}
