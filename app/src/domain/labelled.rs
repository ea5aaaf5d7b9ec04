//! Closed sets of codes (statuses, sectors, locations…) with their names in both languages.
//!
//! Each is stored and sent as its code string. In the database a code is either a
//! PostgreSQL enum (named with `as "pg_type"`) or a TEXT domain with a CHECK list.

/// Defines an enum whose variants each have a code and a Chinese and English name.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident $(as $pg_type:literal)? {
            $($(#[$variant_meta:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code stored in the database, used in URLs and the API.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            pub fn label(self, locale: $crate::i18n::Locale) -> &'static str {
                match locale {
                    $crate::i18n::Locale::ZhCn => match self {
                        $($name::$variant => $zh,)+
                    },
                    $crate::i18n::Locale::En => match self {
                        $($name::$variant => $en,)+
                    },
                }
            }
        }

        impl $crate::domain::Vocabulary for $name {
            fn all() -> &'static [$name] {
                $name::ALL
            }

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn label(self, locale: $crate::i18n::Locale) -> &'static str {
                $name::label(self, locale)
            }
        }

        /// In the OpenAPI document: a string, one of the codes.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownCode;

            fn from_str(code: &str) -> Result<$name, Self::Err> {
                $name::from_code(code).ok_or_else(|| $crate::domain::UnknownCode {
                    kind: stringify!($name),
                    code: code.chars().take(40).collect(),
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                code.parse().map_err(serde::de::Error::custom)
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                labelled_enum!(@type_info $($pg_type)?)
            }

            fn compatible(_ty: &sqlx::postgres::PgTypeInfo) -> bool {
                // Enums and TEXT domains (whose reported type is the domain, not TEXT)
                // both arrive as text; decoding parses the code and fails on anything else.
                true
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Ok(code.parse::<$name>()?)
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.code(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                labelled_enum!(@array_type_info $($pg_type)?)
            }
        }
    };
    (@type_info $pg_type:literal) => { sqlx::postgres::PgTypeInfo::with_name($pg_type) };
    (@type_info) => { <&str as sqlx::Type<sqlx::Postgres>>::type_info() };
    (@array_type_info $pg_type:literal) => { sqlx::postgres::PgTypeInfo::with_name(concat!("_", $pg_type)) };
    (@array_type_info) => { <&str as sqlx::postgres::PgHasArrayType>::array_type_info() };
}

pub(crate) use labelled_enum;
