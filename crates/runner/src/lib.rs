//! The kafka-python API over the engine, and the scenario runner shared by the app and `kplay`.
