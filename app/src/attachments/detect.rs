use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::{AttachmentError, AttachmentKind};

/// Bytes read from the start of a file for magic-number checks. `infer`
/// needs far less; 8 KiB also covers its 1 KiB PDF header search.
const HEADER_BYTES: u64 = 8 * 1024;

/// The PDF header that ISO 32000-1 §7.5.2 puts on the first line.
const PDF_HEADER: &[u8] = b"%PDF-";

/// Entry file at the root of every OFD package, named `OFD.xml` by
/// GB/T 33190-2016 (case-sensitive, like all ZIP entry names).
const OFD_ROOT_ENTRY: &str = "OFD.xml";
/// Main part of a Word document as every producer writes it (ISO/IEC 29500).
const DOCX_MAIN_PART: &str = "word/document.xml";
/// Main part of an Excel workbook as every producer writes it (ISO/IEC 29500).
const XLSX_MAIN_PART: &str = "xl/workbook.xml";

/// Decides the kind of a file from its content alone.
///
/// PNG, JPEG and PDF are recognised by their magic bytes (with the `infer`
/// crate); a PDF must also start with `%PDF-`, as ISO 32000 requires, so
/// that text merely mentioning `%PDF` near the top is not taken for one.
/// ZIP-based kinds are told apart by the entry names in the ZIP central
/// directory, which is the only part read (nothing is decompressed):
/// `word/document.xml` makes a DOCX, `xl/workbook.xml` an XLSX, and
/// `OFD.xml` at the root an OFD (GB/T 33190-2016).
///
/// Reads from the start whatever the current position; leaves the position
/// anywhere. Blocking: in async code call it inside `spawn_blocking`.
///
/// # Errors
/// - [`AttachmentError::Empty`] for an empty file;
/// - [`AttachmentError::UnsupportedType`] for anything else than the six
///   kinds (executables, plain or unreadable ZIPs, ZIPs matching several
///   kinds, text…), whatever the file is called;
/// - [`AttachmentError::Io`] when reading fails.
pub fn detect<R: Read + Seek>(reader: &mut R) -> Result<AttachmentKind, AttachmentError> {
    reader.seek(SeekFrom::Start(0))?;
    let mut header = Vec::new();
    reader
        .by_ref()
        .take(HEADER_BYTES)
        .read_to_end(&mut header)?;
    if header.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if infer::archive::is_zip(&header) {
        return detect_zip(reader);
    }
    // `infer::get` tries executables first, so an ELF or PE file holding
    // image or PDF bytes further on is still reported as an executable.
    match infer::get(&header).map(|found| found.mime_type()) {
        Some("application/pdf") if header.starts_with(PDF_HEADER) => Ok(AttachmentKind::Pdf),
        Some("image/png") => Ok(AttachmentKind::Png),
        Some("image/jpeg") => Ok(AttachmentKind::Jpeg),
        _ => Err(AttachmentError::UnsupportedType),
    }
}

/// [`detect()`] on the file at `path`. Blocking, like [`detect()`].
///
/// # Errors
/// As [`detect()`]; [`AttachmentError::Io`] also when the file cannot be opened.
pub fn detect_path(path: &Path) -> Result<AttachmentKind, AttachmentError> {
    detect(&mut File::open(path)?)
}

fn detect_zip<R: Read + Seek>(reader: &mut R) -> Result<AttachmentKind, AttachmentError> {
    // `ZipArchive::new` parses the central directory at the end of the file
    // and nothing else, so a ZIP bomb costs no more than its directory.
    let archive = match zip::ZipArchive::new(reader) {
        Ok(archive) => archive,
        Err(zip::result::ZipError::Io(error)) => return Err(error.into()),
        Err(_) => return Err(AttachmentError::UnsupportedType),
    };
    // Exact byte comparison: entry names are case-sensitive.
    let has_entry = |name: &str| archive.index_for_name_raw(name.as_bytes()).is_some();
    let mut matching = [
        (OFD_ROOT_ENTRY, AttachmentKind::Ofd),
        (DOCX_MAIN_PART, AttachmentKind::Docx),
        (XLSX_MAIN_PART, AttachmentKind::Xlsx),
    ]
    .into_iter()
    .filter(|(entry, _)| has_entry(entry))
    .map(|(_, kind)| kind);
    // A package claiming to be two kinds at once is not a genuine one.
    match (matching.next(), matching.next()) {
        (Some(kind), None) => Ok(kind),
        _ => Err(AttachmentError::UnsupportedType),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::detect;
    use crate::attachments::samples;
    use crate::attachments::{AttachmentError, AttachmentKind};

    fn kind_of(bytes: &[u8]) -> Result<AttachmentKind, AttachmentError> {
        detect(&mut Cursor::new(bytes))
    }

    #[test]
    fn accepts_every_genuine_kind() {
        for kind in AttachmentKind::ALL {
            let sample = samples::genuine(kind);
            assert_eq!(kind_of(&sample).unwrap(), kind, "sample of {kind}");
        }
    }

    #[test]
    fn refuses_executables_whatever_they_are_called() {
        for bytes in [samples::elf_executable(), samples::pe_executable()] {
            assert!(matches!(
                kind_of(&bytes),
                Err(AttachmentError::UnsupportedType)
            ));
        }
    }

    #[test]
    fn refuses_an_executable_that_mentions_pdf() {
        let mut bytes = samples::elf_executable();
        bytes.extend_from_slice(b"%PDF-1.7\n");
        assert!(matches!(
            kind_of(&bytes),
            Err(AttachmentError::UnsupportedType)
        ));
    }

    #[test]
    fn refuses_text_mentioning_pdf_after_the_first_line() {
        let bytes = b"<html><!-- %PDF-1.4 --></html>\n";
        assert!(matches!(
            kind_of(bytes),
            Err(AttachmentError::UnsupportedType)
        ));
    }

    #[test]
    fn refuses_plain_zip() {
        let bytes = samples::zip_with(&[("notes.txt", b"hello")]);
        assert!(matches!(
            kind_of(&bytes),
            Err(AttachmentError::UnsupportedType)
        ));
    }

    #[test]
    fn refuses_ofd_entry_that_is_not_at_the_root() {
        let bytes = samples::zip_with(&[("Doc_0/OFD.xml", b"<ofd:OFD/>")]);
        assert!(matches!(
            kind_of(&bytes),
            Err(AttachmentError::UnsupportedType)
        ));
    }

    #[test]
    fn ofd_entry_name_is_case_sensitive() {
        let bytes = samples::zip_with(&[("ofd.xml", b"<ofd:OFD/>")]);
        assert!(matches!(
            kind_of(&bytes),
            Err(AttachmentError::UnsupportedType)
        ));
    }

    #[test]
    fn refuses_zip_claiming_two_kinds() {
        let bytes = samples::zip_with(&[
            ("word/document.xml", b"<w:document/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert!(matches!(
            kind_of(&bytes),
            Err(AttachmentError::UnsupportedType)
        ));
    }

    #[test]
    fn refuses_truncated_zip() {
        let mut bytes = samples::genuine(AttachmentKind::Docx);
        bytes.truncate(bytes.len() / 2);
        assert!(matches!(
            kind_of(&bytes),
            Err(AttachmentError::UnsupportedType)
        ));
    }

    #[test]
    fn refuses_text_and_reports_empty() {
        assert!(matches!(
            kind_of(b"just some text\n"),
            Err(AttachmentError::UnsupportedType)
        ));
        assert!(matches!(kind_of(b""), Err(AttachmentError::Empty)));
    }
}
