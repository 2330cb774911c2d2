//! Limits applied to untrusted bytes before Automerge parses them.
//!
//! Automerge 0.12 inflates DEFLATE-compressed columns and chunks without
//! any bound (NOTES.md: a 194 KB file grows to 785 MB), so a crafted file
//! can exhaust memory before any other check runs. This module walks the
//! chunk structure of an Automerge file itself and inflates every
//! compressed part into a counting sink, refusing the file as soon as the
//! total passes [`MAX_INFLATED_BYTES`]. It only reads lengths and flags; the
//! real parsing is still Automerge's.

use super::error::DocError;
use super::layout::AUTOMERGE_MAGIC;
use std::io::{self, Read};

/// Largest exchange file accepted (full file or changes packet).
///
/// A portfolio of 5,000 projects with their history saves to a few MB
/// (see benches/results/exchange.md); 50 MB leaves more than ten times
/// that for years of history while keeping the memory a browser tab needs
/// to load the file (several times its size) within what phones offer.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// Largest total size the compressed parts of one file may unpack to.
///
/// Automerge's own column compression rarely exceeds 5:1 on real
/// portfolios; a file at the size limit unpacking to 256 MB would already
/// be extraordinary, while DEFLATE bombs reach 1000:1.
pub const MAX_INFLATED_BYTES: usize = 256 * 1024 * 1024;

const CHUNK_DOCUMENT: u8 = 0;
const CHUNK_CHANGE: u8 = 1;
const CHUNK_COMPRESSED: u8 = 2;
const CHUNK_BUNDLE: u8 = 3;
/// Bit of a column specification marking DEFLATE-compressed data.
const COLUMN_DEFLATE: u64 = 0b1000;
const HASH_BYTES: usize = 32;

