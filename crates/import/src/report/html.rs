//! The HTML report: one self-contained page, charts drawn as inline SVG (no script), the
//! counts per finding and per division, and the first findings of each kind.

use std::fmt::Write as _;
use std::path::Path;

use personbase_identity::division;

use crate::finding::kind;
use crate::run::Outcome;
use crate::{ImportError, output};

/// Findings listed per kind on the page; the Excel report and JSON hold them all.
const LISTED: usize = 200;
/// Divisions shown in the chart, the most findings first.
const DIVISIONS: usize = 20;

/// Writes the page.
pub fn write(path: &Path, outcome: &Outcome) -> Result<(), ImportError> {
    std::fs::write(path, render(outcome)).map_err(|e| ImportError::io(path, e))
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart as inline SVG.
fn bars(items: &[(String, u64)]) -> String {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let (row, label_w, bar_w) = (24, 400, 420);
    let height = items.len() * row + 10;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\">",
        label_w + bar_w + 90
    );
    for (i, (label, n)) in items.iter().enumerate() {
        let y = i * row + 5;
        let w = (*n as f64 / max * bar_w as f64).max(1.0);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>\
             <rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"#3b6ea5\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"13\">{n}</text>",
            label_w - 8,
            y + 15,
            esc(label),
            label_w,
            row - 6,
            label_w as f64 + w + 6.0,
            y + 15
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A title cut to fit the chart's labels; the table below gives it whole.
fn short(title: &str) -> String {
    const MAX: usize = 14;
    if title.chars().count() <= MAX {
        return title.to_string();
    }
    let mut s: String = title.chars().take(MAX - 1).collect();
    s.push('…');
    s
}

fn division_label(code: u32) -> String {
    if code == 0 {
        return "号码中无地区".to_string();
    }
    let name = division::full_name(code, 2000)
        .or_else(|| division::nearest(code, 2000).map(|p| p.name.to_string()))
        .unwrap_or_else(|| "未知地区".to_string());
    format!("{code:06} {name}")
}

/// The page as a string.
pub fn render(outcome: &Outcome) -> String {
    let s = &outcome.summary;
    let groups = super::by_kind(&outcome.findings);
    let by_kind: Vec<(String, u64)> = groups
        .iter()
        .map(|(code, list)| (format!("{} {code}", short(kind(code).title_zh)), list.len() as u64))
        .collect();
    let mut divisions: Vec<(u32, u64)> = s.by_division.iter().map(|(k, v)| (*k, *v)).collect();
    divisions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let by_division: Vec<(String, u64)> =
        divisions.iter().take(DIVISIONS).map(|(c, n)| (division_label(*c), *n)).collect();

    let mut h = String::new();
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    h.push_str("<title>导入检查报告</title><style>body{font-family:sans-serif;margin:2em;}");
    h.push_str("table{border-collapse:collapse;}td,th{border:1px solid #ccc;padding:3px 8px;}");
    h.push_str("th{background:#eef;}</style></head><body>");
    // The same words as the terminal's summary: a dry run, a check against the platform, or
    // a load that wrote to it.
    let _ = write!(
        h,
        "<h1>导入检查报告</h1><p>{}。文件 {} 个，数据 {} 行，有问题的行 {} 行，发现 {} 项。</p>",
        output::heading(outcome),
        s.files,
        s.rows,
        s.rows_with_findings,
        s.findings()
    );
    if let Some(load) = &outcome.load {
        let _ = write!(h, "<p>{}。</p>", esc(&output::load_line(load)));
    }
    let _ = write!(h, "<h2>按问题</h2>{}", bars(&by_kind));
    let _ = write!(h, "<h2>按地区（前 {DIVISIONS} 个）</h2>{}", bars(&by_division));
    h.push_str(
        "<h2>汇总</h2><table><tr><th>代码</th><th>问题</th><th>数量</th><th>处理办法</th></tr>",
    );
    for (code, list) in &groups {
        let k = kind(code);
        let _ = write!(
            h,
            "<tr><td>{code}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(k.title_zh),
            list.len(),
            esc(k.action_zh)
        );
    }
    h.push_str("</table>");
    for (code, list) in &groups {
        let _ = write!(h, "<h2 id=\"{code}\">{} {code}</h2>", esc(kind(code).title_zh));
        if list.len() > LISTED {
            let _ = write!(
                h,
                "<p>共 {} 条，下面列出前 {LISTED} 条；全部见 Excel 报告。</p>",
                list.len()
            );
        }
        h.push_str("<table><tr><th>文件</th><th>行</th><th>列</th><th>值</th><th>问题</th><th>相关行</th></tr>");
        for f in list.iter().take(LISTED) {
            let related = f.related_row.map(|r| r.to_string()).unwrap_or_default();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{related}</td></tr>",
                esc(&f.file),
                f.row,
                esc(&f.column),
                esc(&f.value),
                esc(&f.message)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</body></html>\n");
    h
}
