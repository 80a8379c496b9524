import Foundation

extension ReceiverReader {
    static let emailKeys = [
        "to", "from", "smarthost", "auth_username", "auth_password", "auth_password_file", "require_tls", "hello", "tls_config",
        "send_resolved",
    ]

    func email(_ field: YAMLField) -> EmailSettings? {
        guard let fields = field.mapping(allowed: Self.emailKeys) else { return nil }
        let to = recipients(fields["to"], in: field)
        let from = sender(fields["from"], in: field)
        let smarthost = relay(fields["smarthost"], in: field)
        let username = fields["auth_username"]?.string()
        var password: Secret?
        if fields["auth_password"] != nil || fields["auth_password_file"] != nil {
            password = secret(fields, in: field, key: "auth_password", what: "the SMTP password")
            if username == nil {
                field.problems.add("\(field.path).auth_username", field.node, "required with auth_password; give the SMTP user name")
            }
        } else if username != nil {
            field.problems.add("\(field.path).auth_password", field.node, "required with auth_username; give it, or auth_password_file")
        }
        let requireTLS = fields["require_tls"]?.bool() ?? true
        var hello = "localhost"
        if let helloField = fields["hello"], let text = helloField.string() {
            if text.isEmpty || text.contains(where: { $0.isWhitespace }) {
                helloField.problems.add(
                    helloField.path,
                    helloField.node,
                    "\(LabelText.quoted(text)) is not a host name for EHLO; give one like gateway.example.com"
                )
            } else {
                hello = text
            }
        }
        let tls = fields["tls_config"].flatMap(tlsSettings) ?? EmailTLSSettings()
        let sendResolved = fields["send_resolved"]?.bool() ?? false
        guard let to, let from, let smarthost, username == nil || password != nil else { return nil }
        return EmailSettings(
            to: to,
            from: from,
            smarthost: smarthost,
            authUsername: username,
            authPassword: password,
            requireTLS: requireTLS,
            hello: hello,
            tls: tls,
            sendResolved: sendResolved
        )
    }

    private func recipients(_ field: YAMLField?, in parent: YAMLField) -> [EmailAddress]? {
        guard let field else {
            parent.problems.add("\(parent.path).to", parent.node, "required; give the recipients, like oncall@example.com")
            return nil
        }
        guard let texts = field.strings() else { return nil }
        let entries = texts.flatMap { $0.split(separator: ",").map(String.init) }.map(\.trimmingSpaces).filter { !$0.isEmpty }
        var found: [EmailAddress] = []
        for entry in entries {
            guard let address = EmailAddress(entry) else {
                field.problems.add(field.path, field.node, "\(LabelText.quoted(entry)) is not a mail address; write one like oncall@example.com")
                return nil
            }
            found.append(address)
        }
        guard !found.isEmpty else {
            field.problems.add(field.path, field.node, "lists no recipient; give at least one address")
            return nil
        }
        return found
    }

    private func sender(_ field: YAMLField?, in parent: YAMLField) -> EmailAddress? {
        guard let field else {
            parent.problems.add("\(parent.path).from", parent.node, "required; give the sender, like alerts@example.com")
            return nil
        }
        guard let text = field.string() else { return nil }
        guard let address = EmailAddress(text) else {
            field.problems.add(field.path, field.node, "\(LabelText.quoted(text)) is not a mail address; write one like alerts@example.com")
            return nil
        }
        return address
    }

    private func relay(_ field: YAMLField?, in parent: YAMLField) -> Smarthost? {
        guard let field else {
            parent.problems.add("\(parent.path).smarthost", parent.node, "required; give the SMTP relay as host:port, like smtp.example.com:587")
            return nil
        }
        guard let text = field.string() else { return nil }
        guard let smarthost = Smarthost(text) else {
            field.problems.add(field.path, field.node, "\(LabelText.quoted(text)) is not host:port; write it like smtp.example.com:587")
            return nil
        }
        return smarthost
    }

    private func tlsSettings(_ field: YAMLField) -> EmailTLSSettings? {
        guard let fields = field.mapping(allowed: ["ca_file", "server_name", "insecure_skip_verify"]) else { return nil }
        var tls = EmailTLSSettings()
        if let caField = fields["ca_file"], let given = caField.string() {
            let path = ConfigPath.resolve(given, relativeTo: baseDirectory)
            if FileManager.default.isReadableFile(atPath: path) {
                tls.caFile = path
            } else {
                caField.problems.add(caField.path, caField.node, "\(path): no such readable file; give a PEM file of CA certificates")
            }
        }
        tls.serverName = fields["server_name"]?.string()
        tls.insecureSkipVerify = fields["insecure_skip_verify"]?.bool() ?? false
        return tls
    }
}
