//! Uploaded files: what a file must be (its content, not its name or the browser's word, decides
//! its type) and how large it may be.

use crate::error::FieldError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The types of file the app takes, each recognised by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaType {
    /// PDF (`%PDF-`).
    Pdf,
    /// MP4 video (an ISO media `ftyp` box first).
    Mp4,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
}

impl MediaType {
    /// The `Content-Type` it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Mp4 => "video/mp4",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    /// Parses a stored `Content-Type`.
    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Pdf, Self::Mp4, Self::Png, Self::Jpeg]
            .into_iter()
            .find(|t| t.mime() == mime)
    }

    /// The word shown on download buttons (ダウンロード pdf).
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Mp4 => "mp4",
            Self::Png => "png",
            Self::Jpeg => "jpg",
        }
    }

    /// The largest file of this type, in bytes: documents and pictures 20 MB, videos 100 MB.
    pub fn max_bytes(self) -> usize {
        match self {
            Self::Mp4 => 100 * 1024 * 1024,
            Self::Pdf | Self::Png | Self::Jpeg => 20 * 1024 * 1024,
        }
    }

    /// The type a file name's extension promises.
    fn by_extension(name: &str) -> Option<Self> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(Self::Pdf),
            "mp4" | "m4v" => Some(Self::Mp4),
            "png" => Some(Self::Png),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            _ => None,
        }
    }

    /// Whether `content` starts as a file of this type does.
    fn matches(self, content: &[u8]) -> bool {
        match self {
            Self::Pdf => content.starts_with(b"%PDF-"),
            Self::Mp4 => content.len() >= 12 && &content[4..8] == b"ftyp",
            Self::Png => content.starts_with(b"\x89PNG\r\n\x1a\n"),
            Self::Jpeg => content.starts_with(&[0xFF, 0xD8, 0xFF]),
        }
    }
}

/// Which types a place takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileRules {
    /// The types taken.
    pub types: &'static [MediaType],
}

impl FileRules {
    /// A ナレッジ article's attachment: PDF (マニュアル, FAQ).
    pub const ARTICLE: Self = Self {
        types: &[MediaType::Pdf],
    };
    /// A 動画マニュアル's attachment: PDF or MP4.
    pub const VIDEO_ARTICLE: Self = Self {
        types: &[MediaType::Pdf, MediaType::Mp4],
    };
    /// An inquiry's attachment: PDF or a screenshot.
    pub const INQUIRY: Self = Self {
        types: &[MediaType::Pdf, MediaType::Png, MediaType::Jpeg],
    };

    /// The type of `upload`, when its name's extension is one this place takes, its content is
    /// of that type (a file named .pdf must be a PDF), and it is within the type's size.
    pub fn check(self, upload: &Upload) -> Result<MediaType, FieldError> {
        let name = upload.name.trim();
        if name.is_empty() || upload.content.0.is_empty() {
            return Err(FieldError::Required);
        }
        if name.chars().count() > 200 || name.contains(['/', '\\', '\0']) {
            return Err(FieldError::FileName);
        }
        let media_type = MediaType::by_extension(name)
            .filter(|t| self.types.contains(t))
            .ok_or(FieldError::FileTypeNotTaken)?;
        if upload.content.0.len() > media_type.max_bytes() {
            return Err(FieldError::FileTooLarge {
                max_mb: (media_type.max_bytes() / (1024 * 1024)) as u32,
            });
        }
        if !media_type.matches(&upload.content.0) {
            return Err(FieldError::FileContentMismatch);
        }
        Ok(media_type)
    }
}

/// A file as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// The file's name on the user's device.
    pub name: String,
    /// Its bytes.
    pub content: FileBytes,
}

/// A file's bytes: raw in the app's compact format, base64 in JSON (where a list of numbers
/// would take four times the room).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileBytes(pub Vec<u8>);

impl Serialize for FileBytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&base64_encode(&self.0))
        } else {
            serializer.serialize_bytes(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for FileBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            base64_decode(&text)
                .map(FileBytes)
                .ok_or_else(|| serde::de::Error::custom("not base64"))
        } else {
            Ok(FileBytes(serde_bytes_vec(deserializer)?))
        }
    }
}

/// Reads a byte string (postcard's `serialize_bytes`).
fn serde_bytes_vec<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    struct Bytes;
    impl<'de> serde::de::Visitor<'de> for Bytes {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("bytes")
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
    }
    deserializer.deserialize_byte_buf(Bytes)
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional); `None` for anything else.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut n = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        });
        n = (n << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((n >> bits) as u8);
            n &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A size for people: `6.9 MB`, `512 KB`.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else if b >= KB {
        format!("{:.0} KB", (b / KB).ceil())
    } else {
        format!("{bytes} B")
    }
}
