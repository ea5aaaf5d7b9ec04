use thiserror::Error;

/// Why an attachment was refused or could not be stored or read.
///
/// [`Display`](std::fmt::Display) gives a short English message;
/// [`message_zh`](AttachmentError::message_zh) the Chinese one for users.
/// No variant ever carries a storage secret.
#[derive(Debug, Error)]
pub enum AttachmentError {
    /// The upload is larger than `limit` bytes. Refused; nothing stored.
    #[error("file is larger than {}", describe_bytes(*.limit))]
    TooLarge {
        /// The limit that was exceeded, in bytes.
        limit: u64,
    },
    /// The record already has `limit` attachments. Refused; nothing stored.
    #[error("a record can have at most {limit} attachments")]
    TooMany {
        /// Most attachments a record may have.
        limit: usize,
    },
    /// The upload has no bytes. Refused; nothing stored.
    #[error("file is empty")]
    Empty,
    /// The content is none of the accepted kinds, whatever its name says.
    /// Refused; nothing stored.
    #[error("unsupported file type (accepted: PDF, OFD, DOCX, XLSX, PNG, JPEG)")]
    UnsupportedType,
    /// The client's stream failed before the end (connection dropped,
    /// malformed multipart body). Nothing stored.
    #[error("upload interrupted: {0}")]
    Interrupted(String),
    /// No stored file has this key.
    #[error("attachment not found")]
    NotFound,
    /// The storage settings are incomplete or invalid (names the setting,
    /// never its secret value).
    #[error("attachment storage is misconfigured: {0}")]
    Config(String),
    /// The object store failed (network, permissions, disk). The detail is
    /// for logs, not for users.
    #[error("attachment storage failed: {0}")]
    Storage(String),
    /// Local file I/O failed (staging folder, backup folder).
    #[error("attachment file I/O failed: {0}")]
    Io(#[from] std::io::Error),
}

impl AttachmentError {
    /// Whether the upload itself was refused (too large, too many, empty,
    /// unsupported type): a client error (HTTP 4xx), as opposed to a server
    /// or storage failure.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            AttachmentError::TooLarge { .. }
                | AttachmentError::TooMany { .. }
                | AttachmentError::Empty
                | AttachmentError::UnsupportedType
        )
    }

    /// Short message in Chinese for users. Storage and I/O details are left
    /// out: they belong in logs.
    pub fn message_zh(&self) -> String {
        match self {
            AttachmentError::TooLarge { limit } => {
                format!("文件超过 {}", describe_bytes(*limit))
            }
            AttachmentError::TooMany { limit } => format!("每条记录最多 {limit} 个附件"),
            AttachmentError::Empty => "文件为空".to_owned(),
            AttachmentError::UnsupportedType => {
                "不支持的文件类型（仅支持 PDF、OFD、DOCX、XLSX、PNG、JPEG）".to_owned()
            }
            AttachmentError::Interrupted(_) => "上传中断，请重试".to_owned(),
            AttachmentError::NotFound => "附件不存在".to_owned(),
            AttachmentError::Config(_) => "附件存储配置有误".to_owned(),
            AttachmentError::Storage(_) | AttachmentError::Io(_) => "附件存储失败".to_owned(),
        }
    }
}

impl From<object_store::Error> for AttachmentError {
    fn from(error: object_store::Error) -> Self {
        match error {
            object_store::Error::NotFound { .. } => AttachmentError::NotFound,
            other => AttachmentError::Storage(other.to_string()),
        }
    }
}

/// `10 MB` for whole mebibytes, `512 KB` for whole kibibytes, else `N bytes`.
fn describe_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::AttachmentError;
    use crate::attachments::MAX_ATTACHMENT_BYTES;

    #[test]
    fn messages_name_the_limit() {
        let too_large = AttachmentError::TooLarge {
            limit: MAX_ATTACHMENT_BYTES,
        };
        assert_eq!(too_large.to_string(), "file is larger than 10 MB");
        assert_eq!(too_large.message_zh(), "文件超过 10 MB");
        let odd = AttachmentError::TooLarge { limit: 1000 };
        assert_eq!(odd.to_string(), "file is larger than 1000 bytes");
    }

    #[test]
    fn refusals_are_told_apart_from_failures() {
        assert!(AttachmentError::UnsupportedType.is_refusal());
        assert!(AttachmentError::Empty.is_refusal());
        assert!(!AttachmentError::Storage("disk full".into()).is_refusal());
        assert_eq!(
            AttachmentError::Storage("disk full".into()).message_zh(),
            "附件存储失败"
        );
    }
}
