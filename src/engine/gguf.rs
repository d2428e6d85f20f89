//! Reads the metadata of a GGUF file (header and key/value pairs) without loading the
//! model: for `llmops model info`, and to refuse a truncated or foreign file with a clear
//! error before llama.cpp sees it.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MetaValue {
    Int(i64),
    Uint(u64),
    Float(f64),
    Bool(bool),
    Text(String),
    /// Arrays are summarised: element type and length (token lists run to 100k entries).
    Array { element: &'static str, len: u64 },
}

impl std::fmt::Display for MetaValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetaValue::Int(v) => write!(f, "{v}"),
            MetaValue::Uint(v) => write!(f, "{v}"),
            MetaValue::Float(v) => write!(f, "{v}"),
            MetaValue::Bool(v) => write!(f, "{v}"),
            MetaValue::Text(v) => f.write_str(v),
            MetaValue::Array { element, len } => write!(f, "[{element}; {len}]"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GgufInfo {
    pub version: u32,
    pub tensors: u64,
    pub metadata: BTreeMap<String, MetaValue>,
}

impl GgufInfo {
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.metadata.get(key) {
            Some(MetaValue::Text(s)) => Some(s),
            _ => None,
        }
    }

    pub fn architecture(&self) -> Option<&str> {
        self.text("general.architecture")
    }

    pub fn context_length(&self) -> Option<u64> {
        let arch = self.architecture()?;
        match self.metadata.get(&format!("{arch}.context_length"))? {
            MetaValue::Uint(v) => Some(*v),
            MetaValue::Int(v) => Some(*v as u64),
            _ => None,
        }
    }

    pub fn chat_template(&self) -> Option<&str> {
        self.text("tokenizer.chat_template")
    }

    /// The quantization, from `general.file_type` (llama.cpp's `llama_ftype`).
    pub fn quantization(&self) -> Option<&'static str> {
        let ftype = match self.metadata.get("general.file_type")? {
            MetaValue::Uint(v) => *v,
            MetaValue::Int(v) => *v as u64,
            _ => return None,
        };
        Some(match ftype {
            0 => "F32",
            1 => "F16",
            2 => "Q4_0",
            3 => "Q4_1",
            7 => "Q8_0",
            8 => "Q5_0",
            9 => "Q5_1",
            10 => "Q2_K",
            11 => "Q3_K_S",
            12 => "Q3_K_M",
            13 => "Q3_K_L",
            14 => "Q4_K_S",
            15 => "Q4_K_M",
            16 => "Q5_K_S",
            17 => "Q5_K_M",
            18 => "Q6_K",
            32 => "BF16",
            _ => "other",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GgufError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a GGUF file (it starts with {0:?}, not \"GGUF\")")]
    NotGguf(String),
    #[error("GGUF version {0} is not supported (2 and 3 are)")]
    Version(u32),
    #[error("the file ends inside its header: it is truncated")]
    Truncated,
    #[error("corrupt header: {0}")]
    Corrupt(String),
}

/// Reads the header of the GGUF file at `path`.
pub fn read(path: &Path) -> Result<GgufInfo, GgufError> {
    let file = File::open(path)?;
    parse(&mut BufReader::new(file))
}

pub fn parse(r: &mut impl Read) -> Result<GgufInfo, GgufError> {
    let mut magic = [0u8; 4];
    read_exact(r, &mut magic)?;
    if &magic != b"GGUF" {
        return Err(GgufError::NotGguf(String::from_utf8_lossy(&magic).into_owned()));
    }
    let version = u32::from_le_bytes(array(r)?);
    if !(2..=3).contains(&version) {
        return Err(GgufError::Version(version));
    }
    let tensors = u64::from_le_bytes(array(r)?);
    let kv_count = u64::from_le_bytes(array(r)?);
    if kv_count > 1_000_000 {
        return Err(GgufError::Corrupt(format!("{kv_count} metadata entries")));
    }
    let mut metadata = BTreeMap::new();
    for _ in 0..kv_count {
        let key = string(r)?;
        let kind = u32::from_le_bytes(array(r)?);
        let value = value(r, kind)?;
        metadata.insert(key, value);
    }
    Ok(GgufInfo { version, tensors, metadata })
}

fn read_exact(r: &mut impl Read, buf: &mut [u8]) -> Result<(), GgufError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => GgufError::Truncated,
        _ => GgufError::Io(e),
    })
}

fn array<const N: usize>(r: &mut impl Read) -> Result<[u8; N], GgufError> {
    let mut buf = [0u8; N];
    read_exact(r, &mut buf)?;
    Ok(buf)
}

