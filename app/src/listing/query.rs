//! Typed reading of list filters from the query string. A malformed value is an error that
//! names the parameter (the page answers 400); an empty value means "any".

use super::MAX_PAGE;
use crate::error::AppError;
use std::str::FromStr;

/// The query string as pairs; the router's map on the page, a plain list in tests.
pub trait QueryParams {
    fn value(&self, name: &str) -> Option<String>;
}

impl QueryParams for leptos_router::params::ParamsMap {
    fn value(&self, name: &str) -> Option<String> {
        self.get(name)
    }
}

/// Decoded pairs in URL order (the search island's address); a repeated name's last value
/// counts, as in the router's map.
impl QueryParams for [(String, String)] {
    fn value(&self, name: &str) -> Option<String> {
        self.iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

impl QueryParams for [(&str, &str)] {
    fn value(&self, name: &str) -> Option<String> {
        self.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    }
}

fn invalid(name: &str) -> AppError {
    AppError::InvalidParameter {
        param: name.to_owned(),
    }
}

/// A value parsed from its text: a code from a closed list (`?industry=new_materials`), a
/// number or a date; empty or absent means any.
pub fn optional_code<T: FromStr>(
    params: &(impl QueryParams + ?Sized),
    name: &str,
) -> Result<Option<T>, AppError> {
    match params.value(name) {
        None => Ok(None),
        Some(value) if value.is_empty() => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| invalid(name)),
    }
}

/// A checkbox: absent or empty is off; `1`, `true` or `on` (what browsers send) is on.
pub fn flag(params: &(impl QueryParams + ?Sized), name: &str) -> Result<bool, AppError> {
    match params.value(name).as_deref() {
        None | Some("") | Some("0") | Some("false") => Ok(false),
        Some("1") | Some("true") | Some("on") => Ok(true),
        Some(_) => Err(invalid(name)),
    }
}

/// `?page=N`, from 1 to [`MAX_PAGE`]; absent means the first page.
pub fn page_number(params: &(impl QueryParams + ?Sized)) -> Result<u32, AppError> {
    match params.value("page") {
        None => Ok(1),
        Some(value) if value.is_empty() => Ok(1),
        Some(value) => value
            .parse::<u32>()
            .map_err(|_| invalid("page"))
            .and_then(check_page),
    }
}

/// A page number a list has: from 1 to [`MAX_PAGE`].
pub fn check_page(page: u32) -> Result<u32, AppError> {
    if (1..=MAX_PAGE).contains(&page) {
        Ok(page)
    } else {
        Err(invalid("page"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Industry;

    fn params<'a>(pairs: &'a [(&'a str, &'a str)]) -> &'a [(&'a str, &'a str)] {
        pairs
    }

    #[test]
    fn empty_and_absent_filters_mean_any() {
        let p = params(&[("industry", "")]);
        assert_eq!(optional_code::<Industry>(p, "industry"), Ok(None));
        assert_eq!(optional_code::<Industry>(p, "other"), Ok(None));
        assert_eq!(flag(p, "eligible"), Ok(false));
        assert_eq!(page_number(p), Ok(1));
    }

    #[test]
    fn valid_values_are_read() {
        let p = params(&[
            ("industry", "new_materials"),
            ("eligible", "on"),
            ("page", "3"),
        ]);
        assert_eq!(
            optional_code(p, "industry"),
            Ok(Some(Industry::NewMaterials))
        );
        assert_eq!(flag(p, "eligible"), Ok(true));
        assert_eq!(page_number(p), Ok(3));
    }

    #[test]
    fn malformed_values_name_their_parameter() {
        fn expect<T>(name: &str) -> Result<T, AppError> {
            Err(AppError::InvalidParameter { param: name.into() })
        }
        let p = params(&[
            ("industry", "steel'; --"),
            ("eligible", "maybe"),
            ("page", "0"),
        ]);
        assert_eq!(optional_code::<Industry>(p, "industry"), expect("industry"));
        assert_eq!(flag(p, "eligible"), expect("eligible"));
        assert_eq!(page_number(p), expect("page"));
        for page in ["-1", "abc", "501", "99999999999"] {
            assert_eq!(
                page_number(params(&[("page", page)])),
                expect("page"),
                "{page}"
            );
        }
    }
}
