#!/usr/bin/env python3
"""A test SMTP relay for the Notifications tests: aiosmtpd on 127.0.0.1 and an ephemeral port.

It prints the port on the first line of standard output, then writes every message it accepts
to the directory given as N.eml (the bytes as received, after the client's dot-stuffing is
undone) and N.json (envelope sender and recipients, whether the session used TLS, the AUTH
user). With --cert and --key it offers and requires STARTTLS; with --user and --password it
requires AUTH (PLAIN and LOGIN, or LOGIN only with --login-only) over TLS. It stops when its
standard input closes, so it never outlives the test that started it.
"""

import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    """Writes each accepted message and its envelope into a directory."""

    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        with open(base + ".eml", "wb") as message:
            message.write(envelope.original_content)
        user = None
        if isinstance(session.auth_data, LoginPassword):
            user = session.auth_data.login.decode()
        with open(base + ".json", "w") as meta:
            json.dump(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "tls": session.ssl is not None,
                    "user": user,
                    "helo": session.host_name,
                },
                meta,
            )
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--directory", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--login-only", action="store_true")
    arguments = parser.parse_args()

    tls_context = None
    if arguments.cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(arguments.cert, arguments.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        valid = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == arguments.user.encode()
            and auth_data.password == arguments.password.encode()
        )
        # handled=False: aiosmtpd itself answers a failure with 535.
        return AuthResult(success=valid, handled=False, auth_data=auth_data if valid else None)

    recorder = Recorder(arguments.directory)

    def factory():
        return SMTP(
            recorder,
            hostname="test-smtp",
            tls_context=tls_context,
            require_starttls=tls_context is not None,
            authenticator=authenticator if arguments.user else None,
            auth_required=bool(arguments.user),
            auth_require_tls=True,
            auth_exclude_mechanism=["PLAIN"] if arguments.login_only else None,
        )

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, host="127.0.0.1", port=0)
        print(server.sockets[0].getsockname()[1], flush=True)
        # Serve until the parent closes our standard input (or dies).
        await loop.run_in_executor(None, sys.stdin.buffer.read)
        server.close()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
