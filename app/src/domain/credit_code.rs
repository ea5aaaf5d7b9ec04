//! The unified social credit code (统一社会信用代码, GB 32100-2015).
//!
//! Every organisation registered in mainland China carries one 18-character code:
//!
//! | positions | meaning                                                        |
//! |-----------|----------------------------------------------------------------|
//! | 1         | registration department                                        |
//! | 2         | organisation category                                          |
//! | 3–8       | registering authority (an administrative division code)        |
//! | 9–17      | organisation code (GB 11714), with its own check character at 17 |
//! | 18        | check character over positions 1–17                            |
//!
//! [`CreditCode`] is a parse-don't-validate newtype: holding one means the text was
//! normalised and checked. The module has no server-only dependencies; the same parser
//! runs in the browser (for immediate feedback in forms) and on the server (which must
//! check again, since browser input cannot be trusted).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The number of characters in a unified social credit code.
pub const LENGTH: usize = 18;

/// The code's alphabet in value order: digits 0–9, then the capital letters without
/// I, O, Z, S and V, so that `ALPHABET[v]` is the character of value `v` (0–30).
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100 weights of positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// GB 11714 weights of the organisation code's body (positions 9–16).
const ORGANISATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A unified social credit code, normalised to 18 upper-case ASCII characters.
///
/// Build one with [`CreditCode::parse`] (strict: form and both check characters) or,
/// for an administrator's override, [`CreditCode::parse_with_override`] (form only).
///
/// Positions 3–8 name the authority that registered the organisation. They are never
/// interpreted here, and an organisation's location is never derived from them: the
/// registering authority is not where the organisation is (a company may move, and
/// provincial or national authorities register organisations anywhere). Location is
/// recorded separately.
///
/// Serialised as the plain 18-character string. Deserialisation goes through the strict
/// [`CreditCode::parse`], so a code accepted only through an override does not
/// deserialise: code that reads overridden codes back (from the database or over the
/// wire) must call [`CreditCode::parse_with_override`] on the string itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Why a text is not a unified social credit code.
///
/// Variants are machine-readable and cross from server to browser; the UI shows
/// [`fmt::Display`] (English) or [`CreditCodeError::message_zh`] (Chinese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CreditCodeError {
    /// Nothing but whitespace was given.
    #[error("the unified social credit code is empty")]
    Empty,
    /// The code (after trimming surrounding whitespace) does not have 18 characters.
    #[error("a unified social credit code has 18 characters, but {found} were given")]
    WrongLength { found: usize },
    /// A character outside the code's alphabet. `position` is 1-based (counted after
    /// trimming surrounding whitespace); `character` is as typed, before normalisation.
    #[error(
        "character '{character}' at position {position} is not allowed in a unified social \
         credit code (only digits and capital letters except I, O, Z, S and V)"
    )]
    InvalidCharacter { position: usize, character: char },
    /// Position 17, the check character of the embedded organisation code (GB 11714),
    /// does not match positions 9–16.
    #[error(
        "the organisation code check character (position 17) does not match; please check \
         the code"
    )]
    OrganisationCodeCheck,
    /// Position 18 does not match positions 1–17. Any single mistyped character causes
    /// this, so the messages say the code has a typo rather than suggest `expected`:
    /// copying the expected character would only hide the typo.
    #[error(
        "the check character '{found}' (position 18) does not match the rest of the code; \
         it probably contains a typo"
    )]
    CheckCharacter { expected: char, found: char },
}

impl CreditCodeError {
    /// The message in Chinese, for the `zh` locale.
    pub fn message_zh(&self) -> String {
        match self {
            CreditCodeError::Empty => "请填写统一社会信用代码".to_string(),
            CreditCodeError::WrongLength { found } => {
                format!("统一社会信用代码应为18位，实际为{found}位")
            }
            CreditCodeError::InvalidCharacter {
                position,
                character,
            } => format!(
                "统一社会信用代码第{position}位的字符“{character}”无效\
                 （只能使用数字和除 I、O、Z、S、V 以外的大写字母）"
            ),
            CreditCodeError::OrganisationCodeCheck => {
                "统一社会信用代码第17位（组织机构代码校验码）不正确，请核对".to_string()
            }
            CreditCodeError::CheckCharacter { found, .. } => {
                format!("统一社会信用代码第18位校验码“{found}”与前17位不符，请核对是否输入有误")
            }
        }
    }
}

