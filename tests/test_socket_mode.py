"""Socket Mode against a local websocket server: the fake Web API hands out a ws:// URL, the real
slack_sdk client connects, and a slash-command envelope goes through the real Bolt app."""

import base64
import hashlib
import json
import socket
import struct
import threading
import time

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app
from bot.config import bot_settings
from claims.extract import Extractor
from claims.ingest import backfill

from .conftest import ROOT
from .fake_slack import FakeSlack

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class TinyWebSocketServer:
    """Just enough RFC 6455 for one client: handshake, text frames out, masked frames in."""

    def __init__(self, envelopes):
        self.envelopes = envelopes
        self.received = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        conn, _ = self.sock.accept()
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = next(l.split(":", 1)[1].strip() for l in request.decode().split("\r\n") if l.lower().startswith("sec-websocket-key"))
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        self._send(conn, {"type": "hello", "num_connections": 1})
        for envelope in self.envelopes:
            self._send(conn, envelope)
        conn.settimeout(0.2)
        deadline = time.monotonic() + 20
        buffer = b""
        while time.monotonic() < deadline:
            try:
                chunk = conn.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            buffer += chunk
            buffer = self._read_frames(conn, buffer)

    def _send(self, conn, message, opcode=0x1):
        data = json.dumps(message).encode() if opcode == 0x1 else message
        header = bytes([0x80 | opcode])
        header += bytes([len(data)]) if len(data) < 126 else bytes([126]) + struct.pack(">H", len(data))
        conn.sendall(header + data)

    def _read_frames(self, conn, buffer):
        while len(buffer) >= 2:
            opcode, length = buffer[0] & 0x0F, buffer[1] & 0x7F
            pos = 2
            if length == 126:
                length, pos = struct.unpack(">H", buffer[2:4])[0], 4
            elif length == 127:
                length, pos = struct.unpack(">Q", buffer[2:10])[0], 10
            if len(buffer) < pos + 4 + length:
                return buffer
            mask = buffer[pos:pos + 4]
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(buffer[pos + 4:pos + 4 + length]))
            buffer = buffer[pos + 4 + length:]
            if opcode == 0x9:
                self._send(conn, payload, opcode=0xA)
            elif opcode == 0x1:
                self.received.append(json.loads(payload))
        return buffer


def test_slash_command_over_socket_mode(settings, scripted, seed_articles):
    from claims.ledger import Ledger

    backfill(Ledger(settings.db_path), Extractor(scripted, ROOT / "prompts"), seed_articles)
    slack = FakeSlack()
    command = {"command": "/claims", "text": "Putin negotiations", "response_url": f"{slack.url}respond/ws",
               "user_id": "U1", "channel_id": "C1", "team_id": "T1", "trigger_id": "1.2"}
    ws = TinyWebSocketServer([{"envelope_id": "env-1", "type": "slash_commands", "payload": command,
                               "accepts_response_payload": True}])
    slack_settings = bot_settings(settings, environ={}, slack_bot_token="xoxb-t", slack_app_token="xapp-t",
                                  slack_api_url=slack.url + "api/")
    app = create_app(slack_settings, backend_factory=lambda: scripted, http_mode=False)
    # apps.connections.open must hand out our ws:// address.
    handler = SocketModeHandler(app, "xapp-t")
    handler.client.web_client.apps_connections_open = lambda app_token: {"ok": True, "url": f"ws://127.0.0.1:{ws.port}/link"}
    try:
        handler.connect()
        answer = slack.wait_for("respond/ws", timeout=20)[0]
        deadline = time.monotonic() + 5
        while not ws.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ws.received and ws.received[0]["envelope_id"] == "env-1"  # acknowledged over the socket
        speakers = [b["text"]["text"].split("*")[1] for b in answer["blocks"][1:] if b["type"] == "section"]
        assert "David Lammy" in speakers and "Yvette Cooper" in speakers
    finally:
        handler.close()
        slack.close()
