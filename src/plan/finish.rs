//! What `plan` decides about each step once the steps are ordered, for the document to
//! record: the schema's fingerprint after it (where a resumed apply picks up), how the
//! server runs it (the online-DDL prediction, asserted or not), how a script tells it has
//! run (its guard), what the user needs (privileges), and whether a large rebuild goes to
//! an online schema change tool. Typed: `render` writes the text.

use super::guard::{guards, Guard};
use super::online::{assertable, predictions, Online};
use super::osc::{route, Policy};
use super::privileges::{needed, Privilege};
use super::simulate::checkpoints;
use super::Step;
use crate::flavor::Flavor;
use crate::model::{Schema, Sizes};

/// One step and what was decided about it.
pub struct Decided<'a> {
    pub step: &'a Step,
    /// The schema's fingerprint once the step has run.
    pub after: String,
    pub online: Option<Online>,
    /// The statement asserts the predicted algorithm and lock, so the server refuses to run
    /// it any costlier way.
    pub asserted: bool,
    pub guard: Option<Guard>,
    pub privileges: Vec<Privilege>,
    /// The online schema change tool that runs it instead of the server's ALTER.
    pub tool: Option<String>,
}

/// The plan's steps and its rollback's, decided.
pub struct Finished<'a> {
    /// The current schema's fingerprint: where the plan starts.
    pub start: String,
    pub steps: Vec<Decided<'a>>,
    pub rollback: Vec<Decided<'a>>,
    /// Why a large rebuild stays in the server, one line per such step; the window of a
    /// trigger MySQL replaces by `DROP` + `CREATE`.
    pub warnings: Vec<String>,
}

/// What the decisions are made from.
pub struct Setting<'a> {
    pub flavor: Flavor,
    pub current: &'a Schema,
    /// The current schema as the plan's renames leave it.
    pub renamed: &'a Schema,
    pub sizes: &'a Sizes,
    /// Assert each ALTER's predicted algorithm and lock (`--assert-online`).
    pub assert_online: bool,
    pub osc: &'a Policy,
}

pub fn finish<'a>(steps: &'a [Step], rollback: &'a [Step], s: &Setting) -> Finished<'a> {
    // The rollback's checkpoints and predictions continue from where the plan ends.
    let all: Vec<Step> = steps.iter().chain(rollback).cloned().collect();
    let after = checkpoints(s.current, &all);
    let online = predictions(s.current, &all, s.sizes, s.flavor);
    let (after_fwd, after_back) = after[1..].split_at(steps.len());
    let (online_fwd, online_back) = online.split_at(steps.len());
    // Only the plan's own steps go to the tool: the rollback is a script for a person.
    let (tools, mut warnings) = tools(steps, online_fwd, s);
    warnings.extend(super::programs::swap_warnings(steps, s.flavor));
    Finished {
        start: after[0].clone(),
        steps: decide(steps, after_fwd, online_fwd, tools, s),
        rollback: decide(rollback, after_back, online_back, Vec::new(), s),
        warnings,
    }
}

/// The tool of each step that a large rebuild sends to it; why not, for the others that are
/// large.
fn tools(
    steps: &[Step],
    online: &[Option<Online>],
    s: &Setting,
) -> (Vec<Option<String>>, Vec<String>) {
    let mut why_not = Vec::new();
    let tools = steps
        .iter()
        .zip(online)
        .enumerate()
        .map(|(i, (step, o))| {
            let o = o.as_ref()?;
            let tool = s.osc.tool.as_ref()?;
            match route(step, o, s.sizes.get(&step.object.name), s.renamed, s.osc) {
                Ok(true) => Some(tool.clone()),
                Ok(false) => None,
                Err(why) => {
                    why_not.push(format!("step {}: {why}", i + 1));
                    None
                }
            }
        })
        .collect();
    (tools, why_not)
}

fn decide<'a>(
    steps: &'a [Step],
    after: &[String],
    online: &[Option<Online>],
    mut tools: Vec<Option<String>>,
    s: &Setting,
) -> Vec<Decided<'a>> {
    tools.resize(steps.len(), None);
    steps
        .iter()
        .zip(after)
        .zip(online)
        .zip(guards(steps))
        .zip(tools)
        .map(|((((step, after), online), guard), tool)| Decided {
            step,
            after: after.clone(),
            asserted: asserts(step, online.as_ref(), s.assert_online),
            online: online.clone(),
            guard,
            privileges: needed(step),
            tool,
        })
        .collect()
}

/// Whether a step's statement carries its predicted algorithm and lock: when asked for, on
/// an ALTER the server takes the clause with.
pub fn asserts(step: &Step, online: Option<&Online>, assert_online: bool) -> bool {
    assert_online && online.is_some() && assertable(step)
}
