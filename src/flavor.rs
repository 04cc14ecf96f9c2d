//! Which server canon talks to, and what that server does differently.
//!
//! A flavor is a vendor plus a version; every behaviour difference is a question asked of the
//! flavor (never a bare "is MariaDB" boolean at the call site).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    MySql,
    MariaDb,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }
    /// The number a versioned comment (`/*!80016`, `/*M!100301`) compares against.
    pub fn comment_number(&self) -> u64 {
        self.major as u64 * 10_000 + self.minor as u64 * 100 + self.patch as u64
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flavor {
    pub vendor: Vendor,
    pub version: Version,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FlavorError {
    #[error(
        "unknown flavor `{0}`: expected e.g. mariadb-10.11, mariadb-11.4, mysql-8.0 or mysql-8.4"
    )]
    Unknown(String),
    #[error("{0} is not supported: canon supports MySQL 8.0 and 8.4, and MariaDB 10.6 and later")]
    Unsupported(Flavor),
}

/// Charsets the servers know, with their default collation and bytes per character.
/// Values read from MariaDB 10.11's information_schema.CHARACTER_SETS.
const CHARSETS: &[(&str, &str, u32)] = &[
    ("armscii8", "armscii8_general_ci", 1),
    ("ascii", "ascii_general_ci", 1),
    ("big5", "big5_chinese_ci", 2),
    ("binary", "binary", 1),
    ("cp1250", "cp1250_general_ci", 1),
    ("cp1251", "cp1251_general_ci", 1),
    ("cp1256", "cp1256_general_ci", 1),
    ("cp1257", "cp1257_general_ci", 1),
    ("cp850", "cp850_general_ci", 1),
    ("cp852", "cp852_general_ci", 1),
    ("cp866", "cp866_general_ci", 1),
    ("cp932", "cp932_japanese_ci", 2),
    ("dec8", "dec8_swedish_ci", 1),
    ("eucjpms", "eucjpms_japanese_ci", 3),
    ("euckr", "euckr_korean_ci", 2),
    ("gb18030", "gb18030_chinese_ci", 4),
    ("gb2312", "gb2312_chinese_ci", 2),
    ("gbk", "gbk_chinese_ci", 2),
    ("geostd8", "geostd8_general_ci", 1),
    ("greek", "greek_general_ci", 1),
    ("hebrew", "hebrew_general_ci", 1),
    ("hp8", "hp8_english_ci", 1),
    ("keybcs2", "keybcs2_general_ci", 1),
    ("koi8r", "koi8r_general_ci", 1),
    ("koi8u", "koi8u_general_ci", 1),
    ("latin1", "latin1_swedish_ci", 1),
    ("latin2", "latin2_general_ci", 1),
    ("latin5", "latin5_turkish_ci", 1),
    ("latin7", "latin7_general_ci", 1),
    ("macce", "macce_general_ci", 1),
    ("macroman", "macroman_general_ci", 1),
    ("sjis", "sjis_japanese_ci", 2),
    ("swe7", "swe7_swedish_ci", 1),
    ("tis620", "tis620_thai_ci", 1),
    ("ucs2", "ucs2_general_ci", 2),
    ("ujis", "ujis_japanese_ci", 3),
    ("utf16", "utf16_general_ci", 4),
    ("utf16le", "utf16le_general_ci", 4),
    ("utf32", "utf32_general_ci", 4),
    ("utf8mb3", "utf8mb3_general_ci", 3),
    ("utf8mb4", "utf8mb4_general_ci", 4),
];

impl Flavor {
    pub const DEFAULT: Flavor = Flavor {
        vendor: Vendor::MariaDb,
        version: Version::new(10, 11, 0),
    };

    pub fn new(vendor: Vendor, version: Version) -> Result<Self, FlavorError> {
        let f = Flavor { vendor, version };
        let ok = match vendor {
            Vendor::MySql => f.at_least(8, 0) && !f.at_least(9, 0),
            Vendor::MariaDb => f.at_least(10, 6),
        };
        if ok {
            Ok(f)
        } else {
            Err(FlavorError::Unsupported(f))
        }
    }

