//! The one place YAML is read and written (plan files, `canon.yaml`).

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A YAML error: the message and, where the reader knew it, the byte offset.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub offset: Option<usize>,
}

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    yaml_serde::from_str(text).map_err(|e| YamlError {
        offset: e.location().map(|l| l.index()),
        message: e.to_string(),
    })
}

pub fn to_string<T: Serialize>(value: &T) -> String {
    yaml_serde::to_string(value).unwrap_or_default()
}
