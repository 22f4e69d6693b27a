//! HTTP API (axum) for planning and checking scenarios
