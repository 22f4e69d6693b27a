//! Checks the framing of a PBF file before any decoder reads it: every blob header
//! and blob is complete, of a sane size, decodes, and (zlib) inflates to exactly its
//! declared size; the file starts with an `OSMHeader` whose required features
//! Tournée can read. A truncated or corrupted file is reported with the blob and the
//! byte offset where it breaks, instead of reaching a decoder that may panic on it.

use std::io::{ErrorKind, Read};

use prost::Message;
use rayon::prelude::*;

use crate::proto;

/// The format's limits: a blob header of at most 64 KiB, a blob of at most 32 MiB.
const MAX_HEADER: u32 = 64 * 1024;
const MAX_BLOB: i32 = 32 * 1024 * 1024;
const READABLE_FEATURES: &[&str] = &["OsmSchema-V0.6", "DenseNodes", "HistoricalInformation"];

/// Data blobs whose inflating is checked together, in parallel.
const BATCH: usize = 16;

/// One blob of the file, framed and checked but not yet inflated.
pub(crate) struct FramedBlob {
    /// 0-based; the header blob is number 0 and is never handed out.
    pub number: u64,
    pub offset: u64,
    /// An `OSMData` blob (other types are skipped by decoders, as the format says).
    pub data: bool,
    /// `None` when the caller did not want the blob (its bytes were skipped).
    pub blob: Option<proto::Blob>,
}

impl FramedBlob {
    /// "blob N at byte M: what" (1-based N).
    pub fn at(&self, what: &str) -> String {
        format!("blob {} at byte {}: {what}", self.number + 1, self.offset)
    }

    /// The blob's data, inflated and checked against its declared size.
    pub fn inflate(&self) -> Result<Vec<u8>, String> {
        match &self.blob {
            Some(blob) => inflate(blob).map_err(|e| self.at(&e)),
            None => Err(self.at("the blob was skipped")),
        }
    }
}

/// Reads a PBF stream blob by blob, checking the framing as it goes: every blob
/// header and blob is complete, of a sane size and decodes; the first blob is an
/// `OSMHeader` (inflated and checked here) whose required features Tournée can read.
/// The data blobs are handed out not inflated, so that callers inflate them in
/// parallel, once.
pub(crate) struct Framing<R> {
    r: R,
    offset: u64,
    framing: PbfFraming,
}

impl<R: Read> Framing<R> {
    pub fn new(r: R) -> Framing<R> {
        Framing {
            r,
            offset: 0,
            framing: PbfFraming::default(),
        }
    }

    /// What was read so far (`raw_bytes` counts the header blob only: data blobs
    /// are inflated by the caller).
    pub fn framing(&self) -> &PbfFraming {
        &self.framing
    }