    /// From `SELECT VERSION()` or a dump header: `10.11.19-MariaDB-0+deb12u1`, `8.0.36`.
    pub fn from_server_version(text: &str) -> Result<Self, FlavorError> {
        let vendor = if text.to_ascii_lowercase().contains("mariadb") {
            Vendor::MariaDb
        } else {
            Vendor::MySql
        };
        // MariaDB behind old replication prefixes: `5.5.5-10.11.4-MariaDB`.
        let core = text.strip_prefix("5.5.5-").unwrap_or(text);
        let version = parse_version(core).ok_or_else(|| FlavorError::Unknown(text.to_string()))?;
        Flavor::new(vendor, version)
    }

    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.version.major, self.version.minor) >= (major, minor)
    }

    fn at_least_patch(&self, major: u32, minor: u32, patch: u32) -> bool {
        self.version >= Version::new(major, minor, patch)
    }

    pub fn is_mariadb(&self) -> bool {
        self.vendor == Vendor::MariaDb
    }

    /// MySQL 8.0.19 stopped printing integer display widths (except `tinyint(1)`).
    pub fn keeps_int_display_width(&self) -> bool {
        self.is_mariadb() || !self.at_least_patch(8, 0, 19)
    }

    /// MariaDB's JSON is an alias of LONGTEXT with a `json_valid` check.
    pub fn json_is_longtext(&self) -> bool {
        self.is_mariadb()
    }

    /// `explicit_defaults_for_timestamp` is ON by default on MySQL 8 and MariaDB 10.10+.
    pub fn explicit_defaults_for_timestamp(&self) -> bool {
        !self.is_mariadb() || self.at_least(10, 10)
    }

    /// A column-level `REFERENCES t(c)` creates a foreign key on MariaDB 10.5+; MySQL ignores it.
    pub fn inline_references_create_fk(&self) -> bool {
        self.is_mariadb()
    }

    /// MariaDB prints `DEFAULT NULL` on nullable TEXT/BLOB columns; MySQL prints no default.
    pub fn lob_default_null_printed(&self) -> bool {
        self.is_mariadb()
    }

    /// InnoDB adds and drops columns at any position with ALGORITHM=INSTANT: MariaDB 10.4+,
    /// MySQL 8.0.29+ (before that MySQL adds instantly only at the end).
    pub fn instant_columns_anywhere(&self) -> bool {
        self.is_mariadb() || self.at_least_patch(8, 0, 29)
    }

    /// Reordering columns, widening a VARCHAR and changing a collation are metadata-only
    /// (MariaDB 10.4+); MySQL rebuilds or works in place for them.
    pub fn instant_column_redefinition(&self) -> bool {
        self.is_mariadb()
    }

    /// Dropping a foreign key or CHECK, and table or column comments, are ALGORITHM=INSTANT
    /// on MariaDB; MySQL does them in place without a rebuild.
    pub fn instant_metadata_changes(&self) -> bool {
        self.is_mariadb()
    }

    /// The ALGORITHM name of an in-place change that must not rebuild the table: MariaDB has
    /// its own (`NOCOPY`); MySQL only has `INPLACE`.
    pub fn no_rebuild_algorithm(&self) -> &'static str {
        if self.is_mariadb() {
            "NOCOPY"
        } else {
            "INPLACE"
        }
    }

    /// Server-chosen name of the n-th unnamed CHECK constraint of a table.
    pub fn unnamed_check_name(&self, table: &str, n: usize) -> String {
        if self.is_mariadb() {
            format!("CONSTRAINT_{n}")
        } else {
            format!("{table}_chk_{n}")
        }
    }

    pub fn default_charset(&self) -> &'static str {
        "utf8mb4"
    }

    /// The collation a charset gets when none is named.
    pub fn default_collation(&self, charset: &str) -> Option<String> {
        let (_, coll, _) = CHARSETS.iter().find(|(cs, _, _)| *cs == charset)?;
        let uca = |cs: &str| format!("{cs}_uca1400_ai_ci");
        Some(match (self.vendor, charset) {
            (Vendor::MySql, "utf8mb4") => "utf8mb4_0900_ai_ci".to_string(),
            // MariaDB 11.5 maps the Unicode charsets to UCA 14.0.0 collations by default.
            (Vendor::MariaDb, "utf8mb3" | "utf8mb4" | "ucs2" | "utf16" | "utf32")
                if self.at_least(11, 5) =>
            {
                uca(charset)
            }
            _ => coll.to_string(),
        })
    }

    /// The charset a collation belongs to (`utf8mb4_bin` → `utf8mb4`).
    pub fn charset_of_collation(collation: &str) -> Option<&'static str> {
        if collation == "binary" {
            return Some("binary");
        }
        CHARSETS
            .iter()
            .filter(|(cs, _, _)| {
                collation.len() > cs.len()
                    && collation.starts_with(cs)
                    && collation.as_bytes()[cs.len()] == b'_'
            })
            .max_by_key(|(cs, _, _)| cs.len())
            .map(|(cs, _, _)| *cs)
    }

    /// Bytes per character, to compare lengths across charsets.
    pub fn charset_max_len(charset: &str) -> u32 {
        CHARSETS
            .iter()
            .find(|(cs, _, _)| *cs == charset)
            .map_or(4, |(_, _, n)| *n)
    }
}

/// `utf8` is `utf8mb3` on every supported server; collations follow.
pub fn canonical_charset_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower == "utf8" {
        "utf8mb3".to_string()
    } else if let Some(rest) = lower.strip_prefix("utf8_") {
        format!("utf8mb3_{rest}")
    } else {
        lower
    }
}

fn parse_version(text: &str) -> Option<Version> {
    let numeric: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = numeric.split('.').filter(|p| !p.is_empty());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    Some(Version::new(major, minor, patch))
}

