// The Jupyter wire protocol (messaging spec 5.3, "The Wire Protocol"), client side, on zeromq.js 6.
//
// A message on a socket is the frames
//   [routing ids..., "<IDS|MSG>", HMAC hex, header, parent_header, metadata, content, buffers...]
// where the HMAC (signature_scheme of the connection file, key from it) is computed over the four JSON frames.
// Incoming messages with a wrong signature are refused (an error, never passed on).
"use strict";
const crypto = require("crypto");

const DELIM = "<IDS|MSG>";
const PROTOCOL_VERSION = "5.3";

/** An HMAC signer/verifier for a connection's `signature_scheme` ("hmac-sha256") and `key` ("" = unsigned). */
function signer(scheme, key) {
  const algo = String(scheme || "hmac-sha256").replace(/^hmac-/, "");
  if (!crypto.getHashes().includes(algo)) throw new Error(`unsupported signature_scheme ${scheme}`);
  const sign = (frames) => {
    if (!key) return "";
    const h = crypto.createHmac(algo, key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  };
  return {
    sign,
    verify(signature, frames) {
      if (!key) return true;
      const want = Buffer.from(sign(frames));
      const got = Buffer.from(signature);
      return got.length === want.length && crypto.timingSafeEqual(got, want);
    },
  };
}

/** A new message header (session = this client's session id). */
function header(msgType, session, username) {
  return {
    msg_id: crypto.randomUUID(),
    msg_type: msgType,
    username,
    session,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** Frames for a message `{header, parent_header, metadata, content, buffers}`. */
function encode(msg, sig) {
  const parts = [msg.header, msg.parent_header || {}, msg.metadata || {}, msg.content || {}].map((o) => Buffer.from(JSON.stringify(o)));
  return [...(msg.idents || []), Buffer.from(DELIM), Buffer.from(sig.sign(parts)), ...parts, ...(msg.buffers || [])];
}

/** Decodes frames into `{idents, header, parent_header, metadata, content, buffers, msg_type}`; throws on a bad signature. */
function decode(frames, sig) {
  const i = frames.findIndex((f) => f.length === DELIM.length && f.toString() === DELIM);
  if (i < 0 || frames.length < i + 6) throw new Error("malformed Jupyter message (no <IDS|MSG> delimiter or too few frames)");
  const parts = frames.slice(i + 2, i + 6);
  if (!sig.verify(frames[i + 1].toString(), parts)) throw new Error("Jupyter message with an invalid HMAC signature");
  const [hdr, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
  return { idents: frames.slice(0, i), header: hdr, parent_header: parent, metadata, content, buffers: frames.slice(i + 6), msg_type: hdr.msg_type };
}

module.exports = { signer, header, encode, decode, DELIM, PROTOCOL_VERSION };