pub(crate) fn check_size(bytes: &[u8]) -> Result<(), DocError> {
    if bytes.is_empty() {
        return Err(DocError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(DocError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(())
}

/// Walks every chunk of an Automerge file (a saved document, change
/// chunks, or a mix) and refuses it if its compressed parts unpack to more
/// than `budget` bytes in total. Returns the total unpacked size.
pub(crate) fn check_inflation(bytes: &[u8], budget: usize) -> Result<usize, DocError> {
    let mut input = Input(bytes);
    let mut total = 0usize;
    while !input.0.is_empty() {
        if input.take(4)? != AUTOMERGE_MAGIC {
            return Err(DocError::Corrupt("unexpected data between chunks".into()));
        }
        input.take(4)?; // checksum; Automerge verifies it
        let kind = input.take(1)?[0];
        let len = input.uleb_len()?;
        let mut data = Input(input.take(len)?);
        total = add(total, len, budget)?;
        match kind {
            CHUNK_DOCUMENT => {
                skip_actors(&mut data)?;
                let heads = data.uleb_len()?;
                data.take(heads.checked_mul(HASH_BYTES).ok_or_else(too_long)?)?;
                let change_cols = columns(&mut data)?;
                let op_cols = columns(&mut data)?;
                for spec in change_cols.iter().chain(&op_cols) {
                    total = column(&mut data, *spec, total, budget)?;
                }
            }
            CHUNK_BUNDLE => {
                let deps = data.uleb_len()?;
                data.take(deps.checked_mul(HASH_BYTES).ok_or_else(too_long)?)?;
                skip_actors(&mut data)?;
                for _ in 0..2 {
                    for spec in columns(&mut data)? {
                        total = column(&mut data, spec, total, budget)?;
                    }
                }
            }
            CHUNK_COMPRESSED => {
                total = add(total, inflated_len(data.0, budget - total)?, budget)?;
            }
            CHUNK_CHANGE => {}
            other => return Err(DocError::Corrupt(format!("unknown chunk type {other}"))),
        }
    }
    Ok(total)
}

/// Splits concatenated Automerge chunks (what `save_after` writes) into
/// single chunks, each with its header, without parsing their contents.
pub(crate) fn split_chunks(bytes: &[u8]) -> Result<Vec<&[u8]>, DocError> {
    let mut input = Input(bytes);
    let mut out = Vec::new();
    while !input.0.is_empty() {
        let start = input.0;
        if input.take(4)? != AUTOMERGE_MAGIC {
            return Err(DocError::Corrupt("unexpected data between changes".into()));
        }
        input.take(5)?;
        let len = input.uleb_len()?;
        input.take(len)?;
        out.push(&start[..start.len() - input.0.len()]);
    }
    Ok(out)
}

fn add(total: usize, more: usize, budget: usize) -> Result<usize, DocError> {
    match total.checked_add(more) {
        Some(t) if t <= budget => Ok(t),
        _ => Err(DocError::Overinflated { limit: budget }),
    }
}

fn too_long() -> DocError {
    DocError::Corrupt("length out of range".into())
}

fn skip_actors(data: &mut Input<'_>) -> Result<(), DocError> {
    for _ in 0..data.uleb_len()? {
        let len = data.uleb_len()?;
        data.take(len)?;
    }
    Ok(())
}

/// Column metadata: (specification, data length) pairs.
type Column = (u64, usize);

fn columns(data: &mut Input<'_>) -> Result<Vec<Column>, DocError> {
    let count = data.uleb_len()?;
    // Each entry takes at least two bytes; a larger count is a lie.
    if count > data.0.len() / 2 {
        return Err(too_long());
    }
    (0..count)
        .map(|_| Ok((data.uleb()?, data.uleb_len()?)))
        .collect()
}

fn column(
    data: &mut Input<'_>,
    (spec, len): Column,
    total: usize,
    budget: usize,
) -> Result<usize, DocError> {
    let bytes = data.take(len)?;
    if spec & COLUMN_DEFLATE == 0 {
        return Ok(total);
    }
    add(total, inflated_len(bytes, budget - total)?, budget)
}

/// Size of a raw DEFLATE stream once unpacked, reading at most one byte
/// more than `room` (enough for the caller to see it does not fit).
fn inflated_len(compressed: &[u8], room: usize) -> Result<usize, DocError> {
    let mut reader = flate2::read::DeflateDecoder::new(compressed).take(room as u64 + 1);
    let n = io::copy(&mut reader, &mut io::sink())
        .map_err(|e| DocError::Corrupt(format!("bad compressed data: {e}")))?;
    usize::try_from(n).map_err(|_| too_long())
}

/// Inflates a zlib stream, refusing output beyond `limit` bytes.
pub(crate) fn inflate_zlib(compressed: &[u8], limit: usize) -> Result<Vec<u8>, DocError> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| DocError::Corrupt(format!("bad compressed data: {e}")))?;
    if out.len() > limit {
        return Err(DocError::Overinflated { limit });
    }
    Ok(out)
}

struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DocError> {
        if n > self.0.len() {
            return Err(DocError::Corrupt("the file ends early".into()));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn uleb(&mut self) -> Result<u64, DocError> {
        let mut value = 0u64;
        for i in 0..10 {
            let byte = self.take(1)?[0];
            let bits = u64::from(byte & 0x7f);
            if i == 9 && bits > 1 {
                return Err(too_long());
            }
            value |= bits << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(too_long())
    }

    /// A length, which can never exceed the bytes that are left.
    fn uleb_len(&mut self) -> Result<usize, DocError> {
        usize::try_from(self.uleb()?).map_err(|_| too_long())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{transaction::Transactable, AutoCommit, ROOT};

    fn sample() -> Vec<u8> {
        let mut doc = AutoCommit::new();
        for i in 0..300 {
            doc.put(ROOT, format!("key{i}"), "the same text again and again")
                .unwrap();
        }
        doc.commit();
        doc.save()
    }

    #[test]
    fn real_documents_and_changes_pass() {
        let bytes = sample();
        let total = check_inflation(&bytes, MAX_INFLATED_BYTES).unwrap();
        assert!(total > bytes.len(), "compressed columns were counted");
        let mut doc = AutoCommit::load(&bytes).unwrap();
        doc.put(ROOT, "more", 1).unwrap();
        doc.commit();
        let changes = doc.save_after(&[]);
        check_inflation(&changes, MAX_INFLATED_BYTES).unwrap();
    }

    #[test]
    fn a_budget_smaller_than_the_unpacked_size_is_refused() {
        let bytes = sample();
        let total = check_inflation(&bytes, MAX_INFLATED_BYTES).unwrap();
        assert_eq!(
            check_inflation(&bytes, total - 1),
            Err(DocError::Overinflated { limit: total - 1 })
        );
    }

    #[test]
    fn truncation_and_trailing_junk_are_corrupt() {
        let bytes = sample();
        assert!(matches!(
            check_inflation(&bytes[..bytes.len() - 3], MAX_INFLATED_BYTES),
            Err(DocError::Corrupt(_))
        ));
        let mut junk = bytes.clone();
        junk.extend_from_slice(b"PK\x03\x04");
        assert!(matches!(
            check_inflation(&junk, MAX_INFLATED_BYTES),
            Err(DocError::Corrupt(_))
        ));
    }

    #[test]
    fn zlib_output_is_bounded() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![0u8; 1 << 20]).unwrap();
        let small = enc.finish().unwrap();
        assert!(small.len() < 5000);
        assert_eq!(inflate_zlib(&small, 1 << 20).unwrap().len(), 1 << 20);
        assert_eq!(
            inflate_zlib(&small, 1000),
            Err(DocError::Overinflated { limit: 1000 })
        );
    }
}
