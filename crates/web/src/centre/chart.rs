//! Bar charts of same-day completion, drawn on the server as inline SVG: geometry computed
//! here, drawn by `templates/centre/chart.html` with presentation attributes only (the
//! content security policy allows no inline style), each bar with its own `<title>` for
//! screen readers and tooltips.

use personbase_store::{RegionOverview, Tally};

use crate::text;

/// Width of the drawing, in SVG units.
const WIDTH: u32 = 720;
/// Where the bars of the agency chart start (the names are left of it).
const LABEL_WIDTH: u32 = 240;
/// Height of one bar of the agency chart, and the gap below it.
const ROW: u32 = 26;
const ROW_GAP: u32 = 8;
/// Height of the day chart's plotting area, the room below it for the dates, and left of it
/// for the scale.
const PLOT: u32 = 180;
const AXIS: u32 = 34;
const SCALE: u32 = 56;
/// The least length of a bar whose rate is 0%, so that it differs from a day without any.
const STUB: u32 = 2;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// What the bar is, read by screen readers: `南岗区就业服务中心：66.7%（2/3）`.
    pub title: String,
    /// The label beside or below the bar; empty when it is left out for room.
    pub label: String,
    /// Where the label is drawn.
    pub label_x: u32,
    /// Where the label is drawn.
    pub label_y: u32,
    /// The value printed at the bar's end (agency chart only).
    pub value: String,
    /// Where the value is drawn.
    pub value_x: u32,
}

/// A bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The element id: `chart-agency` or `chart-day`.
    pub id: &'static str,
    /// The chart's `<title>`.
    pub title: &'static str,
    /// Width of the drawing.
    pub width: u32,
    /// Height of the drawing.
    pub height: u32,
    /// The bars, one per row of the matching table.
    pub bars: Vec<Bar>,
    /// The y of the baseline (day chart) or 0.
    pub baseline: u32,
    /// Where the baseline starts.
    pub baseline_x: u32,
    /// The scale's lines and labels (day chart).
    pub grid: Vec<GridLine>,
}

/// A line of a chart's scale.
#[derive(Clone, Debug, PartialEq)]
pub struct GridLine {
    /// Its height.
    pub y: u32,
    /// Its label: `50%`.
    pub label: String,
}

/// The length of a bar for `rate` when 100% is `full`: 0 without a rate, at least [`STUB`]
/// with one.
fn scaled(rate: Option<f64>, full: u32) -> u32 {
    let Some(rate) = rate else { return 0 };
    let rate = rate.clamp(0.0, 100.0);
    // In 0..=full, so the conversion cannot truncate meaningfully.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "clamped")]
    let length = (rate * f64::from(full) / 100.0).round() as u32;
    length.max(STUB)
}

fn describe(what: &str, tally: &Tally) -> String {
    match tally.rate() {
        Some(_) => format!(
            "{what}：{}（{}/{}）",
            text::percent(tally.rate()),
            tally.same_day,
            tally.counted()
        ),
        None => format!("{what}：{}", text::NO_COUNTED),
    }
}

/// `svg#chart-agency`: one horizontal bar per agency of `#completion-agency`, in its order.
pub fn by_agency(overview: &RegionOverview) -> Chart {
    let full = WIDTH - LABEL_WIDTH - 70;
    let bars: Vec<Bar> = overview
        .by_agency
        .iter()
        .zip(0u32..)
        .map(|(c, i)| {
            let name = c.agency.as_ref().map_or(text::SELF_SERVICE_CHANNEL, |a| a.name.as_str());
            let y = i * (ROW + ROW_GAP) + ROW_GAP;
            let width = scaled(c.tally.rate(), full);
            Bar {
                x: LABEL_WIDTH,
                y,
                width,
                height: ROW,
                title: describe(name, &c.tally),
                label: name.to_owned(),
                label_x: LABEL_WIDTH - 8,
                label_y: y + ROW / 2 + 5,
                value: text::percent(c.tally.rate()),
                value_x: LABEL_WIDTH + width + 6,
            }
        })
        .collect();
    let height = u32::try_from(bars.len()).unwrap_or(0) * (ROW + ROW_GAP) + ROW_GAP;
    Chart {
        id: "chart-agency",
        title: text::CHART_AGENCY,
        width: WIDTH,
        height,
        bars,
        baseline: 0,
        baseline_x: 0,
        grid: Vec::new(),
    }
}

/// `svg#chart-day`: one vertical bar per day of the period, oldest on the left; every fifth
/// day and the last are labelled.
pub fn by_day(overview: &RegionOverview) -> Chart {
    let days = u32::try_from(overview.by_day.len()).unwrap_or(1).max(1);
    let slot = (WIDTH - SCALE - 20) / days;
    let bar_width = slot.saturating_sub(4).max(2);
    let bars = overview
        .by_day
        .iter()
        .zip(0u32..)
        .map(|(c, i)| {
            let height = scaled(c.tally.rate(), PLOT - 10);
            let x = SCALE + 10 + i * slot;
            let labelled = i % 5 == 0 || i + 1 == days;
            Bar {
                x,
                y: PLOT - height,
                width: bar_width,
                height,
                title: describe(&text::date(c.day), &c.tally),
                label: if labelled { text::month_day(c.day) } else { String::new() },
                label_x: x + bar_width / 2,
                label_y: PLOT + 20,
                value: String::new(),
                value_x: 0,
            }
        })
        .collect();
    Chart {
        id: "chart-day",
        title: text::CHART_DAY,
        width: WIDTH,
        height: PLOT + AXIS,
        bars,
        baseline: PLOT,
        baseline_x: SCALE,
        grid: [100.0, 50.0]
            .into_iter()
            .map(|rate| GridLine {
                y: PLOT - scaled(Some(rate), PLOT - 10),
                label: text::percent(Some(rate)),
            })
            .collect(),
    }
}
