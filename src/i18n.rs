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

    /// Picks the string of this language from a (Spanish, English) pair.
    pub fn pick(self, pair: (&'static str, &'static str)) -> &'static str {
        match self {
            Lang::Es => pair.0,
            Lang::En => pair.1,
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
    PartitionOne,
    MessageOne,
    KeyHint,
    SwitchLanguage,
    LanguageLabel,
    NoKey,
    Messages,
    Sent,
    QuickSend,
    Lesson,
    Play,
    Pause,
    StepEvent,
    Speed,
    Reset,
    Seed,
    Time,
    AddConsumer,
    AddPartitions,
    Assignor,
    AssignorDefault,
    ClientProfile,
    Programs,
    AddProgram,
    RemoveProgram,
    Instances,
    StartAt,
    SetupLines,
    RunHint,
    Code,
    Producers,
    Groups,
    Committed,
    LagIs,
    Lag,
    Generation,
    LogStart,
    LogEnd,
    Deleted,
    Older,
    Offset,
    Timestamp,
    Headers,
    Producer,
    RecordDetails,
    HoverHint,
    Rebalancing,
    EagerNote,
    CooperativeNote,
    NoGroups,
    Alive,
    Stalled,
    Crashed,
    Closed,
    EvictedSession,
    EvictedPoll,
    EvictedRebalance,
    Evicted,
    LeftGroup,
    Idle,
    AwaitingAssignment,
    PhaseHolds,
    PhaseRevoked,
    PhaseMustRejoin,
    PhaseJoinedKeeps,
    PhaseJoinedNone,
    PhaseLeaderAssigns,
    PhaseAwaitSync,
    Gen,
    Crash,
    Stall,
    Leave,
    Restart,
    Console,
    NoOutput,
    LagChart,
    RateChart,
    Produced,
    Consumed,
    NotStarted,
    Ready,
    Blocked,
    Sleeping,
    Finished,
    Failed,
    StorageReset,
    Dismiss,
    Line,
    Owner,
    Nobody,
    Controls,
    Stage,
    Charts,
    JumpToLine,
    Perf,
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    lang.pick(pair(msg))
}