    /// The next data (or unknown) blob, `None` at the end of the file. A blob for
    /// which `want(number)` is false is skipped: its bytes are read past (the file
    /// must still hold them), not decoded.
    pub fn next_blob(&mut self, want: impl Fn(u64) -> bool) -> Result<Option<FramedBlob>, String> {
        loop {
            let offset = self.offset;
            let number = self.framing.blobs;
            let mut len = [0u8; 4];
            match read_full(&mut self.r, &mut len) {
                Ok(0) if number > 0 => return Ok(None),
                Ok(0) => return Err("the file is empty (0 bytes)".into()),
                Ok(4) => {}
                Ok(n) => {
                    return Err(format!(
                        "the file ends {n} byte(s) into the length of blob {} at byte {offset}",
                        number + 1
                    ))
                }
                Err(e) => return Err(format!("read error at byte {offset}: {e}")),
            }
            let at = |what: &str| format!("blob {} at byte {offset}: {what}", number + 1);
            let header_len = u32::from_be_bytes(len);
            if header_len == 0 || header_len > MAX_HEADER {
                return Err(at(&format!(
                    "a blob header of {header_len} bytes is not PBF (at most {MAX_HEADER})"
                )));
            }
            let mut header = vec![0u8; header_len as usize];
            if read_full(&mut self.r, &mut header).map_err(|e| at(&e.to_string()))? < header.len() {
                return Err(at("the file ends inside a blob header"));
            }
            let header = proto::BlobHeader::decode(header.as_slice())
                .map_err(|e| at(&format!("the blob header does not decode ({e})")))?;
            if header.datasize <= 0 || header.datasize > MAX_BLOB {
                return Err(at(&format!(
                    "a blob of {} bytes is not PBF (at most {MAX_BLOB})",
                    header.datasize
                )));
            }
            let size = header.datasize as usize;
            let wanted = number == 0 || want(number);
            let blob = if wanted {
                let mut blob = vec![0u8; size];
                if read_full(&mut self.r, &mut blob).map_err(|e| at(&e.to_string()))? < size {
                    return Err(at("the file ends inside a blob (truncated download?)"));
                }
                Some(
                    proto::Blob::decode(blob.as_slice())
                        .map_err(|e| at(&format!("the blob does not decode ({e})")))?,
                )
            } else {
                let skipped =
                    std::io::copy(&mut (&mut self.r).take(size as u64), &mut std::io::sink())
                        .map_err(|e| at(&e.to_string()))?;
                if skipped < size as u64 {
                    return Err(at("the file ends inside a blob (truncated download?)"));
                }
                None
            };
            self.framing.blobs += 1;
            self.framing.offsets.push(offset);
            self.offset += 4 + header_len as u64 + size as u64;
            match (number, header.r#type.as_str(), blob) {
                (0, "OSMHeader", Some(blob)) => {
                    let data = inflate(&blob).map_err(|e| at(&e))?;
                    let h = proto::HeaderBlock::decode(data.as_slice())
                        .map_err(|e| at(&format!("the OSM header does not decode ({e})")))?;
                    if let Some(f) = h
                        .required_features
                        .iter()
                        .find(|f| !READABLE_FEATURES.contains(&f.as_str()))
                    {
                        return Err(at(&format!(
                            "the file requires the feature `{f}`, which Tournée cannot read"
                        )));
                    }
                    self.framing.raw_bytes += data.len() as u64;
                }
                (0, other, _) => {
                    return Err(at(&format!("the first blob is `{other}`, not `OSMHeader`")))
                }
                (_, kind, blob) => {
                    let data = kind == "OSMData";
                    if data {
                        self.framing.data_blobs += 1;
                    }
                    return Ok(Some(FramedBlob {
                        number,
                        offset,
                        data,
                        blob,
                    }));
                }
            }
        }
    }
}

/// Inflates the pending blobs in parallel; the bytes they inflate to, or the first
/// failure (in file order).
fn flush(pending: &mut Vec<FramedBlob>) -> Result<u64, String> {
    let sizes: Vec<Result<u64, String>> = pending
        .par_iter()
        .map(|b| b.inflate().map(|d| d.len() as u64))
        .collect();
    pending.clear();
    sizes.into_iter().sum()
}

