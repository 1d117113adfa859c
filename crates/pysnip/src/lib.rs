//! A small, resumable, bounded Python-subset interpreter with no web dependency.
