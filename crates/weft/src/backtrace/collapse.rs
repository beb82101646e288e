//! Collapsing long recursive runs of a backtrace.
//!
//! The frames of a stack (innermost first, depth 0, 1, ...) are walked once;
//! each is identified by a key (for the interpreter: the function and the
//! instruction it is at, so two frames are equal when the same function is
//! at the same call site). Where the frames from depth `i` on repeat the `p`
//! frames just before `i` (`key(j) == key(j - p)`) for at least two frames
//! and a whole period, those frames become one [`Line::Repeat`] instead of
//! one line each. Periods from 1 (direct recursion) to [`MAX_PERIOD`]
//! (mutual recursion through up to that many functions) are tried; the one
//! covering the most frames wins, the shortest on a tie. The frames being
//! repeated must be shown just before, so a repeat never refers to a line
//! that is itself collapsed. Past `max_lines` lines the rest of the stack is
//! one [`Line::Omitted`].
//!
//! The work is O(depth × [`MAX_PERIOD`]) key comparisons and the result is
//! at most `max_lines + 1` lines, however deep the stack.

use alloc::vec::Vec;

/// The longest cycle of frames recognised as repeating.
pub(crate) const MAX_PERIOD: usize = 16;

/// One line of a collapsed backtrace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// The frame at this depth, shown.
    Frame(usize),
    /// The next `frames` frames repeat the `period` frames shown just
    /// before (a whole number of times: `frames` is a multiple of
    /// `period`).
    Repeat { period: usize, frames: usize },
    /// The last `frames` frames of the stack are not shown.
    Omitted { frames: usize },
}

/// Collapses a stack of `depth` frames whose keys `key(0..depth)` gives,
/// into at most `max_lines` lines plus one [`Line::Omitted`].
pub(crate) fn collapse<K: PartialEq>(
    depth: usize,
    key: impl Fn(usize) -> K,
    max_lines: usize,
) -> Vec<Line> {
    let mut lines = Vec::new();
    // How many lines at the end of `lines` are frames (the frames at
    // depths `i - shown..i`).
    let mut shown = 0;
    let mut i = 0;
    while i < depth {
        if lines.len() >= max_lines {
            lines.push(Line::Omitted { frames: depth - i });
            break;
        }
        let mut best: Option<(usize, usize)> = None;
        for period in 1..=MAX_PERIOD.min(shown) {
            let mut run = 0;
            while i + run < depth && key(i + run) == key(i + run - period) {
                run += 1;
            }
            let frames = run - run % period;
            if frames >= period.max(2) && best.is_none_or(|(_, f)| frames > f) {
                best = Some((period, frames));
            }
        }
        match best {
            Some((period, frames)) => {
                lines.push(Line::Repeat { period, frames });
                shown = 0;
                i += frames;
            }
            None => {
                lines.push(Line::Frame(i));
                shown += 1;
                i += 1;
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{collapse, Line, Line::*};

    fn of(keys: &str) -> Vec<Line> {
        let keys = keys.as_bytes();
        collapse(keys.len(), |i| keys[i], 1000)
    }

    #[test]
    fn distinct_frames_are_all_shown() {
        assert_eq!(of("abcd"), [Frame(0), Frame(1), Frame(2), Frame(3)]);
        assert_eq!(of(""), []);
    }

    #[test]
    fn one_duplicate_is_not_collapsed() {
        // One more line would say no more than the frame itself.
        assert_eq!(of("xaab"), [Frame(0), Frame(1), Frame(2), Frame(3)]);
    }

    #[test]
    fn direct_recursion_becomes_one_line_with_the_exact_count() {
        // The trap site (t), 10,000 frames of the recursive call (r), then
        // the caller (m).
        let mut keys = alloc::string::String::from("t");
        keys.push_str(&"r".repeat(10_000));
        keys.push('m');
        assert_eq!(
            of(&keys),
            [
                Frame(0),
                Frame(1),
                Repeat {
                    period: 1,
                    frames: 9_999
                },
                Frame(10_001)
            ]
        );
    }

    #[test]
    fn mutual_recursion_collapses_whole_cycles() {
        // `ab` shown once, then three more times (six frames); the last
        // `a` is not a whole cycle, so it is shown.
        assert_eq!(
            of("tababababac"),
            [
                Frame(0),
                Frame(1),
                Frame(2),
                Repeat {
                    period: 2,
                    frames: 6
                },
                Frame(9),
                Frame(10)
            ]
        );
        // A cycle of three.
        assert_eq!(
            of("abcabcabcabc"),
            [
                Frame(0),
                Frame(1),
                Frame(2),
                Repeat {
                    period: 3,
                    frames: 9
                }
            ]
        );
    }

    #[test]
    fn the_period_covering_most_frames_wins() {
        // `aab` repeated: period 1 covers one `a`, period 3 the rest.
        assert_eq!(
            of("aabaabaabaab"),
            [
                Frame(0),
                Frame(1),
                Frame(2),
                Repeat {
                    period: 3,
                    frames: 9
                }
            ]
        );
    }

    #[test]
    fn a_repeat_only_refers_to_frames_shown_just_before() {
        // After a repeat, the next run needs frames of its own first.
        assert_eq!(
            of("aaaabbbb"),
            [
                Frame(0),
                Repeat {
                    period: 1,
                    frames: 3
                },
                Frame(4),
                Repeat {
                    period: 1,
                    frames: 3
                }
            ]
        );
    }

    #[test]
    fn cycles_longer_than_the_maximum_are_shown_in_full() {
        let cycle: alloc::string::String = (0..=super::MAX_PERIOD as u8)
            .map(|i| char::from(b'A' + i))
            .collect();
        let keys = cycle.repeat(3);
        assert_eq!(of(&keys).len(), keys.len());
    }

    #[test]
    fn past_the_line_bound_the_rest_is_omitted() {
        let keys: Vec<u32> = (0..100_000).collect();
        let lines = collapse(keys.len(), |i| keys[i], 1000);
        assert_eq!(lines.len(), 1001);
        assert_eq!(lines[999], Frame(999));
        assert_eq!(lines[1000], Omitted { frames: 99_000 });
    }
}
