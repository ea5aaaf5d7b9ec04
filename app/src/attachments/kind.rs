use std::fmt;

/// The file types accepted as attachments.
///
/// The kind is always decided from the file's content by [`detect`](super::detect()),
/// never from its name or a declared content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttachmentKind {
    /// PDF document (ISO 32000).
    Pdf,
    /// OFD document, the Chinese fixed-layout format of GB/T 33190-2016.
    Ofd,
    /// Word document (Office Open XML, ISO/IEC 29500).
    Docx,
    /// Excel workbook (Office Open XML, ISO/IEC 29500).
    Xlsx,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
}

impl AttachmentKind {
    /// Every accepted kind, in the order they are listed to users.
    pub const ALL: [AttachmentKind; 6] = [
        AttachmentKind::Pdf,
        AttachmentKind::Ofd,
        AttachmentKind::Docx,
        AttachmentKind::Xlsx,
        AttachmentKind::Png,
        AttachmentKind::Jpeg,
    ];

    /// Short stable code stored in the database: `"pdf"`, `"ofd"`, `"docx"`,
    /// `"xlsx"`, `"png"` or `"jpeg"`. Read back with [`AttachmentKind::from_code`].
    pub fn code(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Ofd => "ofd",
            AttachmentKind::Docx => "docx",
            AttachmentKind::Xlsx => "xlsx",
            AttachmentKind::Png => "png",
            AttachmentKind::Jpeg => "jpeg",
        }
    }

    /// The kind whose [`code`](AttachmentKind::code) is `code` (exact,
    /// lower case), or `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// MIME type to send as `Content-Type` when serving the file.
    ///
    /// OFD has no IANA registration; `application/ofd` is the type in common use.
    pub fn mime(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "application/pdf",
            AttachmentKind::Ofd => "application/ofd",
            AttachmentKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            AttachmentKind::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            AttachmentKind::Png => "image/png",
            AttachmentKind::Jpeg => "image/jpeg",
        }
    }

    /// Usual file name extension, without the dot (`"jpg"` for JPEG), for
    /// naming downloads.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Ofd => "ofd",
            AttachmentKind::Docx => "docx",
            AttachmentKind::Xlsx => "xlsx",
            AttachmentKind::Png => "png",
            AttachmentKind::Jpeg => "jpg",
        }
    }

    /// Whether a browser can show the file inline as an image (PNG, JPEG).
    pub fn is_image(self) -> bool {
        matches!(self, AttachmentKind::Png | AttachmentKind::Jpeg)
    }
}

impl fmt::Display for AttachmentKind {
    /// Writes the [`code`](AttachmentKind::code).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::AttachmentKind;

    #[test]
    fn codes_round_trip() {
        for kind in AttachmentKind::ALL {
            assert_eq!(AttachmentKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(AttachmentKind::from_code("PDF"), None);
        assert_eq!(AttachmentKind::from_code("exe"), None);
    }

    #[test]
    fn only_png_and_jpeg_are_images() {
        let images: Vec<_> = AttachmentKind::ALL
            .into_iter()
            .filter(|kind| kind.is_image())
            .collect();
        assert_eq!(images, [AttachmentKind::Png, AttachmentKind::Jpeg]);
    }

    #[test]
    fn mimes_and_extensions() {
        assert_eq!(AttachmentKind::Ofd.mime(), "application/ofd");
        assert_eq!(AttachmentKind::Jpeg.extension(), "jpg");
        assert!(AttachmentKind::Xlsx.mime().ends_with("spreadsheetml.sheet"));
    }
}
