//! Literal defaults as the server stores and prints them for the column's type. MariaDB
//! values were recorded from 10.11 (`SHOW CREATE TABLE`, in the tests); MySQL prints every
//! literal default quoted, and converts YEAR values as MariaDB does (reference manual, "The
//! YEAR Type").

use crate::flavor::Flavor;
use crate::model::*;

pub(super) fn literal(d: DefaultValue, ty: &ColumnType, flavor: Flavor) -> DefaultValue {
    let numeric = matches!(
        ty,
        ColumnType::Int { .. } | ColumnType::Decimal { .. } | ColumnType::Float { .. }
    );
    let mariadb = flavor.is_mariadb();
    match d {
        DefaultValue::String(s) if numeric && s.trim().parse::<f64>().is_ok() => {
            literal(DefaultValue::Number(s.trim().to_string()), ty, flavor)
        }
        DefaultValue::Number(n) if is_year(ty) => year(&n, false, ty, mariadb),
        DefaultValue::String(s) if is_year(ty) => year(&s, true, ty, mariadb),
        DefaultValue::Number(n) => match ty {
            ColumnType::Int {
                width, zerofill, ..
            } => {
                let n = n
                    .parse::<i128>()
                    .map(|v| v.to_string())
                    .or_else(|_| n.parse::<f64>().map(|f| format!("{}", f.round() as i128)))
                    .unwrap_or(n);
                DefaultValue::Number(zero_filled(n, *zerofill && mariadb, *width))
            }
            ColumnType::Decimal { scale, .. } => DefaultValue::Number(decimal_text(&n, *scale)),
            ColumnType::Float {
                double,
                precision,
                zerofill,
                ..
            } => {
                let n = match (n.parse::<f64>(), precision) {
                    (Ok(f), Some((_, scale))) if mariadb => format!("{f:.0$}", *scale as usize),
                    (Ok(f), _) => format!("{f}"),
                    (Err(_), _) => n,
                };
                // The width a zero-filled float is padded to: its M, else 12 (FLOAT) or 22.
                let width = precision.map_or(if *double { 22 } else { 12 }, |(m, _)| m);
                DefaultValue::Number(zero_filled(n, *zerofill && mariadb, Some(width)))
            }
            ColumnType::Bit { .. } => DefaultValue::Number(n),
            // MariaDB keeps a number given to a BLOB or TEXT as the number it is.
            _ if ty.is_lob() && mariadb => DefaultValue::Number(lob_number(&n)),
            _ => DefaultValue::String(n.trim_start_matches('+').to_string()),
        },
        // BINARY(n) is fixed-length: the server pads a shorter default with zero bytes.
        DefaultValue::String(mut s) => {
            if let ColumnType::String {
                kind: StrKind::Binary,
                length,
            } = ty
            {
                while s.len() < *length as usize {
                    s.push('\0');
                }
            }
            DefaultValue::String(s)
        }
        other => other,
    }
}

fn is_year(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::Temporal {
            kind: TemporalKind::Year,
            ..
        }
    )
}

/// A YEAR default as stored: a number 0 is the year 0000, 1 to 69 are 2001 to 2069 and 70 to
/// 99 are 1970 to 1999; a string of one or two digits is read the same way, but `'0'` and
/// `'00'` are 2000. MariaDB prints it as a number, of two digits in a YEAR(2).
fn year(n: &str, string: bool, ty: &ColumnType, mariadb: bool) -> DefaultValue {
    let text = n.trim().trim_start_matches('+');
    let Ok(value) = text.parse::<f64>() else {
        return DefaultValue::String(n.to_string());
    };
    let value = value.round() as i64;
    let two_digit_string = string && text.len() <= 2;
    let stored = match value {
        0 if !two_digit_string => 0,
        0..=69 if two_digit_string || !string => 2000 + value,
        70..=99 if two_digit_string || !string => 1900 + value,
        v => v,
    };
    if !mariadb {
        return DefaultValue::String(format!("{stored:04}"));
    }
    let two_digits = matches!(ty, ColumnType::Temporal { fsp: 2, .. });
    DefaultValue::Number(if two_digits {
        format!("{:02}", stored % 100)
    } else {
        format!("{stored:04}")
    })
}

/// ZEROFILL: the number padded with zeros to the column's width.
fn zero_filled(n: String, zerofill: bool, width: Option<u32>) -> String {
    match width {
        Some(w) if zerofill && !n.starts_with('-') => format!("{n:0>0$}", w as usize),
        _ => n,
    }
}

