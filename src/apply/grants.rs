//! The privilege preflight: what `SHOW GRANTS` gives the connected user, and what the steps
//! still need. Global, database (with `_`/`%` wildcards) and table grants are understood;
//! column grants and grants through roles that SHOW GRANTS does not list are not counted.

use crate::plan::privileges::Privilege;
use std::collections::BTreeSet;

/// Where one GRANT line applies.
#[derive(Debug, PartialEq, Eq)]
enum Scope {
    Global,
    /// A database name pattern as written in the grant (may hold `_`, `%` and `\_`).
    Database(String),
    Table(String, String),
}

#[derive(Debug, PartialEq, Eq)]
struct Grant {
    scope: Scope,
    /// None: ALL PRIVILEGES.
    privileges: Option<BTreeSet<Privilege>>,
}

/// A backquoted name (`` `a``b` `` → a`b) at the start of `s`, and what follows it.
fn quoted(s: &str) -> Option<(String, &str)> {
    let rest = s.strip_prefix('`')?;
    let mut name = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            if matches!(chars.peek(), Some((_, '`'))) {
                chars.next();
                name.push('`');
            } else {
                return Some((name, &rest[i + 1..]));
            }
        } else {
            name.push(c);
        }
    }
    None
}

fn name_part(s: &str) -> Option<(String, &str)> {
    if let Some(rest) = s.strip_prefix('*') {
        return Some(("*".into(), rest));
    }
    if s.starts_with('`') {
        return quoted(s);
    }
    let end = s.find(['.', ' ']).unwrap_or(s.len());
    Some((s[..end].to_string(), &s[end..]))
}

fn scope(target: &str) -> Option<Scope> {
    let (db, rest) = name_part(target.trim())?;
    let rest = rest.strip_prefix('.')?;
    let (table, _) = name_part(rest)?;
    Some(match (db.as_str(), table.as_str()) {
        ("*", "*") => Scope::Global,
        (_, "*") => Scope::Database(db),
        _ => Scope::Table(db, table),
    })
}

/// Split a privilege list at commas outside parentheses. A privilege with a column list
/// (`SELECT (a, b)`) holds for those columns only, so it is left out.
fn privilege_names(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut cur, mut columns) = (0, String::new(), false);
    for c in list.chars() {
        match c {
            '(' => {
                depth += 1;
                columns = true;
            }
            ')' => depth -= 1,
            ',' if depth == 0 => {
                if !columns {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
                columns = false;
            }
            _ if depth == 0 => cur.push(c),
            _ => {}
        }
    }
    if !columns {
        out.push(cur);
    }
    out.into_iter().map(|p| p.trim().to_uppercase()).collect()
}

fn parse_line(line: &str) -> Option<Grant> {
    let body = line.trim().strip_prefix("GRANT ")?;
    let on = body.find(" ON ")?;
    let (privs, rest) = (&body[..on], &body[on + 4..]);
    let to = rest.find(" TO ")?;
    let target = &rest[..to];
    // `GRANT PROXY ON ...` and role grants (`GRANT role TO user`, no ON) give nothing here.
    let names = privilege_names(privs);
    let privileges = if names.iter().any(|n| n == "ALL" || n == "ALL PRIVILEGES") {
        None
    } else {
        Some(
            names
                .iter()
                .filter_map(|n| Privilege::from_name(n))
                .collect(),
        )
    };
    Some(Grant {
        scope: scope(target.strip_prefix("TABLE ").unwrap_or(target))?,
        privileges,
    })
}

