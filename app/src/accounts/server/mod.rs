//! What the account forms do on the server: each function validates its input (naming the
//! field of every problem), then makes its change in one transaction with its audit entry
//! and its mail.

pub mod credentials;
pub mod erasure;
pub mod export;
pub mod mobile;
pub mod profile;
pub mod recovery;
pub mod registration;
pub mod second_factor;
pub mod sign_ins;
pub mod tokens;
pub mod validate;

use super::form::FieldError;
use crate::error::AppError;

/// Why a form's action did not happen: problems with fields (shown next to them, 422), or
/// a failure of the site (its error page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Invalid(Vec<FieldError>),
    Failed(AppError),
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Refusal::Failed(error)
    }
}

impl From<crate::submissions::state::RefusedStep> for Refusal {
    /// Moved on meanwhile: 409.
    fn from(error: crate::submissions::state::RefusedStep) -> Self {
        Refusal::Failed(AppError::from(error))
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        Refusal::Failed(AppError::from(error))
    }
}

/// Ok when `errors` is empty, else the refusal naming them.
pub fn refuse_if_any(errors: Vec<FieldError>) -> Result<(), Refusal> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Invalid(errors))
    }
}
