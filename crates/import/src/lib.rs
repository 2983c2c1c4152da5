//! Legacy person records brought into PersonBase (RULES.md R4.4): read what old systems
//! export, find what is wrong with each row and across rows, and report it.
//!
//! - [`source`]: CSV (UTF-8 with or without BOM, GBK/GB18030, any common delimiter) and
//!   Excel workbooks, read row by row.
//! - [`field`]: which column is which, from the headers people and the ministry use, or a
//!   mapping file.
//! - [`rowcheck`] and [`dups`]: the findings of one row, and across rows.
//! - [`finding`]: what a finding says, with its stable code and what to do.
//! - [`run`]: the dry run of `personbase import`; [`report`]: Excel and HTML reports;
//! - [`load`], [`lines`] and [`review`]: what loading (`--apply`, in the store) takes from
//!   the files: clean rows as persons with their enrolments, business lines as files write
//!   them, the review list of rows held back;
//!   [`demo`]: a generator of synthetic legacy files with their answer key.
//!
//! Bad input never panics: an unreadable file is an [`ImportError`], a bad value a finding.

pub mod dates;
pub mod demo;
mod demo_data;
pub mod dups;
mod error;
pub mod field;
pub mod finding;
mod hash;
pub mod lines;
pub mod load;
pub mod names;
mod output;
mod pipeline;
mod progress;
pub mod report;
pub mod review;
pub mod rowcheck;
pub mod run;
pub mod source;

pub use error::ImportError;
pub use finding::{Finding, Summary};
pub use run::{Options, Outcome, OutputFormat, run};