/// A database grant's name pattern: `_` and `%` are wildcards unless escaped.
fn db_matches(pattern: &str, db: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('\\', rest)) if !rest.is_empty() => {
                s.first() == Some(&rest[0]) && go(&rest[1..], &s[1..])
            }
            Some(('%', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
            Some(('_', rest)) => !s.is_empty() && go(rest, &s[1..]),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = db.chars().collect();
    go(&p, &s)
}

/// What the user holds, from `SHOW GRANTS` output lines.
pub struct Grants(Vec<Grant>);

impl Grants {
    pub fn parse<S: AsRef<str>>(lines: &[S]) -> Grants {
        Grants(
            lines
                .iter()
                .filter_map(|l| parse_line(l.as_ref()))
                .collect(),
        )
    }

    /// Whether `p` is held on table `table` of database `db` (None: the database itself).
    pub fn has(&self, p: Privilege, db: &str, table: Option<&str>) -> bool {
        self.0.iter().any(|g| {
            let applies = match &g.scope {
                Scope::Global => true,
                Scope::Database(pattern) => db_matches(pattern, db),
                Scope::Table(d, t) => d == db && Some(t.as_str()) == table,
            };
            applies && g.privileges.as_ref().is_none_or(|set| set.contains(&p))
        })
    }

    /// Whether `p` is held on `*.*` (SUPER and SET USER exist nowhere else).
    pub fn has_global(&self, p: Privilege) -> bool {
        self.0.iter().any(|g| {
            g.scope == Scope::Global && g.privileges.as_ref().is_none_or(|set| set.contains(&p))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_show_grants_as_mariadb_prints_it() {
        // Verbatim from MariaDB 10.11 (the password hash is never shown by canon).
        let g = Grants::parse(&[
            "GRANT USAGE ON *.* TO `pa`@`localhost` IDENTIFIED BY PASSWORD '*B690'",
            "GRANT ALTER, CREATE VIEW ON `privt`.* TO `pa`@`localhost`",
            "GRANT SELECT (`a`, `b`), INSERT ON `privt`.`canon_history` TO `pa`@`localhost`",
            "GRANT `dba_role` TO `pa`@`localhost`",
        ]);
        assert!(g.has(Privilege::Alter, "privt", Some("t")));
        assert!(g.has(Privilege::CreateView, "privt", None));
        assert!(!g.has(Privilege::Drop, "privt", Some("t")));
        assert!(!g.has(Privilege::Alter, "other", Some("t")));
        assert!(g.has(Privilege::Insert, "privt", Some("canon_history")));
        assert!(!g.has(Privilege::Insert, "privt", Some("t")));
        // A column grant is not a table grant.
        assert!(!g.has(Privilege::Select, "privt", Some("canon_history")));
    }

    #[test]
    fn all_privileges_and_wildcard_databases() {
        let root =
            Grants::parse(&["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"]);
        assert!(root.has(Privilege::References, "any", Some("t")));
        let g = Grants::parse(&[
            "GRANT ALL ON `app\\_%`.* TO `u`@`%`",
            "GRANT DROP ON `a_c`.* TO `u`@`%`",
        ]);
        assert!(g.has(Privilege::Alter, "app_eu", None));
        assert!(!g.has(Privilege::Alter, "appxeu", None));
        assert!(g.has(Privilege::Drop, "abc", None));
        assert!(!g.has(Privilege::Drop, "abbc", None));
        // ALL on a database gives neither SUPER nor SET USER: they are global.
        assert!(!g.has_global(Privilege::Super));
        assert!(root.has_global(Privilege::SetUser));
    }

    #[test]
    fn global_privileges_as_the_servers_print_them() {
        // MariaDB 10.11 prints `SET USER`; MySQL 8 `SET_USER_ID` (8.0.22) or
        // `SET_ANY_DEFINER` (8.2), each on a line of its own (the MySQL 8.0 manual).
        let maria = Grants::parse(&["GRANT SUPER, SET USER ON *.* TO `u`@`%`"]);
        assert!(maria.has_global(Privilege::Super) && maria.has_global(Privilege::SetUser));
        let mysql = Grants::parse(&["GRANT SET_USER_ID ON *.* TO `u`@`%`"]);
        assert!(mysql.has_global(Privilege::SetUser));
        assert!(!mysql.has_global(Privilege::Super));
    }
}