fn string(r: &mut impl Read) -> Result<String, GgufError> {
    let len = u64::from_le_bytes(array(r)?);
    if len > 64 << 20 {
        return Err(GgufError::Corrupt(format!("a string of {len} bytes")));
    }
    let mut buf = vec![0u8; len as usize];
    read_exact(r, &mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

const TYPE_NAMES: [&str; 13] =
    ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"];

/// Deepest nesting of arrays read (llama.cpp itself reads no array of arrays).
const MAX_ARRAY_DEPTH: usize = 2;

fn value(r: &mut impl Read, kind: u32) -> Result<MetaValue, GgufError> {
    value_at(r, kind, 0)
}

fn value_at(r: &mut impl Read, kind: u32, depth: usize) -> Result<MetaValue, GgufError> {
    Ok(match kind {
        0 => MetaValue::Uint(u8::from_le_bytes(array(r)?).into()),
        1 => MetaValue::Int(i8::from_le_bytes(array(r)?).into()),
        2 => MetaValue::Uint(u16::from_le_bytes(array(r)?).into()),
        3 => MetaValue::Int(i16::from_le_bytes(array(r)?).into()),
        4 => MetaValue::Uint(u32::from_le_bytes(array(r)?).into()),
        5 => MetaValue::Int(i32::from_le_bytes(array(r)?).into()),
        6 => MetaValue::Float(f32::from_le_bytes(array(r)?).into()),
        7 => MetaValue::Bool(array::<1>(r)?[0] != 0),
        8 => MetaValue::Text(string(r)?),
        9 => {
            let element = u32::from_le_bytes(array(r)?);
            let len = u64::from_le_bytes(array(r)?);
            if len > 1 << 32 {
                return Err(GgufError::Corrupt(format!("an array of {len} entries")));
            }
            if element == 9 && depth + 1 >= MAX_ARRAY_DEPTH {
                return Err(GgufError::Corrupt(format!("arrays nested deeper than {MAX_ARRAY_DEPTH}")));
            }
            for _ in 0..len {
                value_at(r, element, depth + 1)?;
            }
            MetaValue::Array { element: TYPE_NAMES.get(element as usize).copied().unwrap_or("?"), len }
        }
        10 => MetaValue::Uint(u64::from_le_bytes(array(r)?)),
        11 => MetaValue::Int(i64::from_le_bytes(array(r)?)),
        12 => MetaValue::Float(f64::from_le_bytes(array(r)?)),
        other => return Err(GgufError::Corrupt(format!("unknown value type {other}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kv: &[(&str, u32, Vec<u8>)]) -> Vec<u8> {
        let mut out = b"GGUF".to_vec();
        out.extend(3u32.to_le_bytes());
        out.extend(7u64.to_le_bytes());
        out.extend((kv.len() as u64).to_le_bytes());
        for (k, t, v) in kv {
            out.extend((k.len() as u64).to_le_bytes());
            out.extend(k.as_bytes());
            out.extend(t.to_le_bytes());
            out.extend(v);
        }
        out
    }

    fn text(s: &str) -> Vec<u8> {
        let mut v = (s.len() as u64).to_le_bytes().to_vec();
        v.extend(s.as_bytes());
        v
    }

    #[test]
    fn reads_strings_numbers_and_arrays() {
        let mut arr = 8u32.to_le_bytes().to_vec();
        arr.extend(2u64.to_le_bytes());
        arr.extend(text("a"));
        arr.extend(text("b"));
        let bytes = header(&[
            ("general.architecture", 8, text("llama")),
            ("llama.context_length", 4, 8192u32.to_le_bytes().to_vec()),
            ("general.file_type", 4, 3u32.to_le_bytes().to_vec()),
            ("tokenizer.ggml.tokens", 9, arr),
        ]);
        let info = parse(&mut bytes.as_slice()).unwrap();
        assert_eq!(info.tensors, 7);
        assert_eq!(info.architecture(), Some("llama"));
        assert_eq!(info.context_length(), Some(8192));
        assert_eq!(info.quantization(), Some("Q4_1"));
        assert_eq!(info.metadata["tokenizer.ggml.tokens"], MetaValue::Array { element: "string", len: 2 });
    }

    #[test]
    fn refuses_foreign_and_truncated_files() {
        assert!(matches!(parse(&mut &b"PK\x03\x04rest"[..]), Err(GgufError::NotGguf(_))));
        let bytes = header(&[("general.architecture", 8, text("llama"))]);
        assert!(matches!(parse(&mut &bytes[..bytes.len() - 2]), Err(GgufError::Truncated)));
    }

    #[test]
    fn arrays_nested_without_end_are_refused_not_recursed_into() {
        // An array of arrays of arrays …, 100,000 levels deep.
        let mut nested = Vec::new();
        for _ in 0..100_000 {
            nested.extend(9u32.to_le_bytes());
            nested.extend(1u64.to_le_bytes());
        }
        nested.extend(0u32.to_le_bytes());
        let bytes = header(&[("x", 9, nested)]);
        assert!(matches!(parse(&mut bytes.as_slice()), Err(GgufError::Corrupt(m)) if m.contains("nested")));
    }
}