impl FromStr for Flavor {
    type Err = FlavorError;
    /// `mariadb-10.11`, `mariadb-11.4.2`, `mysql-8.0.36`, `mysql-8.4`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        let (vendor, rest) = if let Some(r) = lower.strip_prefix("mariadb") {
            (Vendor::MariaDb, r)
        } else if let Some(r) = lower.strip_prefix("mysql") {
            (Vendor::MySql, r)
        } else {
            return Err(FlavorError::Unknown(s.to_string()));
        };
        let rest = rest.trim_start_matches(['-', ' ', ':']);
        let version = parse_version(rest).ok_or_else(|| FlavorError::Unknown(s.to_string()))?;
        Flavor::new(vendor, version)
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.version;
        let name = match self.vendor {
            Vendor::MySql => "mysql",
            Vendor::MariaDb => "mariadb",
        };
        write!(f, "{name}-{}.{}.{}", v.major, v.minor, v.patch)
    }
}

/// sql_mode flags canon's sessions leave out: they make the server print identifiers in
/// double quotes or leave options out of `SHOW CREATE TABLE` (what canon reads), read
/// strings without backslash escapes (which canon writes), or parse another dialect. The
/// others (strictness, zero dates, ...) stay, so changes are checked as the server would.
pub const NOT_FOR_CANON: [&str; 13] = [
    "ANSI",
    "ANSI_QUOTES",
    "NO_BACKSLASH_ESCAPES",
    "NO_KEY_OPTIONS",
    "NO_TABLE_OPTIONS",
    "NO_FIELD_OPTIONS",
    "ORACLE",
    "MSSQL",
    "DB2",
    "MAXDB",
    "POSTGRESQL",
    "MYSQL323",
    "MYSQL40",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flavor_names_and_server_versions() {
        let f: Flavor = "mariadb-10.11".parse().unwrap();
        assert_eq!(f, Flavor::DEFAULT);
        let m: Flavor = "mysql-8.0.36".parse().unwrap();
        assert_eq!(m.vendor, Vendor::MySql);
        assert_eq!(m.version, Version::new(8, 0, 36));
        let s = Flavor::from_server_version("10.11.19-MariaDB-0+deb12u1").unwrap();
        assert_eq!(
            (s.vendor, s.version),
            (Vendor::MariaDb, Version::new(10, 11, 19))
        );
        let old = Flavor::from_server_version("5.5.5-10.6.12-MariaDB-log").unwrap();
        assert_eq!(old.version, Version::new(10, 6, 12));
    }

    #[test]
    fn refuses_unknown_and_unsupported_flavors() {
        assert!(matches!(
            "oracle-19".parse::<Flavor>(),
            Err(FlavorError::Unknown(_))
        ));
        assert!(matches!(
            "mysql-5.7".parse::<Flavor>(),
            Err(FlavorError::Unsupported(_))
        ));
        assert!(matches!(
            "mariadb-10.4".parse::<Flavor>(),
            Err(FlavorError::Unsupported(_))
        ));
    }

    #[test]
    fn default_collations_follow_the_flavor() {
        let maria = Flavor::DEFAULT;
        let mysql: Flavor = "mysql-8.0".parse().unwrap();
        let maria115: Flavor = "mariadb-11.5".parse().unwrap();
        assert_eq!(
            maria.default_collation("utf8mb4").unwrap(),
            "utf8mb4_general_ci"
        );
        assert_eq!(
            mysql.default_collation("utf8mb4").unwrap(),
            "utf8mb4_0900_ai_ci"
        );
        assert_eq!(
            maria115.default_collation("utf8mb4").unwrap(),
            "utf8mb4_uca1400_ai_ci"
        );
        assert_eq!(
            maria.default_collation("latin1").unwrap(),
            "latin1_swedish_ci"
        );
        assert_eq!(maria.default_collation("nope"), None);
    }

    #[test]
    fn collation_names_map_to_their_charset() {
        assert_eq!(Flavor::charset_of_collation("utf8mb4_bin"), Some("utf8mb4"));
        assert_eq!(
            Flavor::charset_of_collation("utf8mb3_general_ci"),
            Some("utf8mb3")
        );
        assert_eq!(Flavor::charset_of_collation("utf16le_bin"), Some("utf16le"));
        assert_eq!(Flavor::charset_of_collation("binary"), Some("binary"));
        assert_eq!(Flavor::charset_of_collation("klingon_ci"), None);
    }

    #[test]
    fn utf8_is_utf8mb3() {
        assert_eq!(canonical_charset_name("UTF8"), "utf8mb3");
        assert_eq!(
            canonical_charset_name("utf8_general_ci"),
            "utf8mb3_general_ci"
        );
        assert_eq!(canonical_charset_name("utf8mb4_bin"), "utf8mb4_bin");
    }

    #[test]
    fn display_widths_depend_on_version() {
        assert!(Flavor::DEFAULT.keeps_int_display_width());
        assert!("mysql-8.0.18"
            .parse::<Flavor>()
            .unwrap()
            .keeps_int_display_width());
        assert!(!"mysql-8.0.19"
            .parse::<Flavor>()
            .unwrap()
            .keeps_int_display_width());
    }
}