impl CreditCode {
    /// Parses a unified social credit code strictly: form (18 characters of the
    /// alphabet) and both check characters.
    ///
    /// Accepts lower-case and full-width characters and surrounding whitespace
    /// (including the ideographic space U+3000), and normalises to upper-case ASCII.
    /// When both check characters are wrong, position 18 is reported: it catches every
    /// single-character typo, wherever it is.
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let code = CreditCode::parse_with_override(input)?;
        let bytes = code.0.as_bytes();

        let expected = check_character(&bytes[..17]);
        let found = char::from(bytes[17]);
        if expected != found {
            return Err(CreditCodeError::CheckCharacter { expected, found });
        }
        if organisation_check_character(&bytes[8..16]) != char::from(bytes[16]) {
            return Err(CreditCodeError::OrganisationCodeCheck);
        }
        Ok(code)
    }

    /// Parses a code checking only its form (length and alphabet), not the check
    /// characters; normalises like [`CreditCode::parse`].
    ///
    /// For administrators' overrides only: a few real codes, registered before 2016,
    /// fail the checksum. The caller must record who overrode and why elsewhere (for
    /// instance in the audit log); this type does not remember that it was overridden,
    /// though [`CreditCode::has_valid_check_characters`] tells.
    pub fn parse_with_override(input: &str) -> Result<CreditCode, CreditCodeError> {
        let trimmed = input.trim_matches(char::is_whitespace);
        if trimmed.is_empty() {
            return Err(CreditCodeError::Empty);
        }

        let mut normalised = String::with_capacity(LENGTH);
        let mut count = 0;
        for (index, character) in trimmed.chars().enumerate() {
            let c = normalise(character);
            if value(c).is_none() {
                return Err(CreditCodeError::InvalidCharacter {
                    position: index + 1,
                    character,
                });
            }
            normalised.push(c);
            count += 1;
        }
        if count != LENGTH {
            return Err(CreditCodeError::WrongLength { found: count });
        }
        Ok(CreditCode(normalised))
    }

    /// Builds a valid code from its parts, computing both check characters: the
    /// registering authority and type (2 characters), the division of registration (6)
    /// and the organisation-code body (8). For generated and demonstration data.
    pub fn compose(
        authority_and_type: &str,
        division: &str,
        body: &str,
    ) -> Result<CreditCode, CreditCodeError> {
        // Check the parts' form first, with placeholders where the check characters go.
        let draft =
            CreditCode::parse_with_override(&format!("{authority_and_type}{division}{body}00"))?;
        let bytes = draft.0.as_bytes();
        let mut first_17 = draft.0[..16].to_owned();
        first_17.push(organisation_check_character(&bytes[8..16]));
        let check = check_character(first_17.as_bytes());
        first_17.push(check);
        CreditCode::parse(&first_17)
    }

    /// The 18 normalised characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The organisation code (GB 11714): positions 9–17, check character included.
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }

    /// Whether both check characters are right: always true for codes from
    /// [`CreditCode::parse`], false for codes admitted only by an override.
    pub fn has_valid_check_characters(&self) -> bool {
        CreditCode::parse(&self.0).is_ok()
    }
}

/// Maps full-width digits and letters to ASCII and lower case to upper case. Anything
/// else is returned unchanged (and then rejected if it is not in the alphabet).
fn normalise(character: char) -> char {
    let ascii = match character {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            // The full-width forms U+FF01–FF5E mirror ASCII 0x21–0x7E.
            char::from_u32(u32::from(character) - 0xFF10 + u32::from('0')).unwrap_or(character)
        }
        other => other,
    };
    ascii.to_ascii_uppercase()
}

