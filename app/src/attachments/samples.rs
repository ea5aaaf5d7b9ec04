//! Small but genuine files of each kind, built in memory for the tests.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::AttachmentKind;

/// A 1×1 grey PNG (signature, IHDR, IDAT, IEND with valid CRCs).
const PNG_1X1: [u8; 67] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x01,
    0x01, 0x01, 0x00, 0xb1, 0x38, 0xf6, 0x14, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// Start of a JFIF file: SOI, APP0 "JFIF" segment, then EOI.
const JPEG_HEADER: [u8; 22] = [
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
];

const PDF_MINIMAL: &[u8] = b"%PDF-1.4\n\
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
trailer << /Root 1 0 R >>\n\
%%EOF\n";

/// A small genuine file of `kind`.
pub fn genuine(kind: AttachmentKind) -> Vec<u8> {
    match kind {
        AttachmentKind::Pdf => PDF_MINIMAL.to_vec(),
        AttachmentKind::Png => PNG_1X1.to_vec(),
        AttachmentKind::Jpeg => JPEG_HEADER.to_vec(),
        AttachmentKind::Docx => zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document><w:body/></w:document>"),
        ]),
        AttachmentKind::Xlsx => zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook><sheets/></workbook>"),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ]),
        AttachmentKind::Ofd => zip_with(&[
            ("OFD.xml", b"<ofd:OFD Version=\"1.0\" DocType=\"OFD\"/>"),
            ("Doc_0/Document.xml", b"<ofd:Document/>"),
        ]),
    }
}

/// A PNG padded with zeros to exactly `len` bytes (decoders ignore bytes
/// after IEND), for size and streaming tests.
pub fn png_of_len(len: usize) -> Vec<u8> {
    let mut bytes = PNG_1X1.to_vec();
    bytes.resize(len, 0);
    bytes
}

/// A ZIP archive holding `entries` (name, content), deflated as office
/// suites do.
pub fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The start of a 64-bit Linux ELF executable.
pub fn elf_executable() -> Vec<u8> {
    let mut bytes = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    bytes.resize(64, 0);
    bytes
}

/// The start of a Windows PE executable (DOS stub header).
pub fn pe_executable() -> Vec<u8> {
    let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    bytes.resize(128, 0);
    bytes.extend_from_slice(b"This program cannot be run in DOS mode.\r\n");
    bytes
}
