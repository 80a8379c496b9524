import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// nginx in round-robin over the gateway replicas of an optimizer run (a variant with
/// `balancer`), as a deployment puts two gateways behind one address: its own prefix and
/// configuration in a temporary directory, listening on 127.0.0.1 only, stopped by ``stop()``.
final class NginxBalancer: Sendable {
    /// Where the load goes: `http://127.0.0.1:PORT`.
    let url: String
    private let process: Mutex<Process>
    private let directory: URL

    /// Starts nginx over `upstreams` (base URLs on 127.0.0.1) and waits until it answers.
    init(upstreams: [String]) async throws {
        guard let executable = Self.executable() else {
            throw BenchError("nginx: not found in /usr/sbin or PATH; install it (apt-get install nginx) for the -nginx variants")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-nginx-\(UUID().uuidString)")
        let port = try Self.freePort()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Self.configuration(upstreams: upstreams, port: port, directory: directory.path)
                .write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        } catch {
            throw BenchError("nginx: cannot write its configuration in \(directory.path): \(error)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path, "-e", directory.appendingPathComponent("error.log").path,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BenchError("nginx: cannot start \(executable.path): \(error)")
        }
        self.url = "http://127.0.0.1:\(port)"
        self.process = Mutex(process)
        self.directory = directory
        try await waitUntilListening(port: port)
    }

    /// Stops nginx and removes its directory.
    func stop() {
        process.withLock { process in
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The configuration: one worker, round robin over `upstreams` with idle connections kept,
    /// answers streamed as they come (no buffering), every path nginx writes under `directory`.
    static func configuration(upstreams: [String], port: Int, directory: String) -> String {
        let servers = upstreams.map { "        server \($0.replacingOccurrences(of: "http://", with: ""));" }.joined(separator: "\n")
        return """
            worker_processes 1;
            daemon off;
            pid \(directory)/nginx.pid;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path \(directory)/body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                upstream gateways {
            \(servers)
                    keepalive 64;
                }
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://gateways;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_buffering off;
                        proxy_read_timeout 300s;
                    }
                }
            }

            """
    }

    /// Tries to connect to nginx's port until it accepts, for at most 10 s (the gateways behind
    /// it serve already); nginx that exited says so with its error log.
    private func waitUntilListening(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.withLock({ $0.isRunning }) else {
                let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
                stop()
                throw BenchError("nginx: exited at start: \(log.suffix(500))")
            }
            if Self.accepts(port: port) { return }
            // A refused connection fails at once: a short pause keeps the retry from spinning.
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw BenchError("nginx: did not listen at \(url) within 10 s")
    }

    /// Whether 127.0.0.1:`port` accepts a connection now.
    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// nginx in /usr/sbin (Debian's place, often not on a user's PATH) or on PATH.
    static func executable() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = ["/usr/sbin"] + path.split(separator: ":").map(String.init)
        return candidates.map { URL(fileURLWithPath: $0).appendingPathComponent("nginx") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A port on 127.0.0.1 that is free now: bound to 0 and closed (nginx binds it next).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("nginx: cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw BenchError("nginx: cannot bind 127.0.0.1:0 to find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
