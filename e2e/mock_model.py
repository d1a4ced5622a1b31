#!/usr/bin/env python3
"""A scripted stand-in for the Anthropic Messages API, so the real Claude Code CLI can run
zakon's scenarios without a model or a network. Python standard library only.

    mock_model.py --script SCRIPT.json --log REQUESTS.jsonl --port-file PORT

Listens on 127.0.0.1 (a free port, written to --port-file once listening) and answers:
  POST /v1/messages               the scripted reply: SSE when the request asks for a
                                  stream, else one JSON message
  POST /v1/messages/count_tokens  a rough count
  GET  /v1/models[/ID], HEAD, GET /   minimal answers
Every request is appended to --log as one JSON line (the API key is never logged).

SCRIPT:
  {"agents": [{"id": "main", "match": "TEXT IN THE FIRST USER MESSAGE",
               "replies": [REPLY, ...], "then": REPLY}],
   "latency_s": 0.2}
  REPLY = {"say": "text", "tools": [{"name": "Bash", "input": {...}}], "latency_s": 0}

The reply is chosen without state: the number of assistant messages already in the
request picks it, so a retried request gets the same reply and a Stop-hook continuation
(one more user message) gets the next one. Once the replies run out, "then" answers (by
default a text saying the script ran out, which the scenarios check for). A request is a
side request (title, quota probe, summary) when it carries no tools, asks for at most one
token, or matches no agent: it gets "OK" and is logged as such, so it never shifts the
scripted replies. Main agent and subagent are told apart by "match": a subagent's first
user message is the prompt its parent wrote for it.
"""

import argparse
import hashlib
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_MODEL = "claude-sonnet-4-5-20250929"
WRITE_LOCK = threading.Lock()
RAN_OUT = {"say": "(mock model: the script has no reply left for this request)"}


def text_of(content):
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, dict):
            if block.get("type") == "text":
                parts.append(block.get("text", ""))
            elif block.get("type") == "tool_result":
                parts.append(text_of(block.get("content")))
    return "\n".join(parts)


def pick(script, body):
    """(agent id or None, reply index, reply, why) for one /v1/messages body."""
    messages = body.get("messages") or []
    if not body.get("tools"):
        return None, None, None, "side: no tools"
    if (body.get("max_tokens") or 0) <= 1:
        return None, None, None, "side: max_tokens <= 1"
    first = next((text_of(m.get("content")) for m in messages if m.get("role") == "user"), "")
    for agent in script.get("agents", []):
        if agent.get("match", "") in first:
            n = sum(1 for m in messages if m.get("role") == "assistant")
            replies = agent.get("replies", [])
            reply = replies[n] if n < len(replies) else agent.get("then", RAN_OUT)
            return agent.get("id", "main"), n, reply, "agent %s" % agent.get("id")
    return None, None, None, "side: no agent matches"


def blocks_of(reply, agent, n):
    blocks = []
    if reply.get("say"):
        blocks.append({"type": "text", "text": reply["say"]})
    for i, tool in enumerate(reply.get("tools") or []):
        seed = "%s:%s:%s" % (agent, n, i)
        blocks.append({"type": "tool_use",
                       "id": "toolu_" + hashlib.sha1(seed.encode()).hexdigest()[:22],
                       "name": tool["name"], "input": tool.get("input", {})})
    if not blocks:
        blocks.append({"type": "text", "text": "OK"})
    stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    return blocks, stop


class Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, body, **extra):
        entry = {"t": round(time.time(), 3), "method": self.command, "path": self.path,
                 "body": body}
        entry.update(extra)
        with WRITE_LOCK, open(self.server.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def send_json(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_HEAD(self):
        self.record(None)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.record(None)
        path = self.path.split("?")[0]
        model = {"type": "model", "id": DEFAULT_MODEL, "display_name": "mock",
                 "created_at": "2025-01-01T00:00:00Z"}
        if path.startswith("/v1/models/"):
            self.send_json(200, dict(model, id=path.rsplit("/", 1)[1]))
        elif path == "/v1/models":
            self.send_json(200, {"data": [model], "has_more": False,
                                 "first_id": DEFAULT_MODEL, "last_id": DEFAULT_MODEL})
        else:
            self.send_json(200, {})

    def do_POST(self):
        size = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(size) if size else b"{}"
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        path = self.path.split("?")[0]
        if path == "/v1/messages/count_tokens":
            self.record(body, kind="count_tokens")
            self.send_json(200, {"input_tokens": max(1, len(raw) // 4)})
            return
        if path != "/v1/messages":
            self.record(body, kind="unknown")
            self.send_json(404, {"type": "error", "error": {
                "type": "not_found_error", "message": "mock: no " + path}})
            return
        agent, n, reply, why = pick(self.server.script, body)
        if agent is None:
            blocks, stop = [{"type": "text", "text": "OK"}], "end_turn"
            self.record(body, kind="side", why=why)
        else:
            blocks, stop = blocks_of(reply, agent, n)
            self.record(body, kind="agent", agent=agent, turn=n, reply=blocks)
            wait = reply.get("latency_s", self.server.script.get("latency_s", 0))
            if wait:
                time.sleep(float(wait))
        msg_id = "msg_" + hashlib.sha1(raw).hexdigest()[:24]
        model = body.get("model") or DEFAULT_MODEL
        usage = {"input_tokens": max(1, len(raw) // 4), "output_tokens": 8,
                 "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        if body.get("stream"):
            self.stream(msg_id, model, blocks, stop, usage)
        else:
            self.send_json(200, {"id": msg_id, "type": "message", "role": "assistant",
                                 "model": model, "content": blocks, "stop_reason": stop,
                                 "stop_sequence": None, "usage": usage})

    def stream(self, msg_id, model, blocks, stop, usage):
        """Server-sent events in the order the Anthropic API sends them."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

        def event(name, data):
            data["type"] = name
            self.wfile.write(("event: %s\ndata: %s\n\n" % (name, json.dumps(data))).encode())
            self.wfile.flush()

        event("message_start", {"message": {
            "id": msg_id, "type": "message", "role": "assistant", "model": model,
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": dict(usage, output_tokens=1)}})
        event("ping", {})
        for i, block in enumerate(blocks):
            if block["type"] == "text":
                event("content_block_start", {"index": i,
                                              "content_block": {"type": "text", "text": ""}})
                text = block["text"]
                for k in range(0, max(len(text), 1), 64):
                    event("content_block_delta", {"index": i, "delta": {
                        "type": "text_delta", "text": text[k:k + 64]}})
            else:
                event("content_block_start", {"index": i, "content_block": {
                    "type": "tool_use", "id": block["id"], "name": block["name"],
                    "input": {}}})
                js = json.dumps(block["input"])
                for k in range(0, len(js), 64):
                    event("content_block_delta", {"index": i, "delta": {
                        "type": "input_json_delta", "partial_json": js[k:k + 64]}})
            event("content_block_stop", {"index": i})
        event("message_delta", {"delta": {"stop_reason": stop, "stop_sequence": None},
                                "usage": {"output_tokens": usage["output_tokens"]}})
        event("message_stop", {})


def main():
    ap = argparse.ArgumentParser(description="scripted Messages API mock")
    ap.add_argument("--script", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    with open(args.script, encoding="utf-8") as f:
        script = json.load(f)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    server.daemon_threads = True
    server.script = script
    server.log_path = args.log
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
