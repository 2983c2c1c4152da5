//! A macro for the small national code tables: an enum with a code, a Chinese name,
//! the list of all values, and serde as the code string.

macro_rules! code_table {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($variant:ident = $code:literal $zh:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = concat!($code, " ", $zh)] $variant,)+
        }

        impl $name {
            /// Every value, in code order.
            pub fn all() -> &'static [$name] {
                &[$($name::$variant),+]
            }

            /// The code, e.g. `"01"`.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese name.
            pub fn name_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// The value with exactly this code.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::all().iter().copied().find(|v| v.code() == code)
            }

            /// The value with exactly this Chinese name.
            pub fn from_name_zh(name: &str) -> Option<Self> {
                Self::all().iter().copied().find(|v| v.name_zh() == name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name_zh())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown {} code {s}",
                        stringify!($name)
                    ))
                })
            }
        }
    };
}

pub(crate) use code_table;
