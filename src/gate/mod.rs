//! The gate, above runs and the ledger: promotion checks, the review of a change, the
//! pre-commit hook, CI policy and exports. A run's own verdict lives in
//! [`crate::run::verdict`]; the releases lockfile and its channels in [`crate::release`].

pub mod check;
pub mod export;
pub mod hook;
pub mod policy;
pub mod promotion;
pub mod review;
pub mod scope;
