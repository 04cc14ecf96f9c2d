//! A part of a file as a miette source, with the file's offsets and line numbers.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines of a file, read as if they were the whole file: miette numbers lines by scanning its
/// source from the start, which for thousands of findings in a large schema took most of
/// lint's time, and a dump's data need not be kept to point at its schema statements.
/// `text` must start at the start of a line.
#[derive(Debug)]
pub struct Excerpt {
    pub name: String,
    pub text: String,
    /// Where `text` starts in the file: byte offset and line index (0-based).
    pub offset: usize,
    pub first_line: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = span
            .offset()
            .checked_sub(self.offset)
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::from((offset, span.len()));
        let inner = self.text.as_str().read_span(&local, before, after)?;
        let shifted = SourceSpan::from((inner.span().offset() + self.offset, inner.span().len()));
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            shifted,
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}
