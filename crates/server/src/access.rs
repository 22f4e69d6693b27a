//! Who may compute on the page's endpoints (`/api/plan`, `/api/check`,
//! `/api/whatif`) and read their jobs (`/api/jobs/{id}`).
//!
//! - A request with `Authorization: Bearer <token>` acts for the token's
//!   organisation (a token unknown, revoked or expired is 401, even where an
//!   anonymous request would be served).
//! - `/api/plan` and `/api/check` take any scenario: they always need a token.
//! - `/api/whatif` works on the server's base scenario: anonymous requests are
//!   served on a single-organisation server (at most one organisation in the
//!   store, or no store), and need a token on a multi-organisation one.
//! - A job belongs to the organisation that started it; an anonymous what-if to the
//!   page. `/api/jobs/{id}` answers a job only to its organisation (another's is 404
//!   like a missing one); anonymous jobs to anyone who has their random 128-bit id.

use axum::http::{header, HeaderMap, StatusCode};

use crate::{AppError, AppState};

/// The organisation of the request's token, `None` without a token; 401 for a
/// token that is not valid.
pub async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(crate::api_v1::bearer_token)
        .ok_or_else(|| unauthorised(crate::api_v1::SEND_TOKEN))?;
    let Some(store) = &state.store else {
        return Err(unauthorised(crate::api_v1::BAD_TOKEN));
    };
    store
        .org_of_token(token)
        .await?
        .map(Some)
        .ok_or_else(|| unauthorised(crate::api_v1::BAD_TOKEN))
}

/// The caller's organisation, required: `/api/plan` and `/api/check` compute on
/// any scenario sent, so never anonymously.
pub async fn organisation(state: &AppState, headers: &HeaderMap) -> Result<String, AppError> {
    caller(state, headers).await?.ok_or_else(|| {
        unauthorised(
            "jeton requis : ce point d'accès calcule sur le scénario envoyé ; envoyez `Authorization: Bearer <jeton>` (tournee token --org …). Sans jeton, seul le scénario de base d'un serveur à une organisation se calcule (/api/whatif)",
        )
    })
}

/// The caller of a what-if on the base scenario: an organisation, or anonymous on
/// a single-organisation server.
pub async fn base_caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<String>, AppError> {
    let org = caller(state, headers).await?;
    if org.is_none() && !single_organisation(state).await? {
        return Err(unauthorised(
            "jeton requis : ce serveur sert plusieurs organisations ; envoyez `Authorization: Bearer <jeton>`",
        ));
    }
    Ok(org)
}

/// Whether the server serves at most one organisation.
pub async fn single_organisation(state: &AppState) -> Result<bool, AppError> {
    Ok(match &state.store {
        None => true,
        Some(store) => store.organisation_count().await? <= 1,
    })
}

fn unauthorised(message: &str) -> AppError {
    AppError::new(StatusCode::UNAUTHORIZED, "auth", message.to_string())
}