/// Reads the whole stream; `Err` says what is wrong and where (the first fault in
/// file order). Data blobs are inflated a batch at a time, in parallel. (The import
/// makes the same checks in its first pass, through [`Framing`], inflating each
/// blob once.)
pub fn check_pbf<R: Read>(r: R) -> Result<PbfFraming, String> {
    let mut blobs = Framing::new(r);
    let mut raw_bytes = 0;
    let mut pending: Vec<FramedBlob> = Vec::new();
    let result = loop {
        match blobs.next_blob(|_| true) {
            Ok(Some(b)) => {
                pending.push(b);
                if pending.len() >= BATCH {
                    raw_bytes += flush(&mut pending)?;
                }
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    // A blob read before the fault comes first in file order.
    raw_bytes += flush(&mut pending)?;
    result?;
    let mut framing = blobs.framing().clone();
    framing.raw_bytes += raw_bytes;
    Ok(framing)
}

/// What the framing check saw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PbfFraming {
    pub blobs: u64,
    pub data_blobs: u64,
    /// Bytes once decompressed.
    pub raw_bytes: u64,
    /// The byte offset where each blob starts, in order.
    pub offsets: Vec<u64>,
}

impl PbfFraming {
    /// "blob N at byte M" for the blob holding byte `pos` (1-based N, as the
    /// framing check's own errors say).
    pub fn locate(&self, pos: u64) -> String {
        let i = self.offsets.partition_point(|&o| o < pos.max(1)).max(1) - 1;
        match self.offsets.get(i) {
            Some(o) => format!("blob {} at byte {o}", i + 1),
            None => format!("near byte {pos}"),
        }
    }
}

fn inflate(blob: &proto::Blob) -> Result<Vec<u8>, String> {
    if let Some(raw) = &blob.raw {
        return Ok(raw.clone());
    }
    let Some(z) = &blob.zlib_data else {
        let kind = if blob.lzma_data.is_some() {
            "lzma"
        } else if blob.lz4_data.is_some() {
            "lz4"
        } else if blob.zstd_data.is_some() {
            "zstd"
        } else {
            "no"
        };
        return Err(format!(
            "{kind} compression is not supported (only zlib and raw blobs are)"
        ));
    };
    let size = blob.raw_size.unwrap_or(0);
    if !(0..=MAX_BLOB).contains(&size) {
        return Err(format!("a declared size of {size} bytes is not PBF"));
    }
    // zlib-rs, called directly (flate2's backend stays miniz_oxide for the
    // crates that compress): it inflates OSM blocks about twice as fast.
    let mut out = vec![0u8; size as usize];
    let (done, code) = zlib_rs::decompress_slice(&mut out, z, zlib_rs::InflateConfig::default());
    let n = done.len();
    if code != zlib_rs::ReturnCode::Ok {
        return Err(format!(
            "the compressed data is corrupt or inflates past its declared {size} bytes ({code:?})"
        ));
    }
    out.truncate(n);
    if out.len() != size as usize {
        return Err(format!("inflates to {} bytes, {size} declared", out.len()));
    }
    Ok(out)
}

/// Reads until `buf` is full or the stream ends; returns how many bytes were read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{tags, write_pbf, Node, OsmData, Way};

    fn sample() -> Vec<u8> {
        let data = OsmData {
            nodes: (0..50)
                .map(|i| Node {
                    id: i + 1,
                    lon: -2.5 + i as f64 * 1e-3,
                    lat: 45.0,
                    tags: tags(&[("name", "x")]),
                })
                .collect(),
            ways: vec![Way {
                id: 1,
                nodes: (1..=50).collect(),
                tags: tags(&[("highway", "residential")]),
            }],
        };
        let mut out = Vec::new();
        write_pbf(&mut out, &data, "test").unwrap();
        out
    }

    #[test]
    fn a_good_file_passes() {
        let f = check_pbf(sample().as_slice()).unwrap();
        assert_eq!(f.blobs, 3);
        assert_eq!(f.data_blobs, 2);
    }

    /// Offsets where a blob ends: cutting there leaves a shorter but valid file.
    fn blob_ends(bytes: &[u8]) -> Vec<usize> {
        let mut ends = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let header = proto::BlobHeader::decode(&bytes[at + 4..at + 4 + len]).unwrap();
            at += 4 + len + header.datasize as usize;
            ends.push(at);
        }
        ends
    }

    #[test]
    fn every_truncation_is_caught() {
        let bytes = sample();
        let ends = blob_ends(&bytes);
        assert_eq!(ends.len(), 3);
        for cut in 0..bytes.len() {
            let r = check_pbf(&bytes[..cut]);
            match ends.iter().position(|&e| e == cut) {
                Some(i) => assert_eq!(r.unwrap().blobs, i as u64 + 1),
                None => assert!(r.is_err(), "cut at {cut} passed"),
            }
        }
    }

    #[test]
    fn flipped_bytes_are_caught_or_harmless() {
        let bytes = sample();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            // Either the check fails, or what passes it still decodes everywhere (a
            // flip inside a string of the header, say): never a panic.
            if check_pbf(b.as_slice()).is_ok() {
                let mut r = osmpbfreader::OsmPbfReader::new(std::io::Cursor::new(b));
                let _ = r.iter().count();
            }
        }
    }
}
