//! The one error type of this crate: what stops a run before or while reading a file.
//! A bad value in a row is never an error: it is a [`crate::Finding`].

use std::path::PathBuf;

/// Why an import could not run. Each variant has a stable machine code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A file could not be opened, read or written (`import.io`).
    #[error("cannot read or write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A CSV file is malformed beyond reading (`import.csv`).
    #[error("malformed csv in {path}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// What the CSV reader said.
        message: String,
    },
    /// An Excel workbook could not be read (`import.excel`).
    #[error("cannot read workbook {path}: {message}")]
    Excel {
        /// The file.
        path: PathBuf,
        /// What the workbook reader said.
        message: String,
    },
    /// No column holds the identity number (`import.no_number_column`).
    #[error("no identity number column in {path}")]
    NoNumberColumn {
        /// The file.
        path: PathBuf,
    },
    /// The named sheet is not in the workbook (`import.no_sheet`).
    #[error("no sheet named {sheet} in {path}")]
    NoSheet {
        /// The file.
        path: PathBuf,
        /// The sheet asked for.
        sheet: String,
    },
    /// The mapping file or an option is wrong (`import.config`).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A report could not be written (`import.report`).
    #[error("cannot write report {path}: {message}")]
    Report {
        /// The report file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl ImportError {
    /// The stable machine code, e.g. `import.io`.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Io { .. } => "import.io",
            ImportError::Csv { .. } => "import.csv",
            ImportError::Excel { .. } => "import.excel",
            ImportError::NoNumberColumn { .. } => "import.no_number_column",
            ImportError::NoSheet { .. } => "import.no_sheet",
            ImportError::Config(_) => "import.config",
            ImportError::Report { .. } => "import.report",
        }
    }

    /// The message for the person running the import, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ImportError::Io { path, source } => {
                format!("无法读写文件 {}：{}", path.display(), io_reason_zh(source))
            }
            ImportError::Csv { path, message } => {
                format!("CSV 文件 {} 格式错误：{message}", path.display())
            }
            ImportError::Excel { path, message } => {
                format!("无法读取 Excel 文件 {}：{message}", path.display())
            }
            ImportError::NoNumberColumn { path } => format!(
                "文件 {} 中找不到身份号码列（如“身份证号”“公民身份号码”“AAC002”），请用映射文件指定",
                path.display()
            ),
            ImportError::NoSheet { path, sheet } => {
                format!("工作簿 {} 中没有名为“{sheet}”的工作表", path.display())
            }
            ImportError::Config(m) => format!("配置错误：{m}"),
            ImportError::Report { path, message } => {
                format!("无法写入报告 {}：{message}", path.display())
            }
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ImportError::Io { path: path.into(), source }
    }
}

/// Why a file could not be read or written, in Chinese where the reason is a common one;
/// the system's own words otherwise.
fn io_reason_zh(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "文件不存在".to_owned(),
        ErrorKind::PermissionDenied => "没有读写权限".to_owned(),
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件".to_owned(),
        ErrorKind::AlreadyExists => "文件已存在".to_owned(),
        ErrorKind::StorageFull => "磁盘空间不足".to_owned(),
        ErrorKind::InvalidData => "文件内容无法读取".to_owned(),
        _ => error.to_string(),
    }
}