/// The GB 32100 value (0–30) of a normalised character, or `None` outside the alphabet.
fn value(character: char) -> Option<u32> {
    if !character.is_ascii() {
        return None;
    }
    ALPHABET
        .iter()
        .position(|&c| c == character as u8)
        .map(|v| v as u32)
}

/// The GB 32100 check character of positions 1–17 (normalised, in the alphabet).
fn check_character(first_17: &[u8]) -> char {
    let sum: u32 = first_17
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, weight)| value(char::from(c)).unwrap_or(0) * weight)
        .sum();
    char::from(ALPHABET[((31 - sum % 31) % 31) as usize])
}

/// The GB 11714 check character of an organisation code body (positions 9–16).
///
/// GB 11714 has its own values: digits 0–9 and the letters A–Z as 10–35, counting the
/// letters the credit code's alphabet leaves out (so M is 22 here, 21 in GB 32100).
fn organisation_check_character(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ORGANISATION_WEIGHTS)
        .map(|(&c, weight)| {
            let v = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                _ => u32::from(c - b'A') + 10,
            };
            v * weight
        })
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from(b'0' + digit as u8),
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;

    /// Strict, like [`CreditCode::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CreditCode::parse(s)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    /// Strict, like [`CreditCode::parse`]; used by `Deserialize`.
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl TryFrom<&str> for CreditCode {
    type Error = CreditCodeError;

    /// Strict, like [`CreditCode::parse`].
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        CreditCode::parse(value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Real codes of registered organisations, from public records. Each was checked
    /// by an independent script computing both check characters before being added.
    const REAL_CODES: [(&str, &str); 9] = [
        ("914403001922038216", "华为技术有限公司"),
        ("91440300708461136T", "深圳市腾讯计算机系统有限公司"),
        ("91330100716105852F", "阿里巴巴（中国）网络技术有限公司"),
        ("91110000802100433B", "北京百度网讯科技有限公司"),
        ("91110108551385082Q", "小米科技有限责任公司"),
        ("91440300192317458F", "比亚迪股份有限公司"),
        ("91110102MA008DDL0X", "中国国有企业结构调整基金股份有限公司"),
        ("911100007109254543", "中国东方资产管理股份有限公司"),
        ("91340111MA2W0QEU5B", "合肥集鑫企业管理合伙企业（有限合伙）"),
    ];

    /// Huawei's code, used as the base for the typo tests.
    const HUAWEI: &str = "914403001922038216";

    /// Constructed, not real: positions 1–17 sum to 0 mod 31, so the check character
    /// is '0'; the organisation code MA1000359 passes GB 11714.
    const CHECK_CHARACTER_ZERO: &str = "91320400MA10003590";

    fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        CreditCode::parse(input)
    }

    #[test]
    fn real_codes_of_well_known_organisations_are_accepted() {
        for (code, organisation) in REAL_CODES {
            let parsed = parse(code).unwrap_or_else(|e| panic!("{organisation} {code}: {e}"));
            assert_eq!(parsed.as_str(), code, "{organisation}");
        }
    }

    #[test]
    fn the_commonly_cited_example_code_is_accepted() {
        let code = parse("91350100M000100Y43").unwrap();
        assert_eq!(code.organisation_code(), "M000100Y4");
    }

    #[test]
    fn a_check_character_of_zero_is_accepted() {
        let code = parse(CHECK_CHARACTER_ZERO).unwrap();
        assert_eq!(code.as_str().chars().last(), Some('0'));
    }

    #[test]
    fn organisation_code_letters_take_their_gb_11714_values() {
        // With GB 32100 values (D = 13, L = 20, M = 21) the body MA008DDL would need
        // check character 5; with GB 11714 values (D = 13, L = 21, M = 22) it needs 0.
        assert_eq!(organisation_check_character(b"MA008DDL"), '0');
        assert!(parse("91110102MA008DDL0X").is_ok());
        assert_eq!(organisation_check_character(b"M000100Y"), '4');
    }

    #[test]
    fn a_wrong_check_character_is_rejected_with_the_expected_one() {
        assert_eq!(
            parse("914403001922038217"),
            Err(CreditCodeError::CheckCharacter {
                expected: '6',
                found: '7',
            })
        );
        assert_eq!(
            parse("91320400MA1000359Y"),
            Err(CreditCodeError::CheckCharacter {
                expected: '0',
                found: 'Y',
            })
        );
    }

    #[test]
    fn every_single_character_typo_is_rejected() {
        for position in 0..LENGTH {
            for &replacement in ALPHABET {
                let mut typo = HUAWEI.as_bytes().to_vec();
                if typo[position] == replacement {
                    continue;
                }
                typo[position] = replacement;
                let typo = String::from_utf8(typo).unwrap();
                assert!(parse(&typo).is_err(), "{typo} was accepted");
            }
        }
    }

    #[test]
    fn a_wrong_organisation_code_check_character_is_rejected() {
        // Position 17 changed from 1 to 0 and position 18 recomputed to match it.
        assert_eq!(
            parse("914403001922038203"),
            Err(CreditCodeError::OrganisationCodeCheck)
        );
    }

    #[test]
    fn an_organisation_code_check_letter_other_than_x_is_rejected() {
        // Position 17 is 'A' (GB 11714 allows only digits and X); position 18 matches.
        assert_eq!(
            parse("9144030019220382A2"),
            Err(CreditCodeError::OrganisationCodeCheck)
        );
    }

    #[test]
    fn when_both_check_characters_are_wrong_position_18_is_reported() {
        assert_eq!(
            parse("914403001922038200"),
            Err(CreditCodeError::CheckCharacter {
                expected: '3',
                found: '0',
            })
        );
    }

    #[test]
    fn codes_of_the_wrong_length_are_rejected() {
        assert_eq!(
            parse("91440300192203821"),
            Err(CreditCodeError::WrongLength { found: 17 })
        );
        assert_eq!(
            parse("9144030019220382160"),
            Err(CreditCodeError::WrongLength { found: 19 })
        );
        // A 15-digit business registration number from before the unified code.
        assert_eq!(
            parse("440301103032184"),
            Err(CreditCodeError::WrongLength { found: 15 })
        );
    }

    #[test]
    fn the_length_is_counted_in_characters_not_bytes() {
        assert_eq!(
            parse("９１４４０３００１９２２０３８２１"),
            Err(CreditCodeError::WrongLength { found: 17 })
        );
    }

    #[test]
    fn empty_and_blank_input_is_rejected_as_empty() {
        assert_eq!(parse(""), Err(CreditCodeError::Empty));
        assert_eq!(parse(" \t\n\u{3000}"), Err(CreditCodeError::Empty));
        assert_eq!(
            CreditCode::parse_with_override("  "),
            Err(CreditCodeError::Empty)
        );
    }

    #[test]
    fn the_excluded_letters_i_o_z_s_v_are_rejected_with_their_position() {
        for letter in ['I', 'O', 'Z', 'S', 'V'] {
            let input = format!("91440300{letter}922038216");
            assert_eq!(
                parse(&input),
                Err(CreditCodeError::InvalidCharacter {
                    position: 9,
                    character: letter,
                }),
                "{input}"
            );
            assert!(CreditCode::parse_with_override(&input).is_err(), "{input}");
        }
    }

    #[test]
    fn an_invalid_character_is_reported_as_typed() {
        assert_eq!(
            parse("91440300i922038216"),
            Err(CreditCodeError::InvalidCharacter {
                position: 9,
                character: 'i',
            })
        );
        assert_eq!(
            parse("91440300Ｏ922038216"),
            Err(CreditCodeError::InvalidCharacter {
                position: 9,
                character: 'Ｏ',
            })
        );
    }

    #[test]
    fn punctuation_inner_whitespace_and_chinese_text_are_rejected() {
        assert_eq!(
            parse("9144 0300192203821"),
            Err(CreditCodeError::InvalidCharacter {
                position: 5,
                character: ' ',
            })
        );
        assert_eq!(
            parse("91440300-192203821"),
            Err(CreditCodeError::InvalidCharacter {
                position: 9,
                character: '-',
            })
        );
        assert_eq!(
            parse("华为技术有限公司"),
            Err(CreditCodeError::InvalidCharacter {
                position: 1,
                character: '华',
            })
        );
    }

    #[test]
    fn full_width_and_lower_case_input_is_normalised() {
        let expected = parse("91350100M000100Y43").unwrap();
        for input in [
            "91350100m000100y43",
            "９１３５０１００Ｍ０００１００Ｙ４３",
            "９１３５０１００ｍ０００１００ｙ４３",
            "91350100ｍ000100Y43",
        ] {
            assert_eq!(parse(input).as_ref(), Ok(&expected), "{input}");
        }
        assert_eq!(
            parse("91440300708461136t").unwrap().as_str(),
            "91440300708461136T"
        );
    }

    #[test]
    fn surrounding_whitespace_including_the_ideographic_space_is_trimmed() {
        let code = parse("\u{3000} 91440300708461136T\t\r\n\u{3000}").unwrap();
        assert_eq!(code.as_str(), "91440300708461136T");
    }

    #[test]
    fn differently_written_inputs_give_equal_codes_with_equal_hashes() {
        let codes: HashSet<CreditCode> = [
            "91330100716105852F",
            "91330100716105852f",
            "\u{3000}９１３３０１００７１６１０５８５２Ｆ ",
        ]
        .into_iter()
        .map(|input| parse(input).unwrap())
        .collect();
        assert_eq!(codes.len(), 1);
    }

    #[test]
    fn the_override_accepts_wrong_check_characters_but_not_a_wrong_form() {
        let overridden = CreditCode::parse_with_override("914403001922038217").unwrap();
        assert_eq!(overridden.as_str(), "914403001922038217");
        assert!(!overridden.has_valid_check_characters());

        let wrong_organisation_check = CreditCode::parse_with_override("914403001922038203");
        assert!(wrong_organisation_check.is_ok());

        assert_eq!(
            CreditCode::parse_with_override("91440300192203821"),
            Err(CreditCodeError::WrongLength { found: 17 })
        );
        assert_eq!(
            CreditCode::parse_with_override("9144030019220382Z7"),
            Err(CreditCodeError::InvalidCharacter {
                position: 17,
                character: 'Z',
            })
        );
    }

    #[test]
    fn the_override_normalises_like_the_strict_parser() {
        let code = CreditCode::parse_with_override("\u{3000}９１４４０３００１９２２０３８２１ｙ ")
            .unwrap();
        assert_eq!(code.as_str(), "91440300192203821Y");
    }

    #[test]
    fn strictly_parsed_codes_have_valid_check_characters() {
        assert!(parse(HUAWEI).unwrap().has_valid_check_characters());
    }

    #[test]
    fn display_and_as_str_give_the_18_characters() {
        let code = parse(" 91110108551385082q ").unwrap();
        assert_eq!(code.to_string(), "91110108551385082Q");
        assert_eq!(code.as_str(), "91110108551385082Q");
        assert_eq!(code.as_ref() as &str, "91110108551385082Q");
        assert_eq!(String::from(code), "91110108551385082Q");
    }

    #[test]
    fn the_organisation_code_is_positions_9_to_17() {
        assert_eq!(parse(HUAWEI).unwrap().organisation_code(), "192203821");
        assert_eq!(
            parse("91110102MA008DDL0X").unwrap().organisation_code(),
            "MA008DDL0"
        );
    }

    #[test]
    fn from_str_and_try_from_are_strict() {
        let code: CreditCode = "91440300192317458F".parse().unwrap();
        assert_eq!(code.as_str(), "91440300192317458F");
        assert!("914403001922038217".parse::<CreditCode>().is_err());
        assert!(CreditCode::try_from("914403001922038217").is_err());
        assert!(CreditCode::try_from(String::from(HUAWEI)).is_ok());
    }

    #[test]
    fn a_code_serialises_as_its_string() {
        let code = parse("91110000802100433b").unwrap();
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            "\"91110000802100433B\""
        );
    }

    #[test]
    fn a_code_deserialises_through_the_strict_parser() {
        let code: CreditCode = serde_json::from_str("\"91110000802100433B\"").unwrap();
        assert_eq!(code.as_str(), "91110000802100433B");
        let normalised: CreditCode = serde_json::from_str("\"91110000802100433b\"").unwrap();
        assert_eq!(normalised, code);

        assert!(serde_json::from_str::<CreditCode>("\"91110000802100433C\"").is_err());
        assert!(serde_json::from_str::<CreditCode>("\"9111000080210043\"").is_err());
        assert!(serde_json::from_str::<CreditCode>("18").is_err());
    }

    #[test]
    fn an_overridden_code_does_not_deserialise() {
        let overridden = CreditCode::parse_with_override("914403001922038217").unwrap();
        let json = serde_json::to_string(&overridden).unwrap();
        assert!(serde_json::from_str::<CreditCode>(&json).is_err());
    }

    #[test]
    fn errors_round_trip_through_json_with_a_kind_tag() {
        let errors = [
            CreditCodeError::Empty,
            CreditCodeError::WrongLength { found: 17 },
            CreditCodeError::InvalidCharacter {
                position: 9,
                character: 'I',
            },
            CreditCodeError::OrganisationCodeCheck,
            CreditCodeError::CheckCharacter {
                expected: '6',
                found: '7',
            },
        ];
        for error in errors {
            let json = serde_json::to_string(&error).unwrap();
            let back: CreditCodeError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&CreditCodeError::WrongLength { found: 17 }).unwrap(),
            r#"{"kind":"wrong_length","found":17}"#
        );
    }

    #[test]
    fn errors_have_english_messages() {
        assert_eq!(
            CreditCodeError::WrongLength { found: 17 }.to_string(),
            "a unified social credit code has 18 characters, but 17 were given"
        );
        let invalid = CreditCodeError::InvalidCharacter {
            position: 9,
            character: 'I',
        }
        .to_string();
        assert!(
            invalid.contains("'I'") && invalid.contains("position 9"),
            "{invalid}"
        );
        assert!(CreditCodeError::OrganisationCodeCheck
            .to_string()
            .contains("position 17"));
        let check = CreditCodeError::CheckCharacter {
            expected: '6',
            found: '7',
        }
        .to_string();
        assert!(check.contains("'7'") && check.contains("typo"), "{check}");
        // The expected character is not suggested: copying it would hide the typo.
        assert!(!check.contains('6'), "{check}");
    }

    #[test]
    fn errors_have_chinese_messages() {
        assert_eq!(
            CreditCodeError::Empty.message_zh(),
            "请填写统一社会信用代码"
        );
        assert_eq!(
            CreditCodeError::WrongLength { found: 17 }.message_zh(),
            "统一社会信用代码应为18位，实际为17位"
        );
        assert!(CreditCodeError::InvalidCharacter {
            position: 9,
            character: 'I',
        }
        .message_zh()
        .starts_with("统一社会信用代码第9位的字符“I”无效"));
        assert!(CreditCodeError::OrganisationCodeCheck
            .message_zh()
            .contains("第17位"));
        assert!(CreditCodeError::CheckCharacter {
            expected: '6',
            found: '7',
        }
        .message_zh()
        .contains("第18位校验码“7”"));
    }

    #[test]
    fn composed_codes_pass_both_checks_and_bad_parts_are_refused() {
        let code = CreditCode::compose("91", "320411", "MA1XK7Q2").unwrap();
        assert!(code.has_valid_check_characters());
        assert_eq!(&code.as_str()[..16], "91320411MA1XK7Q2");
        assert!(
            CreditCode::compose("91", "320411", "MA1XK7QI").is_err(),
            "I is not in the alphabet"
        );
        assert!(
            CreditCode::compose("91", "32041", "MA1XK7Q2").is_err(),
            "too short"
        );
    }
}