fn pair(msg: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match msg {
        Tagline => (
            "Un Kafka real, en tu navegador",
            "A real Kafka, in your browser",
        ),
        Key => ("Clave", "Key"),
        Value => ("Valor", "Value"),
        Send => ("Enviar", "Send"),
        Partition => ("Partición", "Partition"),
        Topic => ("Topic", "Topic"),
        PartitionsCount => ("particiones", "partitions"),
        PartitionOne => ("partición", "partition"),
        MessageOne => ("mensaje", "message"),
        KeyHint => (
            "La partición es murmur2(clave) mod particiones, como en Kafka.",
            "The partition is murmur2(key) mod partitions, as in Kafka.",
        ),
        SwitchLanguage => ("English", "Español"),
        LanguageLabel => ("Cambiar a inglés", "Switch to Spanish"),
        NoKey => ("sin clave", "no key"),
        Messages => ("mensajes", "messages"),
        Sent => ("Enviado a", "Sent to"),
        QuickSend => ("Envío rápido", "Quick send"),
        Lesson => ("Lección", "Lesson"),
        Play => ("Reproducir", "Play"),
        Pause => ("Pausa", "Pause"),
        StepEvent => ("Siguiente evento", "Next event"),
        Speed => ("Velocidad", "Speed"),
        Reset => ("Reiniciar", "Reset"),
        Seed => ("Semilla", "Seed"),
        Time => ("Tiempo", "Time"),
        AddConsumer => ("+ consumer", "+ consumer"),
        AddPartitions => ("+ partición", "+ partition"),
        Assignor => ("Asignador", "Assignor"),
        AssignorDefault => ("por defecto (range)", "default (range)"),
        ClientProfile => ("Cliente", "Client"),
        Programs => ("Programas", "Programs"),
        AddProgram => ("Nuevo programa", "New program"),
        RemoveProgram => ("Quitar programa", "Remove program"),
        Instances => ("Instancias", "Instances"),
        StartAt => ("Arranca (s)", "Starts (s)"),
        SetupLines => (
            "Preparación de la lección (sólo lectura)",
            "Lesson setup (read-only)",
        ),
        RunHint => ("Ctrl+Enter ejecuta", "Ctrl+Enter runs"),
        Code => ("Código", "Code"),
        Producers => ("Producers", "Producers"),
        Groups => ("Grupos de consumers", "Consumer groups"),
        Committed => ("offset commiteado del grupo", "group's committed offset"),
        LagIs => ("lag = fin del log − commit", "lag = log end − committed"),
        Lag => ("lag", "lag"),
        Generation => ("generación", "generation"),
        LogStart => ("inicio del log", "log start"),
        LogEnd => ("fin del log", "log end"),
        Deleted => ("borrados por retención", "deleted by retention"),
        Older => ("anteriores", "older"),
        Offset => ("Offset", "Offset"),
        Timestamp => ("Timestamp", "Timestamp"),
        Headers => ("Headers", "Headers"),
        Producer => ("Producer", "Producer"),
        RecordDetails => ("Mensaje", "Message"),
        HoverHint => (
            "Pasá el mouse o el foco por un mensaje para ver su detalle.",
            "Hover or focus a message to see its details.",
        ),
        Rebalancing => ("Rebalanceando", "Rebalancing"),
        EagerNote => (
            "eager: todos sueltan sus particiones y nadie consume (stop-the-world)",
            "eager: everyone drops their partitions and nobody consumes (stop-the-world)",
        ),
        CooperativeNote => (
            "cooperativo: sólo se mueven las particiones que cambian de dueño",
            "cooperative: only the partitions that change owner move",
        ),
        NoGroups => ("Todavía no hay grupos.", "No consumer group yet."),
        Alive => ("activo", "alive"),
        Stalled => ("trabado", "stalled"),
        Crashed => ("caído", "crashed"),
        Closed => ("cerrado", "closed"),
        EvictedSession => (
            "sin heartbeats (session.timeout.ms)",
            "no heartbeats (session.timeout.ms)",
        ),
        EvictedPoll => (
            "sin poll() (max.poll.interval.ms)",
            "no poll() (max.poll.interval.ms)",
        ),
        EvictedRebalance => (
            "no volvió a unirse (rebalance timeout)",
            "did not rejoin (rebalance timeout)",
        ),
        Evicted => ("expulsado", "evicted"),
        LeftGroup => ("salió del grupo", "left the group"),
        Idle => ("ocioso: sin particiones", "idle: no partition"),
        AwaitingAssignment => ("⟳ esperando su asignación", "⟳ waiting for its assignment"),
        PhaseHolds => ("tiene", "holds"),
        PhaseRevoked => ("revocó todo", "revoked all"),
        PhaseMustRejoin => ("debe reunirse", "must rejoin"),
        PhaseJoinedKeeps => ("JoinGroup ✓ · conserva", "JoinGroup ✓ · keeps"),
        PhaseJoinedNone => ("JoinGroup ✓ · sin particiones", "JoinGroup ✓ · holds none"),
        PhaseLeaderAssigns => (
            "líder · calcula la asignación",
            "leader · computing assignment",
        ),
        PhaseAwaitSync => ("SyncGroup · esperando", "SyncGroup · waiting"),
        Gen => ("gen.", "gen."),
        Crash => ("Tirar", "Crash"),
        Stall => ("Trabar 40 s", "Stall 40 s"),
        Leave => ("Salir", "Leave"),
        Restart => ("Reiniciar", "Restart"),
        Console => ("Consola", "Console"),
        NoOutput => (
            "Los print de cada proceso aparecen acá.",
            "Each process's print output shows here.",
        ),
        LagChart => ("Lag por grupo", "Lag per group"),
        RateChart => ("Mensajes por segundo", "Messages per second"),
        Produced => ("producidos", "produced"),
        Consumed => ("consumidos", "consumed"),
        NotStarted => ("sin arrancar", "not started"),
        Ready => ("corriendo", "running"),
        Blocked => ("esperando", "waiting"),
        Sleeping => ("durmiendo", "sleeping"),
        Finished => ("terminó", "finished"),
        Failed => ("falló", "failed"),
        StorageReset => (
            "No se pudo leer lo guardado; empezamos de cero.",
            "Saved state could not be read; starting fresh.",
        ),
        Dismiss => ("Cerrar", "Dismiss"),
        Line => ("línea", "line"),
        Owner => ("dueño", "owner"),
        Nobody => ("nadie", "nobody"),
        Controls => ("Controles", "Controls"),
        Stage => ("Escenario", "Stage"),
        Charts => ("Gráficos", "Charts"),
        JumpToLine => ("Ir a la línea", "Go to line"),
        Perf => ("rendimiento", "performance"),
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

    #[test]
    fn spanish_and_english_differ_where_they_should() {
        assert_eq!(t(Lang::Es, Msg::Send), "Enviar");
        assert_eq!(t(Lang::En, Msg::Send), "Send");
    }
}