/// A number as MariaDB prints it in a BLOB or TEXT default: an integer by its value, a
/// decimal without a sign or leading zeros but with its digits, an exponent as written.
fn lob_number(n: &str) -> String {
    let n = n.trim_start_matches('+');
    if n.contains(['e', 'E']) {
        return n.to_string();
    }
    if let Ok(v) = n.parse::<i128>() {
        return v.to_string();
    }
    let (sign, digits) = n.strip_prefix('-').map_or(("", n), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int = int.trim_start_matches('0');
    format!("{sign}{}.{frac}", if int.is_empty() { "0" } else { int })
}

/// `1.5` in a `decimal(6,3)` is `1.500`.
fn decimal_text(n: &str, scale: u32) -> String {
    let (int, frac) = n.split_once('.').unwrap_or((n, ""));
    let scale = scale as usize;
    if frac.len() <= scale {
        let int = if int.is_empty() || int == "-" || int == "+" {
            format!("{}0", int.trim_start_matches('+'))
        } else {
            int.trim_start_matches('+').to_string()
        };
        if scale == 0 {
            int
        } else {
            format!("{int}.{frac:0<scale$}")
        }
    } else {
        n.parse::<f64>()
            .map_or(n.to_string(), |f| format!("{f:.scale$}"))
    }
}

#[cfg(test)]
mod tests {
    use crate::flavor::Flavor;
    use crate::model::normalize::schema_of;

    /// Each column as written in a file, and its line as MariaDB 10.11.19 printed it after
    /// `CREATE TABLE c (...) ENGINE=MyISAM` (`SHOW CREATE TABLE`, verbatim).
    #[test]
    fn written_defaults_become_what_mariadb_prints() {
        let flavor = Flavor::from_server_version("10.11.19-MariaDB").unwrap();
        for (written, printed) in [
            ("b blob default 1", "`b` blob DEFAULT 1"),
            ("b blob default '1'", "`b` blob DEFAULT '1'"),
            ("t text default 1.5", "`t` text DEFAULT 1.5"),
            ("a blob default 007", "`a` blob DEFAULT 7"),
            ("a blob default +5", "`a` blob DEFAULT 5"),
            ("a text default .5", "`a` text DEFAULT 0.5"),
            ("a text default 00.10", "`a` text DEFAULT 0.10"),
            ("a text default -1.50", "`a` text DEFAULT -1.50"),
            ("a text default 1E3", "`a` text DEFAULT 1E3"),
            ("a json default 5", "`a` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT 5 CHECK (json_valid(`a`))"),
            ("y year default 2008", "`y` year(4) DEFAULT 2008"),
            ("y year default '2008'", "`y` year(4) DEFAULT 2008"),
            ("y year default 0", "`y` year(4) DEFAULT 0000"),
            ("y year default '0000'", "`y` year(4) DEFAULT 0000"),
            ("a year default 5", "`a` year(4) DEFAULT 2005"),
            ("a year default '5'", "`a` year(4) DEFAULT 2005"),
            ("a year default '0'", "`a` year(4) DEFAULT 2000"),
            ("a year default '00'", "`a` year(4) DEFAULT 2000"),
            ("a year default 69", "`a` year(4) DEFAULT 2069"),
            ("a year default 70", "`a` year(4) DEFAULT 1970"),
            ("a year default 1999.4", "`a` year(4) DEFAULT 1999"),
            ("a year(2) default 1999", "`a` year(2) DEFAULT 99"),
            ("a year(2) default 0", "`a` year(2) DEFAULT 00"),
            ("a year(2) default 5", "`a` year(2) DEFAULT 05"),
            ("z int(6) unsigned zerofill not null default 0", "`z` int(6) unsigned zerofill NOT NULL DEFAULT 000000"),
            ("z int(6) zerofill default '7'", "`z` int(6) unsigned zerofill DEFAULT 000007"),
            ("a int zerofill default 5", "`a` int(10) unsigned zerofill DEFAULT 0000000005"),
            ("d double(9,2) not null default 0", "`d` double(9,2) NOT NULL DEFAULT 0.00"),
            ("d double(9,2) default '1.5'", "`d` double(9,2) DEFAULT 1.50"),
            ("a double(6,2) default -1.005", "`a` double(6,2) DEFAULT -1.00"),
            ("f float(7,3) default 1", "`f` float(7,3) DEFAULT 1.000"),
            ("a float(6,2) default 1e2", "`a` float(6,2) DEFAULT 100.00"),
            ("a float(6,2) zerofill default 1", "`a` float(6,2) unsigned zerofill DEFAULT 001.00"),
            ("a float zerofill default 1.5", "`a` float unsigned zerofill DEFAULT 0000000001.5"),
            ("a double zerofill default 1.5", "`a` double unsigned zerofill DEFAULT 00000000000000000001.5"),
            ("d double default 0", "`d` double DEFAULT 0"),
            ("a int, b int default a", "`a` int(11) DEFAULT NULL,\n  `b` int(11) DEFAULT `a`"),
            ("a int, b int default `a`", "`a` int(11) DEFAULT NULL,\n  `b` int(11) DEFAULT `a`"),
        ] {
            let s = schema_of(&format!("CREATE TABLE c ({written}) ENGINE=MyISAM"), flavor);
            let shown = crate::render::ddl::create_table(&s.tables["c"], flavor);
            let lines = printed.lines().count();
            let ours: Vec<&str> = shown.lines().skip(1).take(lines).collect();
            assert_eq!(ours.join("\n"), format!("  {printed}"), "{written}");
        }
    }
}
