"""A real SMTP server for the browser tests and the mail tests: accepts every message and
appends it, decoded, as one JSON line (to, from, subject, message_id, body) to the output file.
With --tls starttls (STARTTLS required) or --tls implicit (TLS from the first byte, SMTPS) it
serves the certificate --cert with the key --key."""

import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl

from aiosmtpd.controller import Controller


class JsonLinesHandler:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "to": envelope.rcpt_tos,
            "from": message["From"],
            "subject": message["Subject"],
            "message_id": message["Message-ID"],
            "body": body.get_content() if body else "",
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    open(args.out, "w").close()
    handler = JsonLinesHandler(args.out)
    if args.tls == "none":
        controller = Controller(handler, hostname="127.0.0.1", port=args.port)
    else:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.tls == "starttls":
            controller = Controller(
                handler, hostname="127.0.0.1", port=args.port,
                tls_context=context, require_starttls=True,
            )
        else:
            controller = Controller(
                handler, hostname="127.0.0.1", port=args.port,
                ssl_context=context, server_hostname="localhost",
            )
    controller.start()
    print(f"SMTP sink ({args.tls}) on 127.0.0.1:{args.port} writing {args.out}", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
