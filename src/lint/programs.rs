//! Lint rules for triggers, routines and events: who they run as, and what they write.

use super::{rule, Finding};
use crate::diff::programs::programs;
use crate::diff::Program;
use crate::model::{Schema, Security};

fn finding(id: &str, p: &Program, message: String) -> Finding {
    let r = rule(id);
    Finding {
        rule: r.id,
        name: r.name,
        level: r.level,
        message,
        table: p.name().to_string(),
        column: None,
        file: p.origin().map(|o| o.file.clone()),
        line: p.origin().map(|o| o.line),
        near: None,
    }
}

/// The first schema-qualified table a statement of `body` writes (`INSERT INTO db.t`,
/// `UPDATE db.t`, `DELETE FROM db.t`, `REPLACE db.t`), as written.
fn writes_elsewhere(body: &str) -> Option<String> {
    let words: Vec<&str> = body
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let verb = w.to_ascii_lowercase();
        let skip = |n: &str| n.eq_ignore_ascii_case("into") || n.eq_ignore_ascii_case("from");
        let target = match verb.as_str() {
            "insert" | "replace" | "update" | "delete" => {
                let mut rest = words[i + 1..].iter().copied();
                let mut next = rest.next()?;
                // INSERT IGNORE INTO, DELETE LOW_PRIORITY FROM, ...
                for _ in 0..3 {
                    if skip(next)
                        || next.eq_ignore_ascii_case("ignore")
                        || next.eq_ignore_ascii_case("low_priority")
                        || next.eq_ignore_ascii_case("quick")
                    {
                        next = rest.next()?;
                    } else {
                        break;
                    }
                }
                next
            }
            _ => return None,
        };
        let unquoted = target.replace('`', "");
        let (schema, table) = unquoted.split_once('.')?;
        (!schema.is_empty() && !table.is_empty()).then(|| target.to_string())
    })
}

pub(super) fn findings(schema: &Schema) -> Vec<Finding> {
    let mut out = Vec::new();
    for ((kind, name), p) in programs(schema) {
        let label = kind.label(&name);
        if let Some(d) = p.definer() {
            out.push(finding("CL010", &p, format!(
                "{label} names its definer ({d}): it runs as that account, which must exist on every server; leave DEFINER= out (the program is created as whoever applies the plan) or set `programs.definer: manage`"
            )));
        }
        if let Program::Routine(r) = &p {
            if r.security == Security::Definer {
                out.push(finding("CL011", &p, format!(
                    "{label} runs with its definer's privileges (no SQL SECURITY INVOKER): whoever may call it gets them"
                )));
            }
        }
        if let Some(t) = writes_elsewhere(p.body()) {
            out.push(finding("CL012", &p, format!(
                "{label} writes {t}, in another schema: canon manages one schema, and the plan of that one does not see this dependency"
            )));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::programs::tests::{function, trigger};

    #[test]
    fn definer_security_and_writes_elsewhere() {
        let mut s = Schema::default();
        let mut t = trigger("t_ai", "t", "INSERT INTO audit.log (id) VALUES (NEW.id)");
        t.definer = Some("root@localhost".into());
        s.triggers.insert("t_ai".into(), t);
        let mut f = function("f", "BEGIN UPDATE t SET n = NEW.n; RETURN 1; END");
        f.security = Security::Invoker;
        s.functions.insert("f".into(), f);
        s.functions.insert(
            "g".into(),
            function("g", "BEGIN DELETE FROM `other`.`t`; RETURN 1; END"),
        );
        let got: Vec<(&str, String)> = findings(&s)
            .into_iter()
            .map(|f| (f.rule, f.table))
            .collect();
        assert_eq!(
            got,
            vec![
                ("CL010", "t_ai".to_string()),
                ("CL012", "t_ai".to_string()),
                ("CL011", "g".to_string()),
                ("CL012", "g".to_string()),
            ]
        );
        assert_eq!(
            writes_elsewhere("INSERT IGNORE INTO db.t VALUES (1)").as_deref(),
            Some("db.t")
        );
        assert_eq!(writes_elsewhere("SET NEW.a = OLD.a"), None);
    }
}
