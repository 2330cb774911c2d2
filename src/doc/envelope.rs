//! The changes-packet envelope: a small header that says what a packet is
//! and whom it came from, around zlib-compressed Automerge changes.
//!
//! Byte layout (docs/file-format.md has the same table for other tools):
//!
//! | offset    | size | content                                              |
//! |-----------|------|------------------------------------------------------|
//! | 0         | 8    | signature `89 50 4D 4F 58 0D 0A 1A` ("\x89PMOX\r\n\x1a") |
//! | 8         | 1    | envelope version, currently 1                        |
//! | 9         | 4    | header length `H`, unsigned little-endian            |
//! | 13        | H    | header: UTF-8 JSON object ([`PacketHeader`])         |
//! | 13 + H    | rest | body: zlib stream of Automerge change chunks, exactly what `saveSince`/`save_after` writes |
//!
//! The PNG-style signature starts with a non-ASCII byte and holds CR LF and
//! ^Z, so a text-mode transfer that mangles the file is detected at once.

use super::error::DocError;
use super::guard;
use serde::{Deserialize, Serialize};
use std::io::Write;

pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'M', b'O', b'X', b'\r', b'\n', 0x1a];
/// The envelope version this app writes and the newest it reads.
pub const ENVELOPE_VERSION: u8 = 1;
/// Value of the header's `type`.
pub const PACKET_TYPE: &str = "pmo-desk-changes";
/// Headers are a few hundred bytes; anything near this is not ours.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
const PREFIX: usize = SIGNATURE.len() + 1 + 4;

/// What a packet says about itself. Change hashes are lower-case hex.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PacketHeader {
    #[serde(rename = "type")]
    pub kind: String,
    pub portfolio_id: String,
    pub portfolio_name: String,
    /// Schema version of the sender's document.
    pub schema: u64,
    /// Actor id (hex) of the device that exported the packet.
    pub sender_actor: String,
    pub sender_name: String,
    /// Heads the packet builds on: the recipient must have these changes.
    pub base: Vec<String>,
    /// Heads of the sender's document when exported.
    pub version: Vec<String>,
    /// Number of change chunks in the body.
    pub changes: usize,
    /// Length of the body once unpacked.
    pub bytes: usize,
}

pub fn is_packet(bytes: &[u8]) -> bool {
    bytes.starts_with(&SIGNATURE)
}

pub fn encode(header: &PacketHeader, changes: &[u8]) -> Vec<u8> {
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Vec::with_capacity(PREFIX + json.len() + changes.len() / 3);
    out.extend_from_slice(&SIGNATURE);
    out.push(ENVELOPE_VERSION);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    let mut z = flate2::write::ZlibEncoder::new(out, flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = z.write_all(changes);
    z.finish().unwrap_or_default()
}

/// Reads the header only (cheap; nothing is unpacked).
pub fn decode_header(bytes: &[u8]) -> Result<(PacketHeader, &[u8]), DocError> {
    if !is_packet(bytes) {
        return Err(DocError::NotAutomerge);
    }
    if bytes.len() < PREFIX {
        return Err(DocError::Corrupt(
            "the packet ends inside its header".into(),
        ));
    }
    match bytes[SIGNATURE.len()] {
        0 => return Err(DocError::Corrupt("packet envelope version 0".into())),
        v if v > ENVELOPE_VERSION => {
            return Err(DocError::NewerFormat {
                found: v.into(),
                supported: ENVELOPE_VERSION.into(),
            })
        }
        _ => {}
    }
    let len_bytes: [u8; 4] = bytes[SIGNATURE.len() + 1..PREFIX]
        .try_into()
        .map_err(|_| DocError::Corrupt("packet header length".into()))?;
    let len = u32::from_le_bytes(len_bytes) as usize;
    if len > MAX_HEADER_BYTES || PREFIX + len > bytes.len() {
        return Err(DocError::Corrupt(format!(
            "packet header length {len} is out of range"
        )));
    }
    let header: PacketHeader = serde_json::from_slice(&bytes[PREFIX..PREFIX + len])
        .map_err(|e| DocError::Corrupt(format!("packet header: {e}")))?;
    if header.kind != PACKET_TYPE {
        return Err(DocError::NotPortfolio);
    }
    Ok((header, &bytes[PREFIX + len..]))
}

/// Unpacks the body, bounded by the header's claim and by
/// [`guard::MAX_INFLATED_BYTES`]; the result must be exactly as long as
/// claimed.
pub fn unpack_body(header: &PacketHeader, body: &[u8]) -> Result<Vec<u8>, DocError> {
    if header.bytes > guard::MAX_INFLATED_BYTES {
        return Err(DocError::Overinflated {
            limit: guard::MAX_INFLATED_BYTES,
        });
    }
    // More output than the header claims is refused as a bomb too.
    let changes = guard::inflate_zlib(body, header.bytes)?;
    if changes.len() != header.bytes {
        return Err(DocError::Corrupt(format!(
            "the packet holds {} bytes of changes; its header says {}",
            changes.len(),
            header.bytes
        )));
    }
    Ok(changes)
}
