//! Every string the page shows, in Spanish and English.

/// The page's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    /// Parses a language tag such as `es`, `es-AR` or `en-US`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Es => Lang::En,
            Lang::En => Lang::Es,
        }
    }
}

/// A string the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Tagline,
    Key,
    Value,
    Send,
    Partition,
    Topic,
    PartitionsCount,
    KeyHint,
    SwitchLanguage,
    NoKey,
    Sent,
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    use Lang::*;
    use Msg::*;
    match (lang, msg) {
        (Es, Tagline) => "Un Kafka real, en tu navegador",
        (En, Tagline) => "A real Kafka, in your browser",
        (Es, Key) => "Clave",
        (En, Key) => "Key",
        (Es, Value) => "Valor",
        (En, Value) => "Value",
        (Es, Send) => "Enviar",
        (En, Send) => "Send",
        (Es, Partition) => "Partición",
        (En, Partition) => "Partition",
        (Es, Topic) => "Topic",
        (En, Topic) => "Topic",
        (Es, PartitionsCount) => "particiones",
        (En, PartitionsCount) => "partitions",
        (Es, KeyHint) => "La partición es murmur2(clave) mod particiones, como en Kafka.",
        (En, KeyHint) => "The partition is murmur2(key) mod partitions, as in Kafka.",
        (Es, SwitchLanguage) => "English",
        (En, SwitchLanguage) => "Español",
        (Es, NoKey) => "sin clave",
        (En, NoKey) => "no key",
        (Es, Sent) => "Enviado a",
        (En, Sent) => "Sent to",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_browser_language_tags() {
        assert_eq!(Lang::from_tag("es-AR"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
