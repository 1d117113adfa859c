//! A minimal WebDriver client and helpers for the browser tests.
